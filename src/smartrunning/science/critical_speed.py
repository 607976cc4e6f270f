"""Critical speed (CS) and D′ from personal bests: the two-parameter linear model.

D = CS · t + D′ (Monod & Scherrer 1965; Hill 1993), fitted by least squares on (t, D)
pairs. Which efforts enter the fit, in this order (SCIENCE.md, "Critical speed and D′"):

1. efforts dated after the ``as_of`` date are excluded (not yet run on that date);
2. one effort per distance (distances equal to 0.1 m): the fastest; on equal times the
   most recent, so the age warning reflects the freshest evidence;
3. efforts with 120 s ≤ t ≤ 1200 s (GoldenCheetah's window); with fewer than 2, the
   window widens to 90–2400 s with a warning; with fewer than 2 still, the result is
   "insufficient" and carries the caller's fallback (previous or default) value.

A fit with CS ≤ 0 or D′ < 0 is a failure: the result is "invalid" and carries the fallback.

``strict=True`` applies the anchor rules (SCIENCE.md, "Which efforts anchor CS"): the efforts
given must be anchors (maximal efforts: races, time trials, training efforts shown maximal
by the caller's rule); the fit needs efforts from at least two different sessions (an effort's
``source``), else it is "insufficient"; a fit whose line predicts the time of any effort it
used more than ``MAX_PREDICTION_ERROR`` off, or whose D′ is outside ``D_PRIME_RANGE_M``, or
that a recent anchor longer than the window beat by more than ``MAX_PREDICTION_ERROR`` (the
line overestimates speed there, so such a race contradicts it), is "refused" with its
reason and carries the fallback.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

import numpy as np

__all__ = [
    "CS_WIDE_WINDOW_S",
    "CS_WINDOW_S",
    "D_PRIME_RANGE_M",
    "MAX_PREDICTION_ERROR",
    "MIN_R_SQUARED",
    "NOT_MAXIMAL_HINT",
    "OLD_EFFORT_DAYS",
    "CriticalSpeed",
    "CriticalSpeedResult",
    "Effort",
    "ExcludedEffort",
    "ExclusionReason",
    "FitStatus",
    "FitWarning",
    "WarningCode",
    "fit_critical_speed",
    "fit_line",
]

CS_WINDOW_S: Final = (120.0, 1200.0)
CS_WIDE_WINDOW_S: Final = (90.0, 2400.0)
OLD_EFFORT_DAYS: Final = 365
D_PRIME_RANGE_M: Final = (50.0, 500.0)
MIN_R_SQUARED: Final = 0.99
MAX_PREDICTION_ERROR: Final = 0.02
"""Largest relative error in time with which an anchor fit may predict an effort it used
(SCIENCE.md, "Which efforts anchor CS": ~2 %; race-like efforts lie on the line within
about 1 %, Smyth & Muniz-Pumares 2020)."""
_ROUNDING_M: Final = 1e-6
"""A fitted D′ this little below 0 is rounding error on a true 0, not a failed fit."""


@dataclass(frozen=True, slots=True)
class Effort:
    """A maximal effort (personal best): ``distance_m`` in ``time_s`` on ``date``.

    ``id`` is the caller's reference (e.g. a personal-best row), carried through untouched.
    ``source`` names what the effort was run in (a session, or an entered result): a strict
    fit needs efforts from two different sources. ``None``: a source of its own.
    """

    distance_m: float
    time_s: float
    date: date
    id: str | int | None = None
    source: str | int | None = None

    def __post_init__(self) -> None:
        for name, value in (("distance_m", self.distance_m), ("time_s", self.time_s)):
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"effort {name} must be a positive number, got {value!r}")

    @property
    def speed_mps(self) -> float:
        """Average speed, m/s."""
        return self.distance_m / self.time_s


@dataclass(frozen=True, slots=True)
class CriticalSpeed:
    """A CS/D′ pair: ``cs_mps`` > 0 (m/s) and ``d_prime_m`` ≥ 0 (m)."""

    cs_mps: float
    d_prime_m: float

    def __post_init__(self) -> None:
        if not math.isfinite(self.cs_mps) or self.cs_mps <= 0:
            raise ValueError(f"critical speed must be positive, got {self.cs_mps!r}")
        if not math.isfinite(self.d_prime_m) or self.d_prime_m < 0:
            raise ValueError(f"D′ must be non-negative, got {self.d_prime_m!r}")

    @property
    def pace_s_per_km(self) -> float:
        """CS as a pace, seconds per kilometre."""
        return 1000.0 / self.cs_mps


class FitStatus(StrEnum):
    """``fitted``: the values are the fit. Otherwise they are the caller's fallback."""

    FITTED = "fitted"
    INSUFFICIENT = "insufficient"
    INVALID = "invalid"
    REFUSED = "refused"


