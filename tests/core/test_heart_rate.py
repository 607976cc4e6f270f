from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.heart_rate import (
    HUNT_SEE_BPM,
    age_years,
    estimate_hrmax,
    hunt_hrmax_bpm,
)


@pytest.mark.parametrize(
    ("age", "expected_bpm"),
    [(40, 185.4), (20, 198.2), (60, 172.6), (0, 211.0)],
)
def test_hunt_worked_examples(age: int, expected_bpm: float) -> None:
    # SCIENCE.md: HRmax = 211 − 0.64 · age (Nes et al. 2013).
    assert hunt_hrmax_bpm(age) == pytest.approx(expected_bpm, abs=1e-9)


@pytest.mark.parametrize("age", [-1.0, float("nan"), float("inf")])
def test_hunt_rejects_impossible_ages(age: float) -> None:
    with pytest.raises(ValueError, match="age"):
        hunt_hrmax_bpm(age)


def test_age_counts_the_birthday_itself() -> None:
    born = date(1985, 6, 15)
    assert age_years(born, date(2025, 6, 14)) == 39
    assert age_years(born, date(2025, 6, 15)) == 40
    assert age_years(born, born) == 0


def test_leap_day_birthday_turns_on_first_of_march_in_common_years() -> None:
    born = date(2000, 2, 29)
    assert age_years(born, date(2023, 2, 28)) == 22
    assert age_years(born, date(2023, 3, 1)) == 23
    assert age_years(born, date(2024, 2, 29)) == 24


def test_age_before_birth_is_refused() -> None:
    with pytest.raises(ValueError, match="before birth date"):
        age_years(date(2000, 1, 2), date(2000, 1, 1))


def test_estimate_uses_whole_years_and_exposes_its_error() -> None:
    estimate = estimate_hrmax(date(1985, 6, 15), on=date(2025, 6, 14))
    assert estimate.age_years == 39
    assert estimate.hrmax_bpm == pytest.approx(211 - 0.64 * 39)
    assert estimate.see_bpm == pytest.approx(HUNT_SEE_BPM)
    assert estimate.see_bpm == pytest.approx(10.8)
    assert estimate.low_bpm == pytest.approx(estimate.hrmax_bpm - 10.8)
    assert estimate.high_bpm == pytest.approx(estimate.hrmax_bpm + 10.8)
    assert not estimate.extrapolated
    assert "Nes" in estimate.source


def test_estimate_flags_ages_outside_the_study_sample() -> None:
    assert estimate_hrmax(date(2010, 1, 1), on=date(2025, 1, 1)).extrapolated  # 15
    assert not estimate_hrmax(date(2006, 1, 1), on=date(2025, 1, 1)).extrapolated  # 19
    assert not estimate_hrmax(date(1936, 1, 1), on=date(2025, 1, 1)).extrapolated  # 89
    assert estimate_hrmax(date(1935, 1, 1), on=date(2025, 1, 1)).extrapolated  # 90


@given(
    born=st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
    days=st.integers(min_value=0, max_value=100 * 366),
)
def test_age_is_the_number_of_birthdays_passed(born: date, days: int) -> None:
    def birthday(years: int) -> date:
        try:
            return born.replace(year=born.year + years)
        except ValueError:  # 29 February in a common year
            return date(born.year + years, 3, 1)

    on = born + timedelta(days=days)
    age = age_years(born, on)
    assert birthday(age) <= on < birthday(age + 1)


@given(st.integers(min_value=0, max_value=110), st.integers(min_value=1, max_value=30))
def test_hunt_falls_with_age(age: int, older_by: int) -> None:
    assert hunt_hrmax_bpm(age + older_by) < hunt_hrmax_bpm(age)
    assert hunt_hrmax_bpm(age) - hunt_hrmax_bpm(age + older_by) == pytest.approx(0.64 * older_by)
