"""Daniels' training paces for one runner, and the library's sessions run at them.

The library writes workouts as fractions of CS (SCIENCE.md "ZWO workout files"). For easy
running one fraction suits every runner (``intensity.EASY_RUN_FRACTION``), but threshold,
interval and repetition paces sit at different fractions of CS for different runners (they
depend on D′ and on how the runner's races compare with their CS): 6 × 3 min at 1.10 × CS
was faster than Daniels' I for a masters runner and a sub-3 marathoner (issue #15). So the
generator sets the hard parts of the library's sessions from the runner's VDOT instead.

The runner's VDOT (``DayParameters.level``): from races when the plan has one (the best race
VDOT of the last year, ``plans.basis``), else the VDOT of the runner's own CS model (its
5000 m from CS and D′, ``intensity.runner_vdot``), so the paces still follow the runner's
CS and D′. Daniels' paces at a VDOT (Daniels' Running Formula, 3rd ed., ch. 4 and the
training-intensity table; Daniels & Gilbert's oxygen cost, ``intensity.speed_at_share``):

- **T** (threshold): the speed at 88 % of VDOT, about the pace of a one-hour race (the
  Daniels & Gilbert drop-off gives 88.0 % at 60 min). VDOT 50: 4:15/km, the table's T;
- **I** (interval): the speed at 97.5 % of VDOT, the middle of Daniels' 95–100 % (he sets I
  at about vVO2max, a 10–12 min race, for reps of 3–5 min). VDOT 50: 3:55/km, the table's I
  (1:34 per 400 m); VDOT 30: 5:54 (table 5:55);
- **R** (repetition): 6 s per 400 m faster than I (``R_FASTER_THAN_I_S_PER_400M``). In
  Daniels' training-intensities table R is 5-7 s per 400 m faster than I at every VDOT
  from 30 to 85 (VDOT 30: I 2:22, R 2:16 per 400 m; 40: 1:52, 1:46; 60: 1:21, 1:15;
  70: 1:11, 1:05; 85: 1:01, 0:56), and so are the values of Daniels' VDOT calculator
  runners quote (VDOT 49: I 1:35, R 1:29, fit360.blogspot.com 2009; VDOT 58: I 1:23,
  R 1:17, chrisbagg.blogspot.com 2009). The first version took the VDOT-equivalent mile
  race pace ("R is about current mile race pace"): 0.6-1.5 s per 400 m slower than the
  table for slow runners (VDOT 30-38, whose mile takes 8-9 min: 101 % of vVO2max, about
  5 s per 400 m faster than I) and 0.5-1.6 s faster for the fastest (VDOT 70-85). I - 6 s
  is within a second of those rows; R lands between the runner's VDOT-equivalent 800 m
  and 3000 m race paces, at 103 % (VDOT 30) to 111 % (VDOT 85) of VDOT;
- **M** (marathon): the VDOT-equivalent marathon race pace (table 3.1: VDOT 50, 3:10:49).

Which parts of a library session are which (``intended_intensity``; by the session's
``kind:`` tag, so the same for every runner): the repetitions of a ``vo2max`` session
(parts at ≥ 1.0 × CS) are I; the work of a ``threshold`` session (≥ 0.93 × CS) and of a
``tempo`` session (≥ 0.85 × CS: the library writes its "comfortably hard" 20-30 min at
0.88-0.90 × CS, 6-13 % slower than T for every runner of CS 2.3-6 m/s, as T is
0.95-1.02 × CS at the CS model's VDOT; Daniels' tempo run *is* T running, "comfortably
hard", Running Formula ch. 4) is T; the fast finish of a ``long`` run (≥ 0.84 × CS) is
M; the strides of a ``strides`` session (≥ 1.15 × CS) are R; the repetitions of a
``hills`` session are I *effort*: their fraction is grade-adjusted (a flat-equivalent
speed; rTSS scores normalised graded speed), so the planned load is that of running at
I, and they are run by effort, not pace: their targets (``targets.step_targets``) have
no pace, and say so (``HILL_EFFORT``).
Easy running (every step written at or below ``intensity.EASY_RUN_FRACTION`` × CS outside
the intended parts: easy and long runs, a session's easy part) is never faster than the
fast end of Daniels' E band (``intensity.EASY_SHARE``, 74 % of VDOT) at the runner's VDOT:
0.79 × CS is inside the band at the CS model's VDOT, but a runner whose races give a VDOT
about 6 % below the CS model's would run it at marathon intensity (issue #15, the plan
grid). Such steps are slowed to the band's fast end (``easy_fraction``): the slower of
0.79 × CS and Daniels' E for the VDOT the plan uses.
Race-pace sessions follow the predicted race (``day_plan.with_race_pace``); progression
runs (easy building to about marathon effort) and parts given their own pace or
heart-rate target keep theirs.

Heart rate (``targets.step_targets``): strides (R) have none, as repetitions (Daniels sets
them by pace only); hill repetitions shorter than ``HILL_HR_MIN_S`` have none either (heart
rate lags the effort by 2–3 min, Achten & Jeukendrup, Sports Med 2003: a 1–2 min rep ends
before it reaches the I band), they are run "by effort" only; longer hill reps get the I
band. No hill repetition has a pace target: the pace uphill depends on the hill, and the
flat-equivalent pace the library's fraction stands for is not a pace anyone can run there.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from typing import Final

from smartrunning.science.plans.intensity import (
    EASY_RUN_FRACTION,
    EASY_SHARE,
    Intensity,
    speed_at_share,
)
from smartrunning.science.predictions import vdot_time_s
from smartrunning.science.workouts import Intervals, Steady, Step, Workout

__all__ = [
    "HILLS_KIND",
    "HILLS_NOTE",
    "HILL_EFFORT",
    "HILL_HR_MIN_S",
    "INTENDED",
    "MARATHON_M",
    "R_FASTER_THAN_I_S_PER_400M",
    "TRAINING_SHARE",
    "by_effort",
    "easy_fraction",
    "intended_intensity",
    "no_heart_rate",
    "training_speed_mps",
    "with_training_paces",
]

R_FASTER_THAN_I_S_PER_400M: Final = 6.0
"""Daniels' R is this much faster than his I, seconds per 400 m (module doc)."""
TRAINING_SHARE: Final[dict[Intensity, float]] = {
    Intensity.THRESHOLD: 0.88,
    Intensity.INTERVAL: 0.975,
}
"""Daniels' T and I as shares of VDOT (module doc)."""
MARATHON_M: Final = 42195.0
HILL_HR_MIN_S: Final = 180.0
"""Hill repetitions shorter than this have no heart-rate target (module doc)."""
HILLS_KIND: Final = "hills"
HILLS_NOTE: Final = (
    "hill repetitions by effort, not pace: about interval (I) effort uphill, hard but "
    "controlled; no heart-rate target for reps under 3 min (heart rate lags the effort)"
)
"""The note on a plan's hill sessions (module doc)."""
HILL_EFFORT: Final = "uphill by effort: hard but controlled, as in 3–5 min intervals"
"""What a hill repetition aims at instead of a pace (``targets.StepTarget.effort``)."""

