"""Pace and heart-rate targets and mixed on/off units: estimates, resolution, ZWO and FIT."""

from __future__ import annotations

import pytest

from smartrunning.science.fit.workout import FIT_HR_OFFSET_BPM, encode_workout
from smartrunning.science.plans.targets import DayParameters, step_targets
from smartrunning.science.workout_targets import extent_totals, resolve_workout
from smartrunning.science.workouts import (
    REFERENCE_CS_MPS,
    Extent,
    Intervals,
    Steady,
    Target,
    Workout,
    hr_intensity,
    target_intensity,
)
from smartrunning.science.zwo import ZwoError, read_zwo, write_zwo
from tests.core.fitdecode import decode
from tests.core.zwodata import zwo

PACE = Target("pace", 225.0, 230.0)  # 3:45-3:50/km
EASY_HR = Target("hr", 0.65, 0.79)
CS = 4.0
PARAMS = DayParameters(cs_mps=CS, hrmax_bpm=190.0)


def six_by_800() -> Workout:
    """6 x 800 m at 3:45-3:50/km, 90 s jog off at easy HR."""
    block = Intervals(
        6,
        Extent(800.0, "m"),
        Extent(90.0, "s"),
        target_intensity(PACE),
        target_intensity(EASY_HR),
        on_target=PACE,
        off_target=EASY_HR,
    )
    return Workout(name="6 x 800", sport="run", steps=(block,))


def test_a_pace_target_runs_at_its_own_speed_whatever_the_reference() -> None:
    workout = six_by_800()
    speed = (1000 / 225 + 1000 / 230) / 2
    hr_fraction = hr_intensity(0.65, 0.79)
    # 6 x (800 m at the pace's middle speed + 90 s); the stored fraction does not matter.
    expected = 6 * (800 / speed + 90)
    assert workout.total_duration_s(CS) == pytest.approx(expected)
    assert workout.total_distance_m(CS) == pytest.approx(6 * (800 + 90 * hr_fraction * CS))
    # Another CS: the same time on the pace part (the HR part's time is its own).
    assert workout.total_duration_s(3.0) == pytest.approx(expected)
    # The stored fraction is the pace's share of the reference CS (the app's default), for ZWO.
    assert target_intensity(PACE) * REFERENCE_CS_MPS == pytest.approx(speed)


def test_the_reference_cs_is_the_apps_default() -> None:
    from smartrunning.science.defaults import CRITICAL_SPEED

    assert CRITICAL_SPEED.cs_mps == REFERENCE_CS_MPS


def test_mixed_units_are_totalled_per_unit() -> None:
    assert extent_totals(six_by_800()) == {"s": 540.0, "m": 4800.0}
    assert six_by_800().has_distance_steps


def test_resolution_pace_stays_pace_hr_gives_hr_and_no_pace() -> None:
    resolved = resolve_workout(six_by_800(), PARAMS)
    on, off = resolved.steps
    assert on.pace_range_s_per_km == (225.0, 230.0)
    assert on.pace_s_per_km is not None
    assert 225.0 < on.pace_s_per_km[0] < 230.0
    assert on.hr_bpm is None  # 110 % of CS: repetition pace, set by pace only (as for %CS)
    assert off.pace_s_per_km is None
    assert off.pace_range_s_per_km is None
    assert off.hr_bpm == pytest.approx((0.65 * 190, 0.79 * 190))
    assert off.extent == Extent(90.0, "s")
    assert on.extent == Extent(800.0, "m")
    assert on.duration_s == pytest.approx(800 / ((1000 / 225 + 1000 / 230) / 2))


def test_percent_of_cs_still_follows_the_days_cs() -> None:
    workout = Workout(name="w", sport="run", steps=(Steady(Extent(600.0), 0.8),))
    (target,) = step_targets(workout, PARAMS)
    fast, slow = target.pace_s_per_km or (0, 0)
    assert fast < 1000 / (0.8 * CS) < slow


def test_hr_target_without_hrmax_has_no_target() -> None:
    (row,) = step_targets(
        Workout(name="w", sport="run", steps=(Steady(Extent(600.0), 0.75, target=EASY_HR),)),
        DayParameters(cs_mps=CS),
    )
    assert row.hr_bpm is None
    assert row.pace_s_per_km is None


def test_zwo_keeps_targets_and_units_and_zwift_reads_the_fractions() -> None:
    workout = six_by_800()
    text = write_zwo(workout)
    assert b'SrOffDurationType="time"' in text
    assert b'SrOnTarget="pace:225-230"' in text
    assert read_zwo(text) == workout
    # What Zwift reads: a power fraction beside our attributes.
    assert b"OnPower=" in text
    assert b"OffPower=" in text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<SteadyState Duration="60" Power="1" SrTarget="pace:abc"/>', "SrTarget"),
        ('<SteadyState Duration="60" Power="1" SrTarget="hr:0.5-4"/>', "heart rate"),
        (
            '<SteadyState Duration="60" PowerLow="1" PowerHigh="1.1" SrTarget="hr:0.6-0.7"/>',
            "Power",
        ),
        (
            '<IntervalsT Repeat="2" OnDuration="60" OffDuration="60" OnPower="1" '
            'OffPower="0.5" SrOffDurationType="miles"/>',
            "durationType",
        ),
    ],
)
def test_bad_target_attributes_name_the_line(body: str, message: str) -> None:
    with pytest.raises(ZwoError, match=message):
        read_zwo(zwo(body))


def test_fit_gets_speed_for_pace_and_hr_for_heart_rate() -> None:
    steps = decode(encode_workout(six_by_800(), day=PARAMS))["workout_step_mesgs"]
    on, off, repeat = steps
    assert on["duration_type"] == "distance"
    assert off["duration_type"] == "time"
    assert on["duration_distance"] == pytest.approx(800)
    assert off["duration_time"] == pytest.approx(90)
    assert on["target_type"] == "speed"
    assert on["custom_target_speed_low"] == pytest.approx(1000 / 230, abs=0.001)
    assert on["custom_target_speed_high"] == pytest.approx(1000 / 225, abs=0.001)
    assert off["target_type"] == "heart_rate"
    assert off["custom_target_heart_rate_low"] == round(0.65 * 190) + FIT_HR_OFFSET_BPM
    assert off["custom_target_heart_rate_high"] == round(0.79 * 190) + FIT_HR_OFFSET_BPM
    assert "3:45-3:50/km" in on["wkt_step_name"]
    assert repeat["repeat_steps"] == 6
