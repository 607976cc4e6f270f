"""A week within the limits (SCIENCE.md "Targets and limits"; step 7 of ``generate``).

- ``limit_week``: each session within Daniels' time at marathon, threshold, interval and
  repetition pace, the long run within 30 % of the week and its longest length; the load
  taken off goes into the week's easy running (a taper week's too, the taper fit scaling it
  to its distance after), or is added to the shortened session as easy running.
- ``cap_distance_growth``: each week before the taper within ``limits.MAX_DISTANCE_GROWTH``
  of the larger of the two weeks before it, its sessions scaled down together.
- ``strides_for_small_sessions``: a quality session left holding less than a session worth
  running (``limits.quality_shortfall``) becomes an easy run with strides of the same
  distance, the week's easy runs giving back what it runs further; at the end each
  strides session is checked against its week's final distance again (fewer strides
  where the week came out shorter: Daniels' repetition cap is 5 % of it). Four strides
  always fit: a set of at most ``limits.FREE_STRIDES`` is not a repetition session and
  does not count against the cap (``limits.capped_distances``; a coach keeps 4 × 20 s
  even in a race week of 4–5 km, where counted they broke 5 % of it and the day became a
  plain 5–6 min easy run, the taper left with no fast running). With its 5 min of easy
  running a strides day lasts 10 min 20 s, above the taper's shortest session
  (``day_plan.TAPER_SHORTEST_S``, 10 min); an easy run in its place (no CS) as long.

Easy running added here, after the day's paces are set (the load a limit took off, the
easy part of an easy run with strides), is at ``EASY_INTENSITY`` (0.79 × CS) no faster
than Daniels' E for the day's VDOT (``easy_intensity``, ``paces.easy_fraction``), as every
other easy step.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import Final

from smartrunning.science.load import planned_rtss
from smartrunning.science.plans.day_plan import (
    OFF_TARGET_NOTE,
    SHORTEST_LIMITED_S,
    TAPER_SHORTEST_S,
    DayContext,
    Planner,
    generated_easy,
    off_target_note,
)
from smartrunning.science.plans.days import (
    WarningLog,
    downgrade,
)
from smartrunning.science.plans.intensity import EASY_RUN_FRACTION
from smartrunning.science.plans.kinds import duration_bounds, nominal_load
from smartrunning.science.plans.limits import (
    EASY_KINDS,
    LONG_SHARE,
    MAX_DISTANCE_GROWTH,
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
    PlannedDay,
    WarningCode,
)
from smartrunning.science.plans.paces import easy_fraction, with_training_paces
from smartrunning.science.plans.scaling import Library, content_name, length_text
from smartrunning.science.plans.schema import LONG_SLOT
from smartrunning.science.plans.targets import DayParameters, step_targets
from smartrunning.science.plans.week import EASY_KIND
from smartrunning.science.workouts import Extent, Intervals, Ramp, Steady, Step, Workout

__all__ = ["cap_distance_growth", "easy_intensity", "limit_week", "strides_for_small_sessions"]


def _long_ok(day: PlannedDay, most_m: float, longest_s: float) -> bool:
    return day.distance_m <= most_m + 1.0 and day.duration_s <= longest_s + 1.0


def _quality_ok(day: PlannedDay, context: DayContext, caps: SessionLimits) -> bool:
    return not over_limits(day.workout, context.params, context.speed, caps)


FINAL_STEPS: Final = 8
FINAL_STEP: Final = 0.03


def limit_week(
    days: list[PlannedDay],
    contexts: list[DayContext],
    plan: Planner,
    library: Library,
    tag: str,
    out: WarningLog,
) -> tuple[list[PlannedDay], list[DayContext]]:
    """A week's days within the limits of ``limits`` (its module doc): sessions over a
    limit shortened, the load they gave up moved into the week's easy running (a taper
    week's too: the taper fit then scales it to its distance)."""
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

            def rough(load: float, c: DayContext = context) -> PlannedDay:
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
                source = chosen if chosen is not None else generated_easy(day.load)
                context = DayContext(draft, params, context.speed, source)
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
            # What the week asked of the session, not what it planned: a session held at
            # its shortest plans above its target, and moving that excess too would put
            # the week above its load.
            gave = max(min(day.load, day.target_load) - new.load, 0.0)
            extra += gave
            if code == WarningCode.INTENSITY_CAPPED:
                shortened[i] = shortened.get(i, 0.0) + gave
            days[i], contexts[i] = new, context
            changed = True
        longest_s = max((d.duration_s for d in days if d.slot == LONG_SLOT), default=math.inf)
        easy = [i for i, d in enumerate(days) if d.kind in EASY_KINDS and not d.hard]
        given = 0.0
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
"""Easy running appended to a shortened session and before strides (Daniels' easy pace,
``intensity.EASY_RUN_FRACTION``), no faster than Daniels' E at the day's VDOT
(``easy_intensity``)."""


