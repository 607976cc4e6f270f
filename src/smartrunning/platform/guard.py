"""Login is required everywhere unless a view is marked public.

Secure by default: a new endpoint that forgets to ask for login is still protected.
Users whose password must change are held on the password page until they do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from smartrunning.platform.error_pages import (
    api_error,
    wants_json,
)

__all__ = ["init_app", "is_public", "public", "public_endpoint"]

F = TypeVar("F", bound=Callable[..., object])

_PUBLIC_ATTR = "_smartrunning_public"
_PUBLIC_ENDPOINTS = "smartrunning.public_endpoints"
# Reachable while a password change is pending.
_ALLOWED_BEFORE_CHANGE = frozenset({"auth.change_password", "auth.logout", "static"})


def public(view: F) -> F:
    """Mark a view as reachable without logging in."""
    setattr(view, _PUBLIC_ATTR, True)
    return view


def public_endpoint(app: Flask, endpoint: str) -> None:
    """Mark an endpoint registered by a library (e.g. the OpenAPI document) as public."""
    app.extensions.setdefault(_PUBLIC_ENDPOINTS, set()).add(endpoint)


def is_public(endpoint: str | None) -> bool:
    if endpoint is None:
        return True  # no route matched: let the 404 handler answer
    if endpoint == "static" or endpoint in current_app.extensions.get(_PUBLIC_ENDPOINTS, ()):
        return True
    view = current_app.view_functions.get(endpoint)
    return bool(getattr(view, _PUBLIC_ATTR, False))


def _guard() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if is_public(endpoint):
        return None
    if not current_user.is_authenticated:
        if wants_json():
            return api_error(401, "unauthorized", "Log in or send an API token.")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if current_user.must_change_password and endpoint not in _ALLOWED_BEFORE_CHANGE:
        if wants_json():
            return api_error(
                403, "password_change_required", "Change your password before using the API."
            )
        return redirect(url_for("auth.change_password"))
    return None


def init_app(app: Flask) -> None:
    app.before_request(_guard)
