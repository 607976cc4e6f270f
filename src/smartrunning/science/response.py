"""A runner's own fitness-fatigue response: Banister's model fitted to dated performances.

SCIENCE.md, "Fitted response model". Performance going into day d (the loads of the days
before it; Busso, MSSE 2003):

    p_d = p₀ + k₁ · g_d − k₂ · h_d,   g_d = Σ_{j<d} L_j e^(−(d−j)/τ₁),  h_d likewise with τ₂.

**Performances on one scale (VDOT, ml/kg/min).** Each source is converted to a VDOT:

- ``RACE``: a race or time trial, its VDOT (Daniels & Gilbert).
- ``CRITICAL_SPEED``: a CS/D′ version, the VDOT of the 5 km it predicts
  (t = (5000 − D′)/CS; Monod & Scherrer, Hill).
- ``SESSION_INDEX``: a steady run's aerobic index, the VO₂max its average speed implies at its
  average heart rate: VO₂ of the speed (Daniels & Gilbert's running cost) scaled from the
  fraction of heart-rate reserve to the whole, %HRR ≈ %VO₂R (Swain & Leutholtz, MSSE 1997),
  VO₂max ≈ 3.5 + (VO₂(v) − 3.5) / %HRR, with the grade-adjusted speed where the session has
  one. An efficiency measure in the sense of Friel's efficiency factor (speed per beat), on
  the VDOT scale. Only steady aerobic runs count, where the linear relation holds: ≥ 20 min,
  at 50–85 % of heart-rate reserve, with aerobic decoupling (Pa:HR) of at most 5 % (Friel's
  mark of a steady aerobic effort).

Sources other than the first present (race, then CS, then the index) get their own offset
(a nuisance intercept): a VO₂max estimated from heart rate sits a few units away from a
race's VDOT, and only its changes carry information on the response.

**Units of k.** k₁, k₂ are VDOT per unit of daily load. The population values k₁ = 1,
k₂ = 2 are in the model's own units; on the VDOT scale they are ``K_VDOT_PER_LOAD`` and
twice that: a runner holding 50 rTSS a day (≈ 5–6 h a week) ends ≈ 27.5 · 50 · K ≈ 8 VDOT
above untrained, a plausible gain for a recreational runner. This calibration is ours
(an assumption, not a published value); the fit moves away from it when the data say so.

**The fit** (Busso 2003; Clarke & Skiba, Adv Physiol Educ 2013): bounded, regularised least
squares of the residuals in VDOT, weighted per source by ``SOURCE_SD``, plus prior residuals
pulling toward the population values: ln(τ₁/42)/0.5, ln(τ₂/7)/0.5, (k₁ − K)/K,
(k₂ − 2K)/(2K). Bounds (Hellard et al., J Appl Physiol 2006: the fit is ill-conditioned with
little data): τ₁ 20–60 d, τ₂ 3–15 d, k₁, k₂ > 0. p₀ and the offsets are free. Solved by
variable projection (Golub & Pereyra 1973): for given τ₁, τ₂ the model is linear in p₀, the
offsets, k₁ and k₂, whose bounded least squares has a closed form; (τ₁, τ₂) is searched on a
grid over the bounds (2 d × 0.5 d) refined three times about the best point (to
1/32 d × 1/128 d). A grid, not a local descent: no starting point to be trapped by.

**When the fit is used** (``SufficiencyRule``): at least 6 performances over at least 84
days, and in a k-fold cross-validation (each performance predicted by a fit without it)
the fitted model's RMSE is below both the population model's (p₀ and offsets fitted, k and
τ at population values) and a model without any training effect (p₀ and offsets only), by
at least 5 %. Otherwise the population values stand, with the reason: performances that do
not follow the load (noise) are not fitted.

Uncertainty: percentile intervals (2.5–97.5 %) from a case bootstrap of the performances,
seeded, so the same inputs always give the same intervals.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from smartrunning.science.critical_speed import CriticalSpeed
from smartrunning.science.predictions import critical_speed_time_s, vdot, vo2_ml_kg_min
from smartrunning.science.records import FloatArray

__all__ = [
    "K_VDOT_PER_LOAD",
    "POPULATION",
    "SOURCE_SD",
    "TAU1_BOUNDS_D",
    "TAU2_BOUNDS_D",
    "Interval",
    "Performance",
    "PerformanceSource",
    "ResponseFit",
    "ResponseParams",
    "SufficiencyRule",
    "critical_speed_performance",
    "fit_response",
    "predict",
    "race_performance",
    "session_index",
]

K_VDOT_PER_LOAD: Final = 0.006
"""k₁ = 1 of the population model on the VDOT scale: VDOT per unit of daily load (see the
module docstring; our calibration)."""
TAU1_BOUNDS_D: Final = (20.0, 60.0)
TAU2_BOUNDS_D: Final = (3.0, 15.0)
_K_BOUNDS: Final = (1e-6 * K_VDOT_PER_LOAD, 50.0 * K_VDOT_PER_LOAD)
_PRIOR_SD_LN_TAU1: Final = 0.5
_PRIOR_SD_LN_TAU2: Final = 0.5
_PRIOR_SD_K_REL: Final = 1.0
_CV_MARGIN: Final = 0.95
_INDEX_HRR_RANGE: Final = (0.50, 0.85)
_INDEX_MIN_DURATION_S: Final = 1200.0
_INDEX_MAX_DECOUPLING_PCT: Final = 5.0
_RESTING_VO2: Final = 3.5
_CS_REFERENCE_M: Final = 5000.0


class PerformanceSource(StrEnum):
    RACE = "race"
    CRITICAL_SPEED = "critical_speed"
    SESSION_INDEX = "session_index"


SOURCE_SD: Final = {
    PerformanceSource.RACE: 0.7,
    PerformanceSource.CRITICAL_SPEED: 0.7,
    PerformanceSource.SESSION_INDEX: 1.5,
}
"""Expected scatter of each source about the model, VDOT: a race's day-to-day variation is
~1–2 % of speed (≈ 0.5–1 VDOT); an index from heart rate scatters about twice that."""


@dataclass(frozen=True, slots=True)
class Performance:
    """A dated performance on the VDOT scale, with what it came from (``label``: in words)."""

    date: dt.date
    value: float
    source: PerformanceSource
    label: str = ""

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError(f"performance must be finite, got {self.value!r}")


@dataclass(frozen=True, slots=True)
class ResponseParams:
    """Banister's parameters: p₀ (VDOT), k₁, k₂ (VDOT per unit load), τ₁, τ₂ (days)."""

    p0: float
    k1: float
    k2: float
    tau1_d: float
    tau2_d: float


