"""Training load of one session: Banister TRIMP, HRSS and rTSS (SCIENCE.md).

All three are computed and stored per session when their inputs exist; the runner's
chosen model decides which one feeds the daily history (``choose_load``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

import numpy as np

from smartrunning.science.records import FloatArray
from smartrunning.science.stats import normalised_graded_speed
from smartrunning.science.workouts import Workout, step_unit

__all__ = [
    "ALGORITHM_VERSION",
    "BANISTER_COEFFICIENTS",
    "ChosenLoad",
    "LoadModel",
    "LoadParams",
    "LoadPreference",
    "SessionLoads",
    "Sex",
    "choose_load",
    "hrss",
    "planned_rtss",
    "planned_speed_mps",
    "rtss",
    "session_loads",
    "trimp",
    "trimp_weight",
]

ALGORITHM_VERSION: Final = 2
"""Bump when any load changes (including through ``streams``/``stats`` versions).

2: TRIMP and HRSS with a default resting HR while the runner has none (they were empty).
"""

Sex = Literal["male", "female", "unspecified"]
LoadModel = Literal["rtss", "hrss", "trimp"]
LoadPreference = Literal["auto", "rtss", "hrss", "trimp", "srpe"]
"""The runner's choice. ``"srpe"``: Foster's session-RPE load (``session_rpe``) for every
session the runner rated, applied above the core (which knows no ratings); a session
without a rating falls back to the automatic order here."""

BANISTER_COEFFICIENTS: Final[dict[str, tuple[float, float]]] = {
    "male": (0.64, 1.92),
    "female": (0.86, 1.67),
}
"""(a, b) of the TRIMP weighting a·e^(b·x) (Morton, Fitz-Clarke & Banister 1990)."""

_AUTO_ORDER: Final[tuple[LoadModel, ...]] = ("rtss", "hrss", "trimp")


def trimp_weight(x: FloatArray, sex: Sex) -> FloatArray:
    """Banister's intensity weighting x · a · e^(b·x) for heart-rate reserve fraction x.

    Men a = 0.64, b = 1.92; women a = 0.86, b = 1.67 (Morton, Fitz-Clarke & Banister,
    *J Appl Physiol* 1990;69:1171–7). ``"unspecified"`` takes the mean of the two
    weightings (not a weighting with averaged coefficients), so it always lies between
    them.
    """
    if sex == "male" or sex == "female":
        a, b = BANISTER_COEFFICIENTS[sex]
        return np.asarray(x * a * np.exp(b * x), dtype=np.float64)
    elif sex == "unspecified":
        return (trimp_weight(x, "male") + trimp_weight(x, "female")) / 2
    else:
        raise ValueError(f"unknown sex {sex!r}")


def trimp(
    heart_rate_bpm: FloatArray,
    dt_s: FloatArray,
    *,
    rest_hr_bpm: float,
    max_hr_bpm: float,
    sex: Sex,
) -> float:
    """Banister TRIMP integrated per sample: Σ Δt[min] · x · a · e^(b·x).

    x = (HR − HRrest)/(HRmax − HRrest) clamped to [0, 1] (SCIENCE.md; Banister 1991,
    coefficients per ``trimp_weight``). Per sample rather than on the session's average
    HR, so intervals count their hard parts. Samples without heart rate add nothing; pass
    capped Δt (``Streams.dt_s``) so pauses add nothing either.
    """
    if not 0 < rest_hr_bpm < max_hr_bpm:
        raise ValueError("need 0 < rest_hr_bpm < max_hr_bpm")
    hr = np.asarray(heart_rate_bpm, dtype=np.float64)
    ok = np.isfinite(hr)
    x = np.clip((hr[ok] - rest_hr_bpm) / (max_hr_bpm - rest_hr_bpm), 0.0, 1.0)
    return float(np.sum(np.asarray(dt_s)[ok] / 60.0 * trimp_weight(x, sex)))


def hrss(
    trimp_value: float, *, threshold_hr_bpm: float, rest_hr_bpm: float, max_hr_bpm: float, sex: Sex
) -> float:
    """Heart-rate stress score: 100 · TRIMP / TRIMP(60 min at threshold HR) (SCIENCE.md).

    100 means as much load as one hour at threshold heart rate.
    """
    hour = trimp(
        np.array([threshold_hr_bpm]),
        np.array([3600.0]),
        rest_hr_bpm=rest_hr_bpm,
        max_hr_bpm=max_hr_bpm,
        sex=sex,
    )
    if hour <= 0:
        raise ValueError("threshold heart rate must be above resting heart rate")
    return 100.0 * trimp_value / hour


def rtss(duration_s: float, normalised_graded_speed_mps: float, critical_speed_mps: float) -> float:
    """Running stress score: hours · IF² · 100, IF = normalised graded speed / CS.

    SCIENCE.md, after TrainingPeaks' rTSS with critical speed in place of functional
    threshold pace: one hour at CS on the flat scores 100. ``duration_s`` is the time the
    normalised graded speed was computed over (timer time).
    """
    if critical_speed_mps <= 0:
        raise ValueError("critical speed must be positive")
    intensity = normalised_graded_speed_mps / critical_speed_mps
    return duration_s / 3600.0 * intensity**2 * 100.0


@dataclass(frozen=True, slots=True)
class LoadParams:
    """The runner's parameters valid on the session's date; ``None`` when unknown."""

    sex: Sex = "unspecified"
    rest_hr_bpm: float | None = None
    max_hr_bpm: float | None = None
    threshold_hr_bpm: float | None = None
    """Measured, or the upper bound of zone 4 (``zones.threshold_hr_bpm``)."""
    critical_speed_mps: float | None = None


@dataclass(frozen=True, slots=True)
class SessionLoads:
    """All three loads of a session; each ``None`` when its inputs are missing."""

    trimp: float | None
    hrss: float | None
    rtss: float | None

    def get(self, model: LoadModel) -> float | None:
        """The load under ``model``."""
        if model == "trimp":
            return self.trimp
        elif model == "hrss":
            return self.hrss
        elif model == "rtss":
            return self.rtss
        else:
            raise ValueError(f"unknown load model {model!r}")


@dataclass(frozen=True, slots=True)
class ChosenLoad:
    """The load that feeds the history, with the model it came from.

    ``fallback`` is true when the preferred model had no value for this session.
    """

    model: LoadModel
    value: float
    fallback: bool


def session_loads(
    heart_rate_bpm: FloatArray,
    dt_s: FloatArray,
    *,
    timer_time_s: float,
    normalised_graded_speed_mps: float | None,
    params: LoadParams,
) -> SessionLoads:
    """TRIMP, HRSS and rTSS of one session from cleaned heart rate and capped Δt (SCIENCE.md).

    TRIMP needs resting and maximum HR and some heart rate; HRSS also a threshold HR;
    rTSS a normalised graded speed (``stats.SessionStats``) and a critical speed.
    """
    value_trimp = None
    value_hrss = None
    value_rtss = None
    p = params
    if p.rest_hr_bpm is not None and p.max_hr_bpm is not None and np.isfinite(heart_rate_bpm).any():
        value_trimp = trimp(
            heart_rate_bpm, dt_s, rest_hr_bpm=p.rest_hr_bpm, max_hr_bpm=p.max_hr_bpm, sex=p.sex
        )
        if p.threshold_hr_bpm is not None:
            value_hrss = hrss(
                value_trimp,
                threshold_hr_bpm=p.threshold_hr_bpm,
                rest_hr_bpm=p.rest_hr_bpm,
                max_hr_bpm=p.max_hr_bpm,
                sex=p.sex,
            )
    if normalised_graded_speed_mps is not None and p.critical_speed_mps is not None:
        value_rtss = rtss(timer_time_s, normalised_graded_speed_mps, p.critical_speed_mps)
    return SessionLoads(trimp=value_trimp, hrss=value_hrss, rtss=value_rtss)


def choose_load(loads: SessionLoads, preference: LoadPreference = "auto") -> ChosenLoad | None:
    """The load under the runner's model (SCIENCE.md, "Training load of a session").

    ``"auto"`` takes rTSS when it exists, else HRSS, else TRIMP; so does ``"srpe"`` for a
    session without a rating (a ``fallback``: the rating's load replaces it above). An
    explicit model is
    used when the session has it; otherwise the same order applies and ``fallback`` is
    set, so a session without heart rate still counts. ``None`` when no load exists.
    """
    if preference == "auto" or preference == "srpe":
        order = _AUTO_ORDER
    elif preference == "rtss" or preference == "hrss" or preference == "trimp":
        order = (preference, *(m for m in _AUTO_ORDER if m != preference))
    else:
        raise ValueError(f"unknown load preference {preference!r}")
    for model in order:
        value = loads.get(model)
        if value is not None and math.isfinite(value):
            return ChosenLoad(
                model=model, value=value, fallback=preference != "auto" and model != preference
            )
    return None


PLANNED_SAMPLE_S: Final = 1.0
"""A planned workout is sampled once a second, as a watch records."""


def planned_speed_mps(workout: Workout, cs_mps: float) -> FloatArray:
    """The speed a runner holding ``workout`` exactly at ``cs_mps`` records, once a second
    (each sample the speed at the middle of its second).

    Steps run at intensity × CS; a time ramp changes speed linearly in time, a distance
    ramp linearly in distance (v = a · e^(k t), k = (b − a) · CS / D: the timing
    ``Workout.total_duration_s`` gives it); free running and max efforts at the
    intensities ``Workout`` assumes for them.
    """
    if not (math.isfinite(cs_mps) and cs_mps > 0):
        raise ValueError(f"CS must be a positive speed, got {cs_mps!r}")
    segments = workout.timeline(cs_mps)
    total = segments[-1].end_s if segments else 0.0
    count = max(round(total / PLANNED_SAMPLE_S), 0)
    t = (np.arange(count, dtype=np.float64) + 0.5) * PLANNED_SAMPLE_S
    starts = np.asarray([s.start_s for s in segments], dtype=np.float64)
    which = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, max(len(segments) - 1, 0))
    speed = np.zeros(count, dtype=np.float64)
    for index, segment in enumerate(segments):
        mask = which == index
        if not mask.any():
            continue
        a, b = segment.intensity_start * cs_mps, segment.intensity_end * cs_mps
        length = segment.end_s - segment.start_s
        into = t[mask] - segment.start_s
        if math.isclose(a, b) or length <= 0:
            speed[mask] = a
        elif step_unit(workout.steps[segment.step_index]) == "m" and a > 0:
            speed[mask] = a * np.exp(math.log(b / a) * into / length)
        else:
            speed[mask] = a + (b - a) * into / length
    return speed


@lru_cache(maxsize=4096)
def planned_rtss(workout: Workout, cs_mps: float) -> float:
    """rTSS of ``workout`` run exactly as planned at ``cs_mps`` (SCIENCE.md "Planned load
    is scored with the same algorithm as completed sessions"): the normalised graded
    speed (``stats.normalised_graded_speed``, flat, over the once-a-second stream of
    ``planned_speed_mps``) and ``rtss`` over the workout's duration. A workout shorter
    than the 30 s window scores Σ hours · IF² · 100 (``Workout.estimated_load``).

    Cached (workouts are immutable): the plan generator scores the same scaled workout at
    the same CS again and again (577 distinct of 1499 calls for four plans)."""
    speed = planned_speed_mps(workout, cs_mps)
    dt = np.full(speed.shape, PLANNED_SAMPLE_S)
    ngs = normalised_graded_speed(speed, dt) if speed.size else None
    if ngs is None:
        return workout.estimated_load(cs_mps)
    return rtss(workout.total_duration_s(cs_mps), ngs, cs_mps)
