"""The taper in the generator: its length and depth chosen (``taper``), then its weeks
fitted to distance so the runner arrives fresh (steps 1 and 8 of ``generate``).

**Choice** (``plan_taper_choice``): each candidate taper (``taper.choose_taper``) is laid
out as the plan would be (``layout.block_weeks``/``week_loads`` with the schema's taper
block at the candidate's length, ``days.draft_days``), its taper weeks at
peak × (1 − r_j) of load (r_j stepping 0.8 → 1.2 × the depth, ``layout.TAPER_SPREAD``),
and judged by the runner's response model (fitted, or the population values) and by
race-day form projected over the history's model (``project``), asked ``FORM_MARGIN``
above the lowest acceptable; each with the peak week right before the taper or a week
earlier (``taper.peak_outlines``). A plan no longer than the schema's taper is all taper.

**Distance** (``fit_taper_volume``): after the sessions are scaled and limited, each
taper week's sessions are scaled together (every session keeps its intensity, so its
pace: only lengths change) until the week's distance, the race not counted, is
peak × (1 − r_j) of the peak week's distance, r_j as above around the chosen depth
(Bosquet et al., MSSE 2007: volume −41 to −60 %, intensity kept, frequency kept: no
session is dropped), each round brought within the per-session limits of ``limits`` at
the week's distance, the load a limit takes off moved into easy running as in every
other week (the week's easy runs, else easy running added to the shortened session), then
the sessions scaled again to the week's distance. (Moving no load, a race week of a long
run and one quality session shrank under the long run's 30 % and the quality session's
8 % of a week that shrank with each pass, until both were easy runs and the taper had
lost its intensity; a recovery run, at most 1 h, beside a session held at its cap could
not bring the week back to 60 % below the peak: 68 % in the plan grid.) A
session may go down to ``day_plan.TAPER_SHORTEST_S`` (10 min) and stays there. If race-day
form then falls
below ``PlanLimits.race_form_low`` (never negative), the depth is raised in steps of
2.5 points to 60 % and then the reduction moved toward the race week (spread 0.35, 0.5);
the first that reaches it is kept, else the one with the best form (the projection then
warns, and the choice of a longer taper, which the search makes when one reaches it,
is the remedy). Only the taper's own weeks change.

**Too short to be fresh.** Form is linear in the loads, so from no fitness (CTL 0) its sign
on race day depends only on the plan's shape, not its size: a 3-week plan from zero (a
peak week, then two taper weeks at most 60 % below it, every session at least 10 min and
80 % of them kept) leaves form below zero whatever the loads (−1.7 for a 5 km, −2.4 for
a half, in the plan grid). Where no taper the search and the fit try reaches zero, the
taper's days say so to the coach (``too_short_note``: "too short to be fresh on race
day: form −1.7 ..."), beside the projection's warning (``WarningCode.RACE_FORM_LOW``).
The note is added to the plan as generated (``told_too_short``, on its last projection's
form), so it gives the plan's own form and no such plan goes without it: a plan no
longer than the schema's taper (a 3-week marathon) is all taper, with no peak week to fit
its distance to, and from no fitness leaves form below zero too (−6.0 for a trained
runner on six days in the plan grid).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Final

from smartrunning.science.plans.days import draft_days
from smartrunning.science.plans.layout import (
    TAPER_SPREAD,
    WEEK_DAYS,
    WeekOutline,
    block_weeks,
    start_load,
)
from smartrunning.science.plans.limits import EASY_KINDS, TOO_SHORT_TO_BE_FRESH
from smartrunning.science.plans.model import PlanInputs, PlannedDay
from smartrunning.science.plans.project import eve_ctl, project
from smartrunning.science.plans.schema import LONG_SLOT, PlanSchema
from smartrunning.science.plans.taper import (
    BOSQUET_VOLUME,
    PEAK_GAPS,
    TaperChoice,
    TaperSpec,
    choose_taper,
    peak_outlines,
    taper_weeks,
)
from smartrunning.science.plans.week import Session

__all__ = [
    "TOO_SHORT",
    "fit_taper_volume",
    "plan_taper_choice",
    "told_too_short",
    "too_short_note",
    "week_reductions",
    "with_taper",
]

DEPTH_STEP: Final = 0.025
"""Depth raised in steps of 2.5 points when form is short."""
SPREADS: Final = (0.35, 0.5)
"""Then the reduction moved toward the race week."""
FIT_ROUNDS: Final = 5
FACTOR_MAX: Final = 100.0
"""The most a taper week's sessions are scaled from their loads after the limits."""
TOO_SHORT: Final = TOO_SHORT_TO_BE_FRESH
"""How the note on a taper that cannot bring race-day form to zero begins."""
REFILL_ROUNDS: Final = 3
"""Rounds of limits and refill of a taper week (``_fit_week``)."""
FIT_TOLERANCE: Final = 0.01
"""A taper week's distance is fitted to within 1 % of its target (or as close as its
sessions' lengths allow)."""
FORM_MARGIN: Final = 1.0
"""The choice asks this much more race-day form than the lowest acceptable: its layout is
the plan's before the sessions are scaled and limited, which moves load by a little."""
AIM_INSIDE: Final = 0.005
"""The fit aims half a point inside Bosquet's range (41.5–59.5 %), so a week 1 % off its
target distance leaves the taper inside it."""


