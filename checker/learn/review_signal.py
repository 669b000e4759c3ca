"""Supervisor reviews as training sentences: read the store read-only, vote, de-duplicate, hold out test/dev."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CasecoachError
from ..annotate.sentence_views import OPINION_CRITERION as OPINION
from ..batch.store import text_hash

ROLE_OF = {"note.strengths": "STRENGTH", "note.objective": "OBSERVATION", "note.assessment": "ASSESSMENT",
           "note.plan": "PLAN", "note.data": "DATA"}
QUERY = """select r.id, r.criterion, r.verdict, r.reviewer, r.created, f.status, f.evidence,
                  d.kind, d.text, d.text_hash
           from reviews r
           left join findings f on f.document_id = r.document_id and f.criterion = r.criterion
           left join documents d on d.id = r.document_id
           order by r.created, r.id"""


class NotAStore(CasecoachError):
    """The file is not a casecoach store (not SQLite, or no reviews/findings/documents tables)."""


@dataclass
class ReviewSignal:
    """Extra training sentences: `roles` items carry a role, `opinion` items an opinion flag."""

    roles: list = field(default_factory=list)
    opinion: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def normalise(text: str) -> str:
    """Lower case, whitespace collapsed: the key that de-duplicates sentences and matches held-out text."""
    return " ".join(text.lower().split())


def read_reviews(path: str) -> list[dict]:
    """Every review joined to its finding and document, read without writing to the file."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            tables = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
            if not {"reviews", "findings", "documents"} <= tables:
                raise NotAStore(f"{path} is not a casecoach store: it has no reviews table")
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(QUERY)]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise NotAStore(f"{path} is not a casecoach store ({exc})") from None


def _drop_reason(row: dict, held_out: str) -> str | None:
    """Why a review gives no training sentence, or None when it can be used."""
    if row["criterion"] != OPINION and row["criterion"] not in ROLE_OF:
        return "criterion without a sentence role"
    if row["status"] is None:
        return "finding no longer stored"
    if row["kind"] != "note":
        return "not a note"
    if not row["text"]:
        return "no text (batch without --store-text)"
    if text_hash(row["text"]) != row["text_hash"]:
        return "text changed since scoring"
    if normalise(row["text"]) in held_out:
        return "test/dev document"
    if row["status"] != ("missing" if row["criterion"] == OPINION else "met"):
        return "finding names no sentence"
    return None


def _latest(rows: list[dict], held_out: str, dropped: dict) -> list[dict]:
    """Usable reviews, the latest per (text, criterion, reviewer): a re-review or a copy counts once."""
    latest: dict[tuple, dict] = {}
    for row in rows:  # oldest first, so a later review replaces an earlier one
        reason = _drop_reason(row, held_out)
        if reason:
            _count(dropped, reason)
            continue
        key = (row["text_hash"], row["criterion"], row["reviewer"] or "")
        if key in latest:
            _count(dropped, "superseded or duplicate")
        latest[key] = row
    return sorted(latest.values(), key=lambda r: (r["created"] or "", r["id"]))


def _sentences(view_list, evidence: str) -> list:
    """The sentence views that hold any of a finding's evidence spans."""
    try:
        spans = [(int(e["start"]), int(e["end"])) for e in json.loads(evidence or "[]")]
    except (ValueError, TypeError, KeyError):
        return []
    return [v for v in view_list
            if any(v.span.start_char < max(e, s + 1) and s < v.span.end_char for s, e in spans)]


def _parse(rows: list[dict]) -> dict[str, list]:
    """Each distinct text parsed once by the rules pipeline: text hash -> its sentence views."""
    from ..annotate.sentence_views import views
    from .role_eval import parse
    texts = {r["text_hash"]: r["text"] for r in rows}
    return {h: views(doc) for h, doc in zip(texts, parse([{"text": t} for t in texts.values()]))}


def _votes(rows: list[dict], corpus: dict, stats: dict) -> dict[str, list]:
    """Sentence key -> votes [(order, 'opinion'|'role', value, view)], held-out and corpus text removed."""
    parsed = _parse(rows)
    votes: dict[str, list] = {}
    used = set()
    for order, row in enumerate(rows):
        for view in _sentences(parsed[row["text_hash"]], row["evidence"]):
            key = normalise(view.span.text)
            stats["sentence votes"] += 1
            if not key or key in corpus["held_out_text"]:
                _count(stats["sentences dropped"], "in test/dev text")
            elif key in corpus["train_sentences"]:
                _count(stats["sentences dropped"], "already labelled in the corpus")
            elif row["criterion"] in ROLE_OF and _other_role(view, ROLE_OF[row["criterion"]]):
                _count(stats["sentences dropped"], "cues or heading of another role")
            else:
                agree = row["verdict"] == "agree"
                vote = ("opinion", agree) if row["criterion"] == OPINION else ("role", (ROLE_OF[row["criterion"]], agree))
                votes.setdefault(key, []).append((order, *vote, view))
                used.add(row["id"])
    stats["used"] = len(used)
    return votes


def _other_role(view, role: str) -> bool:
    """Whether the sentence's heading or cues point to another role: then a finding-level agree is
    too weak to say which role the sentence has (on the corpus such labels were right 3 times in 5)."""
    from ..annotate.sentence_views import CUE_ROLE, SECTION_ROLE
    labels = {c.label_ for c in view.cues}
    cue_roles = {r for cue, r in CUE_ROLE if cue in labels}
    return bool(cue_roles - {role}) or SECTION_ROLE.get(view.section, role) != role


