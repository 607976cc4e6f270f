"""What a plan's targets and limits rest on, stated on its page, API and CLI (issue #15):

- heart rate: the runner's own HR–speed line (``sessions.hr_speed``) where their steady
  runs of the 12 weeks before the plan allow one, else Daniels' % of HRmax (Friel's % of
  LTHR when threshold HR is measured), with the line's R² or the reason there is none;
- VDOT: the runner's best race VDOT of the last ``RACE_VDOT_DAYS`` days (their maximal
  efforts, ``PersonalBest.anchor``; Daniels & Gilbert, ``predictions.best_vdot``), for race
  pace and Daniels' intensities, else the CS model's;
- level: beginner (our rule: under 2 h of running a week over the last four weeks, one
  quality session a week) and masters (50 or older on race day, 2:1 build/recovery).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from smartrunning.athletes.bests import personal_bests_on
from smartrunning.athletes.models import Runner
from smartrunning.athletes.parameters import parameters_on
from smartrunning.platform.formatting import format_duration
from smartrunning.science.critical_speed import Effort
from smartrunning.science.hr_speed import HRSpeedLine, HRSpeedRefusal
from smartrunning.science.plans.targets import DayParameters
from smartrunning.science.predictions import best_vdot
from smartrunning.workouts.targets import day_parameters

__all__ = [
    "RACE_VDOT_DAYS", "RaceVdot", "hr_basis", "level_basis", "plan_day_parameters",
    "race_vdot", "stored_line", "vdot_basis",
]  # fmt: skip

RACE_VDOT_DAYS: Final = 365


@dataclass(frozen=True, slots=True)
class RaceVdot:
    """The best race VDOT valid on a day and the race it comes from."""

    vdot: float
    distance_m: float
    time_s: float
    date: dt.date

    def describe(self) -> str:
        return (
            f"VDOT {self.vdot:.1f} from {self.distance_m / 1000:g} km in "
            f"{format_duration(self.time_s)} on {self.date:%d %b %Y} (best race of the last year)"
        )


def race_vdot(runner: Runner, day: dt.date) -> RaceVdot | None:
    """The best VDOT among the runner's maximal efforts of the year before ``day``."""
    since = day - dt.timedelta(days=RACE_VDOT_DAYS)
    efforts = [
        Effort(b.distance_m, b.time_s, b.date, b.id)
        for b in personal_bests_on(runner, day)
        if b.anchor and since <= b.date <= day
    ]
    found = best_vdot(efforts)
    if found is None:
        return None
    effort, level = found
    return RaceVdot(level, effort.distance_m, effort.time_s, effort.date)


def vdot_basis(level: float | None, race: RaceVdot | None) -> dict[str, Any]:
    """The VDOT the plan's race pace and intensities use, and where it comes from."""
    if race is not None:
        text = race.describe()
    elif level is None:
        text = "No race in the last year and no critical speed: no VDOT."
    else:
        text = f"No race in the last year: VDOT {level:.1f} of the critical-speed model."
    return {
        "value": None if level is None else round(level, 1),
        "source": "races" if race is not None else "critical speed",
        "text": text,
    }


def hr_basis(line: HRSpeedLine | HRSpeedRefusal, lthr_measured: bool) -> dict[str, Any]:
    """Which source the plan's heart-rate targets use, as stored and shown."""
    fallback = (
        "Friel's % of your measured threshold heart rate"
        if lthr_measured
        else "Daniels' % of maximum heart rate"
    )
    if isinstance(line, HRSpeedLine):
        return {
            "source": "own line",
            "text": f"Heart rates from {line.describe()}; {fallback} outside its speeds.",
            "r2": round(line.r2, 3),
            "segments": line.n,
            "runs": line.sessions,
            "from": line.first_day.isoformat(),
            "to": line.last_day.isoformat(),
            "bpm_per_mps": line.slope,
            "intercept_bpm": line.intercept_bpm,
            "speed_low_mps": line.speed_low,
            "speed_high_mps": line.speed_high,
        }
    return {
        "source": "Friel" if lthr_measured else "Daniels",
        "text": f"Heart rates from {fallback}: no heart rate–speed line ({line.reason}).",
        "r2": None if line.r2 is None else round(line.r2, 3),
        "segments": line.n,
        "runs": line.sessions,
    }


def level_basis(weekly_running_s: float, beginner: bool, masters: bool, stated: bool) -> str:
    """The level the runner was given and why, in words."""
    hours = weekly_running_s / 3600.0
    where = "stated on the profile" if stated else "in the last 4 weeks"
    parts = [
        (
            f"Beginner: {hours:.1f} h a week {where}, under 2 h — one quality session a week."
            if beginner
            else f"Not a beginner: {hours:.1f} h a week {where} (2 h or more)."
        )
    ]
    if masters:
        parts.append("Masters: 50 or older on race day — a recovery week every 3rd week.")
    return " ".join(parts)


def stored_line(basis: dict[str, Any] | None) -> HRSpeedLine | None:
    """The HR–speed line a plan was generated with (``hr_basis`` as stored), if any."""
    hr = (basis or {}).get("heart_rate") or {}
    if hr.get("source") != "own line":
        return None
    return HRSpeedLine(
        float(hr["bpm_per_mps"]),
        float(hr["intercept_bpm"]),
        float(hr["r2"]),
        int(hr["segments"]),
        int(hr["runs"]),
        dt.date.fromisoformat(hr["from"]),
        dt.date.fromisoformat(hr["to"]),
        float(hr["speed_low_mps"]),
        float(hr["speed_high_mps"]),
    )


def plan_day_parameters(runner: Runner, day: dt.date, line: HRSpeedLine | None) -> DayParameters:
    """What a plan day's targets need: the runner's parameters valid on ``day``, their
    best race VDOT of the year before it, and the plan's HR–speed line."""
    params = day_parameters(parameters_on(runner, day))
    race = race_vdot(runner, day)
    return dataclasses.replace(
        params, vdot=params.vdot if race is None else race.vdot, hr_line=line
    )
