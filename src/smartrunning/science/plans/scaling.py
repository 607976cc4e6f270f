"""Choosing a library workout for a planned day and scaling it to the day's load.

Loads are ``Workout.estimated_load`` (rTSS-like, SCIENCE.md "Training load of a session":
hours · IF² · 100, 100 = one hour at CS), computed at the runner's CS on that day. The
plan therefore assumes the runner's daily history is kept in rTSS-like units.

Choice (deterministic; the library's order does not matter when names are distinct):

- candidates: the library's running workouts tagged ``kind:<kind>``, by name; workouts
  tagged for another race (``race:10k`` in a marathon plan) are left out unless nothing
  else remains; for ``race-pace`` only those tagged for the plan's race, if any;
- among them, those whose load can be scaled to the day's load within ``SCALE_BOUNDS``;
  the week index plus the kind's occurrence in the week rotates through them, so weeks
  vary; if none can, the one whose load is nearest (by ratio) is used, scaled to a bound.

Scaling to a load ratio r (clipped to ``SCALE_BOUNDS`` = 0.6–1.6):

- the intensity of every step is kept (SCIENCE.md: "intensity kept");
- an interval block keeps the length of its repetitions and changes their count to
  repeat · r rounded down or up (at least 1): six 3-min reps stay 3-min reps;
- the other steps (steady, ramps, free running) stretch by one common factor f, solved
  so the whole workout's load is r times the original and kept within ``STRETCH_BOUNDS``
  (0.5–2), so a rounded interval count cannot turn a warm-up into nothing. Of the
  rounded counts, the ones needing no clipping of f and then f nearest r (the workout's
  proportions kept best) win, rounding down on ties;
- max efforts (sprints) keep their length: an all-out effort is defined by it;
- time steps are rounded to ``TIME_STEP_S`` (10 s) and distance steps to
  ``DISTANCE_STEP_M`` (10 m); text events inside a stretched step move with it.

The load of the scaled workout is then within rounding of r × the original, except when
the stretch factor was clipped; the caller reports the actual load.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from smartrunning.science.workouts import (
    Extent,
    Free,
    Intervals,
    MaxEffort,
    Ramp,
    Steady,
    Step,
    TextEvent,
    Workout,
)

__all__ = [
    "DISTANCE_STEP_M",
    "RACE_TAGS",
    "SCALE_BOUNDS",
    "STRETCH_BOUNDS",
    "TIME_STEP_S",
    "Library",
    "ScaledWorkout",
    "race_tag",
    "scale_workout",
]

SCALE_BOUNDS: Final = (0.6, 1.6)
STRETCH_BOUNDS: Final = (0.5, 2.0)
TIME_STEP_S: Final = 10.0
DISTANCE_STEP_M: Final = 10.0
MAX_REPEAT_CHOICES: Final = 64
"""Combinations of rounded repeat counts tried (2 per interval block; 6 blocks' worth)."""
RACE_TAGS: Final[dict[str, float]] = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": 21097.5,
    "marathon": 42195.0,
}
"""The library's ``race:`` tags and their distances, metres."""


def race_tag(distance_m: float) -> str:
    """The ``race:`` tag nearest to ``distance_m`` by ratio (|ln(D / D_tag)|)."""
    if not (math.isfinite(distance_m) and distance_m > 0):
        raise ValueError(f"race distance must be positive, got {distance_m!r}")
    return min(RACE_TAGS, key=lambda tag: abs(math.log(distance_m / RACE_TAGS[tag])))


def _race_tags(workout: Workout) -> set[str]:
    return {tag.removeprefix("race:") for tag in workout.tags if tag.startswith("race:")}


def _step_load(step: Step, workout: Workout, speed_mps: float) -> float:
    return Workout(name="step", sport=workout.sport, steps=(step,)).estimated_load(speed_mps)


