"""Upload an export from the dashboard and watch its progress (scored in a background thread).

A job's progress lives in the store's upload_jobs table, so any server process answers a poll, and
only the token that started a job may read it. At most UPLOADS_AT_ONCE uploads are scored at a
time (across processes); an upload may be at most UPLOAD_MAX_BYTES.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone

from flask import abort, current_app, g, jsonify, redirect, render_template, request, url_for

from checker.batch import Options, run_batch
from checker.batch.readers import count_lines, file_format
from checker.errors import CasecoachError
from checker.batch.store import now, open_db

from .blueprint import bp
from .auth import require_token, store

log = logging.getLogger("casecoach.service")
STALE_AFTER = timedelta(minutes=10)  # a job not updated for this long died with its process
WRITE_EVERY = 0.5  # seconds between progress writes


class _Progress:
    """Writes one job's progress to the store from the scoring thread, at most every WRITE_EVERY s."""

    def __init__(self, db_path: str, job_id: str) -> None:
        self.db, self.job_id = open_db(db_path), job_id
        self.processed, self.warnings, self.last = 0, [], 0.0

    def update(self, force: bool = False, **values) -> None:
        if force or values or time.monotonic() - self.last >= WRITE_EVERY:
            self.last = time.monotonic()
            self.db["upload_jobs"].update(self.job_id, {"processed": self.processed, "updated": now(),
                                                        "warnings": json.dumps(self.warnings[:200]), **values})

    def tick(self, n: int) -> None:
        self.processed += n
        self.update()


def _run(job_id: str, path: str, db_path: str, opts: Options) -> None:
    progress = _Progress(db_path, job_id)
    values: dict = {}
    try:
        progress.update(total=count_lines(path))
        summary = run_batch([path], db_path, opts, warn=progress.warnings.append, tick=progress.tick)
        values["summary"] = json.dumps(summary)
    except (CasecoachError, OSError) as exc:
        values["error"] = str(exc).replace(path, opts.names.get(path, "the upload"))
    except Exception as exc:  # noqa: BLE001  (the job must end with a reason, never hang as "running")
        log.error("upload job %s failed: %s", job_id, exc.__class__.__name__)
        values["error"] = f"the upload could not be scored ({exc.__class__.__name__}); nothing after the last saved batch was stored"
    finally:
        progress.update(force=True, done=1, **values)
        progress.db.conn.close()
        os.unlink(path)


def _running(db) -> int:
    """Uploads being scored now (by any process), stale ones left out."""
    since = (datetime.now(timezone.utc) - STALE_AFTER).isoformat(timespec="seconds")
    return db.execute("select count(*) from upload_jobs where done = 0 and updated >= ?", [since]).fetchone()[0]


@bp.before_request
def _upload_limit() -> None:
    """An export may be far larger than one draft: the upload route has its own request limit
    (set before anything, the CSRF check included, reads the body)."""
    if request.endpoint == "dashboard.upload":
        request.max_content_length = current_app.config["UPLOAD_MAX_BYTES"]


@bp.post("/upload")
@require_token
def upload():
    """Accept one CSV/JSONL/XLSX export and start scoring it into the token's programs."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        abort(400, "choose a CSV, JSONL or Excel file to upload")
    name = os.path.basename(sent.filename.replace("\\", "/"))[:200]
    try:
        suffix = "." + file_format(name)
    except CasecoachError as exc:
        abort(400, str(exc))
    db = store()
    if _running(db) >= current_app.config["UPLOADS_AT_ONCE"]:
        response = current_app.make_response(("Other uploads are being scored; try again in a minute.", 429))
        response.headers["Retry-After"] = "60"
        return response
    fd, path = tempfile.mkstemp(suffix=".tsv" if name.lower().endswith(".tsv") else suffix)
    with os.fdopen(fd, "wb") as fh:
        sent.save(fh)
    job_id = secrets.token_hex(16)
    db["upload_jobs"].insert({"id": job_id, "owner": g.reviewer, "file": name, "processed": 0, "total": None,
                              "done": 0, "error": None, "summary": None, "warnings": "[]", "created": now(),
                              "updated": now()})
    opts = Options(profile=current_app.config.get("PROFILE", "default"), store_text=bool(request.form.get("store_text")),
                   commit_every=200, programs=list(g.programs), names={path: name})
    threading.Thread(target=_run, args=(job_id, path, current_app.config["DB"], opts), daemon=True).start()
    return redirect(url_for("dashboard.progress", job_id=job_id), code=303)


def _job(job_id: str) -> dict:
    """The job if this token started it, else 404 (another's job is not even said to exist)."""
    rows = list(store()["upload_jobs"].rows_where("id = ? and owner = ?", [job_id, g.reviewer]))
    if not rows:
        abort(404)
    job = rows[0]
    return {"processed": job["processed"], "total": job["total"], "done": bool(job["done"]),
            "error": job["error"], "summary": json.loads(job["summary"]) if job["summary"] else None,
            "warnings": json.loads(job["warnings"] or "[]"), "file": job["file"]}


@bp.get("/upload/<job_id>")
@require_token
def progress(job_id: str):
    """The progress page (it polls the JSON below)."""
    return render_template("dashboard/upload.html", job_id=job_id, job=_job(job_id))


@bp.get("/upload/<job_id>/status")
@require_token
def progress_json(job_id: str):
    """How far an upload has got: processed, total, done, error, summary, warnings (line numbers only)."""
    return jsonify(_job(job_id))
