"""A runner's profile as one JSON-ready summary, shared by the CLI, the API and the pages."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, NamedTuple

from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import suggestions as suggestion_services
from smartrunning.athletes.models import (
    ParameterKey,
    ParameterVersion,
    Runner,
)
from smartrunning.athletes.schemas import BestShape, best_shape
from smartrunning.science.heart_rate import age_years, estimate_hrmax
from smartrunning.science.predictions import Prediction
from smartrunning.science.zones import ZoneSet

__all__ = [
    "TimelineRow",
    "best_timeline",
    "parameter_history",
    "predictions_json",
    "profile_summary",
    "zones_json",
]


class TimelineRow(NamedTuple):
    """A row of the bests' timeline: the distance's label and the entry."""

    label: str
    best: BestShape


def best_timeline(runner: Runner) -> dict[float, list[TimelineRow]]:
    """Per distance, every entry in date order (``is_record``: it set a new best)."""
    return {
        distance: [TimelineRow(e.label, best_shape(e.best, is_record=e.is_record)) for e in rows]
        for distance, rows in best_services.timeline(runner).items()
    }


def zones_json(zones: ZoneSet) -> list[dict[str, Any]]:
    return [
        {
            "number": z.number,
            "name": z.name,
            "lower": z.lower,
            "upper": None if math.isinf(z.upper) else z.upper,
        }
        for z in zones.zones
    ]


def _prediction(p: Prediction) -> dict[str, Any]:
    return {
        "model": p.model.value,
        "time_s": p.time_s,
        "note": p.note,
        "unavailable": p.unavailable.value if p.unavailable else None,
    }


def predictions_json(runner: Runner, day: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "distance": row.distance.key,
            "label": row.distance.label,
            "distance_m": row.distance.distance_m,
            "critical_speed": _prediction(row.critical_speed),
            "riegel": _prediction(row.riegel),
            "vdot": _prediction(row.vdot),
        }
        for row in best_services.predictions_on(runner, day)
    ]


def _version_json(version: ParameterVersion) -> dict[str, Any]:
    return {
        "id": version.id,
        "valid_from": version.valid_from,
        "value": version.value,
        "source": version.source.value,
        "details": version.details,
        "note": version.note,
        "created_at": version.created_at,
    }


def parameter_history(runner: Runner, key: ParameterKey) -> list[dict[str, Any]]:
    return [_version_json(v) for v in parameter_services.history(runner, key)]


def profile_summary(runner: Runner, today: dt.date) -> dict[str, Any]:
    """Profile, the parameters valid today with sources, zones, bests, CS report, predictions."""
    params = parameter_services.parameters_on(runner, today)
    estimate = estimate_hrmax(runner.birth_date, today)
    fit = best_services.current_fit(runner, today)
    cs_versions = parameter_services.history(runner, ParameterKey.CRITICAL_SPEED)
    return {
        "id": runner.id,
        "name": runner.name,
        "birth_date": runner.birth_date,
        "age_years": age_years(runner.birth_date, today),
        "sex": runner.sex.value,
        "user": runner.user.username if runner.user else None,
        "coaches": sorted(a.coach.username for a in runner.coach_rows),
        "training_weekdays": [int(d) for d in runner.training_weekdays],
        "long_run_weekday": runner.long_run_weekday,
        "sessions_per_week": runner.sessions_per_week,
        "weekly_running_min": runner.weekly_running_min,
        "notes": runner.notes,
        "profile_complete": runner.onboarding_step is None,
        "onboarding_step": runner.onboarding_step,
        "as_of": today,
        "parameters": params.as_dict(),
        "hrmax_estimate": {
            "bpm": round(estimate.hrmax_bpm, 1),
            "see_bpm": estimate.see_bpm,
            "source": estimate.source,
            "extrapolated": estimate.extrapolated,
        },
        "hr_zones": zones_json(params.hr_zones),
        "pace_zones": zones_json(params.pace_zones),
        # The day's best at each distance (so a record on that day; brief() leaves it out).
        "personal_bests": [
            best_shape(b, is_record=True).brief()
            for b in best_services.personal_bests_on(runner, today)
        ],
        "critical_speed": {
            "current": params.as_dict()["critical_speed"],
            "report": fit.report(),
            "basis": best_services.cs_basis(runner, today),
            "suggestions": [
                suggestion_services.suggestion_json(x)
                for x in suggestion_services.open_suggestions(runner)
            ],
            "versions": [_version_json(v) for v in cs_versions],
        },
        "predictions": predictions_json(runner, today),
    }
