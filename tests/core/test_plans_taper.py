"""The taper chosen for race day (issue #20 item 3) and kept within Bosquet's limits
(issue #15): ``science.plans.taper`` and its use in ``generate_plan``."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from smartrunning.science.plans import generate_plan
from smartrunning.science.plans.layout import block_weeks, start_load, week_loads
from smartrunning.science.plans.limits import taper_over_limits
from smartrunning.science.plans.race_week import week_reductions
from smartrunning.science.plans.taper import (
    BOSQUET_VOLUME,
    DEPTHS,
    TaperSpec,
    choose_taper,
    peak_outlines,
    race_day_gain,
    taper_weeks,
)
from smartrunning.science.predictions import vdot, vdot_time_s
from smartrunning.science.response import K_VDOT_PER_LOAD, POPULATION, ResponseParams
from tests.core.plan_checks import assert_every_limit
from tests.core.plan_inputs import DEFAULTS, inputs

K = K_VDOT_PER_LOAD
SLOW_FATIGUE = ResponseParams(p0=0.0, k1=K, k2=2 * K, tau1_d=42.0, tau2_d=15.0)
"""Fatigue decaying over 15 days instead of 7 (the top of the fit's bounds)."""


def synthetic(
    form: dict[int, float] | None = None, build_days: int = 70, daily: float = 60.0
) -> callable:  # type: ignore[valid-type]
    """A plan of ``build_days`` at ``daily`` load, then the taper: week j of n at
    daily × (1 − r_j), r_j stepping 0.8–1.2 × the depth (as the generator lays it out);
    ``form``: race-day form by taper length (default +10, the range +5 to +25)."""

    def evaluate(spec: TaperSpec) -> tuple[list[float], float, tuple[float, float]]:
        loads = [daily] * build_days
        for r in week_reductions(spec.reduction, spec.weeks):
            loads += [daily * (1 - r)] * 7
        return loads[:-1], (form or {}).get(spec.weeks, 10.0), (5.0, 25.0)

    return evaluate


def test_race_day_gain_worked_example() -> None:
    # One load of 100 the day before the race: 100 (k₁ e^(−1/42) − k₂ e^(−1/7)).
    expected = 100 * (K * math.exp(-1 / 42) - 2 * K * math.exp(-1 / 7))
    assert race_day_gain([100.0], [POPULATION])[0] == pytest.approx(expected)
    assert expected < 0  # fatigue outweighs fitness a day out
    # Population values: a load helps race day only more than
    # τ₁τ₂ ln(k₂/k₁)/(τ₁ − τ₂) = 42·7·ln 2/35 ≈ 5.82 days before it.
    five = race_day_gain([1.0, 0, 0, 0, 0], [POPULATION])[0]
    six = race_day_gain([1.0, 0, 0, 0, 0, 0], [POPULATION])[0]
    assert five < 0 < six
    # Two parameter sets at once, one row each.
    both = race_day_gain([50.0] * 30, [POPULATION, SLOW_FATIGUE])
    assert both.shape == (2,)
    assert both[1] < both[0]


def test_taper_lengths_by_race_and_plan() -> None:
    assert taper_weeks(5000.0, 10) == (1, 2, 3)
    assert taper_weeks(21097.5, 16) == (1, 2, 3)
    assert taper_weeks(42195.0, 18) == (2, 3)
    assert taper_weeks(42195.0, 3) == (2,)  # one week of training before the taper
    assert taper_weeks(10000.0, 3) == (1, 2)
    assert taper_weeks(10000.0, 1) == (1,)


def _closed_form(spec: TaperSpec, p: ResponseParams, build_days: int = 70) -> float:
    """The synthetic plan's race-day gain written out day by day (independent of
    ``race_day_gain``): Σ L_d (k₁ e^(−lag/τ₁) − k₂ e^(−lag/τ₂))."""
    loads = [60.0] * build_days
    for r in week_reductions(spec.reduction, spec.weeks):
        loads += [60.0 * (1 - r)] * 7
    loads = loads[:-1]
    total = 0.0
    for d, load in enumerate(loads):
        lag = len(loads) - d
        total += load * (p.k1 * math.exp(-lag / p.tau1_d) - p.k2 * math.exp(-lag / p.tau2_d))
    return total


def test_population_values_have_a_known_optimum() -> None:
    """With τ₂ = 7 d the race week's load costs more than it gives (Σ over lags 1–7 of
    k₁e^(−l/42) − k₂e^(−l/7) < 0), so one week's taper is best at its deepest, 60 %;
    with two weeks allowed the race week goes deeper still (72 % with the 0.8–1.2 steps)
    and the week before costs little: two weeks at 60 %. Every candidate is compared."""
    p = POPULATION
    assert sum(p.k1 * math.exp(-lag / 42) - p.k2 * math.exp(-lag / 7) for lag in range(1, 8)) < 0
    one = choose_taper(TaperSpec(1, 0.5), (1,), synthetic())
    assert one.chosen == TaperSpec(1, 0.60)
    choice = choose_taper(TaperSpec(1, 0.5), (1, 2), synthetic())
    specs = [c.spec for c in choice.candidates]
    best = max(specs, key=lambda s: _closed_form(s, p))
    assert choice.chosen == best == TaperSpec(2, 0.60)
    assert not choice.fitted
    assert "population" in choice.basis
    assert choice.band is None
    for c in choice.candidates:
        assert c.gain == pytest.approx(_closed_form(c.spec, p))
    assert choice.difference == pytest.approx(
        _closed_form(best, p) - _closed_form(TaperSpec(1, 0.5), p)
    )
    assert choice.difference > 0


def test_slowly_decaying_fatigue_chooses_a_longer_taper() -> None:
    population = choose_taper(TaperSpec(1, 0.5), (1, 2, 3), synthetic())
    slow = choose_taper(TaperSpec(1, 0.5), (1, 2, 3), synthetic(), SLOW_FATIGUE)
    assert population.chosen.weeks == 2
    assert slow.chosen == TaperSpec(3, 0.60)
    assert slow.fitted
    specs = [c.spec for c in slow.candidates]
    assert slow.chosen == max(specs, key=lambda s: _closed_form(s, SLOW_FATIGUE))


def test_every_candidate_keeps_the_limits_and_form_decides() -> None:
    # Two weeks leave the runner tired (form +2 < +5): one week is chosen.
    choice = choose_taper(TaperSpec(1, 0.7), (1, 2), synthetic({1: 8.0, 2: 2.0}))
    assert choice.default == TaperSpec(1, 0.60)  # the schema's depth brought into range
    assert choice.chosen.weeks == 1
    assert choice.chosen_form == 8.0
    for c in choice.candidates:
        assert BOSQUET_VOLUME[0] <= c.spec.reduction <= BOSQUET_VOLUME[1]
        assert c.spec.weeks in (1, 2)
        assert c.feasible == (c.spec.weeks == 1)
    assert {c.spec.reduction for c in choice.candidates} == set(DEPTHS)
    # None acceptable: the nearest to the range.
    tired = choose_taper(TaperSpec(1, 0.5), (1, 2), synthetic({1: 1.0, 2: -3.0}))
    assert tired.chosen.weeks == 1


def test_the_band_comes_from_the_bootstrap_sets_and_the_time_from_vdot() -> None:
    same = choose_taper(
        TaperSpec(1, 0.41), (1, 2), synthetic(), POPULATION, (POPULATION,) * 5, "", (10000.0, 2700)
    )
    assert same.band == pytest.approx((same.difference, same.difference))
    level = vdot(10000.0, 2700.0)
    assert same.time_s == pytest.approx(vdot_time_s(level + same.difference, 10000.0) - 2700.0)
    assert same.time_s is not None
    assert same.time_s < 0
    samples = (POPULATION, SLOW_FATIGUE, replace(POPULATION, k2=1.5 * K))
    spread = choose_taper(
        TaperSpec(1, 0.41), (1, 2), synthetic(), POPULATION, samples, "", (10000.0, 2700)
    )
    assert spread.band is not None
    assert spread.band[0] < spread.band[1]
    assert spread.time_band_s is not None
    assert spread.time_band_s[0] <= spread.time_band_s[1]


# In the generator.


@pytest.mark.parametrize("name", ["5k", "10k"])
def test_a_plan_from_no_history_tapers_within_bosquet_and_arrives_fresh(name: str) -> None:
    """Issue #15: a 5 km plan from no history once ended 87 % below its peak (one week
    eased for form); a longer taper reaches form without leaving Bosquet's range, its
    quality session and 80 % of its sessions kept."""
    plan = generate_plan(inputs(name, ctl=0.0))
    assert plan.taper is not None
    assert plan.race_day_form >= 0
    assert not taper_over_limits(plan), taper_over_limits(plan)
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    assert len(taper) == plan.taper.chosen.weeks >= 2


def test_a_fitted_slow_fatigue_lengthens_the_generated_taper() -> None:
    given = inputs("half-marathon", ctl=60.0)
    population = generate_plan(given)
    slow = generate_plan(replace(given, response=SLOW_FATIGUE, response_basis="fitted"))
    assert population.taper is not None
    assert slow.taper is not None
    assert slow.taper.fitted
    assert not population.taper.fitted
    assert slow.taper.chosen.weeks > population.taper.chosen.weeks
    for plan in (population, slow):
        assert not taper_over_limits(plan)
        assert len([w for w in plan.weeks if w.block_kind == "taper"]) == plan.taper.chosen.weeks


# The peak's timing (issue #20 item 3: "and the timing of the peak weeks").

SLOW_HEAVY_FATIGUE = ResponseParams(p0=0.0, k1=K, k2=3 * K, tau1_d=42.0, tau2_d=15.0)
"""Fatigue fading over 15 days (the fit's upper bound) and weighing 3 × fitness: a load
costs race day unless it lies more than x* = ln(k₂/k₁)/(1/τ₂ − 1/τ₁) ≈ 25.6 days
before it, so a 3-week taper's week before (22–28 days out) costs too."""
LONG_FITNESS = replace(SLOW_HEAVY_FATIGUE, tau1_d=60.0)
"""The same with fitness lasting 60 days: x* ≈ 22.0 days, that week helps again (a longer
fitness τ₁ shortens x*: a late peak's fitness is kept)."""
SHORT_TAU = ResponseParams(p0=0.0, k1=K, k2=2 * K, tau1_d=25.0, tau2_d=4.0)
"""Short time constants: fitness over 25 days, fatigue over 4: x* ≈ 3.3 days."""
ABSORB = 0.75
"""The synthetic absorption week, 25 % below the peak (the schemas' recovery drop)."""


Laid = Callable[[TaperSpec], tuple[list[float], float, tuple[float, float]]]


def peaked(build_days: int = 70, daily: float = 60.0) -> Laid:
    """As ``synthetic``, with the peak ``spec.peak_gap`` weeks before the taper: the build
    that many weeks shorter, then absorption weeks at ``ABSORB`` × the peak (the plan's
    length kept)."""

    def evaluate(spec: TaperSpec) -> tuple[list[float], float, tuple[float, float]]:
        loads = [daily] * (build_days - 7 * spec.peak_gap) + [daily * ABSORB] * 7 * spec.peak_gap
        for r in week_reductions(spec.reduction, spec.weeks):
            loads += [daily * (1 - r)] * 7
        return loads[:-1], 10.0, (5.0, 25.0)

    return evaluate


def _gain(spec: TaperSpec, p: ResponseParams) -> float:
    """``peaked``'s race-day gain written out day by day (as ``_closed_form``)."""
    loads, _form, _range = peaked()(spec)
    return sum(
        load * (p.k1 * math.exp(-lag / p.tau1_d) - p.k2 * math.exp(-lag / p.tau2_d))
        for lag, load in zip(range(len(loads), 0, -1), loads, strict=True)
    )


def test_the_peak_moves_earlier_only_where_the_model_says_its_load_costs() -> None:
    """The earlier peak swaps a week at the peak for an easier one 22–28 days before race
    day (a 3-week taper): chosen when that week's load costs race day (x* beyond it), kept
    late when it helps; each choice is the best of every candidate written out."""
    gaps = (0, 1)
    runners = {SLOW_HEAVY_FATIGUE: (3, 1), LONG_FITNESS: (3, 0), SHORT_TAU: (1, 0)}
    for p, (weeks, gap) in runners.items():
        choice = choose_taper(TaperSpec(2, 0.5), (1, 2, 3), peaked(), p, peak_gaps=gaps)
        assert (choice.chosen.weeks, choice.chosen.peak_gap) == (weeks, gap), p
        assert len(choice.candidates) == 3 * len(DEPTHS) * 2  # the default among them
        specs = [c.spec for c in choice.candidates]
        assert choice.chosen == max(specs, key=lambda s: _gain(s, p))
        peak = choice.peak
        assert peak is not None
        assert (peak.chosen, peak.default) == (gap, 0)
        # Against the best taper with the other timing (the template's, or the other tried).
        others = [s for s in specs if s.peak_gap != gap]
        assert peak.compared == max(others, key=lambda s: _gain(s, p))
        assert peak.compared.peak_gap == 1 - gap
        assert peak.difference == pytest.approx(_gain(choice.chosen, p) - _gain(peak.compared, p))
        assert peak.difference > 0
        # The choice's difference against the template's taper includes the timing's.
        assert choice.difference == pytest.approx(
            _gain(choice.chosen, p) - _gain(TaperSpec(2, 0.5), p)
        )


def test_the_peak_band_comes_from_the_bootstrap_sets() -> None:
    p = SLOW_HEAVY_FATIGUE
    samples = (p, replace(p, tau2_d=13.0), replace(p, k2=3.5 * K))
    choice = choose_taper(
        TaperSpec(2, 0.5), (2, 3), peaked(), p, samples, "", (10000.0, 2700.0), (0, 1)
    )
    peak = choice.peak
    assert peak is not None
    assert peak.band is not None
    chosen, other = peaked()(choice.chosen), peaked()(peak.compared)
    spread = race_day_gain(chosen[0], samples) - race_day_gain(other[0], samples)
    assert peak.band == pytest.approx(tuple(np.percentile(spread, [2.5, 97.5])))
    assert peak.time_s is not None
    assert peak.time_s < 0  # faster
    assert peak.time_band_s is not None
    assert peak.time_band_s[0] <= peak.time_s <= peak.time_band_s[1]
    # Without a fit: no band; a single timing tried: no peak comparison.
    assert choose_taper(TaperSpec(2, 0.5), (2,), peaked(), peak_gaps=(0, 1)).peak is not None
    assert choose_taper(TaperSpec(2, 0.5), (2,), peaked()).peak is None


@pytest.mark.parametrize("name", DEFAULTS)
@pytest.mark.parametrize("ctl", [20.0, 45.0])
def test_an_earlier_peak_keeps_the_layouts_limits(name: str, ctl: float) -> None:
    """``peak_outlines`` with the peak a week before the taper: the build is the
    generator's own a week shorter, then an easier week, then the taper from the peak."""
    given = inputs(name, ctl=ctl)
    schema = given.schema
    for weeks in (6, 8, 10, schema.total_weeks):
        lengths = block_weeks(schema, weeks)
        first = start_load(schema, ctl, 0.0, given.recent_weekly_load)
        late = peak_outlines(schema, lengths, first, None, None, 0)
        early = peak_outlines(schema, lengths, first, None, None, 1)
        assert late == week_loads(schema, lengths, first)
        taper_index = len(schema.blocks) - 1
        last = max(b for b in range(taper_index) if lengths[b] > 0)
        if lengths[last] == 1:  # the last build block has no week to give
            assert early is None
            continue
        assert early is not None
        assert len(early) == weeks
        build = [w for w in early if w.block_index != taper_index]
        taper = [w for w in early if w.block_index == taper_index]
        assert [w.index for w in early] == list(range(weeks))
        peak = max(w.load for w in build)
        assert build[-2].load == peak  # the peak week, a week before the taper
        between = build[-1]
        assert between.recovery
        assert taper[0].load <= between.load < peak
        loads = [w.load for w in early]
        for k in range(1, weeks):
            assert loads[k] <= max(loads[max(0, k - 2) : k]) * 1.10 + 1e-6
            chronic = ([first] * 4 + loads[:k])[-4:]
            assert loads[k] <= 1.3 * sum(chronic) / 4 + 1e-6
        reductions = [1 - w.load / peak for w in taper]
        assert all(0.0 < r < 1.0 for r in reductions)
    # A build too short to give a week keeps its peak before the taper.
    short = block_weeks(schema, schema.taper.weeks + 2)
    assert peak_outlines(schema, short, 300.0, None, None, 1) is None


@pytest.mark.parametrize("name", ["10k", "half-marathon", "marathon"])
def test_generated_peak_timing_follows_the_runner_and_keeps_every_limit(name: str) -> None:
    """The generator lays out the peak timing the choice made, and every limit of
    SCIENCE.md holds (``plan_checks``) with the peak right before the taper and a week
    earlier. The runner of slow, heavy fatigue takes the earlier peak; the runner of short
    time constants has its peak week nearer race day (an easier week before a one-week
    taper is also how it reaches the floor of race-day form, where two taper weeks would
    cost more)."""
    to_race = {}
    for p in (SLOW_HEAVY_FATIGUE, SHORT_TAU):
        given = replace(inputs(name, ctl=30.0), response=p, response_basis="fitted")
        plan = generate_plan(given)
        choice = plan.taper
        assert choice is not None
        assert choice.peak is not None
        gap = choice.chosen.peak_gap
        body = [w for w in plan.weeks if w.block_kind != "taper"]
        top = max(body, key=lambda w: w.target_load)
        assert top.index == body[-1 - gap].index
        assert all(w.recovery for w in body[len(body) - gap :])
        assert len(plan.weeks) - len(body) == choice.chosen.weeks
        assert_every_limit(plan, given)
        feasible = [c for c in choice.candidates if c.feasible]
        assert feasible
        chosen = next(c for c in choice.candidates if c.spec == choice.chosen)
        assert chosen.feasible
        assert chosen.gain == pytest.approx(max(c.gain for c in feasible))
        to_race[p] = len(plan.weeks) - top.index
        if p is SLOW_HEAVY_FATIGUE:
            assert gap == 1
    assert to_race[SHORT_TAU] < to_race[SLOW_HEAVY_FATIGUE]
