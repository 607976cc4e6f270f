"""The reader's display preferences (units and time zone) for the request or command at
hand: pages read them from the logged-in user, commands and exports set them with
``reading_as``. The API never uses them (it stays SI and UTC)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import g, has_app_context, has_request_context
from flask_login import current_user

from smartrunning.platform import clock
from smartrunning.platform.formatting import (
    UNITS,
    Units,
    format_datetime,
    format_distance,
    format_pace,
    is_time_zone,
    pace_label,
    to_zone,
)

__all__ = [
    "DisplayPrefs",
    "current",
    "distance",
    "moment",
    "pace",
    "prefs_of",
    "reading_as",
    "set_process_default",
    "today",
]

_KEY = "smartrunning_display_prefs"


@dataclass(frozen=True)
class DisplayPrefs:
    units: Units = "km"
    time_zone: str = "UTC"


def prefs_of(user: object) -> DisplayPrefs:
    """The preferences stored on a user (any object with ``units`` and ``time_zone``);
    the defaults (km, UTC) for anything unknown."""
    units = getattr(user, "units", "km")
    zone = getattr(user, "time_zone", "UTC")
    return DisplayPrefs(
        units="mi" if units == "mi" and units in UNITS else "km",
        time_zone=zone if isinstance(zone, str) and is_time_zone(zone) else "UTC",
    )


_process_default = DisplayPrefs()


def set_process_default(prefs: DisplayPrefs) -> None:
    """The preferences of this process outside any request: the command line's
    ``--units`` and ``--time-zone``."""
    global _process_default
    _process_default = prefs


def current() -> DisplayPrefs:
    """The preferences in force: those set by ``reading_as``, else the logged-in user's,
    else the process's (the command line's), km and UTC unless set."""
    if has_app_context():
        chosen = g.get(_KEY)
        if isinstance(chosen, DisplayPrefs):
            return chosen
    if has_request_context() and current_user and current_user.is_authenticated:
        return prefs_of(current_user)
    return _process_default


@contextmanager
def reading_as(prefs: DisplayPrefs) -> Iterator[None]:
    """Within the block (in an app context), format for ``prefs``."""
    previous = g.get(_KEY)
    setattr(g, _KEY, prefs)
    try:
        yield
    finally:
        setattr(g, _KEY, previous)


def distance(distance_m: float | None, digits: int = 1) -> str:
    """A distance in the current reader's km or mi ("10.0 km", "6.2 mi")."""
    return format_distance(distance_m, current().units, digits)


def pace(speed_mps: float | None) -> str:
    """A speed as pace with its unit in the current reader's units ("5:00 /km")."""
    prefs = current()
    return f"{format_pace(speed_mps, prefs.units)} {pace_label(prefs.units)}"


def moment(value: dt.datetime | None) -> str:
    """A moment in the current reader's zone ("2026-12-07 00:30 CET")."""
    return format_datetime(value, current().time_zone)


def today() -> dt.date:
    """Today in the current reader's time zone (from the clock seam): the day a runner's
    home and their plan's calendar call today. Stored days (sessions, plans) are not
    moved."""
    return to_zone(clock.now(), current().time_zone).date()
