"""Times and paces as pages print them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.platform.formatting import (
    format_duration,
    format_pace,
    format_race_time,
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
