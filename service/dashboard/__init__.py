"""The supervisor dashboard (a Flask blueprint): program views, drill-down, reviews, uploads, reports.

Register it with: app.register_blueprint(service.dashboard.bp)   (mounted at /dashboard)
The store is app.config["DB"] (env CASECOACH_DB), default casecoach.db.
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates")

from . import upload, views  # noqa: E402,F401  (routes attach to bp)
