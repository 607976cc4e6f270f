"""A runner's own heart-rate–speed line from their steady running (SCIENCE.md "Targets and
limits": heart rate for a pace "from the runner's own HR–speed line where their steady runs
allow a fit (steady segments after the first 10 min, grade-adjusted speed, R² reported);
otherwise Daniels' %HRmax").

Our choices, stated here:

- **Steady segment**: a run of consecutive moving samples lasting ``WINDOW_S`` (5 min),
  starting at least ``WARMUP_S`` (10 min) into the session (heart rate has settled), whose
  grade-adjusted speed (Minetti et al. 2002, ``stats.grade_adjusted_speed``) varies little
  (coefficient of variation of its 30 s means < ``MAX_SPEED_CV``, 5 %), with heart rate
  recorded for ≥ ``MIN_HR_COVERAGE`` (90 %) of it and drifting little (mean of the second
  half − mean of the first half within ±``MAX_HR_DRIFT_BPM``, 4 bpm). Segments do not
  overlap; each gives one point (mean grade-adjusted speed, mean heart rate).
- **Fit**: ordinary least squares of HR on speed over the points. Accepted only with
  ≥ ``MIN_POINTS`` points from ≥ ``MIN_SESSIONS`` sessions, speeds spanning
  ≥ ``MIN_SPAN_MPS`` (0.3 m/s, about 5:30 to 4:55 /km), a positive slope and
  R² ≥ ``MIN_R2`` (0.6); otherwise refused with the reason, and targets fall back to
  Daniels' %HRmax (or Friel's %LTHR).
- **Use**: a pace's heart rate is the line's value at that speed ± ``HR_TOLERANCE_BPM``
  (3 bpm), only inside the fitted speeds widened by ``EXTRAPOLATE`` (10 %) either way;
  the caller clamps it to Daniels' band for the intensity widened by 5 % of HRmax
  (``science.plans.targets``), so a poor line cannot move a target far.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from smartrunning.science.stats import grade_adjusted_speed

__all__ = [
    "EXTRAPOLATE",
    "HR_TOLERANCE_BPM",
    "MIN_POINTS",
    "MIN_R2",
    "MIN_SESSIONS",
    "MIN_SPAN_MPS",
    "HRSpeedLine",
    "HRSpeedRefusal",
    "SteadyPoint",
    "fit_hr_speed",
    "steady_points",
]

FloatArray = npt.NDArray[np.float64]

WARMUP_S: Final = 600.0
WINDOW_S: Final = 300.0
BLOCK_S: Final = 30.0
MAX_SPEED_CV: Final = 0.05
MIN_HR_COVERAGE: Final = 0.9
MAX_HR_DRIFT_BPM: Final = 4.0
MIN_POINTS: Final = 6
MIN_SESSIONS: Final = 3
MIN_SPAN_MPS: Final = 0.3
MIN_R2: Final = 0.6
HR_TOLERANCE_BPM: Final = 3.0
EXTRAPOLATE: Final = 0.10


@dataclass(frozen=True, slots=True)
class SteadyPoint:
    """One steady segment of a session on ``day``: mean grade-adjusted speed and HR."""

    day: dt.date
    session: int
    speed_mps: float
    hr_bpm: float


@dataclass(frozen=True, slots=True)
class HRSpeedLine:
    """HR = ``intercept_bpm`` + ``slope`` · speed, fitted on ``n`` steady segments of
    ``sessions`` runs from ``first_day`` to ``last_day``, speeds ``speed_low``–``speed_high``."""

    slope: float
    intercept_bpm: float
    r2: float
    n: int
    sessions: int
    first_day: dt.date
    last_day: dt.date
    speed_low: float
    speed_high: float

    def hr_at(self, speed_mps: float) -> float:
        return self.intercept_bpm + self.slope * speed_mps

    def covers(self, speed_mps: float) -> bool:
        """Within the fitted speeds widened by ``EXTRAPOLATE`` either way."""
        return (
            self.speed_low * (1 - EXTRAPOLATE) <= speed_mps <= self.speed_high * (1 + EXTRAPOLATE)
        )

    def describe(self) -> str:
        return (
            f"your heart rate–speed line (R² {self.r2:.2f}, {self.n} steady segments from "
            f"{self.sessions} runs, {self.first_day:%d %b %Y} – {self.last_day:%d %b %Y})"
        )


@dataclass(frozen=True, slots=True)
class HRSpeedRefusal:
    """Why no line was accepted (a sentence for people), with what was found."""

    reason: str
    n: int
    sessions: int
    r2: float | None = None


def steady_points(
    day: dt.date,
    session: int,
    dt_s: FloatArray,
    moving: npt.NDArray[np.bool_],
    speed_mps: FloatArray,
    grade: FloatArray,
    heart_rate_bpm: FloatArray,
) -> tuple[SteadyPoint, ...]:
    """The steady segments of one session's cleaned streams (module doc)."""
    gas = grade_adjusted_speed(np.asarray(speed_mps, dtype=np.float64), np.asarray(grade))
    t = np.cumsum(np.asarray(dt_s, dtype=np.float64))
    points: list[SteadyPoint] = []
    start: int | None = None
    for i in range(len(t)):
        if t[i] < WARMUP_S or not moving[i] or not math.isfinite(gas[i]):
            start = None
            continue
        if start is None:
            start = i
            continue
        if t[i] - t[start] + dt_s[start] < WINDOW_S:
            continue
        point = _window_point(day, session, dt_s[start : i + 1], gas[start : i + 1],
                              heart_rate_bpm[start : i + 1])  # fmt: skip
        if point is not None:
            points.append(point)
        start = None
    return tuple(points)


