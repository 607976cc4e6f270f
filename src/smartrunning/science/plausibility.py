"""Recorded values no runner produces: the checks that flag a session for review.

SCIENCE.md, "Recorded values no runner produces": flag, and keep out of bests, loads and
history until confirmed,

- **speed**: a foot sport (``sports.SPEED_SPORTS``: running, walking, hiking) faster than
  ``max_foot_speed_mps`` (~12.5 m/s, faster than any human: the fastest 100 m ever run
  averaged 10.4 m/s, its fastest 20 m split ~12.3 m/s; Graubner & Nixdorf, *New Studies in
  Athletics* 2011, IAAF biomechanical analysis of the 2009 World Championships) sustained
  over a stretch of records at least ``speed_window_s`` long. The window is what
  "sustained" means: one GPS glitch (+197 m in a second, then back) moves the distance of
  a 30 s stretch by far less than 30 s × 12.5 m/s, a "run" at 100 m/s does not;
- **date**: a session starting after ``now`` + ``future_tolerance_s`` (a device clock
  ahead: 2063, 2100) or before ``earliest`` (1990; FIT times count from 1989-12-31, so
  earlier dates are a device that never learnt the date);
- **heart rate**: recorded heart rate outside [``hr_min_bpm``, ``hr_max_bpm``] for at
  least ``hr_outside_s`` seconds, or the device's own average outside it. A reading of 0
  is a sensor without contact (devices write 0 then), not a value, and does not count.

Pure: the caller passes the time (``now``) and the limits (from the configuration).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np

from smartrunning.science.records import Records
from smartrunning.science.sports import SPEED_SPORTS

__all__ = [
    "Flag",
    "FlagCode",
    "PlausibilityLimits",
    "check_session",
    "fastest_sustained_speed",
    "time_outside",
]

FlagCode = Literal["speed", "future", "too_early", "heart_rate"]

_DT_CAP_S: Final = 10.0
"""Longest interval between two records counted as time with a heart rate (as timer time
is counted: ``streams.Limits.dt_cap_s``)."""


@dataclass(frozen=True, slots=True)
class PlausibilityLimits:
    """The limits of the checks (the application reads them from its configuration)."""

    max_foot_speed_mps: float = 12.5
    speed_window_s: float = 30.0
    hr_min_bpm: float = 30.0
    hr_max_bpm: float = 220.0
    hr_outside_s: float = 30.0
    earliest: dt.datetime = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
    future_tolerance_s: float = 86_400.0

    def __post_init__(self) -> None:
        if self.max_foot_speed_mps <= 0 or self.speed_window_s <= 0:
            raise ValueError("speed limits must be positive")
        if not 0 < self.hr_min_bpm < self.hr_max_bpm:
            raise ValueError("need 0 < hr_min_bpm < hr_max_bpm")
        if self.hr_outside_s < 0 or self.future_tolerance_s < 0:
            raise ValueError("durations must not be negative")
        if self.earliest.tzinfo is None:
            raise ValueError("earliest must be timezone-aware")


@dataclass(frozen=True, slots=True)
class Flag:
    """One reason a session is held: a stable ``code`` and a sentence for people."""

    code: FlagCode
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "reason": self.reason}


def fastest_sustained_speed(
    timestamp_s: np.ndarray, distance_m: np.ndarray, window_s: float
) -> float | None:
    """The highest average speed (m/s) over a stretch of records lasting at least
    ``window_s`` seconds (the whole recording when it is shorter); ``None`` without two
    records with a time and a distance.

    Each record ``i`` is paired with the first record ``j`` at least ``window_s`` after it:
    (d[j] − d[i]) / (t[j] − t[i]). Records out of time order are left out.
    """
    ok = np.isfinite(timestamp_s) & np.isfinite(distance_m)
    t, d = timestamp_s[ok], distance_m[ok]
    if len(t) < 2:
        return None
    order = np.argsort(t, kind="stable")
    t, d = t[order], d[order]
    span = float(t[-1] - t[0])
    if span <= 0:
        return None
    window = min(window_s, span)
    j = np.searchsorted(t, t + window, side="left")
    i = np.nonzero(j < len(t))[0]
    if not len(i):
        return None
    dt_s = t[j[i]] - t[i]
    speeds = (d[j[i]] - d[i]) / dt_s
    return float(np.max(speeds))


def time_outside(
    timestamp_s: np.ndarray, heart_rate_bpm: np.ndarray, low: float, high: float
) -> float:
    """Seconds of recorded heart rate outside [``low``, ``high``]: each record owns the
    interval that ends at it (capped at 10 s); readings of 0 and missing ones count for
    nothing."""
    if len(timestamp_s) < 2:
        return 0.0
    dt_s = np.clip(np.diff(timestamp_s), 0.0, _DT_CAP_S)
    hr = heart_rate_bpm[1:]
    with np.errstate(invalid="ignore"):
        outside = np.isfinite(hr) & (hr != 0) & ((hr < low) | (hr > high))
    return float(np.sum(np.where(outside & np.isfinite(dt_s), dt_s, 0.0)))


def check_session(
    records: Records,
    *,
    sport: str,
    start: dt.datetime,
    now: dt.datetime,
    limits: PlausibilityLimits,
    device_avg_hr_bpm: float | None = None,
) -> tuple[Flag, ...]:
    """The flags of a session (empty when every value is one a runner produces).

    ``start`` and ``now`` are timezone-aware; ``records`` are the session's samples.
    """
    flags: list[Flag] = []
    latest = now + dt.timedelta(seconds=limits.future_tolerance_s)
    if start > latest:
        flags.append(
            Flag(
                "future",
                f"dated {start:%Y-%m-%d %H:%M} UTC, in the future: the device's clock was wrong",
            )
        )
    if start < limits.earliest:
        flags.append(
            Flag(
                "too_early",
                f"dated {start:%Y-%m-%d}, before {limits.earliest:%Y-%m-%d}: the device had "
                "not set its clock",
            )
        )
    if sport in SPEED_SPORTS:
        speed = fastest_sustained_speed(
            records.timestamp_s, records.distance_m, limits.speed_window_s
        )
        if speed is not None and speed > limits.max_foot_speed_mps:
            flags.append(
                Flag(
                    "speed",
                    f"{speed:.1f} m/s ({speed * 3.6:.0f} km/h) sustained over "
                    f"{limits.speed_window_s:g} s, faster than any runner "
                    f"(limit {limits.max_foot_speed_mps:g} m/s)",
                )
            )
    outside = time_outside(
        records.timestamp_s, records.heart_rate_bpm, limits.hr_min_bpm, limits.hr_max_bpm
    )
    avg = device_avg_hr_bpm
    low, high = limits.hr_min_bpm, limits.hr_max_bpm
    avg_outside = avg is not None and avg > 0 and not low <= avg <= high
    if outside >= max(limits.hr_outside_s, 1e-9) or avg_outside:
        detail = f"{outside:.0f} s of heart rate" if outside else f"an average of {avg:g} bpm"
        flags.append(
            Flag(
                "heart_rate",
                f"{detail} outside {low:g}–{high:g} bpm",
            )
        )
    return tuple(flags)
