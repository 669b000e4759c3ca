"""The supervisor dashboard (a Flask blueprint): program views, drill-down, reviews, uploads, reports.

Register it with: app.register_blueprint(service.dashboard.bp)   (mounted at /dashboard)
The store is app.config["DB"], set by `casecoach serve --db FILE`; without one the dashboard says so (503).
"""
from __future__ import annotations

from . import upload, views  # noqa: F401  (their routes attach to bp)
from .blueprint import bp  # noqa: F401
