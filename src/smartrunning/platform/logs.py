"""Logging set-up: one JSON object per line in production, readable text otherwise.

Web requests and queue jobs log through the ``smartrunning`` logger with fields (``extra``)
rather than formatted strings, so log collectors can filter on them.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal

from pythonjsonlogger.json import JsonFormatter

__all__ = ["configure_logging", "logger"]

logger = logging.getLogger("smartrunning")

LogFormat = Literal["json", "text"]
_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(fmt: LogFormat, level: str) -> None:
    """Route the ``smartrunning`` logger to stderr in ``fmt``; idempotent."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(
            JsonFormatter(_FIELDS, rename_fields={"asctime": "time", "levelname": "level"})
        )
    elif fmt == "text":
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        raise ValueError(f"unknown log format {fmt!r}")
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False
    logger.disabled = False  # e.g. after Alembic's fileConfig in the same process
