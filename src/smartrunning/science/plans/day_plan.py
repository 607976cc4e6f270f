"""One planned day: a library workout at the day's paces, scaled to its target load.

``plan_day`` chooses nothing: the generator (``generate``) has already picked the day's
kind, workout and target. It sets the paces the day's parameters give (Daniels' T/I/R/M,
``paces``; race-pace steps at the runner's predicted race speed, ``intensity.race_speed``),
scales the workout to its target within its kind's sensible lengths (``scaling``), the
planned load being the rTSS of its planned stream (``load.planned_rtss``, as completed
sessions are scored), names it by what it holds (``scaling.content_name``) and resolves its
targets against the parameters valid that day (``targets``). A day more than 5 % off its
target says why in its notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from smartrunning.science.load import planned_rtss
from smartrunning.science.plans.days import (
    Draft,
)
from smartrunning.science.plans.intensity import EASY_RUN_FRACTION, RaceSpeed, race_speed
from smartrunning.science.plans.kinds import duration_bounds
from smartrunning.science.plans.model import (
    PlannedDay,
)
from smartrunning.science.plans.paces import HILLS_KIND, HILLS_NOTE, with_training_paces
from smartrunning.science.plans.scaling import content_name, length_text, scale_workout
from smartrunning.science.plans.targets import DayParameters, step_targets
from smartrunning.science.workouts import Extent, Intervals, Steady, Step, Workout

__all__ = [
    "OFF_TARGET_NOTE",
    "SHORTEST_LIMITED_S",
    "TAPER_SHORTEST_S",
    "DayContext",
    "Planner",
    "generated_easy",
    "off_target_note",
    "plan_day",
    "states_repeats",
    "with_race_pace",
]

GENERATED_EASY_INTENSITY: Final = EASY_RUN_FRACTION
"""Intensity of the easy run made up when the library has none (Daniels' easy running,
``intensity.EASY_RUN_FRACTION``)."""
GENERATED_EASY_BOUNDS_S: Final = (900.0, 3 * 3600.0)
OFF_TARGET_NOTE: Final = 0.05
"""Note on a day whose planned load is further than this fraction from its target."""
LOAD_TOLERANCE: Final = 0.005
"""Planned load (rTSS of the planned stream) is rescaled until this close to its target."""
RACE_PACE_KIND: Final = "race-pace"
RACE_PACE_SHARE: Final = 0.97
"""A race-pace workout's steps within this fraction of its fastest work step are its
race-pace steps (the rest are warm-up, recoveries and cool-down)."""
TAPER_SHORTEST_S: Final = 600.0
"""A taper session may be as short as 10 min (a shake-out run): with 80 % of the sessions
kept, their shortest sensible lengths would otherwise hold a light runner's taper above
Bosquet's −41 % (our choice)."""
SHORTEST_LIMITED_S: Final = 60.0
"""A session shortened to a limit may fall below its kind's shortest sensible length."""


def generated_easy(target_load: float) -> Workout:
    per_hour = GENERATED_EASY_INTENSITY**2 * 100.0
    low, high = GENERATED_EASY_BOUNDS_S
    seconds = min(max(round(target_load / per_hour * 60.0) * 60.0, low), high)
    step = Steady(Extent(seconds), GENERATED_EASY_INTENSITY)
    return Workout("Easy run (generated)", "run", (step,), tags=("kind:easy",))


def states_repeats(workout: Workout) -> bool:
    """Whether ``workout``'s name gives the count of each of its interval blocks as
    "N ×" (SCIENCE.md: a session's name says what it holds, rep counts included)."""
    return all(
        f"{step.repeat} ×" in workout.name for step in workout.steps if isinstance(step, Intervals)
    )


def with_race_pace(workout: Workout, fraction: float) -> Workout:
    """``workout`` with its race-pace steps (steady steps and interval repetitions within
    ``RACE_PACE_SHARE`` of its fastest) at ``fraction`` of CS: the runner's predicted race
    speed (SCIENCE.md "Race pace"), not the library's fixed fraction."""
    work = [
        s.intensity if isinstance(s, Steady) else s.on_intensity
        for s in workout.steps
        if isinstance(s, (Steady, Intervals))
    ]
    if not work:
        return workout
    top = max(work)
    steps: list[Step] = []
    for step in workout.steps:
        try:
            if isinstance(step, Steady) and step.intensity >= RACE_PACE_SHARE * top:
                step = replace(step, intensity=fraction)
            elif isinstance(step, Intervals) and step.on_intensity >= RACE_PACE_SHARE * top:
                step = replace(step, on_intensity=fraction)
        except ValueError:
            pass  # a step whose form does not take one intensity keeps its own
        steps.append(step)
    return replace(workout, steps=tuple(steps))


@dataclass(frozen=True, slots=True)
class DayContext:
    """What a day was planned from, to plan it again at another load."""

    draft: Draft
    params: DayParameters
    speed: float
    source: Workout


