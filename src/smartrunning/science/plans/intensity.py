"""Daniels' training intensities for one runner: which of easy, marathon, threshold,
interval and repetition running a speed is, the heart rate that goes with it, and the
runner's predicted race speed.

Sources (SCIENCE.md "Targets and limits"):

- The runner's level is a VDOT (Daniels & Gilbert, ``predictions.vdot``): the one given
  (from races), else the VDOT of the critical-speed model's 5000 m, t = (5000 − D′) / CS,
  taken inside the model's window (2–30 min; outside it, the distance the model gives at
  the window's nearer end).
- A speed's share of that VDOT is VO₂(v) / VDOT (the oxygen cost of Daniels & Gilbert).
  Daniels' Running Formula gives the training intensities as shares of VO₂max:
  easy 59–74 %, marathon 75–84 %, threshold 83–88 %, interval 95–100 %, repetition
  105–120 %. A speed belongs to the intensity whose band it is in, the boundaries halfway
  between neighbouring bands: E < 74.5 % ≤ M < 83.5 % ≤ T < 91.5 % ≤ I < 102.5 % ≤ R.
- Heart rate per intensity (Daniels' Running Formula, %HRmax): easy 65–79 %, marathon
  80–90 %, threshold 88–92 %, interval 98–100 %. Repetitions are too short for heart rate
  to settle: Daniels sets them by pace only, so they have no heart-rate target.
- With a measured lactate-threshold heart rate (LTHR), Friel's running zones as % of
  LTHR (*The Triathlete's Training Bible*; Friel's "Quick guide to setting zones"):
  easy = zones 1–2 (up to 89 %; zone 1 has no lower bound, shown from 75 %), marathon =
  zone 3 (90–94 %), threshold = zones 4–5a (95–102 %), interval = zone 5b (103–106 %).
- Race speed (SCIENCE.md "Race pace"): the CS model t = (D − D′) / CS where its predicted
  time is inside its window (2–30 min), else the VDOT-equivalent time for the distance
  (``predictions.vdot_time_s``) at the runner's VDOT from races, or without one at the
  VDOT of the CS model's performance at the window's nearer end (so the two methods
  meet there). Stated with the method used.

- Easy running in the library and the generator (``EASY_RUN_FRACTION``,
  ``RECOVERY_RUN_FRACTION``): workouts are written as fractions of CS (SCIENCE.md "ZWO
  workout files"), so easy running is a fixed fraction chosen inside Daniels' E band
  (59–74 % of VDOT) for every runner: at the runner's VDOT (the CS model's; CS 2.3–6 m/s,
  D′ worth 30–90 s at CS) the band runs from 0.69–0.75 × CS (slow end) to 0.82–0.89 × CS
  (fast end) and its middle (66.5 %) is 0.76–0.82 × CS. 0.79 × CS is near the middle for
  all of them, for easy and long runs (Daniels: long runs at E pace); 0.75 × CS, the
  slower part of the band, for recovery runs. (The first library had 0.74–0.77 and 0.68:
  the slow end of E and below it; issue #15.) Jog recoveries between repetitions are
  slower still (0.55–0.72 × CS) and are not easy running.

Never "pace zone n = heart-rate zone n": the two scales do not line up (the issue that
made easy runs show 50–60 % HRmax).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Final

from smartrunning.science.predictions import (
    CS_PREDICTION_WINDOW_S,
    vdot,
    vdot_time_s,
    vo2_ml_kg_min,
)

__all__ = [
    "EASY_RUN_FRACTION",
    "EASY_SHARE",
    "HR_FRACTION_OF_HRMAX",
    "HR_FRACTION_OF_LTHR",
    "RECOVERY_RUN_FRACTION",
    "Intensity",
    "RaceSpeed",
    "classify",
    "hr_range_bpm",
    "race_speed",
    "runner_vdot",
    "share_of_vdot",
    "speed_at_share",
]


class Intensity(StrEnum):
    """Daniels' training intensities."""

    EASY = "E"
    MARATHON = "M"
    THRESHOLD = "T"
    INTERVAL = "I"
    REPETITION = "R"


UPPER_SHARE: Final[tuple[tuple[Intensity, float], ...]] = (
    (Intensity.EASY, 0.745),
    (Intensity.MARATHON, 0.835),
    (Intensity.THRESHOLD, 0.915),
    (Intensity.INTERVAL, 1.025),
    (Intensity.REPETITION, math.inf),
)
"""Upper bound of each intensity as a share of VDOT (module doc: halfway between
Daniels' bands)."""

HR_FRACTION_OF_HRMAX: Final[dict[Intensity, tuple[float, float]]] = {
    Intensity.EASY: (0.65, 0.79),
    Intensity.MARATHON: (0.80, 0.90),
    Intensity.THRESHOLD: (0.88, 0.92),
    Intensity.INTERVAL: (0.98, 1.00),
}
"""Daniels' Running Formula: heart rate per intensity as a fraction of HRmax."""

