"""The reader's display preferences (units and time zone) for the request or command at
hand: pages read them from the logged-in user, commands and exports set them with
``reading_as``. The API never uses them (it stays SI and UTC)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import g, has_app_context, has_request_context
from flask_login import current_user

from smartrunning.platform.formatting import UNITS, Units, is_time_zone

__all__ = ["DisplayPrefs", "current", "prefs_of", "reading_as"]

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


def current() -> DisplayPrefs:
    """The preferences in force: those set by ``reading_as``, else the logged-in user's,
    else km and UTC."""
    if has_app_context():
        chosen = g.get(_KEY)
        if isinstance(chosen, DisplayPrefs):
            return chosen
    if has_request_context() and current_user and current_user.is_authenticated:
        return prefs_of(current_user)
    return DisplayPrefs()


@contextmanager
def reading_as(prefs: DisplayPrefs) -> Iterator[None]:
    """Within the block (in an app context), format for ``prefs``."""
    previous = g.get(_KEY)
    setattr(g, _KEY, prefs)
    try:
        yield
    finally:
        setattr(g, _KEY, previous)
