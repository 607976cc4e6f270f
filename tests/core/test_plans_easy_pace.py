"""Issue #15: easy running sits inside Daniels' E band (59–74 % of VDOT), near its middle
for easy and long runs and in its slower part for recovery runs (``intensity`` module doc)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.plans.intensity import (
    EASY_RUN_FRACTION,
    EASY_SHARE,
    RECOVERY_RUN_FRACTION,
    Intensity,
    classify,
    runner_vdot,
    speed_at_share,
)
from smartrunning.science.workouts import Steady
from tests.core.plan_inputs import default_library

MIDDLE = sum(EASY_SHARE) / 2


def _band(cs: float, d_prime: float) -> tuple[float, float, float]:
    """Daniels' E band's slow end, middle and fast end as fractions of CS."""
    level = runner_vdot(cs, d_prime)
    slow, fast = (speed_at_share(s, level) / cs for s in EASY_SHARE)
    return slow, speed_at_share(MIDDLE, level) / cs, fast


@given(cs=st.floats(2.3, 6.0), seconds_at_cs=st.floats(30.0, 90.0))
def test_easy_and_recovery_fractions_sit_in_daniels_e_band(cs: float, seconds_at_cs: float) -> None:
    """For every runner (CS 2.3–6 m/s, D′ worth 30–90 s at CS): easy running within 0.04 × CS
    of the band's middle, recovery runs inside the band and slower than its middle."""
    slow, middle, fast = _band(cs, seconds_at_cs * cs)
    assert slow < EASY_RUN_FRACTION < fast
    assert abs(EASY_RUN_FRACTION - middle) <= 0.04
    assert slow <= RECOVERY_RUN_FRACTION < middle
    level = runner_vdot(cs, seconds_at_cs * cs)
    assert classify(EASY_RUN_FRACTION * cs, level) is Intensity.EASY
    assert classify(RECOVERY_RUN_FRACTION * cs, level) is Intensity.EASY


@pytest.mark.parametrize("kind", ["easy", "long", "recovery"])
def test_library_easy_running_uses_the_fractions(kind: str) -> None:
    """The default library's easy, long and recovery runs hold their main part at the
    stated fraction (warm-up and cool-down ramps aside)."""
    expected = RECOVERY_RUN_FRACTION if kind == "recovery" else EASY_RUN_FRACTION
    workouts = [w for w in default_library() if w.kind == kind]
    assert workouts
    for workout in workouts:
        steady = [s for s in workout.steps if isinstance(s, Steady)]
        assert steady, workout.name
        # the first steady part is the easy running (a marathon-pace finish follows it)
        assert steady[0].intensity == pytest.approx(expected), workout.name
