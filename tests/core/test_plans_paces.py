"""Daniels' training paces (science.plans.paces): worked examples from Daniels' tables,
the order of the intensities for any runner, and the library's sessions run at them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.plans.intensity import (
    EASY_RUN_FRACTION,
    Intensity,
    classify,
    runner_vdot,
    share_of_vdot,
)
from smartrunning.science.plans.paces import (
    intended_intensity,
    training_speed_mps,
    with_training_paces,
)
from smartrunning.science.plans.targets import DayParameters, step_targets
from smartrunning.science.workouts import Extent, Intervals, Ramp, Steady, Workout

E, M, T, I, R = (  # noqa: E741
    Intensity.EASY,
    Intensity.MARATHON,
    Intensity.THRESHOLD,
    Intensity.INTERVAL,
    Intensity.REPETITION,
)


def pace_s_per_km(speed_mps: float) -> float:
    return 1000.0 / speed_mps


# Daniels' Running Formula (3rd ed.), training intensities by VDOT: VDOT 50 runs T at
# 4:15/km (6:51/mile) and I at 3:55/km (1:34 per 400 m); table 3.1: VDOT 50 mile 5:50
# (R is about mile race pace) and marathon 3:10:49 (M). VDOT 30: I 5:55/km (2:22 per 400 m).
@pytest.mark.parametrize(
    ("level", "intensity", "table_s_per_km"),
    [
        (50.0, I, 3 * 60 + 55.0),
        (50.0, T, 4 * 60 + 15.0),
        (50.0, R, (5 * 60 + 50.0) / 1.609344),
        (50.0, M, (3 * 3600 + 10 * 60 + 49.0) / 42.195),
        (30.0, I, 5 * 60 + 55.0),
    ],
)
def test_daniels_paces_match_his_tables_within_a_second_per_km(
    level: float, intensity: Intensity, table_s_per_km: float
) -> None:
    ours = pace_s_per_km(training_speed_mps(intensity, level))
    assert ours == pytest.approx(table_s_per_km, abs=1.0)


def test_easy_running_has_no_single_pace() -> None:
    with pytest.raises(ValueError, match="no single pace"):
        training_speed_mps(E, 50.0)
    with pytest.raises(ValueError, match="VDOT"):
        training_speed_mps(I, 0.0)


RUNNERS = st.tuples(st.floats(2.3, 6.0), st.floats(30.0, 90.0), st.floats(-3.0, 3.0))


@given(RUNNERS)
def test_i_faster_than_t_faster_than_m_faster_than_e_and_r_faster_than_i(
    runner: tuple[float, float, float],
) -> None:
    """For any runner (CS 2.3-6 m/s, D' worth 30-90 s at CS, a race VDOT within 3 points
    of the CS model's): R > I > T > M > the plans' easy running, each in its own Daniels
    band but R (mile pace: 100-110 % of VDOT, as Daniels' own R for slow runners) and M
    (below)."""
    cs, d_seconds, offset = runner
    level = runner_vdot(cs, cs * d_seconds) + offset
    r, i, t, m = (training_speed_mps(x, level) for x in (R, I, T, M))
    easy = EASY_RUN_FRACTION * cs
    assert r > i > t > m > easy
    assert classify(i, level) == I
    assert classify(t, level) == T
    # M is the marathon race pace: 80-82 % of VDOT for most, 84-85 % for the fastest (CS
    # 6 m/s), past the 83.5 % where a speed reads as T; inside Daniels' 75-84 % +- 1.
    assert 0.75 <= share_of_vdot(m, level) < 0.85
    assert share_of_vdot(r, level) < 1.2  # (above I: r > i)


def test_intent_by_kind_and_fraction() -> None:
    assert intended_intensity("vo2max", 1.07) == I
    assert intended_intensity("vo2max", 0.65) is None  # its jog recoveries
    assert intended_intensity("threshold", 0.96) == T
    assert intended_intensity("long", 0.86) == M
    assert intended_intensity("long", 0.79) is None
    assert intended_intensity("strides", 1.25) == R
    assert intended_intensity("hills", 1.02) == I
    assert intended_intensity("tempo", 0.9) is None
    assert intended_intensity(None, 1.2) is None


WARMUP = Ramp("warmup", Extent(900.0), 0.62, 0.78)


def test_a_vo2max_session_runs_at_daniels_i_pace_for_a_vdot_50_runner() -> None:
    # 6 x 3 min at 1.07 x CS, for a runner of CS 4.0 m/s whose races give VDOT 50.
    cs = 4.0
    workout = Workout(
        "VO2max 6 × 3 min",
        "run",
        (WARMUP, Intervals(6, Extent(180.0), Extent(120.0), 1.07, 0.65)),
        tags=("kind:vo2max",),
    )
    paced = with_training_paces(workout, cs, 50.0)
    reps = paced.steps[1]
    assert isinstance(reps, Intervals)
    assert pace_s_per_km(reps.on_intensity * cs) == pytest.approx(235.0, abs=1.0)  # 3:55
    assert reps.off_intensity == 0.65  # the jog stays
    assert paced.steps[0] == WARMUP
    params = DayParameters(cs_mps=cs, d_prime_m=200.0, hrmax_bpm=190.0, vdot=50.0)
    on = next(t for t in step_targets(paced, params) if t.part == "on")
    fast, slow = on.pace_s_per_km or (math.nan, math.nan)
    assert fast < 235.0 < slow
    assert on.hr_bpm == pytest.approx((0.98 * 190.0, 190.0))  # Daniels' I band


def test_sessions_of_other_kinds_keep_their_fractions() -> None:
    tempo = Workout("Tempo", "run", (WARMUP, Steady(Extent(1200.0), 0.9)), tags=("kind:tempo",))
    assert with_training_paces(tempo, 4.0, 50.0) is tempo


@pytest.mark.parametrize(("on_s", "has_hr"), [(60.0, False), (120.0, False), (240.0, True)])
def test_hill_reps_are_run_by_effort_at_i_with_no_heart_rate_under_3_min(
    on_s: float, has_hr: bool
) -> None:
    cs = 4.0
    hills = Workout(
        "Hill repeats",
        "run",
        (WARMUP, Intervals(6, Extent(on_s), Extent(120.0), 1.02, 0.6)),
        tags=("kind:hills",),
    )
    paced = with_training_paces(hills, cs, 50.0)
    reps = paced.steps[1]
    assert isinstance(reps, Intervals)
    # The grade-adjusted effort (and so the planned load) is that of Daniels' I.
    assert reps.on_intensity * cs == pytest.approx(training_speed_mps(I, 50.0))
    params = DayParameters(cs_mps=cs, d_prime_m=200.0, hrmax_bpm=190.0, vdot=50.0)
    on = next(t for t in step_targets(paced, params) if t.part == "on")
    assert (on.hr_bpm is not None) == has_hr
    off = next(t for t in step_targets(paced, params) if t.part == "off")
    assert off.hr_bpm is not None  # the jog down keeps its easy band


def test_strides_at_mile_pace_have_no_heart_rate_even_for_a_slow_runner() -> None:
    # VDOT 30: mile pace is 102 % of VDOT, which by speed alone reads as I.
    cs = 2.6
    strides = Workout(
        "Easy + strides",
        "run",
        (Steady(Extent(1800.0), 0.79), Intervals(6, Extent(20.0), Extent(60.0), 1.25, 0.6)),
        tags=("kind:strides",),
    )
    paced = with_training_paces(strides, cs, 30.0)
    params = DayParameters(cs_mps=cs, d_prime_m=150.0, hrmax_bpm=190.0, vdot=30.0)
    rows = step_targets(paced, params)
    on = next(t for t in rows if t.part == "on")
    assert on.hr_bpm is None
    assert rows[0].hr_bpm is not None  # the easy running keeps its band
