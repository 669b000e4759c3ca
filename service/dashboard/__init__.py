"""The supervisor dashboard (a Flask blueprint): program views, drill-down, reviews, uploads, reports.

Register it with: app.register_blueprint(service.dashboard.bp)   (mounted at /dashboard)
The store is app.config["DB"], set by `casecoach serve --db FILE`; without one the dashboard says so (503).
"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates", static_folder="static")

from . import upload, views  # noqa: E402,F401  (routes attach to bp)
