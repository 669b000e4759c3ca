"""A printable one-worker coaching report from the store, in the supervisor's voice; CSV exports."""
from __future__ import annotations

import csv
import json
from html import escape
from typing import IO

from ..rulebook import load_rulebook

DERIVED = {"note.timely": ("Timely note", "Write the note the same day as the contact, while details are fresh."),
           "plan.reviewed_in_interval": ("Plan reviewed on time", "Review the plan with the client within the interval."),
           "plan.initial_in_time": ("Initial plan on time", "Write the initial case plan within the profile's days of the first contact.")}
EXPORT_COLUMNS = ["document_id", "worker", "program", "client", "date", "kind", "score",
                  "criterion", "status", "message"]
STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:46em;margin:2em auto;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}.rate{color:#555}blockquote{margin:.3em 0 .3em 1em;
color:#444;border-left:3px solid #ccc;padding-left:.6em}@media print{body{margin:0}}"""


class Names(dict):
    """Criterion id -> display name; a plan's part finding ("goal.frequency@2") reads "Frequency (goal 2)"."""

    def __missing__(self, key: str) -> str:
        cid, at, n = key.partition("@")
        if at and cid in self:
            return f"{self[cid]} (goal {n})"
        raise KeyError(key)

    def get(self, key, default=None):
        """As dict.get, with part findings named after their criterion."""
        try:
            return self[key]
        except KeyError:
            return default


def criterion_names() -> tuple[dict, dict]:
    """Criterion id -> display name, and id -> coaching question (derived criteria included)."""
    rulebook = load_rulebook()
    names = Names({cid: c.name for cid, c in rulebook.criteria.items()})
    questions = {cid: c.question for cid, c in rulebook.criteria.items() if c.question}
    names.update({cid: name for cid, (name, _) in DERIVED.items()})
    return names, questions


def worker_rates(db, worker: str, program: str | None = None) -> list[dict]:
    """Per criterion for one worker: documents judged, met, missing, rate (ask findings excluded)."""
    where, args = "d.worker = ?", [worker]
    if program:
        where, args = where + " and d.program = ?", args + [program]
    rows = db.execute(
        f"select f.criterion, count(*), sum(f.status = 'met'), sum(f.status = 'partial'), sum(f.status = 'missing') "
        f"from findings f join documents d on d.id = f.document_id where {where} and f.status != 'ask' "
        f"group by f.criterion", args).fetchall()
    return [{"criterion": c, "judged": n, "met": m, "missing": miss, "rate": (m + 0.5 * p) / n}
            for c, n, m, p, miss in rows]


def _examples(db, worker: str, program: str | None, criterion: str, limit: int = 2) -> list[dict]:
    """The worker's own documents where a criterion fell short, most recent first."""
    where, args = "d.worker = ? and f.criterion = ? and f.status in ('missing', 'partial')", [worker, criterion]
    if program:
        where, args = where + " and d.program = ?", args + [program]
    rows = db.execute(f"select d.id, d.date, f.message, f.suggestion, f.evidence from findings f join documents d "
                      f"on d.id = f.document_id where {where} order by d.date desc, d.id limit {limit}", args)
    return [{"id": i, "date": dt, "message": msg, "suggestion": sug,
             "quotes": [e["text"] for e in json.loads(ev or "[]") if e.get("text")]} for i, dt, msg, sug, ev in rows]


def render_report(db, worker: str, program: str | None = None) -> str | None:
    """The HTML coaching report for one worker (None when they have no documents)."""
    rates = worker_rates(db, worker, program)
    if not rates:
        return None
    names, questions = criterion_names()
    count = db.execute("select count(*), avg(score) from documents where worker = ?" +
                       (" and program = ?" if program else ""), [worker] + ([program] if program else [])).fetchone()
    strong = sorted((r for r in rates if r["rate"] >= 0.8), key=lambda r: (-r["rate"], -r["judged"]))[:3]
    weak = sorted((r for r in rates if r["rate"] < 0.8), key=lambda r: (-r["missing"], r["rate"]))[:3]
    out = [f"<!doctype html><html lang='en'><meta charset='utf-8'><title>Coaching report: {escape(worker)}</title>",
           f"<style>{STYLE}</style><h1>Coaching report: {escape(worker)}</h1>",
           f"<p class='rate'>{count[0]} documents{' in ' + escape(program) if program else ''}; "
           f"mean score {count[1]:.2f}.</p><h2>What you do well</h2><ul>"]
    for r in strong or sorted(rates, key=lambda r: -r["rate"])[:1]:
        out.append(f"<li><b>{escape(names.get(r['criterion'], r['criterion']))}</b>: met in {r['met']} of "
                   f"{r['judged']} documents.</li>")
    out.append("</ul>")
    if weak:
        out.append("<h2>What to work on next</h2><p>Building on that, these would make your documentation "
                   "stronger, most important first:</p><ol>")
        out += [_work_on(db, worker, program, r, names) for r in weak]
        out.append("</ol>")
    question = questions.get(weak[0]["criterion"]) if weak else None
    out.append(f"<h2>A question to talk about</h2><p>{escape(question or _default_question(weak, names))}</p></html>")
    return "\n".join(out)


def _work_on(db, worker, program, rate: dict, names: dict) -> str:
    name = names.get(rate["criterion"], rate["criterion"])
    parts = [f"<li><b>{escape(name)}</b> <span class='rate'>(met in {rate['met']} of {rate['judged']})</span>"]
    examples = _examples(db, worker, program, rate["criterion"])
    for ex in examples:
        when = f" ({escape(ex['date'])})" if ex["date"] else ""
        parts.append(f"<p>In document {escape(ex['id'])}{when}: {escape(ex['message'] or '')}</p>")
        parts += [f"<blockquote>“{escape(q)}”</blockquote>" for q in ex["quotes"][:2]]
    hint = next((ex["suggestion"] for ex in examples if ex["suggestion"]), DERIVED.get(rate["criterion"], ("", ""))[1])
    if hint:
        parts.append(f"<p>Try: {escape(hint)}</p>")
    return "".join(parts) + "</li>"


def _default_question(weak: list[dict], names: dict) -> str:
    if not weak:
        return "Which of your recent notes are you proudest of, and what made it work?"
    name = names.get(weak[0]["criterion"], weak[0]["criterion"]).lower()
    return f"What gets in the way of {name} in a busy week, and what would help?"


def export_csv(db, fh: IO[str], worker: str | None = None, programs: list[str] | None = None) -> int:
    """Write documents and their findings (one row per finding) as CSV; return the rows written."""
    clauses, args = [], []
    if worker:
        clauses, args = ["d.worker = ?"], [worker]
    if programs is not None:
        clauses.append(f"d.program in ({','.join('?' * len(programs))})")
        args += programs
    where = f"where {' and '.join(clauses)}" if clauses else ""
    rows = db.execute(f"select d.id, d.worker, d.program, d.client, d.date, d.kind, d.score, f.criterion, f.status, "
                      f"f.message from documents d join findings f on f.document_id = d.id {where} "
                      f"order by d.id, f.criterion", args)
    writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_safe(v) for v in row])
        count += 1
    return count


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value):
    """A cell a spreadsheet shows as text, never runs (OWASP CSV injection): a text value whose first
    character, after any spaces, could start a formula gets a leading apostrophe. Numbers pass as they are."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value
