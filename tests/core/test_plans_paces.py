"""Daniels' training paces (science.plans.paces): worked examples from Daniels' tables,
the order of the intensities for any runner, and the library's sessions run at them
(intervals at I, threshold and tempo work at T, strides at R, hill repetitions by effort
with no pace)."""

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
    HILL_EFFORT,
    intended_intensity,
    training_speed_mps,
    with_training_paces,
)
from smartrunning.science.plans.targets import DayParameters, step_targets
from smartrunning.science.predictions import vdot_time_s
from smartrunning.science.workout_targets import resolve_workout
from smartrunning.science.workouts import Extent, Intervals, Ramp, Steady, Target, Workout
from tests.core.plan_inputs import default_library

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
# 4:15/km (6:51/mile) and I at 3:55/km (1:34 per 400 m); table 3.1: VDOT 50 marathon
# 3:10:49 (M). VDOT 30: I 5:55/km (2:22 per 400 m).
@pytest.mark.parametrize(
    ("level", "intensity", "table_s_per_km"),
    [
        (50.0, I, 3 * 60 + 55.0),
        (50.0, T, 4 * 60 + 15.0),
        (50.0, M, (3 * 3600 + 10 * 60 + 49.0) / 42.195),
        (30.0, I, 5 * 60 + 55.0),
    ],
)
def test_daniels_paces_match_his_tables_within_a_second_per_km(
    level: float, intensity: Intensity, table_s_per_km: float
) -> None:
    ours = pace_s_per_km(training_speed_mps(intensity, level))
    assert ours == pytest.approx(table_s_per_km, abs=1.0)


# Daniels' training-intensities table, I and R per 400 m (s), low, middle and high VDOT:
# VDOT 30 I 2:22 R 2:16, 40 1:52 1:46, 60 1:21 1:15, 70 1:11 1:05, 85 1:01 0:56; and two
# values of his VDOT calculator as runners quote them: VDOT 49 I 1:35 R 1:29
# (fit360.blogspot.com, 2009), VDOT 58 I 1:23 R 1:17 (chrisbagg.blogspot.com, 2009).
DANIELS_400M = [
    (30.0, 142.0, 136.0),
    (40.0, 112.0, 106.0),
    (49.0, 95.0, 89.0),
    (58.0, 83.0, 77.0),
    (60.0, 81.0, 75.0),
    (70.0, 71.0, 65.0),
    (85.0, 61.0, 56.0),
]


@pytest.mark.parametrize(("level", "table_i_s", "table_r_s"), DANIELS_400M)
def test_i_and_r_per_400m_match_daniels_within_a_second(
    level: float, table_i_s: float, table_r_s: float
) -> None:
    assert 400.0 / training_speed_mps(I, level) == pytest.approx(table_i_s, abs=1.0)
    assert 400.0 / training_speed_mps(R, level) == pytest.approx(table_r_s, abs=1.0)


def test_r_is_faster_than_mile_pace_for_slow_runners_and_slower_for_the_fastest() -> None:
    """The first R (the VDOT-equivalent mile) was 1-1.5 s per 400 m off Daniels' R at both
    ends: too slow at VDOT 30-38 (a 9 min mile is barely faster than I), too fast at 70-85."""
    for level in (30.0, 32.0, 36.0):
        assert training_speed_mps(R, level) > 1609.344 / vdot_time_s(level, 1609.344)
    for level in (75.0, 80.0, 85.0):
        assert training_speed_mps(R, level) < 1609.344 / vdot_time_s(level, 1609.344)


