"""Jinja set-up: filters that format SI values at the edge, and common template globals."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from smartrunning.platform import clock, display
from smartrunning.platform.formatting import (
    SPEED_UNIT_LABELS,
    display_speed_unit,
    distance_label,
    format_datetime,
    format_distance,
    format_duration,
    format_pace,
    format_pace_seconds,
    format_race_time,
    format_sport_distance,
    format_sport_speed,
    pace_label,
    to_zone,
)
from smartrunning.science.sports import SportDisplay, session_title, sport_display

__all__ = ["init_app"]


def format_date(value: dt.date | dt.datetime | None) -> str:
    """A date as YYYY-MM-DD; a moment as the reader's wall-clock time with its zone
    (Jinja filter ``date``)."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        return format_datetime(value, display.current().time_zone)
    return value.strftime("%Y-%m-%d")


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """A moment in the reader's time zone, for templates that format it themselves
    (Jinja filter ``local``)."""
    return None if value is None else to_zone(value, display.current().time_zone)


class _SpeedUnitLabels(dict[str, str]):
    """``speed_unit_labels[unit]`` in templates: the label of the unit the reader sees
    (per km reads "/mi" for a reader of miles)."""

    def __getitem__(self, unit: str) -> str:
        return SPEED_UNIT_LABELS[display_speed_unit(unit, display.current().units)]


def pace(speed_mps: float | None) -> str:
    """A speed as pace per km or mile, by the reader's units, without the unit (Jinja
    filter ``pace``; follow it with ``{{ pace_unit() }}``)."""
    return format_pace(speed_mps, display.current().units)


def km_pace(seconds_per_km: float | None) -> str:
    """A pace given in seconds per km, per km or mile by the reader's units (Jinja
    filter ``km_pace``)."""
    return format_pace_seconds(seconds_per_km, display.current().units)


def distance(distance_m: float | None, digits: int = 1, with_unit: bool = True) -> str:
    """A distance in km or miles by the reader's units (Jinja filter ``distance``)."""
    return format_distance(distance_m, display.current().units, digits, with_unit=with_unit)


def age_years(birth_date: dt.date) -> int:
    """Whole years of age today (UTC date)."""
    today = clock.today()
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def sport_speed(speed_mps: float | None, display_: SportDisplay, with_unit: bool = True) -> str:
    """A speed in the unit of the session's sport (Jinja filter ``sport_speed``)."""
    return format_sport_speed(
        speed_mps, display_.speed_unit, with_unit=with_unit, units=display.current().units
    )


def sport_distance(distance_m: float | None, display_: SportDisplay) -> str:
    """A distance as the session's sport counts it (Jinja filter ``sport_distance``)."""
    return format_sport_distance(distance_m, display_.speed_unit, display.current().units)


def local_speed_unit(unit: str) -> str:
    """A sport's speed unit as the reader sees it (``per_km`` → ``per_mi`` for miles)."""
    return display_speed_unit(unit, display.current().units)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["age"] = age_years
    app.jinja_env.filters["duration"] = format_duration
    app.jinja_env.filters["pace"] = pace
    app.jinja_env.filters["km_pace"] = km_pace
    app.jinja_env.filters["distance"] = distance
    app.jinja_env.filters["local"] = local_time
    app.jinja_env.filters["local_speed_unit"] = local_speed_unit
    app.jinja_env.filters["race_time"] = format_race_time
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["sport_speed"] = sport_speed
    app.jinja_env.filters["sport_distance"] = sport_distance
    app.jinja_env.globals["sport_display"] = sport_display
    app.jinja_env.globals["session_title"] = session_title
    app.jinja_env.globals["speed_unit_labels"] = _SpeedUnitLabels(SPEED_UNIT_LABELS)
    app.jinja_env.globals["pace_unit"] = lambda: pace_label(display.current().units)
    app.jinja_env.globals["distance_unit"] = lambda: distance_label(display.current().units)
    app.jinja_env.globals["display_prefs"] = display.current
    app.jinja_env.globals["csrf_token"] = generate_csrf

    @app.context_processor
    def _user_context() -> dict[str, object]:
        role = current_user.role if current_user.is_authenticated else None
        return {"current_role": role}
