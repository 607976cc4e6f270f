"""The clock: the one reader of the wall clock, so that tests can set the time.

Everything that needs "now" or "today" asks here (``now()``, ``today()``); nothing else
reads ``datetime.now``. Tests fix the time with ``set_clock`` (in process); the
environment variable ``SMARTRUNNING_CLOCK_OFFSET_DAYS`` moves the wall clock by that many
days in every process that inherits it, so the whole suite can run a year ahead or back.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["clock_at", "fixed", "now", "set_clock", "today"]

_source: Callable[[], dt.datetime] | None = None
_OFFSET = dt.timedelta(days=float(os.environ.get("SMARTRUNNING_CLOCK_OFFSET_DAYS", "0") or 0))


def _wall() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + _OFFSET


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return (_source or _wall)()


def today() -> dt.date:
    """Today's date in UTC."""
    return now().date()


def fixed(moment: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock standing still at ``moment`` (naive values are taken as UTC)."""
    value = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return lambda: value


def set_clock(source: Callable[[], dt.datetime] | None) -> None:
    """Read the time from ``source`` from now on (``None``: the wall clock again)."""
    global _source
    _source = source


@contextmanager
def clock_at(moment: dt.datetime) -> Iterator[None]:
    """Within the block, the time stands at ``moment``."""
    previous = _source
    set_clock(fixed(moment))
    try:
        yield
    finally:
        set_clock(previous)
