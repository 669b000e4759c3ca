"""Token access: a supervisor sees only their own programs' documents."""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, g, redirect, request, url_for

from checker.store import open_db, token_programs

COOKIE = "casecoach_token"


def store():
    """The store for this request (opened once per request)."""
    if "store" not in g:
        g.store = open_db(current_app.config.get("DB") or "casecoach.db")
    return g.store


def _token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip()
    return request.cookies.get(COOKIE)


def require_token(view):
    """Let the view run only with a known token; g.programs holds what it may see."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = request.args.get("token")
        if token and token_programs(store(), token) is not None:
            # A token in the link is swapped for a cookie at once, so it leaves the address bar.
            response = redirect(url_for(request.endpoint, **(request.view_args or {})))
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict")
            return response
        programs = token_programs(store(), _token() or "")
        if programs is None:
            abort(401)
        g.programs = programs
        return view(*args, **kwargs)
    return wrapper


def visible(program: str | None) -> str:
    """The program if this token may see it, else 403."""
    if not program or program not in g.programs:
        abort(403)
    return program