def week_reductions(reduction: float, weeks: int, spread: float = TAPER_SPREAD) -> list[float]:
    """Each taper week's reduction below the peak: ``reduction`` on average, stepping from
    (1 − ``spread``) × to (1 + ``spread``) × it (one week: all of it)."""
    if weeks <= 1:
        return [reduction] * max(weeks, 0)
    return [
        reduction * (1.0 + spread * (2 * j - weeks - 1) / (weeks - 1)) for j in range(1, weeks + 1)
    ]


def with_taper(schema: PlanSchema, spec: TaperSpec) -> PlanSchema:
    """``schema`` with its taper block at ``spec``'s length and depth."""
    taper = replace(schema.taper, weeks=spec.weeks, reduction=spec.reduction)
    return replace(schema, blocks=(*schema.blocks[:-1], taper))


def _outline(
    inputs: PlanInputs,
    schema: PlanSchema,
    weeks: int,
    floors: Sequence[float],
    capacity: Sequence[float],
    peak_gap: int = 0,
) -> tuple[WeekOutline, ...] | None:
    lengths = block_weeks(schema, weeks)
    first_block = next(index for index, n in enumerate(lengths) if n > 0)
    first = min(
        start_load(schema, inputs.start_state.ctl, floors[first_block], inputs.recent_weekly_load),
        capacity[first_block],
    )
    return peak_outlines(schema, lengths, first, capacity, inputs.recovery_every, peak_gap)


def plan_taper_choice(
    inputs: PlanInputs,
    start: dt.date,
    weeks: int,
    layouts: dict[int, tuple[Session, ...]],
    floors: Sequence[float],
    capacity: Sequence[float],
    race_time_s: float | None,
) -> TaperChoice:
    """The taper for ``inputs`` by the runner's response model (module doc);
    ``floors``/``capacity``: per block, the load the first week's sessions need at their
    shortest and what a week's sessions carry at their longest."""
    schema = inputs.schema
    days = WEEK_DAYS * weeks - 1  # the plan's days before race day

    def evaluate(spec: TaperSpec) -> tuple[list[float], float, tuple[float, float]] | None:
        shaped = with_taper(schema, spec)
        laid = _outline(inputs, shaped, weeks, floors, capacity, spec.peak_gap)
        if laid is None:
            return None  # no weeks for this peak timing (``taper.peak_outlines``)
        outlines = list(laid)
        taper_index = len(shaped.blocks) - 1
        body = [w for w in outlines if w.block_index != taper_index]
        peak = body[-1 - spec.peak_gap].load if body else outlines[0].load
        n = len(outlines) - len(body)
        for j, r in enumerate(week_reductions(spec.reduction, n)):
            week = outlines[len(body) + j]
            outlines[len(body) + j] = replace(week, load=peak * (1.0 - r))
        loads = [0.0] * days
        for draft in draft_days(inputs, start, tuple(outlines), layouts):
            offset = (draft.date - start).days
            if 0 <= offset < days:
                loads[offset] += draft.target_load
        sessions = [(start + dt.timedelta(days=i), load) for i, load in enumerate(loads) if load]
        projection = project(
            start, weeks, sessions, inputs.start_state, inputs.history_params, inputs.limits
        )
        lowest = inputs.limits.race_form_low(eve_ctl(projection.days, inputs.start_state))
        return loads, projection.race_day_form, (lowest + FORM_MARGIN, inputs.limits.race_form[1])

    # A plan no longer than the schema's taper is all taper, as it always was.
    lengths = (
        (weeks,) if weeks <= schema.taper.weeks else taper_weeks(inputs.race_distance_m, weeks)
    )
    default = TaperSpec(min(schema.taper.weeks, weeks), schema.taper.reduction)
    return choose_taper(
        default,
        lengths,
        evaluate,
        inputs.response,
        inputs.response_samples,
        inputs.response_basis,
        (inputs.race_distance_m, race_time_s),
        PEAK_GAPS,
    )


