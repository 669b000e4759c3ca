"""LanguageTool HTTP API v2, compatible: editors that speak to a LanguageTool server speak to casecoach."""
from __future__ import annotations

import json
from urllib.parse import parse_qsl

from flask import Blueprint, Response, current_app, jsonify, request

import checker
from checker.errors import CasecoachError, EmptyTextError, TextTooLongError

from . import annotated
from .ltfilter import Selection
from .ltmatches import SentenceSpans, Utf16, findings, to_match
from .problems import lt_error
from .version import package_version

bp = Blueprint("languagetool", __name__)
LANGUAGES = [("English", "en", "en"), ("English (US)", "en", "en-US"), ("English (GB)", "en", "en-GB"),
             ("English (Australian)", "en", "en-AU"), ("English (Canadian)", "en", "en-CA"),
             ("English (New Zealand)", "en", "en-NZ"), ("English (South African)", "en", "en-ZA")]


def _params() -> dict[str, str]:
    """Query and body parameters; the body is read as form data whatever its declared content type."""
    params = dict(request.args)
    if request.method == "POST":
        if request.mimetype == "multipart/form-data":
            params.update(request.form)
        else:
            # LTeX and others label a form-encoded body application/json; read what is really there.
            body = request.get_data(as_text=True)
            params.update(_json_object(body) if body.lstrip().startswith("{") else dict(parse_qsl(body, keep_blank_values=True)))
    return params


def _json_object(body: str) -> dict[str, str]:
    try:
        data = json.loads(body)
        return {k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except json.JSONDecodeError:
        return {}
    except RecursionError:  # not a JSONDecodeError: "[" x 100,000 exhausts the parser's stack
        raise NestedTooDeeply(f"the request body is not valid JSON: {NESTED}") from None


NESTED = "it is nested too deeply"


class NestedTooDeeply(ValueError):
    """A JSON body nested deeper than the parser can follow."""


def _language(code: str) -> str | None:
    """The long code to report for a requested language, or None when casecoach cannot check it."""
    if code in ("", "auto"):
        return "en-US"
    lowered = code.lower()
    if lowered == "en":
        return "en"
    if lowered.startswith("en-"):
        return code
    return None


def _software() -> dict:
    return {"name": "casecoach", "version": package_version(), "buildDate": None, "apiVersion": 1,
            "premium": False, "premiumHint": None, "status": ""}


@bp.route("/v2/check", methods=["GET", "POST"])
@bp.route("/check", methods=["GET", "POST"])
def check():
    """Check `text` or annotated `data` and return LanguageTool matches."""
    try:
        params = _params()
    except NestedTooDeeply as exc:
        return lt_error(400, str(exc))
    language = _language(params.get("language", "auto"))
    if language is None:
        return lt_error(400, f"casecoach checks English only; '{params['language']}' is not supported "
                             "(use 'auto', 'en' or 'en-US')")
    try:
        ann = annotated.parse(params["data"]) if "data" in params else annotated.plain(params["text"])
    except KeyError:
        return lt_error(400, "Missing 'text' or 'data' parameter")
    except ValueError as exc:
        return lt_error(400, str(exc))
    except RecursionError:
        return lt_error(400, f"'data' is not valid JSON: {NESTED}")
    limit = current_app.config["MAX_CHARS"]
    if len(ann.plain) > limit:
        return lt_error(413, f"Your text exceeds the limit of {limit} characters "
                             f"(it's {len(ann.plain)} characters). Please submit a shorter text.")
    matches = []
    try:
        matches = _matches(ann, params, language)
    except EmptyTextError:
        pass  # LanguageTool answers an empty text with no matches
    except TextTooLongError as exc:
        return lt_error(413, str(exc))
    except CasecoachError as exc:
        return lt_error(400, str(exc))
    name = next((n for n, _, long in LANGUAGES if long.lower() == language.lower()), "English")
    return jsonify({
        "software": _software(), "warnings": {"incompleteResults": False},
        "language": {"name": name, "code": language,
                     "detectedLanguage": {"name": name, "code": language, "confidence": 1.0}},
        "matches": matches})


def _matches(ann: annotated.Annotated, params: dict, language: str) -> list[dict]:
    profile = params.get("profile") or current_app.config["PROFILE"]
    kind = params.get("kind") or "auto"
    report = current_app.extensions["casecoach_reports"].report(
        ann.plain, kind, profile, lambda: checker.check(ann.plain, kind=kind, profile=profile))
    rulebook = checker.load_rulebook()
    selection = Selection.from_params(params)
    spans, u16 = SentenceSpans(ann.plain), Utf16(ann.original)
    return [to_match(f, ann, report.kind, rulebook, spans, u16)
            for f in findings(report, ann.plain, rulebook, spans) if selection.keeps(f, rulebook)]


@bp.get("/v2/languages")
def languages():
    """The languages casecoach checks, in LanguageTool's format."""
    return jsonify([{"name": n, "code": c, "longCode": long} for n, c, long in LANGUAGES])


@bp.get("/v2/info")
def info():
    """Which server this is, for clients that ask."""
    return jsonify({"software": _software(), "maxTextLength": current_app.config["MAX_CHARS"]})


@bp.get("/v2/healthcheck")
def healthcheck():
    """LanguageTool's health check: plain "OK"."""
    return Response("OK", mimetype="text/plain")
