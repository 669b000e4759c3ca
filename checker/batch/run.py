"""Score exported documents (in one or several processes) and commit them to the store in batches."""
from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterator

from ..engine import is_blank, setup, max_chars
from ..resources import rules_root
from .store import now, stored_documents, open_db, refresh_stats, save_batch, text_hash
from .columns import describe_mapping, map_columns, missing_date_warnings
from .parallel import scored
from .readers import read_rows
from .rows import BatchInputError, Malformed
from .timeliness import note_timely, parse_date, review_findings

KIND_WORDS = {"goal": "goal", "ispgoal": "goal", "shorttermgoal": "goal",
              "plan": "plan", "serviceplan": "plan", "isp": "plan", "treatmentplan": "plan",
              "objective": "objective", "serviceobjective": "objective", "caseplan": "objective",
              "assessment": "assessment", "initialassessment": "assessment", "intake": "assessment",
              "psychosocial": "assessment",
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
    # The programs this batch may write (a dashboard upload: its token's); None lets the CLI write any.
    programs: list[str] | None = None
    # The name each input file is known by (an upload's own file name rather than its temporary path).
    names: dict = field(default_factory=dict)


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


def source_name(path: str, opts: Options) -> str:
    """The name a file's documents are stored under: as the user gave it, so siteA/notes.csv and
    siteB/notes.csv stay two sources (and their generated ids never collide)."""
    return opts.names.get(path) or os.path.normpath(path)


def _program(value: str, opts: Options, line: int) -> str | None:
    """The row's program, checked against the programs this batch may write."""
    if opts.programs is None:
        return value or None
    if not value and len(opts.programs) == 1:
        return opts.programs[0]
    if not value:
        raise Malformed(line, f"no program; say which of yours ({', '.join(opts.programs)}) in a program column")
    if value not in opts.programs:
        raise Malformed(line, f"program '{value}' is not one of yours ({', '.join(opts.programs)}); not stored")
    return value


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
    doc = {"id": get("id") or f"{source}:{line}", "source": source,
           "worker": get("worker") or None, "program": _program(get("program"), opts, line),
           "client": get("client") or None, **dates, "kind": _kind(get("kind"), opts.kind),
           "text_hash": text_hash(text), "profile": opts.profile}
    if opts.store_text:
        doc["text"] = text
    return text, doc


def _conflict(doc: dict, stored: dict | None, generated: bool) -> str | None:
    """Why a row may not overwrite the stored document of the same id (None when it may).

    A document never changes program: that would hand it, its findings and its reviews to another
    program's supervisors. A generated id (file name and line) is only re-used by the same file."""
    if stored is None:
        return None
    if (stored["program"] or None) != doc["program"]:
        return f"document id '{doc['id']}' is already stored for another program; not changed"
    if generated and stored["source"] != doc["source"]:
        return f"document id '{doc['id']}' is already stored from another file; add an id column"
    return None


def _pending(paths, opts, db, ruleset, limit, tally) -> Iterator[tuple[str, dict]]:
    """(text, document) for every usable row not already stored under this rule set."""
    for path in paths:
        name = source_name(path, opts)
        # The reader names the file by its path; an upload's is a temporary one, so say it our way.
        try:
            header, rows = read_rows(path, note=lambda m: tally["warn"](f"{name}: {m.split(': ', 1)[-1]}"))
        except BatchInputError as exc:
            raise BatchInputError(str(exc).replace(path, name)) from None
        mapping = map_columns(header, opts.columns, name)
        tally["info"](f"{name}: " + "; ".join(describe_mapping(mapping, header)))
        for message in missing_date_warnings(mapping):
            tally["warn"](f"{name}: {message}")
        while chunk := list(islice(rows, 256)):
            ready = []
            for item in chunk:
                try:
                    if isinstance(item, Malformed):
                        raise item
                    ready.append((item[0], *_meta(item[1], mapping, name, item[0], opts, limit)))
                except Malformed as bad:
                    _skip(tally, name, bad.line, bad.reason)
            stored = stored_documents(db, [d["id"] for _, _, d in ready])
            seen = tally["seen"]
            for line, text, doc in ready:
                # An id twice in one run is never a silent overwrite: the first row is kept.
                if doc["id"] in seen:
                    _skip(tally, name, line, f"document id '{doc['id']}' already appeared at {seen[doc['id']]}")
                    continue
                reason = _conflict(doc, stored.get(doc["id"]), "id" not in mapping)
                if reason:
                    _skip(tally, name, line, reason)
                    continue
                seen[doc["id"]] = f"{name} line {line}"
                if _done(stored.get(doc["id"]), doc, ruleset):
                    tally["skipped"] += 1
                    tally["tick"](1)
                else:
                    yield text, doc


def _done(stored: dict | None, doc: dict, ruleset: str) -> bool:
    return stored is not None and (stored["text_hash"], stored["ruleset"]) == (doc["text_hash"], ruleset)


def _skip(tally: dict, name: str, line: int, reason: str) -> None:
    tally["malformed"] += 1
    tally["warn"](f"{name} line {line}: {reason}; skipped")


def _findings(doc: dict, report, timely_days: int) -> list[dict]:
    """The stored findings of one report. The evidence (the draft's words each finding rests on) and
    the messages quoting it are kept, so a reviewer can agree or disagree; the whole text is kept
    only with --store-text."""
    rows = []
    # A plan's goals are stored goal by goal: "goal.frequency@2" is the second goal's frequency.
    judged = [(c, c.id) for c in report.criteria]
    judged += [(c, f"{c.id}@{n}") for n, part in enumerate(report.parts, 1) for c in part.criteria]
    for c, key in judged:
        evidence = [{"start": e.start, "end": e.end, "label": e.label, "text": e.text} for e in c.evidence]
        rows.append({"document_id": doc["id"], "criterion": key, "status": c.status, "message": c.message,
                     "suggestion": c.suggestion, "evidence": json.dumps(evidence, ensure_ascii=False)})
    timely = note_timely(doc["date"], doc["contact_date"], timely_days) if doc["kind"] == "note" else None
    if timely:
        rows.append({"document_id": doc["id"], **timely})
    return rows


def run_batch(paths: list[str], db_path: str, opts: Options, warn: Callable[[str], None] = print,
              tick: Callable[[int], None] = lambda n: None, info: Callable[[str], None] = lambda m: None) -> dict:
    """Score every new or changed document of the files into the store; return the summary.

    `warn` hears of every skipped row and missing column, `info` how each file's columns were read,
    `tick` of every document done."""
    _, profile = setup(opts.kind, opts.profile, opts.rules)
    ruleset = ruleset_version(opts.profile, opts.rules)
    timely_days = int(profile.settings.get("note_timely_days", 2))
    db = open_db(db_path)
    sources = [source_name(p, opts) for p in paths]
    run_id = db["runs"].insert({"started": now(), "files": json.dumps(sources),
                                "profile": opts.profile, "ruleset": ruleset}).last_pk
    tally = {"malformed": 0, "skipped": 0, "scored": 0, "warn": warn, "tick": tick, "info": info,
             "seen": {}}
    stream = scored(_pending(paths, opts, db, ruleset, max_chars(profile), tally), opts.profile, opts.rules,
                    opts.processes, opts.batch_size)
    documents, findings = [], []
    for report, doc in stream:
        doc.update(kind=report.kind, score=report.score, ruleset=ruleset, run_id=run_id)
        documents.append(doc)
        findings += _findings(doc, report, timely_days)
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
    return {**counts, **summary(db, sources)}


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