class ExclusionReason(StrEnum):
    AFTER_AS_OF = "after_as_of"
    NOT_FASTEST_AT_DISTANCE = "not_fastest_at_distance"
    OUTSIDE_WINDOW = "outside_window"


class WarningCode(StrEnum):
    WIDENED_WINDOW = "widened_window"
    INSUFFICIENT_EFFORTS = "insufficient_efforts"
    INVALID_FIT = "invalid_fit"
    ONLY_TWO_POINTS = "only_two_points"
    OLD_EFFORTS = "old_efforts"
    D_PRIME_OUT_OF_RANGE = "d_prime_out_of_range"
    LOW_R_SQUARED = "low_r_squared"
    ONE_SOURCE = "one_source"
    PREDICTION_ERROR = "prediction_error"
    BEATEN_BY_LONGER = "beaten_by_longer"


@dataclass(frozen=True, slots=True)
class ExcludedEffort:
    effort: Effort
    reason: ExclusionReason
    message: str


@dataclass(frozen=True, slots=True)
class FitWarning:
    code: WarningCode
    message: str


@dataclass(frozen=True, slots=True)
class CriticalSpeedResult:
    """The outcome of ``fit_critical_speed``.

    - ``value``: the fitted CS/D′ when ``status`` is ``FITTED``, else the fallback.
    - ``r_squared``, ``see_m``: fit quality (R², standard error of the estimate in m);
      ``None`` when there is no fit, and ``see_m`` is ``None`` for an exact 2-point fit.
    - ``used``: the efforts inside the window, by time (the fit's points, or would-be points).
    - ``excluded``: every other effort given, with the reason.
    - ``window_s``: the duration window applied.
    """

    status: FitStatus
    value: CriticalSpeed
    r_squared: float | None
    see_m: float | None
    used: tuple[Effort, ...]
    excluded: tuple[ExcludedEffort, ...]
    warnings: tuple[FitWarning, ...]
    window_s: tuple[float, float]

    @property
    def fitted(self) -> bool:
        return self.status is FitStatus.FITTED

    @property
    def cs_mps(self) -> float:
        return self.value.cs_mps

    @property
    def d_prime_m(self) -> float:
        return self.value.d_prime_m

    @property
    def warning_codes(self) -> frozenset[WarningCode]:
        return frozenset(w.code for w in self.warnings)


def _fastest_per_distance(efforts: list[Effort], excluded: list[ExcludedEffort]) -> list[Effort]:
    best: dict[float, Effort] = {}
    for effort in sorted(efforts, key=lambda e: (e.time_s, -e.date.toordinal())):
        key = round(effort.distance_m, 1)
        if key in best:
            kept = best[key]
            excluded.append(
                ExcludedEffort(
                    effort,
                    ExclusionReason.NOT_FASTEST_AT_DISTANCE,
                    f"{effort.distance_m:g} m in {effort.time_s:g} s: the same distance was run "
                    f"in {kept.time_s:g} s on {kept.date.isoformat()}",
                )
            )
        else:
            best[key] = effort
    return list(best.values())


