"""A plan's calendar as pages, the API and the CLI show it: per day the planned session
and what was done (the linked session and any other session of the day, unplanned), per
week the totals planned and done (time, distance, load) with a compliance colour, and per
week of the plan its block (the season view).

Planned totals leave out skipped days. Done totals count running sessions (the plan
plans runs); other sports are shown on their days but not counted. A week's colour is
``compliance.ratio_class`` of what was done over what was planned up to yesterday, and
today once done (the whole week once it is over): time, else distance, else load, as a
day's; a week with nothing due yet is ``planned``. A day the runner marked done or partly
done without a session counts what they stated (``_plus_mark``).

The pages read the weeks (:class:`CalendarWeek`, the models); the API and the CLI get them
as shapes (:func:`calendar_shapes`, ``plans.schemas``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.plans import compliance as plan_compliance
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.plans.schemas import (
    CalendarDayShape,
    CalendarWeekShape,
    TotalsShape,
    calendar_session_shape,
    plan_day_shape,
)
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession

__all__ = [
    "COMPLIANCE_WORDS",
    "KIND_LABELS",
    "CalendarDay",
    "CalendarWeek",
    "SeasonWeek",
    "Totals",
    "active_plan",
    "calendar_shapes",
    "month_weeks",
    "season",
    "weeks_between",
]

RUNNING = plan_compliance.RUNNING

KIND_LABELS: dict[str, str] = {
    "easy": "Easy run",
    "recovery": "Recovery run",
    "long": "Long run",
    "progression": "Progression run",
    "tempo": "Tempo",
    "threshold": "Threshold",
    "vo2max": "VO2max intervals",
    "hills": "Hills",
    "strides": "Strides",
    "race-pace": "Race pace",
    "race": "Race",
}
"""The workout kinds in words (the calendar's colours follow the kind: ``kind-<kind>``)."""

COMPLIANCE_WORDS: dict[str, str] = {
    "good": "On plan",
    "fair": "Partly",
    "poor": "Off plan",
    "missed": "Missed",
    "planned": "Planned",
}
"""The compliance colours in words."""


@dataclass(frozen=True)
class Totals:
    """Time (s), distance (m), load and number of sessions."""

    duration_s: float = 0.0
    distance_m: float = 0.0
    load: float = 0.0
    sessions: int = 0

    def plus(self, duration_s: float, distance_m: float, load: float | None) -> Totals:
        return Totals(
            self.duration_s + duration_s,
            self.distance_m + distance_m,
            self.load + (load or 0.0),
            self.sessions + 1,
        )


@dataclass(frozen=True)
class CalendarDay:
    """One date: the planned day (``None``: rest), the session done for it, the day's
    other sessions (unplanned), and the compliance of the planned day (``None`` when
    there is none or it was skipped)."""

    date: dt.date
    planned: PlanDay | None
    completed: TrainingSession | None
    unplanned: tuple[TrainingSession, ...]
    compliance: plan_compliance.Compliance | None

    @property
    def skipped(self) -> bool:
        return self.planned is not None and self.planned.skipped_reason is not None

    @property
    def mark(self) -> str | None:
        """The runner's mark: ``"done"``, ``"partly"``, ``"skipped"`` or ``None``."""
        if self.planned is None:
            return None
        return "skipped" if self.skipped else self.planned.mark


@dataclass(frozen=True)
class CalendarWeek:
    """Monday ``start`` to Sunday: its days, totals and colour; ``block`` names the plan's
    block of the week (``None`` outside the plan)."""

    start: dt.date
    days: tuple[CalendarDay, ...]
    planned: Totals
    done: Totals
    colour: plan_compliance.Colour
    block: str | None = None
    block_kind: str | None = None
    recovery: bool = False

    @property
    def load_ratio(self) -> float | None:
        return self.done.load / self.planned.load if self.planned.load > 0 else None


@dataclass(frozen=True)
class SeasonWeek:
    """A week of the plan for the season view: its block and the load planned (the
    generator's target, the days as they stand now) and done."""

    index: int
    start: dt.date
    block: str
    block_kind: str
    recovery: bool
    target_load: float
    planned_load: float
    done_load: float
    colour: plan_compliance.Colour
    races: tuple[dt.date, ...] = field(default=())


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _sessions(runner_id: int, first: dt.date, last: dt.date) -> list[TrainingSession]:
    """The runner's sessions (any sport) from ``first`` to ``last``, by date, longest
    first (one query)."""
    return list(
        db.session.execute(
            sa.select(TrainingSession)
            .where(
                TrainingSession.runner_id == runner_id,
                TrainingSession.local_date >= first,
                TrainingSession.local_date <= last,
            )
            .order_by(
                TrainingSession.local_date,
                TrainingSession.timer_time_s.desc(),
                TrainingSession.id,
            )
        ).scalars()
    )


def _blocks(plan: Plan) -> dict[str, dict[str, Any]]:
    return {str(w["start"]): w for w in (plan.projection or {}).get("weeks", [])}


def weeks_between(plan: Plan, first: dt.date, last: dt.date, today: dt.date) -> list[CalendarWeek]:
    """The weeks (Monday to Sunday) covering ``first`` to ``last``, with their days."""
    start = _monday(first)
    end = _monday(last) + dt.timedelta(days=6)
    planned = {d.date: d for d in plan.days if start <= d.date <= end}
    by_date: dict[dt.date, list[TrainingSession]] = {}
    for session in _sessions(plan.runner_id, start, end):
        by_date.setdefault(session.local_date, []).append(session)
    blocks = _blocks(plan)
    weeks: list[CalendarWeek] = []
    monday = start
    while monday <= end:
        days: list[CalendarDay] = []
        plan_total, plan_so_far, done = Totals(), Totals(), Totals()
        for offset in range(7):
            date = monday + dt.timedelta(days=offset)
            day = planned.get(date)
            sessions = by_date.get(date, [])
            completed = next((s for s in sessions if day and s.id == day.session_id), None)
            others = tuple(s for s in sessions if s is not completed)
            result = None
            if day is not None and day.skipped_reason is None:
                result = plan_compliance.compliance(day, completed, today)
                plan_total = plan_total.plus(day.duration_s, day.distance_m, day.load)
                # Today is due once done: before that, a morning is not "off plan".
                if date < today or (date == today and (completed or day.mark)):
                    plan_so_far = plan_so_far.plus(day.duration_s, day.distance_m, day.load)
                if completed is None:
                    done = _plus_mark(done, day)
            for session in sessions:
                if session.sport == RUNNING:
                    done = done.plus(session.timer_time_s, session.distance_m, session.load)
            days.append(CalendarDay(date, day, completed, others, result))
        week = blocks.get(monday.isoformat(), {})
        weeks.append(
            CalendarWeek(
                start=monday,
                days=tuple(days),
                planned=plan_total,
                done=done,
                colour=_week_colour(monday, today, plan_so_far, done),
                block=week.get("block"),
                block_kind=week.get("block_kind"),
                recovery=bool(week.get("recovery", False)),
            )
        )
        monday += dt.timedelta(days=7)
    return weeks


def _plus_mark(done: Totals, day: PlanDay) -> Totals:
    """A day marked done or partly done without a session (run without a watch) adds what
    the runner stated; "done" with nothing stated adds the day as planned. Its load is the
    planned load in the proportion of the time (else distance) stated."""
    if day.mark not in ("done", "partly") or day.skipped_reason is not None:
        return done
    duration, distance = day.mark_duration_s, day.mark_distance_m
    if duration is None and distance is None:
        if day.mark == "partly":
            return done
        return done.plus(day.duration_s, day.distance_m, day.load)
    share = next(
        (
            stated / planned
            for stated, planned in ((duration, day.duration_s), (distance, day.distance_m))
            if stated is not None and planned
        ),
        None,
    )
    load = day.load * share if day.load is not None and share is not None else None
    return done.plus(duration or 0.0, distance or 0.0, load)


def _week_colour(
    monday: dt.date, today: dt.date, planned: Totals, done: Totals
) -> plan_compliance.Colour:
    """The week's colour by the rule of a day's (``compliance.compliance``): the ratio
    done / planned so far of duration, else distance, else load."""
    if monday > today:
        return "planned"
    pairs = (
        (done.duration_s, planned.duration_s),
        (done.distance_m, planned.distance_m),
        (done.load, planned.load),
    )
    ratio = next((d / p for d, p in pairs if p > 0), None)
    return plan_compliance.ratio_class(ratio)  # nothing due yet: "planned"


def month_weeks(plan: Plan, month: dt.date, today: dt.date) -> list[CalendarWeek]:
    """The weeks of ``month``'s grid (Monday before its first to Sunday after its last)."""
    first = month.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return weeks_between(plan, first, last, today)


def season(plan: Plan, today: dt.date) -> list[SeasonWeek]:
    """Every week of the plan with its block and loads (two queries: none for the days,
    one for the sessions)."""
    stored = (plan.projection or {}).get("weeks", [])
    if not stored:
        return []
    first = dt.date.fromisoformat(str(stored[0]["start"]))
    last = max(plan.race_date, dt.date.fromisoformat(str(stored[-1]["end"])))
    planned: dict[dt.date, Totals] = {}
    planned_so_far: dict[dt.date, Totals] = {}
    races: dict[dt.date, list[dt.date]] = {}
    for day in plan.days:
        if day.kind == "race":
            races.setdefault(_monday(day.date), []).append(day.date)
        if day.skipped_reason is not None:
            continue
        monday = _monday(day.date)
        planned[monday] = planned.get(monday, Totals()).plus(
            day.duration_s, day.distance_m, day.load
        )
        if day.date <= today:
            planned_so_far[monday] = planned_so_far.get(monday, Totals()).plus(
                day.duration_s, day.distance_m, day.load
            )
    done: dict[dt.date, Totals] = {}
    for session in _sessions(plan.runner_id, first, last):
        if session.sport == RUNNING:
            monday = _monday(session.local_date)
            done[monday] = done.get(monday, Totals()).plus(
                session.timer_time_s, session.distance_m, session.load
            )
    rows = []
    for week in stored:
        monday = _monday(dt.date.fromisoformat(str(week["start"])))
        week_done = done.get(monday, Totals())
        rows.append(
            SeasonWeek(
                index=int(week["index"]),
                start=monday,
                block=str(week["block"]),
                block_kind=str(week["block_kind"]),
                recovery=bool(week["recovery"]),
                target_load=float(week["target_load"]),
                planned_load=planned.get(monday, Totals()).load,
                done_load=week_done.load,
                colour=_week_colour(monday, today, planned_so_far.get(monday, Totals()), week_done),
                races=tuple(races.get(monday, ())),
            )
        )
    return rows


def active_plan(runner: Runner, today: dt.date) -> Plan | None:
    """The plan a runner trains on today: the one whose days cover today (the latest
    generated when several), else the next to start; ``None`` when no race is ahead."""
    rows = list(
        db.session.execute(
            sa.select(Plan)
            .where(Plan.runner_id == runner.id, Plan.race_date >= today)
            .order_by(Plan.start_date, Plan.generated_at.desc(), Plan.id.desc())
        ).scalars()
    )
    current = [p for p in rows if p.start_date <= today]
    if current:
        return max(current, key=lambda p: (p.generated_at, p.id))
    return rows[0] if rows else None


def _totals_shape(totals: Totals) -> TotalsShape:
    return TotalsShape(
        duration_s=round(totals.duration_s, 1),
        distance_m=round(totals.distance_m, 1),
        load=round(totals.load, 1),
        sessions=totals.sessions,
    )


def calendar_shapes(weeks: list[CalendarWeek]) -> list[CalendarWeekShape]:
    """The weeks as the API and the CLI give them (``plans.schemas``)."""
    return [
        CalendarWeekShape(
            start=week.start,
            block=week.block,
            planned=_totals_shape(week.planned),
            done=_totals_shape(week.done),
            compliance=week.colour,
            days=[
                CalendarDayShape(
                    date=day.date,
                    planned=None if day.planned is None else plan_day_shape(day.planned),
                    completed=None
                    if day.completed is None
                    else calendar_session_shape(day.completed),
                    unplanned=[calendar_session_shape(s) for s in day.unplanned],
                    compliance=None if day.compliance is None else day.compliance.colour,
                )
                for day in week.days
            ],
        )
        for week in weeks
    ]
