"""Issue #15, the plan grid: easy running is never faster than Daniels' E band for the VDOT
the plan uses (``paces.easy_fraction``). 0.79 × CS is inside the band at the CS model's
VDOT, but a runner whose races give a VDOT about 6 % below it ran easy and long runs at
marathon intensity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.plans import generate_plan
from smartrunning.science.plans.intensity import (
    EASY_RUN_FRACTION,
    EASY_SHARE,
    Intensity,
    classify,
    runner_vdot,
    speed_at_share,
)
from smartrunning.science.plans.paces import with_training_paces
from smartrunning.science.workouts import Steady
from tests.core.plan_checks import limit_breaks
from tests.core.plan_grid import GridRunner
from tests.core.plan_inputs import default_library


@given(
    cs=st.floats(2.3, 6.0),
    seconds_at_cs=st.floats(30.0, 90.0),
    factor=st.floats(0.8, 1.2),
)
def test_easy_running_is_never_faster_than_daniels_e_for_the_plans_vdot(
    cs: float, seconds_at_cs: float, factor: float
) -> None:
    """Every library session at Daniels' paces for a VDOT 0.8–1.2 × the CS model's: each
    part written as easy running (≤ 0.79 × CS) is Daniels' E for that VDOT, no faster than
    the band's fast end, and never faster than written."""
    level = runner_vdot(cs, seconds_at_cs * cs) * factor
    fastest = speed_at_share(EASY_SHARE[1], level)
    checked = 0
    for workout in default_library():
        paced = with_training_paces(workout, cs, level)
        for before, after in zip(workout.steps, paced.steps, strict=True):
            if not (isinstance(before, Steady) and before.target is None):
                continue
            if before.intensity > EASY_RUN_FRACTION + 1e-9:
                continue
            assert isinstance(after, Steady)
            assert after.intensity <= before.intensity + 1e-12, workout.name
            assert after.intensity * cs <= fastest + 1e-9, workout.name
            assert classify(after.intensity * cs, level) is Intensity.EASY, workout.name
            checked += 1
    assert checked


COUNTEREXAMPLES = {
    "easy runs at marathon intensity: VDOT from races 0.937 x the CS model's, 5 km": (
        '{"schema":"5k","level":"random","cs_mps":4.824,"d_prime_m":121.8,"age":53,'
        '"days":[0,2,3,4,5,6],"long_day":5,"history":"history","weekly_h":6.91,"weeks":27,'
        '"sessions":null,"race_km":null,"race_shift_d":3,"lthr":false,"vdot_factor":0.937,'
        '"cs_change":[140,1.017],"response":[2.937,5.355,40.7,14.3]}'
    ),
    "long runs at marathon intensity: VDOT from races 0.935 x, half": (
        '{"schema":"half-marathon","level":"random","cs_mps":5.042,"d_prime_m":132.5,'
        '"age":25,"days":[0,1,2,3,4,5,6],"long_day":2,"history":"stated","weekly_h":0.45,'
        '"weeks":16,"sessions":null,"race_km":17.25,"race_shift_d":0,"lthr":false,'
        '"vdot_factor":0.935,"cs_change":[33,0.988],"response":[2.499,5.807,51.8,13.1]}'
    ),
}


@pytest.mark.parametrize("runner", COUNTEREXAMPLES.values(), ids=list(COUNTEREXAMPLES))
def test_grid_runners_easy_and_long_runs_stay_off_marathon_pace(runner: str) -> None:
    """The plan grid's counterexamples (bench/plan_grid.py): no session holds more
    marathon-pace running than Daniels allows (their easy and long runs held it all)."""
    inputs = GridRunner.from_json(runner).inputs()
    plan = generate_plan(inputs)
    breaks = [b for b in limit_breaks(plan, inputs) if b[0] == "marathon pace per session"]
    assert not breaks, breaks
    easy = [d for d in plan.days if d.kind in ("easy", "long")]
    assert easy
    for day in easy:
        params = inputs.parameters(day.date)
        assert params.cs_mps is not None
        assert params.level is not None
        for step in day.workout.steps:
            if isinstance(step, Steady) and step.intensity <= EASY_RUN_FRACTION + 1e-9:
                speed = step.intensity * params.cs_mps
                assert classify(speed, params.level) is Intensity.EASY, day.workout.name