@given(st.floats(30.0, 85.0))
def test_r_is_faster_than_i_by_daniels_margin_and_between_800m_and_3000m_race_pace(
    level: float,
) -> None:
    """For any VDOT in Daniels' table (30-85): R is 5-7 s per 400 m faster than I (the
    table's margin at every row), reads as R by its share of VDOT (above I's band, at most
    Daniels' 120 %), and lies between the runner's VDOT-equivalent 800 m and 3000 m race
    paces (Daniels: R is about mile race pace)."""
    i, r = training_speed_mps(I, level), training_speed_mps(R, level)
    assert 5.0 <= 400.0 / i - 400.0 / r <= 7.0
    assert classify(r, level) == R
    assert share_of_vdot(r, level) <= 1.2
    assert 3000.0 / vdot_time_s(level, 3000.0) < r < 800.0 / vdot_time_s(level, 800.0)


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
    band but R (102-111 % of VDOT, as Daniels' own R: below his 105 % for slow runners)
    and M (below)."""
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
    assert intended_intensity("tempo", 0.9) == T
    assert intended_intensity("tempo", 0.72) is None  # its jog between blocks
    assert intended_intensity("progression", 0.9) is None
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
    easy = Workout("Easy", "run", (WARMUP, Steady(Extent(1800.0), 0.79)), tags=("kind:easy",))
    assert with_training_paces(easy, 4.0, 50.0) is easy
    progression = Workout(
        "Progression", "run", (Steady(Extent(900.0), 0.79), Steady(Extent(600.0), 0.9)),
        tags=("kind:progression",),
    )  # fmt: skip
    assert with_training_paces(progression, 4.0, 50.0) is progression


@pytest.mark.parametrize(("cs", "level"), [(2.6, 30.0), (4.0, 50.0), (5.6, 75.0)])
def test_every_tempo_and_threshold_session_of_the_library_runs_its_work_at_t(
    cs: float, level: float
) -> None:
    """The library writes tempo work at 0.88-0.90 x CS and threshold work at 0.95-0.98 x CS;
    in a plan every such part is Daniels' T for the runner's VDOT (VDOT 50: 4:15/km) with
    T's heart rate (88-92 % HRmax), and the warm-up, jogs and cool-down stay as written."""
    t = training_speed_mps(T, level)
    params = DayParameters(cs_mps=cs, d_prime_m=150.0, hrmax_bpm=190.0, vdot=level)
    sessions = [w for w in default_library() if w.kind in ("tempo", "threshold")]
    assert {w.kind for w in sessions} == {"tempo", "threshold"}
    for workout in sessions:
        paced = with_training_paces(workout, cs, level)
        work = 0
        for before, after in zip(workout.steps, paced.steps, strict=True):
            if isinstance(before, Intervals) and isinstance(after, Intervals):
                assert after.on_intensity * cs == pytest.approx(t)
                assert after.off_intensity == before.off_intensity
                work += 1
            elif isinstance(before, Steady) and isinstance(after, Steady):
                assert after.intensity * cs == pytest.approx(t)
                work += 1
            else:
                assert after == before  # warm-up and cool-down ramps
        assert work == 1, workout.name
        rows = step_targets(paced, params)
        worked = [r for r in rows if r.part in ("on", "step") and r.intensity[0] * cs > 0.99 * t]
        assert worked, workout.name
        for row in worked:
            fast, slow = row.pace_s_per_km or (math.nan, math.nan)
            assert fast < 1000.0 / t < slow
            assert row.hr_bpm == pytest.approx((0.88 * 190.0, 0.92 * 190.0))
    if level == 50.0:
        assert 1000.0 / t == pytest.approx(255.0, abs=1.0)  # 4:15/km, Daniels' T


@pytest.mark.parametrize(("on_s", "has_hr"), [(60.0, False), (120.0, False), (240.0, True)])
def test_hill_reps_are_run_by_effort_at_i_with_no_pace_and_no_heart_rate_under_3_min(
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
    assert on.pace_s_per_km is None  # no flat-equivalent pace to run uphill
    assert on.effort == HILL_EFFORT
    off = next(t for t in step_targets(paced, params) if t.part == "off")
    assert off.hr_bpm is not None  # the jog down keeps its easy band
    assert off.pace_s_per_km is not None
    assert off.effort is None


def test_hill_reps_have_no_pace_at_any_fraction_and_a_given_target_wins() -> None:
    """A hill session's reps are run by effort whatever fraction they are written at (a
    slow runner's I can be below CS, and the stored plan day is read again on refresh);
    a pace or heart-rate target the coach gave a part stays."""
    params = DayParameters(cs_mps=3.0, d_prime_m=150.0, hrmax_bpm=190.0, vdot=35.0)
    for fraction in (0.9, 1.02, 1.2):
        hills = Workout(
            "Hills", "run", (WARMUP, Intervals(6, Extent(90.0), Extent(90.0), fraction, 0.6)),
            tags=("kind:hills",),
        )  # fmt: skip
        on = next(t for t in step_targets(hills, params) if t.part == "on")
        assert on.pace_s_per_km is None
        assert on.effort == HILL_EFFORT
    at_pace = Target("pace", 300.0, 310.0)
    reps = Intervals(4, Extent(240.0), Extent(120.0), 1.0, 0.6, on_target=at_pace)
    given = Workout("Hills at a pace", "run", (reps,), tags=("kind:hills",))
    on = next(t for t in step_targets(given, params) if t.part == "on")
    assert on.pace_s_per_km == (300.0, 310.0)
    assert on.effort is None
    flat = Workout("Reps", "run", (Intervals(6, Extent(90.0), Extent(90.0), 1.02, 0.6),))
    on = next(t for t in step_targets(flat, params) if t.part == "on")
    assert on.pace_s_per_km is not None  # not a hill: a pace
    assert on.effort is None


def test_strides_at_r_have_no_heart_rate_even_for_a_slow_runner() -> None:
    # VDOT 30: R is 103 % of VDOT, just past I's band (102.5 %).
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


def test_the_librarys_hill_session_resolved_for_a_runner_has_no_pace_for_the_climbs() -> None:
    """The workout library's view of a session for a runner (``workout_targets``): the
    climbs of "Hill repeats 6 × 2 min" have neither a pace range nor a nominal pace; the
    jog down and the warm-up keep theirs."""
    hills = next(w for w in default_library() if w.name == "Hill repeats 6 × 2 min")
    params = DayParameters(cs_mps=4.0, d_prime_m=200.0, hrmax_bpm=190.0, vdot=50.0)
    rows = resolve_workout(hills, params).steps
    on = next(r for r in rows if r.part == "on")
    assert on.pace_s_per_km is None
    assert on.pace_range_s_per_km is None
    assert all(r.pace_s_per_km is not None for r in rows if r.part != "on")
