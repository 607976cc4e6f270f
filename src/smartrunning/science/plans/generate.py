"""Generate a training plan toward a race: ``generate_plan(PlanInputs) -> Plan``.

SCIENCE.md, "Plan generation" (the reference behaviour), in this order:

1. Weeks laid backwards from race day and their loads (``layout``): the taper kept, the
   other blocks scaled in proportion; 7 · CTL to start, progression, recovery weeks,
   taper, never above the schema's cap.
2. Each block's week (``week``): sessions on training days, the long run on the long-run
   day, hard sessions never on consecutive days; a day's target load is its weight × the
   week's load. The session on race day gives way to the race (so the race week's
   sessions add up to less than its load). The first week starts high enough to hold its
   sessions at their shortest, and no week asks more than its sessions carry at their
   longest (``days.session_floor`` / ``session_capacity``, ``layout``).
3. Across weeks (``days``: a block's last day next to the next block's first, or the day
   before the race) hard days are kept apart too, by downgrading one to an easy run.
   Kinds the library lacks become easy runs.
4. Each week's load is shared out so every session can be scaled to its target within
   its sensible length (``days.share_week_loads``): the long run's share raised toward
   the race's long-run goal, sessions left out of weeks too light for them, targets
   balanced within their bounds with the week's total kept.
5. The race week eased so the runner arrives fresh (``race_week``).
6. Each day's workout (``scaling``): chosen by kind (or name) and scaled to the target
   load at the day's CS within its kind's duration bounds (named "…, scaled to 1 h 04"
   when its length changed by more than 5 %); targets from the CS and HR zones valid
   that day (``targets``). A day more than 5 % off its target says why in its
   notes; more than 10 % raises ``LOAD_CLIPPED`` naming the weeks.
7. The race as a distance step at the predicted race pace (free running without a CS).
8. The projection and its warnings (``project``).

Deterministic: the same inputs give an equal ``Plan``; nothing reads a clock or a file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Final

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
from smartrunning.science.plans.kinds import duration_bounds
from smartrunning.science.plans.layout import (
    WEEK_DAYS,
    WeekOutline,
    block_weeks,
    plan_start,
    start_load,
    week_loads,
)
from smartrunning.science.plans.model import (
    Plan,
    PlanInputs,
    PlannedDay,
    PlanWeek,
    WarningCode,
)
from smartrunning.science.plans.project import project
from smartrunning.science.plans.race_week import ease_race_week
from smartrunning.science.plans.scaling import Library, length_text, scale_workout, scaled_name
from smartrunning.science.plans.schema import PlanSchema
from smartrunning.science.plans.targets import DayParameters, predict_race_time_s, step_targets
from smartrunning.science.plans.week import EASY_KIND
from smartrunning.science.workouts import Extent, Free, Steady, Workout

__all__ = ["RACE_KIND", "generate_plan"]

RACE_SLOT: Final = "race"
RACE_KIND: Final = "race"
"""The kind of the race day's session."""
GENERATED_EASY_INTENSITY: Final = 0.75
"""Intensity of the easy run made up when the library has none (easy running, ~75 % CS)."""
GENERATED_EASY_BOUNDS_S: Final = (900.0, 3 * 3600.0)
OFF_TARGET_NOTE: Final = 0.05
"""Note on a day whose planned load is further than this fraction from its target."""
CLIPPED_WARNING: Final = 0.10
"""Warn about days whose planned load is further than this fraction from their target."""
RENAME_SCALED: Final = 0.05
"""A workout scaled by more than this fraction of its duration says so in its name."""


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
    usual = WEEK_DAYS * inputs.start_state.ctl
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
            f"current weekly load 7·CTL = {usual:.0f} is below the plan's first week "
            f"({first:.0f}): the plan starts with a jump in load",
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
            f"current weekly load 7·CTL = {usual:.0f} is above {where}: the plan starts "
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


def _plan_day(
    draft: Draft, params: DayParameters, speed: float, workout: Workout, tag: str
) -> PlannedDay:
    bounds = duration_bounds(draft.session.kind, tag)
    if workout.estimated_load(speed) > 0:
        planned = scale_workout(workout, draft.target_load, speed, bounds).workout
    else:
        planned = workout
    load = planned.estimated_load(speed)
    duration = planned.total_duration_s(speed)
    if abs(duration - workout.total_duration_s(speed)) > RENAME_SCALED * duration:
        # "Easy run 45 min" lasting 1:04 would read as a mistake.
        planned = replace(planned, name=scaled_name(workout.name, duration))
    notes = draft.notes
    if abs(load - draft.target_load) > OFF_TARGET_NOTE * draft.target_load:
        low, high = bounds
        kind = draft.session.kind
        why = (
            f"{length_text(high)} is the longest sensible {kind} session"
            if load < draft.target_load
            else f"{length_text(low)} is the shortest sensible {kind} session"
        )
        notes = (
            *notes,
            f"load {load:.0f} for a target of {draft.target_load:.0f}: "
            f"{workout.name} scales no closer ({why})",
        )
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
        target_load=draft.target_load,
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
    if params.cs_mps is None:
        speed = inputs.estimate_speed_mps
        workout = Workout(name, "run", (Free(Extent(distance, "m")),), tags=("kind:race",))
        predicted = None
    else:
        speed = params.cs_mps
        predicted = predict_race_time_s(distance, params.cs_mps, params.d_prime_m)
        intensity = distance / predicted / params.cs_mps
        step = Steady(Extent(distance, "m"), intensity)
        workout = Workout(name, "run", (step,), tags=("kind:race",))
    load = workout.estimated_load(speed)
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
    )
    return day, predicted


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
    schema = inputs.schema
    weeks = inputs.weeks if inputs.weeks is not None else schema.total_weeks
    start = plan_start(inputs.race_date, weeks)
    out = WarningLog()
    lengths = block_weeks(schema, weeks)
    _check_weeks(schema, weeks, lengths, out)
    layouts = block_layouts(inputs, out)
    library = Library(inputs.library, inputs.race_distance_m)
    tag = library.tag
    first_block = next(index for index, n in enumerate(lengths) if n > 0)
    floor = session_floor(layouts[first_block], tag)
    capacity = [session_capacity(layouts[index], tag) for index in range(len(lengths))]
    first = min(start_load(schema, inputs.start_state.ctl, floor), capacity[first_block])
    _check_start(inputs, first, capacity[first_block], out)
    outlines = week_loads(schema, lengths, first, capacity)
    drafts = draft_days(inputs, start, outlines, layouts)
    separate_hard_days(drafts, inputs.race_date, out)
    drafts = [_resolve_kind(d, library, out) for d in drafts]
    drafts = share_week_loads(drafts, outlines, inputs, tag, out)
    drafts = ease_race_week(drafts, inputs, start, weeks, tag)
    seen: Counter[tuple[int, str]] = Counter()
    planned: list[PlannedDay] = []
    clipped: set[int] = set()
    no_cs = 0
    for draft in drafts:
        params = inputs.parameters(draft.date)
        speed = params.cs_mps if params.cs_mps is not None else inputs.estimate_speed_mps
        no_cs += params.cs_mps is None
        rotation = draft.week + seen[(draft.week, draft.session.kind)]
        seen[(draft.week, draft.session.kind)] += 1
        workout = _source_workout(draft, library, speed, rotation)
        day = _plan_day(draft, params, speed, workout, tag)
        if abs(day.load - day.target_load) > CLIPPED_WARNING * day.target_load:
            clipped.add(day.week)
        planned.append(day)
    race, predicted = _race_day(inputs, weeks - 1)
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
    days = (*planned, race)
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
    )
