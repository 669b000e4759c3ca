"""Score exported documents (in one or several processes) and commit them to the store in batches."""
from __future__ import annotations

import hashlib
import json
import re
import os
from importlib import metadata
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterator

from ..engine import is_blank, setup, max_chars
from ..resources import rules_root
from ..store import done_keys, now, open_db, refresh_stats, save_batch, text_hash
from .columns import map_columns
from .parallel import scored
from .readers import Malformed, read_rows
from .timeliness import note_timely, parse_date, review_findings

KIND_WORDS = {"goal": "goal", "plan": "goal", "serviceplan": "goal", "isp": "goal", "objective": "goal",
              "note": "note", "progressnote": "note", "casenote": "note", "contactnote": "note"}


@dataclass
class Options:
    """How to read and score one batch (the CLI's options)."""

    columns: dict = field(default_factory=dict)
    profile: str = "default"
    kind: str = "auto"
    store_text: bool = False
    processes: int = 1
    batch_size: int = 64
    commit_every: int = 500
    rules: str | None = None


def ruleset_version(profile: str, rules: str | None = None) -> str:
    """A digest of every rule file, the casecoach version and the profile: a change re-scores documents."""
    digest = hashlib.sha256(_version().encode())
    stack = [rules_root(rules)]
    while stack:
        entry = stack.pop()
        for child in sorted(entry.iterdir(), key=lambda e: e.name):
            if child.is_dir():
                stack.append(child)
            elif child.name.endswith((".yml", ".txt")):
                digest.update(child.name.encode() + child.read_bytes())
    return f"{digest.hexdigest()[:16]}:{profile}"


def _version() -> str:
    try:
        return metadata.version("casecoach")
    except metadata.PackageNotFoundError:
        return "unknown"


def _kind(value: str, default: str) -> str:
    return KIND_WORDS.get("".join(ch for ch in value.lower() if ch.isalnum()), default) if value else default


def _meta(row: dict, mapping: dict, source: str, line: int, opts: Options, limit: int) -> tuple[str, dict]:
    """The text and the document row for one input row; Malformed if it cannot be used."""
    get = lambda f: (row.get(mapping[f]) or "").strip() if f in mapping else ""  # noqa: E731
    text = row.get(mapping["text"]) or ""
    if is_blank(text):
        raise Malformed(line, "the text is empty")
    if len(text) > limit or "\x00" in text:
        raise Malformed(line, "the text is too long" if len(text) > limit else "the text contains NUL bytes")
    try:
        dates = {f: parse_date(get(f)) for f in ("date", "contact_date")}
    except ValueError as exc:
        raise Malformed(line, str(exc)) from None
    doc = {"id": get("id") or f"{os.path.basename(source)}:{line}", "source": os.path.basename(source),
           "worker": get("worker") or None, "program": get("program") or None,
           "client": get("client") or None, **dates, "kind": _kind(get("kind"), opts.kind),
           "text_hash": text_hash(text), "profile": opts.profile}
    if opts.store_text:
        doc["text"] = text
    return text, doc


def _pending(paths, opts, db, ruleset, limit, tally) -> Iterator[tuple[str, dict]]:
    """(text, document) for every usable row not already stored under this rule set."""
    for path in paths:
        header, rows = read_rows(path)
        mapping = map_columns(header, opts.columns, path)
        while chunk := list(islice(rows, 256)):
            ready = []
            for item in chunk:
                try:
                    if isinstance(item, Malformed):
                        raise item
                    ready.append(_meta(item[1], mapping, path, item[0], opts, limit))
                except Malformed as bad:
                    tally["malformed"] += 1
                    tally["warn"](f"{os.path.basename(path)} line {bad.line}: {bad.reason}; skipped")
            done = done_keys(db, [d["id"] for _, d in ready])
            for text, doc in ready:
                if done.get(doc["id"]) == (doc["text_hash"], ruleset):
                    tally["skipped"] += 1
                    tally["tick"](1)
                else:
                    yield text, doc


