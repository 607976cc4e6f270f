"""The taper chosen for race day: its length and depth, by the runner's response model.

SCIENCE.md "Plan generation", "Targets and limits" (taper) and "Fitted response model".

**The limits every candidate keeps.** Depth: the taper's mean weekly distance 41–60 %
below the peak week's (Bosquet et al., MSSE 2007 meta-analysis: −41 to −60 % of volume
was best; ``BOSQUET_VOLUME``), tried at ``DEPTHS``. Length by race (``taper_weeks``):
SCIENCE.md "1–3 weeks by race"; Bosquet found 8–14 days best over all events, so the
marathon takes 2–3 weeks (Daniels, Pfitzinger: three weeks before a marathon) and shorter
races 1–3 (with the population values the shortest whose form is acceptable wins, so a
third week only where a runner of low fitness needs it); never more than the plan has
weeks to spare (one week of training before it at least). Intensity and
frequency are the generator's (``limits.taper_over_limits``). Race-day form (TSB)
within the plan's range, ``PlanLimits.race_form_low`` (never negative) to
``race_form[1]``: a candidate outside it is only taken when none is inside (the one
nearest the range then).

**The objective.** Banister's performance going into race day, p = p₀ + k₁·g − k₂·h
(``science.response``), from each candidate's daily target loads (the generator's own
layout: blocks, weekly loads, days; ``generate``). The loads before the plan are the same
for every candidate, so the difference between two candidates is
Σ_j L_j (k₁ e^(−(T−j)/τ₁) − k₂ e^(−(T−j)/τ₂)) over the plan's days j before race day T
(``race_day_gain``). With the population values (k₂/k₁ = 2, τ₁ = 42 d, τ₂ = 7 d) a day's
load helps race day when it lies more than τ₁τ₂ ln(k₂/k₁)/(τ₁ − τ₂) ≈ 5.8 days before it
and costs otherwise; slower-decaying fatigue (larger τ₂) moves that point back, and a
longer taper wins. Depth is stated in distance (Bosquet's volume); the candidates' loads
come down by the same fraction, a slight overstatement of the load taken off (with the
sessions' intensity kept, distance falls a little further than load).

**The peak's timing.** Each length and depth is tried with the peak (highest-load) week
right before the taper (``peak_gap`` 0: the generator's layout, the template's default)
and one week earlier (``PEAK_GAPS``): the build ends a week sooner and an absorption week
at the last build block's recovery drop below the peak (25–35 %, as the generator's
recovery weeks; never below the taper's first week) comes between the peak and the taper
(``peak_outlines``). Every limit of the layout holds as it is: the build is the
generator's own (growth ≤ 10 % a week, acute:chronic ≤ 1.3, its recovery weeks), the
absorption week only comes down, counts as a recovery week and is followed by the taper,
whose depth (41–60 %) is measured from the peak week. Scored by the same race-day gain,
with the same floor of race-day form (an absorption week is also a way to arrive fresh:
a runner whose gain asks for a one-week taper that leaves form below the floor may
take it with an easier week before it rather than a second taper week). The earlier
peak swaps load at the peak for less, a taper's length further from race day: it wins
where a load there costs race day, i.e. lies within the break-even
x* = ln(k₂/k₁)/(1/τ₂ − 1/τ₁) (5.8 d with the population values; 25.6 d with τ₂ = 15 d
and k₂/k₁ = 3, beyond a 3-week taper; 22 d with τ₁ = 60 d besides: a longer fitness τ₁
shortens x*, as a late peak's fitness then lasts), net of the week of the build's growth
it gives up, which the model counts
(``PeakTiming`` states the difference against the best taper with the template's timing,
or, when that is chosen, with the other). A plan whose build
has fewer than ``MIN_BUILD_WEEKS`` weeks after the shift, or whose last build block has
no week to give, keeps its peak before the taper.

**Uncertainty.** The difference between the chosen taper and the template's default is
computed again for every bootstrap parameter set of the runner's fit
(``ResponseFit.samples``); its 2.5–97.5 percentiles are the band. With the population
values there is no fit and no band, and the choice says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np

from smartrunning.science.plans.layout import WeekOutline, week_loads
from smartrunning.science.plans.schema import PlanSchema
from smartrunning.science.predictions import vdot, vdot_time_s
from smartrunning.science.response import POPULATION, ResponseParams

__all__ = [
    "BOSQUET_VOLUME",
    "DEPTHS",
    "PEAK_GAPS",
    "PeakTiming",
    "TaperCandidate",
    "TaperChoice",
    "TaperSpec",
    "choose_taper",
    "peak_outlines",
    "peak_text",
    "race_day_gain",
    "taper_weeks",
]

BOSQUET_VOLUME: Final = (0.41, 0.60)
"""The taper's volume (distance) below the peak week, mean over its weeks (Bosquet 2007)."""
DEPTHS: Final = (0.41, 0.45, 0.50, 0.55, 0.60)
MARATHON_M: Final = 30_000.0
"""Races at least this long take a 2–3 week taper; shorter ones 1–3 weeks."""
PEAK_GAPS: Final = (0, 1)
"""Weeks between the peak week and the taper tried (module doc): 0, the template's."""
MIN_BUILD_WEEKS: Final = 2
"""An earlier peak leaves at least this many weeks of build before the absorption week."""
ABSORB_DROP: Final = 0.25
"""The absorption week's drop below the peak when its block states no recovery drop."""


