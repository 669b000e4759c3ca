"""Upload an export from the dashboard and watch its progress (scored in a background thread)."""
from __future__ import annotations

import os
import secrets
import tempfile
import threading

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for

from checker.batch import Options, run_batch
from checker.batch.readers import count_lines, file_format
from checker.errors import CasecoachError

from . import bp
from .auth import require_token

JOBS: dict[str, dict] = {}  # per process: job id -> progress; uploads are few and short-lived


def _run(job: dict, path: str, db_path: str, opts: Options) -> None:
    def tick(n: int) -> None:
        job["processed"] += n
    try:
        job["total"] = count_lines(path)
        job["summary"] = run_batch([path], db_path, opts, warn=lambda m: job["warnings"].append(m), tick=tick)
    except (CasecoachError, OSError) as exc:
        job["error"] = str(exc)
    finally:
        job["done"] = True
        os.unlink(path)


@bp.post("/upload")
@require_token
def upload():
    """Accept one CSV/JSONL/XLSX export and start scoring it."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        abort(400)
    try:
        suffix = "." + file_format(sent.filename)
    except CasecoachError:
        abort(400)
    fd, path = tempfile.mkstemp(suffix=".tsv" if sent.filename.lower().endswith(".tsv") else suffix)
    with os.fdopen(fd, "wb") as fh:
        sent.save(fh)
    job_id = secrets.token_hex(8)
    JOBS[job_id] = job = {"processed": 0, "total": None, "done": False, "error": None, "summary": None,
                          "warnings": [], "file": os.path.basename(sent.filename)}
    opts = Options(profile=request.form.get("profile") or current_app.config.get("PROFILE", "default"),
                   store_text=bool(request.form.get("store_text")), commit_every=200)
    db_path = current_app.config.get("DB") or "casecoach.db"
    threading.Thread(target=_run, args=(job, path, db_path, opts), daemon=True).start()
    return redirect(url_for("dashboard.progress", job_id=job_id), code=303)


@bp.get("/upload/<job_id>")
@require_token
def progress(job_id: str):
    """The progress page (it polls the JSON below)."""
    if job_id not in JOBS:
        abort(404)
    return render_template("dashboard/upload.html", job_id=job_id, job=JOBS[job_id])


@bp.get("/upload/<job_id>/status")
@require_token
def progress_json(job_id: str):
    """How far an upload has got: processed, total, done, error, summary, warnings (line numbers only)."""
    if job_id not in JOBS:
        abort(404)
    return jsonify(JOBS[job_id])
