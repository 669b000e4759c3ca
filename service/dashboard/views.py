"""Dashboard pages: programs, a program's heat-map and trend, a worker, a document and its findings."""
from __future__ import annotations

import io

from flask import Response, abort, g, redirect, render_template, request, url_for

from checker.coaching_report import criterion_names, export_csv, render_report
from checker.store import add_review

from . import bp, queries
from .auth import require_token, store, visible
from .charts import heat_colour, trend_svg


@bp.teardown_app_request
def _close(_exc) -> None:
    db = g.pop("store", None)
    if db is not None:
        db.conn.close()


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
    return render_template("dashboard/program.html", program=program, workers=workers, criteria=criteria,
                           cells=cells, colour=heat_colour, names=criterion_names()[0],
                           trend=trend_svg(queries.weekly_scores(db, program)),
                           missed=queries.most_missed(db, program), agreement=queries.agreement(db, [program]))


@bp.get("/program/<program>/worker/<worker>")
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
    add_review(store(), doc_id, criterion, verdict, request.form.get("comment", "")[:2000],
               reviewer=request.form.get("reviewer", "")[:200])
    return redirect(url_for("dashboard.document", doc_id=doc_id) + f"#{criterion}", code=303)


@bp.get("/program/<program>/worker/<worker>/report")
@require_token
def report(program: str, worker: str):
    """The printable coaching report for one worker in one program."""
    html = render_report(store(), worker, visible(program))
    if html is None:
        abort(404)
    return Response(html, mimetype="text/html")


@bp.get("/program/<program>/export.csv")
@require_token
def export(program: str):
    """Documents and findings of one program (optionally one worker) as CSV."""
    buffer = io.StringIO()
    export_csv(store(), buffer, worker=request.args.get("worker") or None, programs=[visible(program)])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={program}-findings.csv"})
