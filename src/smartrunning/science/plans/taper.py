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

**Uncertainty.** The difference between the chosen taper and the template's default is
computed again for every bootstrap parameter set of the runner's fit
(``ResponseFit.samples``); its 2.5–97.5 percentiles are the band. With the population
values there is no fit and no band, and the choice says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from smartrunning.science.predictions import vdot, vdot_time_s
from smartrunning.science.response import POPULATION, ResponseParams

__all__ = [
    "BOSQUET_VOLUME",
    "DEPTHS",
    "TaperCandidate",
    "TaperChoice",
    "TaperSpec",
    "choose_taper",
    "race_day_gain",
    "taper_weeks",
]

BOSQUET_VOLUME: Final = (0.41, 0.60)
"""The taper's volume (distance) below the peak week, mean over its weeks (Bosquet 2007)."""
DEPTHS: Final = (0.41, 0.45, 0.50, 0.55, 0.60)
MARATHON_M: Final = 30_000.0
"""Races at least this long take a 2–3 week taper; shorter ones 1–3 weeks."""


@dataclass(frozen=True, slots=True)
class TaperSpec:
    """``weeks`` of taper whose mean weekly distance is ``reduction`` below the peak's."""

    weeks: int
    reduction: float


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


Evaluate = Callable[[TaperSpec], tuple[Sequence[float], float, tuple[float, float]]]
"""A candidate's daily loads (plan start to the day before the race), its race-day form
and the acceptable range of form (``PlanLimits.race_form_low`` to ``race_form[1]``)."""


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


def choose_taper(
    default: TaperSpec,
    lengths: Sequence[int],
    evaluate: Evaluate,
    params: ResponseParams | None = None,
    samples: Sequence[ResponseParams] = (),
    basis: str = "",
    race: tuple[float, float | None] = (0.0, None),
) -> TaperChoice:
    """The taper of ``lengths`` × ``DEPTHS`` (and ``default``, when its length is one of
    ``lengths``) with the highest race-day
    gain under ``params`` (the population values when None) among those whose form is
    acceptable (module doc); ties go to the default, then the shorter, shallower taper.
    ``race``: (distance, predicted time) to state the difference as time."""
    fitted = params is not None
    model = params if params is not None else POPULATION
    default = TaperSpec(default.weeks, _clamp(default.reduction))
    specs = [default] + [
        TaperSpec(n, d) for n in lengths for d in DEPTHS if TaperSpec(n, d) != default
    ]
    candidates: list[TaperCandidate] = []
    loads: dict[TaperSpec, Sequence[float]] = {}
    for spec in specs:
        daily, form, (lowest, highest) = evaluate(spec)
        loads[spec] = daily
        gain = float(race_day_gain(daily, [model])[0])
        off = max(lowest - form, form - highest, 0.0)
        candidates.append(TaperCandidate(spec, gain, form, off))
    # The template's default is judged and shown, but chosen only at an allowed length.
    allowed = [c for c in candidates if c.spec.weeks in lengths] or candidates
    pool = [c for c in allowed if c.feasible] or [min(allowed, key=lambda c: c.off_range)]
    best = pool[0]
    for c in pool[1:]:
        if c.gain > best.gain + 1e-12:
            best = c
    first = candidates[0]
    difference = best.gain - first.gain
    band: tuple[float, float] | None = None
    if fitted and samples:
        spread = race_day_gain(loads[best.spec], samples) - race_day_gain(
            loads[first.spec], samples
        )
        band = _percentiles(spread)
    distance_m, time_s = race
    time_change = _race_time(distance_m, time_s, difference)
    time_band: tuple[float, float] | None = None
    if band is not None:
        low = _race_time(distance_m, time_s, band[0])
        high = _race_time(distance_m, time_s, band[1])
        if low is not None and high is not None:
            time_band = (min(low, high), max(low, high))
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
        time_s=time_change,
        time_band_s=time_band,
        chosen_form=best.form,
        default_form=first.form,
        candidates=tuple(candidates),
    )