@dataclass(frozen=True, slots=True)
class TaperSpec:
    """``weeks`` of taper whose mean weekly distance is ``reduction`` below the peak's;
    ``peak_gap``: weeks between the peak week and the taper (0: right before it)."""

    weeks: int
    reduction: float
    peak_gap: int = 0


@dataclass(frozen=True, slots=True)
class TaperCandidate:
    """A taper tried: its race-day gain (VDOT, model units relative to the plan's start)
    and race-day form (TSB); ``off_range``: how far form lies outside the acceptable range
    (0: inside, the candidate is feasible)."""

    spec: TaperSpec
    gain: float
    form: float
    off_range: float

    @property
    def feasible(self) -> bool:
        return self.off_range == 0.0


@dataclass(frozen=True, slots=True)
class PeakTiming:
    """The peak's timing chosen (``chosen``: weeks between the peak week and the taper)
    beside the template's (``default``, 0): ``compared`` is the taper that would have been
    chosen with another timing (the template's when another was chosen, else the other
    one tried; its own length and depth, as the search chooses them); ``difference`` =
    race-day performance of the choice minus that of ``compared``, VDOT: what searching
    the timing gains; ``band`` its 95 % bootstrap interval (None without a fit);
    ``time_s`` / ``time_band_s`` the same as race time (negative: faster);
    ``compared_form``: race-day form with ``compared``."""

    chosen: int
    default: int
    compared: TaperSpec
    difference: float
    band: tuple[float, float] | None
    time_s: float | None
    time_band_s: tuple[float, float] | None
    compared_form: float


@dataclass(frozen=True, slots=True)
class TaperChoice:
    """The taper chosen beside the template's default (``default``, as the schema has it,
    its depth brought within Bosquet's range).

    ``fitted``: the runner's fitted response model was used (else the population values);
    ``basis``: which and why, in words. ``difference``: predicted race-day performance of
    the chosen minus the default, VDOT; ``band``: its 95 % bootstrap interval (None
    without a fit); ``time_s``/``time_band_s``: the same as race time (negative: faster),
    when the race time is known. ``candidates``: every taper tried."""

    default: TaperSpec
    chosen: TaperSpec
    fitted: bool
    basis: str
    difference: float
    band: tuple[float, float] | None
    time_s: float | None
    time_band_s: tuple[float, float] | None
    chosen_form: float
    default_form: float
    candidates: tuple[TaperCandidate, ...]
    peak: PeakTiming | None = None
    """The peak's timing beside the template's (None: only the template's was possible)."""


def taper_weeks(race_distance_m: float, plan_weeks: int) -> tuple[int, ...]:
    """Taper lengths allowed for a race (module doc), within a plan of ``plan_weeks``."""
    low, high = (2, 3) if race_distance_m >= MARATHON_M else (1, 3)
    most = max(1, plan_weeks - 1)
    allowed = tuple(n for n in range(low, high + 1) if n <= most)
    return allowed or (min(low, plan_weeks),)


