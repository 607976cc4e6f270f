"""The runner's parameters valid on a day, and the targets of a planned workout's steps.

SPEC.md §6: every workout is resolved to the runner's paces and HR zones *valid on that
day*. The generator asks a ``ParametersOnDate`` callback for each day; ``DatedParameters``
builds one from dated versions (a CS version starting mid-plan changes targets from its
date only).

Targets per step (our choices, stated here):

- pace: the step's intensity (a fraction of CS, SCIENCE.md "ZWO workout files") times CS,
  widened by ``PACE_TOLERANCE`` (±2 % of speed, about what GPS pace holds), written as
  seconds per kilometre, fastest first; a ramp spans its start and end;
- heart rate: the pace zone of the intensity (SCIENCE.md "Pace zones from critical
  speed") mapped to the HR zone of the same number, the top HR zone taking every pace
  zone above it (both scales put threshold, CS ≈ the top of HR zone 4, at the same
  boundary in the default models); the range spans the zones of a ramp's two ends. HR
  lags in short repetitions, so for them it is a guide;
- free running, max efforts and steps at 0 % (standing rest) have no targets; a ramp from
  0 % has no slowest pace (``math.inf``).

Race time (``predict_race_time_s``): the CS model t = (D − D′) / CS inside its window
(about 2–30 min, SCIENCE.md "Critical speed and D′"); outside it, Riegel (1977) from the
CS model's own prediction at the nearer end of the window, as SCIENCE.md says to use
Riegel beyond that range.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal, TypeVar

from smartrunning.science.predictions import CS_PREDICTION_WINDOW_S, riegel_time_s
from smartrunning.science.workouts import Free, Intervals, MaxEffort, Ramp, Steady, Workout
from smartrunning.science.zones import PaceZoneModel, ZoneSet

__all__ = [
    "PACE_TOLERANCE",
    "CSVersion",
    "DatedParameters",
    "DayParameters",
    "HRZonesVersion",
    "ParametersOnDate",
    "StepPart",
    "StepTarget",
    "predict_race_time_s",
    "step_targets",
]

PACE_TOLERANCE: Final = 0.02
StepPart = Literal["step", "on", "off"]


@dataclass(frozen=True, slots=True)
class DayParameters:
    """What targets need on one day; ``None`` when unknown.

    ``cs_mps``: critical speed, m/s; ``d_prime_m``: D′, m (0 when unknown);
    ``hr_zones``: resolved heart-rate zones in bpm; ``pace_zones``: the CS fractions.
    """

    cs_mps: float | None = None
    d_prime_m: float = 0.0
    hr_zones: ZoneSet | None = None
    pace_zones: PaceZoneModel = field(default_factory=PaceZoneModel)

    def __post_init__(self) -> None:
        if self.cs_mps is not None and not (math.isfinite(self.cs_mps) and self.cs_mps > 0):
            raise ValueError(f"CS must be a positive speed, got {self.cs_mps!r}")
        if not (math.isfinite(self.d_prime_m) and self.d_prime_m >= 0):
            raise ValueError(f"D′ must be ≥ 0, got {self.d_prime_m!r}")
        if self.hr_zones is not None and self.hr_zones.unit != "bpm":
            raise ValueError("hr_zones must be heart-rate zones (bpm)")


ParametersOnDate = Callable[[dt.date], DayParameters]
"""The runner's parameters valid on a date; must be pure (same date, same answer)."""


@dataclass(frozen=True, slots=True)
class CSVersion:
    """A CS (m/s), D′ (m) and pace-zone model valid from ``valid_from`` (inclusive)."""

    valid_from: dt.date
    cs_mps: float
    d_prime_m: float = 0.0
    pace_zones: PaceZoneModel = field(default_factory=PaceZoneModel)


@dataclass(frozen=True, slots=True)
class HRZonesVersion:
    """Heart-rate zones (bpm) valid from ``valid_from`` (inclusive)."""

    valid_from: dt.date
    zones: ZoneSet


