"""Errors on the JSON API as RFC 9457 application/problem+json documents."""
from __future__ import annotations

import logging
from http import HTTPStatus

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

from checker.errors import (CasecoachError, TextTooLongError, UnknownKindError,
                            UnknownProfileError)

PROBLEM_TYPE = "https://casecoach.invalid/problems/"
log = logging.getLogger("casecoach.service")


class Problem(Exception):
    """An API error with an HTTP status, a short slug and a detail sentence (never the draft)."""

    def __init__(self, status: int, slug: str, detail: str, **extra) -> None:
        super().__init__(detail)
        self.status, self.slug, self.detail, self.extra = status, slug, detail, extra
        self.headers: list[tuple[str, str]] = []


def problem_response(problem: Problem):
    """The Flask response for a Problem."""
    body = {"type": PROBLEM_TYPE + problem.slug, "title": HTTPStatus(problem.status).phrase,
            "status": problem.status, "detail": problem.detail, **problem.extra}
    response = jsonify(body)
    response.status_code = problem.status
    response.mimetype = "application/problem+json"
    response.headers.extend(problem.headers)
    return response


def from_engine(exc: CasecoachError, valid: dict[str, list[str]]) -> Problem:
    """Map an engine error to a Problem: too long is 413, everything else the client sent is 400."""
    if isinstance(exc, TextTooLongError):
        return Problem(413, "text-too-long", str(exc))
    if isinstance(exc, UnknownKindError):
        return Problem(400, "unknown-kind", str(exc), valid=valid["kind"])
    if isinstance(exc, UnknownProfileError):
        return Problem(400, "unknown-profile", str(exc), valid=valid["profile"])
    return Problem(400, "invalid-text", str(exc))


def from_http(exc: HTTPException) -> Problem:
    """Map a werkzeug HTTP error (404, 405, 413 on a huge body…) to a Problem."""
    slug = HTTPStatus(exc.code).phrase.lower().replace(" ", "-")
    detail = exc.description or HTTPStatus(exc.code).description
    problem = Problem(exc.code, slug, detail)
    # Keep what the status needs, e.g. the Allow header of a 405.
    problem.headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    return problem


def is_lt_path(path: str) -> bool:
    """Whether a request path belongs to the LanguageTool-compatible endpoint."""
    return path.startswith("/v2/") or path == "/check"


def lt_error(status: int, message: str) -> Response:
    """An error the way LanguageTool's server sends it: plain text starting with "Error: "."""
    return Response(f"Error: {message}", status=status, mimetype="text/plain")


def init_app(app) -> None:
    """HTTP errors become problem+json under /api/ and LanguageTool plain text under /v2 and /check;
    so does any unexpected error, as a 500 that says nothing of the request."""
    @app.errorhandler(Problem)
    def _problem(problem: Problem):
        return problem_response(problem)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        from flask import request
        if request.path.startswith("/api/"):
            return problem_response(from_http(exc))
        if is_lt_path(request.path):
            response = lt_error(exc.code, exc.description or HTTPStatus(exc.code).phrase)
            response.headers.extend((k, v) for k, v in exc.get_headers() if k.lower() != "content-type")
            return response
        return exc

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        from flask import request
        # The exception's type and the route only: its message or traceback may quote the draft.
        route = request.url_rule.rule if request.url_rule else "-"
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, route)
        detail = "casecoach could not check this request; the error has been logged"
        if request.path.startswith("/api/"):
            return problem_response(Problem(500, "internal-error", detail))
        if is_lt_path(request.path):
            return lt_error(500, detail)
        return Response(f"{HTTPStatus(500).phrase}: {detail}", status=500, mimetype="text/plain")
