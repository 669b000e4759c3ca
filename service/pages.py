"""The caseworker page: paste a draft, see the checklist and highlights while typing."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

import checker

bp = Blueprint("pages", __name__, static_folder="static", static_url_path="/static/casecoach")


@bp.get("/")
def index():
    """The single caseworker page; everything it needs is served from this package."""
    profiles = sorted(checker.load_rulebook().profiles)
    return render_template("index.html", profiles=profiles, default_profile=current_app.config["PROFILE"],
                           max_chars=current_app.config["MAX_CHARS"])
