"""Generate a training plan toward a race: ``generate_plan(PlanInputs) -> Plan``.

SCIENCE.md, "Plan generation" and "Targets and limits", in this order:

0. The taper chosen for race day (``race_week.plan_taper_choice``, ``taper``): its length
   (1–2 weeks, 2–3 for the marathon) and depth (41–60 % of the peak week's distance,
   Bosquet 2007) that maximise race-day performance under the runner's response model
   (fitted, else the population values), race-day form acceptable; the schema's taper
   block takes them.
1. Weeks laid backwards from race day and their loads (``layout``): the taper kept, the
   other blocks scaled in proportion; week 1 from the last four weeks' load, growth
   ≤ 10 % a week and acute:chronic ≤ 1.3, recovery weeks (the 2:1 cycle on request),
   taper, never above the schema's cap.
2. Each block's week (``week``): sessions on training days, the long run on the long-run
   day, at most ``week.quality_limit`` quality sessions, never on consecutive days nor
   the day before the long run; a day's target load is its weight × the week's load.
   The session on race day gives way to the race. At least ``limits.MIN_SESSIONS`` (3)
   runs a week, or the plan is refused. The first week starts high enough to
   hold its sessions at their shortest, and no week asks more than its sessions carry at
   their longest (``days.session_floor`` / ``session_capacity``, ``layout``).
3. Across weeks (``days``) hard days are kept apart too, and the day before each long run
   becomes a recovery run. Kinds the library lacks become easy runs.
4. Each week's load is shared out so every session can be scaled to its target within
   its sensible length (``days.share_week_loads``).
6. Each day's workout (``scaling``): chosen by kind (or name) and scaled to the target
   load at the day's CS within its kind's duration bounds, the planned load being the
   rTSS of its planned stream (``load.planned_rtss``, as completed sessions are scored);
   race-pace steps at the runner's predicted race speed on that day
   (``intensity.race_speed``); its name says what it holds (``scaling.content_name``);
   targets from the parameters valid that day (``targets``). A day more than 5 % off its
   target says why in its notes; more than 10 % raises ``LOAD_CLIPPED``.
7. Each week within Daniels' limits (``limits``): time at intensity per session and the
   long run's share, the load taken off moved into easy running. These limits depend on
   the week's distance, so a CS version starting mid-week changes that week's days.
   Then each week before the taper, in order, within ``limits.MAX_DISTANCE_GROWTH``
   (10 %) of the larger of the two weeks before it in distance: a week above it has all
   its sessions scaled down together (intensity kept) and brought within the limits
   again, no load moved (``_cap_distance_growth``).
   A quality session left holding less than a session worth running
   (``limits.quality_shortfall``: 5 min of work, repetitions of 200 m or 30 s) becomes an
   easy run with 4–6 strides of 20 s of the same distance (``STRIDES``), after the taper
   is fitted too (``_with_strides``).
8. The taper's weeks scaled to their distance (41–60 % below the peak week's, intensity
   and sessions kept) with race-day form at least acceptable (``race_week``).
   The race as a distance step at the predicted race pace (free running without a CS).
9. The projection and its warnings (``project``).
10. Each day's notes: the reasons above, with their basis, for the coach (``why``); for
    the runner plain words on what to do and how it should feel (``words``).

Deterministic: the same inputs give an equal ``Plan``; nothing reads a clock or a file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Final

from smartrunning.science.load import planned_rtss
from smartrunning.science.plans.days import (
    Draft,
    WarningLog,
    block_layouts,
    downgrade,
    draft_days,
    separate_hard_days,
    session_capacity,
    session_floor,
    share_week_loads,
    week_ranges,
)
from smartrunning.science.plans.intensity import EASY_RUN_FRACTION, RaceSpeed, race_speed
from smartrunning.science.plans.kinds import duration_bounds, nominal_load
from smartrunning.science.plans.layout import (
    WEEK_DAYS,
    WeekOutline,
    block_weeks,
    plan_start,
    start_load,
    week_loads,
)
from smartrunning.science.plans.limits import (
    EASY_KINDS,
    LONG_SHARE,
    MAX_DISTANCE_GROWTH,
    MIN_SESSIONS,
    PASSES,
    QUALITY_KINDS,
    SessionLimits,
    distance_cap,
    largest_within,
    over_limits,
    quality_shortfall,
    session_limits,
    share_out,
)
from smartrunning.science.plans.model import (
    Plan,
    PlanInputs,
    PlannedDay,
    PlanWeek,
    WarningCode,
)
from smartrunning.science.plans.paces import HILLS_KIND, HILLS_NOTE, with_training_paces
from smartrunning.science.plans.project import project
from smartrunning.science.plans.race_week import (
    fit_taper_volume,
    plan_taper_choice,
    with_taper,
)
from smartrunning.science.plans.scaling import Library, content_name, length_text, scale_workout
from smartrunning.science.plans.schema import LONG_SLOT, PlanSchema
from smartrunning.science.plans.taper import peak_outlines
from smartrunning.science.plans.targets import DayParameters, step_targets
from smartrunning.science.plans.week import EASY_KIND
from smartrunning.science.plans.words import runner_notes
from smartrunning.science.workouts import Extent, Free, Intervals, Ramp, Steady, Step, Workout

__all__ = ["RACE_KIND", "generate_plan"]

RACE_SLOT: Final = "race"
RACE_KIND: Final = "race"
"""The kind of the race day's session."""
GENERATED_EASY_INTENSITY: Final = EASY_RUN_FRACTION
"""Intensity of the easy run made up when the library has none (Daniels' easy running,
``intensity.EASY_RUN_FRACTION``)."""
GENERATED_EASY_BOUNDS_S: Final = (900.0, 3 * 3600.0)
OFF_TARGET_NOTE: Final = 0.05
"""Note on a day whose planned load is further than this fraction from its target."""
CLIPPED_WARNING: Final = 0.10
"""Warn about days whose planned load is further than this fraction from their target."""
LOAD_TOLERANCE: Final = 0.005
"""Planned load (rTSS of the planned stream) is rescaled until this close to its target."""
RACE_PACE_KIND: Final = "race-pace"
RACE_PACE_SHARE: Final = 0.97
"""A race-pace workout's steps within this fraction of its fastest work step are its
race-pace steps (the rest are warm-up, recoveries and cool-down)."""


