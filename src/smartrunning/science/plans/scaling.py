"""Choosing a library workout for a planned day and scaling it to the day's load or to a
duration.

Loads are ``Workout.estimated_load`` (rTSS-like, SCIENCE.md "Training load of a session":
hours · IF² · 100, 100 = one hour at CS), computed at the runner's CS on that day. The
plan therefore assumes the runner's daily history is kept in rTSS-like units.

Choice (deterministic; the library's order does not matter when names are distinct):

- candidates: the library's running workouts tagged ``kind:<kind>``, by name; workouts
  tagged for another race (``race:10k`` in a marathon plan) are left out unless nothing
  else remains; for ``race-pace`` only those tagged for the plan's race, if any;
- among them, those whose load is within ``CLOSE_BOUNDS`` (0.8–1.25) of the day's load,
  else within ``SCALE_BOUNDS`` (0.6–1.6), so the workout keeps its character; the week
  index plus the kind's occurrence in the week rotates through them, so weeks vary; if
  none is, the one whose load is nearest (by ratio) is used and scaled further.

Scaling (``scale_workout`` to a load, ``scale_to_duration`` to a time; both exact up to
rounding):

- the intensity of every step is kept (SCIENCE.md: "intensity kept");
- an interval block keeps the length of its repetitions and changes their count to
  repeat · r rounded (at least 1 and at most ``MAX_REPEAT_FACTOR`` times the original):
  six 3-min reps stay 3-min reps. r is the ratio asked for when the workout has main
  steps (below) or is shortened; a longer workout without them (warm-up, intervals,
  cool-down) takes the r the intervals need for the target with the warm-up and
  cool-down unchanged;
- the main steps absorb the rest: the steady, free-running and (non warm-up/cool-down)
  ramp steps stretch by one common factor solved so the whole workout hits the load or
  the duration. A long run grows by its steady part (a 2 h 30 long run becomes 3 h
  with the same warm-up), an easy run shrinks the same way. A workout without such steps
  (warm-up, intervals, cool-down) stretches its warm-up and cool-down instead. When that
  cannot reach the target (the stretched steps would fall under ``MIN_STRETCH`` of their
  length, or the intervals alone exceed it), the repetition count is lowered, and as a
  last resort every step but max efforts is stretched by one factor;
- max efforts (sprints) keep their length: an all-out effort is defined by it;
- time steps are rounded to ``TIME_STEP_S`` (10 s) and distance steps to
  ``DISTANCE_STEP_M`` (10 m), except the longest stretched step, which takes the
  remainder to the second (1 m), so a duration is hit to within a second
  (``DURATION_TOLERANCE_S``; distance steps convert metres to seconds at the day's speed);
  text events inside a stretched step move with it.

Sensible lengths: ``kinds`` (``scale_workout`` given bounds stops at them, ``clipped``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from smartrunning.science.plans.kinds import race_tag
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
    "DURATION_TOLERANCE_S",
    "SCALE_BOUNDS",
    "TIME_STEP_S",
    "Library",
    "ScaledWorkout",
    "content_name",
    "extent_text",
    "length_text",
    "scale_to_duration",
    "scale_workout",
    "scaled_name",
]

SCALE_BOUNDS: Final = (0.6, 1.6)
"""Load ratios within which a library workout is chosen without changing its character."""
CLOSE_BOUNDS: Final = (0.8, 1.25)
"""Load ratios preferred when some workouts are that close (less scaling, truer names)."""
MAX_REPEAT_FACTOR: Final = 2.5
"""An interval block grows to at most this many times its repetitions."""
MIN_STRETCH: Final = 0.15
"""Stretched steps keep at least this fraction of their length (and ``TIME_STEP_S``)."""
TIME_STEP_S: Final = 10.0
DISTANCE_STEP_M: Final = 10.0
DURATION_TOLERANCE_S: Final = 1.0
"""A scaled duration is within this of the one asked for (when it can be reached)."""


def _race_tags(workout: Workout) -> set[str]:
    return {tag.removeprefix("race:") for tag in workout.tags if tag.startswith("race:")}


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

    @property
    def tag(self) -> str:
        """The plan's race tag (``race_tag`` of its distance)."""
        return self._tag

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
        for low, high in (CLOSE_BOUNDS, SCALE_BOUNDS):
            fitting = [w for w, load in loaded if low <= target_load / load <= high]
            if fitting:
                return fitting[rotation % len(fitting)]
        return min(loaded, key=lambda pair: abs(math.log(target_load / pair[1])))[0]