POPULATION: Final = ResponseParams(
    p0=0.0, k1=K_VDOT_PER_LOAD, k2=2.0 * K_VDOT_PER_LOAD, tau1_d=42.0, tau2_d=7.0
)
"""k₁ = 1, k₂ = 2, τ₁ = 42 d, τ₂ = 7 d (Morton et al. 1990); p₀ is the runner's own."""


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class SufficiencyRule:
    """When a fit is used instead of the population values (see the module docstring)."""

    min_performances: int = 6
    min_span_d: int = 84
    folds: int = 8
    bootstrap: int = 100
    seed: int = 0


@dataclass(frozen=True, slots=True)
class ResponseFit:
    """The parameters in use and why.

    ``fitted``: whether they are the runner's own (else the population's, with ``p0`` and
    ``offsets`` still fitted when there is any performance). ``reason``: why, in words.
    ``rmse`` (VDOT), ``r2`` and ``n``: the in-use model over the performances.
    ``cv_rmse``: held-out RMSE of the fitted, population and no-training-effect models
    (``None`` when not computed). ``intervals``: bootstrap 95 % intervals of k₁, k₂, τ₁, τ₂
    (fitted only). ``offsets``: VDOT added to each source's values after the first.
    ``samples``: the bootstrap parameter sets the intervals come from (fitted only; p₀ as
    fitted), for the uncertainty of what the model predicts (e.g. ``plans.taper``).
    """

    fitted: bool
    reason: str
    params: ResponseParams
    n: int
    span_d: int
    rmse: float | None
    r2: float | None
    cv_rmse: dict[str, float] | None = None
    intervals: dict[str, Interval] = field(default_factory=dict)
    offsets: dict[PerformanceSource, float] = field(default_factory=dict)
    samples: tuple[ResponseParams, ...] = ()