def easy_intensity(params: DayParameters) -> float:
    """The fraction of CS easy running added after the day's paces are set is run at:
    ``EASY_INTENSITY``, no faster than the fast end of Daniels' E band for the day's VDOT
    (``paces.easy_fraction``), as every other easy step of the plan. At 0.79 × CS a runner
    whose races give a VDOT about 6 % below the CS model's would run it at marathon
    intensity: a marathoner's hill and threshold sessions, their load moved into such easy
    running, went over the session's marathon-pace cap (issue #15, the plan grid)."""
    if params.cs_mps is None or params.level is None:
        return EASY_INTENSITY
    return easy_fraction(EASY_INTENSITY, params.cs_mps, params.level)


def _with_easy_running(
    day: PlannedDay, context: DayContext, load: float, longest_s: float
) -> PlannedDay:
    """``day`` with ``load`` of easy running added before its cool-down (or at its end):
    what a session shortened to a limit gave up, when the week's easy runs cannot take
    it (SCIENCE.md: "extra load goes into easy running"), within Daniels' E
    (``easy_intensity``)."""
    easy = easy_intensity(context.params)
    seconds = round(load / (easy**2 * 100.0) * 3600.0 / 60.0) * 60.0
    seconds = min(seconds, (longest_s - day.duration_s) // 60.0 * 60.0)
    if seconds < MIN_EASY_ADDED_S:
        return day
    steps = list(day.workout.steps)
    at = (
        len(steps) - 1
        if isinstance(steps[-1], Ramp) and steps[-1].kind == "cooldown"
        else len(steps)
    )
    steps.insert(at, Steady(Extent(seconds), easy))
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


def cap_distance_growth(
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
the week's repetition-pace limit allows; four always do, ``limits.FREE_STRIDES``)."""
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


def _strides_workout(easy_s: float, strides: int, easy: float = EASY_INTENSITY) -> Workout:
    """``easy_s`` of easy running at ``easy`` × CS, then ``strides`` strides (none: an
    easy run)."""
    steps: list[Step] = [Steady(Extent(easy_s), easy)]
    if not strides:
        return Workout(EASY_NAME, "run", tuple(steps), tags=("kind:easy",))
    steps.append(
        Intervals(
            strides, Extent(STRIDE_S), Extent(STRIDE_REST_S), STRIDE_FRACTION, STRIDE_REST_FRACTION
        )
    )
    return Workout(STRIDES_NAME, "run", tuple(steps), tags=("kind:strides",))


def _fitting_strides(
    distance_m: float,
    params: DayParameters,
    speed: float,
    caps: SessionLimits,
    counts: Sequence[int] = STRIDES,
    round_up: bool = False,
) -> tuple[Workout, int]:
    """An easy run with the most of ``counts`` strides (none when not even the fewest
    fit) within ``caps``, of about ``distance_m`` (its easy part at least
    ``STRIDES_EASY_S``, an easy run's ``TAPER_SHORTEST_S``, in whole minutes: the
    nearest, or the next with ``round_up``, so never shorter), its easy running within
    Daniels' E (``easy_intensity``); and the strides it holds."""
    easy = easy_intensity(params)
    for count in (*counts, 0):
        strides = _strides_workout(STRIDES_EASY_S, count, easy)
        if count and params.cs_mps is not None and params.level is not None:
            strides = with_training_paces(strides, params.cs_mps, params.level)
        fast_m = strides.total_distance_m(speed) - STRIDES_EASY_S * easy * speed
        easy_s = (distance_m - fast_m) / (easy * speed)
        minutes = math.ceil(easy_s / 60.0 - 1e-6) if round_up else round(easy_s / 60.0)
        easy_s = max(minutes * 60.0, STRIDES_EASY_S if count else TAPER_SHORTEST_S)
        workout = replace(strides, steps=(Steady(Extent(easy_s), easy), *strides.steps[1:]))
        if not over_limits(workout, params, speed, caps):
            break
    kind = "strides" if count else EASY_KIND
    return replace(workout, name=content_name(workout.name, workout, speed, kind)), count


def _as_strides_day(
    day: PlannedDay, context: DayContext, workout: Workout, count: int, note: str
) -> PlannedDay:
    params, speed = context.params, context.speed
    load = planned_rtss(workout, speed)
    return replace(
        day,
        kind="strides" if count else EASY_KIND,
        hard=False,
        workout_name=STRIDES_NAME if count else EASY_NAME,
        workout=workout,
        duration_s=workout.total_duration_s(speed),
        distance_m=workout.total_distance_m(speed),
        target_load=load,
        load=load,
        targets=step_targets(workout, params),
        notes=(*day.notes, note),
    )


def _with_strides(day: PlannedDay, context: DayContext, week_m: float, why: str) -> PlannedDay:
    """``day``, a quality session too small to be one (``why``), as an easy run with
    strides of its distance or a little more (module doc, step 7): never shorter, as a
    week that came out shorter would lower the next week's distance cap (+10 % over the
    larger of the two weeks before), while a longer one gets its distance back from the
    week's other runs (``strides_for_small_sessions``)."""
    caps = session_limits(week_m)
    workout, count = _fitting_strides(
        day.distance_m, context.params, context.speed, caps, round_up=True
    )
    what = "easy run and strides" if count else "easy run"
    return _as_strides_day(
        day, context, workout, count, f"{what} instead of {day.workout.name}: {why}"
    )


def _strides_held(workout: Workout) -> int:
    return sum(s.repeat for s in workout.steps if isinstance(s, Intervals))


def _refit_strides(days: list[PlannedDay], contexts: list[DayContext], weeks: set[int]) -> None:
    """``days``, in place: in each of ``weeks``, each strides session over the limits of
    the week's final distance (the other runs gave distance back, so the week is shorter
    than when its strides were chosen: Daniels' repetition cap, 5 % of the week, is
    lower) with fewer strides, or none, of the same distance. Repeated as the week's
    distance moves by the minute its easy part rounds to."""
    for week in sorted(weeks):
        indexes = [k for k, d in enumerate(days) if d.week == week]
        for _ in range(STRIDES_ROUNDS):
            week_m = sum(days[k].distance_m for k in indexes)
            caps = session_limits(week_m)
            changed = False
            for k in indexes:
                day, context = days[k], contexts[k]
                if day.kind != "strides" or context.params.cs_mps is None:
                    continue
                why = over_limits(day.workout, context.params, context.speed, caps)
                if not why:
                    continue
                held = _strides_held(day.workout)
                counts = tuple(c for c in STRIDES if c < held)
                workout, count = _fitting_strides(
                    day.distance_m, context.params, context.speed, caps, counts
                )
                what = f"{count} strides" if count else "no strides"
                final = f"the limits of the week's final {week_m / 1000:.1f} km"
                note = f"{what} ({final}): {'; '.join(why)}"
                days[k] = _as_strides_day(day, context, workout, count, note)
                changed = True
            if not changed:
                break


STRIDES_ROUNDS: Final = 3


def strides_for_small_sessions(
    days: list[PlannedDay],
    contexts: list[DayContext],
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
            # More than the others hold: each down to its shortest (a load of zero, which
            # no workout scales to, raised: a 0.5 h/week runner's 3-run 10 km).
            factor = max(aim / now, LEAST_FACTOR)
            for k in others:
                contexts[k] = replace(contexts[k], source=days[k].workout)
                lowest = min(TAPER_SHORTEST_S, days[k].duration_s)  # never lengthened
                again = plan(contexts[k], days[k].load * factor, lowest, True)
                target = days[k].target_load * factor
                notes = days[k].notes
                notes = notes if GAVE_BACK in notes else (*notes, GAVE_BACK)
                if abs(again.load - target) > OFF_TARGET_NOTE * target:
                    # Held at its shortest: the week runs a little further than it was.
                    why = (
                        f"{length_text(lowest)} is the shortest it is cut to when giving "
                        "distance back"
                    )
                    notes = (*notes, off_target_note(again.load, target, again.workout_name, why))
                days[k] = replace(again, target_load=target, notes=notes)
    _refit_strides(days, contexts, {d.week for d in days})


LEAST_FACTOR: Final = 0.01
"""The least a run giving back distance is scaled by (it stops at its shortest first)."""
GIVING_KINDS: Final = frozenset({"easy", "recovery", "long"})
GAVE_BACK: Final = "shortened: the week's distance kept where an easy run with strides ran further"
"""Runs that give back the distance an easy run with strides adds to its week."""