@dataclass(frozen=True, slots=True)
class ScaledWorkout:
    """``workout`` scaled from ``source``: ``ratio`` the load ratio asked for,
    ``clipped`` when the target could not be reached (a duration bound, or a workout that
    cannot shrink that far)."""

    workout: Workout
    source: Workout
    ratio: float
    clipped: bool


Measure = Callable[[Workout], float]


def _is_main(step: Step) -> bool:
    return isinstance(step, (Steady, Free)) or (isinstance(step, Ramp) and step.kind == "ramp")


def _is_edge(step: Step) -> bool:
    return isinstance(step, Ramp) and step.kind != "ramp"


def _stretch_events(events: tuple[TextEvent, ...], factor: float) -> tuple[TextEvent, ...]:
    return tuple(replace(e, offset=Extent(e.offset.value * factor, e.offset.unit)) for e in events)


def _extent(extent: Extent, factor: float, grain: float | None) -> Extent:
    value = extent.value * factor
    if grain is not None:
        step = grain if extent.unit == "s" else grain * DISTANCE_STEP_M / TIME_STEP_S
        value = max(step, round(value / step) * step)
    return Extent(max(value, 1.0), extent.unit)


def _stretch(step: Step, factor: float, grain: float | None = TIME_STEP_S) -> Step:
    """``step`` lengthened by ``factor`` (rounded to ``grain`` s, or 1/10 of it in m)."""
    if isinstance(step, (Steady, Ramp, Free)):
        return replace(
            step,
            extent=_extent(step.extent, factor, grain),
            events=_stretch_events(step.events, factor),
        )
    if isinstance(step, Intervals):
        off = step.off if step.off.value == 0 else _extent(step.off, factor, grain)
        return replace(step, on=_extent(step.on, factor, grain), off=off)
    return step


def _with(workout: Workout, steps: dict[int, Step]) -> Workout:
    return replace(workout, steps=tuple(steps.get(i, s) for i, s in enumerate(workout.steps)))


def _repeat_choices(workout: Workout, ratio: float) -> list[dict[int, Step]]:
    """Interval counts to try: repeat · ratio rounded, then fewer, down to one each."""
    blocks = [(i, s) for i, s in enumerate(workout.steps) if isinstance(s, Intervals)]
    if not blocks:
        return [{}]
    wanted = {
        i: min(max(1, round(s.repeat * ratio)), max(s.repeat, int(s.repeat * MAX_REPEAT_FACTOR)))
        for i, s in blocks
    }
    choices: list[dict[int, Step]] = []
    for less in range(max(wanted.values())):
        choice: dict[int, Step] = {
            i: replace(s, repeat=max(1, wanted[i] - less)) for i, s in blocks
        }
        choices.append(choice)
    return choices


def _solve(
    workout: Workout,
    fixed: dict[int, Step],
    stretched: list[int],
    target: float,
    measure: Measure,
    least: float = MIN_STRETCH,
) -> float | None:
    """The factor for the ``stretched`` steps making ``measure`` equal ``target`` (the
    measure is affine in it), or None when it would not be above ``least``."""
    if not stretched:
        return None
    at_one = measure(_with(workout, fixed))
    at_two = measure(
        _with(workout, {**fixed, **{i: _stretch(workout.steps[i], 2.0, None) for i in stretched}})
    )
    slope = at_two - at_one
    if slope <= 0:
        return None
    factor = 1.0 + (target - at_one) / slope
    return factor if factor > least else None


