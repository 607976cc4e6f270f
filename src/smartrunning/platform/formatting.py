"""Formatting SI values for people, at the edges only (pages and terminal output).

Pure functions: the reader's units (``"km"`` or ``"mi"``) and time zone (an IANA name) are
parameters, so the same value reads "5:00 /km" for one user and "8:03 /mi" for another.
Only kilometre-based figures change with the units (running and cycling paces, speeds and
distances); swims and rows keep their sport's units (100 m, 100 yd, 500 m, metres, yards).
"""

from __future__ import annotations

import datetime as dt
import math
from functools import lru_cache
from typing import Final, Literal
from zoneinfo import ZoneInfo, available_timezones

from smartrunning.science.sports import SpeedUnit

__all__ = [
    "MILE_M",
    "SPEED_UNIT_LABELS",
    "UNITS",
    "DisplaySpeedUnit",
    "Units",
    "display_speed_unit",
    "distance_label",
    "format_datetime",
    "format_distance",
    "format_duration",
    "format_pace",
    "format_pace_seconds",
    "format_race_time",
    "format_sport_distance",
    "format_sport_speed",
    "is_time_zone",
    "pace_label",
    "time_zone_names",
    "to_zone",
]

Units = Literal["km", "mi"]
UNITS: Final[tuple[Units, ...]] = ("km", "mi")
"""The units a user may choose: kilometres or (statute) miles."""

MILE_M: Final = 1609.344
"""An international mile in metres (exact)."""
_YARD_M: Final = 0.9144

DisplaySpeedUnit = SpeedUnit | Literal["per_mi", "mph"]
"""A sport's speed unit as shown: ``per_km`` and ``km_h`` become ``per_mi`` and ``mph``
for a reader of miles."""

_PACE_METRES: Final[dict[str, float]] = {
    "per_km": 1000.0,
    "per_mi": MILE_M,
    "per_100m": 100.0,
    "per_100yd": 100.0 * _YARD_M,
    "per_500m": 500.0,
}
SPEED_UNIT_LABELS: Final[dict[str, str]] = {
    "per_km": "/km",
    "per_mi": "/mi",
    "per_100m": "/100 m",
    "per_100yd": "/100 yd",
    "per_500m": "/500 m",
    "km_h": "km/h",
    "mph": "mph",
}
"""The unit written after a sport's speed (``science.sports.SpeedUnit``, or its miles
counterpart from ``display_speed_unit``)."""


def _unit_metres(units: str) -> float:
    return MILE_M if units == "mi" else 1000.0


def display_speed_unit(unit: str, units: str = "km") -> str:
    """The speed unit a reader of ``units`` sees for a sport shown in ``unit``: per km
    and km/h turn into per mile and mph for miles; every other unit stays."""
    if units == "mi":
        return {"per_km": "per_mi", "km_h": "mph"}.get(unit, unit)
    return unit


def pace_label(units: str = "km") -> str:
    """ "/km" or "/mi"."""
    return "/mi" if units == "mi" else "/km"


def distance_label(units: str = "km") -> str:
    """ "km" or "mi"."""
    return "mi" if units == "mi" else "km"


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


def format_pace(speed_mps: float | None, units: str = "km") -> str:
    """A speed as pace per kilometre or per mile, m:ss (no unit); "–" for no or zero
    speed."""
    if not speed_mps or not math.isfinite(speed_mps) or speed_mps < 0:
        return "–"
    return format_duration(_unit_metres(units) / speed_mps)


def format_pace_seconds(seconds_per_km: float | None, units: str = "km") -> str:
    """A pace given in seconds per kilometre, as m:ss per kilometre or per mile."""
    if seconds_per_km is None or not math.isfinite(seconds_per_km):
        return "–"
    return format_duration(seconds_per_km * _unit_metres(units) / 1000.0)


def format_distance(
    distance_m: float | None, units: str = "km", digits: int = 1, *, with_unit: bool = True
) -> str:
    """A distance in kilometres or miles to ``digits`` decimals ("10.0 km", "6.2 mi");
    "–" when unknown."""
    if distance_m is None or not math.isfinite(distance_m):
        return "–"
    text = f"{distance_m / _unit_metres(units):.{digits}f}"
    return f"{text} {distance_label(units)}" if with_unit else text


def format_sport_speed(
    speed_mps: float | None, unit: str, *, with_unit: bool = True, units: str = "km"
) -> str:
    """A speed in its sport's unit (``science.sports.sport_display``): a pace m:ss per
    1 km (or mile), 100 m, 100 yd (91.44 m) or 500 m, or km/h (or mph) to a tenth; "–" for
    no or zero speed."""
    if not speed_mps or not math.isfinite(speed_mps) or speed_mps < 0:
        return "–"
    shown = display_speed_unit(unit, units)
    if shown == "km_h":
        text = f"{speed_mps * 3.6:.1f}"
    elif shown == "mph":
        text = f"{speed_mps * 3600 / MILE_M:.1f}"
    else:
        text = format_duration(_PACE_METRES[shown] / speed_mps)
    return f"{text} {SPEED_UNIT_LABELS[shown]}" if with_unit else text


def format_sport_distance(distance_m: float | None, unit: str, units: str = "km") -> str:
    """A distance as its sport counts it: metres for swims and rows ("1500 m"), yards for
    a yard pool ("1650 yd"), else kilometres or miles to 0.01 ("10.02 km", "6.23 mi");
    "–" when unknown."""
    if distance_m is None or not math.isfinite(distance_m) or distance_m <= 0:
        return "–"
    if unit in ("per_100m", "per_500m"):
        return f"{distance_m:.0f} m"
    if unit == "per_100yd":
        return f"{distance_m / _YARD_M:.0f} yd"
    return format_distance(distance_m, units, 2)


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def time_zone_names() -> list[str]:
    """Every IANA time zone name this machine knows, sorted (for a choice list)."""
    return sorted(_zone_names() | {"UTC"})


def is_time_zone(name: str | None) -> bool:
    """True for an IANA time zone name this machine knows ("Europe/Berlin", "UTC")."""
    return bool(name) and (name == "UTC" or name in _zone_names())


def to_zone(moment: dt.datetime, zone: str = "UTC") -> dt.datetime:
    """``moment`` (naive values are UTC) in the time zone ``zone`` (UTC when unknown)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(zone) if is_time_zone(zone) else dt.UTC)


def format_datetime(moment: dt.datetime | None, zone: str = "UTC") -> str:
    """A moment as the reader's wall-clock time with the zone's abbreviation,
    "2026-12-08 00:30 CET"; "–" when unknown."""
    if moment is None:
        return "–"
    local = to_zone(moment, zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname() or zone}"
