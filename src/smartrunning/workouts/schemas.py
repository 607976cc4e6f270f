"""A library workout as pages, the API and the CLI show it: one typed shape each for the
list (:class:`WorkoutSummary`) and for one workout (:class:`WorkoutDetail`: the summary
and its steps), and a workout's targets for a runner on a day (:class:`WorkoutTargets`).

The field names are the API's; units are SI (s, m, m/s, s/km for paces, bpm).
:func:`workout_summary` and :func:`workout_detail` build them from a workout, :func:`step_row`
a row of the targets; ``workouts.summaries`` builds the targets
(:func:`~smartrunning.workouts.summaries.workout_targets`); the API serialises them with
:data:`WorkoutSummaryOut` (the list), :data:`WorkoutOut` (one workout, with ``resolved``
when asked for a runner) and :data:`ResolvedOut`, derived from the same fields; the CLI
prints :meth:`WorkoutSummary.for_anyone` with ``--json`` (``workouts list`` and ``show``)
and reads the attributes for its text, as the library and workout pages' templates do.

A row of the targets (:class:`StepRow`) is a plain mapping, so that ``as_dict`` stays
JSON-ready; the API documents its parts with :data:`ResolvedStepOut`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypedDict

from marshmallow import Schema, fields

from smartrunning.accounts.models import User
from smartrunning.platform.shapes import Shape, doc, schema_of
from smartrunning.science.workout_targets import ResolvedStep, extent_totals
from smartrunning.workouts.actions import can_edit, structure
from smartrunning.workouts.models import Workout
from smartrunning.workouts.structure import structure_to_json

__all__ = [
    "ExtentOut",
    "ResolvedOut",
    "ResolvedStepOut",
    "StepExtent",
    "StepRow",
    "StepTarget",
    "TargetOut",
    "WorkoutDetail",
    "WorkoutOut",
    "WorkoutSummary",
    "WorkoutSummaryOut",
    "WorkoutTargets",
    "step_row",
    "workout_detail",
    "workout_summary",
]


@dataclass(frozen=True, slots=True)
class WorkoutSummary(Shape):
    """A library workout's columns, the length of its time and distance steps, and whether
    the user who asked may edit it."""

    id: int
    name: str
    sport: str
    kind: str | None
    description: str
    author: str
    tags: list[str]
    is_default: bool
    owner: str | None
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    step_count: int
    time_steps_s: float = field(metadata=doc("seconds of the time steps"))
    distance_steps_m: float = field(metadata=doc("metres of the distance steps"))
    can_edit: bool

    FOR_THE_ASKER: ClassVar[tuple[str, ...]] = ("can_edit",)
    """What depends on who asks: the CLI, which acts for no user, leaves it out."""

    def for_anyone(self) -> dict[str, Any]:
        """:meth:`as_dict` less :data:`FOR_THE_ASKER` (the CLI's ``--json``)."""
        return {k: v for k, v in self.as_dict().items() if k not in self.FOR_THE_ASKER}


@dataclass(frozen=True, slots=True)
class WorkoutDetail(WorkoutSummary):
    """One workout: the summary and its structure in the step editor's JSON form."""

    structure: dict[str, Any] = field(metadata=doc("name, sport, tags, steps … (as in)"))


class StepExtent(TypedDict):
    """How long one repetition of a step lasts: ``value`` in ``unit`` (s or m)."""

    value: float
    unit: str


class StepTarget(TypedDict):
    """The pace (s/km, fastest to slowest) or HR (fractions of HRmax) target a step gave."""

    kind: str
    low: float
    high: float


class StepRow(TypedDict):
    """One step (or an interval block's on or off part), for one repetition."""

    step_index: int
    part: str
    kind: str
    repeat: int
    extent: StepExtent
    intensity: list[float] | None
    duration_s: float | None
    distance_m: float | None
    pace_s_per_km: list[float] | None
    pace_range_s_per_km: list[float] | None
    hr_bpm: list[float] | None
    target: StepTarget | None


@dataclass(frozen=True, slots=True)
class WorkoutTargets(Shape):
    """A workout for a runner on a day (both ``None``: for no one): each row's paces and
    heart rates, the totals and load, and the CS and HRmax they came from."""

    # The API has always documented these as possibly null.
    runner_id: int | None
    on: dt.date | None
    cs_mps: float | None
    cs_source: str | None
    hrmax_bpm: float | None
    steps: list[StepRow]
    total_duration_s: float | None
    total_distance_m: float | None
    estimated_load: float | None


def workout_summary(workout: Workout, user: User | None = None) -> WorkoutSummary:
    """A library workout: its columns, the length of its time and distance steps, and
    whether ``user`` may edit it (no user: False)."""
    content = structure(workout)
    totals = extent_totals(content)
    return WorkoutSummary(
        id=workout.id,
        name=workout.name,
        sport=workout.sport.value,
        kind=workout.kind,
        description=workout.description,
        author=workout.author,
        tags=workout.tags,
        is_default=workout.is_default,
        owner=workout.owner.username if workout.owner else None,
        archived=workout.archived,
        created_at=workout.created_at,
        updated_at=workout.updated_at,
        step_count=len(content.steps),
        time_steps_s=totals["s"],
        distance_steps_m=totals["m"],
        can_edit=can_edit(user, workout) if user is not None else False,
    )


def workout_detail(workout: Workout, user: User | None = None) -> WorkoutDetail:
    """One workout: its summary and its structure in the step editor's JSON form."""
    return WorkoutDetail(
        **workout_summary(workout, user).as_dict(),
        structure=structure_to_json(structure(workout)),
    )


def _pair(values: tuple[float, float] | None) -> list[float] | None:
    return None if values is None else [values[0], values[1]]


def step_row(row: ResolvedStep) -> StepRow:
    """One row of a resolved workout (one repetition; ``repeat`` in a row)."""
    return {
        "step_index": row.step_index,
        "part": row.part,
        "kind": row.kind,
        "repeat": row.repeat,
        "extent": {"value": row.extent.value, "unit": row.extent.unit},
        "intensity": _pair(row.intensity),
        "duration_s": row.duration_s,
        "distance_m": row.distance_m,
        "pace_s_per_km": _pair(row.pace_s_per_km),
        "pace_range_s_per_km": _pair(row.pace_range_s_per_km),
        "hr_bpm": _pair(row.hr_bpm),
        "target": (
            None
            if row.target is None
            else {"kind": row.target.kind, "low": row.target.low, "high": row.target.high}
        ),
    }


# The rows' parts are objects the shapes cannot nest: documented here, field by field.
class ExtentOut(Schema):
    value = fields.Float()
    unit = fields.Str(metadata={"description": "s (time) or m (distance)"})


class TargetOut(Schema):
    kind = fields.Str(metadata={"description": "pace (s/km) or hr (fractions of HRmax)"})
    low = fields.Float()
    high = fields.Float()


class ResolvedStepOut(Schema):
    """One step (or an interval block's on/off part), for one repetition."""

    target = fields.Nested(
        TargetOut, allow_none=True, metadata={"description": "the pace or HR target given"}
    )
    step_index = fields.Int()
    part = fields.Str(metadata={"description": "step, on or off"})
    kind = fields.Str()
    repeat = fields.Int()
    extent = fields.Nested(ExtentOut)
    intensity = fields.List(fields.Float(), allow_none=True)
    duration_s = fields.Float(allow_none=True)
    distance_m = fields.Float(allow_none=True)
    pace_s_per_km = fields.List(
        fields.Float(), allow_none=True, metadata={"description": "at the start and end"}
    )
    pace_range_s_per_km = fields.List(
        fields.Float(), allow_none=True, metadata={"description": "fastest, slowest (±2 %)"}
    )
    hr_bpm = fields.List(fields.Float(), allow_none=True)


class ResolvedOut(schema_of(WorkoutTargets, name="WorkoutTargetsOut")):  # type: ignore[misc]
    # The rows, documented field by field.
    steps = fields.List(fields.Nested(ResolvedStepOut))


WorkoutSummaryOut = schema_of(WorkoutSummary, name="WorkoutSummaryOut")


class WorkoutOut(schema_of(WorkoutDetail, name="WorkoutDetailOut")):  # type: ignore[misc]
    # Given only when asked for a runner (``runner_id``): the workout's WorkoutTargets.
    resolved = fields.Nested(
        ResolvedOut, metadata={"description": "with runner_id: targets and totals on a date"}
    )
