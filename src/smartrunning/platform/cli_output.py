"""Printing results for people or, with ``--json``, for scripts."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from typing import Any

import click

__all__ = ["emit", "json_option", "to_jsonable"]

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def to_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def emit(data: dict[str, Any], as_json: bool, text: str) -> None:
    """Print ``data`` as one JSON object, or ``text`` for people."""
    if as_json:
        click.echo(json.dumps(to_jsonable(data), ensure_ascii=False))
    else:
        click.echo(text)