def race_day_gain(loads: Sequence[float], params: Sequence[ResponseParams]) -> np.ndarray:
    """k₁·g − k₂·h going into the day after the last of ``loads`` (the race), for each
    parameter set: Σ_j L_j (k₁ e^(−lag_j/τ₁) − k₂ e^(−lag_j/τ₂)), lag 1 for the last load."""
    load = np.asarray(loads, dtype=np.float64)
    lag = np.arange(len(load), 0, -1, dtype=np.float64)
    k1 = np.array([p.k1 for p in params])[:, None]
    k2 = np.array([p.k2 for p in params])[:, None]
    t1 = np.array([p.tau1_d for p in params])[:, None]
    t2 = np.array([p.tau2_d for p in params])[:, None]
    weights = k1 * np.exp(-lag / t1) - k2 * np.exp(-lag / t2)
    return np.asarray(weights @ load, dtype=np.float64)


Evaluate = Callable[[TaperSpec], tuple[Sequence[float], float, tuple[float, float]] | None]
"""A candidate's daily loads (plan start to the day before the race), its race-day form
and the acceptable range of form (``PlanLimits.race_form_low`` to ``race_form[1]``);
None: the candidate cannot be laid out (a peak timing the plan has no weeks for)."""


def peak_outlines(
    schema: PlanSchema,
    lengths: Sequence[int],
    first_load: float,
    capacity: Sequence[float] | None,
    recovery_every: int | None,
    gap: int,
) -> tuple[WeekOutline, ...] | None:
    """The plan's weeks (``layout.week_loads``) with the peak week ``gap`` weeks before the
    taper (module doc): the last build block ``gap`` weeks shorter, then ``gap``
    absorption weeks (recovery weeks of that block) at the peak × (1 − its recovery
    drop), never below the taper's first week, then the taper, its loads from the peak.
    None when the plan cannot take it."""
    if gap <= 0:
        return week_loads(schema, lengths, first_load, capacity, recovery_every)
    taper_index = len(schema.blocks) - 1
    body = [index for index in range(taper_index) if lengths[index] > 0]
    if not body:
        return None
    last = body[-1]
    block = schema.blocks[last]
    if (
        block.kind == "recovery"
        or lengths[last] <= gap
        or sum(lengths[:taper_index]) - gap < MIN_BUILD_WEEKS
    ):
        return None
    shorter = list(lengths)
    shorter[last] -= gap
    laid = week_loads(schema, shorter, first_load, capacity, recovery_every)
    build = [w for w in laid if w.block_index != taper_index]
    taper = [w for w in laid if w.block_index == taper_index]
    peak = build[-1].load
    absorb = peak * (1.0 - (block.recovery_drop or ABSORB_DROP))
    if taper:
        absorb = min(max(absorb, taper[0].load), peak)
    between = [WeekOutline(len(build) + j, last, True, absorb) for j in range(gap)]
    return (*build, *between, *(replace(w, index=w.index + gap) for w in taper))


def peak_text(gap: int) -> str:
    """The peak's timing in words (the pages and the CLI): where the peak week lies."""
    if gap <= 0:
        return "right before the taper"
    if gap == 1:
        return "a week earlier, an easier week before the taper"
    return f"{gap} weeks earlier, {gap} easier weeks before the taper"


def _clamp(reduction: float) -> float:
    low, high = BOSQUET_VOLUME
    return min(max(reduction, low), high)