def fit_critical_speed(
    efforts: Iterable[Effort], as_of: date, fallback: CriticalSpeed, *, strict: bool = False
) -> CriticalSpeedResult:
    """Fit D = CS · t + D′ by least squares to the personal bests valid on ``as_of``.

    Sources: Monod & Scherrer 1965; Hill 1993; window after GoldenCheetah; warnings as in
    SCIENCE.md ("Critical speed and D′"). The effort rules are in the module docstring.
    Exact for two points. ``fallback`` (the previous or default value) is returned in
    ``value`` when the fit is insufficient, invalid or refused (``strict``, module docstring).
    """
    excluded: list[ExcludedEffort] = []
    current: list[Effort] = []
    for effort in efforts:
        if effort.date > as_of:
            message = f"dated {effort.date.isoformat()}, after {as_of.isoformat()}"
            excluded.append(ExcludedEffort(effort, ExclusionReason.AFTER_AS_OF, message))
        else:
            current.append(effort)
    candidates = _fastest_per_distance(current, excluded)

    warnings: list[FitWarning] = []
    window = CS_WINDOW_S
    if sum(window[0] <= e.time_s <= window[1] for e in candidates) < 2:
        window = CS_WIDE_WINDOW_S
        warnings.append(
            FitWarning(
                WarningCode.WIDENED_WINDOW,
                f"fewer than 2 efforts lasting {CS_WINDOW_S[0]:g}–{CS_WINDOW_S[1]:g} s; "
                f"the window was widened to {window[0]:g}–{window[1]:g} s",
            )
        )
    used: list[Effort] = []
    for effort in candidates:
        if window[0] <= effort.time_s <= window[1]:
            used.append(effort)
        else:
            message = f"{effort.time_s:g} s is outside {window[0]:g}–{window[1]:g} s"
            excluded.append(ExcludedEffort(effort, ExclusionReason.OUTSIDE_WINDOW, message))
    used.sort(key=lambda e: e.time_s)

    def failed(status: FitStatus, warning: FitWarning) -> CriticalSpeedResult:
        return CriticalSpeedResult(
            status, fallback, None, None, tuple(used), tuple(excluded), (*warnings, warning), window
        )

    if len(used) < 2:
        return failed(
            FitStatus.INSUFFICIENT,
            FitWarning(
                WarningCode.INSUFFICIENT_EFFORTS,
                f"{len(used)} usable effort(s), 2 needed; keeping CS {fallback.cs_mps:.3f} m/s "
                f"and D′ {fallback.d_prime_m:.0f} m",
            ),
        )
    sources = {("effort", i) if e.source is None else e.source for i, e in enumerate(used)}
    if strict and len(sources) < 2:
        return failed(
            FitStatus.INSUFFICIENT,
            FitWarning(
                WarningCode.ONE_SOURCE,
                f"the {len(used)} usable efforts were all run in one session; anchors from 2 "
                f"different sessions are needed; keeping CS {fallback.cs_mps:.3f} m/s and D′ "
                f"{fallback.d_prime_m:.0f} m",
            ),
        )

    fit = _regress(used)
    if fit is None:
        return failed(
            FitStatus.INVALID,
            FitWarning(WarningCode.INVALID_FIT, "the efforts all last the same time"),
        )
    cs, d_prime, r_squared, see_m = fit
    if not (math.isfinite(cs) and cs > 0 and d_prime >= -_ROUNDING_M):
        return failed(
            FitStatus.INVALID,
            FitWarning(
                WarningCode.INVALID_FIT,
                f"the fit gave CS {cs:.3f} m/s and D′ {d_prime:.0f} m (CS must be positive and "
                f"D′ non-negative); keeping CS {fallback.cs_mps:.3f} m/s and D′ "
                f"{fallback.d_prime_m:.0f} m",
            ),
        )
    d_prime = max(d_prime, 0.0)
    if strict and (refusal := _refusal(used, cs, d_prime, fallback)) is not None:
        return failed(FitStatus.REFUSED, refusal)
    longer = [
        x.effort
        for x in excluded
        if x.reason is ExclusionReason.OUTSIDE_WINDOW and x.effort.time_s > window[1]
    ]
    if strict and (refusal := _beaten(longer, as_of, cs, d_prime, fallback)) is not None:
        return failed(FitStatus.REFUSED, refusal)
    warnings.extend(_quality_warnings(used, as_of, d_prime, r_squared))
    return CriticalSpeedResult(
        FitStatus.FITTED,
        CriticalSpeed(cs, d_prime),
        r_squared,
        see_m,
        tuple(used),
        tuple(excluded),
        tuple(warnings),
        window,
    )


