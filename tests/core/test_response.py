"""The fitted response model: recovers known parameters, refuses noise, respects its bounds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.critical_speed import CriticalSpeed
from smartrunning.science.history import HistoryParams, daily_history
from smartrunning.science.response import (
    K_VDOT_PER_LOAD,
    POPULATION,
    TAU1_BOUNDS_D,
    TAU2_BOUNDS_D,
    Performance,
    PerformanceSource,
    ResponseParams,
    SufficiencyRule,
    critical_speed_performance,
    fit_response,
    predict,
    race_performance,
    session_index,
)

DAY0 = dt.date(2024, 1, 1)
_WEEK = np.array([0.0, 60.0, 40.0, 70.0, 0.0, 50.0, 110.0])


def training(days: int, seed: int) -> np.ndarray:
    """A recreational runner's days: a weekly pattern, 4-week blocks with a recovery week,
    a slow seasonal swing, five easy weeks at the end of each year and day-to-day scatter."""
    rng = np.random.default_rng(seed)
    d = np.arange(days)
    block = np.where(d // 7 % 4 == 3, 0.65, 0.8 + 0.1 * (d // 7 % 4))
    season = 0.8 + 0.4 * np.sin(d / 120.0)
    off = np.where(d % 365 >= 330, 0.15, 1.0)
    return _WEEK[d % 7] * block * season * off * rng.uniform(0.7, 1.3, days)


def performances(
    params: ResponseParams, loads: np.ndarray, every_d: int, sd: float, seed: int
) -> list[Performance]:
    rng = np.random.default_rng(seed)
    days = [DAY0 + dt.timedelta(days=int(k)) for k in range(30, len(loads), every_d)]
    values = predict(params, loads, DAY0, days) + rng.normal(0.0, sd, len(days))
    return [
        Performance(d, float(v), PerformanceSource.RACE) for d, v in zip(days, values, strict=True)
    ]


RUNNERS = [
    ResponseParams(40.0, 1.25 * K_VDOT_PER_LOAD, 3.0 * K_VDOT_PER_LOAD, 35.0, 10.0),
    ResponseParams(48.0, 0.8 * K_VDOT_PER_LOAD, 2.5 * K_VDOT_PER_LOAD, 50.0, 5.0),
    ResponseParams(35.0, 1.0 * K_VDOT_PER_LOAD, 2.5 * K_VDOT_PER_LOAD, 28.0, 8.0),
]


@pytest.mark.parametrize("true", RUNNERS)
def test_recovers_known_parameters_of_a_synthetic_runner(true: ResponseParams) -> None:
    # Two years, a performance every 5 days at ±0.4 VDOT (as often as a steady-run index):
    # τ₁ within 15 %, τ₂ within 30 %, k₁ and k₂ within 30 %, each true value inside the
    # bootstrap interval widened by 10 %. With a performance every 10 days the prior pulls
    # a short τ₂ of 5 d to 6–8 d: regularisation does that when the data are thin.
    loads = training(730, seed=1)
    fit = fit_response(loads, DAY0, performances(true, loads, every_d=5, sd=0.4, seed=2))
    assert fit.fitted, fit.reason
    p = fit.params
    assert p.tau1_d == pytest.approx(true.tau1_d, rel=0.15)
    assert p.tau2_d == pytest.approx(true.tau2_d, rel=0.3)
    assert p.k1 == pytest.approx(true.k1, rel=0.3)
    assert p.k2 == pytest.approx(true.k2, rel=0.3)
    assert fit.rmse is not None
    assert fit.rmse < 0.6
    assert fit.r2 is not None
    assert fit.r2 > 0.7
    assert fit.cv_rmse is not None
    assert fit.cv_rmse["fitted"] < fit.cv_rmse["population"]
    for name, value in (("tau1_d", true.tau1_d), ("tau2_d", true.tau2_d), ("k1", true.k1)):
        interval = fit.intervals[name]
        assert 0.9 * interval.low <= value <= 1.1 * interval.high, name


def test_population_runner_keeps_population_values() -> None:
    # A runner who responds exactly as the population: the fit cannot beat it by 5 %.
    loads = training(730, seed=3)
    true = ResponseParams(45.0, POPULATION.k1, POPULATION.k2, 42.0, 7.0)
    fit = fit_response(loads, DAY0, performances(true, loads, every_d=10, sd=0.5, seed=4))
    assert not fit.fitted
    assert "no better than the population" in fit.reason
    assert fit.params.tau1_d == pytest.approx(42.0)
    assert fit.params.p0 == pytest.approx(45.0, abs=0.5)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_refuses_to_fit_noise(seed: int) -> None:
    loads = training(730, seed=seed)
    rng = np.random.default_rng(seed)
    days = [DAY0 + dt.timedelta(days=int(k)) for k in range(30, 730, 10)]
    noise = [
        Performance(d, float(v), PerformanceSource.RACE)
        for d, v in zip(days, 50.0 + rng.normal(0.0, 1.0, len(days)), strict=True)
    ]
    fit = fit_response(loads, DAY0, noise)
    assert not fit.fitted
    assert "do not follow the training load" in fit.reason
    assert fit.params.k1 == POPULATION.k1
    assert fit.params.tau2_d == POPULATION.tau2_d
    assert fit.intervals == {}


def test_too_few_performances_fall_back_with_the_rule() -> None:
    loads = training(400, seed=8)
    few = performances(RUNNERS[0], loads, every_d=60, sd=0.3, seed=9)[:5]
    fit = fit_response(loads, DAY0, few)
    assert not fit.fitted
    assert fit.reason.startswith("5 performances over 240 days; a fit needs at least 6")
    assert fit.cv_rmse is None
    nothing = fit_response(loads, DAY0, [])
    assert not nothing.fitted
    assert nothing.n == 0
    assert nothing.params == POPULATION
    short = fit_response(loads, DAY0, performances(RUNNERS[0], loads, 5, 0.3, 9)[:10])
    assert "over 45 days" in short.reason


def test_sources_get_their_own_offset() -> None:
    # The same runner seen by races and by an index reading 3 VDOT low: the offset absorbs it.
    loads = training(730, seed=10)
    true = RUNNERS[0]
    races = performances(true, loads, every_d=20, sd=0.3, seed=11)
    index = [
        Performance(p.date + dt.timedelta(days=3), p.value, PerformanceSource.SESSION_INDEX)
        for p in performances(true, loads[:-3], every_d=7, sd=0.6, seed=12)
    ]
    shifted = [Performance(p.date, p.value - 3.0, p.source) for p in index]
    fit = fit_response(loads, DAY0, races + shifted)
    assert fit.fitted, fit.reason
    assert fit.offsets[PerformanceSource.SESSION_INDEX] == pytest.approx(-3.0, abs=0.5)
    assert fit.params.tau1_d == pytest.approx(true.tau1_d, rel=0.2)


def test_prediction_is_the_history_banister_performance_of_the_day_before() -> None:
    # Performance going into day d = p₀ + k₁ g_{d−1} e^(−1/τ₁) − … : the history's
    # performance of day d−1 decayed one day, computed the other way.
    loads = training(200, seed=13)
    params = ResponseParams(0.0, 1.0, 2.0, 42.0, 7.0)
    history = daily_history(loads, DAY0, params=HistoryParams())
    day = DAY0 + dt.timedelta(days=150)
    decay1, decay2 = np.exp(-1 / 42), np.exp(-1 / 7)
    expected = history.g[149] * decay1 - 2.0 * history.h[149] * decay2
    assert predict(params, loads, DAY0, [day])[0] == pytest.approx(expected, rel=1e-9)


def test_performance_sources_on_the_vdot_scale() -> None:
    assert race_performance(5000.0, 1200.0, DAY0).value == pytest.approx(49.8, abs=0.1)
    # CS 4 m/s and D′ 200 m predict 5 km in 20:00: the same VDOT.
    cs = critical_speed_performance(CriticalSpeed(4.0, 200.0), DAY0)
    assert cs.value == pytest.approx(49.8, abs=0.1)
    assert cs.source is PerformanceSource.CRITICAL_SPEED
    # An hour at 3.0 m/s at 60 % of heart-rate reserve (HR 50–190, avg 134).
    index = session_index(3.0, 134.0, 50.0, 190.0, 3600.0, 2.0)
    assert index is not None
    assert index == pytest.approx(3.5 + (31.576 - 3.5) / 0.6, abs=0.01)
    assert session_index(3.0, 134.0, 50.0, 190.0, 900.0, 2.0) is None  # too short
    assert session_index(4.0, 180.0, 50.0, 190.0, 3600.0, 2.0) is None  # above 85 % HRR
    assert session_index(3.0, 134.0, 50.0, 190.0, 3600.0, 8.0) is None  # drifted: not steady
    assert session_index(3.0, 134.0, 50.0, 190.0, 3600.0, None) is None
    assert session_index(3.0, 134.0, 190.0, 50.0, 3600.0, 2.0) is None


@settings(max_examples=15, deadline=None)
@given(
    st.integers(0, 10_000),
    st.floats(20.0, 60.0),
    st.floats(3.0, 15.0),
    st.floats(0.1, 5.0),
    st.floats(0.1, 3.0),
)
def test_bounds_always_respected_and_seeded_runs_agree(
    seed: int, tau1: float, tau2: float, k_ratio: float, sd: float
) -> None:
    loads = training(365, seed=seed)
    true = ResponseParams(45.0, K_VDOT_PER_LOAD * k_ratio, 2.5 * K_VDOT_PER_LOAD, tau1, tau2)
    perfs = performances(true, loads, every_d=21, sd=sd, seed=seed + 1)
    rule = SufficiencyRule(folds=4, bootstrap=10, seed=seed)
    fit = fit_response(loads, DAY0, perfs, rule)
    p = fit.params
    assert TAU1_BOUNDS_D[0] <= p.tau1_d <= TAU1_BOUNDS_D[1]
    assert TAU2_BOUNDS_D[0] <= p.tau2_d <= TAU2_BOUNDS_D[1]
    assert p.k1 > 0
    assert p.k2 > 0
    for interval in fit.intervals.values():
        assert interval.low <= interval.high
    assert fit_response(loads, DAY0, perfs, rule) == fit


@pytest.mark.parametrize("runner", range(len(RUNNERS)))
def test_fit_is_the_regularised_least_squares_minimum(runner: int) -> None:
    """The variable-projection fit (grid over τ, closed form for p₀ and k) against a local
    solver: scipy's least_squares of the same regularised residuals (module docstring),
    started at the fit and at the population values, finds no lower cost (beyond 1e-4 of it)."""
    from scipy.optimize import least_squares

    loads = training(3 * 365, seed=runner)
    perfs = performances(RUNNERS[runner], loads, every_d=14, sd=0.5, seed=runner)
    fit = fit_response(loads, DAY0, perfs)
    assert fit.fitted, fit.reason
    days = [p.date for p in perfs]
    values = np.array([p.value for p in perfs])
    k = K_VDOT_PER_LOAD

    def residuals(theta: np.ndarray) -> np.ndarray:
        p0, u1, u2, tau1, tau2 = theta
        model = predict(ResponseParams(p0, u1 * k, u2 * k, tau1, tau2), loads, DAY0, days)
        prior = [
            np.log(tau1 / 42.0) / 0.5,
            np.log(tau2 / 7.0) / 0.5,
            u1 - 1.0,
            (u2 - 2.0) / 2.0,
        ]
        return np.concatenate(((values - model) / 0.7, prior))

    p = fit.params
    found = np.array([p.p0, p.k1 / k, p.k2 / k, p.tau1_d, p.tau2_d])
    cost = 0.5 * float(np.sum(residuals(found) ** 2))
    lower = [-np.inf, 1e-6, 1e-6, TAU1_BOUNDS_D[0], TAU2_BOUNDS_D[0]]
    upper = [np.inf, 50.0, 50.0, TAU1_BOUNDS_D[1], TAU2_BOUNDS_D[1]]
    for start in (found, np.array([p.p0, 1.0, 2.0, 42.0, 7.0])):
        local = least_squares(residuals, np.clip(start, lower, upper), bounds=(lower, upper))
        assert local.cost >= cost * (1 - 1e-4)
