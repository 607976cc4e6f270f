"""Formatting for a reader's units and time zone (platform.formatting): pure functions."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.platform.formatting import (
    MILE_M,
    display_speed_unit,
    format_datetime,
    format_distance,
    format_pace,
    format_pace_seconds,
    format_sport_distance,
    format_sport_speed,
    is_time_zone,
    to_zone,
)


def test_a_mile_is_1609_344_metres() -> None:
    assert MILE_M == 1609.344
    assert format_distance(1609.344, "mi", 3) == "1.000 mi"
    assert format_distance(42195, "mi") == "26.2 mi"
    assert format_distance(42195, "km") == "42.2 km"


def test_five_minutes_per_km_is_8_03_per_mile() -> None:
    speed = 1000 / 300
    assert format_pace(speed, "km") == "5:00"
    assert format_pace(speed, "mi") == "8:03"  # 482.8 s
    assert format_pace_seconds(300, "mi") == "8:03"
    assert format_pace_seconds(300, "km") == "5:00"
    assert format_sport_speed(speed, "per_km", units="mi") == "8:03 /mi"
    assert format_sport_speed(speed, "per_km") == "5:00 /km"


def test_cycling_switches_to_mph_swims_and_rows_keep_their_units() -> None:
    assert format_sport_speed(10.0, "km_h", units="mi") == "22.4 mph"
    assert format_sport_speed(10.0, "km_h") == "36.0 km/h"
    assert format_sport_speed(1.0, "per_100m", units="mi") == "1:40 /100 m"
    assert format_sport_speed(1.0, "per_100yd", units="mi") == "1:31 /100 yd"
    assert format_sport_speed(4.0, "per_500m", units="mi") == "2:05 /500 m"
    assert format_sport_distance(1500, "per_100m", "mi") == "1500 m"
    assert format_sport_distance(1508.76, "per_100yd", "mi") == "1650 yd"
    assert format_sport_distance(10020, "per_km", "mi") == "6.23 mi"
    assert format_sport_distance(10020, "km_h", "km") == "10.02 km"
    assert display_speed_unit("per_km", "mi") == "per_mi"
    assert display_speed_unit("per_100m", "mi") == "per_100m"


@given(st.floats(min_value=1.0, max_value=100_000.0))
def test_km_and_mi_displays_agree(distance_m: float) -> None:
    km = float(format_distance(distance_m, "km", 3, with_unit=False))
    mi = float(format_distance(distance_m, "mi", 3, with_unit=False))
    assert abs(km * 1000 / MILE_M - mi) <= 0.0011


@given(st.floats(min_value=0.5, max_value=12.0))
def test_pace_per_mile_is_pace_per_km_times_1_609344(speed_mps: float) -> None:
    def seconds(text: str) -> int:
        parts = [int(p) for p in text.split(":")]
        return parts[-1] + 60 * parts[-2] + (3600 * parts[0] if len(parts) == 3 else 0)

    per_km = 1000 / speed_mps
    assert abs(seconds(format_pace(speed_mps, "mi")) - per_km * 1.609344) <= 0.5
    assert abs(seconds(format_pace(speed_mps, "km")) - per_km) <= 0.5


def test_unknown_speed_and_distance_read_as_dash() -> None:
    assert format_pace(None, "mi") == "–"
    assert format_pace(0.0, "mi") == "–"
    assert format_distance(None, "mi") == "–"
    assert format_pace_seconds(None, "mi") == "–"


def test_a_late_utc_moment_is_the_next_day_in_berlin() -> None:
    moment = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)
    assert format_datetime(moment, "Europe/Berlin") == "2026-12-07 00:30 CET"
    assert format_datetime(moment, "UTC") == "2026-12-06 23:30 UTC"
    assert format_datetime(moment, "America/New_York") == "2026-12-06 18:30 EST"
    assert to_zone(moment.replace(tzinfo=None), "Europe/Berlin").date() == dt.date(2026, 12, 7)
    # Summer time: CEST is two hours ahead.
    summer = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)
    assert format_datetime(summer, "Europe/Berlin") == "2026-07-02 00:30 CEST"


@pytest.mark.parametrize("name", ["Mars/Base", "", "../etc/passwd", "europe/berlin"])
def test_unknown_zones_are_not_zones(name: str) -> None:
    assert not is_time_zone(name)
    # and format as UTC rather than fail
    assert format_datetime(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), name).endswith("UTC")


def test_known_zones() -> None:
    assert is_time_zone("Europe/Berlin")
    assert is_time_zone("America/New_York")
    assert is_time_zone("UTC")
