"""How sports are told apart: which count for personal bests, which are judged by speed.

Sport and sub-sport are the FIT file's names (``DecodedSession.sport``/``sub_sport``).
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "INDOOR_SUB_SPORTS",
    "RUNNING",
    "SPEED_SPORTS",
    "counts_for_bests",
    "is_running",
    "is_treadmill",
]

RUNNING: Final = "running"
INDOOR_SUB_SPORTS: Final = frozenset({"treadmill", "indoor_running", "virtual_activity"})
"""Running without ground under the feet: efforts kept and flagged, not personal bests."""
SPEED_SPORTS: Final = frozenset({"running", "walking", "hiking"})
"""Sports whose speed is judged against critical speed (pace zones, rTSS)."""


def is_running(sport: str) -> bool:
    """Sport running (street, trail, track, treadmill …): the sport of personal bests."""
    return sport == RUNNING


def is_treadmill(sport: str, sub_sport: str | None) -> bool:
    return is_running(sport) and sub_sport in INDOOR_SUB_SPORTS


def counts_for_bests(sport: str, sub_sport: str | None) -> bool:
    """Running outdoors: walks, other sports and treadmill runs never make a best."""
    return is_running(sport) and not is_treadmill(sport, sub_sport)