def _finish(
    workout: Workout,
    fixed: dict[int, Step],
    stretched: list[int],
    factor: float,
    target: float,
    measure: Measure,
) -> Workout:
    """Round the stretched steps; the longest takes the remainder to the second (metre)."""
    steps = {**fixed, **{i: _stretch(workout.steps[i], factor) for i in stretched}}
    longest = max(stretched, key=lambda i: _step_seconds(workout, i, measure))
    rounded = _with(workout, steps)
    rest = {i: s for i, s in steps.items() if i != longest}
    solved = _solve(rounded, rest, [longest], target, measure, least=0.0)
    if solved is not None:
        steps[longest] = _stretch(rounded.steps[longest], solved, 1.0)
    return _with(workout, steps)


def _step_seconds(workout: Workout, index: int, measure: Measure) -> float:
    return measure(replace(workout, steps=(workout.steps[index],)))


def _interval_ratio(workout: Workout, target: float, measure: Measure) -> float:
    """The factor on every interval block's count that reaches ``target`` with the other
    steps unchanged (a warm-up, intervals and cool-down grow by their repetitions)."""
    blocks = [s for s in workout.steps if isinstance(s, Intervals)]
    if not blocks:
        return 1.0
    intervals = measure(replace(workout, steps=tuple(blocks)))
    others = measure(workout) - intervals
    return max(target - others, 0.0) / intervals if intervals > 0 else 1.0


def _scale(workout: Workout, target: float, base: float, measure: Measure) -> tuple[Workout, bool]:
    """``workout`` changed so ``measure`` equals ``target`` (module doc); reached or not."""
    ratio = target / base
    main = [i for i, s in enumerate(workout.steps) if _is_main(s)]
    edges = [i for i, s in enumerate(workout.steps) if _is_edge(s)]
    first = main or edges
    if not main and ratio > 1.0:
        ratio = _interval_ratio(workout, target, measure)
    for fixed in _repeat_choices(workout, ratio):
        factor = _solve(workout, fixed, first, target, measure)
        if factor is not None:
            return _finish(workout, fixed, first, factor, target, measure), True
    everything = [i for i, s in enumerate(workout.steps) if not isinstance(s, MaxEffort)]
    factor = _solve(workout, {}, everything, target, measure, least=0.0)
    if factor is not None:
        return _finish(workout, {}, everything, factor, target, measure), True
    # Unreachable: the max efforts alone exceed the target. The shortest form, then.
    shortest = _with(workout, {i: _stretch(workout.steps[i], MIN_STRETCH) for i in everything})
    return shortest, False


def _duration(speed_mps: float) -> Measure:
    return lambda w: w.total_duration_s(speed_mps)


def _load(speed_mps: float) -> Measure:
    return lambda w: w.estimated_load(speed_mps)


SCALED_SUFFIX: Final = ", scaled to "


def scaled_name(name: str, duration_s: float) -> str:
    """``name`` (without an earlier "…, scaled to" part) saying its new length: "Easy run
    45 min, scaled to 1 h 04"."""
    return f"{name.split(SCALED_SUFFIX)[0]}{SCALED_SUFFIX}{length_text(duration_s)}"


def length_text(seconds: float) -> str:
    """A session's length as names and notes give it: "45 min", "1 h 04"."""
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours} h {minutes:02d}" if hours else f"{minutes} min"


def extent_text(value: float, unit: str) -> str:
    """A step's length as a name gives it: "800 m", "2 km", "3.2 km", "30 s", "3 min",
    "1 h 04"."""
    if unit == "m":
        if value < 2000:
            return f"{round(value / 10) * 10:.0f} m"
        return f"{round(value / 100) / 10:g} km"
    if value < 120 and round(value) % 60:
        return f"{round(value):.0f} s"
    return length_text(value)


_SPEC = re.compile(r"\s\d(?![\d.,]*\s*km pace)")
"""Where a name's description of its content starts: a number that is not "5 km pace"."""
SUMMED_KINDS: Final = frozenset({"easy", "long", "recovery"})
"""Kinds whose name gives the whole session's length, not its main step's."""