def _check_weeks(schema: PlanSchema, weeks: int, lengths: tuple[int, ...], out: WarningLog) -> None:
    if weeks >= schema.total_weeks:
        return
    dropped = [b.name for b, n in zip(schema.blocks, lengths, strict=True) if n == 0]
    detail = f"; blocks dropped: {', '.join(dropped)}" if dropped else ""
    if lengths[-1] < schema.taper.weeks:
        detail += f"; taper cut to {lengths[-1]} of {schema.taper.weeks} weeks"
    out.add(
        WarningCode.SHORT_PLAN,
        f"{weeks} weeks is shorter than the schema's {schema.total_weeks}: blocks compressed"
        + detail,
    )


def _check_start(inputs: PlanInputs, first: float, capacity: float, out: WarningLog) -> None:
    recent = inputs.recent_weekly_load
    usual = WEEK_DAYS * inputs.start_state.ctl if recent is None else recent
    what = "7·CTL" if recent is None else "the last four weeks' mean"
    cap = inputs.schema.load_cap
    if usual == 0:
        out.add(
            WarningCode.START_BELOW_FLOOR,
            f"no training history (fitness 0): the plan starts at {first:.0f} a week (the "
            "schema's base, or what its sessions need at their shortest); check that it "
            "suits the runner",
        )
    elif usual < first * (1 - cap.max_ramp):
        out.add(
            WarningCode.START_BELOW_FLOOR,
            f"current weekly load ({what}) {usual:.0f} is below the plan's first week "
            f"({first:.0f}): the plan starts with a jump in load",
        )
    elif first < cap.min_weekly:
        out.add(
            WarningCode.START_BELOW_FLOOR,
            f"current weekly load ({what}) {usual:.0f} is below the schema's base "
            f"({cap.min_weekly:.0f}): the plan starts at {first:.0f}, at most 10 % above "
            "it, and grows from there",
        )
    elif usual > min(cap.max_weekly, capacity) * (1 + cap.max_ramp):
        where = (
            f"the schema's cap ({cap.max_weekly:.0f})"
            if cap.max_weekly <= capacity
            else f"what {inputs.sessions_per_week} sessions a week carry at sensible "
            f"lengths ({capacity:.0f})"
        )
        out.add(
            WarningCode.START_ABOVE_CAP,
            f"current weekly load ({what}) {usual:.0f} is above {where}: the plan starts "
            f"lower, at {first:.0f}",
        )