def _regress(efforts: Sequence[Effort]) -> tuple[float, float, float, float | None] | None:
    """Least squares D = CS · t + D′: (CS, D′, R², SEE) or ``None`` when every t is equal."""
    t = np.array([e.time_s for e in efforts])
    d = np.array([e.distance_m for e in efforts])
    sxx = float(np.sum((t - t.mean()) ** 2))
    if sxx <= 0:
        return None
    cs = float(np.sum((t - t.mean()) * (d - d.mean()))) / sxx
    d_prime = float(d.mean()) - cs * float(t.mean())
    residuals = d - (cs * t + max(d_prime, 0.0))
    ss_res = float(np.sum(residuals**2))
    ss_tot = float(np.sum((d - d.mean()) ** 2))
    r_squared = 1.0 - ss_res / ss_tot if ss_tot > 0 else 1.0
    n = len(efforts)
    see_m = math.sqrt(ss_res / (n - 2)) if n > 2 else None
    return cs, d_prime, r_squared, see_m


def fit_line(efforts: Sequence[Effort]) -> CriticalSpeed:
    """D = CS · t + D′ by least squares on every effort given, with no window or rules
    (Monod & Scherrer 1965; Hill 1993): for efforts that are equivalent by construction,
    such as the VDOT-equivalent times of ``predictions.critical_speed_from_vdot``.

    Raises:
        ValueError: fewer than 2 efforts of different durations, or CS ≤ 0 or D′ < 0.
    """
    fit = _regress(efforts) if len(efforts) >= 2 else None
    if fit is None:
        raise ValueError("a line needs 2 efforts of different durations")
    cs, d_prime, _, _ = fit
    return CriticalSpeed(cs, max(d_prime, 0.0) if d_prime >= -_ROUNDING_M else d_prime)


NOT_MAXIMAL_HINT: Final = (
    "a training effort counts only when it lasted at least 3 min at 90 % of HRmax or more "
    "(heart rate lags behind the pace in shorter reps: Achten & Jeukendrup, Sports Med "
    "2003); mark races and time trials as such"
)
"""Said with every refusal that blames efforts that were not maximal (``science.bests``
``MIN_HR_EFFORT_S`` and ``MAXIMAL_HR_FRACTION`` state the rule and its sources)."""