def content_name(name: str, workout: Workout, speed_mps: float, kind: str | None) -> str:
    """``name`` rewritten to say what ``workout`` holds (SCIENCE.md: a session's name says
    its rep counts, distances and durations): the name up to its first number (keeping
    "5 km pace"), then each interval block as "reps × length" and each main step's length
    joined by " + "; an easy, long or recovery run with one main step gives its whole
    length instead ("Easy run 1 h 34", "Long run 28 km"). "6 × 800 m" scaled to eleven
    repetitions reads "… 11 × 800 m", never the old count."""
    base = name.split(SCALED_SUFFIX)[0]
    match = _SPEC.search(base)
    stem = (base[: match.start()] if match else base).rstrip(" ,–-") or "Session"
    parts: list[str] = []
    mains = [s for s in workout.steps if _is_main(s)]
    intervals = [s for s in workout.steps if isinstance(s, Intervals)]
    if kind in SUMMED_KINDS and len(mains) == 1 and not intervals:
        step = mains[0]
        assert isinstance(step, (Steady, Free, Ramp))
        if step.extent.unit == "m":
            parts.append(extent_text(workout.total_distance_m(speed_mps), "m"))
        else:
            parts.append(length_text(workout.total_duration_s(speed_mps)))
    else:
        sprints = [s for s in workout.steps if isinstance(s, MaxEffort)]
        for index, step in enumerate(workout.steps):
            if isinstance(step, Intervals):
                parts.append(f"{step.repeat} × {extent_text(step.on.value, step.on.unit)}")
            elif _is_main(step):
                assert isinstance(step, (Steady, Free, Ramp))
                if index and isinstance(workout.steps[index - 1], MaxEffort):
                    continue  # the jog after a sprint
                parts.append(extent_text(step.extent.value, step.extent.unit))
        if sprints:
            parts.append(f"{len(sprints)} × {extent_text(sprints[0].extent.value, 's')} sprints")
    if not parts:
        parts.append(length_text(workout.total_duration_s(speed_mps)))
    return f"{stem} {' + '.join(parts)}"


def scale_to_duration(workout: Workout, duration_s: float, speed_mps: float) -> Workout:
    """``workout`` scaled to last ``duration_s`` at ``speed_mps`` (see the module doc):
    within ``DURATION_TOLERANCE_S`` unless its max efforts alone last longer."""
    if not (math.isfinite(duration_s) and duration_s > 0):
        raise ValueError(f"duration must be positive, got {duration_s!r}")
    base = workout.total_duration_s(speed_mps)
    if base <= 0:
        raise ValueError(f"workout {workout.name!r} has no duration to scale")
    return _scale(workout, duration_s, base, _duration(speed_mps))[0]


def scale_workout(
    workout: Workout,
    target_load: float,
    speed_mps: float,
    bounds_s: tuple[float, float] | None = None,
) -> ScaledWorkout:
    """``workout`` scaled to ``target_load`` at ``speed_mps`` (see the module doc), its
    total duration kept within ``bounds_s`` when given (``clipped`` then)."""
    if not (math.isfinite(target_load) and target_load > 0):
        raise ValueError(f"target load must be positive, got {target_load!r}")
    base = workout.estimated_load(speed_mps)
    if base <= 0:
        raise ValueError(f"workout {workout.name!r} has no load to scale")
    measure = _load(speed_mps)
    if bounds_s is not None and base * bounds_s[1] < target_load * workout.total_duration_s(
        speed_mps
    ):
        # A target past what the longest sensible session carries would be solved for
        # first and clipped after: solved, its steps could outgrow any extent (a day).
        longest = scale_to_duration(workout, bounds_s[1], speed_mps)
        if measure(longest) < target_load:
            return ScaledWorkout(longest, workout, target_load / base, clipped=True)
    scaled, reached = _scale(workout, target_load, base, measure)
    if bounds_s is not None:
        low, high = bounds_s
        duration = scaled.total_duration_s(speed_mps)
        if duration > high + DURATION_TOLERANCE_S or duration < low - DURATION_TOLERANCE_S:
            bound = min(max(duration, low), high)
            scaled = scale_to_duration(workout, bound, speed_mps)
            reached = False
    return ScaledWorkout(scaled, workout, target_load / base, clipped=not reached)
