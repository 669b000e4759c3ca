"""The dashboard's read queries over the store, each limited to the programs a token may see."""
from __future__ import annotations

import json


def _in(values: list[str]) -> str:
    return ",".join("?" * len(values)) or "NULL"


def programs_overview(db, programs: list[str]) -> list[dict]:
    """Per visible program: documents, workers, mean score."""
    rows = db.execute(f"select program, count(*), count(distinct worker), avg(score) from documents "
                      f"where program in ({_in(programs)}) group by program order by program", programs)
    return [{"program": p, "documents": n, "workers": w, "mean": s} for p, n, w, s in rows]


def heatmap(db, program: str) -> tuple[list[str], list[str], dict]:
    """Workers, criteria and {(worker, criterion): (met rate, judged)} for one program ('ask' left out;
    partial counts half), from the store's criterion_stats."""
    rows = db.execute("select worker, criterion, (met + 0.5 * partial) / judged, judged from criterion_stats "
                      "where program = ?", [program]).fetchall()
    workers = sorted({r[0] or "(none)" for r in rows})
    criteria = sorted({r[1] for r in rows})
    return workers, criteria, {(r[0] or "(none)", r[1]): (r[2], r[3]) for r in rows}


def weekly_scores(db, program: str, worker: str | None = None) -> list[tuple[str, float, int]]:
    """(ISO-ish week 'YYYY-WW', mean score, documents) for dated documents, oldest first."""
    extra, args = ("and worker = ?", [program, worker]) if worker else ("", [program])
    return db.execute(f"select strftime('%Y-%W', date) wk, avg(score), count(*) from documents "
                      f"where program = ? {extra} and date is not null group by wk order by wk", args).fetchall()


def most_missed(db, program: str, limit: int = 5) -> list[tuple[str, int, int]]:
    """(criterion, missing, judged) for the criteria most often missing in a program."""
    return db.execute(
        "select criterion, sum(missing) m, sum(judged) from criterion_stats where program = ? "
        "group by criterion order by m desc, criterion limit ?", [program, limit]).fetchall()


def agreement(db, programs: list[str]) -> list[tuple[str, int, int]]:
    """(criterion, agree, reviews): how often supervisors agreed with the tool, per criterion."""
    return db.execute(
        f"select r.criterion, sum(r.verdict = 'agree'), count(*) from reviews r join documents d "
        f"on d.id = r.document_id where d.program in ({_in(programs)}) group by r.criterion "
        f"order by r.criterion", programs).fetchall()


def worker_documents(db, worker: str, programs: list[str], limit: int = 500) -> list[dict]:
    """A worker's documents in the visible programs, newest first."""
    rows = db.execute(f"select id, program, client, date, kind, score from documents where worker = ? and "
                      f"program in ({_in(programs)}) order by date desc, id limit ?", [worker, *programs, limit])
    keys = ("id", "program", "client", "date", "kind", "score")
    return [dict(zip(keys, r)) for r in rows]


def document(db, doc_id: str, programs: list[str]) -> dict | None:
    """One visible document with its findings and their reviews (None if not visible)."""
    rows = list(db["documents"].rows_where(f"id = ? and program in ({_in(programs)})", [doc_id, *programs]))
    if not rows:
        return None
    doc = rows[0]
    doc["findings"] = list(db["findings"].rows_where("document_id = ?", [doc_id], order_by="criterion"))
    reviews = db["reviews"].rows_where("document_id = ?", [doc_id], order_by="id")
    by_criterion: dict[str, list] = {}
    for review in reviews:
        by_criterion.setdefault(review["criterion"], []).append(review)
    for finding in doc["findings"]:
        finding["reviews"] = by_criterion.get(finding["criterion"], [])
        finding["quotes"] = [e["text"] for e in _evidence(finding.get("evidence")) if e.get("text")]
    return doc


def _evidence(value: str | None) -> list[dict]:
    """A finding's stored evidence list (an old or damaged cell reads as none)."""
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return []
    return [e for e in items if isinstance(e, dict)] if isinstance(items, list) else []
