"""Plans judged as a coach would (issue 15): four runners and random ones, every limit of
SCIENCE.md "Targets and limits" on every week, worked examples of heart rate and race
pace from Daniels, and planned load scored like a completed session."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartrunning.science.load import planned_rtss, planned_speed_mps, rtss
from smartrunning.science.plans import (
    LONG_SLOT,
    CSVersion,
    DatedParameters,
    HRZonesVersion,
    Plan,
    PlanInputs,
    generate_plan,
)
from smartrunning.science.plans.intensity import (
    Intensity,
    classify,
    hr_range_bpm,
    runner_vdot,
    speed_at_share,
)
from smartrunning.science.plans.scaling import content_name, scale_workout
from smartrunning.science.plans.targets import DayParameters, step_intensity, step_targets
from smartrunning.science.predictions import vdot
from smartrunning.science.records import Records
from smartrunning.science.stats import session_stats
from smartrunning.science.streams import clean_streams
from smartrunning.science.workouts import Intervals, Steady
from smartrunning.science.zones import HRZoneModel
from tests.core.plan_checks import assert_every_limit
from tests.core.plan_inputs import (
    DISTANCES,
    default_library,
    default_schema,
    steady_state,
)

RACE_DAY = dt.date(2027, 4, 25)  # a Sunday
"""Limits are applied to the week's distance as planned before load moved into easy
running; the final week may differ by a little."""


@dataclass(frozen=True)
class Runner:
    """A runner as a coach describes them."""

    schema: str
    cs_mps: float
    d_prime_m: float
    hrmax_bpm: float
    days: frozenset[int]
    long_day: int
    recent_weekly_load: float
    beginner: bool = False
    recovery_every: int | None = None
    weeks: int | None = None

    def inputs(self) -> PlanInputs:
        zones = HRZoneModel().resolve(self.hrmax_bpm)
        since = dt.date(2020, 1, 1)
        return PlanInputs(
            schema=default_schema(self.schema),
            race_date=RACE_DAY,
            race_distance_m=DISTANCES[self.schema],
            training_days=self.days,
            long_run_day=self.long_day,
            sessions_per_week=len(self.days),
            start_state=steady_state(self.recent_weekly_load / 7),
            parameters=DatedParameters(
                cs=(CSVersion(since, self.cs_mps, self.d_prime_m),),
                hr_zones=(HRZonesVersion(since, zones, self.hrmax_bpm),),
            ),
            library=default_library(),
            weeks=self.weeks,
            recent_weekly_load=self.recent_weekly_load,
            beginner=self.beginner,
            recovery_every=self.recovery_every,
        )


RUNNERS = {
    # 5 km in ~30 min, three days, ~1 h 30 a week.
    "beginner on three days": Runner(
        "5k", 2.9, 120.0, 185.0, frozenset({1, 3, 6}), 6, 70.0, beginner=True, weeks=10
    ),
    # 62 years old: HUNT HRmax 211 − 0.64 · 62 = 171; four days; the 2:1 cycle.
    "masters runner, 62": Runner(
        "half-marathon", 3.5, 180.0, 171.0, frozenset({1, 3, 5, 6}), 6, 250.0, recovery_every=3
    ),
    # Sub-3 marathoner on six days at ~100 km a week.
    "sub-3 marathoner": Runner(
        "marathon", 4.2, 250.0, 185.0, frozenset({0, 1, 2, 3, 5, 6}), 6, 560.0
    ),
    "10 km runner": Runner("10k", 4.0, 220.0, 190.0, frozenset({0, 1, 3, 4, 6}), 6, 320.0),
}


@cache
def plan_for(name: str) -> Plan:
    return generate_plan(RUNNERS[name].inputs())


@pytest.mark.parametrize("name", sorted(RUNNERS))
def test_four_runners_plans_keep_every_limit(name: str) -> None:
    runner = RUNNERS[name]
    assert_every_limit(plan_for(name), runner.inputs())


def test_the_beginner_gets_one_quality_session_and_easy_running_at_easy_heart_rates() -> None:
    plan = plan_for("beginner on three days")
    for week in plan.weeks:
        assert sum(d.hard for d in plan.days if d.week == week.index and not d.is_race) <= 1
    hrmax = RUNNERS["beginner on three days"].hrmax_bpm
    easy = [d for d in plan.days if d.kind in ("easy", "recovery", "long")]
    assert easy
    for day in easy:
        for target, step in zip(day.targets, day.workout.steps, strict=False):
            if isinstance(step, Steady) and target.hr_bpm is not None:
                # Daniels: easy running at 65–79 % of HRmax, not 50–60 %.
                assert target.hr_bpm == pytest.approx((0.65 * hrmax, 0.79 * hrmax))


def test_the_masters_runner_recovers_every_third_week_and_never_runs_long_back_to_back() -> None:
    plan = plan_for("masters runner, 62")
    build = [w for w in plan.weeks if w.block_kind != "taper"]
    assert [w.index for w in build if w.recovery] == [2, 5, 8, 11][
        : len([w for w in build if w.recovery])
    ]
    assert sum(d.hard for d in plan.days if d.week == 7) <= 2
    for day in plan.days:
        if day.slot == LONG_SLOT:
            before = [d for d in plan.days if d.date == day.date - dt.timedelta(days=1)]
            assert all(d.duration_s <= 3600.0 + 1 for d in before)


def test_the_sub3_marathoner_races_at_the_vdot_equivalent_not_a_fixed_fraction() -> None:
    plan = plan_for("sub-3 marathoner")
    # CS 4.2 m/s, D′ 250 m: 30 min of the CS model is 7810 m, VDOT 53.7; its marathon
    # equivalent is 3:00 (Daniels' tables: VDOT 54 runs 2:58:47); 0.86 · CS would be 3:14.
    assert vdot(7810.0, 1800.0) == pytest.approx(53.7, abs=0.05)
    assert plan.predicted_race_time_s is not None
    assert 2.95 * 3600 < plan.predicted_race_time_s < 3.05 * 3600
    assert any("VDOT equivalent" in n for n in plan.race.why)
    peak_long = max(d.distance_m for d in plan.days if d.slot == LONG_SLOT)
    assert 28_000 <= peak_long <= 36_000  # Pfitzinger's plans peak at 32–35 km


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["5k", "10k", "half-marathon", "marathon"]),
    st.sets(st.integers(0, 6), min_size=3, max_size=7),
    st.floats(3.0, 4.6),
    st.floats(0.6, 1.6),
    st.booleans(),
    st.sampled_from([None, 3]),
    st.integers(6, 18),
)
def test_random_runners_plans_keep_every_limit(
    schema: str,
    days: set[int],
    cs: float,
    volume: float,
    beginner: bool,
    every: int | None,
    weeks: int,
) -> None:
    # Weekly load about what a runner of that speed does: volume · ~70 min a day.
    recent = volume * len(days) * 60.0
    runner = Runner(
        schema,
        cs,
        200.0,
        185.0,
        frozenset(days),
        max(days),
        recent,
        beginner=beginner,
        recovery_every=every,
        weeks=weeks,
    )
    inputs = runner.inputs()
    assert_every_limit(generate_plan(inputs), inputs)


# Worked examples of the sources.


def test_daniels_intensities_of_vdot_50_paces() -> None:
    # Daniels' tables, VDOT 50 (5 km in 19:57): E 5:00–5:40/km, M 4:31, T 4:15, I 3:55,
    # R ~3:40 (per km).
    level = vdot(5000.0, 19 * 60 + 57)
    assert level == pytest.approx(50.0, abs=0.1)
    for pace_s, expected in [
        (340, Intensity.EASY),
        (300, Intensity.EASY),
        (271, Intensity.MARATHON),
        (255, Intensity.THRESHOLD),
        (235, Intensity.INTERVAL),
        (220, Intensity.REPETITION),
    ]:
        assert classify(1000.0 / pace_s, level) is expected, pace_s
    # The speed at 88 % of VDOT 50 is Daniels' T pace, 4:15/km, within two seconds.
    assert 1000.0 / speed_at_share(0.88, level) == pytest.approx(255, abs=2)


def test_heart_rate_per_intensity_daniels_and_friel() -> None:
    # HRmax 190: easy 123.5–150.1, marathon 152–171, threshold 167.2–174.8, interval
    # 186.2–190 bpm (Daniels); repetitions by pace only.
    assert hr_range_bpm(Intensity.EASY, 190.0) == pytest.approx((123.5, 150.1))
    assert hr_range_bpm(Intensity.MARATHON, 190.0) == pytest.approx((152.0, 171.0))
    assert hr_range_bpm(Intensity.THRESHOLD, 190.0) == pytest.approx((167.2, 174.8))
    assert hr_range_bpm(Intensity.INTERVAL, 190.0) == pytest.approx((186.2, 190.0))
    assert hr_range_bpm(Intensity.REPETITION, 190.0) is None
    # A measured LTHR of 170 (Friel): threshold 161.5–173.4, marathon (zone 3) 153–159.8.
    assert hr_range_bpm(Intensity.THRESHOLD, 190.0, 170.0) == pytest.approx((161.5, 173.4))
    assert hr_range_bpm(Intensity.MARATHON, 190.0, 170.0) == pytest.approx((153.0, 159.8))
    assert hr_range_bpm(Intensity.EASY, None) is None


def test_a_measured_lthr_sets_the_targets() -> None:
    workout = default_by_name("Threshold 3 × 10 min")
    plain = DayParameters(cs_mps=4.0, d_prime_m=250.0, hrmax_bpm=190.0)
    with_lthr = DayParameters(cs_mps=4.0, d_prime_m=250.0, hrmax_bpm=190.0, lthr_bpm=170.0)
    work = [t for t in step_targets(workout, plain) if t.part == "on"]
    friel = [t for t in step_targets(workout, with_lthr) if t.part == "on"]
    assert step_intensity(work[0].intensity[0], plain) in (Intensity.THRESHOLD, Intensity.MARATHON)
    assert work[0].hr_bpm != friel[0].hr_bpm
    assert friel[0].hr_bpm is not None
    assert friel[0].hr_bpm[1] <= 1.06 * 170.0 + 1e-9


@given(st.floats(2.0, 6.5), st.floats(0.0, 400.0))
def test_easy_running_is_easy_for_any_runner(cs: float, d_prime: float) -> None:
    # 75 % of CS (the library's easy runs) is Daniels' easy running for every level.
    level = runner_vdot(cs, d_prime)
    assert classify(0.75 * cs, level) is Intensity.EASY


@given(st.floats(2.0, 6.5), st.floats(0.0, 400.0), st.floats(0.5, 1.4), st.floats(1.01, 1.3))
def test_intensity_never_falls_as_speed_rises(
    cs: float, d_prime: float, fraction: float, faster: float
) -> None:
    order = list(Intensity)
    level = runner_vdot(cs, d_prime)
    slow = classify(fraction * cs, level)
    fast = classify(fraction * faster * cs, level)
    assert order.index(fast) >= order.index(slow)


def default_by_name(name: str):  # type: ignore[no-untyped-def]
    return next(w for w in default_library() if w.name == name)


def test_names_say_what_a_scaled_session_holds() -> None:
    workout = default_by_name("5 km pace 6 × 800 m")
    scaled = scale_workout(workout, workout.estimated_load(4.0) * 1.8, 4.0).workout
    (block,) = [s for s in scaled.steps if isinstance(s, Intervals)]
    assert block.repeat > 6
    name = content_name(workout.name, scaled, 4.0, "race-pace")
    assert name == f"5 km pace {block.repeat} × 800 m"
    easy = default_by_name("Easy run 10 km")
    longer = scale_workout(easy, easy.estimated_load(3.5) * 1.5, 3.5).workout
    text = content_name(easy.name, longer, 3.5, "easy")
    km = re.search(r"([\d.]+) km", text)
    assert km is not None
    assert float(km.group(1)) * 1000 == pytest.approx(longer.total_distance_m(3.5), abs=60)


# One load model for plan and record.


def _records(speed: np.ndarray) -> Records:
    """What a watch records running ``speed`` (one value a second) exactly."""
    n = len(speed) + 1
    t = np.arange(n, dtype=np.float64)
    v = np.concatenate(([speed[0]], speed))
    distance = np.concatenate(([0.0], np.cumsum(speed)))
    return Records.from_columns(n, elapsed_s=t, speed_mps=v, distance_m=distance)


@pytest.mark.parametrize(
    "name",
    ["Easy run 45 min", "VO2max 12 × 400 m", "Threshold 3 × 10 min", "Hill sprints 8 × 10 s"],
)
def test_a_planned_session_run_exactly_scores_its_planned_load(name: str) -> None:
    cs = 3.8
    workout = default_by_name(name)
    stats = session_stats(clean_streams(_records(planned_speed_mps(workout, cs))))
    assert stats.normalised_graded_speed_mps is not None
    done = rtss(stats.timer_time_s, stats.normalised_graded_speed_mps, cs)
    assert planned_rtss(workout, cs) == pytest.approx(done, rel=2e-3)


def test_planned_load_of_intervals_is_above_the_stepwise_estimate() -> None:
    # The issue: Σ hours · IF² · 100 read 5–11 % below what the session scores when run.
    workout = default_by_name("VO2max 12 × 400 m")
    ratio = planned_rtss(workout, 3.5) / workout.estimated_load(3.5)
    assert 1.05 < ratio < 1.15
    steady = default_by_name("Easy run 45 min")
    assert planned_rtss(steady, 3.5) == pytest.approx(steady.estimated_load(3.5), rel=0.01)


def test_every_planned_day_is_scored_by_planned_rtss() -> None:
    plan = plan_for("10 km runner")
    for day in plan.days:
        assert day.load == pytest.approx(planned_rtss(day.workout, day.speed_mps), rel=1e-9)