HR_FRACTION_OF_LTHR: Final[dict[Intensity, tuple[float, float]]] = {
    Intensity.EASY: (0.75, 0.89),
    Intensity.MARATHON: (0.90, 0.94),
    Intensity.THRESHOLD: (0.95, 1.02),
    Intensity.INTERVAL: (1.03, 1.06),
}
"""Friel's running zones as fractions of LTHR (module doc)."""

EASY_SHARE: Final = (0.59, 0.74)
"""Daniels' easy running as shares of VDOT (module doc)."""
EASY_RUN_FRACTION: Final = 0.79
"""Easy and long running, a fraction of CS: near the middle of Daniels' E band (module doc)."""
RECOVERY_RUN_FRACTION: Final = 0.75
"""Recovery runs, a fraction of CS: the slower part of Daniels' E band (module doc)."""

VDOT_REFERENCE_M: Final = 5000.0
"""The CS model's performance a runner's VDOT is taken from when none is given."""


@lru_cache(maxsize=4096)
def runner_vdot(cs_mps: float, d_prime_m: float = 0.0) -> float:
    """The VDOT of the CS model's 5000 m (inside its 2–30 min window; module doc).
    Cached: a plan asks it for every step target, with a handful of (CS, D′) pairs."""
    if not (math.isfinite(cs_mps) and cs_mps > 0):
        raise ValueError(f"CS must be a positive speed, got {cs_mps!r}")
    shortest, longest = CS_PREDICTION_WINDOW_S
    time_s = min(max((VDOT_REFERENCE_M - d_prime_m) / cs_mps, shortest), longest)
    return vdot(d_prime_m + cs_mps * time_s, time_s)


def share_of_vdot(speed_mps: float, level: float) -> float:
    """VO₂(v) / VDOT: the share of VO₂max running at ``speed_mps`` costs."""
    return vo2_ml_kg_min(speed_mps) / level


def speed_at_share(share: float, level: float) -> float:
    """The speed, m/s, whose oxygen cost is ``share`` of ``level`` (VDOT): the positive
    root of 0.000104 v² + 0.182258 v − 4.60 − share · VDOT = 0 (v in m/min)."""
    a, b, c = 0.000104, 0.182258, -4.60 - share * level
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a) / 60.0


def classify(speed_mps: float, level: float) -> Intensity:
    """Daniels' intensity of ``speed_mps`` for a runner of VDOT ``level``."""
    share = share_of_vdot(speed_mps, level)
    for intensity, upper in UPPER_SHARE:
        if share < upper:
            return intensity
    return Intensity.REPETITION


def hr_range_bpm(
    intensity: Intensity, hrmax_bpm: float | None, lthr_bpm: float | None = None
) -> tuple[float, float] | None:
    """Heart rate (lowest, highest) for ``intensity``: Friel's % of a measured LTHR when
    given, else Daniels' % of HRmax; None for repetitions or without either."""
    if lthr_bpm is not None:
        fractions = HR_FRACTION_OF_LTHR.get(intensity)
        base = lthr_bpm
    elif hrmax_bpm is not None:
        fractions = HR_FRACTION_OF_HRMAX.get(intensity)
        base = hrmax_bpm
    else:
        return None
    if fractions is None:
        return None
    return fractions[0] * base, fractions[1] * base


@dataclass(frozen=True, slots=True)
class RaceSpeed:
    """A predicted race: ``time_s`` for ``distance_m`` at ``speed_mps``, by ``method``
    ("critical speed" or "VDOT equivalent"), with ``note`` saying why."""

    distance_m: float
    time_s: float
    method: str
    note: str

    @property
    def speed_mps(self) -> float:
        return self.distance_m / self.time_s


def race_speed(
    distance_m: float, cs_mps: float, d_prime_m: float = 0.0, level: float | None = None
) -> RaceSpeed:
    """The runner's predicted race for ``distance_m`` (module doc): the CS model inside
    its window, else the VDOT equivalent at ``level`` (or the CS model's VDOT)."""
    if not (math.isfinite(distance_m) and distance_m > 0):
        raise ValueError(f"race distance must be positive, got {distance_m!r}")
    if not (math.isfinite(cs_mps) and cs_mps > 0):
        raise ValueError(f"CS must be a positive speed, got {cs_mps!r}")
    shortest, longest = CS_PREDICTION_WINDOW_S
    cs_time = (distance_m - d_prime_m) / cs_mps
    if shortest <= cs_time <= longest:
        return RaceSpeed(
            distance_m,
            cs_time,
            "critical speed",
            f"CS {cs_mps:.2f} m/s, D′ {d_prime_m:.0f} m: inside the model's 2–30 min",
        )
    if level is None:
        edge = longest if cs_time > longest else shortest
        used = vdot(d_prime_m + cs_mps * edge, edge)
        source = f"of the CS model's {edge / 60:g} min"
    else:
        used, source = level, "from races"
    return RaceSpeed(
        distance_m,
        vdot_time_s(used, distance_m),
        "VDOT equivalent",
        f"VDOT {used:.1f} ({source}): the CS model holds for 2–30 min only",
    )
