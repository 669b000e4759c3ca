"""The OpenAPI 3.1 document of the JSON API, kept true by tests/test_service_openapi.py."""
from __future__ import annotations

from checker.engine import BLANK_CHARS
from checker.rulebook import KINDS

STR = {"type": "string"}
NUM = {"type": "number"}


def _obj(props: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": props, "required": required or list(props), **extra}


EVIDENCE = _obj({"start": {"type": "integer"}, "end": {"type": "integer"}, "text": STR, "label": STR})
CRITERION = _obj({"id": STR, "name": STR,
                  "status": {"type": "string", "enum": ["met", "partial", "missing", "ask"]},
                  "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
                  "message": STR, "suggestion": {"type": ["string", "null"]}})
ISSUE = _obj({"rule": STR, "start": {"type": "integer"}, "end": {"type": "integer"}, "text": STR,
              "severity": STR, "message": STR, "replacements": {"type": "array", "items": STR}})
FEEDBACK = _obj({"praise": STR, "improvements": {"type": "array", "items": STR}, "question": STR})
REPORT = _obj({"kind": {"type": "string", "enum": list(KINDS)}, "kind_detected": {"type": "boolean"},
               "profile": STR, "score": {**NUM, "minimum": 0, "maximum": 1},
               "criteria": {"type": "array", "items": {"$ref": "#/components/schemas/CriterionResult"}},
               "issues": {"type": "array", "items": {"$ref": "#/components/schemas/Issue"}},
               "feedback": {"$ref": "#/components/schemas/Feedback"},
               # A plan's goals, each a report of its own with offsets into the plan (kind plan only).
               "parts": {"type": "array", "items": {"$ref": "#/components/schemas/Report"}}},
              ["kind", "kind_detected", "profile", "score", "criteria", "issues", "feedback"])
PROBLEM = _obj({"type": STR, "title": STR, "status": {"type": "integer"}, "detail": STR,
                "valid": {"type": "array", "items": STR}}, ["type", "title", "status", "detail"])
CRITERIA = _obj({"criteria": {"type": "array", "items": _obj(
    {"id": STR, "name": STR, "source": STR, "kind": {"type": "string", "enum": ["require", "avoid", "ask"]},
     "weight": NUM, "doc_kind": STR})}})
HEALTH = _obj({"status": {"type": "string", "const": "ok"}, "version": STR,
               "profiles": {"type": "array", "items": STR}})


# Spelled out rather than \s, whose meaning differs between Python and ECMAScript regular expressions.
_NOT_BLANK = "[^" + "".join(f"\\u{ord(ch):04x}" for ch in "\x00" + BLANK_CHARS) + "]"
TEXT_PATTERN = f"^[^\\u0000]*{_NOT_BLANK}[^\\u0000]*$"


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def _problem(description: str) -> dict:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _get(summary: str, ref: str) -> dict:
    return {"get": {"summary": summary, "operationId": ref.lower(),
                    "responses": {"200": {"description": "OK", "content": _json(ref)}}}}


def document(version: str, max_chars: int, profiles: list[str]) -> dict:
    """The OpenAPI document for this server's version and text limit."""
    request = _obj({
        "text": {"type": "string", "minLength": 1, "maxLength": max_chars, "pattern": TEXT_PATTERN,
                 "description": "The draft: a service-plan goal or a progress note (no NUL characters)."},
        "kind": {"type": "string", "enum": ["auto", *KINDS], "default": "auto"},
        "profile": {"type": "string", "enum": profiles, "default": "default",
                    "description": "An agency profile (rules/profiles)."}},
        ["text"])
    check = {"post": {
        "summary": "Check one draft and return its coaching report", "operationId": "check",
        "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
        "responses": {"200": {"description": "The report", "content": _json("Report")},
                      "400": _problem("Bad JSON, empty text, unknown kind or profile"),
                      "413": _problem("The text or the body is over the limit"),
                      "415": _problem("The body is not application/json")}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "casecoach", "version": version,
                 "description": "Coaching feedback on service-plan goals and progress notes."},
        "paths": {"/api/v1/check": check,
                  "/api/v1/criteria": _get("Every criterion the rulebook knows", "Criteria"),
                  "/api/v1/health": _get("Liveness and version", "Health")},
        "components": {"schemas": {"Evidence": EVIDENCE, "CriterionResult": CRITERION, "Issue": ISSUE,
                                   "Feedback": FEEDBACK, "Report": REPORT, "Problem": PROBLEM,
                                   "Criteria": CRITERIA, "Health": HEALTH}},
    }


LT_MATCH = _obj({"message": STR, "shortMessage": STR, "offset": {"type": "integer", "minimum": 0},
                 "length": {"type": "integer", "minimum": 0},
                 "replacements": {"type": "array", "items": _obj({"value": STR})},
                 "context": _obj({"text": STR, "offset": {"type": "integer"}, "length": {"type": "integer"}}),
                 "sentence": STR, "rule": _obj({"id": STR, "description": STR}, ["id", "description"])},
                ["message", "offset", "length", "replacements", "context", "rule"])
LT_CHECK = _obj({"software": _obj({"name": STR}, ["name"]), "language": _obj({"code": STR}, ["code"]),
                 "matches": {"type": "array", "items": LT_MATCH}}, ["software", "language", "matches"])


def languagetool_document(version: str, max_chars: int) -> dict:
    """The OpenAPI description of the LanguageTool-compatible endpoint (LanguageTool's own HTTP API v2,
    as far as casecoach answers it); errors are LanguageTool's plain text, "Error: …"."""
    params = {"text": {"type": "string", "maxLength": max_chars},
              "data": {"type": "string", "description": "Annotated text as LanguageTool's JSON {annotation: [...]}"},
              "language": {"type": "string", "examples": ["auto", "en-US", "de-DE"]},
              "enabledRules": STR, "disabledRules": STR, "enabledCategories": STR, "disabledCategories": STR,
              # As LanguageTool does, anything but "true" / "picky" means the default.
              "enabledOnly": {"type": "string", "examples": ["true", "false"]},
              "level": {"type": "string", "examples": ["default", "picky"]}, "kind": STR, "profile": STR}
    error = {"content": {"text/plain": {"schema": {"type": "string", "pattern": "^Error: "}}}}
    responses = {"200": {"description": "The matches", "content": {"application/json": {"schema": LT_CHECK}}},
                 "400": {"description": "Missing text, bad annotation or an unsupported language", **error},
                 "413": {"description": "The text is over the limit", **error}}
    check = {"post": {"summary": "Check a text, LanguageTool style", "operationId": "ltCheck",
                      "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                          "schema": {"type": "object", "properties": params}}}}, "responses": responses},
             "get": {"summary": "Check a text given in the query", "operationId": "ltCheckGet",
                     "parameters": [{"name": name, "in": "query", "schema": schema}
                                    for name, schema in params.items()], "responses": responses}}
    plain = {"get": {"summary": "LanguageTool's health check", "operationId": "ltHealth",
                     "responses": {"200": {"description": "OK", "content": {"text/plain": {"schema": STR}}}}}}
    listing = {"get": {"summary": "The languages casecoach checks", "operationId": "ltLanguages",
                       "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                           "type": "array", "items": _obj({"name": STR, "code": STR, "longCode": STR})}}}}}}}
    return {"openapi": "3.1.0", "info": {"title": "casecoach (LanguageTool-compatible)", "version": version},
            "paths": {"/v2/check": check, "/v2/languages": listing, "/v2/healthcheck": plain}}
