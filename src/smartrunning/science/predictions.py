"""Race predictions: critical speed, Riegel and VDOT (SCIENCE.md, "Race prediction").

Times in s, distances in m, speeds in m/s. Daniels & Gilbert's formulas are written in
m/min and min; the functions here convert at the boundary.

Riegel and VDOT predict from one source effort: the one nearest in distance to the target,
nearest by ratio (|ln(D_effort / D_target)|, since both models' errors grow with the ratio,
not the difference), ties going to the longer distance; among efforts at that distance,
the fastest. Each ``Prediction`` names its model and its source effort.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from smartrunning.science.critical_speed import CriticalSpeed, Effort, fit_line
from smartrunning.science.distances import STANDARD_DISTANCES, StandardDistance

__all__ = [
    "CS_PREDICTION_WINDOW_S",
    "RIEGEL_EXPONENT",
    "VDOT_CS_DISTANCES_M",
    "VDOT_DISTANCE_RANGE_M",
    "Prediction",
    "PredictionModel",
    "PredictionRow",
    "Unavailable",
    "VdotEstimate",
    "best_vdot",
    "critical_speed_from_vdot",
    "critical_speed_time_s",
    "fraction_of_vo2max",
    "nearest_effort",
    "predict_critical_speed",
    "predict_riegel",
    "predict_vdot",
    "prediction_table",
    "riegel_time_s",
    "vdot",
    "vdot_time_s",
    "vo2_ml_kg_min",
]

RIEGEL_EXPONENT: Final = 1.06
CS_PREDICTION_WINDOW_S: Final = (120.0, 1800.0)
"""Predicted times for which the CS model is shown (about 2–30 min, SCIENCE.md)."""

# Speeds bracketing the VDOT solve: VDOT is increasing in speed for a fixed distance, and
# this bracket spans VDOT ≈ 3 to ≈ 200 for every distance from 400 m to the marathon.
_VDOT_BRACKET_MPS: Final = (0.5, 15.0)


class PredictionModel(StrEnum):
    CRITICAL_SPEED = "critical_speed"
    RIEGEL = "riegel"
    VDOT = "vdot"


class Unavailable(StrEnum):
    """Why a model gives no prediction."""

    NO_CRITICAL_SPEED = "no_critical_speed"
    NO_EFFORTS = "no_efforts"
    OUT_OF_RANGE = "out_of_range"


@dataclass(frozen=True, slots=True)
class Prediction:
    """One model's predicted time for ``distance_m``.

    ``time_s`` is ``None`` exactly when ``unavailable`` says why. ``source`` is the effort
    predicted from (Riegel, VDOT); ``vdot`` is the source's VDOT (VDOT model only);
    ``note`` explains the prediction or its absence in words.
    """

    model: PredictionModel
    distance_m: float
    time_s: float | None
    note: str
    source: Effort | None = None
    vdot: float | None = None
    unavailable: Unavailable | None = None

    @property
    def speed_mps(self) -> float | None:
        return None if self.time_s is None else self.distance_m / self.time_s


@dataclass(frozen=True, slots=True)
class PredictionRow:
    """The predictions of every model for one standard distance."""

    distance: StandardDistance
    critical_speed: Prediction
    riegel: Prediction
    vdot: Prediction

    @property
    def predictions(self) -> tuple[Prediction, Prediction, Prediction]:
        return (self.critical_speed, self.riegel, self.vdot)


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{name} must be a positive number, got {value!r}")


def critical_speed_time_s(distance_m: float, cs: CriticalSpeed) -> float:
    """t = (D − D′) / CS, s (Monod & Scherrer 1965; Hill 1993). Unchecked against range."""
    return (distance_m - cs.d_prime_m) / cs.cs_mps


def predict_critical_speed(distance_m: float, cs: CriticalSpeed | None) -> Prediction:
    """CS prediction (``critical_speed_time_s``), given only inside ``CS_PREDICTION_WINDOW_S``.

    Source: SCIENCE.md "Critical speed and D′": beyond about 2–30 min use Riegel or VDOT.
    """
    _check_positive(distance_m=distance_m)
    model = PredictionModel.CRITICAL_SPEED
    if cs is None:
        return Prediction(
            model, distance_m, None, "no critical speed", unavailable=Unavailable.NO_CRITICAL_SPEED
        )
    t = critical_speed_time_s(distance_m, cs)
    low, high = CS_PREDICTION_WINDOW_S
    basis = f"CS {cs.cs_mps:.3f} m/s, D′ {cs.d_prime_m:.0f} m"
    if not low <= t <= high:
        note = f"{basis} gives {t:.0f} s, outside the model's {low:g}–{high:g} s"
        return Prediction(model, distance_m, None, note, unavailable=Unavailable.OUT_OF_RANGE)
    return Prediction(model, distance_m, t, f"from {basis}")


def riegel_time_s(
    time_s: float, distance_m: float, target_distance_m: float, exponent: float = RIEGEL_EXPONENT
) -> float:
    """T₂ = T₁ · (D₂ / D₁)^1.06, s (Riegel 1977; *American Scientist* 1981)."""
    _check_positive(time_s=time_s, distance_m=distance_m, target_distance_m=target_distance_m)
    return time_s * float((target_distance_m / distance_m) ** exponent)


def nearest_effort(efforts: Iterable[Effort], distance_m: float) -> Effort | None:
    """The effort nearest ``distance_m`` by ratio, ties to the longer; fastest at that distance."""
    _check_positive(distance_m=distance_m)
    return min(
        efforts,
        key=lambda e: (abs(math.log(e.distance_m / distance_m)), -e.distance_m, e.time_s),
        default=None,
    )


def _source_note(effort: Effort) -> str:
    return f"from {effort.distance_m:g} m in {effort.time_s:g} s on {effort.date.isoformat()}"


def predict_riegel(distance_m: float, efforts: Iterable[Effort]) -> Prediction:
    """Riegel prediction from the nearest effort (``nearest_effort``); see ``riegel_time_s``."""
    source = nearest_effort(efforts, distance_m)
    model = PredictionModel.RIEGEL
    if source is None:
        return Prediction(model, distance_m, None, "no efforts", unavailable=Unavailable.NO_EFFORTS)
    t = riegel_time_s(source.time_s, source.distance_m, distance_m)
    return Prediction(model, distance_m, t, _source_note(source), source=source)


def vo2_ml_kg_min(speed_mps: float) -> float:
    """Oxygen cost of running: −4.60 + 0.182258 v + 0.000104 v², v in m/min (Daniels & Gilbert)."""
    v = speed_mps * 60.0
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def fraction_of_vo2max(time_s: float) -> float:
    """Sustainable fraction of VO₂max for a race of ``time_s`` (Daniels & Gilbert, t in min).

    0.8 + 0.1894393 e^(−0.012778 t) + 0.2989558 e^(−0.1932605 t).
    """
    t = time_s / 60.0
    return 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)


def vdot(distance_m: float, time_s: float) -> float:
    """VDOT = VO₂(v) / %max(t) for ``distance_m`` run in ``time_s`` (Daniels & Gilbert)."""
    _check_positive(distance_m=distance_m, time_s=time_s)
    return vo2_ml_kg_min(distance_m / time_s) / fraction_of_vo2max(time_s)


def vdot_time_s(target_vdot: float, distance_m: float) -> float:
    """The time for ``distance_m`` at ``target_vdot``: solves ``vdot(D, t) = VDOT`` for t.

    Source: Daniels & Gilbert (equivalent performances at equal VDOT). Brent's method on a
    bracket of speeds 0.5–15 m/s, in which VDOT is monotone; ``ValueError`` outside it.
    """
    _check_positive(target_vdot=target_vdot, distance_m=distance_m)
    t_fast, t_slow = (distance_m / v for v in reversed(_VDOT_BRACKET_MPS))

    def excess(t: float) -> float:
        return vdot(distance_m, t) - target_vdot

    if not excess(t_fast) > 0 > excess(t_slow):
        raise ValueError(f"VDOT {target_vdot:g} is outside the solvable range at {distance_m:g} m")
    # Imported here: scipy.optimize takes ~0.6 s to import, and every process (CLI command,
    # web worker, queue worker) imports this module while few of them solve for a VDOT.
    from scipy.optimize import brentq

    return float(brentq(excess, t_fast, t_slow, xtol=1e-9, rtol=1e-12))


def predict_vdot(distance_m: float, efforts: Iterable[Effort]) -> Prediction:
    """Equivalent time at the VDOT of the nearest effort (``nearest_effort``, ``vdot_time_s``)."""
    source = nearest_effort(efforts, distance_m)
    model = PredictionModel.VDOT
    if source is None:
        return Prediction(model, distance_m, None, "no efforts", unavailable=Unavailable.NO_EFFORTS)
    level = vdot(source.distance_m, source.time_s)
    try:
        t = vdot_time_s(level, distance_m)
    except ValueError:  # a VDOT no runner has (e.g. from a few metres walked)
        note = f"VDOT {level:.1f} has no equivalent at {distance_m:g} m"
        return Prediction(model, distance_m, None, note, unavailable=Unavailable.OUT_OF_RANGE)
    note = f"VDOT {level:.1f} {_source_note(source)}"
    return Prediction(model, distance_m, t, note, source=source, vdot=level)


def prediction_table(
    efforts: Sequence[Effort],
    cs: CriticalSpeed | None,
    distances: Sequence[StandardDistance] = STANDARD_DISTANCES,
) -> tuple[PredictionRow, ...]:
    """Predictions of every model for each distance (default: the standard distances).

    ``efforts`` are the personal bests to predict from; ``cs`` the CS/D′ to use, or ``None``
    (e.g. when the fit was insufficient and only a default exists).
    """
    return tuple(
        PredictionRow(
            distance=distance,
            critical_speed=predict_critical_speed(distance.distance_m, cs),
            riegel=predict_riegel(distance.distance_m, efforts),
            vdot=predict_vdot(distance.distance_m, efforts),
        )
        for distance in distances
    )


VDOT_CS_DISTANCES_M: Final = (1500.0, 3000.0, 5000.0)
"""The distances whose VDOT-equivalent times give an estimated CS (SCIENCE.md, "Which
efforts anchor CS")."""
VDOT_DISTANCE_RANGE_M: Final = (1500.0, 42195.0)
"""Efforts a VDOT is taken from: Daniels' tables run from 1500 m to the marathon."""


@dataclass(frozen=True, slots=True)
class VdotEstimate:
    """CS/D′ estimated from one performance's VDOT.

    ``source``: the performance; ``vdot``: its VDOT; ``equivalents``: the equivalent
    efforts at ``VDOT_CS_DISTANCES_M`` the line was fitted to; ``value``: the fit.
    """

    source: Effort
    vdot: float
    equivalents: tuple[Effort, ...]
    value: CriticalSpeed


def best_vdot(efforts: Iterable[Effort]) -> tuple[Effort, float] | None:
    """The effort with the highest VDOT among those of 1500 m to the marathon, and its VDOT
    (Daniels & Gilbert); ``None`` when there is none. The caller chooses which efforts
    count (maximal ones, recent ones)."""
    low, high = VDOT_DISTANCE_RANGE_M
    scored = [
        (vdot(e.distance_m, e.time_s), e)
        for e in efforts
        if low - 0.5 <= e.distance_m <= high + 0.5
    ]
    if not scored:
        return None
    level, effort = max(scored, key=lambda pair: (pair[0], pair[1].date))
    return effort, level


def critical_speed_from_vdot(source: Effort) -> VdotEstimate:
    """CS/D′ from the equivalent performances at ``source``'s VDOT (Daniels & Gilbert):
    the times at 1500, 3000 and 5000 m at that VDOT (``vdot_time_s``), fitted to
    D = CS · t + D′ by least squares (Monod & Scherrer; Hill). SCIENCE.md, "Which efforts
    anchor CS": the estimate for a runner whose performances lie outside the CS model's
    window (a 10 km, a half marathon) or who has a single one.
    """
    level = vdot(source.distance_m, source.time_s)
    equivalents = tuple(
        Effort(distance_m=d, time_s=vdot_time_s(level, d), date=source.date, id=source.id)
        for d in VDOT_CS_DISTANCES_M
    )
    return VdotEstimate(source, level, equivalents, fit_line(equivalents))
