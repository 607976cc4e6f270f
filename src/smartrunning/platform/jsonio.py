"""JSON out of the app, encoded by orjson.

The API's large answers (a history of hundreds of days, a session's chart series) spent
a fifth of their CPU in the standard library's encoder; orjson does the same in a tenth
of the time. Reading JSON stays with the standard library (``DefaultJSONProvider``).

Differences from ``json.dumps`` that callers may see: dates and datetimes are ISO 8601
(``2026-11-21``, ``2026-11-21T07:00:00+00:00``), NaN and infinities become ``null`` (the
standard library wrote ``NaN``, which is not JSON), numpy scalars and arrays are numbers
and lists; anything else unknown is written as ``str(value)``.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

__all__ = ["OrjsonProvider", "dumps_bytes", "init_app", "json_response", "script_json"]

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def dumps_bytes(data: Any) -> bytes:
    """UTF-8 JSON of ``data``."""
    return orjson.dumps(data, default=str, option=_OPTIONS)


def script_json(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` block or a JSON answer: ``<`` is
    escaped so the text cannot close the script element."""
    return dumps_bytes(data).decode().replace("<", "\\u003c")


class OrjsonProvider(DefaultJSONProvider):
    """Flask's provider (used by ``jsonify`` and flask-smorest) writing with orjson."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return dumps_bytes(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        return json_response(self._prepare_response_obj(args, kwargs))


def json_response(data: Any) -> Response:
    """A 200 answer of ``data`` as JSON (what ``jsonify`` gives, without the provider)."""
    return Response(dumps_bytes(data), mimetype="application/json")


def init_app(app: Flask) -> None:
    app.json = OrjsonProvider(app)
