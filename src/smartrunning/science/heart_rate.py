"""Maximum heart rate estimated from age (HUNT), and age from a birth date.

Pure: the caller passes the date on which the age is wanted; nothing here reads the clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Final

__all__ = [
    "HUNT_AGE_RANGE_YEARS",
    "HUNT_SEE_BPM",
    "HRmaxEstimate",
    "age_years",
    "estimate_hrmax",
    "hunt_hrmax_bpm",
]

HUNT_SEE_BPM: Final = 10.8
"""Standard error of the estimate of the HUNT equation, bpm (shown as ± 11 bpm)."""

HUNT_AGE_RANGE_YEARS: Final = (19, 89)
"""Ages of the HUNT Fitness Study sample; outside it the equation is extrapolated."""


@dataclass(frozen=True, slots=True)
class HRmaxEstimate:
    """An estimated maximum heart rate.

    - ``hrmax_bpm``: the estimate, bpm (not rounded; round for display).
    - ``see_bpm``: its standard error of the estimate, bpm.
    - ``age_years``: the whole-year age it was computed for.
    - ``extrapolated``: the age lies outside the study sample (``HUNT_AGE_RANGE_YEARS``).
    - ``source``: the equation's citation, for display beside the value.
    """

    hrmax_bpm: float
    see_bpm: float
    age_years: int
    extrapolated: bool
    source: str = "HUNT: Nes et al., Scand J Med Sci Sports 2013;23:697-704"

    @property
    def low_bpm(self) -> float:
        """Estimate minus one SEE."""
        return self.hrmax_bpm - self.see_bpm

    @property
    def high_bpm(self) -> float:
        """Estimate plus one SEE."""
        return self.hrmax_bpm + self.see_bpm


def age_years(birth_date: date, on: date) -> int:
    """Age in whole years on the date ``on`` (a birthday counts from its own day).

    Someone born on 29 February turns a year older on 1 March in common years.
    Raises ``ValueError`` when ``on`` is before ``birth_date``.
    """
    if on < birth_date:
        raise ValueError(f"date {on.isoformat()} is before birth date {birth_date.isoformat()}")
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def hunt_hrmax_bpm(age: float) -> float:
    """HRmax = 211 − 0.64 · age, bpm (age in years).

    Source: Nes et al., *Scand J Med Sci Sports* 2013;23:697–704 (HUNT Fitness Study,
    n = 3320, SEE ≈ 10.8 bpm, no effect of sex or activity level).
    """
    if not math.isfinite(age) or age < 0:
        raise ValueError(f"age must be a finite number of years ≥ 0, got {age!r}")
    return 211.0 - 0.64 * age


def estimate_hrmax(birth_date: date, on: date) -> HRmaxEstimate:
    """HUNT estimate of HRmax for someone born on ``birth_date``, as of the date ``on``.

    Source: Nes et al. 2013 (see ``hunt_hrmax_bpm``); the age is in whole years.
    """
    age = age_years(birth_date, on)
    low, high = HUNT_AGE_RANGE_YEARS
    return HRmaxEstimate(
        hrmax_bpm=hunt_hrmax_bpm(age),
        see_bpm=HUNT_SEE_BPM,
        age_years=age,
        extrapolated=not low <= age <= high,
    )