def _refusal(
    used: Sequence[Effort], cs: float, d_prime: float, fallback: CriticalSpeed
) -> FitWarning | None:
    """Why an anchor fit is refused (SCIENCE.md, "Which efforts anchor CS"), or ``None``."""
    keeping = (
        f"keeping CS {fallback.cs_mps:.3f} m/s and D′ {fallback.d_prime_m:.0f} m "
        f"({NOT_MAXIMAL_HINT})"
    )
    low, high = D_PRIME_RANGE_M
    if not low <= d_prime <= high:
        return FitWarning(
            WarningCode.D_PRIME_OUT_OF_RANGE,
            f"the fit gave D′ {d_prime:.0f} m, outside the physiological {low:g}–{high:g} m "
            f"(CS {cs:.3f} m/s): the efforts are probably not all maximal; {keeping}",
        )
    worst = max(used, key=lambda e: abs(_predicted_time_s(e, cs, d_prime) / e.time_s - 1))
    error = _predicted_time_s(worst, cs, d_prime) / worst.time_s - 1
    if abs(error) > MAX_PREDICTION_ERROR:
        return FitWarning(
            WarningCode.PREDICTION_ERROR,
            f"the fit (CS {cs:.3f} m/s, D′ {d_prime:.0f} m) predicts {worst.distance_m:g} m of "
            f"{worst.date.isoformat()} in {_predicted_time_s(worst, cs, d_prime):.0f} s, "
            f"{error * 100:+.1f} % off the {worst.time_s:.0f} s run (at most "
            f"{MAX_PREDICTION_ERROR * 100:g} %): the efforts do not lie on one line; {keeping}",
        )
    return None


def _beaten(
    longer: Sequence[Effort], as_of: date, cs: float, d_prime: float, fallback: CriticalSpeed
) -> FitWarning | None:
    """A recent anchor longer than the window, run more than ``MAX_PREDICTION_ERROR``
    faster than the fit allows, refuses it: the line overestimates speed beyond ~40 min
    (it ignores fatigue), so a fit slower than such a race rests on efforts that were not
    maximal (a hot day's training run read as maximal by heart rate, say)."""
    recent = [e for e in longer if (as_of - e.date).days <= OLD_EFFORT_DAYS]
    beaten = [
        e
        for e in recent
        if _predicted_time_s(e, cs, d_prime) > e.time_s * (1 + MAX_PREDICTION_ERROR)
    ]
    if not beaten:
        return None
    worst = max(beaten, key=lambda e: _predicted_time_s(e, cs, d_prime) / e.time_s)
    return FitWarning(
        WarningCode.BEATEN_BY_LONGER,
        f"the fit (CS {cs:.3f} m/s, D′ {d_prime:.0f} m) allows {worst.distance_m:g} m in no "
        f"less than {_predicted_time_s(worst, cs, d_prime):.0f} s, but it was run in "
        f"{worst.time_s:.0f} s on {worst.date.isoformat()}: the shorter efforts were not "
        f"maximal; keeping CS {fallback.cs_mps:.3f} m/s and D′ {fallback.d_prime_m:.0f} m "
        f"({NOT_MAXIMAL_HINT})",
    )


def _predicted_time_s(effort: Effort, cs: float, d_prime: float) -> float:
    return (effort.distance_m - d_prime) / cs


def _quality_warnings(
    used: list[Effort], as_of: date, d_prime: float, r_squared: float
) -> list[FitWarning]:
    warnings: list[FitWarning] = []
    if len(used) == 2:
        warnings.append(
            FitWarning(
                WarningCode.ONLY_TWO_POINTS,
                "only 2 efforts: the line passes exactly through them, so fit quality is unknown",
            )
        )
    old = [e for e in used if (as_of - e.date).days > OLD_EFFORT_DAYS]
    if old:
        dates = ", ".join(e.date.isoformat() for e in old)
        warnings.append(
            FitWarning(
                WarningCode.OLD_EFFORTS,
                f"{len(old)} effort(s) older than {OLD_EFFORT_DAYS} days: {dates}",
            )
        )
    low, high = D_PRIME_RANGE_M
    if not low <= d_prime <= high:
        warnings.append(
            FitWarning(
                WarningCode.D_PRIME_OUT_OF_RANGE,
                f"D′ {d_prime:.0f} m is outside the usual {low:g}–{high:g} m",
            )
        )
    if r_squared < MIN_R_SQUARED:
        warnings.append(
            FitWarning(
                WarningCode.LOW_R_SQUARED,
                f"R² {r_squared:.4f} is below {MIN_R_SQUARED:g}: the efforts do not lie on a line",
            )
        )
    return warnings
