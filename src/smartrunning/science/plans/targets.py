"""The runner's parameters valid on a day, and the targets of a planned workout's steps.

SPEC.md §6: every workout is resolved to the runner's paces and HR zones *valid on that
day*. The generator asks a ``ParametersOnDate`` callback for each day; ``DatedParameters``
builds one from dated versions (a CS version starting mid-plan changes targets from its
date only).

Targets per step (our choices, stated here):

- pace: the step's intensity (a fraction of CS, SCIENCE.md "ZWO workout files") times CS,
  widened by ``PACE_TOLERANCE`` (±2 % of speed, about what GPS pace holds), written as
  seconds per kilometre, fastest first; a ramp spans its start and end;
- heart rate: Daniels' intensity of the step's speed for the runner (``intensity``:
  easy, marathon, threshold, interval or repetition by share of the runner's VDOT) and
  the heart rate that goes with it: Friel's % of a measured LTHR, else Daniels' % of
  HRmax (easy 65–79 %, marathon 80–90 %, threshold 88–92 %, interval 98–100 %); a ramp
  spans both ends' ranges; repetitions have none (set by pace only), nor do strides and
  hill repetitions under 3 min, whatever their speed (``paces.no_heart_rate``: run by pace,
  or by effort uphill, as heart rate lags 2–3 min). Never "pace zone n = heart-rate zone
  n". HR lags in short repetitions, so for them it is a guide;
- effort: hill repetitions (the on parts of a ``kind:hills`` session, ``paces.by_effort``)
  have no pace target, as no pace means anything on a hill of unknown grade (their
  fraction of CS is a flat-equivalent effort); ``effort`` says what to aim at instead
  (``paces.HILL_EFFORT``), and the pages, calendar feed and watch files show that;
- heart rate from the runner's own HR–speed line (``hr_speed``) where one was accepted:
  the line's value at the step's speed ± 3 bpm, for speeds the line covers, clamped to
  the band above widened by ``HR_LINE_MARGIN`` (5 % of HRmax) either way and to HRmax;
  repetitions still have none;
- a step or interval part given a pace or heart-rate target (``workouts.Target``, the
  workout builder's): a pace stays that pace (its HR as for its speed's share of the day's
  CS); a heart-rate range gives that share of HRmax in bpm and no pace (``_given``);
  either replaces the effort a hill repetition would have;
- free running, max efforts and steps at 0 % (standing rest) have no targets; a ramp from
  0 % has no slowest pace (``math.inf``).

Race time (``predict_race_time_s``): the CS model inside its window, else the VDOT
equivalent (``intensity.race_speed``, SCIENCE.md "Race pace").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Final, Literal, TypeVar

from smartrunning.science.hr_speed import HR_TOLERANCE_BPM, HRSpeedLine
from smartrunning.science.plans.intensity import (
    Intensity,
    classify,
    hr_range_bpm,
    race_speed,
    runner_vdot,
)
from smartrunning.science.plans.paces import HILL_EFFORT, by_effort, no_heart_rate
from smartrunning.science.workouts import (
    MIN_DISTANCE_INTENSITY,
    REFERENCE_CS_MPS,
    Free,
    Intervals,
    MaxEffort,
    Ramp,
    Steady,
    Target,
    Workout,
)
from smartrunning.science.zones import PaceZoneModel, ZoneSet

__all__ = [
    "HR_LINE_MARGIN",
    "PACE_TOLERANCE",
    "CSVersion",
    "DatedParameters",
    "DayParameters",
    "HRZonesVersion",
    "ParametersOnDate",
    "StepPart",
    "StepTarget",
    "predict_race_time_s",
    "step_intensity",
    "step_targets",
]

PACE_TOLERANCE: Final = 0.02
HR_LINE_MARGIN: Final = 0.05
"""How far (a fraction of HRmax) the runner's own line may take a target outside the band."""
StepPart = Literal["step", "on", "off"]


