"""Jinja set-up: filters that format SI values at the edge, and common template globals."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from smartrunning.platform import clock
from smartrunning.platform.formatting import (
    format_duration,
    format_pace,
    format_race_time,
)

__all__ = ["init_app"]


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "–"
    return (
        value.strftime("%Y-%m-%d")
        if not isinstance(value, dt.datetime)
        else (value.strftime("%Y-%m-%d %H:%M UTC"))
    )


def age_years(birth_date: dt.date) -> int:
    """Whole years of age today (UTC date)."""
    today = clock.today()
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def init_app(app: Flask) -> None:
    app.jinja_env.filters["age"] = age_years
    app.jinja_env.filters["duration"] = format_duration
    app.jinja_env.filters["pace"] = format_pace
    app.jinja_env.filters["race_time"] = format_race_time
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.globals["csrf_token"] = generate_csrf

    @app.context_processor
    def _user_context() -> dict[str, object]:
        role = current_user.role if current_user.is_authenticated else None
        return {"current_role": role}
