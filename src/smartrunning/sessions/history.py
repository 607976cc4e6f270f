"""Daily training history (load, fitness, fatigue, form, Banister performance) per runner.

Stored per day (``HistoryDay``) from the runner's first session to the last (sessions
held for review, ``TrainingSession.held``, count for nothing until confirmed);
:func:`rebuild_from` recomputes incrementally from the earliest changed day, continuing
from the stored state of the day before (``science.history.daily_history(start=…)``),
which gives the same values as recomputing everything (tested). Days after the last
session are rest days, projected on the fly when read (:func:`daily_series`), so the
table need not grow every night. The model's parameters are dated like every parameter:
the history is computed in segments, each with the parameters valid from its first day.
Reads for pages and the CLI: :func:`daily_series` and :func:`weekly_volume`.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Final, Protocol, cast

import numpy as np
import sqlalchemy as sa
from flask import Flask, current_app

from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import ParameterKey, Runner
from smartrunning.platform import clock, context
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.science import defaults
from smartrunning.science import history as history_science
from smartrunning.science.history import WEEK_D, DailyHistory, HistoryParams, HistoryState
from smartrunning.sessions.models import (
    HistoryDay,
    TrainingSession,
)
from smartrunning.sessions.schemas import WeekVolume

__all__ = [
    "HISTORY_VERSION",
    "PlanSource",
    "WeekVolume",
    "check_range",
    "daily_series",
    "latest_day",
    "plan_source",
    "rebuild_from",
    "set_plan_source",
    "state_before",
    "weekly_volume",
]

HISTORY_VERSION: Final = history_science.ALGORITHM_VERSION
_FIELDS: Final = ("load", "ctl", "atl", "form", "performance", "ramp", "monotony", "strain")


class PlanSource(Protocol):
    """Where the planned load comes from: the plans feature, which sits above this one and
    is handed in by the app (``set_plan_source``) rather than imported."""

    def planned_loads(
        self, runner: Runner, *, after: dt.date, until: dt.date
    ) -> list[tuple[dt.date, float]]:
        """(day, load) of the runner's planned sessions in (``after``, ``until``], by day."""
        ...

    def projection_end(self, runner: Runner, today: dt.date) -> dt.date:
        """The last day worth projecting to (the latest race day ahead, else ``today``)."""
        ...


_PLAN_SOURCE = "smartrunning.plan_source"


def set_plan_source(app: Flask, source: PlanSource) -> None:
    """Project histories over ``source``'s planned load in ``app``."""
    app.extensions[_PLAN_SOURCE] = source


def plan_source() -> PlanSource | None:
    """The plan source of the running app, if one was set."""
    source = current_app.extensions.get(_PLAN_SOURCE)
    return cast("PlanSource | None", source)


# The statements of every recomputation, built once (a one-file upload recomputes its
# runner's history, and building a statement costs more than running it).
_WEEK_BEFORE = (
    sa.select(HistoryDay)
    .where(
        HistoryDay.runner_id == sa.bindparam("runner"),
        HistoryDay.day >= sa.bindparam("since"),
        HistoryDay.day < sa.bindparam("day"),
    )
    .order_by(HistoryDay.day)
)
_SESSION_DAYS = sa.select(TrainingSession.local_date).where(
    TrainingSession.runner_id == sa.bindparam("runner"), TrainingSession.held.is_(False)
)
_STORED_DAYS = sa.select(HistoryDay.day).where(HistoryDay.runner_id == sa.bindparam("runner"))
_BOUNDS = sa.select(
    _SESSION_DAYS.with_only_columns(sa.func.min(TrainingSession.local_date)).scalar_subquery(),
    _SESSION_DAYS.with_only_columns(sa.func.max(TrainingSession.local_date)).scalar_subquery(),
    _STORED_DAYS.with_only_columns(sa.func.min(HistoryDay.day)).scalar_subquery(),
    _STORED_DAYS.with_only_columns(sa.func.max(HistoryDay.day)).scalar_subquery(),
)
"""First and last day of the runner's sessions, and of the stored history."""
_DELETE_FROM = sa.delete(HistoryDay).where(
    HistoryDay.runner_id == sa.bindparam("runner"),
    sa.or_(HistoryDay.day >= sa.bindparam("begin"), HistoryDay.day < sa.bindparam("first")),
)
_DAY_LOADS = (
    sa.select(TrainingSession.local_date, sa.func.sum(TrainingSession.load))
    .where(
        TrainingSession.runner_id == sa.bindparam("runner"),
        TrainingSession.local_date >= sa.bindparam("first"),
        TrainingSession.local_date <= sa.bindparam("last"),
        TrainingSession.load.is_not(None),
        TrainingSession.held.is_(False),
    )
    .group_by(TrainingSession.local_date)
)