def _window_point(
    day: dt.date, session: int, w: FloatArray, gas: FloatArray, hr: FloatArray
) -> SteadyPoint | None:
    total = float(np.sum(w))
    if total <= 0:
        return None
    axis = np.cumsum(w) - w
    blocks = np.minimum((axis // BLOCK_S).astype(int), int(WINDOW_S // BLOCK_S) - 1)
    means = np.array(
        [np.average(gas[blocks == b], weights=w[blocks == b] + 1e-12) for b in np.unique(blocks)]
    )
    mean_speed = float(np.average(gas, weights=w))
    if mean_speed <= 0 or float(np.std(means)) / mean_speed >= MAX_SPEED_CV:
        return None
    has_hr = np.isfinite(hr)
    if float(np.sum(w[has_hr])) < MIN_HR_COVERAGE * total:
        return None
    half = axis < total / 2
    first, second = has_hr & half, has_hr & ~half
    if not first.any() or not second.any():
        return None
    drift = np.average(hr[second], weights=w[second] + 1e-12) - np.average(
        hr[first], weights=w[first] + 1e-12
    )
    if abs(drift) > MAX_HR_DRIFT_BPM:
        return None
    mean_hr = float(np.average(hr[has_hr], weights=w[has_hr] + 1e-12))
    return SteadyPoint(day, session, mean_speed, mean_hr)


def fit_hr_speed(points: Iterable[SteadyPoint]) -> HRSpeedLine | HRSpeedRefusal:
    """The runner's line from ``points``, or why none is accepted (module doc)."""
    found: Sequence[SteadyPoint] = tuple(points)
    n = len(found)
    sessions = len({p.session for p in found})
    if n < MIN_POINTS or sessions < MIN_SESSIONS:
        return HRSpeedRefusal(
            f"{n} steady segments from {sessions} runs: at least {MIN_POINTS} from "
            f"{MIN_SESSIONS} runs are needed",
            n,
            sessions,
        )
    x = np.array([p.speed_mps for p in found])
    y = np.array([p.hr_bpm for p in found])
    span = float(x.max() - x.min())
    if span < MIN_SPAN_MPS:
        return HRSpeedRefusal(
            f"the steady runs span {span:.2f} m/s of speed: at least {MIN_SPAN_MPS} m/s "
            "is needed to draw a line",
            n,
            sessions,
        )
    slope, intercept = (float(v) for v in np.polyfit(x, y, 1))
    residual = float(np.sum((y - (intercept + slope * x)) ** 2))
    spread = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - residual / spread if spread > 0 else 0.0
    if slope <= 0:
        return HRSpeedRefusal(
            "heart rate does not rise with speed in the steady runs", n, sessions, r2
        )
    if r2 < MIN_R2:
        return HRSpeedRefusal(
            f"the line explains too little (R² {r2:.2f}, at least {MIN_R2} is needed)",
            n,
            sessions,
            r2,
        )
    days = [p.day for p in found]
    return HRSpeedLine(
        slope, intercept, r2, n, sessions, min(days), max(days), float(x.min()), float(x.max())
    )
