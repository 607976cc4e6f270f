"""Resolving a workout for a runner: paces, HR ranges, times and distances by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.plans.targets import DayParameters
from smartrunning.science.workout_targets import extent_totals, resolve_workout
from smartrunning.science.workouts import Extent, Free, Intervals, MaxEffort, Ramp, Steady, Workout
from smartrunning.science.zones import HRZoneModel

CS = 4.0
HR = HRZoneModel().resolve(190.0)  # zones up to 114, 133, 152, 171, 190 bpm
# CS 4 m/s with D′ 300 m: 5 km in 1175 s, VDOT 51.0 (the runner's level for targets).
PARAMS = DayParameters(cs_mps=CS, d_prime_m=300.0, hr_zones=HR)


def workout(*steps: object, sport: str = "run") -> Workout:
    return Workout(name="w", sport=sport, steps=tuple(steps))  # type: ignore[arg-type]


def test_a_steady_time_step_at_95_percent_of_cs_4() -> None:
    resolved = resolve_workout(workout(Steady(Extent(600.0), 0.95)), PARAMS)
    (row,) = resolved.steps
    # 0.95 · 4 m/s = 3.8 m/s: 1000 / 3.8 = 263.16 s/km; ±2 % of speed for the range.
    assert row.pace_s_per_km == pytest.approx((1000 / 3.8, 1000 / 3.8))
    assert row.pace_range_s_per_km == pytest.approx((1000 / (3.8 * 1.02), 1000 / (3.8 * 0.98)))
    # 3.8 m/s costs 83.0 % of VDOT 51.0: Daniels' marathon intensity, 80–90 % HRmax.
    assert row.hr_bpm == pytest.approx((152.0, 171.0))
    assert row.duration_s == pytest.approx(600.0)
    assert row.distance_m == pytest.approx(600 * 3.8)
    assert resolved.total_duration_s == pytest.approx(600.0)
    assert resolved.total_distance_m == pytest.approx(2280.0)
    # 10 min at IF 0.95: (600 / 3600) · 0.95² · 100 = 15.04.
    assert resolved.estimated_load == pytest.approx(600 / 3600 * 0.95**2 * 100)


def test_distance_steps_take_their_time_from_cs() -> None:
    intervals = Intervals(5, Extent(1000.0, "m"), Extent(400.0, "m"), 1.08, 0.65)
    resolved = resolve_workout(workout(intervals), PARAMS)
    on, off = resolved.steps
    assert (on.part, on.repeat, off.part, off.repeat) == ("on", 5, "off", 5)
    assert on.duration_s == pytest.approx(1000 / (1.08 * 4))
    assert off.duration_s == pytest.approx(400 / (0.65 * 4))
    assert on.distance_m == pytest.approx(1000.0)
    assert resolved.total_distance_m == pytest.approx(7000.0)
    total = 5 * (1000 / 4.32 + 400 / 2.6)
    assert resolved.total_duration_s == pytest.approx(total)
    # 4.32 m/s costs 97 % of VDOT 51.0: interval, 98–100 % HRmax; 2.6 m/s is easy
    # running, 65–79 % HRmax (Daniels), never "pace zone 1 = HR zone 1" (50–60 %).
    assert on.hr_bpm == pytest.approx((0.98 * 190, 190.0))
    assert off.hr_bpm == pytest.approx((0.65 * 190, 0.79 * 190))


def test_a_ramp_has_a_pace_at_each_end_and_its_average_distance() -> None:
    ramp = Ramp("warmup", Extent(600.0), 0.6, 0.8)
    (row,) = resolve_workout(workout(ramp), PARAMS).steps
    assert row.pace_s_per_km == pytest.approx((1000 / 2.4, 1000 / 3.2))
    assert row.distance_m == pytest.approx(600 * 4 * 0.7)
    assert row.intensity == (0.6, 0.8)


def test_free_and_max_steps_have_no_targets_but_count_in_the_totals() -> None:
    resolved = resolve_workout(workout(Free(Extent(300.0)), MaxEffort(Extent(10.0))), PARAMS)
    free, sprint = resolved.steps
    assert free.pace_s_per_km is None
    assert free.hr_bpm is None
    assert free.intensity is None
    assert sprint.kind == "max"
    assert sprint.duration_s == pytest.approx(10.0)
    assert resolved.total_duration_s == pytest.approx(310.0)


def test_without_a_runner_time_steps_keep_their_time_and_distance_steps_their_distance() -> None:
    steps = (Steady(Extent(600.0), 0.8), Steady(Extent(2000.0, "m"), 0.8))
    resolved = resolve_workout(workout(*steps))
    first, second = resolved.steps
    assert (first.duration_s, first.distance_m) == (600.0, None)
    assert (second.duration_s, second.distance_m) == (None, 2000.0)
    assert resolved.total_duration_s is None
    assert resolved.estimated_load is None
    assert resolved.timeline == ()
    assert first.pace_s_per_km is None
    assert first.hr_bpm is None


def test_a_bike_workout_is_never_given_paces_heart_rates_or_distances() -> None:
    resolved = resolve_workout(workout(Steady(Extent(3600.0), 0.9), sport="bike"), PARAMS)
    (row,) = resolved.steps
    assert row.pace_s_per_km is None
    assert row.hr_bpm is None
    assert row.distance_m is None
    assert resolved.cs_mps is None
    assert resolved.total_distance_m is None
    assert resolved.total_duration_s == pytest.approx(3600.0)
    assert resolved.estimated_load == pytest.approx(81.0)  # one hour at IF 0.9: TSS 81


def test_extent_totals_count_repeats_per_unit() -> None:
    content = workout(
        Steady(Extent(600.0), 0.7),
        Intervals(6, Extent(400.0, "m"), Extent(200.0, "m"), 1.05, 0.6),
        Intervals(3, Extent(60.0), Extent(0.0), 1.1, 0.5),
    )
    assert extent_totals(content) == {"s": 780.0, "m": 3600.0}


@settings(max_examples=60, deadline=None)
@given(
    intensity=st.floats(0.3, 1.6),
    seconds=st.floats(10, 7200),
    cs=st.floats(2.0, 6.5),
)
def test_rows_add_up_to_the_totals(intensity: float, seconds: float, cs: float) -> None:
    content = workout(
        Ramp("warmup", Extent(seconds), 0.6, intensity),
        Intervals(4, Extent(seconds / 4, "s"), Extent(seconds / 8), intensity, 0.6),
        Steady(Extent(seconds * cs / 3, "m"), intensity),
    )
    resolved = resolve_workout(content, DayParameters(cs_mps=cs, hr_zones=HR))
    rows = resolved.steps
    assert resolved.total_duration_s == pytest.approx(
        sum(r.repeat * (r.duration_s or 0.0) for r in rows)
    )
    assert resolved.total_distance_m == pytest.approx(
        sum(r.repeat * (r.distance_m or 0.0) for r in rows)
    )
    for row in rows:
        assert row.pace_range_s_per_km is not None
        assert row.pace_s_per_km is not None
        fast, slow = row.pace_range_s_per_km
        assert fast <= min(row.pace_s_per_km) <= max(row.pace_s_per_km) <= slow