def _count(counter: dict, key: str) -> None:
    counter[key] = counter.get(key, 0) + 1


def _opinion_vote(votes: list) -> bool | None:
    """Majority of the opinion votes; the latest vote settles a tie."""
    ops = [(order, value) for order, kind, value, _ in votes if kind == "opinion"]
    if not ops:
        return None
    net = sum(1 if v else -1 for _, v in ops)
    return net > 0 if net else max(ops)[1]


def _role_vote(votes: list) -> str | None:
    """The role with the most net agreement (agree +1, disagree -1); the latest vote settles a tie."""
    net: dict[str, int] = {}
    last: dict[str, tuple[int, bool]] = {}
    for order, kind, value, _ in votes:
        if kind == "role":
            role, agree = value
            net[role] = net.get(role, 0) + (1 if agree else -1)
            last[role] = (order, agree)
    # A role stands if more agree than disagree, or they tie and the latest agreed. A disagree alone
    # says only what a sentence is not, which a one-role-per-sentence model cannot learn from.
    standing = [r for r, n in net.items() if n > 0 or (n == 0 and last[r][1])]
    return max(standing, key=lambda r: (net[r], last[r][0])) if standing else None


def corpus_text(split: dict) -> dict:
    """What reviews must not repeat: test and dev text (held out), train sentences (already labelled)."""
    held = [normalise(ex["text"]) for name in ("test", "dev") for ex in split.get(name, [])]
    train = {normalise(s["text"]) for ex in split.get("train", []) for s in ex.get("sentences") or []}
    # Newlines cannot occur in normalised text, so a substring match never spans two documents.
    return {"held_out_text": "\n".join(held), "train_sentences": train}


def review_signal(path: str, split: dict, weight: float = 0.5) -> ReviewSignal:
    """Training sentences from a store's agree/disagree reviews, weighted, de-duplicated, never test/dev."""
    from .role_eval import Gold
    from ..annotate.features import sentence_features
    rows = read_reviews(path)
    corpus = corpus_text(split)
    stats = {"read": len(rows), "used": 0, "weight": weight, "dropped": {}, "sentence votes": 0,
             "sentences dropped": {}}
    kept = _latest(rows, corpus["held_out_text"], stats["dropped"])
    votes = _votes(kept, corpus, stats) if kept else {}
    signal = ReviewSignal(stats=stats)
    for key in sorted(votes):
        view = max(votes[key], key=lambda v: v[0])[3]
        feats = sentence_features(view)
        opinion, role = _opinion_vote(votes[key]), _role_vote(votes[key])
        if opinion is not None:
            signal.opinion.append(Gold(view, role or "", opinion, feats, weight))
        if role is not None:
            signal.roles.append(Gold(view, role, bool(opinion), feats, weight))
        if opinion is None and role is None:
            _count(stats["sentences dropped"], "role disagreed, nothing agreed")
    merged = sum(len(v) for v in votes.values()) - len(votes)
    if merged:
        stats["sentences dropped"]["duplicates merged"] = merged
    stats["opinion"] = {"opinion": sum(g.opinion for g in signal.opinion),
                        "not opinion": sum(not g.opinion for g in signal.opinion)}
    stats["roles"] = {r: sum(g.role == r for g in signal.roles) for r in sorted(set(ROLE_OF.values()))}
    return signal


def summary(stats: dict) -> str:
    """One line for the terminal: how many reviews were read and used, and why the rest were not."""
    if not stats["used"]:
        reasons = {**stats["dropped"], **stats["sentences dropped"]}
        why = max(reasons, key=reasons.get) if reasons else "the store holds no reviews"
        return f"0 reviews usable ({stats['read']} read): {why}; trained on the corpus alone"
    return (f"{stats['used']} of {stats['read']} reviews used: {sum(stats['opinion'].values())} opinion and "
            f"{sum(stats['roles'].values())} role sentences at weight {stats['weight']}")


def card_section(stats: dict, before: dict | None, after: dict | None) -> list[str]:
    """Model-card lines: review counts, drops and reasons, and held-out F1 without vs with the reviews."""
    drops = lambda d: ", ".join(f"{k} {n}" for k, n in sorted(d.items())) or "none"  # noqa: E731
    lines = ["## Learning from supervisors", "",
             f"- reviews read: {stats['read']}, used: {stats['used']}, weight {stats['weight']} "
             "(corpus sentences 1.0)",
             f"- reviews dropped: {drops(stats['dropped'])}",
             f"- sentences from reviews: {stats['sentence votes']} votes; dropped: {drops(stats['sentences dropped'])}",
             f"- training sentences added: opinion {sum(stats.get('opinion', {}).values())} "
             f"({drops(stats.get('opinion', {}))}), roles {sum(stats.get('roles', {}).values())} "
             f"({drops({k: v for k, v in stats.get('roles', {}).items() if v})})"]
    if before and after:
        rows_b = {r["label"]: r for r in before["rows"] if r["system"] == "rules+model"}
        rows_a = {r["label"]: r for r in after["rows"] if r["system"] == "rules+model"}
        lines += ["", "Held-out test F1 (rules+model), trained without and with the reviews:", "", "```",
                  f"{'label':12} {'n':>5} {'without':>8} {'with':>8} {'change':>8}"]
        for label, a in rows_a.items():
            b = rows_b[label]
            lines.append(f"{label:12} {a['n']:>5} {b['f1']:>8.3f} {a['f1']:>8.3f} {a['f1'] - b['f1']:>+8.3f}")
        lines.append("```")
    elif stats["used"]:
        lines += ["", "No held-out test split: the change the reviews make is not measured."]
    return lines
