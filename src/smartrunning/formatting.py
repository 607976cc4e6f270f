"""Formatting SI values for people, at the edges only (pages and terminal output)."""

from __future__ import annotations

__all__ = ["format_duration", "format_pace"]


def format_duration(seconds: float | None) -> str:
    """Seconds as h:mm:ss or m:ss; "–" when unknown."""
    if seconds is None:
        return "–"
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_pace(speed_mps: float | None) -> str:
    """A speed as pace per kilometre, m:ss; "–" for no or zero speed."""
    if not speed_mps:
        return "–"
    return format_duration(1000.0 / speed_mps)
