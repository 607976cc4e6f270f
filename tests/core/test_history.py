"""Daily history: CTL/ATL factor, form of the day before, Banister performance, increments."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.history import (
    HistoryParams,
    HistoryState,
    daily_history,
    daily_loads,
)

DAY0 = dt.date(2025, 1, 1)


@given(st.floats(1.0, 500.0), st.floats(3.0, 60.0))
def test_ctl_under_constant_load_converges_to_it(load: float, tau: float) -> None:
    days = int(30 * tau)
    h = daily_history(np.full(days, load), DAY0, params=HistoryParams(fitness_tau_d=tau))
    # X_n = L · (1 − e^(−n/τ)) exactly, with the factor 1 − e^(−1/τ).
    n = np.arange(1, days + 1)
    np.testing.assert_allclose(h.ctl, load * (1 - np.exp(-n / tau)), rtol=1e-9)
    assert h.ctl[-1] == pytest.approx(load, rel=1e-9)


def test_one_impulse_decays_by_e_to_minus_one_over_tau_per_day() -> None:
    loads = np.zeros(30)
    loads[0] = 100.0
    h = daily_history(loads, DAY0)
    assert h.ctl[0] == pytest.approx(100.0 * (1 - math.exp(-1 / 42)))
    assert h.atl[0] == pytest.approx(100.0 * (1 - math.exp(-1 / 7)))
    np.testing.assert_allclose(h.ctl[1:] / h.ctl[:-1], math.exp(-1 / 42))
    np.testing.assert_allclose(h.atl[1:] / h.atl[:-1], math.exp(-1 / 7))


def test_form_is_yesterdays_fitness_minus_fatigue() -> None:
    loads = np.array([0.0, 100.0, 0.0, 50.0])
    h = daily_history(loads, DAY0)
    assert h.form[0] == pytest.approx(0.0)
    assert h.form[1] == pytest.approx(0.0)  # the load of day 1 shows from day 2
    assert h.form[2] == pytest.approx(h.ctl[1] - h.atl[1])
    assert h.form[2] < -5.0
    np.testing.assert_allclose(h.form[1:], (h.ctl - h.atl)[:-1])


def test_banister_performance_worked_example() -> None:
    # One load of 100 on day 0, defaults k1 = 1, k2 = 2, τ1 = 42, τ2 = 7:
    # p_d = 100 · e^(−d/42) − 200 · e^(−d/7).
    loads = np.zeros(8)
    loads[0] = 100.0
    h = daily_history(loads, DAY0)
    assert h.performance[0] == pytest.approx(-100.0)
    # d = 1: 97.6472 − 173.3757 = −75.7284
    assert h.performance[1] == pytest.approx(-75.7284, abs=1e-4)
    # Crosses zero at d = 42 · ln 2 / 5 = 5.82 days.
    assert h.performance[5] == pytest.approx(-9.1318, abs=1e-4)
    assert h.performance[6] == pytest.approx(1.8132, abs=1e-4)


def test_banister_parameters_are_used() -> None:
    loads = np.array([100.0, 0.0])
    params = HistoryParams(performance_k1=2.0, performance_k2=1.0, performance_p0=50.0)
    h = daily_history(loads, DAY0, params=params)
    assert h.performance[0] == pytest.approx(50.0 + 200.0 - 100.0)
    assert h.performance[1] == pytest.approx(
        50.0 + 200.0 * math.exp(-1 / 42) - 100.0 * math.exp(-1 / 7)
    )


def test_ramp_is_the_change_of_ctl_over_seven_days() -> None:
    h = daily_history(np.full(20, 70.0), DAY0)
    assert h.ramp[0] == pytest.approx(h.ctl[0])
    assert h.ramp[6] == pytest.approx(h.ctl[6])
    assert h.ramp[7] == pytest.approx(h.ctl[7] - h.ctl[0])
    assert h.ramp[19] == pytest.approx(h.ctl[19] - h.ctl[12])


def test_monotony_and_strain_worked_example() -> None:
    loads = np.array([100.0, 0.0, 100.0, 0.0, 100.0, 0.0, 100.0, 100.0])
    h = daily_history(loads, DAY0)
    # Days 0–6: mean 400/7 = 57.143, population SD 49.487 → 1.1547; strain 400 · 1.1547.
    assert h.monotony[6] == pytest.approx(1.1547005, rel=1e-6)
    assert h.strain[6] == pytest.approx(461.8802, rel=1e-6)
    # Day 7: loads 0,100,0,100,0,100,100 → mean 57.143 again, same SD.
    assert h.monotony[7] == pytest.approx(1.1547005, rel=1e-6)
    # Before a week has passed the days before the history count as rest days.
    assert h.monotony[0] == pytest.approx(np.mean([0] * 6 + [100]) / np.std([0] * 6 + [100]))
    assert np.isnan(daily_history(np.full(7, 50.0), DAY0).monotony[6])


def _loop_reference(loads: np.ndarray, p: HistoryParams) -> tuple[np.ndarray, ...]:
    """The recurrences of SCIENCE.md day by day."""
    ctl = atl = g = h = 0.0
    out = []
    for load in loads:
        ctl += (load - ctl) * (1 - math.exp(-1 / p.fitness_tau_d))
        atl += (load - atl) * (1 - math.exp(-1 / p.fatigue_tau_d))
        g = g * math.exp(-1 / p.performance_tau1_d) + load
        h = h * math.exp(-1 / p.performance_tau2_d) + load
        out.append((ctl, atl, g, h))
    return tuple(np.array(col) for col in zip(*out, strict=True))


daily = st.lists(st.floats(0.0, 300.0) | st.just(0.0), min_size=1, max_size=200)


@settings(deadline=None)
@given(daily, st.floats(10.0, 60.0), st.floats(2.0, 10.0))
def test_vectorised_recurrences_match_a_day_by_day_loop(
    loads: list[float], tau1: float, tau2: float
) -> None:
    p = HistoryParams(
        fitness_tau_d=tau1, fatigue_tau_d=tau2, performance_tau1_d=tau1, performance_tau2_d=tau2
    )
    h = daily_history(loads, DAY0, params=p)
    ctl, atl, g, hh = _loop_reference(np.array(loads), p)
    for got, want in ((h.ctl, ctl), (h.atl, atl), (h.g, g), (h.h, hh)):
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)


@settings(deadline=None)
@given(daily, st.data())
def test_incremental_continuation_equals_full_recomputation(
    loads: list[float], data: st.DataObject
) -> None:
    full = daily_history(loads, DAY0)
    d = data.draw(st.integers(1, len(loads)), label="first changed day")
    head = daily_history(loads[:d], DAY0)
    rest = daily_history(loads[d:], head.day(d), start=head.state_after(d - 1))
    assert rest.first_day == full.day(d)
    for name in ("ctl", "atl", "form", "performance", "ramp", "monotony", "strain"):
        np.testing.assert_allclose(
            getattr(rest, name), getattr(full, name)[d:], rtol=1e-9, atol=1e-9, err_msg=name
        )
    if d < len(loads):
        # The same state also comes from the full run.
        a, b = full.state_after(d - 1), head.state_after(d - 1)
        np.testing.assert_allclose(
            [a.ctl, a.atl, a.g, a.h, *a.recent_ctl, *a.recent_load],
            [b.ctl, b.atl, b.g, b.h, *b.recent_ctl, *b.recent_load],
            rtol=1e-12,
        )


def test_daily_loads_sum_per_day_and_fill_rest_days() -> None:
    days = [DAY0, DAY0, DAY0 + dt.timedelta(days=2), DAY0 - dt.timedelta(days=1)]
    out = daily_loads(days, [50.0, 30.0, 70.0, 999.0], DAY0, DAY0 + dt.timedelta(days=3))
    np.testing.assert_allclose(out, [80.0, 0.0, 70.0, 0.0])


def test_invalid_input_rejected() -> None:
    with pytest.raises(ValueError, match="loads"):
        daily_history([10.0, -1.0], DAY0)
    with pytest.raises(ValueError, match="time constants"):
        HistoryParams(fatigue_tau_d=0.0)
    with pytest.raises(ValueError, match="7 values"):
        HistoryState(0.0, 0.0, 0.0, 0.0, (0.0,), (0.0,))


@settings(deadline=None, max_examples=200)
@given(
    st.lists(st.floats(0.0, 2000.0), max_size=120),
    st.floats(1.0, 60.0),
    st.floats(0.0, 3000.0),
)
def test_recurrences_are_bit_identical_to_scipy_lfilter(
    loads: list[float], tau: float, x0: float
) -> None:
    """The loop replaces ``scipy.signal.lfilter`` (a heavy import): the very same floats."""
    from scipy.signal import lfilter

    from smartrunning.science.history import _ewma, _impulse

    load = np.asarray(loads, dtype=np.float64)
    decay = math.exp(-1.0 / tau)
    ewma, _ = lfilter([1.0 - decay], [1.0, -decay], load, zi=[decay * x0])
    impulse, _ = lfilter([1.0], [1.0, -decay], load, zi=[decay * x0])
    assert _ewma(load, tau, x0).tobytes() == np.asarray(ewma, dtype=np.float64).tobytes()
    assert _impulse(load, tau, x0).tobytes() == np.asarray(impulse, dtype=np.float64).tobytes()
