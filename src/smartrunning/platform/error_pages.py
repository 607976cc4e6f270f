"""Error answers: HTML pages for people, one JSON shape for the API.

API errors are always ``{"error": {"code": str, "message": str, "details": object}}``.
HTTP errors (``abort``) and the services' own errors (``platform.errors``) are both
answered here, the latter after rolling back the request's transaction.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, default_exceptions

from smartrunning.platform.db import db
from smartrunning.platform.errors import ServiceError

__all__ = ["api_error", "handle_service_error", "init_app", "wants_json"]

_MESSAGES = {
    400: "The request could not be understood.",
    401: "Log in to continue.",
    403: "You do not have access to this page.",
    404: "There is nothing here.",
    405: "That method is not allowed here.",
    413: "The upload is too large.",
    429: "Too many attempts. Wait a few minutes and try again.",
    500: "Something went wrong on our side. It has been logged.",
}


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def api_error(status: int, code: str, message: str, details: Any = None) -> tuple[Response, int]:
    body = {"error": {"code": code, "message": message, "details": details or {}}}
    return jsonify(body), status


def _code_name(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_")


def _first_problem(details: Any, path: tuple[str, ...] = ()) -> str | None:
    """The first message of a validation error's details, with where it is: "steps.0.
    on_duration: Not a valid number." (the request location, "json" …, left out), so
    the message says what is wrong rather than that something is."""
    if isinstance(details, str):
        where = ".".join(p for p in path[1:] if p != "_schema")
        return f"{where}: {details}" if where else details
    if isinstance(details, list) and details and all(isinstance(v, str) for v in details):
        return _first_problem(details[0], path)  # a field's messages: its first
    if isinstance(details, dict):
        items: Any = details.items()
    elif isinstance(details, list):
        items = enumerate(details)
    else:
        return None
    for key, value in items:
        found = _first_problem(value, (*path, str(key)))
        if found:
            return found
    return None


def handle_http_exception(exc: HTTPException) -> Any:
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    # A description given to abort() says what was wrong (e.g. which field); werkzeug's
    # generic texts, and those of extensions' own exceptions (a rate limit's "5 per 15
    # minute"), give way to ours.
    plain = type(exc) is default_exceptions.get(status)
    own = exc.description if plain and exc.description != type(exc).description else None
    details: Any = data.get("errors") or data.get("messages") or {}
    first = _first_problem(details) if status == 422 and not data.get("message") else None
    message = (
        data.get("message") or first or own or _MESSAGES.get(status) or exc.description or "Error."
    )
    if isinstance(exc, CSRFError):
        message = (
            "The form could not be verified (missing or invalid CSRF token): "
            "reload the page and try again."
        )
    elif status == 413:
        message = _too_large_message()
    if wants_json():
        return api_error(status, _code_name(exc), message, details)
    response = render_template("error.html", status=status, message=message)
    headers = exc.get_response().headers
    extra = [(k, v) for k, v in headers.items() if k.lower() in {"retry-after", "allow"}]
    return response, status, extra


def _too_large_message() -> str:
    """A body over the upload limit is an upload too large; under it, werkzeug refused a
    form with more fields (or more text in memory) than a form may hold."""
    limit = request.max_content_length
    if limit and (request.content_length is None or request.content_length > limit):
        return f"The upload is too large: the limit is {limit / 1e6:.0f} MB."
    parts = request.max_form_parts
    return (
        f"The form is too large: a form here holds at most {parts} fields. "
        "Send fewer rows at a time."
        if parts
        else _MESSAGES[413]
    )


def handle_service_error(exc: ServiceError) -> Any:
    """A service refused: nothing of the request is kept; the API answers with the error's
    status and details, a page with the error page."""
    db.session.rollback()
    if wants_json():
        code = _code_name(default_exceptions[exc.status]())
        return api_error(exc.status, code, exc.message, exc.details())
    return render_template("error.html", status=exc.status, message=exc.message), exc.status


def init_app(app: Flask) -> None:
    # Registered after flask-smorest's own handler so that it replaces it app-wide.
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ServiceError, handle_service_error)
