"""Time the generation of a 24-week marathon plan with the default schema and library.

    .venv/bin/python bench/plan.py [--weeks 24] [--repeat 20]

The runner: CTL 45 after months of steady training, CS 3.8 m/s (4:23/km) and D′ 180 m,
HRmax 188, five sessions a week (Tue, Wed, Thu, Sat, Sun; long run on Sunday), and a CS
update halfway through the plan. Prints the median and best time over the repeats (the
goal is under one second) and a one-line summary of the plan.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py shares its name with a standard-library package; run as a script, this
# folder comes first on sys.path and would shadow it (see bench/http.py).
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import datetime as dt
import json
import statistics
import time
from importlib.resources import files

from smartrunning.science.history import HistoryState, daily_history
from smartrunning.science.plans import (
    CSVersion,
    DatedParameters,
    HRZonesVersion,
    Plan,
    PlanInputs,
    generate_plan,
    parse_schema,
    plan_start,
)
from smartrunning.science.workouts import Workout
from smartrunning.science.zones import HRZoneModel
from smartrunning.science.zwo import read_zwo

RACE_DATE = dt.date(2026, 4, 26)
CTL = 45.0


def library() -> tuple[Workout, ...]:
    folder = files("smartrunning.data") / "workouts"
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".zwo")), key=lambda e: e.name)
    return tuple(read_zwo(entry.read_bytes()) for entry in entries)


def steady_state(ctl: float, before: dt.date) -> HistoryState:
    """The history state after 200 days at a constant daily load of ``ctl``."""
    days = 200
    history = daily_history([ctl] * days, before - dt.timedelta(days=days))
    return history.state_after(days - 1)


def inputs(weeks: int) -> PlanInputs:
    text = (files("smartrunning.data") / "plans" / "marathon.json").read_text(encoding="utf-8")
    start = plan_start(RACE_DATE, weeks)
    zones = HRZoneModel().resolve(188.0)
    parameters = DatedParameters(
        cs=(
            CSVersion(start - dt.timedelta(days=60), 3.8, 180.0),
            CSVersion(start + dt.timedelta(days=7 * (weeks // 2)), 3.9, 190.0),
        ),
        hr_zones=(HRZonesVersion(start - dt.timedelta(days=60), zones),),
    )
    return PlanInputs(
        schema=parse_schema(json.loads(text)),
        race_date=RACE_DATE,
        race_distance_m=42195.0,
        training_days=frozenset({1, 2, 3, 5, 6}),
        long_run_day=6,
        sessions_per_week=5,
        start_state=steady_state(CTL, start),
        parameters=parameters,
        library=library(),
        weeks=weeks,
    )


def summary(plan: Plan) -> str:
    peak = max(plan.weeks, key=lambda w: w.load)
    predicted = plan.predicted_race_time_s or 0.0
    return (
        f"{len(plan.weeks)} weeks, {len(plan.days)} days, peak week {peak.index + 1} "
        f"({peak.load:.0f} load, {peak.duration_s / 3600:.1f} h), race-day form "
        f"{plan.race_day_form:+.1f}, largest CTL ramp {plan.max_ctl_ramp:+.1f}/week, "
        f"predicted {predicted / 3600:.2f} h, {len(plan.warnings)} warning(s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weeks", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    plan_inputs = inputs(args.weeks)
    samples = []
    plan = None
    for _ in range(args.repeat):
        began = time.perf_counter()
        plan = generate_plan(plan_inputs)
        samples.append(time.perf_counter() - began)
    assert plan is not None
    median = statistics.median(samples)
    verdict = "OK" if median < 1.0 else "SLOW"
    print(
        f"generate_plan ({args.weeks}-week marathon): median {median * 1000:.1f} ms, "
        f"best {min(samples) * 1000:.1f} ms over {args.repeat} runs (goal < 1 s: {verdict})"
    )
    print(summary(plan))


if __name__ == "__main__":
    main()
