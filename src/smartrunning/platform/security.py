"""Security headers and safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, request
from flask_login import current_user

from smartrunning.platform.extensions import csrf
from smartrunning.platform.guard import is_public

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "csrf_unless_token",
    "init_app",
    "mark_token_authenticated",
    "refuse_nul_bytes",
    "safe_next",
]

_BY_BEARER = "smartrunning_token_authenticated"

# No inline scripts or styles anywhere: every script and stylesheet is a file of ours.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (no open redirects).

    Accepts only absolute paths such as ``/runners/3``; rejects other hosts, schemes,
    protocol-relative ``//host`` and backslash tricks browsers normalise to ``//``.
    """
    if not target:
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    return target


_FORM_TYPES = frozenset({"application/x-www-form-urlencoded"})


def refuse_nul_bytes() -> None:
    """Refuse (400) a NUL character in the query, a plain form or a JSON body: no text of
    ours holds one, and PostgreSQL cannot store it (the login, token and runner writes
    answered 500 there; SQLite stored it). Multipart bodies (uploads) are not read here,
    so that a refused upload is not parsed first."""
    if any("\x00" in v for values in request.args.listvalues() for v in values):
        abort(400, description="The request contains a NUL character.")
    form = request.form if request.mimetype in _FORM_TYPES else None
    if form and any("\x00" in v for values in form.listvalues() for v in values):
        abort(400, description="The form contains a NUL character.")
    if request.is_json and b"\\u0000" in request.get_data(cache=True):
        abort(400, description="The JSON body contains a NUL character.")


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if response.mimetype == "text/html" or request.path.startswith("/api/"):
        headers.setdefault("Cache-Control", "no-store")
    return response


def has_bearer_token() -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


def mark_token_authenticated() -> None:
    """Record that this request's user came from a valid API token (the login manager's
    request loader calls it), the one case a write needs no CSRF token."""
    setattr(g, _BY_BEARER, True)


def csrf_unless_token() -> None:
    """CSRF on every write except those a valid API token authenticated: a token is no
    cookie a browser sends by itself. A mere ``Authorization: Bearer`` header (a fake
    token beside a session cookie) exempts nothing; one that authenticates no one on a
    protected endpoint is left to the login guard's 401."""
    if request.method in {"GET", "HEAD", "OPTIONS", "TRACE"}:
        return
    authenticated = current_user.is_authenticated  # runs the token loader, if any
    if g.get(_BY_BEARER, False):
        return
    if has_bearer_token() and not authenticated and not is_public(request.endpoint):
        return
    csrf.protect()


def init_app(app: Flask) -> None:
    app.before_request(csrf_unless_token)
    app.after_request(_headers)