_INSERT_DAYS = sa.insert(HistoryDay)


def state_before(runner: Runner, day: dt.date) -> HistoryState:
    """The state at the end of ``day - 1``: from the stored rows, with the days after the
    last of them run as rest days (no session, no load); before the first row, zero."""
    since = day - dt.timedelta(days=WEEK_D)
    rows = db.session.execute(
        _WEEK_BEFORE, {"runner": runner.id, "since": since, "day": day}
    ).scalars()
    by_day = {row.day: row for row in rows}
    last = by_day.get(day - dt.timedelta(days=1))
    if last is None:
        return _rested_until(runner, day)
    week = [by_day.get(day - dt.timedelta(days=k)) for k in range(WEEK_D, 0, -1)]
    return HistoryState(
        ctl=last.ctl,
        atl=last.atl,
        g=last.g,
        h=last.h,
        recent_ctl=tuple(r.ctl if r else 0.0 for r in week),
        recent_load=tuple(r.load if r else 0.0 for r in week),
    )


def _rested_until(runner: Runner, day: dt.date) -> HistoryState:
    """The state at the end of ``day - 1`` when no row is stored for that day: the latest
    stored day before it followed by rest days (zero before any row)."""
    latest = db.session.execute(
        sa.select(sa.func.max(HistoryDay.day)).where(
            HistoryDay.runner_id == runner.id, HistoryDay.day < day
        )
    ).scalar_one()
    if latest is None:
        return HistoryState.zero()
    begin = latest + dt.timedelta(days=1)
    state = state_before(runner, begin)
    for result in _segments(runner, np.zeros((day - begin).days), begin, state):
        state = result.state_after(len(result) - 1)
    return state


def _segments(
    runner: Runner, loads: np.ndarray, begin: dt.date, state: HistoryState
) -> list[DailyHistory]:
    """The history of ``loads`` (one per day from ``begin``) from ``state``, a segment
    for each stretch of days with the same fitness-fatigue parameters."""
    last = begin + dt.timedelta(days=len(loads) - 1)
    segments = _params_segments(runner, begin, last)
    out = []
    for k, (seg_first, params) in enumerate(segments):
        seg_last = segments[k + 1][0] - dt.timedelta(days=1) if k + 1 < len(segments) else last
        lo = (seg_first - begin).days
        hi = (seg_last - begin).days + 1
        result = history_science.daily_history(loads[lo:hi], seg_first, params=params, start=state)
        out.append(result)
        state = result.state_after(len(result) - 1)
    return out


def _params_segments(
    runner: Runner, first: dt.date, last: dt.date
) -> list[tuple[dt.date, HistoryParams]]:
    """(first day, parameters) of each stretch with the same fitness-fatigue parameters."""
    versions = parameter_services.history(runner, ParameterKey.FITNESS_FATIGUE)
    by_day: dict[dt.date, HistoryParams] = {first: defaults.HISTORY_PARAMS}
    for version in versions:  # oldest first: on one day, the last recorded wins
        if version.valid_from <= last:
            value = parameter_services.parse_value(ParameterKey.FITNESS_FATIGUE, version.value)
            by_day[max(version.valid_from, first)] = value
    return sorted(by_day.items())


