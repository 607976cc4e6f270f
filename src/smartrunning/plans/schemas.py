"""A training plan as the API, the CLI and the calendar show it: one typed shape per
resource, with the API's field names, built by one function each.

- a planned day (:class:`PlanDayShape`, :func:`plan_day_shape`) with its step targets
  (:class:`PlanTargetShape`): what ``/api/plans/{id}`` lists, what every day edit answers,
  the calendar's planned day, and the CLI's day (``--json``; its text reads the same shape);
- a plan (:class:`PlanSummary` in a runner's list, :class:`PlanDetail` with its warnings,
  stale targets, projection and days: :func:`plan_summary`, :func:`plan_detail`);
- a plan template (:class:`PlanTemplateShape`, :func:`plan_template_shape`): its JSON
  (``body``) and how many weeks it lays out;
- a refresh of the targets (:class:`RefreshShape`, :func:`refresh_shape`);
- the calendar's session entry (:class:`CalendarSessionShape`,
  :func:`calendar_session_shape`): a session as the calendar lists it, ``duration_s`` being
  its timer time (``timer_time_s`` in ``/api/sessions``), and the calendar's days and weeks
  (:class:`CalendarDayShape`, :class:`CalendarWeekShape`, :class:`TotalsShape`), built by
  ``plans.calendar.calendar_shapes``.

Values are the stored ones, SI and unrounded (readers round for display); a week's totals,
sums of many days, are rounded to 0.1. The API's schemas (``…Out``) are derived from the
shapes (``platform.shapes.schema_of``); the CLI prints ``as_dict()``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from smartrunning.plans import freshness, plan_schemas
from smartrunning.plans.models import Plan, PlanDay, PlanSchemaRow
from smartrunning.platform.shapes import Shape, doc, schema_of
from smartrunning.sessions.models import TrainingSession

__all__ = [
    "CalendarDayOut",
    "CalendarDayShape",
    "CalendarSessionOut",
    "CalendarSessionShape",
    "CalendarWeekOut",
    "CalendarWeekShape",
    "PlanDayOut",
    "PlanDayShape",
    "PlanDetail",
    "PlanOut",
    "PlanSchemaOut",
    "PlanSummary",
    "PlanSummaryOut",
    "PlanTargetShape",
    "PlanTemplateShape",
    "PlanWarningShape",
    "RefreshOut",
    "RefreshShape",
    "TargetChangeShape",
    "TotalsShape",
    "calendar_session_shape",
    "plan_day_shape",
    "plan_detail",
    "plan_summary",
    "plan_template_shape",
    "refresh_shape",
]

# ``None`` in a plan the CLI shows without storing it (``plan generate`` without --save);
# the API's plans and days are stored: it documents ``id`` as never null.
_NOT_STORED = doc(not_null=True)


@dataclass(frozen=True, slots=True)
class PlanTargetShape(Shape):
    """A workout step's target: its intensity (fraction of critical speed) and the pace
    (s/km) and heart-rate ranges of the day; a bound without a value is ``null``.
    ``effort``: what a part run by effort aims at instead of a pace (hill repetitions:
    ``pace_s_per_km`` is ``null``), else ``null``."""

    step_index: int
    part: str
    intensity: list[float]
    pace_s_per_km: list[float | None] | None
    hr_bpm: list[float | None] | None
    effort: str | None


@dataclass(frozen=True, slots=True)
class PlanDayShape(Shape):
    """One planned session (or the race, ``kind`` ``race``) of a plan."""

    id: int | None = field(metadata=_NOT_STORED)
    date: dt.date
    week: int
    kind: str
    slot: str
    hard: bool
    workout_id: int | None
    workout_name: str
    duration_s: float
    distance_m: float
    load: float
    targets: list[PlanTargetShape]
    notes: str
    why: str = field(
        metadata=doc(
            "The generator's reasons with their basis, for the coach (plain notes: notes)."
        )
    )
    edited: bool
    skipped_reason: str | None
    mark: str | None
    mark_reason: str | None
    mark_duration_s: float | None
    mark_distance_m: float | None
    session_id: int | None


@dataclass(frozen=True, slots=True)
class PlanWarningShape(Shape):
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class TargetChangeShape(Shape):
    """A parameter changed since the plan's targets were resolved, valid from when."""

    parameter: str
    label: str
    valid_from: dt.date = field(metadata=doc("ISO date", as_text=True))


@dataclass(frozen=True, slots=True)
class PlanSummary(Shape):
    """A plan in a runner's list."""

    id: int | None = field(metadata=_NOT_STORED)
    runner_id: int
    schema_name: str
    race_date: dt.date
    race_distance_m: float
    weeks: int
    start_date: dt.date
    generated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PlanDetail(PlanSummary):
    """A plan with its warnings, stale targets, projection and days."""

    warnings: list[PlanWarningShape]
    targets_stale: list[TargetChangeShape] = field(
        metadata=doc(
            "Parameters changed since the targets were set: parameter, label and "
            "valid_from (ISO date) of each; empty: the targets are fresh",
            read_only=True,
        )
    )
    projection: dict[str, Any]
    days: list[PlanDayShape]


@dataclass(frozen=True, slots=True)
class PlanTemplateShape(Shape):
    """A plan template (a plan schema): ``is_default`` ships with the app; ``owner_id`` the
    coach or admin who made it; ``weeks`` it lays out; ``body`` its JSON."""

    id: int
    name: str
    is_default: bool
    owner_id: int | None
    weeks: int
    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class RefreshShape(Shape):
    """What a refresh of a plan's targets changed, and what is still stale."""

    plan_id: int
    days_changed: int
    targets_stale: list[TargetChangeShape]


