"""Workouts' shapes (``workouts.schemas``) built from the models, for the pages, the API
and the CLI; and the chart of a workout's structure.

Values stay in SI units (s, m, m/s, s/km for paces, bpm); formatting happens at the edges.
"""

from __future__ import annotations

from typing import Any

from smartrunning.accounts.models import User
from smartrunning.science.workout_targets import ResolvedStep, extent_totals
from smartrunning.workouts.actions import (
    can_edit,
    structure,
)
from smartrunning.workouts.models import Workout
from smartrunning.workouts.schemas import StepRow, WorkoutDetail, WorkoutSummary, WorkoutTargets
from smartrunning.workouts.structure import structure_to_json
from smartrunning.workouts.targets import Resolution

__all__ = ["chart_json", "step_row", "workout_detail", "workout_summary", "workout_targets"]


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


def workout_targets(resolution: Resolution) -> WorkoutTargets:
    """The workout for a runner on a day: rows, totals, load and what they came from."""
    resolved = resolution.resolved
    params = resolution.parameters
    return WorkoutTargets(
        runner_id=resolution.runner.id if resolution.runner else None,
        on=resolution.day,
        cs_mps=resolved.cs_mps,
        cs_source=params.critical_speed.source.value if params else None,
        hrmax_bpm=params.hrmax_bpm if params else None,
        steps=[step_row(row) for row in resolved.steps],
        total_duration_s=resolved.total_duration_s,
        total_distance_m=resolved.total_distance_m,
        estimated_load=resolved.estimated_load,
    )


def chart_json(resolution: Resolution, reference_cs_mps: float) -> dict[str, Any]:
    """The structure over time for Chart.js: segments ``[start_s, end_s, from, to, kind]``.

    Distance steps need a speed to be drawn in time: the runner's CS, else
    ``reference_cs_mps`` (said in ``reference``).
    """
    resolved = resolution.resolved
    timeline = resolved.timeline
    reference = None
    if not timeline:
        reference = reference_cs_mps
        timeline = resolved.workout.timeline(reference_cs_mps)
    return {
        "sport": resolved.workout.sport,
        "cs_mps": resolved.cs_mps,
        "reference_cs_mps": reference,
        "segments": [
            [s.start_s, s.end_s, s.intensity_start, s.intensity_end, s.kind] for s in timeline
        ],
    }