def _generated_easy(target_load: float) -> Workout:
    per_hour = GENERATED_EASY_INTENSITY**2 * 100.0
    low, high = GENERATED_EASY_BOUNDS_S
    seconds = min(max(round(target_load / per_hour * 60.0) * 60.0, low), high)
    step = Steady(Extent(seconds), GENERATED_EASY_INTENSITY)
    return Workout("Easy run (generated)", "run", (step,), tags=("kind:easy",))


def _resolve_kind(draft: Draft, library: Library, out: WarningLog) -> Draft:
    """The draft with a kind the library has (a named workout it lacks falls back to its
    kind; a kind it lacks becomes an easy run), warning about either."""
    session = draft.session
    if session.workout is not None:
        if library.named(session.workout) is not None:
            return draft
        out.add(
            WarningCode.MISSING_WORKOUT,
            f"workout {session.workout!r} is not in the library: a {session.kind} workout "
            "is used instead",
        )
        draft = replace(draft, session=replace(session, workout=None))
    if library.candidates(session.kind) or session.kind == EASY_KIND:
        return draft
    out.add(
        WarningCode.MISSING_KIND,
        f"no {session.kind} workouts in the library: easy runs take their place",
    )
    return downgrade(draft, f"easy run: no {session.kind} workouts in the library")


def _source_workout(draft: Draft, library: Library, speed: float, rotation: int) -> Workout:
    """The library workout for a resolved draft; a made-up easy run when the library has
    no easy runs either."""
    session = draft.session
    if session.workout is not None:
        named = library.named(session.workout)
        if named is not None:
            return named
    chosen = library.choose(session.kind, draft.target_load, speed, rotation)
    if chosen is not None:
        return chosen
    easy = library.choose(EASY_KIND, draft.target_load, speed, rotation)
    return easy if easy is not None else _generated_easy(draft.target_load)


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
class _DayContext:
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