INTENDED: Final[dict[str, tuple[Intensity, float]]] = {
    "vo2max": (Intensity.INTERVAL, 1.0),
    "threshold": (Intensity.THRESHOLD, 0.93),
    "tempo": (Intensity.THRESHOLD, 0.85),
    "long": (Intensity.MARATHON, 0.84),
    "strides": (Intensity.REPETITION, 1.15),
    "hills": (Intensity.INTERVAL, 1.0),
}
"""Per ``kind:``, Daniels' intensity of its work and the least CS fraction the library
writes it at (module doc)."""


@lru_cache(maxsize=1024)
def training_speed_mps(intensity: Intensity, level: float) -> float:
    """Daniels' pace, as a speed (m/s), for ``intensity`` at VDOT ``level`` (module doc);
    E has no single pace (``ValueError``)."""
    if not (math.isfinite(level) and level > 0):
        raise ValueError(f"VDOT must be positive, got {level!r}")
    share = TRAINING_SHARE.get(intensity)
    if share is not None:
        return speed_at_share(share, level)
    if intensity == Intensity.REPETITION:
        interval_400m_s = 400.0 / speed_at_share(TRAINING_SHARE[Intensity.INTERVAL], level)
        return 400.0 / (interval_400m_s - R_FASTER_THAN_I_S_PER_400M)
    if intensity == Intensity.MARATHON:
        return MARATHON_M / vdot_time_s(level, MARATHON_M)
    raise ValueError(f"Daniels' {intensity.value} running has no single pace")


def intended_intensity(kind: str | None, fraction: float) -> Intensity | None:
    """Daniels' intensity the library means by a part at ``fraction`` × CS of a ``kind``
    session, or None for a part it leaves as written (module doc)."""
    found = INTENDED.get(kind or "")
    if found is None or fraction < found[1]:
        return None
    return found[0]


def by_effort(kind: str | None) -> bool:
    """Whether the repetitions (interval on parts) of a ``kind`` session are run by effort,
    with no pace target: hill reps (module doc), whatever fraction they are written at."""
    return kind == HILLS_KIND


def no_heart_rate(kind: str | None, on_s: float) -> bool:
    """Whether a repetition of ``on_s`` seconds in a ``kind`` session has no heart-rate
    target: strides, and hill reps under ``HILL_HR_MIN_S`` (module doc)."""
    return kind == "strides" or (kind == HILLS_KIND and on_s < HILL_HR_MIN_S)


def easy_fraction(fraction: float, cs_mps: float, level: float) -> float:
    """Easy running written at ``fraction`` × CS, no faster than the fast end of Daniels'
    E band at VDOT ``level`` (module doc), as a fraction of ``cs_mps``."""
    return min(fraction, speed_at_share(EASY_SHARE[1], level) / cs_mps)


def with_training_paces(workout: Workout, cs_mps: float, level: float) -> Workout:
    """``workout`` with its intended parts (``intended_intensity``) at Daniels' pace for
    VDOT ``level`` and its easy running within Daniels' E (``easy_fraction``), as
    fractions of ``cs_mps``; the rest unchanged."""
    kind = workout.kind
    steps: list[Step] = []
    for step in workout.steps:
        if isinstance(step, Steady) and step.target is None:
            intent = intended_intensity(kind, step.intensity)
            if intent is not None:
                step = replace(step, intensity=training_speed_mps(intent, level) / cs_mps)
            elif step.intensity <= EASY_RUN_FRACTION + 1e-9:
                step = replace(step, intensity=easy_fraction(step.intensity, cs_mps, level))
        elif (
            isinstance(step, Intervals) and step.on_target is None and step.on_intensity_end is None
        ):
            intent = intended_intensity(kind, step.on_intensity)
            if intent is not None:
                step = replace(step, on_intensity=training_speed_mps(intent, level) / cs_mps)
        steps.append(step)
    if tuple(steps) == workout.steps:
        return workout
    return replace(workout, steps=tuple(steps))
