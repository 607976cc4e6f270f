"""Sports in words and in their own units; session titles from the time of day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.sports import (
    counts_for_bests,
    session_title,
    sport_display,
    time_of_day,
)


@pytest.mark.parametrize(
    ("sport", "sub_sport", "label", "unit"),
    [
        ("running", "generic", "Running", "per_km"),
        ("running", "trail", "Trail running", "per_km"),
        ("walking", None, "Walking", "per_km"),
        ("swimming", "lap_swimming", "Pool swimming", "per_100m"),
        ("swimming", "open_water", "Open-water swimming", "per_100m"),
        ("cycling", "road", "Cycling", "km_h"),
        ("cycling", "indoor_cycling", "Indoor cycling", "km_h"),
        ("rowing", None, "Rowing", "per_500m"),
        ("fitness_equipment", "indoor_rowing", "Indoor rowing", "per_500m"),
        ("fitness_equipment", None, "Fitness equipment", "km_h"),
        ("training", "strength_training", "Strength training", "km_h"),
    ],
)
def test_each_sport_is_named_in_words_with_its_own_unit(
    sport: str, sub_sport: str | None, label: str, unit: str
) -> None:
    display = sport_display(sport, sub_sport)
    assert display.label == label
    assert display.speed_unit == unit


def test_a_yard_pool_swims_per_100_yards() -> None:
    assert sport_display("swimming", "lap_swimming", "statute").speed_unit == "per_100yd"
    assert sport_display("swimming", "lap_swimming", "metric").speed_unit == "per_100m"
    # A yard pool says nothing about a ride.
    assert sport_display("cycling", None, "statute").speed_unit == "km_h"


def test_grade_adjusted_figures_are_for_running_only() -> None:
    assert sport_display("running", "trail").grade_adjusted
    assert sport_display("running", "treadmill").grade_adjusted
    for sport in ("walking", "hiking", "cycling", "swimming", "rowing", "fitness_equipment"):
        assert not sport_display(sport).grade_adjusted, sport


def test_moving_time_is_shown_where_the_speed_stream_says_when_one_moves() -> None:
    assert sport_display("running").moving_time
    assert sport_display("cycling", "road").moving_time
    assert not sport_display("swimming", "lap_swimming").moving_time
    assert not sport_display("fitness_equipment", "indoor_rowing").moving_time


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=30))
def test_no_sport_is_shown_by_its_enum_name(sport: str) -> None:
    display = sport_display(sport, "generic")
    assert "_" not in display.label
    assert "_" not in display.noun
    assert display.label[:1] == display.label[:1].upper()


@pytest.mark.parametrize(
    ("hour", "words"),
    [
        (4, "Night"),
        (5, "Morning"),
        (11, "Morning"),
        (12, "Afternoon"),
        (16, "Afternoon"),
        (17, "Evening"),
        (20, "Evening"),
        (21, "Night"),
        (0, "Night"),
    ],
)
def test_time_of_day_bounds(hour: int, words: str) -> None:
    assert time_of_day(dt.time(hour, 30)) == words


@pytest.mark.parametrize(
    ("sport", "sub_sport", "hour", "title"),
    [
        ("swimming", "lap_swimming", 7, "Morning swim"),
        ("cycling", "road", 18, "Evening ride"),
        ("fitness_equipment", "indoor_rowing", 13, "Afternoon indoor row"),
        ("running", "trail", 22, "Night trail run"),
        ("fitness_equipment", None, 9, "Morning workout"),
    ],
)
def test_session_title_is_the_time_of_day_and_the_sport(
    sport: str, sub_sport: str | None, hour: int, title: str
) -> None:
    start = dt.datetime(2026, 5, 4, hour, 15, tzinfo=dt.UTC)
    assert session_title(sport, sub_sport, start) == title
    # On the runner's clock: two hours earlier in UTC is the same time of day at UTC+2.
    assert session_title(sport, sub_sport, start - dt.timedelta(hours=2), 7200) == title


def test_only_outdoor_running_counts_for_bests() -> None:
    assert counts_for_bests("running", "trail")
    assert not counts_for_bests("running", "treadmill")
    assert not counts_for_bests("swimming", "lap_swimming")