def _plan_day(
    context: _DayContext,
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
    if planned != workout or kind == RACE_PACE_KIND:
        # "6 × 800 m" holding eleven repetitions would read as a mistake: say what it holds.
        planned = replace(planned, name=content_name(workout.name, planned, speed, kind))
    notes = draft.notes
    if abs(load - target) > OFF_TARGET_NOTE * target and lowest_s is None:
        why = (
            f"{length_text(high)} is the longest sensible {kind} session"
            if load < target
            else f"{length_text(low)} is the shortest sensible {kind} session"
        )
        notes = (
            *notes,
            f"load {load:.0f} for a target of {target:.0f}: "
            f"{workout.name} scales no closer ({why})",
        )
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


def _race_day(inputs: PlanInputs, week: int) -> tuple[PlannedDay, float | None]:
    params = inputs.parameters(inputs.race_date)
    distance = inputs.race_distance_m
    name = f"Race {distance / 1000:g} km"
    notes: tuple[str, ...] = ()
    if params.cs_mps is None:
        speed = inputs.estimate_speed_mps
        workout = Workout(name, "run", (Free(Extent(distance, "m")),), tags=("kind:race",))
        predicted = None
    else:
        speed = params.cs_mps
        race = race_speed(distance, params.cs_mps, params.d_prime_m, params.vdot)
        predicted = race.time_s
        step = Steady(Extent(distance, "m"), race.speed_mps / params.cs_mps)
        workout = Workout(name, "run", (step,), tags=("kind:race",))
        notes = (f"predicted {length_text(predicted)}: {race.method}, {race.note}",)
    load = planned_rtss(workout, speed)
    day = PlannedDay(
        date=inputs.race_date,
        week=week,
        slot=RACE_SLOT,
        kind=RACE_KIND,
        hard=True,
        workout_name=name,
        workout=workout,
        duration_s=workout.total_duration_s(speed),
        distance_m=distance,
        target_load=load,
        load=load,
        targets=step_targets(workout, params),
        speed_mps=speed,
        cs_mps=params.cs_mps,
        notes=notes,
    )
    return day, predicted


TAPER_SHORTEST_S: Final = 600.0
"""A taper session may be as short as 10 min (a shake-out run): with 80 % of the sessions
kept, their shortest sensible lengths would otherwise hold a light runner's taper above
Bosquet's −41 % (our choice)."""
SHORTEST_LIMITED_S: Final = 60.0
"""A session shortened to a limit may fall below its kind's shortest sensible length."""


def _long_ok(day: PlannedDay, most_m: float, longest_s: float) -> bool:
    return day.distance_m <= most_m + 1.0 and day.duration_s <= longest_s + 1.0


def _quality_ok(day: PlannedDay, context: _DayContext, caps: SessionLimits) -> bool:
    return not over_limits(day.workout, context.params, context.speed, caps)


Planner = Callable[[_DayContext, float | None, float | None, bool], PlannedDay]
FINAL_STEPS: Final = 8
FINAL_STEP: Final = 0.03


def _limit_week(
    days: list[PlannedDay],
    contexts: list[_DayContext],
    plan: Planner,
    library: Library,
    tag: str,
    out: WarningLog,
    taper: bool = False,
) -> tuple[list[PlannedDay], list[_DayContext]]:
    """A week's days within the limits of ``limits`` (its module doc): sessions over a
    limit shortened, their load moved into the week's easy running (not in a ``taper``
    week, whose volume only comes down)."""
    long_high = duration_bounds("long", tag)[1]
    shortened: dict[int, float] = {}
    for _ in range(PASSES):
        week_m = sum(d.distance_m for d in days)
        caps = session_limits(week_m)
        extra = 0.0
        changed = False
        for i, day in enumerate(days):
            context = contexts[i]
            params = context.params
            if params.cs_mps is None:
                continue
            ok: Callable[[PlannedDay], bool]
            if day.slot == LONG_SLOT:
                most_m = LONG_SHARE * week_m
                ok = partial(_long_ok, most_m=most_m, longest_s=long_high)
                code = WarningCode.LONG_RUN_CAPPED
                why = (
                    f"long run within 30 % of the week ({most_m / 1000:.1f} km) and "
                    f"{length_text(long_high)}"
                )
            elif day.kind in EASY_KINDS and not day.hard:
                continue
            else:
                ok = partial(_quality_ok, context=context, caps=caps)
                code = WarningCode.INTENSITY_CAPPED
                why = "; ".join(over_limits(day.workout, params, context.speed, caps))
            if ok(day):
                continue

            def rough(load: float, c: _DayContext = context) -> PlannedDay:
                return plan(c, load, SHORTEST_LIMITED_S, False)

            found = largest_within(rough, day.load, ok)
            if found is not None:
                # The search ran on drafts; the exact plan is matched to the planned load,
                # a little longer or shorter: step down until it keeps the limit too.
                load = found[0]
                exact = plan(context, load, SHORTEST_LIMITED_S, True)
                for _ in range(FINAL_STEPS):
                    if ok(exact):
                        break
                    load *= 1.0 - FINAL_STEP
                    exact = plan(context, load, SHORTEST_LIMITED_S, True)
                found = (load, exact) if ok(exact) else None
            if found is None:
                draft = downgrade(context.draft, f"easy run: {why}")
                chosen = library.choose(EASY_KIND, day.load, context.speed, day.week)
                source = chosen if chosen is not None else _generated_easy(day.load)
                context = _DayContext(draft, params, context.speed, source)
                new = plan(context, day.load, None, True)
            else:
                new = found[1]
                new = replace(new, notes=(*new.notes, f"shortened: {why}; load into easy running"))
            out.add(
                code,
                "sessions shortened to Daniels' limits (time at marathon, threshold, interval "
                "and repetition pace a session; long run ≤ 30 % of the week): the load goes "
                "into easy running; see the days' notes",
                week=day.week,
            )
            extra += day.load - new.load
            if code == WarningCode.INTENSITY_CAPPED:
                shortened[i] = shortened.get(i, 0.0) + day.load - new.load
            days[i], contexts[i] = new, context
            changed = True
        longest_s = max((d.duration_s for d in days if d.slot == LONG_SLOT), default=math.inf)
        easy = [i for i, d in enumerate(days) if d.kind in EASY_KINDS and not d.hard]
        given = 0.0
        if taper:
            extra = 0.0
        if extra > 0 and easy:
            # Shared out on top of the days' targets, not their planned loads: a session
            # held at its shortest plans above its target, and adding to that would move
            # more than the limits took off.
            loads = [days[i].target_load for i in easy]
            room = [
                max(
                    nominal_load(
                        days[i].kind, min(duration_bounds(days[i].kind, tag)[1], longest_s)
                    )
                    - days[i].target_load,
                    0.0,
                )
                for i in easy
            ]
            for i, load in zip(easy, share_out(loads, room, extra), strict=True):
                if load > days[i].target_load + 1e-6:
                    before = days[i].load
                    days[i] = plan(contexts[i], load, None, True)
                    given += days[i].load - before
        left = extra - given
        for i, removed in list(shortened.items()):
            if left <= 1e-6:
                break
            add = min(left, removed)
            days[i] = _with_easy_running(
                days[i], contexts[i], add, duration_bounds(days[i].kind, tag)[1]
            )
            shortened[i] = removed - add
            left -= add
        if not changed:
            break
    return days, contexts


MIN_EASY_ADDED_S: Final = 300.0
"""Less easy running than this is not worth adding to a session."""
EASY_INTENSITY: Final = EASY_RUN_FRACTION
"""Easy running appended to a shortened session (Daniels' easy pace,
``intensity.EASY_RUN_FRACTION``)."""


def _with_easy_running(
    day: PlannedDay, context: _DayContext, load: float, longest_s: float
) -> PlannedDay:
    """``day`` with ``load`` of easy running added before its cool-down (or at its end):
    what a session shortened to a limit gave up, when the week's easy runs cannot take
    it (SCIENCE.md: "extra load goes into easy running")."""
    seconds = round(load / (EASY_INTENSITY**2 * 100.0) * 3600.0 / 60.0) * 60.0
    seconds = min(seconds, (longest_s - day.duration_s) // 60.0 * 60.0)
    if seconds < MIN_EASY_ADDED_S:
        return day
    steps = list(day.workout.steps)
    at = (
        len(steps) - 1
        if isinstance(steps[-1], Ramp) and steps[-1].kind == "cooldown"
        else len(steps)
    )
    steps.insert(at, Steady(Extent(seconds), EASY_INTENSITY))
    workout = replace(day.workout, steps=tuple(steps))
    workout = replace(
        workout, name=content_name(day.workout_name, workout, context.speed, day.kind)
    )
    speed = context.speed
    load_now = planned_rtss(workout, speed)
    return replace(
        day,
        workout=workout,
        duration_s=workout.total_duration_s(speed),
        distance_m=workout.total_distance_m(speed),
        target_load=day.target_load + load_now - day.load,
        load=load_now,
        targets=step_targets(workout, context.params),
        notes=(
            *day.notes,
            f"{length_text(seconds)} of easy running added: the load the limit took off",
        ),
    )


DISTANCE_ROUNDS: Final = 6
DISTANCE_AIM: Final = 0.995
"""A week over its distance cap is scaled to just under it (whole repetitions round)."""


def _cap_distance_growth(
    days: list[PlannedDay],
    weeks: int,
    rescale: Callable[[int, float], PlannedDay],
    limit: Callable[[list[PlannedDay], Sequence[int]], None],
    out: WarningLog,
) -> None:
    """``days`` (in date order) of the first ``weeks`` weeks, in place, each week's
    distance within ``limits.distance_cap`` of the weeks before it (module doc, step 7):
    its sessions as planned scaled down together by one factor (``rescale``: intensity,
    and so every share of the week, kept), then within the per-session limits again
    (``limit``, no load moved; whole repetitions round)."""
    totals: list[float] = []
    for week in range(weeks):
        indexes = [k for k, d in enumerate(days) if d.week == week]
        distance = sum(days[k].distance_m for k in indexes)
        cap = distance_cap(totals, week)
        if distance > cap + 1.0 and indexes:
            before = distance
            for _ in range(DISTANCE_ROUNDS):
                factor = DISTANCE_AIM * cap / distance
                for k in indexes:
                    days[k] = rescale(k, factor)
                limit(days, indexes)
                distance = sum(days[k].distance_m for k in indexes)
                if distance <= cap + 1.0:
                    break
            why = (
                f"the week's distance kept within {MAX_DISTANCE_GROWTH:.0%} of the larger of "
                f"the two weeks before ({before / 1000:.1f} km → {distance / 1000:.1f} km)"
            )
            for k in indexes:
                days[k] = replace(days[k], notes=(*days[k].notes, why))
            out.add(
                WarningCode.DISTANCE_CAPPED,
                f"weekly distance growth capped at {MAX_DISTANCE_GROWTH:.0%} (the load's cap "
                "alone lets distance grow more when load moves into easy running): the "
                "week's sessions shortened",
                week=week,
            )
        totals.append(distance)


STRIDES: Final = (6, 5, 4)
"""Strides an easy run takes instead of a quality session too small to be one (the most
the week's repetition-pace limit allows; none when not even four fit)."""
STRIDE_S: Final = 20.0
STRIDE_REST_S: Final = 60.0
STRIDE_FRACTION: Final = 1.25
"""Strides as the library writes them (``strides-6x20s.zwo``): 20 s at about 125 % of CS,
set to Daniels' R pace for the runner (``paces.with_training_paces``), 60 s walk or jog."""
STRIDE_REST_FRACTION: Final = 0.6
STRIDES_EASY_S: Final = 300.0
"""The easy running before the strides lasts at least 5 min (the session takes the
distance of the one it replaces, which a light taper week may have held at its 10 min)."""
STRIDES_NAME: Final = "Easy run and strides"
EASY_NAME: Final = "Easy run"


def _strides_workout(easy_s: float, strides: int) -> Workout:
    steps: list[Step] = [Steady(Extent(easy_s), EASY_INTENSITY)]
    if not strides:
        return Workout(EASY_NAME, "run", tuple(steps), tags=("kind:easy",))
    steps.append(
        Intervals(
            strides, Extent(STRIDE_S), Extent(STRIDE_REST_S), STRIDE_FRACTION, STRIDE_REST_FRACTION
        )
    )
    return Workout(STRIDES_NAME, "run", tuple(steps), tags=("kind:strides",))


def _with_strides(day: PlannedDay, context: _DayContext, week_m: float, why: str) -> PlannedDay:
    """``day``, a quality session too small to be one (``why``), as an easy run with
    strides of about its distance (module doc, step 7)."""
    params, speed = context.params, context.speed
    caps = session_limits(week_m)
    for count in (*STRIDES, 0):
        strides = _strides_workout(STRIDES_EASY_S, count)
        if count and params.cs_mps is not None and params.level is not None:
            strides = with_training_paces(strides, params.cs_mps, params.level)
        fast_m = strides.total_distance_m(speed) - STRIDES_EASY_S * EASY_INTENSITY * speed
        easy_s = (day.distance_m - fast_m) / (EASY_INTENSITY * speed)
        easy_s = max(round(easy_s / 60.0) * 60.0, STRIDES_EASY_S)
        workout = replace(
            strides, steps=(Steady(Extent(easy_s), EASY_INTENSITY), *strides.steps[1:])
        )
        if not over_limits(workout, params, speed, caps):
            break
    kind = "strides" if count else EASY_KIND
    workout = replace(workout, name=content_name(workout.name, workout, speed, kind))
    load = planned_rtss(workout, speed)
    what = "easy run and strides" if count else "easy run"
    return replace(
        day,
        kind=kind,
        hard=False,
        workout_name=STRIDES_NAME if count else EASY_NAME,
        workout=workout,
        duration_s=workout.total_duration_s(speed),
        distance_m=workout.total_distance_m(speed),
        target_load=load,
        load=load,
        targets=step_targets(workout, params),
        notes=(*day.notes, f"{what} instead of {day.workout.name}: {why}"),
    )


STRIDES_ROUNDS: Final = 3


def _strides_for_small_sessions(
    days: list[PlannedDay],
    contexts: list[_DayContext],
    plan: Planner,
) -> None:
    """``days`` (in date order, the race not among them), in place: each quality session
    too small to be one (``limits.quality_shortfall``) an easy run with strides
    (``_with_strides``); where that runs further (its easy part lasts 5 min at least),
    the week's easy and long runs give the distance back, so every week keeps the
    distance its limits were checked on (taper depth, weekly growth)."""
    week_m: dict[int, float] = {}
    for day in days:
        week_m[day.week] = week_m.get(day.week, 0.0) + day.distance_m
    added: dict[int, float] = {}
    replaced: set[int] = set()
    for k, day in enumerate(days):
        context = contexts[k]
        if not day.hard or day.kind not in QUALITY_KINDS or context.params.cs_mps is None:
            continue
        short = quality_shortfall(day.workout, context.params, context.speed)
        if short is None:
            continue
        days[k] = _with_strides(day, context, week_m[day.week], short)
        replaced.add(k)
        added[day.week] = added.get(day.week, 0.0) + days[k].distance_m - day.distance_m
    for week, extra in added.items():
        others = [
            k
            for k, d in enumerate(days)
            if d.week == week and k not in replaced and not d.hard and d.kind in GIVING_KINDS
        ]
        aim = sum(days[k].distance_m for k in others) - extra
        for _ in range(STRIDES_ROUNDS):
            now = sum(days[k].distance_m for k in others)
            if extra <= 1.0 or now <= aim + 1.0 or now <= 0:
                break
            factor = max(aim, 0.0) / now
            for k in others:
                contexts[k] = replace(contexts[k], source=days[k].workout)
                lowest = min(TAPER_SHORTEST_S, days[k].duration_s)  # never lengthened
                again = plan(contexts[k], days[k].load * factor, lowest, True)
                target = days[k].target_load * factor
                notes = days[k].notes
                notes = notes if GAVE_BACK in notes else (*notes, GAVE_BACK)
                days[k] = replace(again, target_load=target, notes=notes)


GIVING_KINDS: Final = frozenset({"easy", "recovery", "long"})
GAVE_BACK: Final = "shortened: the week's distance kept where an easy run with strides ran further"
"""Runs that give back the distance an easy run with strides adds to its week."""


def _weeks(
    schema: PlanSchema,
    start: dt.date,
    outlines: tuple[WeekOutline, ...],
    days: tuple[PlannedDay, ...],
    week_ctl: tuple[float, ...],
    ramps: tuple[float, ...],
) -> tuple[PlanWeek, ...]:
    out: list[PlanWeek] = []
    for week in outlines:
        first = start + dt.timedelta(days=WEEK_DAYS * week.index)
        sessions = [d for d in days if d.week == week.index and not d.is_race]
        block = schema.blocks[week.block_index]
        out.append(
            PlanWeek(
                index=week.index,
                start=first,
                end=first + dt.timedelta(days=WEEK_DAYS - 1),
                block=block.name,
                block_kind=block.kind,
                recovery=week.recovery,
                target_load=week.load,
                load=sum(d.load for d in sessions),
                race_load=sum(d.load for d in days if d.week == week.index and d.is_race),
                duration_s=sum(d.duration_s for d in sessions),
                distance_m=sum(d.distance_m for d in sessions),
                sessions=len(sessions),
                ctl_end=week_ctl[week.index],
                ctl_ramp=ramps[week.index],
            )
        )
    return tuple(out)


def generate_plan(inputs: PlanInputs) -> Plan:
    """A plan from ``inputs`` to race day (see the module doc for the rules)."""
    template = inputs.schema
    if min(len(inputs.training_days), inputs.sessions_per_week) < MIN_SESSIONS:
        raise ValueError(
            f"A plan needs at least {MIN_SESSIONS} training days and {MIN_SESSIONS} runs a "
            "week: with fewer, the long run alone would be most of the week's running."
        )
    weeks = inputs.weeks if inputs.weeks is not None else template.total_weeks
    start = plan_start(inputs.race_date, weeks)
    out = WarningLog()
    _check_weeks(template, weeks, block_weeks(template, weeks), out)
    layouts = block_layouts(inputs, out)
    library = Library(inputs.library, inputs.race_distance_m)
    tag = library.tag
    floors = [session_floor(layouts[index], tag) for index in range(len(template.blocks))]
    capacity = [session_capacity(layouts[index], tag) for index in range(len(template.blocks))]
    race, predicted = _race_day(inputs, weeks - 1)
    # The taper chosen for race day by the runner's response model (``race_week``).
    taper = plan_taper_choice(inputs, start, weeks, layouts, floors, capacity, predicted)
    schema = with_taper(template, taper.chosen)
    inputs = replace(inputs, schema=schema)
    lengths = block_weeks(schema, weeks)
    first_block = next(index for index, n in enumerate(lengths) if n > 0)
    first = min(
        start_load(schema, inputs.start_state.ctl, floors[first_block], inputs.recent_weekly_load),
        capacity[first_block],
    )
    _check_start(inputs, first, capacity[first_block], out)
    outlines = peak_outlines(
        schema, lengths, first, capacity, inputs.recovery_every, taper.chosen.peak_gap
    ) or week_loads(schema, lengths, first, capacity, inputs.recovery_every)
    drafts = draft_days(inputs, start, outlines, layouts)
    separate_hard_days(drafts, inputs.race_date, out)
    drafts = [_resolve_kind(d, library, out) for d in drafts]
    drafts = share_week_loads(drafts, outlines, inputs, tag, out)
    seen: Counter[tuple[int, str]] = Counter()
    planned: list[PlannedDay] = []
    contexts: list[_DayContext] = []
    clipped: set[int] = set()
    no_cs = 0

    def plan(
        context: _DayContext, target: float | None, lowest_s: float | None, exact: bool = True
    ) -> PlannedDay:
        return _plan_day(context, tag, inputs.race_distance_m, target, lowest_s, exact)

    for draft in drafts:
        params = inputs.parameters(draft.date)
        speed = params.cs_mps if params.cs_mps is not None else inputs.estimate_speed_mps
        no_cs += params.cs_mps is None
        rotation = draft.week + seen[(draft.week, draft.session.kind)]
        seen[(draft.week, draft.session.kind)] += 1
        workout = _source_workout(draft, library, speed, rotation)
        context = _DayContext(draft, params, speed, workout)
        day = plan(context, None, None, True)
        if abs(day.load - day.target_load) > CLIPPED_WARNING * day.target_load:
            clipped.add(day.week)
        planned.append(day)
        contexts.append(context)
    limited: list[PlannedDay] = []
    limited_contexts: list[_DayContext] = []
    for week in outlines:
        indexes = [i for i, d in enumerate(planned) if d.week == week.index]
        week_days, week_contexts = _limit_week(
            [planned[i] for i in indexes],
            [contexts[i] for i in indexes],
            plan,
            library,
            tag,
            out,
            taper=schema.blocks[week.block_index].kind == "taper",
        )
        limited.extend(week_days)
        limited_contexts.extend(week_contexts)
    # The taper's weeks fitted to its distance, the runner fresh on race day (``race_week``).
    order = sorted(range(len(limited)), key=lambda k: limited[k].date)
    limited = [limited[k] for k in order]
    limited_contexts = [limited_contexts[k] for k in order]

    def replan(k: int, load: float) -> PlannedDay:
        return plan(limited_contexts[k], load, TAPER_SHORTEST_S, True)

    def limit(days: list[PlannedDay], indexes: Sequence[int]) -> None:
        week_days, week_contexts = _limit_week(
            [days[k] for k in indexes],
            [limited_contexts[k] for k in indexes],
            plan,
            library,
            tag,
            out,
            taper=True,
        )
        for k, day, context in zip(indexes, week_days, week_contexts, strict=True):
            days[k], limited_contexts[k] = day, context

    def rescale(k: int, factor: float) -> PlannedDay:
        """The day as planned (easy running a limit added included) scaled by ``factor``."""
        day = limited[k]
        context = replace(limited_contexts[k], source=day.workout)
        limited_contexts[k] = context
        again = plan(context, day.load * factor, TAPER_SHORTEST_S, True)
        return replace(again, target_load=day.target_load * factor, notes=day.notes)

    _cap_distance_growth(limited, weeks - lengths[-1], rescale, limit, out)
    planned = fit_taper_volume(
        limited, race, inputs, start, weeks, lengths[-1], taper.chosen.reduction, replan, limit
    )
    _strides_for_small_sessions(planned, limited_contexts, plan)
    no_cs += race.cs_mps is None
    if no_cs:
        out.add(
            WarningCode.NO_CRITICAL_SPEED,
            f"no critical speed on {no_cs} planned day(s): no pace targets there, and times, "
            f"distances and loads estimated at {inputs.estimate_speed_mps:g} m/s",
        )
    if clipped:
        out.add(
            WarningCode.LOAD_CLIPPED,
            f"week(s) {week_ranges(sorted(clipped))} ask for more (or less) than their "
            f"sessions carry at sensible lengths: some days are more than "
            f"{CLIPPED_WARNING:.0%} off their target load (see the days' notes); more or "
            "fewer training days, or a schema with a lower cap, would fit the weeks",
        )
    # The generator's reasons go to the coach (``why``); the runner reads plain words.
    told = length_text(predicted) if predicted is not None else None
    days = tuple(
        replace(d, notes=runner_notes(d.kind, d.notes, told if d.is_race else None), why=d.notes)
        for d in (*planned, race)
    )
    projection = project(
        start,
        weeks,
        [(d.date, d.load) for d in days],
        inputs.start_state,
        inputs.history_params,
        inputs.limits,
    )
    out.extend(projection.warnings)
    return Plan(
        schema_name=schema.name,
        race_date=inputs.race_date,
        race_distance_m=inputs.race_distance_m,
        start=start,
        weeks=_weeks(schema, start, outlines, days, projection.week_ctl, projection.week_ramps),
        days=days,
        projection=projection.days,
        race_day_form=projection.race_day_form,
        max_ctl_ramp=projection.max_ctl_ramp,
        predicted_race_time_s=predicted,
        warnings=out.all(),
        taper=taper,
    )
