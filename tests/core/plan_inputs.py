"""The plan generator's inputs shared by the plan tests and benches: the default library and
templates, a steady history, and ``inputs`` (a marathon plan unless told otherwise)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from functools import cache
from importlib.resources import files

from smartrunning.science.history import HistoryState
from smartrunning.science.plans import (
    CSVersion,
    DatedParameters,
    HRZonesVersion,
    PlanInputs,
    PlanSchema,
    parse_schema,
)
from smartrunning.science.workouts import Workout
from smartrunning.science.zones import HRZoneModel
from smartrunning.science.zwo import read_zwo

DEFAULTS = ("5k", "10k", "half-marathon", "marathon")
DISTANCES = {"5k": 5000.0, "10k": 10000.0, "half-marathon": 21097.5, "marathon": 42195.0}
ZONES = HRZoneModel().resolve(190.0)


@cache
def default_library() -> tuple[Workout, ...]:
    folder = files("smartrunning.data") / "workouts"
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".zwo")), key=lambda e: e.name)
    return tuple(read_zwo(e.read_bytes()) for e in entries)


@cache
def default_schema(name: str) -> PlanSchema:
    text = (files("smartrunning.data") / "plans" / f"{name}.json").read_text(encoding="utf-8")
    return parse_schema(json.loads(text))


def steady_state(ctl: float, atl: float | None = None) -> HistoryState:
    atl = ctl if atl is None else atl
    return HistoryState(ctl, atl, 0.0, 0.0, (ctl,) * 7, (ctl,) * 7)


def inputs(
    name: str = "marathon",
    *,
    race: dt.date = dt.date(2025, 10, 12),
    ctl: float = 45.0,
    cs: float | None = 3.8,
    **changes: object,
) -> PlanInputs:
    params = DatedParameters(
        cs=() if cs is None else (CSVersion(dt.date(2020, 1, 1), cs, 180.0),),
        hr_zones=(HRZonesVersion(dt.date(2020, 1, 1), ZONES),),
    )
    base = PlanInputs(
        schema=default_schema(name),
        race_date=race,
        race_distance_m=DISTANCES[name],
        training_days=frozenset({1, 2, 3, 5, 6}),
        long_run_day=6,
        sessions_per_week=5,
        start_state=steady_state(ctl),
        parameters=params,
        library=default_library(),
    )
    return replace(base, **changes)  # type: ignore[arg-type]