def _day_loads(runner_id: int, first: dt.date, last: dt.date) -> np.ndarray:
    rows = db.session.execute(_DAY_LOADS, {"runner": runner_id, "first": first, "last": last}).all()
    days = [day for day, _load in rows]
    loads = [float(load or 0.0) for _day, load in rows]
    return history_science.daily_loads(days, loads, first, last)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def rebuild_from(runner: Runner, changed: dt.date) -> int:
    """Recompute the stored history from ``changed`` (the earliest changed day) on.

    Returns the number of days written. The caller holds the runner's analysis lock
    (``analysis_state.lock_runner``) and commits.
    """
    first, last, stale_head, stored_last = db.session.execute(_BOUNDS, {"runner": runner.id}).one()
    if first is None:
        db.session.execute(sa.delete(HistoryDay).where(HistoryDay.runner_id == runner.id))
        return 0
    begin = changed if stored_last is None else min(changed, stored_last + dt.timedelta(days=1))
    begin = max(begin, first)
    if stale_head is not None and stale_head != first:
        begin = first  # the first session moved: everything shifts
    if stored_last is not None and (stored_last >= begin or stale_head < first):
        db.session.execute(_DELETE_FROM, {"runner": runner.id, "begin": begin, "first": first})
    if last < begin:
        return 0
    state = state_before(runner, begin) if begin > first else HistoryState.zero()
    loads = _day_loads(runner.id, begin, last)
    rows: list[dict[str, Any]] = []
    for result in _segments(runner, loads, begin, state):
        rows.extend(_rows(runner.id, result))
    if rows:  # plain SQL on the session's connection: no ORM bookkeeping for new rows
        db.session.connection().execute(_INSERT_DAYS, rows)
    return len(rows)


def _rows(runner_id: int, result: DailyHistory) -> list[dict[str, Any]]:
    out = []
    for i in range(len(result)):
        out.append(
            {
                "runner_id": runner_id,
                "day": result.day(i),
                "load": float(result.load[i]),
                "ctl": float(result.ctl[i]),
                "atl": float(result.atl[i]),
                "form": float(result.form[i]),
                "performance": float(result.performance[i]),
                "ramp": float(result.ramp[i]),
                "monotony": _finite(float(result.monotony[i])),
                "strain": _finite(float(result.strain[i])),
                "g": float(result.g[i]),
                "h": float(result.h[i]),
                "version": HISTORY_VERSION,
            }
        )
    return out


def latest_day(today: dt.date) -> dt.date:
    """The last day a history may reach: ``HISTORY_MAX_AHEAD_DAYS`` after ``today``."""
    return today + dt.timedelta(days=context.settings().history_max_ahead_days)


def check_range(date_from: dt.date | None, date_to: dt.date | None, today: dt.date) -> None:
    """Refuse, before any work, a range whose answer would grow without bound: ``to``
    beyond :func:`latest_day` (every day up to it is projected), ``from`` after ``to``, or
    more than ``HISTORY_MAX_DAYS`` days from ``from`` to ``to``.

    Raises:
        InvalidInput: naming the field and the limit.
    """
    limit = context.settings().history_max_days
    if date_to is not None and date_to > latest_day(today):
        raise InvalidInput(
            f"to must be on or before {latest_day(today)} "
            f"({context.settings().history_max_ahead_days} days after today).",
            field="to",
        )
    if date_from is not None and date_to is not None:
        if date_from > date_to:
            raise InvalidInput("from must be on or before to.", field="from")
        if (date_to - date_from).days + 1 > limit:
            raise InvalidInput(f"A range spans at most {limit} days.", field="from")


