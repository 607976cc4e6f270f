"""Parameters valid on a day, step targets (paces, HR ranges) and the race prediction."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.plans import (
    CSVersion,
    DatedParameters,
    DayParameters,
    HRZonesVersion,
    predict_race_time_s,
)
from smartrunning.science.plans.targets import PACE_TOLERANCE, step_targets
from smartrunning.science.predictions import vdot, vdot_time_s
from smartrunning.science.workouts import (
    Extent,
    Free,
    Intervals,
    MaxEffort,
    Ramp,
    Steady,
    Workout,
)
from smartrunning.science.zones import HRZoneModel

ZONES = HRZoneModel().resolve(200.0)  # 100/120/140/160/180/200 bpm
DAY = dt.date(2025, 6, 1)


def test_dated_parameters_take_the_version_valid_on_the_day() -> None:
    params = DatedParameters(
        cs=(
            CSVersion(dt.date(2025, 1, 1), 3.5, 150.0),
            CSVersion(dt.date(2025, 6, 1), 3.8, 200.0),
        ),
        hr_zones=(HRZonesVersion(dt.date(2025, 3, 1), ZONES),),
    )
    assert params(dt.date(2024, 12, 31)) == DayParameters()
    assert params(dt.date(2025, 2, 1)).cs_mps == 3.5
    assert params(dt.date(2025, 2, 1)).hr_zones is None
    assert params(dt.date(2025, 5, 31)).cs_mps == 3.5
    on = params(dt.date(2025, 6, 1))
    assert (on.cs_mps, on.d_prime_m, on.hr_zones) == (3.8, 200.0, ZONES)


def test_versions_need_not_be_in_order() -> None:
    late = CSVersion(dt.date(2025, 6, 1), 3.8)
    early = CSVersion(dt.date(2025, 1, 1), 3.5)
    assert DatedParameters(cs=(late, early))(dt.date(2025, 7, 1)).cs_mps == 3.8


def test_steady_step_target() -> None:
    workout = Workout("w", "run", (Steady(Extent(1200.0), 0.9),))
    params = DayParameters(cs_mps=4.0, d_prime_m=300.0, hr_zones=ZONES)
    (target,) = step_targets(workout, params)
    assert target.intensity == (0.9, 0.9)
    assert target.pace_s_per_km is not None
    fast, slow = target.pace_s_per_km
    assert fast == pytest.approx(1000 / (3.6 * (1 + PACE_TOLERANCE)))
    assert slow == pytest.approx(1000 / (3.6 * (1 - PACE_TOLERANCE)))
    # CS 4 m/s, D′ 300 m: VDOT 51.0 (its 5 km in 1175 s). 3.6 m/s costs 77.6 % of it:
    # Daniels' marathon intensity, 80–90 % of HRmax (200 bpm, the zones' top).
    assert target.hr_bpm == pytest.approx((160.0, 180.0))


def test_intervals_ramps_and_untargeted_steps() -> None:
    workout = Workout(
        "w",
        "run",
        (
            Ramp("warmup", Extent(600.0), 0.6, 0.85),
            Intervals(5, Extent(180.0), Extent(90.0), 1.1, 0.6),
            Intervals(4, Extent(20.0), Extent(0.0), 1.3, 0.6),
            Free(Extent(300.0)),
            MaxEffort(Extent(10.0)),
        ),
    )
    targets = step_targets(workout, DayParameters(cs_mps=4.0, d_prime_m=300.0, hr_zones=ZONES))
    assert [(t.step_index, t.part) for t in targets] == [
        (0, "step"),
        (1, "on"),
        (1, "off"),
        (2, "on"),
    ]
    ramp, on, off, stride = targets
    assert ramp.intensity == (0.6, 0.85)
    # Both ends of the warm-up are easy running: 65–79 % HRmax.
    assert ramp.hr_bpm == pytest.approx((130.0, 158.0))
    assert on.hr_bpm == pytest.approx((196.0, 200.0))  # 1.1 CS: interval, 98–100 %
    assert stride.hr_bpm is None  # repetition pace: by pace only (Daniels)
    assert off.pace_s_per_km is not None
    assert on.pace_s_per_km is not None
    assert off.pace_s_per_km[0] > on.pace_s_per_km[1]


def test_targets_without_cs_or_zones_are_unknown() -> None:
    workout = Workout("w", "run", (Steady(Extent(1200.0), 0.9),))
    (target,) = step_targets(workout, DayParameters())
    assert target.pace_s_per_km is None
    assert target.hr_bpm is None


@given(st.floats(0.3, 1.5), st.floats(2.0, 6.0))
def test_faster_intensity_never_gets_a_slower_pace(intensity: float, cs: float) -> None:
    slower = Workout("w", "run", (Steady(Extent(60.0), intensity),))
    faster = Workout("w", "run", (Steady(Extent(60.0), intensity * 1.1),))
    params = DayParameters(cs_mps=cs, d_prime_m=250.0, hr_zones=ZONES)
    (a,) = step_targets(slower, params)
    (b,) = step_targets(faster, params)
    assert a.pace_s_per_km is not None
    assert b.pace_s_per_km is not None
    assert b.pace_s_per_km[0] < a.pace_s_per_km[0]
    if a.hr_bpm is not None and b.hr_bpm is not None:
        assert b.hr_bpm[0] >= a.hr_bpm[0]
    else:  # only repetitions have no heart rate, and they are the fastest
        assert b.hr_bpm is None


def test_race_prediction_uses_cs_inside_its_window_and_vdot_beyond() -> None:
    # 5 km at CS 4 m/s, D′ 200 m: (5000 − 200) / 4 = 1200 s, inside 2–30 min.
    assert predict_race_time_s(5000.0, 4.0, 200.0) == pytest.approx(1200.0)
    # Marathon: the VDOT equivalent of the CS prediction at 30 min (7400 m, VDOT 50.2).
    expected = vdot_time_s(vdot(7400.0, 1800.0), 42195.0)
    assert predict_race_time_s(42195.0, 4.0, 200.0) == pytest.approx(expected)
    assert 3.1 * 3600 < expected < 3.2 * 3600


def test_race_prediction_from_a_vdot_matches_daniels_tables() -> None:
    # Daniels' tables: VDOT 50 runs the marathon in 3:10:49 and the half in 1:31:35.
    level = vdot(5000.0, 19 * 60 + 57)
    assert predict_race_time_s(42195.0, 3.5, 0.0, level) == pytest.approx(11449, abs=30)
    assert predict_race_time_s(21097.5, 3.5, 0.0, level) == pytest.approx(5495, abs=15)


@given(st.floats(3000.0, 50000.0), st.floats(2.5, 6.0), st.floats(0.0, 400.0))
def test_race_prediction_is_continuous_and_slower_for_longer_races(
    distance: float, cs: float, d_prime: float
) -> None:
    t = predict_race_time_s(distance, cs, d_prime)
    longer = predict_race_time_s(distance * 1.01, cs, d_prime)
    assert longer > t
    assert longer < t * 1.03  # no jump at the window's edge
    assert distance / t < cs * 1.5


def test_race_prediction_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        predict_race_time_s(0.0, 4.0)
    with pytest.raises(ValueError, match="CS"):
        predict_race_time_s(5000.0, math.nan)
