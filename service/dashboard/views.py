"""Dashboard pages: programs, a program's heat-map and trend, a worker, a document and its findings."""
from __future__ import annotations

import io
from urllib.parse import quote

from flask import Response, abort, g, redirect, render_template, request, url_for

from checker.speak.coaching_report import criterion_names, export_csv, render_report
from checker.batch.store import add_review

from . import queries
from .blueprint import bp
from .auth import require_token, secure_headers, sign_in, sign_out, store, visible
from .charts import heat_class, trend_svg

bp.after_request(secure_headers)
bp.post("/sign-in")(sign_in)
bp.post("/sign-out")(sign_out)


@bp.teardown_app_request
def _close(_exc) -> None:
    db = g.pop("store", None)
    if db is not None:
        db.conn.close()


def criterion_groups(criteria: list[str]) -> list[tuple[str, list[str]]]:
    """The heat-map's columns, goal criteria and note criteria apart (plan timing with the goals)."""
    goals = [c for c in criteria if not c.startswith("note.")]
    notes = [c for c in criteria if c.startswith("note.")]
    return [(title, group) for title, group in (("Goals and plans", goals), ("Progress notes", notes)) if group]


@bp.get("/")
@require_token
def home():
    """The programs this token may see, and the upload form."""
    return render_template("dashboard/home.html", programs=queries.programs_overview(store(), g.programs))


@bp.get("/program/<program>")
@require_token
def program(program: str):
    """One program: met rate per worker x criterion, weekly trend, most missed, agreement rates."""
    visible(program)
    db = store()
    workers, criteria, cells = queries.heatmap(db, program)
    return render_template("dashboard/program.html", program=program, workers=workers,
                           groups=criterion_groups(criteria), cells=cells, heat=heat_class, names=criterion_names()[0],
                           trend=trend_svg(queries.weekly_scores(db, program)),
                           missed=queries.most_missed(db, program), agreement=queries.agreement(db, [program]))


@bp.get("/program/<program>/worker/<path:worker>")
@require_token
def worker(program: str, worker: str):
    """One worker's documents in a program, with their own trend."""
    visible(program)
    db = store()
    docs = [d for d in queries.worker_documents(db, worker, [program])]
    return render_template("dashboard/worker.html", program=program, worker=worker, documents=docs,
                           trend=trend_svg(queries.weekly_scores(db, program, worker)))


@bp.get("/document/<path:doc_id>")
@require_token
def document(doc_id: str):
    """One document's findings, each with agree / disagree."""
    doc = queries.document(store(), doc_id, g.programs)
    if doc is None:
        abort(404)
    return render_template("dashboard/document.html", doc=doc, names=criterion_names()[0])


@bp.post("/document/<path:doc_id>/review")
@require_token
def review(doc_id: str):
    """Store a supervisor's agree / disagree (and comment) on one finding."""
    doc = queries.document(store(), doc_id, g.programs)
    verdict, criterion = request.form.get("verdict"), request.form.get("criterion")
    if doc is None:
        abort(404)
    if verdict not in ("agree", "disagree") or criterion not in {f["criterion"] for f in doc["findings"]}:
        abort(400)
    # The reviewer is who holds the token, never what the form says.
    add_review(store(), doc_id, criterion, verdict, request.form.get("comment", "")[:2000], reviewer=g.reviewer)
    return redirect(url_for("dashboard.document", doc_id=doc_id) + f"#{criterion}", code=303)


@bp.get("/program/<program>/worker/<path:worker>/report")
@require_token
def report(program: str, worker: str):
    """The printable coaching report for one worker in one program."""
    html = render_report(store(), worker, visible(program))
    if html is None:
        abort(404)
    response = Response(html, mimetype="text/html")
    # The printable report is one self-contained file with its own <style> and no scripts.
    response.headers["Content-Security-Policy"] = ("default-src 'none'; style-src 'unsafe-inline'; "
                                                   "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
    return response


@bp.get("/program/<program>/export.csv")
@require_token
def export(program: str):
    """Documents and findings of one program (optionally one worker) as CSV."""
    buffer = io.StringIO()
    export_csv(store(), buffer, worker=request.args.get("worker") or None, programs=[visible(program)])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": attachment(f"{program}-findings.csv")})


def attachment(filename: str) -> str:
    """A Content-Disposition for any file name: an ASCII fallback plus the UTF-8 name (RFC 6266)."""
    fallback = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