def daily_series(
    runner: Runner,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    today: dt.date | None = None,
    plans: PlanSource | None = None,
) -> list[dict[str, Any]]:
    """One dict per day (``day``, ``load``, ``ctl``, ``atl``, ``form``, ``performance``,
    ``ramp``, ``monotony``, ``strain``, ``projected``) from the first session (or
    ``date_from``) to ``date_to``.

    Days after the last stored one are projected (``projected: True``): rest days up to
    ``today``, then, when ``today`` and ``plans`` are given, the planned load of the
    runner's plans (see :class:`PlanSource`), so fitness, fatigue and form run on to race
    day. Three queries and one more with plans.

    Raises:
        InvalidInput: a range :func:`check_range` refuses.
    """
    check_range(date_from, date_to, today or clock.today())
    columns = [HistoryDay.day, *(getattr(HistoryDay, f) for f in _FIELDS)]
    query = sa.select(*columns).where(HistoryDay.runner_id == runner.id)
    if date_from is not None:
        query = query.where(HistoryDay.day >= date_from)
    if date_to is not None:
        query = query.where(HistoryDay.day <= date_to)
    # Plain rows rather than ORM objects: a year of days is read on every history request.
    names = ("day", *_FIELDS)
    out = [
        {**dict(zip(names, row, strict=True)), "projected": False}
        for row in db.session.execute(query.order_by(HistoryDay.day))
    ]
    if date_to is None:
        return out
    stored_last = db.session.execute(
        sa.select(sa.func.max(HistoryDay.day)).where(HistoryDay.runner_id == runner.id)
    ).scalar_one()
    if stored_last is None:
        if today is None:
            return out
        stored_last = today  # no sessions yet: from a rest state, the plan from tomorrow
    if stored_last >= date_to:
        return out
    start = stored_last + dt.timedelta(days=1)
    loads = np.zeros((date_to - stored_last).days)
    if today is not None and plans is not None:
        for day, load in plans.planned_loads(runner, after=max(today, stored_last), until=date_to):
            loads[(day - start).days] += load
    params = parameter_services.parameters_on(runner, start).fitness_fatigue.value
    projected = history_science.daily_history(
        loads,
        start,
        params=params,
        start=state_before(runner, start),
    )
    skip = max(0, (date_from - start).days) if date_from is not None else 0
    for i in range(skip, len(projected)):
        day = projected.day(i)
        out.append(
            {
                "day": day,
                **{f: _finite(float(getattr(projected, f)[i])) for f in _FIELDS},
                "projected": True,
            }
        )
    return out


def weekly_volume(
    runner: Runner, *, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[WeekVolume]:
    """Totals per ISO week (sessions, distance, time, load; running distance apart), held
    sessions left out.

    One query over the sessions' summary columns; weeks without sessions are included
    between the first and last week, as zeros.
    """
    query = sa.select(
        TrainingSession.local_date,
        TrainingSession.sport,
        TrainingSession.distance_m,
        TrainingSession.timer_time_s,
        TrainingSession.load,
    ).where(TrainingSession.runner_id == runner.id, TrainingSession.held.is_(False))
    if date_from is not None:
        query = query.where(TrainingSession.local_date >= date_from)
    if date_to is not None:
        query = query.where(TrainingSession.local_date <= date_to)
    weeks: dict[dt.date, list[float]] = {}
    for day, sport, distance, timer, load in db.session.execute(query).all():
        monday = day - dt.timedelta(days=day.weekday())
        totals = weeks.setdefault(monday, [0, 0.0, 0.0, 0.0, 0.0])
        totals[0] += 1
        totals[1] += distance
        totals[2] += timer
        totals[3] += load or 0.0
        totals[4] += distance if sport == "running" else 0.0
    if not weeks:
        return []
    out = []
    monday = min(weeks)
    while monday <= max(weeks):
        t = weeks.get(monday, [0, 0.0, 0.0, 0.0, 0.0])
        out.append(WeekVolume(monday, int(t[0]), t[1], t[2], t[3], t[4]))
        monday += dt.timedelta(days=7)
    return out
