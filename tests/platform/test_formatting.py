"""Times and paces as pages print them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.platform.formatting import (
    format_duration,
    format_pace,
    format_race_time,
    format_sport_distance,
    format_sport_speed,
)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "–"),
        (0.0, "0:00"),
        (59.5, "1:00"),  # rounds half to even: 60
        (94.6, "1:35"),
        (3599.4, "59:59"),
        (3600.0, "1:00:00"),
        (4891.0, "1:21:31"),
    ],
)
def test_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "–"),
        (94.64, "1:34.6"),
        (95.2, "1:35.2"),
        (59.96, "1:00.0"),
        (2877.4, "47:57.4"),
        (3599.94, "59:59.9"),
        (3599.96, "1:00:00"),
        (4891.3, "1:21:31"),
    ],
)
def test_race_time(seconds: float | None, text: str) -> None:
    assert format_race_time(seconds) == text


@given(st.floats(min_value=0, max_value=3599.9))
def test_race_time_under_an_hour_reads_back_to_the_tenth(seconds: float) -> None:
    minutes, rest = format_race_time(seconds).split(":")
    assert int(minutes) * 60 + float(rest) == pytest.approx(seconds, abs=0.05 + 1e-9)


def test_pace_is_the_time_of_a_kilometre() -> None:
    assert format_pace(1000 / 300) == "5:00"
    assert format_pace(0) == "–"


@pytest.mark.parametrize(
    ("speed_mps", "unit", "text"),
    [
        (1000 / 300, "per_km", "5:00 /km"),
        (100 / 105, "per_100m", "1:45 /100 m"),
        (91.44 / 95, "per_100yd", "1:35 /100 yd"),
        (500 / 125, "per_500m", "2:05 /500 m"),
        (30 / 3.6, "km_h", "30.0 km/h"),
        (None, "km_h", "–"),
        (0.0, "per_100m", "–"),
        (float("nan"), "per_km", "–"),
    ],
)
def test_each_sport_speed_in_its_unit(speed_mps: float | None, unit: str, text: str) -> None:
    assert format_sport_speed(speed_mps, unit) == text  # type: ignore[arg-type]


def test_sport_speed_without_its_unit_for_table_cells() -> None:
    assert format_sport_speed(500 / 125, "per_500m", with_unit=False) == "2:05"


@pytest.mark.parametrize(
    ("metres", "unit", "text"),
    [
        (1500.0, "per_100m", "1500 m"),
        (1508.76, "per_100yd", "1650 yd"),
        (5000.0, "per_500m", "5000 m"),
        (10020.0, "per_km", "10.02 km"),
        (42195.0, "km_h", "42.20 km"),
        (0.0, "per_km", "–"),
        (None, "per_km", "–"),
    ],
)
def test_each_sport_distance_as_it_is_counted(metres: float | None, unit: str, text: str) -> None:
    assert format_sport_distance(metres, unit) == text  # type: ignore[arg-type]


@given(st.floats(0.3, 20.0))
def test_pace_per_km_is_ten_times_pace_per_100_m(speed_mps: float) -> None:
    per_km = 1000 / speed_mps
    shown = format_sport_speed(speed_mps, "per_100m", with_unit=False)
    minutes, seconds = shown.split(":")[-2:]
    assert abs((int(minutes) * 60 + int(seconds)) * 10 - per_km) <= 5.0 + 1e-9