QUOTED = re.compile(r"“[^”]*”")
GENERIC_SUBJECTS = {"the client", "client", "the youth", "youth"}


def _redact(message: str | None, store_text: bool, subject: str = "") -> str | None:
    """Without --store-text, the draft's quoted words and the name of the person it is about leave
    the stored messages too."""
    if store_text or message is None:
        return message
    message = QUOTED.sub("“…”", message)
    if subject and subject.lower() not in GENERIC_SUBJECTS:
        message = re.sub(rf"\b{re.escape(subject)}\b", "the client", message)
    return message


def _findings(doc: dict, report, timely_days: int, store_text: bool) -> list[dict]:
    rows = []
    for c in report.criteria:
        evidence = [{"start": e.start, "end": e.end, "label": e.label, **({"text": e.text} if store_text else {})}
                    for e in c.evidence]
        rows.append({"document_id": doc["id"], "criterion": c.id, "status": c.status, "message": _redact(c.message, store_text, report.subject),
                     "suggestion": _redact(c.suggestion, store_text, report.subject), "evidence": json.dumps(evidence)})
    timely = note_timely(doc["date"], doc["contact_date"], timely_days) if doc["kind"] == "note" else None
    if timely:
        rows.append({"document_id": doc["id"], **timely})
    return rows


def run_batch(paths: list[str], db_path: str, opts: Options, warn: Callable[[str], None] = print,
              tick: Callable[[int], None] = lambda n: None) -> dict:
    """Score every new or changed document of the files into the store; return the summary."""
    _, profile = setup(opts.kind, opts.profile, opts.rules)
    ruleset = ruleset_version(opts.profile, opts.rules)
    timely_days = int(profile.settings.get("note_timely_days", 2))
    db = open_db(db_path)
    run_id = db["runs"].insert({"started": now(), "files": json.dumps([os.path.basename(p) for p in paths]),
                                "profile": opts.profile, "ruleset": ruleset}).last_pk
    tally = {"malformed": 0, "skipped": 0, "scored": 0, "warn": warn, "tick": tick}
    stream = scored(_pending(paths, opts, db, ruleset, max_chars(profile), tally), opts.profile, opts.rules,
                    opts.processes, opts.batch_size)
    documents, findings = [], []
    for report, doc in stream:
        doc.update(kind=report.kind, score=report.score, ruleset=ruleset, run_id=run_id)
        documents.append(doc)
        findings += _findings(doc, report, timely_days, opts.store_text)
        if len(documents) >= opts.commit_every:
            save_batch(db, documents, findings)
            tally["scored"] += len(documents)
            tick(len(documents))
            documents, findings = [], []
    save_batch(db, documents, findings)
    tally["scored"] += len(documents)
    tick(len(documents))
    review_findings(db, opts.rules)
    refresh_stats(db)
    counts = {k: tally[k] for k in ("scored", "skipped", "malformed")}
    db["runs"].update(run_id, {"finished": now(), "documents": counts["scored"], "skipped": counts["skipped"],
                               "malformed": counts["malformed"]})
    return {**counts, **summary(db, [os.path.basename(p) for p in paths])}


def summary(db, sources: list[str]) -> dict:
    """Documents, mean score and the three most-missed criteria over the given source files."""
    marks = ",".join("?" * len(sources))
    total, mean = db.execute(f"select count(*), avg(score) from documents where source in ({marks})",
                             sources).fetchone()
    missed = db.execute(
        f"select f.criterion, count(*) n from findings f join documents d on d.id = f.document_id "
        f"where d.source in ({marks}) and f.status = 'missing' group by f.criterion "
        f"order by n desc, f.criterion limit 3", sources).fetchall()
    return {"documents": total, "mean_score": round(mean, 3) if mean is not None else None,
            "most_missed": [{"criterion": c, "missing": n} for c, n in missed]}
