"""casecoach's web service: the caseworker page, the JSON API and a LanguageTool-compatible endpoint."""
from __future__ import annotations

import logging
import time

from flask import Flask, g, request

import checker
from checker.engine import max_chars
from checker.errors import UnknownProfileError

log = logging.getLogger("casecoach.service")


def create_app(config: dict | None = None) -> Flask:
    """Build the Flask app; the spaCy pipeline is built here, once per process, not per request."""
    app = Flask(__name__)
    app.config.from_mapping(
        PROFILE="default",          # the profile used when a request names none
        CORS_ORIGINS=[],            # origins allowed to call the API from a browser; "*" allows all
        MAX_CONTENT_LENGTH=None,    # set below from the text limit unless configured
        DB=None,                    # the supervisors' store (casecoach serve --db); no store, no dashboard data
        UPLOAD_MAX_BYTES=64 * 1024 * 1024,  # one dashboard upload (exports run to many thousands of rows)
        UPLOADS_AT_ONCE=2,          # uploads scored at the same time, across all server processes
        REPORT_CACHE_SIZE=256,      # reports kept for resent unchanged drafts, per process; 0 keeps none
    )
    app.config.from_prefixed_env("CASECOACH")
    if config:
        app.config.update(config)
    rulebook = checker.load_rulebook()
    if app.config["PROFILE"] not in rulebook.profiles:
        raise UnknownProfileError(f"unknown profile '{app.config['PROFILE']}'; "
                                  f"choose one of: {', '.join(sorted(rulebook.profiles))}")
    limit = max_chars(rulebook.profiles[app.config["PROFILE"]])
    app.config["MAX_CHARS"] = app.config.get("MAX_CHARS") or limit
    if not app.config["MAX_CONTENT_LENGTH"]:
        # UTF-8 is at most 4 bytes a character, form encoding up to 3x that; plus room for options.
        app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_CHARS"] * 12 + 64_000
    _warm_up(app.config["PROFILE"])
    from .report_cache import ReportCache
    app.extensions["casecoach_reports"] = ReportCache(int(app.config["REPORT_CACHE_SIZE"]))

    from . import api, cors, languagetool, pages, problems
    app.register_blueprint(api.bp)
    app.register_blueprint(languagetool.bp)
    app.register_blueprint(pages.bp)
    _register_dashboard(app)
    cors.init_app(app)
    problems.init_app(app)
    _access_log(app)
    return app


def _warm_up(profile: str) -> None:
    """Check the shipped sample goal and note once, so the first requests (in every worker process
    forked after this) find the models loaded and the matchers' per-word caches filled."""
    from checker.resources import sample_drafts
    for text in sample_drafts().values():
        checker.check(text, profile=profile)


def _register_dashboard(app: Flask) -> None:
    """Mount the supervisor dashboard when its blueprint is installed."""
    import importlib.util
    if importlib.util.find_spec(f"{__name__}.dashboard") is None:
        return
    from .dashboard import bp  # present but broken should fail loudly, not vanish
    app.register_blueprint(bp)


def _access_log(app: Flask) -> None:
    """One line per request: method, route, status, size and time; never the query string or body."""
    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _log(response):
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        # The route pattern, not the path: an unmatched path could carry anything a client typed.
        route = request.url_rule.rule if request.url_rule else "-"
        log.info("%s %s %s %sB %.1fms", request.method, route, response.status_code,
                 request.content_length or 0, elapsed)
        return response