def race_performance(
    distance_m: float, time_s: float, date: dt.date, label: str = ""
) -> Performance:
    """A race or time trial as its VDOT (Daniels & Gilbert)."""
    return Performance(date, vdot(distance_m, time_s), PerformanceSource.RACE, label)


def critical_speed_performance(cs: CriticalSpeed, date: dt.date, label: str = "") -> Performance:
    """A CS/D′ version as the VDOT of the 5 km it predicts."""
    t = critical_speed_time_s(_CS_REFERENCE_M, cs)
    return Performance(date, vdot(_CS_REFERENCE_M, t), PerformanceSource.CRITICAL_SPEED, label)


def session_index(
    speed_mps: float,
    avg_hr_bpm: float,
    hrrest_bpm: float,
    hrmax_bpm: float,
    duration_s: float,
    decoupling_pct: float | None,
) -> float | None:
    """A steady run's aerobic index (VO₂max implied by speed at heart rate, module docstring);
    ``None`` when the run is not one it applies to (shorter than 20 min, outside 50–85 % of
    heart-rate reserve, decoupling unknown or above 5 %, or no usable values)."""
    values = (speed_mps, avg_hr_bpm, hrrest_bpm, hrmax_bpm, duration_s)
    if not all(math.isfinite(v) for v in values) or hrmax_bpm <= hrrest_bpm or speed_mps <= 0:
        return None
    if duration_s < _INDEX_MIN_DURATION_S:
        return None
    if decoupling_pct is None or not abs(decoupling_pct) <= _INDEX_MAX_DECOUPLING_PCT:
        return None
    hrr = (avg_hr_bpm - hrrest_bpm) / (hrmax_bpm - hrrest_bpm)
    low, high = _INDEX_HRR_RANGE
    if not low <= hrr <= high:
        return None
    return _RESTING_VO2 + (vo2_ml_kg_min(speed_mps) - _RESTING_VO2) / hrr


def _responses(load: FloatArray, days: npt.NDArray[np.int64], tau_d: float) -> FloatArray:
    """Σ_{j<d} L_j e^(−(d−j)/τ) for each index d in ``days`` (0 ≤ d ≤ len(load)).

    The IIR filter a z⁻¹ / (1 − a z⁻¹) with a = e^(−1/τ), over the loads and one rest day
    after them (``scipy.signal.lfilter``)."""
    from scipy.signal import lfilter

    a = math.exp(-1.0 / tau_d)
    padded = np.concatenate((load, [0.0]))
    return np.asarray(lfilter([0.0, a], [1.0, -a], padded)[days], dtype=np.float64)


