"""A workout resolved for a runner on a day: per step paces, HR ranges, time and distance.

``resolve_workout(workout, params)`` turns a structured workout (intensities as fractions
of CS, SCIENCE.md "ZWO workout files") into what a runner reads:

- nominal pace of a step at intensity I: 1000 / (I · CS) seconds per kilometre (a ramp
  has one at its start and one at its end);
- the pace range and the heart-rate range are ``plans.targets.step_targets``'s (±2 %
  of speed; the pace zone of the intensity mapped to the HR zone of the same number), so
  the library, the plans and the FIT files a watch gets show the same targets;
- time and distance of one repetition of a step, and the workout's totals and
  estimated load, from ``Workout`` (``workouts`` module doc: a distance step lasts
  D / (I · CS), a time step covers t · I · CS).

Hill repetitions are run by effort (``plans.targets``: no pace range, an ``effort``); they
have no nominal pace either, as a flat-equivalent pace is no pace to run uphill.

Steps and parts given a pace or heart-rate target (``workouts.Target``) resolve by
``plans.targets.step_targets``: a pace target stays that pace (its nominal pace the
middle, its HR that of its speed's fraction of the day's CS); a heart-rate target gives
that share of HRmax and no pace. Times, distances and load of a pace target use its own
speed (``Workout.at_cs``).

Without CS (no runner chosen), time steps keep their time and distance steps their
distance; nothing else is estimated. Bike workouts (intensities of FTP) are never given
paces, heart rates or distances: only their time and TSS-like load.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from smartrunning.science.plans.targets import DayParameters, StepPart, StepTarget, step_targets
from smartrunning.science.workouts import (
    Extent,
    ExtentUnit,
    Free,
    Intervals,
    MaxEffort,
    Ramp,
    Segment,
    Steady,
    Step,
    Target,
    Workout,
)

__all__ = [
    "ResolvedStep",
    "ResolvedWorkout",
    "StepKind",
    "extent_totals",
    "resolve_workout",
]

StepKind = Literal["steady", "warmup", "ramp", "cooldown", "on", "off", "free", "max"]


@dataclass(frozen=True, slots=True)
class ResolvedStep:
    """One row of a workout's table: a step, or an interval block's on or off part.

    ``extent`` and ``duration_s``/``distance_m`` are for one repetition (``repeat``
    times in a row). ``intensity``: (start, end) fractions, equal unless a ramp (a ramped
    on or off part too); for a ranged steady step (``Steady.target_range``) its (low, high)
    band; ``None`` for free running and max efforts. ``pace_s_per_km``: nominal (start, end);
    ``pace_range_s_per_km``: (fastest, slowest); ``hr_bpm``: (lowest, highest).
    ``target``: the pace or heart-rate target the part was given (None: a fraction of CS).
    """

    step_index: int
    part: StepPart
    kind: StepKind
    repeat: int
    extent: Extent
    intensity: tuple[float, float] | None
    duration_s: float | None
    distance_m: float | None
    pace_s_per_km: tuple[float, float] | None = None
    pace_range_s_per_km: tuple[float, float] | None = None
    hr_bpm: tuple[float, float] | None = None
    target: Target | None = None


@dataclass(frozen=True, slots=True)
class ResolvedWorkout:
    """A workout for one runner (``cs_mps`` ``None``: no runner, or a bike workout).

    Totals are ``None`` when they cannot be known: a distance step without CS, or the
    distance of a bike workout.
    """

    workout: Workout
    cs_mps: float | None
    steps: tuple[ResolvedStep, ...]
    total_duration_s: float | None
    total_distance_m: float | None
    estimated_load: float | None
    timeline: tuple[Segment, ...]


def _given(step: Step, part: StepPart) -> Target | None:
    if isinstance(step, Steady) and part == "step":
        return step.target
    if isinstance(step, Intervals):
        return step.on_target if part == "on" else step.off_target if part == "off" else None
    return None


def _parts(step: Step) -> list[tuple[StepPart, StepKind, Extent, tuple[float, float] | None]]:
    if isinstance(step, Steady):
        band = step.target_range or (step.intensity, step.intensity)
        return [("step", "steady", step.extent, band)]
    if isinstance(step, Ramp):
        return [("step", step.kind, step.extent, (step.intensity_start, step.intensity_end))]
    if isinstance(step, Intervals):
        on: list[tuple[StepPart, StepKind, Extent, tuple[float, float] | None]] = [
            ("on", "on", step.on, step.on_ends)
        ]
        if step.off.value > 0:
            on.append(("off", "off", step.off, step.off_ends))
        return on
    if isinstance(step, Free):
        return [("step", "free", step.extent, None)]
    if isinstance(step, MaxEffort):
        return [("step", "max", step.extent, None)]
    raise TypeError(f"unknown step {step!r}")


def _single(
    sport: Literal["run", "bike"], kind: StepKind, extent: Extent, ends: tuple[float, float] | None
) -> Workout:
    """A one-piece workout with the part's shape, to reuse ``Workout``'s estimates."""
    piece: Step
    if kind == "free":
        piece = Free(extent)
    elif kind == "max":
        piece = MaxEffort(extent)
    elif ends is not None and kind in ("warmup", "ramp", "cooldown"):
        piece = Ramp(kind, extent, ends[0], ends[1])
    elif ends is not None and kind == "steady" and ends[0] != ends[1]:
        piece = Steady.ranged(extent, ends[0], ends[1])
    elif ends is not None and ends[0] != ends[1]:  # a ramped on or off part
        piece = Ramp("ramp", extent, ends[0], ends[1])
    else:
        assert ends is not None
        piece = Steady(extent, ends[0])
    return Workout(name="part", sport=sport, steps=(piece,))


def _nominal_pace(ends: tuple[float, float], cs_mps: float) -> tuple[float, float] | None:
    if min(ends) <= 0:
        return None
    return (1000.0 / (ends[0] * cs_mps), 1000.0 / (ends[1] * cs_mps))


def _is_hr(step: Step, part: StepPart) -> bool:
    target = _given(step, part)
    return target is not None and target.kind == "hr"


def resolve_workout(workout: Workout, params: DayParameters | None = None) -> ResolvedWorkout:
    """The workout's rows and totals for a runner with ``params`` (see the module doc)."""
    run = workout.sport == "run"
    cs = params.cs_mps if params is not None and run else None
    targets: dict[tuple[int, StepPart], StepTarget] = {}
    if params is not None and run:
        targets = {(t.step_index, t.part): t for t in step_targets(workout, params)}
    concrete = workout.at_cs(cs) if cs is not None else workout
    rows: list[ResolvedStep] = []
    for index, step in enumerate(concrete.steps):
        repeat = step.repeat if isinstance(step, Intervals) else 1
        for part, kind, extent, ends in _parts(step):
            single = _single(workout.sport, kind, extent, ends)
            known_time = not extent.is_distance or cs is not None
            target = targets.get((index, part))
            rows.append(
                ResolvedStep(
                    step_index=index,
                    part=part,
                    kind=kind,
                    repeat=repeat,
                    extent=extent,
                    intensity=ends,
                    duration_s=single.total_duration_s(cs) if known_time else None,
                    distance_m=(
                        single.total_distance_m(cs)
                        if cs is not None
                        else (extent.value if extent.is_distance and run else None)
                    ),
                    pace_s_per_km=(
                        _nominal_pace(ends, cs)
                        if cs
                        and ends
                        and not _is_hr(workout.steps[index], part)
                        and (target is None or target.effort is None)
                        else None
                    ),
                    pace_range_s_per_km=target.pace_s_per_km if target else None,
                    hr_bpm=target.hr_bpm if target else None,
                    target=_given(workout.steps[index], part),
                )
            )
    estimable = cs is not None or not workout.has_distance_steps
    return ResolvedWorkout(
        workout=workout,
        cs_mps=cs,
        steps=tuple(rows),
        total_duration_s=workout.total_duration_s(cs) if estimable else None,
        total_distance_m=workout.total_distance_m(cs) if cs is not None else None,
        estimated_load=workout.estimated_load(cs) if estimable else None,
        timeline=workout.timeline(cs) if estimable else (),
    )


def extent_totals(workout: Workout) -> dict[ExtentUnit, float]:
    """Seconds of the time steps and metres of the distance steps, repeats counted.

    Needs no runner: what a list of workouts can show (e.g. "40:00 + 5 km").
    """
    totals: dict[ExtentUnit, float] = {"s": 0.0, "m": 0.0}
    for step in workout.steps:
        if isinstance(step, Intervals):
            totals[step.on.unit] += step.repeat * step.on.value
            totals[step.off.unit] += step.repeat * step.off.value
        else:
            totals[step.extent.unit] += step.extent.value
    return totals
