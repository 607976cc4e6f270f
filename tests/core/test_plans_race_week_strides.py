"""Race weeks of 4–5 km keep their strides (issue #15; ``limits`` module doc: a set of at
most ``limits.FREE_STRIDES`` strides is not a repetition session). Counted against
Daniels' 5 % of such a week, not even 4 × 20 s fit, the quality session too small to be
one became a plain 5–6 min easy run and the taper kept no fast running (the plan grid's
"the taper drops intensity" on these runners)."""

from __future__ import annotations

import pytest

from smartrunning.science.plans import generate_plan
from smartrunning.science.plans.day_plan import TAPER_SHORTEST_S
from smartrunning.science.plans.intensity import Intensity
from smartrunning.science.plans.limits import (
    FREE_STRIDES,
    capped_distances,
    intensity_distances,
    over_limits,
    session_limits,
    taper_over_limits,
)
from smartrunning.science.plans.model import Plan
from smartrunning.science.plans.week_limits import _fitting_strides
from smartrunning.science.workouts import Intervals
from tests.core.plan_checks import assert_every_limit
from tests.core.plan_grid import GridRunner

_REST = (
    '"history":"history","sessions":null,"race_km":null,"race_shift_d":0,"lthr":false,'
    '"vdot_factor":null,"cs_change":null,"response":null'
)
TINY_RACE_WEEKS = {
    # The plan grid's: a beginner's 10 km, 3 weeks on 3 days (race week 4.8 km).
    "10k-beginner-3-weeks": '{"schema":"10k","level":"beginner","cs_mps":2.8,'
    '"d_prime_m":120.0,"age":35,"days":[1,3,6],"long_day":6,"weekly_h":1.5,"weeks":3,'
    + _REST
    + "}",
    # A half marathon from 0.85 h of running a week, 3 weeks on 3 days.
    "half-0.85h-3-weeks": '{"schema":"half-marathon","level":"beginner","cs_mps":3.2,'
    '"d_prime_m":150.0,"age":35,"days":[1,3,6],"long_day":6,"weekly_h":0.85,"weeks":3,'
    + _REST
    + "}",
}


def _plan(text: str) -> tuple[Plan, GridRunner]:
    runner = GridRunner.from_json(text)
    return generate_plan(runner.inputs()), runner


@pytest.mark.parametrize("text", TINY_RACE_WEEKS.values(), ids=TINY_RACE_WEEKS.keys())
def test_a_tiny_race_week_keeps_every_limit(text: str) -> None:
    plan, runner = _plan(text)
    assert taper_over_limits(plan) == []
    assert_every_limit(plan, runner.inputs())


@pytest.mark.parametrize("text", TINY_RACE_WEEKS.values(), ids=TINY_RACE_WEEKS.keys())
def test_a_tiny_race_week_has_strides_of_10_min_at_least(text: str) -> None:
    plan, _runner = _plan(text)
    race_week = plan.weeks[-1]
    assert race_week.distance_m < 6000.0  # the case: a race week of 4–5 km
    strides = [
        d for d in plan.days if d.week == race_week.index and not d.is_race and d.kind == "strides"
    ]
    assert strides, [(d.kind, d.workout.name) for d in plan.days if d.week == race_week.index]
    for day in strides:
        assert day.duration_s >= TAPER_SHORTEST_S, (day.workout.name, day.duration_s)
        held = sum(s.repeat for s in day.workout.steps if isinstance(s, Intervals))
        assert held >= FREE_STRIDES, day.workout.name


def test_four_strides_are_not_counted_against_the_repetition_cap_five_are() -> None:
    """``limits.capped_distances``: 4 × 20 s pass free in a 4.8 km week (R cap 240 m), the
    same strides counted in full; 5 × 20 s count (and break it)."""
    plan, runner = _plan(TINY_RACE_WEEKS["10k-beginner-3-weeks"])
    day = next(d for d in plan.days if d.kind == "strides")
    params = runner.inputs().parameters(day.date)
    caps = session_limits(4787.0)
    four, count = _fitting_strides(day.distance_m, params, day.speed_mps, caps, (4,))
    assert count == 4
    held = intensity_distances(four, params, day.speed_mps)[Intensity.REPETITION]
    assert held > caps.distance_m[Intensity.REPETITION]  # counted, 4 strides break 5 %
    assert capped_distances(four, params, day.speed_mps)[Intensity.REPETITION] == 0.0
    assert over_limits(four, params, day.speed_mps, caps) == []
    five, count = _fitting_strides(day.distance_m, params, day.speed_mps, session_limits(1e6), (5,))
    assert count == 5
    assert over_limits(five, params, day.speed_mps, caps)