Replan = Callable[[int, float], PlannedDay]
"""The day at index k planned again at a load (its intensity kept, its length scaled)."""
Limit = Callable[[list[PlannedDay], Sequence[int]], None]
"""The week's days (indexes) brought within the per-session limits of ``limits`` at the
week's distance, in place, the load a limit took off moved into easy running."""


def _distance(days: Sequence[PlannedDay], indexes: Sequence[int]) -> float:
    return sum(days[k].distance_m for k in indexes)


def _fit_week(
    days: list[PlannedDay],
    indexes: Sequence[int],
    base: dict[int, float],
    target_m: float,
    replan: Replan,
    limit: Limit,
) -> None:
    """The week's days (``indexes``) scaled together from their ``base`` loads until their
    distance is ``target_m``, then brought within the per-session limits and the distance
    a session gave up put back into the days the limits left alone and the easy runs, up
    to ``REFILL_ROUNDS`` times, the limits applied last (in place)."""

    def rounds(scaled: Sequence[int], factor: float) -> None:
        fixed = _distance(days, [k for k in indexes if k not in scaled])
        last = 0.0
        for _ in range(FIT_ROUNDS):
            for k in scaled:
                days[k] = replan(k, base[k] * factor)
            now = _distance(days, indexes)
            moving = now - fixed
            if moving <= 0 or abs(now - target_m) <= FIT_TOLERANCE * target_m:
                return
            if moving <= last * (1.0 + FIT_TOLERANCE) and factor > 1.0 and now < target_m:
                return  # the sessions are at their longest: more load runs no further
            last = moving
            # Each round moves the factor by at most 5 × either way, relative to the last:
            # a week the limits collapsed starts from tiny base loads and needs more.
            factor *= min(max(max(target_m - fixed, 0.0) / moving, 0.2), 5.0)
            factor = min(factor, FACTOR_MAX)

    now = _distance(days, indexes)
    if now <= 0 or target_m <= 0:
        return
    rounds(indexes, target_m / now)
    for _ in range(REFILL_ROUNDS):
        before = {k: days[k] for k in indexes}
        limit(days, indexes)
        changed = [k for k in indexes if days[k] is not before[k]]
        short = abs(_distance(days, indexes) - target_m) > FIT_TOLERANCE * target_m
        if not changed and not short:
            return
        # The distance the limits took goes to the days they left alone and to easy runs
        # (a quality session the limits made an easy run too): each limit is a share of the
        # week's distance, so a week refilled only from untouched days can shrink round
        # after round (two sessions and the race: long run ≤ 30 %, the other's marathon
        # pace ≤ 20 %), far below its aim.
        free = [
            k
            for k in indexes
            if k not in changed
            or (days[k].kind in EASY_KINDS and not days[k].hard and days[k].slot != LONG_SLOT)
        ]
        if not free:
            return
        share = sum(base[k] for k in free) or 1.0
        rounds(free, sum(days[k].load for k in free) / share)
    # A refill grows the sessions a limit left alone, a quality session among them past
    # its share of the week: the limits have the last word.
    limit(days, indexes)


def _never_further(
    days: Sequence[PlannedDay],
    by_week: Sequence[Sequence[int]],
    base: dict[int, float],
    replan: Replan,
    limit: Limit,
) -> list[PlannedDay]:
    """A plan that is all taper (no peak week to taper from): its weeks as laid out, each
    fitted down to the week before it where it would run further (sessions held at their
    kinds' shortest can make race week the longer: a 2-week marathon from 1.4 h a week ran
    7.7 km after 6.8 km). Volume only comes down in a taper (Bosquet 2007)."""
    out = list(days)
    for before, week in itertools.pairwise(by_week):
        cap_m = _distance(out, before)
        if week and _distance(out, week) > cap_m * (1.0 + FIT_TOLERANCE):
            _fit_week(out, week, base, cap_m * (1.0 - FIT_TOLERANCE), replan, limit)
    return out


