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
   hold its fewest runs at their shortest (``days.fewest_runs``: a week lighter than all
   its sessions need plans fewer runs, the others coming back as the load grows), and no
   week asks more than its sessions carry at their longest (``days.session_floor`` /
   ``session_capacity``, ``layout``).
3. Across weeks (``days``) hard days are kept apart too, and the day before each long run
   becomes a recovery run; the session the day before the race an easy run with
   strides, a quality session there moved earlier in race week where the days allow.
   Kinds the library lacks become easy runs.
4. Each week's load is shared out so every session can be scaled to its target within
   its sensible length (``days.share_week_loads``).
6. Each day's workout (``day_plan``, ``scaling``): chosen by kind (or name) and scaled to the target
   load at the day's CS within its kind's duration bounds, the planned load being the
   rTSS of its planned stream (``load.planned_rtss``, as completed sessions are scored);
   race-pace steps at the runner's predicted race speed on that day
   (``intensity.race_speed``); its name says what it holds (``scaling.content_name``);
   targets from the parameters valid that day (``targets``). A day more than 5 % off its
   target says why in its notes; more than 10 % raises ``LOAD_CLIPPED``.
7. Each week within Daniels' limits (``week_limits``, ``limits``): time at intensity per
   session and the long run's share, the load taken off moved into easy running (taper
   weeks too: the taper's fit then scales them to their distance, ``race_week``). These
   limits depend on the week's distance, so a CS version starting mid-week changes that
   week's days.
   Then each week before the taper, in order, within ``limits.MAX_DISTANCE_GROWTH``
   (10 %) of the larger of the two weeks before it in distance: a week above it has all
   its sessions scaled down together (intensity kept) and brought within the limits
   again, no load moved (``cap_distance_growth``).
   A quality session left holding less than a session worth running
   (``limits.quality_shortfall``: 5 min of work, repetitions of 200 m or 30 s) becomes an
   easy run with 4–6 strides of 20 s of the same distance (``STRIDES``), after the taper
   is fitted too (``week_limits``).
8. The taper's weeks scaled to their distance (41–60 % below the peak week's, intensity
   and sessions kept) with race-day form at least acceptable (``race_week``).
   The race as a distance step at the predicted race pace (free running without a CS).
9. The projection and its warnings (``project``); race-day form below zero is told on
   the taper's days (``race_week.told_too_short``).
10. Each day's notes: the reasons above, with their basis, for the coach (``why``); for
    the runner plain words on what to do and how it should feel (``words``).

Deterministic: the same inputs give an equal ``Plan``; nothing reads a clock or a file.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from smartrunning.science.load import planned_rtss
from smartrunning.science.plans.day_plan import (
    TAPER_SHORTEST_S,
    DayContext,
    generated_easy,
    plan_day,
)
from smartrunning.science.plans.days import (
    Draft,
    WarningLog,
    block_layouts,
    downgrade,
    draft_days,
    fewest_runs,
    separate_hard_days,
    session_capacity,
    session_floor,
    share_week_loads,
    week_ranges,
)
from smartrunning.science.plans.intensity import race_speed
from smartrunning.science.plans.layout import (
    WEEK_DAYS,
    WeekOutline,
    block_weeks,
    current_load,
    plan_start,
    start_load,
    week_loads,
)
from smartrunning.science.plans.limits import (
    MIN_SESSIONS,
)
from smartrunning.science.plans.model import (
    Plan,
    PlanInputs,
    PlannedDay,
    PlanWeek,
    WarningCode,
)
from smartrunning.science.plans.project import project
from smartrunning.science.plans.race_week import (
    fit_taper_volume,
    plan_taper_choice,
    told_too_short,
    with_taper,
)
from smartrunning.science.plans.scaling import Library, length_text
from smartrunning.science.plans.schema import PlanSchema
from smartrunning.science.plans.taper import peak_outlines
from smartrunning.science.plans.targets import step_targets
from smartrunning.science.plans.week import EASY_KIND
from smartrunning.science.plans.week_limits import (
    cap_distance_growth,
    limit_week,
    strides_for_small_sessions,
)
from smartrunning.science.plans.words import runner_notes
from smartrunning.science.workouts import Extent, Free, Steady, Workout

__all__ = ["RACE_KIND", "generate_plan"]

RACE_SLOT: Final = "race"
RACE_KIND: Final = "race"
"""The kind of the race day's session."""
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


def _check_start(inputs: PlanInputs, first: float, capacity: float, out: WarningLog) -> None:
    recent = inputs.recent_weekly_load
    usual = current_load(inputs.start_state.ctl, recent)
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
    return easy if easy is not None else generated_easy(draft.target_load)


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
    # The lowest first week holds the block's fewest runs at their shortest: a week below
    # what all its sessions need plans fewer runs (``days.share_week_loads``).
    floors = [
        session_floor(fewest_runs(layouts[index], block.pattern, inputs.beginner), tag)
        for index, block in enumerate(template.blocks)
    ]
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
    contexts: list[DayContext] = []
    clipped: set[int] = set()
    no_cs = 0

    def plan(
        context: DayContext, target: float | None, lowest_s: float | None, exact: bool = True
    ) -> PlannedDay:
        return plan_day(context, tag, inputs.race_distance_m, target, lowest_s, exact)

    for draft in drafts:
        params = inputs.parameters(draft.date)
        speed = params.cs_mps if params.cs_mps is not None else inputs.estimate_speed_mps
        no_cs += params.cs_mps is None
        rotation = draft.week + seen[(draft.week, draft.session.kind)]
        seen[(draft.week, draft.session.kind)] += 1
        workout = _source_workout(draft, library, speed, rotation)
        context = DayContext(draft, params, speed, workout)
        day = plan(context, None, None, True)
        if abs(day.load - day.target_load) > CLIPPED_WARNING * day.target_load:
            clipped.add(day.week)
        planned.append(day)
        contexts.append(context)
    limited: list[PlannedDay] = []
    limited_contexts: list[DayContext] = []
    for week in outlines:
        indexes = [i for i, d in enumerate(planned) if d.week == week.index]
        week_days, week_contexts = limit_week(
            [planned[i] for i in indexes],
            [contexts[i] for i in indexes],
            plan,
            library,
            tag,
            out,
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
        week_days, week_contexts = limit_week(
            [days[k] for k in indexes],
            [limited_contexts[k] for k in indexes],
            plan,
            library,
            tag,
            out,
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

    cap_distance_growth(limited, weeks - lengths[-1], rescale, limit, out)
    planned = fit_taper_volume(
        limited, race, inputs, start, weeks, lengths[-1], taper.chosen.reduction, replan, limit
    )
    strides_for_small_sessions(planned, limited_contexts, plan)
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
    # Race-day form negative whatever the taper: its days say so (``race_week``).
    taper_weeks = range(weeks - lengths[-1], weeks)
    days = told_too_short(days, taper_weeks, projection.race_day_form)
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
