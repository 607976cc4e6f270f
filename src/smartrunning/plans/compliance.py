"""Planned versus completed: a running session on a planned day is linked to that day,
and compliance is the ratio completed / planned of duration (timer time), distance and
load, each with a colour class for the pages.

Colours (TrainingPeaks' rule, SCIENCE.md "Compliance"), on the ratio in whole percent
of the planned duration (or, when no duration was planned, distance, then load):
``good`` (green) 80–120 %, ``fair`` (yellow) 50–79 % or 121–150 %, ``poor`` (red) below
50 % or above 150 %; a planned day in the past with no session ``missed`` (grey); a
future day ``planned``. Duration decides, as in TrainingPeaks: 98 % of the time at
173 % of the load is green (the load ratio is shown beside it).

A day without a session that the runner marked (``PlanDay.mark``): done counts green, or
by the stated duration (else distance) against the plan; partly done counts yellow. A
matched session always decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from smartrunning.plans.models import (
    Plan,
    PlanDay,
)
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession

__all__ = [
    "Compliance",
    "compliance",
    "link_sessions",
    "ratio_class",
    "running_sessions",
    "sessions_by_id",
]

RUNNING = "running"
GOOD_PERCENT = (80, 120)
FAIR_PERCENT = (50, 150)

Colour = Literal["good", "fair", "poor", "missed", "planned"]


@dataclass(frozen=True)
class Compliance:
    """Completed / planned ratios (None when nothing was planned or nothing completed)."""

    duration: float | None
    distance: float | None
    load: float | None
    colour: Colour


def ratio_class(ratio: float | None) -> Colour:
    """TrainingPeaks' colour of a completed / planned ratio (module doc)."""
    if ratio is None:
        return "planned"
    percent = round(ratio * 100)
    if GOOD_PERCENT[0] <= percent <= GOOD_PERCENT[1]:
        return "good"
    if FAIR_PERCENT[0] <= percent <= FAIR_PERCENT[1]:
        return "fair"
    return "poor"


def _ratio(done: float | None, planned: float) -> float | None:
    if done is None or planned <= 0:
        return None
    return done / planned


def compliance(day: PlanDay, session: TrainingSession | None, today: dt.date) -> Compliance:
    """How ``session`` matches ``day``; the colour follows the duration ratio, else the
    distance's, else the load's (module doc)."""
    if session is None and day.mark == "done":
        duration = _ratio(day.mark_duration_s, day.duration_s)
        distance = _ratio(day.mark_distance_m, day.distance_m)
        stated = duration if duration is not None else distance
        return Compliance(duration, distance, None, ratio_class(stated) if stated else "good")
    if session is None and day.mark == "partly":
        return Compliance(
            _ratio(day.mark_duration_s, day.duration_s),
            _ratio(day.mark_distance_m, day.distance_m),
            None,
            "fair",
        )
    if session is None:
        return Compliance(None, None, None, "missed" if day.date < today else "planned")
    duration = _ratio(session.timer_time_s, day.duration_s)
    distance = _ratio(session.distance_m, day.distance_m)
    load = _ratio(session.load, day.load)
    decisive = next((r for r in (duration, distance, load) if r is not None), None)
    colour = ratio_class(decisive)
    return Compliance(duration, distance, load, colour)


def running_sessions(plan: Plan) -> list[TrainingSession]:
    """The runner's running sessions over the plan's days, longest first (one query)."""
    if not plan.days:
        return []
    first = min(d.date for d in plan.days)
    last = max(d.date for d in plan.days)
    return list(
        db.session.execute(
            sa.select(TrainingSession)
            .where(
                TrainingSession.runner_id == plan.runner_id,
                TrainingSession.sport == RUNNING,
                TrainingSession.local_date >= first,
                TrainingSession.local_date <= last,
            )
            .order_by(TrainingSession.timer_time_s.desc(), TrainingSession.id)
        ).scalars()
    )


def link_sessions(plan: Plan, sessions: list[TrainingSession] | None = None) -> int:
    """Link each planned day without a session to the runner's running session of that
    date (the longest when several); returns how many were linked. ``sessions``: the
    plan's ``running_sessions`` when the caller has them. The caller commits."""
    if not plan.days:
        return 0
    rows = running_sessions(plan) if sessions is None else sessions
    by_date: dict[dt.date, TrainingSession] = {}
    for row in rows:
        by_date.setdefault(row.local_date, row)
    linked = 0
    for day in plan.days:
        session = by_date.get(day.date)
        if day.session_id is None and session is not None:
            day.session_id = session.id
            linked += 1
    if linked:
        db.session.flush()
    return linked


def sessions_by_id(
    plan: Plan, known: list[TrainingSession] | None = None
) -> dict[int, TrainingSession]:
    """The sessions linked to the plan's days by id; ``known`` (e.g. its
    ``running_sessions``) saves the query when it holds them all."""
    found = {row.id: row for row in known or ()}
    ids = [d.session_id for d in plan.days if d.session_id is not None]
    missing = [i for i in ids if i not in found]
    if missing:
        rows = db.session.execute(sa.select(TrainingSession).where(TrainingSession.id.in_(missing)))
        found.update({row.id: row for row in rows.scalars()})
    return {i: found[i] for i in ids if i in found}