def _scaled(
    workout: Workout, target: float, speed: float, bounds: tuple[float, float], exact: bool = True
) -> Workout:
    """``workout`` scaled so its planned load (``load.planned_rtss``, the same algorithm
    as a completed session's rTSS) meets ``target``: scaled by the step-wise estimate,
    then corrected by the ratio of the two (a few rounds; the closest is kept, as whole
    repetitions may step over the target)."""
    aim = target
    best: tuple[float, Workout] | None = None
    tried: list[tuple[float, float]] = []
    for _ in range(4 if exact else 1):
        scaled = scale_workout(workout, aim, speed, bounds)
        if not exact:
            return scaled.workout
        load = planned_rtss(scaled.workout, speed)
        tried.append((aim, load))
        if best is None or abs(load - target) < best[0]:
            best = (abs(load - target), scaled.workout)
        if load <= 0 or abs(load - target) <= LOAD_TOLERANCE * target:
            break
        if scaled.clipped and load < target:
            break  # at its longest already
        below = [t for t in tried if t[1] < target]
        above = [t for t in tried if t[1] > target]
        if below and above:
            # Whole repetitions step over the target: aim between the two (secant).
            (a0, l0), (a1, l1) = max(below, key=lambda t: t[1]), min(above, key=lambda t: t[1])
            aim = a0 + (target - l0) * (a1 - a0) / (l1 - l0)
        else:
            # The two loads differ by the intervals' surges (≤ ~15 %): never chase further.
            aim = min(max(aim * target / load, 0.8 * target), 1.25 * target)
    return workout if best is None else best[1]


@lru_cache(maxsize=256)
def _race_on(distance_m: float, params: DayParameters) -> RaceSpeed | None:
    """The race the runner is predicted to run with the parameters of a day (race-pace
    sessions follow the runner's ability on their day, as every target does)."""
    if params.cs_mps is None:
        return None
    return race_speed(distance_m, params.cs_mps, params.d_prime_m, params.vdot)


def off_target_note(load: float, target: float, name: str, why: str) -> str:
    """A day's note when its planned load is more than ``OFF_TARGET_NOTE`` off its target:
    what it is, and ``why`` the workout scales no closer."""
    return f"load {load:.0f} for a target of {target:.0f}: {name} scales no closer ({why})"


def plan_day(
    context: DayContext,
    tag: str,
    distance_m: float,
    target: float | None = None,
    lowest_s: float | None = None,
    exact: bool = True,
) -> PlannedDay:
    """The day planned at ``target`` (its draft's when None); ``lowest_s`` overrides the
    kind's shortest length (limits may shorten a session below it); ``exact=False``
    skips matching the planned load (a draft for searching lengths: its ``load`` is the
    step-wise estimate)."""
    draft, params, speed, workout = context.draft, context.params, context.speed, context.source
    target = draft.target_load if target is None else target
    kind = draft.session.kind
    race = _race_on(distance_m, params)
    if kind == RACE_PACE_KIND and race is not None and params.cs_mps is not None:
        workout = with_race_pace(workout, race.speed_mps / params.cs_mps)
    elif params.cs_mps is not None and params.level is not None:
        workout = with_training_paces(workout, params.cs_mps, params.level)  # Daniels' T/I/R/M
    low, high = duration_bounds(kind, tag)
    bounds = (low if lowest_s is None else lowest_s, high)
    planned = (
        _scaled(workout, target, speed, bounds, exact)
        if workout.estimated_load(speed) > 0
        else workout
    )
    load = planned_rtss(planned, speed) if exact else planned.estimated_load(speed)
    if planned != workout or kind == RACE_PACE_KIND or not states_repeats(planned):
        # "6 × 800 m" holding eleven repetitions would read as a mistake: say what it holds.
        # A workout left as the library wrote it is renamed too when its name does not give
        # every interval block's count ("Easy 35 min + 6 strides": "… 6 × 20 s").
        planned = replace(planned, name=content_name(workout.name, planned, speed, kind))
    notes = draft.notes
    if abs(load - target) > OFF_TARGET_NOTE * target and lowest_s is None:
        why = (
            f"{length_text(high)} is the longest sensible {kind} session"
            if load < target
            else f"{length_text(low)} is the shortest sensible {kind} session"
        )
        notes = (*notes, off_target_note(load, target, workout.name, why))
    if kind == RACE_PACE_KIND and race is not None and params.cs_mps is not None:
        notes = (*notes, f"race pace from the predicted race: {race.method}, {race.note}")
    elif kind == HILLS_KIND:
        notes = (*notes, HILLS_NOTE)
    session = draft.session
    return PlannedDay(
        date=draft.date,
        week=draft.week,
        slot=session.slot,
        kind=session.kind,
        hard=session.hard,
        workout_name=workout.name,
        workout=planned,
        duration_s=planned.total_duration_s(speed),
        distance_m=planned.total_distance_m(speed),
        target_load=target,
        load=load,
        targets=step_targets(planned, params),
        speed_mps=speed,
        cs_mps=params.cs_mps,
        notes=notes,
    )


Planner = Callable[[DayContext, float | None, float | None, bool], PlannedDay]
"""``plan_day`` bound to one plan: (context, target, lowest length, exact) -> the day."""