@dataclass(frozen=True, slots=True)
class DatedParameters:
    """A ``ParametersOnDate`` from dated versions: on each day, the latest version whose
    ``valid_from`` is on or before it (on equal dates, the later one in the tuple)."""

    cs: tuple[CSVersion, ...] = ()
    hr_zones: tuple[HRZonesVersion, ...] = ()

    def __call__(self, day: dt.date) -> DayParameters:
        cs = _valid_on(self.cs, day)
        hr = _valid_on(self.hr_zones, day)
        if cs is None:
            return DayParameters(hr_zones=None if hr is None else hr.zones)
        return DayParameters(
            cs_mps=cs.cs_mps,
            d_prime_m=cs.d_prime_m,
            hr_zones=None if hr is None else hr.zones,
            pace_zones=cs.pace_zones,
        )


_Version = TypeVar("_Version", CSVersion, HRZonesVersion)


def _valid_on(versions: tuple[_Version, ...], day: dt.date) -> _Version | None:
    best: _Version | None = None
    for version in versions:
        if version.valid_from <= day and (best is None or version.valid_from >= best.valid_from):
            best = version
    return best


@dataclass(frozen=True, slots=True)
class StepTarget:
    """Targets for step ``step_index`` of a workout (``part``: the whole step, or an
    interval block's on or off part). Intensities are fractions of CS; paces are
    (fastest, slowest) s/km; HR is (lowest, highest) bpm; ``None`` when unknown."""

    step_index: int
    part: StepPart
    intensity: tuple[float, float]
    pace_s_per_km: tuple[float, float] | None
    hr_bpm: tuple[float, float] | None


def _pace_zone(intensity: float, model: PaceZoneModel) -> int:
    """The 1-based pace zone of an intensity (zones are [lower, upper))."""
    return min(
        bisect.bisect_right(model.upper_fractions, intensity) + 1, len(model.upper_fractions)
    )


def _target(index: int, part: StepPart, a: float, b: float, params: DayParameters) -> StepTarget:
    low, high = min(a, b), max(a, b)
    if high <= 0.0:  # standing rest: neither pace nor heart rate to aim at
        return StepTarget(index, part, (low, high), None, None)
    pace = None
    if params.cs_mps is not None:
        fast = 1000.0 / (high * params.cs_mps * (1.0 + PACE_TOLERANCE))
        slow = 1000.0 / (low * params.cs_mps * (1.0 - PACE_TOLERANCE)) if low > 0 else math.inf
        pace = (fast, slow)
    hr = None
    if params.hr_zones is not None:
        zones = params.hr_zones.zones
        first = min(_pace_zone(low, params.pace_zones), len(zones))
        last = min(_pace_zone(high, params.pace_zones), len(zones))
        hr = (zones[first - 1].lower, zones[last - 1].upper)
    return StepTarget(index, part, (low, high), pace, hr)


def step_targets(workout: Workout, params: DayParameters) -> tuple[StepTarget, ...]:
    """The targets of each step of a running workout on a day with ``params``."""
    targets: list[StepTarget] = []
    for index, step in enumerate(workout.steps):
        if isinstance(step, Steady):
            targets.append(_target(index, "step", step.intensity, step.intensity, params))
        elif isinstance(step, Ramp):
            targets.append(_target(index, "step", step.intensity_start, step.intensity_end, params))
        elif isinstance(step, Intervals):
            targets.append(_target(index, "on", step.on_intensity, step.on_intensity, params))
            if step.off.value > 0:
                off = step.off_intensity
                targets.append(_target(index, "off", off, off, params))
        elif isinstance(step, (Free, MaxEffort)):
            continue
        else:
            raise TypeError(f"unknown step {step!r}")
    return tuple(targets)


def predict_race_time_s(distance_m: float, cs_mps: float, d_prime_m: float = 0.0) -> float:
    """Predicted race time, s: the CS model in its window, else Riegel from its nearer end."""
    if not (math.isfinite(distance_m) and distance_m > 0):
        raise ValueError(f"race distance must be positive, got {distance_m!r}")
    if not (math.isfinite(cs_mps) and cs_mps > 0):
        raise ValueError(f"CS must be a positive speed, got {cs_mps!r}")
    shortest_s, longest_s = CS_PREDICTION_WINDOW_S
    time_s = (distance_m - d_prime_m) / cs_mps
    if shortest_s <= time_s <= longest_s:
        return time_s
    anchor_s = longest_s if time_s > longest_s else shortest_s
    return riegel_time_s(anchor_s, d_prime_m + cs_mps * anchor_s, distance_m)
