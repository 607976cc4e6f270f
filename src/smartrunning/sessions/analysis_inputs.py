"""What the analysis (``science.analysis``) takes from the application: the configured
validation limits and the runner's parameters valid on a session's day.

Everything else about analysing a session is pure and lives in the core; the import
(``ingest``) and the recomputation (``recompute``) gather these two and call it.
"""

from __future__ import annotations

from typing import Final

from smartrunning.athletes.models import Sex
from smartrunning.athletes.parameters import Parameters
from smartrunning.platform import context
from smartrunning.science import defaults
from smartrunning.science import load as load_science
from smartrunning.science.analysis import AnalysisParams
from smartrunning.science.streams import Limits

__all__ = ["analysis_params", "configured_limits"]

_SEX: Final[dict[Sex, load_science.Sex]] = {
    Sex.FEMALE: "female",
    Sex.MALE: "male",
    Sex.UNSPECIFIED: "unspecified",
}


def configured_limits() -> Limits:
    """Validation limits from the configuration (HR_MIN_BPM, … GPS_JUMP_MPS)."""
    s = context.settings()
    return Limits(
        hr_min_bpm=s.hr_min_bpm,
        hr_max_bpm=s.hr_max_bpm,
        moving_speed_min_mps=s.moving_speed_mps,
        gps_jump_speed_mps=s.gps_jump_mps,
    )


def analysis_params(params: Parameters, sex: Sex, limits: Limits) -> AnalysisParams:
    """From ``athletes.parameters.parameters_on(runner, day)`` and the runner's sex."""
    threshold = params.threshold_hr.value
    rest = params.hrrest_bpm
    usable_rest = rest is not None and rest < params.hrmax_bpm
    return AnalysisParams(
        hrmax_bpm=params.hrmax_bpm,
        hrrest_bpm=rest if usable_rest else defaults.RESTING_HR_FOR_LOAD_BPM,
        hrrest_default=not usable_rest,
        threshold_hr_bpm=None if threshold is None else float(threshold),
        hr_zones=params.hr_zones,
        pace_zones=params.pace_zones,
        cs_mps=params.cs.cs_mps,
        load_model=params.load_model.value,
        sex=_SEX[sex],
        limits=limits,
    )
