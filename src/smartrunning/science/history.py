"""Daily training history: fitness, fatigue, form, Banister performance, ramp, monotony.

SCIENCE.md, "Fitness, fatigue, form (daily history)". Days are consecutive from a first
day; the caller assigns sessions to (local) days with ``daily_loads``. Every quantity on
day d depends only on the loads up to d and on the ``HistoryState`` going into the first
day, so a caller that changed day d recomputes from the state stored for day d − 1
(``DailyHistory.state_after``) instead of from the beginning.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from smartrunning.science.records import FloatArray

__all__ = [
    "ALGORITHM_VERSION",
    "WEEK_D",
    "DailyHistory",
    "HistoryParams",
    "HistoryState",
    "daily_history",
    "daily_loads",
]

ALGORITHM_VERSION: Final = 1
"""Bump when the history changes; loads have their own version (``load``)."""

WEEK_D: Final = 7


@dataclass(frozen=True, slots=True)
class HistoryParams:
    """The runner's model parameters (SCIENCE.md defaults; Morton et al. 1990)."""

    fitness_tau_d: float = 42.0
    fatigue_tau_d: float = 7.0
    performance_k1: float = 1.0
    performance_k2: float = 2.0
    performance_tau1_d: float = 42.0
    performance_tau2_d: float = 7.0
    performance_p0: float = 0.0

    def __post_init__(self) -> None:
        taus = (
            self.fitness_tau_d,
            self.fatigue_tau_d,
            self.performance_tau1_d,
            self.performance_tau2_d,
        )
        if min(taus) <= 0:
            raise ValueError("time constants must be positive")


@dataclass(frozen=True, slots=True)
class HistoryState:
    """Everything day d needs from before it: the state at the end of day d − 1.

    ``ctl``/``atl`` are fitness and fatigue, ``g``/``h`` Banister's impulse responses;
    ``recent_ctl`` and ``recent_load`` hold the last seven days' CTL and load, oldest
    first, for the weekly ramp and Foster's monotony. ``zero()`` is the state before any
    training: days before the history count as rest days.
    """

    ctl: float
    atl: float
    g: float
    h: float
    recent_ctl: tuple[float, ...]
    recent_load: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.recent_ctl) != WEEK_D or len(self.recent_load) != WEEK_D:
            raise ValueError(f"recent_ctl and recent_load need {WEEK_D} values each")

    @classmethod
    def zero(cls) -> HistoryState:
        """The state before the first day."""
        return cls(0.0, 0.0, 0.0, 0.0, (0.0,) * WEEK_D, (0.0,) * WEEK_D)


@dataclass(frozen=True, slots=True)
class DailyHistory:
    """Per-day arrays, index 0 = ``first_day``; all of the loads' length.

    - ``load``: daily load L_d.
    - ``ctl`` / ``atl``: fitness / fatigue at the end of the day.
    - ``form``: CTL_{d−1} − ATL_{d−1}, form going into the day.
    - ``performance``: p₀ + k₁ g_d − k₂ h_d.
    - ``ramp``: CTL_d − CTL_{d−7}, fitness gained over the last week.
    - ``monotony``: mean / SD of the last seven daily loads (NaN when the SD is 0);
      ``strain``: weekly load · monotony.
    - ``g`` / ``h``: Banister's fitness and fatigue impulse responses (kept for the state).
    """

    first_day: dt.date
    load: FloatArray
    ctl: FloatArray
    atl: FloatArray
    form: FloatArray
    performance: FloatArray
    ramp: FloatArray
    monotony: FloatArray
    strain: FloatArray
    g: FloatArray
    h: FloatArray
    start: HistoryState

    def __len__(self) -> int:
        return len(self.load)

    def day(self, index: int) -> dt.date:
        """The date of row ``index``."""
        return self.first_day + dt.timedelta(days=index)

    def state_after(self, index: int) -> HistoryState:
        """The state at the end of row ``index``: the start for recomputing from index + 1."""
        if not 0 <= index < len(self):
            raise IndexError(index)
        ctl = np.concatenate((self.start.recent_ctl, self.ctl[: index + 1]))[-WEEK_D:]
        load = np.concatenate((self.start.recent_load, self.load[: index + 1]))[-WEEK_D:]
        return HistoryState(
            ctl=float(self.ctl[index]),
            atl=float(self.atl[index]),
            g=float(self.g[index]),
            h=float(self.h[index]),
            recent_ctl=tuple(float(v) for v in ctl),
            recent_load=tuple(float(v) for v in load),
        )