def _percentiles(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def _race_time(race_distance_m: float, race_time_s: float | None, gain: float) -> float | None:
    """Race time change for a VDOT change of ``gain`` from the predicted race time."""
    if race_time_s is None or not math.isfinite(race_time_s) or race_time_s <= 0:
        return None
    level = vdot(race_distance_m, race_time_s)
    if level + gain <= 0:
        return None
    return vdot_time_s(level + gain, race_distance_m) - race_time_s


def _time_band(
    distance_m: float, time_s: float | None, band: tuple[float, float] | None
) -> tuple[float, float] | None:
    if band is None:
        return None
    low = _race_time(distance_m, time_s, band[0])
    high = _race_time(distance_m, time_s, band[1])
    if low is None or high is None:
        return None
    return (min(low, high), max(low, high))


def _best(candidates: Sequence[TaperCandidate], lengths: Sequence[int]) -> TaperCandidate:
    """The best of ``candidates``: at an allowed length (the template's default is judged
    and shown, but chosen only at one), form acceptable (else the nearest to the range),
    the highest gain; ties to the first."""
    allowed = [c for c in candidates if c.spec.weeks in lengths] or list(candidates)
    pool = [c for c in allowed if c.feasible] or [min(allowed, key=lambda c: c.off_range)]
    best = pool[0]
    for c in pool[1:]:
        if c.gain > best.gain + 1e-12:
            best = c
    return best


def choose_taper(
    default: TaperSpec,
    lengths: Sequence[int],
    evaluate: Evaluate,
    params: ResponseParams | None = None,
    samples: Sequence[ResponseParams] = (),
    basis: str = "",
    race: tuple[float, float | None] = (0.0, None),
    peak_gaps: Sequence[int] = (0,),
) -> TaperChoice:
    """The taper of ``lengths`` × ``DEPTHS`` × ``peak_gaps`` (and ``default``, when its
    length is one of ``lengths``) with the highest race-day gain under ``params`` (the
    population values when None) among those whose form is acceptable (module doc); ties
    go to the default, then the shorter, shallower taper, the later peak. ``race``:
    (distance, predicted time) to state the difference as time."""
    fitted = params is not None
    model = params if params is not None else POPULATION
    default = TaperSpec(default.weeks, _clamp(default.reduction), default.peak_gap)
    specs = [default] + [
        TaperSpec(n, d, g)
        for n in lengths
        for d in DEPTHS
        for g in peak_gaps
        if TaperSpec(n, d, g) != default
    ]
    candidates: list[TaperCandidate] = []
    loads: dict[TaperSpec, Sequence[float]] = {}
    for spec in specs:
        found = evaluate(spec)
        if found is None:
            continue
        daily, form, (lowest, highest) = found
        loads[spec] = daily
        gain = float(race_day_gain(daily, [model])[0])
        off = max(lowest - form, form - highest, 0.0)
        candidates.append(TaperCandidate(spec, gain, form, off))
    best = _best(candidates, lengths)
    first = candidates[0]
    distance_m, time_s = race

    def spread(a: TaperSpec, b: TaperSpec) -> tuple[float, float] | None:
        if not (fitted and samples):
            return None
        return _percentiles(race_day_gain(loads[a], samples) - race_day_gain(loads[b], samples))

    difference = best.gain - first.gain
    band = spread(best.spec, first.spec)
    return TaperChoice(
        default=default,
        chosen=best.spec,
        fitted=fitted,
        basis=basis
        or (
            "the runner's fitted response model"
            if fitted
            else "population values (k₁ = 1, k₂ = 2, τ₁ = 42 d, τ₂ = 7 d): no fit of the runner"
        ),
        difference=difference,
        band=band,
        time_s=_race_time(distance_m, time_s, difference),
        time_band_s=_time_band(distance_m, time_s, band),
        chosen_form=best.form,
        default_form=first.form,
        candidates=tuple(candidates),
        peak=_peak_timing(best, default.peak_gap, candidates, lengths, spread, race),
    )


def _peak_timing(
    best: TaperCandidate,
    default_gap: int,
    candidates: Sequence[TaperCandidate],
    lengths: Sequence[int],
    spread: Callable[[TaperSpec, TaperSpec], tuple[float, float] | None],
    race: tuple[float, float | None],
) -> PeakTiming | None:
    """The chosen peak timing against the best taper with another timing (the template's
    when another was chosen), chosen as ``_best`` chooses: what searching the timing gains."""
    others = [c for c in candidates if c.spec.peak_gap != best.spec.peak_gap]
    if best.spec.peak_gap != default_gap:
        others = [c for c in others if c.spec.peak_gap == default_gap]
    if not others:
        return None
    other = _best(others, lengths)
    difference = best.gain - other.gain
    band = spread(best.spec, other.spec)
    distance_m, time_s = race
    return PeakTiming(
        chosen=best.spec.peak_gap,
        default=default_gap,
        compared=other.spec,
        difference=difference,
        band=band,
        time_s=_race_time(distance_m, time_s, difference),
        time_band_s=_time_band(distance_m, time_s, band),
        compared_form=other.form,
    )
