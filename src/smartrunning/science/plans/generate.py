"""Generate a training plan toward a race: ``generate_plan(PlanInputs) -> Plan``.

SCIENCE.md, "Plan generation" (the reference behaviour), in this order:

1. Weeks laid backwards from race day and their loads (``layout``): the taper kept, the
   other blocks scaled in proportion; 7 · CTL to start, progression, recovery weeks,
   taper, never above the schema's cap.
2. Each block's week (``week``): sessions on training days, the long run on the long-run
   day, hard sessions never on consecutive days; a day's target load is its weight × the
   week's load. The session on race day gives way to the race (so the race week's
   sessions add up to less than its load).
3. Across weeks (``days``: a block's last day next to the next block's first, or the day
   before the race) hard days are kept apart too, by downgrading one to an easy run.
4. Each day's workout (``scaling``): chosen by kind (or name) and scaled to the target
   load at the day's CS; targets from the CS and HR zones valid that day (``targets``).
5. The race as a distance step at the predicted race pace (free running without a CS).
6. The projection and its warnings (``project``).

Deterministic: the same inputs give an equal ``Plan``; nothing reads a clock or a file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Final

from smartrunning.science.plans.days import (
    Draft,
    WarningLog,
    block_layouts,
    downgrade,
    draft_days,
    separate_hard_days,
)
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
from smartrunning.science.plans.scaling import Library, scale_workout
from smartrunning.science.plans.schema import PlanSchema
from smartrunning.science.plans.targets import DayParameters, predict_race_time_s, step_targets
from smartrunning.science.plans.week import EASY_KIND
from smartrunning.science.workouts import Extent, Free, Steady, Workout

__all__ = ["generate_plan"]

RACE_SLOT: Final = "race"
GENERATED_EASY_INTENSITY: Final = 0.75
"""Intensity of the easy run made up when the library has none (easy running, ~75 % CS)."""
GENERATED_EASY_BOUNDS_S: Final = (900.0, 3 * 3600.0)
OFF_TARGET_NOTE: Final = 0.05
"""Note on a day whose planned load is further than this fraction from its target."""
CLIPPED_WARNING: Final = 0.10
"""Warn about days whose planned load is further than this fraction from their target."""


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


def _check_start(inputs: PlanInputs, out: WarningLog) -> None:
    usual = WEEK_DAYS * inputs.start_state.ctl
    cap = inputs.schema.load_cap
    if usual < cap.min_weekly:
        out.add(
            WarningCode.START_BELOW_FLOOR,
            f"current weekly load 7·CTL = {usual:.0f} is below the schema's first week "
            f"({cap.min_weekly:.0f}): the plan starts with a jump in load",
        )
    elif usual > cap.max_weekly:
        out.add(
            WarningCode.START_ABOVE_CAP,
            f"current weekly load 7·CTL = {usual:.0f} is above the schema's cap "
            f"({cap.max_weekly:.0f}): the plan starts at the cap",
        )


def _generated_easy(target_load: float) -> Workout:
    per_hour = GENERATED_EASY_INTENSITY**2 * 100.0
    low, high = GENERATED_EASY_BOUNDS_S
    seconds = min(max(round(target_load / per_hour * 60.0) * 60.0, low), high)
    step = Steady(Extent(seconds), GENERATED_EASY_INTENSITY)
    return Workout("Easy run (generated)", "run", (step,), tags=("kind:easy",))


def _source_workout(
    draft: Draft, library: Library, speed: float, rotation: int, out: WarningLog
) -> tuple[Draft, Workout]:
    """The library workout for a draft (the draft made an easy run when its kind is
    missing); a made-up easy run when the library has no easy runs either."""
    session = draft.session
    if session.workout is not None:
        named = library.named(session.workout)
        if named is not None:
            return draft, named
        out.add(
            WarningCode.MISSING_WORKOUT,
            f"workout {session.workout!r} is not in the library: a {session.kind} workout "
            "is used instead",
        )
    chosen = library.choose(session.kind, draft.target_load, speed, rotation)
    if chosen is not None:
        return draft, chosen
    out.add(
        WarningCode.MISSING_KIND,
        f"no {session.kind} workouts in the library: easy runs take their place",
    )
    if session.kind != EASY_KIND:
        draft = downgrade(draft, f"easy run: no {session.kind} workouts in the library")
    easy = library.choose(EASY_KIND, draft.target_load, speed, rotation)
    return draft, easy if easy is not None else _generated_easy(draft.target_load)


def _plan_day(draft: Draft, params: DayParameters, speed: float, workout: Workout) -> PlannedDay:
    if workout.estimated_load(speed) > 0:
        planned = scale_workout(workout, draft.target_load, speed).workout
    else:
        planned = workout
    load = planned.estimated_load(speed)
    notes = draft.notes
    if abs(load - draft.target_load) > OFF_TARGET_NOTE * draft.target_load:
        notes = (
            *notes,
            f"load {load:.0f} for a target of {draft.target_load:.0f}: "
            f"{workout.name} scales no closer",
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
        kind="race",
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
    _check_start(inputs, out)
    outlines = week_loads(schema, lengths, start_load(schema, inputs.start_state.ctl))
    drafts = draft_days(inputs, start, outlines, block_layouts(inputs, out))
    separate_hard_days(drafts, inputs.race_date, out)
    library = Library(inputs.library, inputs.race_distance_m)
    seen: Counter[tuple[int, str]] = Counter()
    planned: list[PlannedDay] = []
    clipped = no_cs = 0
    for draft in drafts:
        params = inputs.parameters(draft.date)
        speed = params.cs_mps if params.cs_mps is not None else inputs.estimate_speed_mps
        no_cs += params.cs_mps is None
        rotation = draft.week + seen[(draft.week, draft.session.kind)]
        seen[(draft.week, draft.session.kind)] += 1
        chosen, workout = _source_workout(draft, library, speed, rotation, out)
        day = _plan_day(chosen, params, speed, workout)
        clipped += abs(day.load - day.target_load) > CLIPPED_WARNING * day.target_load
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
            f"{clipped} day(s) are more than {CLIPPED_WARNING:.0%} off their target load, "
            "beyond what their workouts scale to (more sessions a week or longer library "
            "workouts would carry it): see the days' notes",
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
