"""Token access: a supervisor sees and writes only their own programs' documents.

A token arrives once in a link (`?token=`), is confirmed by the supervisor on a sign-in page and
then lives in an HttpOnly, SameSite=Strict cookie. Every form POST carries a CSRF token derived from
the sign-in token and must come from this origin; API clients that send `Authorization: Bearer` need
neither (a browser cannot attach that header across sites).
"""
from __future__ import annotations

import hashlib
import hmac
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, render_template, request

from checker.batch.store import StoreError, open_db, token_holder

COOKIE = "casecoach_token"


def store():
    """The store for this request (opened once per request); 503 when none is configured."""
    if "store" not in g:
        path = current_app.config.get("DB")
        if not path:
            abort(503, "no store: start the dashboard with casecoach serve --db casecoach.db")
        try:
            g.store = open_db(path, create=False)
        except StoreError as exc:
            abort(503, str(exc))
    return g.store


def _sent_token() -> tuple[str, bool]:
    """The token this request carries and whether it came as a Bearer header."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip(), True
    return request.cookies.get(COOKIE, ""), False


def csrf_token(token: str) -> str:
    """The form token for a sign-in token: a keyed digest, so a page of another site cannot know it."""
    return hmac.new(token.encode("utf-8"), b"casecoach-csrf", hashlib.sha256).hexdigest()


def _same_origin() -> bool:
    """Whether a browser POST comes from a page of this server (Origin, else Referer; absent is allowed
    only with the CSRF token, which is checked too)."""
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if not source or source == "null":
        return source is None
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.netloc}" == request.host_url.rstrip("/")


def require_token(view):
    """Let the view run only with a known token: g.programs holds what it may see, g.reviewer who
    holds it; a browser POST must also pass the origin and CSRF checks."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method == "GET" and request.args.get("token"):
            # A token in a link signs in only after the supervisor confirms, by a POST from this page.
            return render_template("dashboard/sign_in.html", token=request.args["token"],
                                   next=request.path), 200
        token, bearer = _sent_token()
        holder = token_holder(store(), token)
        if holder is None:
            return render_template("dashboard/signed_out.html", reason="unknown" if token else "none"), 401
        if request.method == "POST" and not bearer:
            sent = request.form.get("csrf", "")
            if not _same_origin() or not hmac.compare_digest(sent, csrf_token(token)):
                abort(403, "this form did not come from a casecoach page; reload the page and send it again")
        g.programs, g.reviewer, g.csrf = holder["programs"], holder["name"], csrf_token(token)
        return view(*args, **kwargs)
    return wrapper


def sign_in():
    """Swap a confirmed link token for the cookie and go where the link pointed."""
    token = request.form.get("token", "")
    if not _same_origin():
        abort(403, "sign in from the casecoach sign-in page")
    if token_holder(store(), token) is None:
        return render_template("dashboard/signed_out.html", reason="unknown"), 401
    target = request.form.get("next", "")
    if not target.startswith("/dashboard/") or "//" in target or "\\" in target:
        target = "/dashboard/"
    response = redirect(target, code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure,
                        path="/dashboard")
    return response


def sign_out():
    """Forget the cookie."""
    if not _same_origin():
        abort(403)
    response = redirect("/dashboard/", code=303)
    response.delete_cookie(COOKIE, path="/dashboard")
    return response


def visible(program: str | None) -> str:
    """The program if this token may see it, else 403."""
    if not program or program not in g.programs:
        abort(403)
    return program


def secure_headers(response):
    """No framing, no sniffing, no caching of case records, and only this server's own resources."""
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on our own forms.
    response.headers["Referrer-Policy"] = "same-origin"
    return response
