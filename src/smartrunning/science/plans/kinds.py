"""The kinds of session a plan draws from: their sensible lengths and usual intensities,
and the races the library's ``race:`` tags name.

Sensible lengths (``duration_bounds``, SCIENCE.md "each workout scaled … within the step
bounds the workout allows"): each kind of session has a shortest and a longest total
duration (a recovery run 15–60 min, an easy run 20–100 min, a long run 30 min up to
``LONG_RUN_MAX_S`` for the race: 1 h 40 for 5 km … 3 h for a marathon).
``scaling.scale_workout`` given bounds stops there (``clipped``); the generator shares a
week's load out so that days stay inside them (``load_bounds``: the same bounds as loads
at the kind's usual intensity, ``KIND_INTENSITY``, independent of the runner's speed).
"""

from __future__ import annotations

import math
from typing import Final

__all__ = [
    "KIND_DURATION_S",
    "KIND_INTENSITY",
    "LONG_RUN_GOAL_S",
    "LONG_RUN_MAX_S",
    "RACE_PACE_MAX_S",
    "RACE_TAGS",
    "duration_bounds",
    "load_bounds",
    "nominal_load",
    "race_tag",
]

RACE_TAGS: Final[dict[str, float]] = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": 21097.5,
    "marathon": 42195.0,
}
"""The library's ``race:`` tags and their distances, metres."""

_MIN: Final = 60.0
KIND_DURATION_S: Final[dict[str, tuple[float, float]]] = {
    "recovery": (15 * _MIN, 60 * _MIN),
    "easy": (20 * _MIN, 100 * _MIN),
    "long": (30 * _MIN, 180 * _MIN),
    "strides": (20 * _MIN, 80 * _MIN),
    "progression": (25 * _MIN, 120 * _MIN),
    "tempo": (25 * _MIN, 100 * _MIN),
    "threshold": (25 * _MIN, 100 * _MIN),
    "vo2max": (25 * _MIN, 90 * _MIN),
    "hills": (25 * _MIN, 90 * _MIN),
    "race-pace": (25 * _MIN, 150 * _MIN),
}
"""Shortest and longest total duration of a session of each kind, warm-up and cool-down
included (the long run's and the race-pace session's longest depend on the race:
``LONG_RUN_MAX_S``, ``RACE_PACE_MAX_S``)."""
RACE_PACE_MAX_S: Final[dict[str, float]] = {
    "5k": 80 * _MIN,
    "10k": 90 * _MIN,
    "half": 120 * _MIN,
    "marathon": 150 * _MIN,
}
LONG_RUN_MAX_S: Final[dict[str, float]] = {
    "5k": 100 * _MIN,
    "10k": 110 * _MIN,
    "half": 140 * _MIN,
    "marathon": 180 * _MIN,
}
"""The longest long run for each race: past it, the time on feet adds fatigue, not
endurance (common coaching limits: 3 h for the marathon)."""
LONG_RUN_GOAL_S: Final[dict[str, float]] = {
    "5k": 70 * _MIN,
    "10k": 85 * _MIN,
    "half": 110 * _MIN,
    "marathon": 150 * _MIN,
}
"""The long run a plan's biggest week should hold for each race (the generator gives the
long run a larger share of low-volume weeks to reach it, see ``generate``)."""
KIND_INTENSITY: Final[dict[str, float]] = {
    "recovery": 0.68,
    "easy": 0.75,
    "long": 0.75,
    "strides": 0.78,
    "progression": 0.80,
    "tempo": 0.84,
    "threshold": 0.84,
    "vo2max": 0.82,
    "hills": 0.80,
    "race-pace": 0.84,
}
"""A kind's usual time-averaged intensity (warm-up and recoveries included), for its load
bounds."""
_DEFAULT_DURATION_S: Final = (20 * _MIN, 150 * _MIN)
_DEFAULT_INTENSITY: Final = 0.8


def race_tag(distance_m: float) -> str:
    """The ``race:`` tag nearest to ``distance_m`` by ratio (|ln(D / D_tag)|)."""
    if not (math.isfinite(distance_m) and distance_m > 0):
        raise ValueError(f"race distance must be positive, got {distance_m!r}")
    return min(RACE_TAGS, key=lambda tag: abs(math.log(distance_m / RACE_TAGS[tag])))


def duration_bounds(kind: str | None, tag: str) -> tuple[float, float]:
    """Shortest and longest total duration, seconds, of a session of ``kind`` in a plan
    for the race ``tag`` (see the module doc)."""
    low, high = KIND_DURATION_S.get(kind or "", _DEFAULT_DURATION_S)
    if kind == "long":
        high = LONG_RUN_MAX_S.get(tag, high)
    elif kind == "race-pace":
        high = RACE_PACE_MAX_S.get(tag, high)
    return low, high


def nominal_load(kind: str | None, duration_s: float) -> float:
    """The load of ``duration_s`` of a ``kind`` session at its usual intensity."""
    intensity = KIND_INTENSITY.get(kind or "", _DEFAULT_INTENSITY)
    return duration_s * intensity**2 * 100.0 / 3600.0


def load_bounds(kind: str | None, tag: str) -> tuple[float, float]:
    """``duration_bounds`` as loads at the kind's usual intensity (speed-independent)."""
    low, high = duration_bounds(kind, tag)
    return nominal_load(kind, low), nominal_load(kind, high)