@dataclass(frozen=True, slots=True)
class DayParameters:
    """What targets need on one day; ``None`` when unknown.

    ``cs_mps``: critical speed, m/s; ``d_prime_m``: D′, m (0 when unknown);
    ``hr_zones``: resolved heart-rate zones in bpm; ``pace_zones``: the CS fractions;
    ``hrmax_bpm``: HRmax (measured or estimated); ``lthr_bpm``: a *measured* threshold
    heart rate (Friel's zones then); ``vdot``: the runner's VDOT from races, if known
    (else the CS model's, ``intensity.runner_vdot``); ``hr_line``: the runner's own
    HR–speed line, when their steady runs allow one (``science.hr_speed``).
    """

    cs_mps: float | None = None
    d_prime_m: float = 0.0
    hr_zones: ZoneSet | None = None
    pace_zones: PaceZoneModel = field(default_factory=PaceZoneModel)
    hrmax_bpm: float | None = None
    lthr_bpm: float | None = None
    vdot: float | None = None
    hr_line: HRSpeedLine | None = None

    def __post_init__(self) -> None:
        if self.cs_mps is not None and not (math.isfinite(self.cs_mps) and self.cs_mps > 0):
            raise ValueError(f"CS must be a positive speed, got {self.cs_mps!r}")
        if not (math.isfinite(self.d_prime_m) and self.d_prime_m >= 0):
            raise ValueError(f"D′ must be ≥ 0, got {self.d_prime_m!r}")
        if self.hr_zones is not None and self.hr_zones.unit != "bpm":
            raise ValueError("hr_zones must be heart-rate zones (bpm)")
        for name in ("hrmax_bpm", "lthr_bpm", "vdot"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be positive, got {value!r}")

    @property
    def hr_max(self) -> float | None:
        """HRmax: the one given, else the top of the heart-rate zones."""
        if self.hrmax_bpm is not None:
            return self.hrmax_bpm
        return None if self.hr_zones is None else self.hr_zones.zones[-1].upper

    @property
    def level(self) -> float | None:
        """The runner's VDOT: from races when given, else the CS model's; None without CS."""
        if self.vdot is not None:
            return self.vdot
        return None if self.cs_mps is None else runner_vdot(self.cs_mps, self.d_prime_m)


ParametersOnDate = Callable[[dt.date], DayParameters]
"""The runner's parameters valid on a date; must be pure (same date, same answer)."""


@dataclass(frozen=True, slots=True)
class CSVersion:
    """A CS (m/s), D′ (m) and pace-zone model valid from ``valid_from`` (inclusive)."""

    valid_from: dt.date
    cs_mps: float
    d_prime_m: float = 0.0
    pace_zones: PaceZoneModel = field(default_factory=PaceZoneModel)
    vdot: float | None = None


@dataclass(frozen=True, slots=True)
class HRZonesVersion:
    """Heart-rate zones (bpm), HRmax and a measured LTHR valid from ``valid_from``."""

    valid_from: dt.date
    zones: ZoneSet
    hrmax_bpm: float | None = None
    lthr_bpm: float | None = None


@dataclass(frozen=True, slots=True)
class DatedParameters:
    """A ``ParametersOnDate`` from dated versions: on each day, the latest version whose
    ``valid_from`` is on or before it (on equal dates, the later one in the tuple)."""

    cs: tuple[CSVersion, ...] = ()
    hr_zones: tuple[HRZonesVersion, ...] = ()
    hr_line: HRSpeedLine | None = None
    """The runner's own HR–speed line, the same on every day of the plan."""

    def __call__(self, day: dt.date) -> DayParameters:
        cs = _valid_on(self.cs, day)
        hr = _valid_on(self.hr_zones, day)
        zones = None if hr is None else hr.zones
        hrmax = None if hr is None else hr.hrmax_bpm
        lthr = None if hr is None else hr.lthr_bpm
        if cs is None:
            return DayParameters(
                hr_zones=zones, hrmax_bpm=hrmax, lthr_bpm=lthr, hr_line=self.hr_line
            )
        return DayParameters(
            cs_mps=cs.cs_mps,
            d_prime_m=cs.d_prime_m,
            hr_zones=zones,
            pace_zones=cs.pace_zones,
            hrmax_bpm=hrmax,
            lthr_bpm=lthr,
            vdot=cs.vdot,
            hr_line=self.hr_line,
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
    (fastest, slowest) s/km; HR is (lowest, highest) bpm; ``None`` when unknown.
    ``effort``: what a part run by effort aims at instead of a pace (hill repetitions;
    module doc), else ``None``."""

    step_index: int
    part: StepPart
    intensity: tuple[float, float]
    pace_s_per_km: tuple[float, float] | None
    hr_bpm: tuple[float, float] | None
    effort: str | None = None


def _target(index: int, part: StepPart, a: float, b: float, params: DayParameters) -> StepTarget:
    low, high = min(a, b), max(a, b)
    if high <= 0.0:  # standing rest: neither pace nor heart rate to aim at
        return StepTarget(index, part, (low, high), None, None)
    pace = None
    if params.cs_mps is not None:
        fast = 1000.0 / (high * params.cs_mps * (1.0 + PACE_TOLERANCE))
        slow = 1000.0 / (low * params.cs_mps * (1.0 - PACE_TOLERANCE)) if low > 0 else math.inf
        pace = (fast, slow)
    return StepTarget(index, part, (low, high), pace, _hr(low, high, params))


def step_intensity(fraction: float, params: DayParameters) -> Intensity | None:
    """Daniels' intensity of running at ``fraction`` of the day's CS; None without CS."""
    level = params.level
    if params.cs_mps is None or level is None or fraction <= 0:
        return None
    return classify(fraction * params.cs_mps, level)


def _hr(low: float, high: float, params: DayParameters) -> tuple[float, float] | None:
    """The heart-rate range for running from ``low`` to ``high`` × CS (module doc)."""
    ranges = []
    for fraction in {low, high}:
        intensity = step_intensity(max(fraction, 1e-6), params)
        if intensity is None:
            intensity = Intensity.EASY if fraction < 1.0 else Intensity.INTERVAL
        band = hr_range_bpm(intensity, params.hr_max, params.lthr_bpm)
        if band is None:
            return None
        ranges.append(_own_line(fraction, band, params) or band)
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def _own_line(
    fraction: float, band: tuple[float, float], params: DayParameters
) -> tuple[float, float] | None:
    """The runner's line's HR at ``fraction`` × CS ± 3 bpm, clamped (module doc); None
    without a line, CS or HRmax, or outside the speeds the line covers."""
    line, hrmax = params.hr_line, params.hr_max
    if line is None or params.cs_mps is None or hrmax is None or fraction <= 0:
        return None
    speed = fraction * params.cs_mps
    if not line.covers(speed):
        return None
    lowest = band[0] - HR_LINE_MARGIN * hrmax
    highest = min(band[1] + HR_LINE_MARGIN * hrmax, hrmax)
    hr = line.hr_at(speed)
    low = min(max(hr - HR_TOLERANCE_BPM, lowest), highest)
    high = min(max(hr + HR_TOLERANCE_BPM, lowest), highest)
    return low, high


def _given(row: StepTarget, target: Target | None, params: DayParameters) -> StepTarget:
    """``row`` for a part given a pace or heart-rate ``target`` (module doc)."""
    if target is None:
        return row
    if target.kind == "pace":
        return replace(row, pace_s_per_km=(target.low, target.high), effort=None)
    hrmax = params.hr_max
    hr = None if hrmax is None else (target.low * hrmax, target.high * hrmax)
    return replace(row, pace_s_per_km=None, hr_bpm=hr, effort=None)


def step_targets(workout: Workout, params: DayParameters) -> tuple[StepTarget, ...]:
    """The targets of each step of a running workout on a day with ``params``; pace
    targets run at their own speed (``Workout.at_cs``)."""
    if params.cs_mps is not None:
        workout = workout.at_cs(params.cs_mps)
    targets: list[StepTarget] = []
    for index, step in enumerate(workout.steps):
        if isinstance(step, Steady):
            row = _target(index, "step", step.intensity, step.intensity, params)
            targets.append(_given(row, step.target, params))
        elif isinstance(step, Ramp):
            targets.append(_target(index, "step", step.intensity_start, step.intensity_end, params))
        elif isinstance(step, Intervals):
            row = _target(index, "on", step.on_intensity, step.on_intensity, params)
            if no_heart_rate(workout.kind, _on_seconds(step, params)):
                row = replace(row, hr_bpm=None)  # strides, short hill reps: by pace/effort
            if by_effort(workout.kind):
                row = replace(row, pace_s_per_km=None, effort=HILL_EFFORT)  # hill reps
            targets.append(_given(row, step.on_target, params))
            if step.off.value > 0:
                off = step.off_intensity
                row = _target(index, "off", off, off, params)
                targets.append(_given(row, step.off_target, params))
        elif isinstance(step, (Free, MaxEffort)):
            continue
        else:
            raise TypeError(f"unknown step {step!r}")
    return tuple(targets)


def _on_seconds(step: Intervals, params: DayParameters) -> float:
    """How long one repetition of ``step`` lasts, s (a distance at the day's CS, else at
    the reference CS)."""
    if not step.on.is_distance:
        return step.on.value
    cs = REFERENCE_CS_MPS if params.cs_mps is None else params.cs_mps
    return step.on.value / (max(step.on_intensity, MIN_DISTANCE_INTENSITY) * cs)


def predict_race_time_s(
    distance_m: float, cs_mps: float, d_prime_m: float = 0.0, level: float | None = None
) -> float:
    """Predicted race time, s: the CS model in its window, else the VDOT equivalent
    (``intensity.race_speed``)."""
    return race_speed(distance_m, cs_mps, d_prime_m, level).time_s
