"""Values no runner produces (science.plausibility): worked examples and invariants."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.plausibility import (
    PlausibilityLimits,
    check_session,
    fastest_sustained_speed,
    time_outside,
)
from smartrunning.science.records import Records
from tests.core.fitgen import run

NOW = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)
LIMITS = PlausibilityLimits()


def _records(speed_mps: float, n: int = 600, hr: float = 150.0) -> Records:
    t = 1.7e9 + np.arange(n, dtype=float)
    return Records.from_columns(
        n,
        timestamp_s=t,
        elapsed_s=t - t[0],
        distance_m=speed_mps * np.arange(n, dtype=float),
        speed_mps=np.full(n, speed_mps),
        heart_rate_bpm=np.full(n, hr),
    )


def _codes(
    records: Records, *, sport: str = "running", start: dt.datetime | None = None
) -> set[str]:
    begin = start or dt.datetime.fromtimestamp(float(records.timestamp_s[0]), dt.UTC)
    flags = check_session(records, sport=sport, start=begin, now=NOW, limits=LIMITS)
    return {f.code for f in flags}


def test_a_real_run_raises_no_flag() -> None:
    assert _codes(run(1800)) == set()


def test_a_run_at_100_mps_is_flagged_with_its_speed_but_a_ride_at_14_mps_is_not() -> None:
    records = _records(100.0)
    flags = check_session(
        records,
        sport="running",
        start=dt.datetime.fromtimestamp(1.7e9, dt.UTC),
        now=NOW,
        limits=LIMITS,
    )
    assert [f.code for f in flags] == ["speed"]
    assert flags[0].reason.startswith("100.0 m/s (360 km/h) sustained over 30 s")
    assert _codes(_records(14.0), sport="cycling") == set()
    assert _codes(_records(12.4)) == set()
    assert _codes(_records(12.6)) == {"speed"}


def test_one_gps_glitch_is_not_a_sustained_speed() -> None:
    """+197 m in one second and back (issue #16): the 30 s stretches move < 12.5 m/s."""
    records = _records(3.0)
    distance = records.distance_m.copy()
    distance[300] += 197.0
    assert fastest_sustained_speed(records.timestamp_s, distance, 30.0) < 12.5
    assert _codes(replace(records, distance_m=distance)) == set()


def test_dates_in_the_future_and_before_1990() -> None:
    records = _records(3.0)
    assert _codes(records, start=NOW + dt.timedelta(hours=23)) == set()
    assert _codes(records, start=dt.datetime(2063, 5, 1, tzinfo=dt.UTC)) == {"future"}
    assert _codes(records, start=dt.datetime(1989, 12, 31, tzinfo=dt.UTC)) == {"too_early"}
    assert _codes(records, start=dt.datetime(1990, 1, 1, tzinfo=dt.UTC)) == set()


def test_heart_rate_outside_the_range_for_long_enough() -> None:
    records = _records(3.0, hr=150.0)
    hr = records.heart_rate_bpm.copy()
    hr[100:120] = 250.0  # 20 s: a glitch
    assert _codes(replace(records, heart_rate_bpm=hr.copy())) == set()
    hr[100:160] = 250.0  # 60 s
    assert _codes(replace(records, heart_rate_bpm=hr.copy())) == {"heart_rate"}
    hr[:] = 0.0  # no contact: not a value
    assert _codes(replace(records, heart_rate_bpm=hr.copy())) == set()


def test_the_devices_average_heart_rate_outside_the_range_flags() -> None:
    records = _records(3.0, hr=float("nan"))
    start = dt.datetime.fromtimestamp(1.7e9, dt.UTC)
    flags = check_session(
        records, sport="running", start=start, now=NOW, limits=LIMITS, device_avg_hr_bpm=240.0
    )
    assert [f.code for f in flags] == ["heart_rate"]


def test_limits_are_validated() -> None:
    with pytest.raises(ValueError, match="hr_min_bpm"):
        PlausibilityLimits(hr_min_bpm=200, hr_max_bpm=100)
    with pytest.raises(ValueError, match="positive"):
        PlausibilityLimits(max_foot_speed_mps=0)
    with pytest.raises(ValueError, match="timezone"):
        PlausibilityLimits(earliest=dt.datetime(1990, 1, 1))  # noqa: DTZ001


@given(
    speed=st.floats(0.5, 50.0),
    window=st.floats(1.0, 120.0),
    n=st.integers(2, 400),
)
def test_constant_speed_is_found_whatever_the_window(speed: float, window: float, n: int) -> None:
    t = np.arange(n, dtype=float) * 2.0
    found = fastest_sustained_speed(t, speed * t, window)
    assert found == pytest.approx(speed, rel=1e-9)


@given(st.lists(st.floats(0.0, 300.0), min_size=2, max_size=200))
def test_time_outside_is_at_most_the_recorded_time(values: list[float]) -> None:
    t = np.arange(len(values), dtype=float) * 3.0
    outside = time_outside(t, np.array(values), 30.0, 220.0)
    assert 0.0 <= outside <= t[-1] - t[0]