def predict(
    params: ResponseParams,
    loads: npt.ArrayLike,
    first_day: dt.date,
    days: Sequence[dt.date],
    offsets: dict[PerformanceSource, float] | None = None,
    sources: Sequence[PerformanceSource] | None = None,
) -> FloatArray:
    """Model performance (VDOT) going into each of ``days`` from the daily ``loads`` that
    start on ``first_day`` (loads before it count as 0; ``days`` up to the day after the
    last load). ``offsets`` by ``sources[i]`` are added when given."""
    load = np.asarray(loads, dtype=np.float64)
    index = np.array([(d - first_day).days for d in days], dtype=np.int64)
    if len(index) and (index.min() < 0 or index.max() > len(load)):
        raise ValueError("days must lie within the loads (up to the day after the last)")
    g = _responses(load, index, params.tau1_d)
    h = _responses(load, index, params.tau2_d)
    out = params.p0 + params.k1 * g - params.k2 * h
    if offsets and sources is not None:
        out = out + np.array([offsets.get(s, 0.0) for s in sources])
    return np.asarray(out, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Data:
    load: FloatArray
    index: npt.NDArray[np.int64]
    value: FloatArray
    weight: FloatArray
    source_column: npt.NDArray[np.int64]
    """-1 for the reference source, else the column of its offset."""
    offset_sources: tuple[PerformanceSource, ...]

    def subset(self, keep: npt.NDArray[np.int64]) -> _Data:
        return _Data(
            self.load,
            self.index[keep],
            self.value[keep],
            self.weight[keep],
            self.source_column[keep],
            self.offset_sources,
        )


Mode = Literal["fitted", "population", "null"]


def _intercepts(data: _Data, p0: float, offsets: FloatArray) -> FloatArray:
    if not len(offsets):
        return np.full(len(data.value), p0)
    extra = np.where(data.source_column >= 0, offsets[np.maximum(data.source_column, 0)], 0.0)
    return p0 + extra


def _linear_intercepts(data: _Data, shape: FloatArray) -> tuple[float, FloatArray]:
    """p₀ and offsets by weighted least squares of value − shape (intercepts only)."""
    m = len(data.offset_sources)
    x = np.zeros((len(data.value), 1 + m))
    x[:, 0] = 1.0
    for col in range(m):
        x[data.source_column == col, 1 + col] = 1.0
    w = data.weight
    coef, *_ = np.linalg.lstsq(x * w[:, None], (data.value - shape) * w, rcond=None)
    return float(coef[0]), np.asarray(coef[1:], dtype=np.float64)


def _fit(data: _Data, mode: Mode) -> tuple[ResponseParams, FloatArray]:
    """The parameters and offsets of one model on ``data`` (the fitted one: ``_Projection``)."""
    if mode == "null":
        p0, offsets = _linear_intercepts(data, np.zeros(len(data.value)))
        return ResponseParams(p0, 0.0, 0.0, POPULATION.tau1_d, POPULATION.tau2_d), offsets
    if mode == "population":
        shape = K_VDOT_PER_LOAD * (
            _responses(data.load, data.index, POPULATION.tau1_d)
            - 2.0 * _responses(data.load, data.index, POPULATION.tau2_d)
        )
        p0, offsets = _linear_intercepts(data, shape)
        return ResponseParams(p0, POPULATION.k1, POPULATION.k2, 42.0, 7.0), offsets
    if mode != "fitted":
        raise ValueError(mode)
    return _Projection(data).fit(np.ones(len(data.value)))


_TAU1_STEP_D: Final = 2.0
_TAU2_STEP_D: Final = 0.5
_REFINE_POINTS: Final = 9
_REFINE_LEVELS: Final = 3


def _tau_grid(bounds: tuple[float, float], step: float) -> FloatArray:
    low, high = bounds
    return np.linspace(low, high, round((high - low) / step) + 1)


class _Weights:
    """What the variable projection's grids share for one weighting of the performances:
    the weighted intercept columns, their (pseudo-)inverse Gram matrix and the values' parts
    (an offset without weight stays at 0)."""

    def __init__(self, z: FloatArray, y: FloatArray, v: FloatArray) -> None:
        self.v = v
        self.zv = z * v[:, None]
        self.inv = np.linalg.pinv(np.einsum("nq,nr->qr", z, self.zv))
        self.vy = v * y
        self.zy = np.einsum("nq,n->q", self.zv, y)
        self.py = self.inv @ self.zy
        self.c = float(np.einsum("n,n->", y, self.vy) - self.zy @ self.py)


class _Projection:
    """Variable projection of the fitted model (Golub & Pereyra): for given τ₁, τ₂ the
    model is linear in p₀, the offsets and k₁, k₂, so their weighted, regularised least
    squares (with k's bounds) is solved in closed form, and only (τ₁, τ₂) is searched: a
    grid over their bounds, then finer grids about the best point. Every fit of one data
    set (the full fit, the cross-validation folds, the bootstrap) differs only in the
    weight of each performance (0 when held out, the count when resampled), so the
    responses at the performance days are computed once per τ and shared."""

    def __init__(self, data: _Data) -> None:
        self.data = data
        n = len(data.value)
        m = len(data.offset_sources)
        self.z = np.zeros((n, 1 + m))
        self.z[:, 0] = 1.0
        for col in range(m):
            self.z[data.source_column == col, 1 + col] = 1.0
        self._cache: dict[float, FloatArray] = {}
        self.tau1 = _tau_grid(TAU1_BOUNDS_D, _TAU1_STEP_D)
        self.tau2 = _tau_grid(TAU2_BOUNDS_D, _TAU2_STEP_D)
        self.g = self._columns(self.tau1)
        self.h = self._columns(self.tau2)

    def _columns(self, taus: FloatArray) -> FloatArray:
        """K times the responses at the performance days for each of ``taus`` (kept: the
        finer grids lie on fixed lattices, so the bootstrap's fits share most of them)."""
        out = []
        for tau in taus:
            key = float(tau)
            if key not in self._cache:
                self._cache[key] = K_VDOT_PER_LOAD * _responses(
                    self.data.load, self.data.index, key
                )
            out.append(self._cache[key])
        return np.array(out)

    def fit(self, counts: FloatArray) -> tuple[ResponseParams, FloatArray]:
        """The fitted model with each performance counted ``counts`` times."""
        keep = np.flatnonzero(counts > 0)  # rows of no weight (held out, not drawn) add nothing
        weights = _Weights(
            self.z[keep], self.data.value[keep], (counts * self.data.weight**2)[keep]
        )
        cost, a, b, beta = self._best(
            weights, self.tau1, self.tau2, self.g[:, keep], self.h[:, keep]
        )
        tau1, tau2 = self.tau1[a], self.tau2[b]
        step1, step2 = _TAU1_STEP_D, _TAU2_STEP_D
        for _level in range(_REFINE_LEVELS):
            t1 = np.unique(
                np.clip(np.linspace(tau1 - step1, tau1 + step1, _REFINE_POINTS), *TAU1_BOUNDS_D)
            )
            t2 = np.unique(
                np.clip(np.linspace(tau2 - step2, tau2 + step2, _REFINE_POINTS), *TAU2_BOUNDS_D)
            )
            c, a, b, bt = self._best(
                weights, t1, t2, self._columns(t1)[:, keep], self._columns(t2)[:, keep]
            )
            if c <= cost:
                cost, tau1, tau2, beta = c, t1[a], t2[b], bt
            step1 = 2.0 * step1 / (_REFINE_POINTS - 1)
            step2 = 2.0 * step2 / (_REFINE_POINTS - 1)
        k = K_VDOT_PER_LOAD
        params = ResponseParams(
            float(beta[0]), float(beta[-2] * k), float(beta[-1] * k), float(tau1), float(tau2)
        )
        return params, np.asarray(beta[1:-2], dtype=np.float64)

    def _best(
        self, w: _Weights, tau1: FloatArray, tau2: FloatArray, g: FloatArray, h: FloatArray
    ) -> tuple[float, int, int, FloatArray]:
        """The lowest regularised cost over the grid tau1 × tau2, its indices and the linear
        coefficients (p₀, offsets, u₁, u₂; k = u·K) there.

        The intercepts (p₀, offsets: unbounded) are eliminated (Schur complement), leaving
        per grid point a 2-D quadratic in (u₁, u₂) on the box of k's bounds, solved exactly:
        its unconstrained minimum when inside the box, else the best edge minimum."""
        v, zv, inv, vy, py = w.v, w.zv, w.inv, w.vy, w.py
        gv = g * v
        # einsum, not BLAS: these products are small, and a threaded BLAS stalls on a
        # loaded machine (measured: 0.5 ms against up to 0.4 s).
        zg = np.einsum("nq,an->qa", zv, g)  # q0 × A
        zh = np.einsum("nq,bn->qb", zv, h)  # q0 × B
        s1 = 1.0 / _PRIOR_SD_K_REL**2
        s2 = 1.0 / (2.0 * _PRIOR_SD_K_REL) ** 2
        pg = inv @ zg
        ph = inv @ zh
        # Model: intercepts + u₁ g − u₂ h; in (u₁, u₂) the cost is uᵀAu − 2bᵀu + c.
        a11 = (np.einsum("an,an->a", gv, g) - np.einsum("qa,qa->a", zg, pg) + s1)[:, None]
        a22 = (np.einsum("bn,bn->b", h * v, h) - np.einsum("qb,qb->b", zh, ph) + s2)[None, :]
        a12 = -(np.einsum("an,bn->ab", gv, h) - zg.T @ ph)
        b1 = (np.einsum("an,n->a", g, vy) - zg.T @ py + s1)[:, None]
        b2 = (-np.einsum("bn,n->b", h, vy) + zh.T @ py + 2.0 * s2)[None, :]
        c = w.c + s1 + 4.0 * s2
        tau_prior = (np.log(tau1 / POPULATION.tau1_d) / _PRIOR_SD_LN_TAU1)[:, None] ** 2 + (
            np.log(tau2 / POPULATION.tau2_d) / _PRIOR_SD_LN_TAU2
        )[None, :] ** 2
        lo = _K_BOUNDS[0] / K_VDOT_PER_LOAD
        hi = _K_BOUNDS[1] / K_VDOT_PER_LOAD
        shape = (len(tau1), len(tau2))

        def cost(u1: FloatArray, u2: FloatArray) -> FloatArray:
            quad = a11 * u1 * u1 + 2.0 * a12 * u1 * u2 + a22 * u2 * u2
            return np.asarray(quad - 2.0 * (b1 * u1 + b2 * u2) + c + tau_prior)

        det = a11 * a22 - a12 * a12
        with np.errstate(divide="ignore", invalid="ignore"):
            free1 = (b1 * a22 - b2 * a12) / det
            free2 = (b2 * a11 - b1 * a12) / det
        inside = (det > 0) & (free1 >= lo) & (free1 <= hi) & (free2 >= lo) & (free2 <= hi)
        best1 = np.where(inside, free1, lo)
        best2 = np.where(inside, free2, lo)
        best = np.where(inside, cost(best1, best2), np.inf)
        for edge in (lo, hi):
            fixed = np.full(shape, edge)
            other = np.clip((b2 - a12 * edge) / a22, lo, hi)
            for u1, u2 in ((fixed, other), (np.clip((b1 - a12 * edge) / a11, lo, hi), fixed)):
                value = cost(u1, u2)
                better = ~inside & (value < best)
                best = np.where(better, value, best)
                best1 = np.where(better, u1, best1)
                best2 = np.where(better, u2, best2)
        a, b = np.unravel_index(int(np.argmin(best)), shape)
        u1, u2 = float(best1[a, b]), float(best2[a, b])
        intercepts = py - pg[:, a] * u1 + ph[:, b] * u2
        beta = np.concatenate((intercepts, [u1, u2]))
        return float(best[a, b]), int(a), int(b), beta


def _model(data: _Data, params: ResponseParams, offsets: FloatArray) -> FloatArray:
    shape = params.k1 * _responses(data.load, data.index, params.tau1_d) - params.k2 * _responses(
        data.load, data.index, params.tau2_d
    )
    return _intercepts(data, params.p0, offsets) + shape


def _cv_rmse(data: _Data, mode: Mode, folds: int, projection: _Projection) -> float:
    n = len(data.value)
    errors = np.empty(n)
    order = np.arange(n)
    for fold in range(min(folds, n)):
        test = order[order % folds == fold]
        train = order[order % folds != fold]
        sub = data.subset(train)
        # A held-out source absent from the training part has no offset: it cannot be
        # predicted on its own scale, so its error is taken as its deviation from the mean.
        if mode == "fitted":
            params, offsets = projection.fit((order % folds != fold).astype(np.float64))
        else:
            params, offsets = _fit(sub, mode)
        held = data.subset(test)
        missing = ~np.isin(held.source_column, sub.source_column)
        pred = _model(held, params, offsets)
        if missing.any():
            pred[missing] = held.value[missing].mean()
        errors[test] = held.value - pred
    return float(math.sqrt(np.mean(errors**2)))


def _quality(data: _Data, params: ResponseParams, offsets: FloatArray) -> tuple[float, float]:
    residual = data.value - _model(data, params, offsets)
    rmse = float(math.sqrt(np.mean(residual**2)))
    spread = float(np.sum((data.value - data.value.mean()) ** 2))
    r2 = 1.0 - float(np.sum(residual**2)) / spread if spread > 0 else 0.0
    return rmse, r2


def _prepare(
    loads: npt.ArrayLike, first_day: dt.date, performances: Sequence[Performance]
) -> _Data:
    load = np.asarray(loads, dtype=np.float64)
    if load.ndim != 1 or not np.all(np.isfinite(load)) or np.any(load < 0):
        raise ValueError("daily loads must be a 1-D array of finite values ≥ 0")
    kept = [p for p in performances if 0 <= (p.date - first_day).days <= len(load)]
    present = [s for s in PerformanceSource if any(p.source == s for p in kept)]
    offset_sources = tuple(present[1:])
    column = {s: i for i, s in enumerate(offset_sources)}
    return _Data(
        load=load,
        index=np.array([(p.date - first_day).days for p in kept], dtype=np.int64),
        value=np.array([p.value for p in kept], dtype=np.float64),
        weight=np.array([1.0 / SOURCE_SD[p.source] for p in kept], dtype=np.float64),
        source_column=np.array([column.get(p.source, -1) for p in kept], dtype=np.int64),
        offset_sources=offset_sources,
    )


def fit_response(
    loads: npt.ArrayLike,
    first_day: dt.date,
    performances: Sequence[Performance],
    rule: SufficiencyRule | None = None,
) -> ResponseFit:
    """The runner's response parameters from daily ``loads`` (from ``first_day``) and dated
    ``performances``, or the population values with the reason (module docstring).

    Performances dated outside the loads (before ``first_day`` or more than a day after the
    last load) are left out.
    """
    rule = rule or SufficiencyRule()
    data = _prepare(loads, first_day, performances)
    n = len(data.value)
    span = int(data.index.max() - data.index.min()) if n else 0

    def offsets_of(values: FloatArray) -> dict[PerformanceSource, float]:
        return {s: float(values[i]) for i, s in enumerate(data.offset_sources)}

    def population(reason: str, cv: dict[str, float] | None = None) -> ResponseFit:
        if n == 0:
            return ResponseFit(False, reason, POPULATION, 0, 0, None, None, cv)
        params, offsets = _fit(data, "population")
        rmse, r2 = _quality(data, params, offsets)
        return ResponseFit(False, reason, params, n, span, rmse, r2, cv, {}, offsets_of(offsets))

    if n < rule.min_performances or span < rule.min_span_d:
        outside = len(performances) - n
        return population(
            f"{n} performance{'s' if n != 1 else ''} over {span} days; a fit needs at least "
            f"{rule.min_performances} over at least {rule.min_span_d} days"
            + (f" ({outside} more outside the training history)" if outside else "")
        )
    projection = _Projection(data)
    cv = {
        mode: _cv_rmse(data, mode, rule.folds, projection)
        for mode in ("fitted", "population", "null")
    }
    if cv["fitted"] >= _CV_MARGIN * cv["population"]:
        return population(
            f"the fit predicted held-out performances no better than the population values "
            f"(RMSE {cv['fitted']:.2f} against {cv['population']:.2f} VDOT)",
            cv,
        )
    if cv["fitted"] >= _CV_MARGIN * cv["null"]:
        return population(
            f"the performances do not follow the training load: the fit predicted held-out "
            f"ones no better than their mean (RMSE {cv['fitted']:.2f} against "
            f"{cv['null']:.2f} VDOT)",
            cv,
        )
    params, offsets = projection.fit(np.ones(n))
    rmse, r2 = _quality(data, params, offsets)
    rng = np.random.default_rng(rule.seed)
    samples = []
    for _ in range(rule.bootstrap):
        pick = rng.integers(0, n, n)
        if len(np.unique(data.index[pick])) < 3:
            continue
        boot, _offsets = projection.fit(np.bincount(pick, minlength=n).astype(np.float64))
        samples.append((boot.k1, boot.k2, boot.tau1_d, boot.tau2_d))
    intervals = {}
    if samples:
        table = np.array(samples)
        for col, name in enumerate(("k1", "k2", "tau1_d", "tau2_d")):
            low, high = np.percentile(table[:, col], [2.5, 97.5])
            intervals[name] = Interval(float(low), float(high))
    reason = (
        f"fitted to {n} performances over {span} days; held-out RMSE {cv['fitted']:.2f} VDOT "
        f"against {cv['population']:.2f} with population values"
    )
    sets = tuple(ResponseParams(params.p0, *sample) for sample in samples)
    return ResponseFit(
        True, reason, params, n, span, rmse, r2, cv, intervals, offsets_of(offsets), sets
    )
