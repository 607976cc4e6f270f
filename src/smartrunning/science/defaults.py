"""Every default of a runner's profile, in one place.

Every path that creates a runner (wizard, admin page, API, CLI) takes its defaults from
here through one creation service, so they never diverge. Sources are in SCIENCE.md.
"""

from __future__ import annotations

from typing import Final

from smartrunning.science.critical_speed import CriticalSpeed
from smartrunning.science.history import HistoryParams
from smartrunning.science.load import LoadPreference
from smartrunning.science.zones import HRZoneModel, PaceZoneModel, ZoneMethod

__all__ = [
    "CRITICAL_SPEED",
    "HISTORY_PARAMS",
    "HR_ZONES",
    "LOAD_MODEL",
    "LONG_RUN_WEEKDAY",
    "PACE_ZONES",
    "RESTING_HR_FOR_LOAD_BPM",
    "SESSIONS_PER_WEEK",
    "TRAINING_WEEKDAYS",
    "WEEKDAY_NAMES",
]

WEEKDAY_NAMES: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: Weekdays (0 = Monday) a new runner trains on, the long-run day, and sessions per week.
TRAINING_WEEKDAYS: Final = frozenset({1, 3, 5, 6})
LONG_RUN_WEEKDAY: Final = 6
SESSIONS_PER_WEEK: Final = 4

#: Zones as fractions of HRmax (SCIENCE.md "Heart-rate zones") and of CS (after Skiba).
HR_ZONES: Final = HRZoneModel(ZoneMethod.PERCENT_HRMAX)
PACE_ZONES: Final = PaceZoneModel()

#: Used until personal bests allow a fit: a recreational runner's CS (≈ 5:00 /km) and a
#: typical D′ (Smyth & Muniz-Pumares, MSSE 2020, report CS ≈ 3.7 m/s in such runners).
CRITICAL_SPEED: Final = CriticalSpeed(cs_mps=3.33, d_prime_m=200.0)

#: Resting HR for TRIMP and HRSS only, while the runner has none: both need one
#: (SCIENCE.md "Training load of a session"), and without it a heart-rate-only session
#: would carry no load at all. 60 bpm is the conventional adult figure, at the bottom of
#: the usual 60–100 range; a trained runner's is often lower, so the default slightly
#: underestimates intensity (x = (HR − rest)/(HRmax − rest)) and never inflates it. Zones
#: do not use it: %HRR zones fall back to %HRmax until a resting HR is entered.
RESTING_HR_FOR_LOAD_BPM: Final = 60.0

#: rTSS when speed and CS exist, else HRSS, else TRIMP (SCIENCE.md "Training load").
LOAD_MODEL: Final[LoadPreference] = "auto"

#: Fitness-fatigue model: τ₁ = 42 d, τ₂ = 7 d, k₁ = 1, k₂ = 2 (Morton et al. 1990).
HISTORY_PARAMS: Final = HistoryParams()
