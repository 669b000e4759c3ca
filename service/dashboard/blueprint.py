"""The dashboard's blueprint, which its route modules attach to (templates and static files beside it)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard", template_folder="templates", static_folder="static")
