"""The JSON API: POST /api/v1/check, GET /api/v1/criteria, GET /api/v1/health, the OpenAPI document."""
from __future__ import annotations

from flask import Blueprint, current_app, request

import checker
from checker.errors import CasecoachError
from checker.rulebook import KINDS

from .openapi import document
from .problems import Problem, from_engine
from .version import package_version

bp = Blueprint("api", __name__, url_prefix="/api/v1")
FIELDS = {"text", "kind", "profile"}


def valid_choices() -> dict[str, list[str]]:
    """The kinds and profiles a request may name."""
    return {"kind": ["auto", *KINDS], "profile": sorted(checker.load_rulebook().profiles)}


def _body() -> dict:
    """The request's JSON object, or a Problem saying what is wrong with it."""
    if not request.is_json:
        raise Problem(415, "unsupported-media-type", "send the draft as application/json: "
                      '{"text": "...", "kind": "auto", "profile": "default"}')
    try:
        body = request.get_json(silent=True)  # silent covers ValueError only
    except RecursionError:
        raise Problem(400, "invalid-json", "the request body is not valid JSON: it is nested too deeply") from None
    if body is None:
        raise Problem(400, "invalid-json", "the request body is not valid JSON")
    if not isinstance(body, dict):
        raise Problem(400, "invalid-json", "the request body must be a JSON object")
    if not isinstance(body.get("text"), str):
        raise Problem(400, "missing-text", 'the field "text" is required and must be a string')
    for name in ("kind", "profile"):
        if name in body and not isinstance(body[name], str):
            raise Problem(400, f"invalid-{name}", f'"{name}" must be a string',
                          valid=valid_choices()[name])
    return body


def run_check(text: str, kind: str, profile: str) -> checker.Report:
    """Check one draft within the configured size limit, turning engine errors into Problems."""
    limit = current_app.config["MAX_CHARS"]
    if len(text) > limit:
        raise Problem(413, "text-too-long", f"the text is {len(text):,} characters; the limit is {limit:,}")
    try:
        return current_app.extensions["casecoach_reports"].report(
            text, kind, profile, lambda: checker.check(text, kind=kind, profile=profile))
    except CasecoachError as exc:
        raise from_engine(exc, valid_choices()) from None


@bp.post("/check")
def check():
    """Check one draft and return the report of DESIGN.md."""
    body = _body()
    profile = body.get("profile", current_app.config["PROFILE"])
    return run_check(body["text"], body.get("kind", "auto"), profile).to_dict()


@bp.get("/criteria")
def criteria():
    """Every criterion with its name, checklist source line, kind and weight."""
    rulebook = checker.load_rulebook()
    return {"criteria": [
        {"id": c.id, "name": c.name, "source": c.source, "kind": c.kind, "weight": c.weight,
         "doc_kind": c.doc_kind} for c in sorted(rulebook.criteria.values(), key=lambda c: c.id)]}


@bp.get("/health")
def health():
    """Liveness: the service is up and its pipeline is loaded."""
    return {"status": "ok", "version": package_version(), "profiles": valid_choices()["profile"]}


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document describing this API."""
    return document(package_version(), current_app.config["MAX_CHARS"], valid_choices()["profile"])
