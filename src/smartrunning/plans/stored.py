"""A generated plan's parts as the JSON stored with it (``Plan`` and ``PlanDay`` columns)
and shown by the pages, the API and the CLI."""

from __future__ import annotations

import math
from typing import Any

from smartrunning.science import plans as sp

__all__ = ["projection_json", "targets_json", "warnings_json"]


def _finite_pair(pair: tuple[float, float] | None) -> list[float | None] | None:
    if pair is None:
        return None
    return [x if math.isfinite(x) else None for x in pair]


def targets_json(targets: tuple[sp.StepTarget, ...]) -> list[dict[str, Any]]:
    """A day's step targets as stored (``PlanDay.targets``): non-finite bounds as null."""
    return [
        {
            "step_index": t.step_index,
            "part": t.part,
            "intensity": list(t.intensity),
            "pace_s_per_km": _finite_pair(t.pace_s_per_km),
            "hr_bpm": _finite_pair(t.hr_bpm),
        }
        for t in targets
    ]


def projection_json(plan: sp.Plan) -> dict[str, Any]:
    """The projection to race day and the weeks' figures as stored (``Plan.projection``)."""
    return {
        "days": [
            {
                "date": p.date.isoformat(),
                "load": p.load,
                "ctl": p.ctl,
                "atl": p.atl,
                "form": p.form,
            }
            for p in plan.projection
        ],
        "weeks": [
            {
                "index": w.index,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "block": w.block,
                "block_kind": str(w.block_kind),
                "recovery": w.recovery,
                "target_load": w.target_load,
                "load": w.load,
                "duration_s": w.duration_s,
                "distance_m": w.distance_m,
                "sessions": w.sessions,
                "ctl_end": w.ctl_end,
                "ctl_ramp": w.ctl_ramp,
            }
            for w in plan.weeks
        ],
        "race_day_form": plan.race_day_form,
        "max_ctl_ramp": plan.max_ctl_ramp,
        "predicted_race_time_s": plan.predicted_race_time_s,
    }


def warnings_json(plan: sp.Plan) -> list[dict[str, str]]:
    """The plan's warnings as stored (``Plan.warnings``): code and message."""
    return [{"code": str(w.code), "message": w.message} for w in plan.warnings]