@dataclass(frozen=True, slots=True)
class CalendarSessionShape(Shape):
    """A session on the calendar: the one done for a planned day, or an unplanned one."""

    id: int
    sport: str
    duration_s: float = field(metadata=doc("timer time (timer_time_s in /api/sessions)"))
    distance_m: float
    load: float | None


@dataclass(frozen=True, slots=True)
class TotalsShape(Shape):
    """A week's time (s), distance (m), load and number of sessions, rounded to 0.1."""

    duration_s: float
    distance_m: float
    load: float
    sessions: int


@dataclass(frozen=True, slots=True)
class CalendarDayShape(Shape):
    """A date: its planned day (``null``: rest), the session done for it, the day's other
    sessions, and the planned day's compliance colour."""

    date: dt.date = field(metadata=doc(as_text=True))
    planned: PlanDayShape | None
    completed: CalendarSessionShape | None
    unplanned: list[CalendarSessionShape]
    compliance: str | None


@dataclass(frozen=True, slots=True)
class CalendarWeekShape(Shape):
    """Monday ``start`` to Sunday: the plan's block, the totals planned and done, the
    compliance colour and the days."""

    start: dt.date = field(metadata=doc(as_text=True))
    block: str | None
    planned: TotalsShape
    done: TotalsShape
    compliance: str
    days: list[CalendarDayShape]


PlanTargetOut = schema_of(PlanTargetShape, name="PlanTargetOut")
PlanDayOut = schema_of(PlanDayShape, name="PlanDayOut")
PlanWarningOut = schema_of(PlanWarningShape, name="PlanWarningOut")
TargetChangeOut = schema_of(TargetChangeShape, name="TargetChangeOut")
PlanSummaryOut = schema_of(PlanSummary, name="PlanSummaryOut")
PlanOut = schema_of(PlanDetail, name="PlanOut")
RefreshOut = schema_of(RefreshShape, name="RefreshOut")
PlanSchemaOut = schema_of(PlanTemplateShape, name="PlanSchemaOut")
CalendarSessionOut = schema_of(CalendarSessionShape, name="CalendarSessionOut")
TotalsOut = schema_of(TotalsShape, name="TotalsOut")
CalendarDayOut = schema_of(CalendarDayShape, name="CalendarDayOut")
CalendarWeekOut = schema_of(CalendarWeekShape, name="CalendarWeekOut")


def _target(stored: dict[str, Any]) -> PlanTargetShape:
    return PlanTargetShape(
        step_index=stored["step_index"],
        part=stored["part"],
        intensity=list(stored["intensity"]),
        pace_s_per_km=stored.get("pace_s_per_km"),
        hr_bpm=stored.get("hr_bpm"),
        effort=stored.get("effort"),
    )


def plan_day_shape(day: PlanDay) -> PlanDayShape:
    """A plan day, stored or not (``id`` ``None``), as pages, the API and the CLI show it."""
    return PlanDayShape(
        id=day.id,
        date=day.date,
        week=day.week,
        kind=day.kind,
        slot=day.slot,
        hard=day.hard,
        workout_id=day.workout_id,
        workout_name=day.workout_name,
        duration_s=day.duration_s,
        distance_m=day.distance_m,
        load=day.load,
        targets=[_target(t) for t in day.targets or ()],
        notes=day.notes,
        why=day.why or "",
        edited=day.edited,
        skipped_reason=day.skipped_reason,
        mark=day.mark,
        mark_reason=day.mark_reason,
        mark_duration_s=day.mark_duration_s,
        mark_distance_m=day.mark_distance_m,
        session_id=day.session_id,
    )


def _summary_fields(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "runner_id": plan.runner_id,
        "schema_name": plan.schema_name,
        "race_date": plan.race_date,
        "race_distance_m": plan.race_distance_m,
        "weeks": plan.weeks,
        "start_date": plan.start_date,
        "generated_at": plan.generated_at,
    }


def plan_summary(plan: Plan) -> PlanSummary:
    """A plan as a runner's list shows it."""
    return PlanSummary(**_summary_fields(plan))


def _changes(changes: tuple[freshness.Change, ...]) -> list[TargetChangeShape]:
    return [TargetChangeShape(str(c.key), c.label, c.valid_from) for c in changes]


def plan_detail(plan: Plan, today: dt.date) -> PlanDetail:
    """A plan, stored or not, with its days; its targets' staleness as of ``today``."""
    return PlanDetail(
        **_summary_fields(plan),
        warnings=[PlanWarningShape(w["code"], w["message"]) for w in plan.warnings or ()],
        targets_stale=_changes(freshness.staleness(plan, today).changes),
        projection=plan.projection or {},
        days=[plan_day_shape(d) for d in plan.days],
    )


def plan_template_shape(row: PlanSchemaRow) -> PlanTemplateShape:
    """A plan template as the API and the CLI show it."""
    return PlanTemplateShape(
        id=row.id,
        name=row.name,
        is_default=row.is_default,
        owner_id=row.owner_id,
        weeks=plan_schemas.parse_row(row).total_weeks,
        body=row.body,
    )


def refresh_shape(plan: Plan, days_changed: int, today: dt.date) -> RefreshShape:
    """After a refresh of ``plan``'s targets: how many days changed, what is still stale."""
    return RefreshShape(
        plan_id=plan.id,
        days_changed=days_changed,
        targets_stale=_changes(freshness.staleness(plan, today).changes),
    )


def calendar_session_shape(session: TrainingSession) -> CalendarSessionShape:
    """A session as the calendar lists it."""
    return CalendarSessionShape(
        id=session.id,
        sport=session.sport,
        duration_s=session.timer_time_s,
        distance_m=session.distance_m,
        load=session.load,
    )