def fit_taper_volume(
    days: Sequence[PlannedDay],
    race: PlannedDay,
    inputs: PlanInputs,
    start: dt.date,
    weeks: int,
    taper: int,
    reduction: float,
    replan: Replan,
    limit: Limit,
) -> list[PlannedDay]:
    """``days`` (in date order, the race not among them) with their last ``taper`` weeks
    fitted to the taper's distance (module doc)."""
    first_taper = weeks - taper
    body: dict[int, float] = {}
    for d in days:
        if d.week < first_taper:
            body[d.week] = body.get(d.week, 0.0) + d.distance_m
    if taper < 1:
        return list(days)
    by_week = [[k for k, d in enumerate(days) if d.week == first_taper + j] for j in range(taper)]
    base = {k: days[k].load for week in by_week for k in week}
    if not body:
        return _never_further(days, by_week, base, replan, limit)
    peak_m = max(body.values())
    low, high = BOSQUET_VOLUME[0] + AIM_INSIDE, BOSQUET_VOLUME[1] - AIM_INSIDE
    depth = min(max(reduction, low), high)

    def shaped(mean: float, spread: float) -> list[PlannedDay]:
        out = list(days)
        for j, r in enumerate(week_reductions(mean, taper, spread)):
            _fit_week(out, by_week[j], base, peak_m * (1.0 - r), replan, limit)
        note = f"taper: {mean:.0%} below the peak week's distance on average (Bosquet 2007)"
        for week in by_week:
            for k in week:
                out[k] = replace(out[k], target_load=out[k].load, notes=(*out[k].notes, note))
        return out

    def form_margin(candidate: list[PlannedDay]) -> float:
        sessions = [(d.date, d.load) for d in (*candidate, race)]
        projection = project(
            start, weeks, sessions, inputs.start_state, inputs.history_params, inputs.limits
        )
        low_form = inputs.limits.race_form_low(eve_ctl(projection.days, inputs.start_state))
        return projection.race_day_form - low_form

    trials = [(depth, TAPER_SPREAD)]
    step = depth + DEPTH_STEP
    while step < high - 1e-9:
        trials.append((step, TAPER_SPREAD))
        step += DEPTH_STEP
    if depth < high:
        trials.append((high, TAPER_SPREAD))
    if taper > 1:
        trials += [(high, spread) for spread in SPREADS]
    # Then shallower aims: a light week's sessions held at their caps (the long run's share,
    # Daniels' time at intensity) can land its distance below the aim, the taper too deep.
    step = depth - DEPTH_STEP
    while step > low + 1e-9:
        trials.append((step, TAPER_SPREAD))
        step -= DEPTH_STEP
    trials.append((low, TAPER_SPREAD))

    def outside(candidate: list[PlannedDay]) -> float:
        """How far the taper as laid out lies outside Bosquet's range of the peak's
        distance, to the whole percent (0: inside)."""
        done = [sum(candidate[k].distance_m for k in week) for week in by_week]
        mean = round(1.0 - sum(done) / len(done) / peak_m, 2)
        return round(max(BOSQUET_VOLUME[0] - mean, mean - BOSQUET_VOLUME[1], 0.0), 2)

    # None inside the range with form enough: the nearest the range, then the best form
    # (a week whose sessions are at their caps cannot reach its aim; the deepest of such
    # trials, best for form, would lie furthest outside).
    best: tuple[tuple[bool, float, float], list[PlannedDay]] | None = None
    for mean, spread in trials:
        candidate = shaped(mean, spread)
        off = outside(candidate)
        score = (off == 0.0, -off, form_margin(candidate))
        if score[0] and score[2] >= 0:
            return candidate
        if best is None or score > best[0]:
            best = (score, candidate)
    assert best is not None
    return best[1]


def told_too_short(
    days: Sequence[PlannedDay], taper_weeks: range, form: float
) -> tuple[PlannedDay, ...]:
    """``days`` (the whole plan's, the race among them), their reasons (``why``) on the
    taper's days (``taper_weeks``) telling the coach the plan is too short to be fresh
    when race-day ``form``, the plan's last projection, is negative (module doc): what
    the taper's search and fit could not avoid, or a plan that is all taper (no peak week
    to taper from). Said from the plan as generated, so every such plan says it, with
    its form."""
    if form >= 0:
        return tuple(days)
    note = too_short_note(form, all_taper=taper_weeks.start <= 0)
    weeks = set(taper_weeks)
    told = [d for d in days if d.week in weeks and not d.is_race] or [
        d for d in days if d.week in weeks
    ]
    return tuple(replace(d, why=(*d.why, note)) if any(d is t for t in told) else d for d in days)


def too_short_note(form: float, all_taper: bool = False) -> str:
    """The coach's note on a taper that cannot bring race-day form to zero (module doc);
    ``all_taper``: the plan is all taper, no peak week before it."""
    low, high = BOSQUET_VOLUME
    how = (
        "the plan all taper, with no peak week before it"
        if all_taper
        else f"the taper {low:.0%}–{high:.0%} below the peak week (Bosquet 2007)"
    )
    return (
        f"{TOO_SHORT} on race day: form {form:+.1f} with {how}; a longer plan, or more "
        "fitness at its start, lets the runner arrive fresh"
    )