def _first_order(load: FloatArray, gain: float, decay: float, z0: float) -> FloatArray:
    """y_d = z_{d−1} + gain · L_d, z_d = y_d · decay, from z_{−1} = z0.

    The first-order IIR filter ``scipy.signal.lfilter([gain], [1, −decay], load,
    zi=[z0])`` (direct form II transposed), step for step in the same floating-point
    operations, so the values are the same to the last bit (a test compares them), without
    importing SciPy's signal package, which costs more than the loop over a few thousand
    days.
    """
    out = []
    z = z0
    for x in load.tolist():
        y = z + gain * x
        out.append(y)
        z = y * decay
    return np.asarray(out, dtype=np.float64)


def _ewma(load: FloatArray, tau_d: float, x0: float) -> FloatArray:
    """X_d = X_{d−1} + (L_d − X_{d−1}) · (1 − e^(−1/τ)), from X_{−1} = x0."""
    decay = math.exp(-1.0 / tau_d)
    return _first_order(load, 1.0 - decay, decay, decay * x0)


def _impulse(load: FloatArray, tau_d: float, x0: float) -> FloatArray:
    """x_d = x_{d−1} · e^(−1/τ) + L_d, from x_{−1} = x0 (Banister's impulse response)."""
    decay = math.exp(-1.0 / tau_d)
    return _first_order(load, 1.0, decay, decay * x0)


def daily_history(
    loads: npt.ArrayLike,
    first_day: dt.date,
    *,
    params: HistoryParams | None = None,
    start: HistoryState | None = None,
) -> DailyHistory:
    """Fitness, fatigue, form and performance for consecutive days from ``first_day``.

    - CTL and ATL: X_d = X_{d−1} + (L_d − X_{d−1}) · (1 − e^(−1/τ)) with τ = 42 and 7 d
      (the factor GoldenCheetah uses; never 2/(N+1)).
    - Form (TSB) on day d = CTL_{d−1} − ATL_{d−1}.
    - Banister performance p_d = p₀ + k₁ g_d − k₂ h_d, g_d = g_{d−1} e^(−1/τ₁) + L_d,
      h_d = h_{d−1} e^(−1/τ₂) + L_d (Banister et al. 1975; Morton et al. 1990).
    - Ramp: CTL_d − CTL_{d−7}. Monotony (Foster 1998): mean / population SD of the last
      seven daily loads; strain = their sum · monotony.

    ``start`` is the state at the end of the day before ``first_day`` (default: no
    training before). Continuing from ``history.state_after(i)`` over the loads from day
    i + 1 gives the same values as recomputing everything. The recurrences run as
    first-order IIR filters (``_first_order``, the arithmetic of ``scipy.signal.lfilter``).
    """
    p = params or HistoryParams()
    s = start or HistoryState.zero()
    load = np.asarray(loads, dtype=np.float64)
    if load.ndim != 1 or not np.all(np.isfinite(load)) or np.any(load < 0):
        raise ValueError("daily loads must be a 1-D array of finite values ≥ 0")
    ctl = _ewma(load, p.fitness_tau_d, s.ctl)
    atl = _ewma(load, p.fatigue_tau_d, s.atl)
    g = _impulse(load, p.performance_tau1_d, s.g)
    h = _impulse(load, p.performance_tau2_d, s.h)
    prev_ctl = np.concatenate(([s.ctl], ctl))[:-1]
    prev_atl = np.concatenate(([s.atl], atl))[:-1]
    ctl_ext = np.concatenate((s.recent_ctl, ctl))
    week = (
        sliding_window_view(np.concatenate((s.recent_load[1:], load)), WEEK_D)
        if len(load)
        else np.empty((0, WEEK_D))
    )
    mean = week.mean(axis=1)
    sd = week.std(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        monotony = np.where(sd > 1e-12, mean / sd, np.nan)
    return DailyHistory(
        first_day=first_day,
        load=load,
        ctl=ctl,
        atl=atl,
        form=prev_ctl - prev_atl,
        performance=p.performance_p0 + p.performance_k1 * g - p.performance_k2 * h,
        ramp=ctl - ctl_ext[: len(load)],
        monotony=monotony,
        strain=week.sum(axis=1) * monotony,
        g=g,
        h=h,
        start=s,
    )


def daily_loads(
    days: Sequence[dt.date], loads: Sequence[float], first_day: dt.date, last_day: dt.date
) -> FloatArray:
    """Daily load L_d from ``first_day`` to ``last_day``: the day's loads summed, 0 on rest days.

    SCIENCE.md, "Fitness, fatigue, form (daily history)".

    ``days[k]`` is the (local) date of the session whose load is ``loads[k]``; sessions
    outside the range are left out.
    """
    if len(days) != len(loads):
        raise ValueError("days and loads differ in length")
    n = (last_day - first_day).days + 1
    if n <= 0:
        raise ValueError("last_day is before first_day")
    index = np.array([(d - first_day).days for d in days], dtype=np.int64)
    value = np.asarray(loads, dtype=np.float64)
    keep = (index >= 0) & (index < n)
    return np.bincount(index[keep], weights=value[keep], minlength=n).astype(np.float64)
