"""Formatting SI values for people, at the edges only (pages and terminal output)."""

from __future__ import annotations

import math
from typing import Final

from smartrunning.science.sports import SpeedUnit

__all__ = [
    "SPEED_UNIT_LABELS",
    "format_duration",
    "format_pace",
    "format_race_time",
    "format_sport_distance",
    "format_sport_speed",
]

_YARD_M: Final = 0.9144
_PACE_METRES: Final[dict[SpeedUnit, float]] = {
    "per_km": 1000.0,
    "per_100m": 100.0,
    "per_100yd": 100.0 * _YARD_M,
    "per_500m": 500.0,
}
SPEED_UNIT_LABELS: Final[dict[SpeedUnit, str]] = {
    "per_km": "/km",
    "per_100m": "/100 m",
    "per_100yd": "/100 yd",
    "per_500m": "/500 m",
    "km_h": "km/h",
}
"""The unit written after a sport's speed (``science.sports.SpeedUnit``)."""


def format_duration(seconds: float | None) -> str:
    """Seconds as h:mm:ss or m:ss; "–" when unknown (``None``, NaN or infinite: the
    slowest pace of a ramp from standstill)."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_race_time(seconds: float | None) -> str:
    """A race time: tenths of a second under an hour (m:ss.t), as results lists give
    them, so that a best beaten by half a second does not read as the same time twice;
    h:mm:ss from an hour on."""
    if seconds is None:
        return "–"
    tenths = round(seconds * 10)
    if tenths >= 36000:
        return format_duration(seconds)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


def format_pace(speed_mps: float | None) -> str:
    """A speed as pace per kilometre, m:ss; "–" for no or zero speed."""
    if not speed_mps:
        return "–"
    return format_duration(1000.0 / speed_mps)


def format_sport_speed(speed_mps: float | None, unit: SpeedUnit, *, with_unit: bool = True) -> str:
    """A speed in its sport's unit (``science.sports.sport_display``): a pace m:ss per
    1 km, 100 m, 100 yd (91.44 m) or 500 m, or km/h to a tenth; "–" for no or zero speed."""
    if not speed_mps or not math.isfinite(speed_mps) or speed_mps < 0:
        return "–"
    if unit == "km_h":
        text = f"{speed_mps * 3.6:.1f}"
    else:
        text = format_duration(_PACE_METRES[unit] / speed_mps)
    return f"{text} {SPEED_UNIT_LABELS[unit]}" if with_unit else text


def format_sport_distance(distance_m: float | None, unit: SpeedUnit) -> str:
    """A distance as its sport counts it: metres for swims and rows ("1500 m"), yards for
    a yard pool ("1650 yd"), else kilometres to 0.01 ("10.02 km"); "–" when unknown."""
    if distance_m is None or not math.isfinite(distance_m) or distance_m <= 0:
        return "–"
    if unit in ("per_100m", "per_500m"):
        return f"{distance_m:.0f} m"
    if unit == "per_100yd":
        return f"{distance_m / _YARD_M:.0f} yd"
    return f"{distance_m / 1000:.2f} km"
