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
the week's distance (a quality session shortened, no load moved into easy running). A
session may go down to ``generate.TAPER_SHORTEST_S`` (10 min) and stays there. If race-day
form then falls
below ``PlanLimits.race_form_low`` (never negative), the depth is raised in steps of
2.5 points to 60 % and then the reduction moved toward the race week (spread 0.35, 0.5);
the first that reaches it is kept, else the one with the best form (the projection then
warns, and the choice of a longer taper, which the search makes when one reaches it,
is the remedy). Only the taper's own weeks change.
"""

from __future__ import annotations

import datetime as dt
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
from smartrunning.science.plans.model import PlanInputs, PlannedDay
from smartrunning.science.plans.project import eve_ctl, project
from smartrunning.science.plans.schema import PlanSchema
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

__all__ = ["fit_taper_volume", "plan_taper_choice", "week_reductions", "with_taper"]

DEPTH_STEP: Final = 0.025
"""Depth raised in steps of 2.5 points when form is short."""
SPREADS: Final = (0.35, 0.5)
"""Then the reduction moved toward the race week."""
FIT_ROUNDS: Final = 5
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
week's distance, in place (no load moved: the taper only comes down)."""


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
    a quality session gave up put back into the others (in place)."""

    def rounds(scaled: Sequence[int], factor: float) -> None:
        fixed = _distance(days, [k for k in indexes if k not in scaled])
        for _ in range(FIT_ROUNDS):
            for k in scaled:
                days[k] = replan(k, base[k] * factor)
            now = _distance(days, indexes)
            moving = now - fixed
            if moving <= 0 or abs(now - target_m) <= FIT_TOLERANCE * target_m:
                return
            factor = min(max(factor * max(target_m - fixed, 0.0) / moving, 0.05), 5.0)

    now = _distance(days, indexes)
    if now <= 0 or target_m <= 0:
        return
    rounds(indexes, target_m / now)
    before = {k: days[k] for k in indexes}
    limit(days, indexes)
    changed = [k for k in indexes if days[k] is not before[k]]
    if changed:
        free = [k for k in indexes if k not in changed]
        if free:
            share = sum(base[k] for k in free) or 1.0
            rounds(free, sum(days[k].load for k in free) / share)


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
    if not body or taper < 1:
        return list(days)
    peak_m = max(body.values())
    by_week = [[k for k, d in enumerate(days) if d.week == first_taper + j] for j in range(taper)]
    base = {k: days[k].load for week in by_week for k in week}
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

    def inside(candidate: list[PlannedDay]) -> bool:
        """Whether the taper as laid out is within Bosquet's range of the peak's distance."""
        done = [sum(candidate[k].distance_m for k in week) for week in by_week]
        mean = 1.0 - sum(done) / len(done) / peak_m
        return BOSQUET_VOLUME[0] <= round(mean, 2) <= BOSQUET_VOLUME[1]

    best: tuple[tuple[bool, float], list[PlannedDay]] | None = None
    for mean, spread in trials:
        candidate = shaped(mean, spread)
        score = (inside(candidate), form_margin(candidate))
        if score[0] and score[1] >= 0:
            return candidate
        if best is None or score > best[0]:
            best = (score, candidate)
    assert best is not None
    return best[1]
