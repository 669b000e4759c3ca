"""CORS, off by default: only origins listed in CORS_ORIGINS may call the service from a browser page."""
from __future__ import annotations

from flask import Flask, request

ALLOW_HEADERS = "Content-Type, Accept, Authorization"


def allowed_origin(origins: list[str] | str, origin: str | None) -> str | None:
    """The Access-Control-Allow-Origin value for this request's Origin, or None to send none."""
    if isinstance(origins, str):
        origins = [o.strip() for o in origins.split(",") if o.strip()]
    if not origin or not origins:
        return None
    if "*" in origins:
        return "*"
    return origin if origin in origins else None


def init_app(app: Flask) -> None:
    """Answer preflight requests and add the CORS headers for configured origins."""
    @app.before_request
    def _preflight():
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            response = app.make_default_options_response()
            return _headers(response)
        return None

    @app.after_request
    def _headers(response):
        value = allowed_origin(app.config["CORS_ORIGINS"], request.headers.get("Origin"))
        if value:
            response.headers["Access-Control-Allow-Origin"] = value
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = ALLOW_HEADERS
            response.headers["Access-Control-Max-Age"] = "600"
            response.vary.add("Origin")
        return response