class Library:
    """The workouts a plan draws from, indexed by kind and name, with a load cache.

    Pure: built from the workouts passed in; loads are cached per (workout, speed).
    """

    def __init__(self, workouts: Sequence[Workout], race_distance_m: float) -> None:
        self._tag = race_tag(race_distance_m)
        runs = sorted((w for w in workouts if w.sport == "run"), key=lambda w: w.name)
        self._by_name: dict[str, Workout] = {}
        for workout in runs:
            self._by_name.setdefault(workout.name, workout)
        self._by_kind: dict[str, tuple[Workout, ...]] = {}
        for workout in runs:
            if workout.kind is not None:
                self._by_kind[workout.kind] = (*self._by_kind.get(workout.kind, ()), workout)
        self._loads: dict[tuple[Workout, float], float] = {}

    def named(self, name: str) -> Workout | None:
        """The running workout called ``name`` (the first given, if names repeat), if any."""
        return self._by_name.get(name)

    def candidates(self, kind: str) -> tuple[Workout, ...]:
        """The workouts of ``kind`` for this race, by name (see the module doc)."""
        of_kind = self._by_kind.get(kind, ())
        for_race = tuple(w for w in of_kind if self._tag in _race_tags(w))
        if kind == "race-pace" and for_race:
            return for_race
        neutral = tuple(w for w in of_kind if not _race_tags(w) or self._tag in _race_tags(w))
        return neutral or of_kind

    def load(self, workout: Workout, speed_mps: float) -> float:
        """``workout.estimated_load(speed_mps)``, cached."""
        key = (workout, speed_mps)
        if key not in self._loads:
            self._loads[key] = workout.estimated_load(speed_mps)
        return self._loads[key]

    def choose(
        self, kind: str, target_load: float, speed_mps: float, rotation: int
    ) -> Workout | None:
        """The workout of ``kind`` for a day of ``target_load`` > 0 (see the module doc);
        None when the library has none of that kind with a load to scale."""
        loaded = [(w, self.load(w, speed_mps)) for w in self.candidates(kind)]
        loaded = [(w, load) for w, load in loaded if load > 0]
        if not loaded:
            return None
        low, high = SCALE_BOUNDS
        fitting = [w for w, load in loaded if low <= target_load / load <= high]
        if fitting:
            return fitting[rotation % len(fitting)]
        return min(loaded, key=lambda pair: abs(math.log(target_load / pair[1])))[0]


@dataclass(frozen=True, slots=True)
class ScaledWorkout:
    """``workout`` scaled from ``source``: ``ratio`` the load ratio aimed at (after the
    bounds), ``clipped`` when the day's load needed a ratio outside ``SCALE_BOUNDS``."""

    workout: Workout
    source: Workout
    ratio: float
    clipped: bool


def _round_extent(extent: Extent, factor: float) -> Extent:
    step = TIME_STEP_S if extent.unit == "s" else DISTANCE_STEP_M
    value = max(step, round(extent.value * factor / step) * step)
    return Extent(value, extent.unit)


def _stretch_events(events: tuple[TextEvent, ...], factor: float) -> tuple[TextEvent, ...]:
    return tuple(replace(e, offset=Extent(e.offset.value * factor, e.offset.unit)) for e in events)


def _stretch(step: Step, factor: float) -> Step:
    if isinstance(step, (Steady, Ramp, Free)):
        return replace(
            step,
            extent=_round_extent(step.extent, factor),
            events=_stretch_events(step.events, factor),
        )
    return step


def _repeat_options(step: Intervals, ratio: float) -> tuple[int, ...]:
    low = max(1, math.floor(step.repeat * ratio))
    high = max(1, math.ceil(step.repeat * ratio))
    return (low,) if low == high else (low, high)


def scale_workout(workout: Workout, target_load: float, speed_mps: float) -> ScaledWorkout:
    """``workout`` scaled towards ``target_load`` at ``speed_mps`` (see the module doc)."""
    if not (math.isfinite(target_load) and target_load > 0):
        raise ValueError(f"target load must be positive, got {target_load!r}")
    base = workout.estimated_load(speed_mps)
    if base <= 0:
        raise ValueError(f"workout {workout.name!r} has no load to scale")
    low, high = SCALE_BOUNDS
    wanted = target_load / base
    ratio = min(max(wanted, low), high)
    fixed_load = stretch_load = 0.0
    blocks: list[tuple[int, Intervals]] = []
    for index, step in enumerate(workout.steps):
        if isinstance(step, Intervals):
            blocks.append((index, step))
        elif isinstance(step, MaxEffort):
            fixed_load += _step_load(step, workout, speed_mps)
        else:
            stretch_load += _step_load(step, workout, speed_mps)

    def evaluate(counts: tuple[int, ...]) -> tuple[tuple[float, float], float, dict[int, Step]]:
        chosen: dict[int, Step] = {
            i: replace(step, repeat=n) for (i, step), n in zip(blocks, counts, strict=True)
        }
        interval_load = sum(_step_load(step, workout, speed_mps) for step in chosen.values())
        factor = 1.0
        if stretch_load > 0:
            factor = (ratio * base - interval_load - fixed_load) / stretch_load
        bounded = min(max(factor, STRETCH_BOUNDS[0]), STRETCH_BOUNDS[1])
        return (abs(bounded - factor), abs(bounded - ratio)), bounded, chosen

    options = [_repeat_options(step, ratio) for _, step in blocks]
    combinations = itertools.islice(itertools.product(*options), MAX_REPEAT_CHOICES)
    _, factor, chosen = min((evaluate(c) for c in combinations), key=lambda e: e[0])
    steps = tuple(
        chosen[i] if i in chosen else _stretch(step, factor) for i, step in enumerate(workout.steps)
    )
    scaled = replace(workout, steps=steps)
    return ScaledWorkout(scaled, workout, ratio, clipped=not low <= wanted <= high)
