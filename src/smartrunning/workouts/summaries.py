"""What is computed for a workout resolved for a runner on a day (``workouts.targets``):
its targets (:class:`~smartrunning.workouts.schemas.WorkoutTargets`) and the chart of its
structure.

Values stay in SI units (s, m, m/s, s/km for paces, bpm); formatting happens at the edges.
"""

from __future__ import annotations

from typing import Any

from smartrunning.workouts.schemas import WorkoutTargets, step_row
from smartrunning.workouts.targets import Resolution

__all__ = ["chart_json", "workout_targets"]


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
