"""JSON out of the app, encoded by orjson.

The API's large answers (a history of hundreds of days, a session's chart series) spent
a fifth of their CPU in the standard library's encoder; orjson does the same in a tenth
of the time. Reading JSON stays with the standard library, bounded in nesting depth
(:func:`loads`; ``JSON_MAX_DEPTH``) so a body nested thousands deep is refused as invalid
rather than exhausting the parser's recursion.

Differences from ``json.dumps`` that callers may see: dates and datetimes are ISO 8601
(``2026-11-21``, ``2026-11-21T07:00:00+00:00``), NaN and infinities become ``null`` (the
standard library wrote ``NaN``, which is not JSON), numpy scalars and arrays are numbers
and lists; anything else unknown is written as ``str(value)``.
"""

from __future__ import annotations

import json
from typing import Any, Final

import orjson
from flask import Flask, Response, abort, current_app, has_app_context, request
from flask.json.provider import DefaultJSONProvider

__all__ = [
    "DEFAULT_MAX_DEPTH",
    "JsonTooDeep",
    "OrjsonProvider",
    "dumps_bytes",
    "init_app",
    "json_response",
    "loads",
    "refuse_deep_json_body",
    "script_json",
]

#: Nesting depth of JSON read when no app says otherwise (``JSON_MAX_DEPTH``).
DEFAULT_MAX_DEPTH: Final = 32

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def dumps_bytes(data: Any) -> bytes:
    """UTF-8 JSON of ``data``.

    orjson refuses integers beyond 64 bits (a validation error echoing ``2**70`` sent by
    a client); those few answers go through the standard library instead."""
    try:
        return orjson.dumps(data, default=str, option=_OPTIONS)
    except orjson.JSONEncodeError as exc:
        if "64-bit" not in str(exc):
            raise
        return json.dumps(data, default=str).encode()


def script_json(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` block or a JSON answer: ``<`` is
    escaped so the text cannot close the script element."""
    return dumps_bytes(data).decode().replace("<", "\\u003c")


class JsonTooDeep(ValueError):
    """JSON nested deeper than the limit."""


def _max_depth() -> int:
    if has_app_context():
        settings = current_app.extensions.get("smartrunning.settings")
        if settings is not None:
            return int(settings.json_max_depth)
    return DEFAULT_MAX_DEPTH


def _depth(value: Any) -> int:
    """The nesting depth of parsed JSON (a scalar is 0, ``[]`` 1), without recursion."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level + 1)
            stack.extend((child, level + 1) for child in item)
    return deepest


def loads(data: str | bytes, *, max_depth: int | None = None) -> Any:
    """Parse JSON (the standard library's reading, ``NaN`` included).

    Raises:
        ValueError: not JSON, or nested deeper than ``max_depth`` (default the app's
            ``JSON_MAX_DEPTH``).
    """
    limit = _max_depth() if max_depth is None else max_depth
    too_deep = f"JSON is nested deeper than {limit} levels."
    try:
        value = json.loads(data)
    except RecursionError:
        raise JsonTooDeep(too_deep) from None
    if _depth(value) > limit:
        raise JsonTooDeep(too_deep)
    return value


def refuse_deep_json_body() -> None:
    """A JSON request body nested beyond the limit is refused before any view, webargs
    and flask-smorest included (they parse the body again with the standard library,
    which is then safe). Other invalid JSON is left to them and their messages.
    Registered after the login guard, so that only a signed-in user's body is read."""
    if request.is_json and request.content_length != 0:
        try:
            loads(request.get_data(cache=True))
        except JsonTooDeep as exc:
            abort(400, description=str(exc))
        except ValueError:
            pass


class OrjsonProvider(DefaultJSONProvider):
    """Flask's provider (used by ``jsonify`` and flask-smorest) writing with orjson and
    reading with :func:`loads`."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return dumps_bytes(obj).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s)

    def response(self, *args: Any, **kwargs: Any) -> Response:
        return json_response(self._prepare_response_obj(args, kwargs))


def json_response(data: Any) -> Response:
    """A 200 answer of ``data`` as JSON (what ``jsonify`` gives, without the provider)."""
    return Response(dumps_bytes(data), mimetype="application/json")


def init_app(app: Flask) -> None:
    app.json = OrjsonProvider(app)
