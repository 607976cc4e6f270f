"""What an analysis takes besides the records: the day's parameters, the file's extras,
the configured limits; and how sports are told apart.

``AnalysisParams`` are the runner's parameters valid on a session's day
(``services.parameters.parameters_on``) reduced to what analysis uses; their
``fingerprint`` tells whether a stored analysis used the same. ``SourceInfo`` keeps what
the FIT file says beyond the records (laps, timer time from its events).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from smartrunning.athletes.models import Sex
from smartrunning.athletes.parameters import Parameters
from smartrunning.platform import context
from smartrunning.science import defaults
from smartrunning.science import load as load_science
from smartrunning.science.fit import DecodedSession
from smartrunning.science.streams import Limits
from smartrunning.science.zones import ZoneSet

__all__ = [
    "INDOOR_SUB_SPORTS",
    "SPEED_SPORTS",
    "AnalysisParams",
    "SourceInfo",
    "analysis_params",
    "configured_limits",
    "counts_for_bests",
    "is_running",
    "is_treadmill",
    "json_safe",
    "limits_json",
]

RUNNING: Final = "running"
INDOOR_SUB_SPORTS: Final = frozenset({"treadmill", "indoor_running", "virtual_activity"})
"""Running without ground under the feet: efforts kept and flagged, not personal bests."""
SPEED_SPORTS: Final = frozenset({"running", "walking", "hiking"})
"""Sports whose speed is judged against critical speed (pace zones, rTSS)."""
_isfinite = math.isfinite
_SEX: Final[dict[Sex, load_science.Sex]] = {
    Sex.FEMALE: "female",
    Sex.MALE: "male",
    Sex.UNSPECIFIED: "unspecified",
}


def is_running(sport: str) -> bool:
    """Sport running (street, trail, track, treadmill …): the sport of personal bests."""
    return sport == RUNNING


def is_treadmill(sport: str, sub_sport: str | None) -> bool:
    return is_running(sport) and sub_sport in INDOOR_SUB_SPORTS


def counts_for_bests(sport: str, sub_sport: str | None) -> bool:
    """Running outdoors: walks, other sports and treadmill runs never make a best."""
    return is_running(sport) and not is_treadmill(sport, sub_sport)


def configured_limits() -> Limits:
    """Validation limits from the configuration (HR_MIN_BPM, … GPS_JUMP_MPS)."""
    s = context.settings()
    return Limits(
        hr_min_bpm=s.hr_min_bpm,
        hr_max_bpm=s.hr_max_bpm,
        moving_speed_min_mps=s.moving_speed_mps,
        gps_jump_speed_mps=s.gps_jump_mps,
    )


def json_safe(value: Any) -> Any:
    """JSON for both databases: tuples as lists, non-finite floats as None."""
    kind = type(value)  # the common exact types first (statistics hold thousands of them)
    if kind is float:
        return value if _isfinite(value) else None
    if kind is dict:
        return {str(k): json_safe(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [json_safe(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.floating | np.integer):
        return json_safe(value.item())
    return value


@dataclass(frozen=True)
class AnalysisParams:
    """The runner's parameters valid on the session's day, as analysis uses them."""

    hrmax_bpm: float
    hrrest_bpm: float | None
    """The runner's resting HR, or ``defaults.RESTING_HR_FOR_LOAD_BPM`` (then
    ``hrrest_default``) so heart-rate loads exist before one is entered."""
    threshold_hr_bpm: float | None
    hr_zones: ZoneSet
    pace_zones: ZoneSet
    cs_mps: float
    load_model: load_science.LoadPreference
    sex: load_science.Sex
    limits: Limits
    hrrest_default: bool = False

    def as_json(self) -> dict[str, Any]:
        return json_safe(
            {
                "hrmax_bpm": self.hrmax_bpm,
                "hrrest_bpm": self.hrrest_bpm,
                "hrrest_default": self.hrrest_default,
                "threshold_hr_bpm": self.threshold_hr_bpm,
                "hr_zone_edges_bpm": list(self.hr_zones.edges),
                "pace_zone_edges_mps": list(self.pace_zones.edges),
                "cs_mps": self.cs_mps,
                "load_model": self.load_model,
                "sex": self.sex,
                "limits": limits_json(self.limits),
            }
        )

    def fingerprint(self) -> str:
        """sha256 of the canonical JSON: equal exactly when the analysis would be equal."""
        text = json.dumps(self.as_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def analysis_params(params: Parameters, sex: Sex, limits: Limits) -> AnalysisParams:
    """From ``services.parameters.parameters_on(runner, day)`` and the runner's sex."""
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


@dataclass(frozen=True)
class SourceInfo:
    """What analysis needs from the file besides the records (stored with the session)."""

    sport: str
    sub_sport: str | None
    start_time: dt.datetime
    lap_starts_s: tuple[float, ...]
    """Lap start times, Unix seconds."""
    timer_time_s: float | None
    """From the file's timer events (``DecodedSession.timer_time_s``)."""

    @classmethod
    def from_decoded(cls, session: DecodedSession, start_time: dt.datetime) -> SourceInfo:
        return cls(
            sport=session.sport,
            sub_sport=session.sub_sport,
            start_time=start_time,
            lap_starts_s=tuple(
                lap.start_time.timestamp() for lap in session.laps if lap.start_time is not None
            ),
            timer_time_s=session.timer_time_s,
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "sport": self.sport,
            "sub_sport": self.sub_sport,
            "start_time": self.start_time.isoformat(),
            "lap_starts_s": list(self.lap_starts_s),
            "timer_time_s": self.timer_time_s,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceInfo:
        return cls(
            sport=data["sport"],
            sub_sport=data["sub_sport"],
            start_time=dt.datetime.fromisoformat(data["start_time"]),
            lap_starts_s=tuple(data["lap_starts_s"]),
            timer_time_s=data["timer_time_s"],
        )


def limits_json(limits: Limits) -> dict[str, float]:
    return {
        "hr_min_bpm": limits.hr_min_bpm,
        "hr_max_bpm": limits.hr_max_bpm,
        "moving_speed_min_mps": limits.moving_speed_min_mps,
        "gps_jump_speed_mps": limits.gps_jump_speed_mps,
        "dt_cap_s": limits.dt_cap_s,
    }
