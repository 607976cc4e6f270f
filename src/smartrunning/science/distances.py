"""The standard distances for best efforts, personal bests and race predictions.

The list is SCIENCE.md's ("Best efforts and personal bests"). Keys are stable identifiers
meant to be stored (personal bests, best efforts, prediction tables): never rename one.
Labels are for display only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["MILE_M", "STANDARD_DISTANCES", "StandardDistance", "standard_distance"]

MILE_M: Final = 1609.344
"""The international mile, metres."""


@dataclass(frozen=True, slots=True)
class StandardDistance:
    """One standard distance: a stable ``key``, a display ``label`` and ``distance_m``."""

    key: str
    label: str
    distance_m: float


STANDARD_DISTANCES: Final[tuple[StandardDistance, ...]] = (
    StandardDistance("400m", "400 m", 400.0),
    StandardDistance("800m", "800 m", 800.0),
    StandardDistance("1000m", "1000 m", 1000.0),
    StandardDistance("mile", "1 mile", MILE_M),
    StandardDistance("3000m", "3000 m", 3000.0),
    StandardDistance("5k", "5 km", 5000.0),
    StandardDistance("10k", "10 km", 10000.0),
    StandardDistance("15k", "15 km", 15000.0),
    StandardDistance("half_marathon", "Half marathon", 21097.5),
    StandardDistance("marathon", "Marathon", 42195.0),
)
"""Ascending by distance."""

_BY_KEY: Final = {d.key: d for d in STANDARD_DISTANCES}


def standard_distance(key: str) -> StandardDistance:
    """The standard distance with this stable key; ``KeyError`` naming the valid keys."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(
            f"unknown standard distance {key!r}; expected one of {list(_BY_KEY)}"
        ) from None
