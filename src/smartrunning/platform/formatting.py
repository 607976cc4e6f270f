"""Formatting SI values for people, at the edges only (pages and terminal output)."""

from __future__ import annotations

import math

__all__ = ["format_duration", "format_pace", "format_race_time"]


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
