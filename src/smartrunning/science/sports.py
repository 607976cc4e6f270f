"""How sports are told apart, named and measured.

Sport and sub-sport are the FIT file's names (``DecodedSession.sport``/``sub_sport``, the
profile's ``sport`` and ``sub_sport`` enums). Besides which sports count for personal
bests and which are judged by speed, this module says how each is shown to people
(:func:`sport_display`): in words, never the enum's name, and its speed in the unit that
sport uses —

- running, walking, hiking: pace per kilometre;
- swimming: pace per 100 m, or per 100 yd in a yard pool (the pool lengths unit the
  device writes, FIT ``display_measure`` ``statute``), as swimmers and pool clocks count;
- rowing (on water or an ergometer): pace per 500 m, the split every rowing monitor shows
  (Concept2's "/500m");
- cycling and other wheeled or gliding sports: speed in km/h.

Grade-adjusted pace and what is built on it (normalised graded speed, the efficiency
factor, aerobic decoupling) come from Minetti's energy cost of *running* (SCIENCE.md,
"Streams and session statistics"): shown for running only. Moving time (speed ≥ 0.5 m/s)
means something only where the speed stream says when one moves: on foot and on wheels;
a pool swim's records rarely carry speed (the device pauses the timer at rests instead,
so its timer time is the swimming time), an ergometer's often none at all.

A session's title is its time of day and its sport (:func:`session_title`): "Morning run",
"Evening ride", as Strava names new activities (morning 05–12 h, afternoon 12–17 h,
evening 17–21 h, night otherwise, local time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "INDOOR_SUB_SPORTS",
    "RUNNING",
    "SPEED_SPORTS",
    "PoolUnit",
    "SpeedUnit",
    "SportDisplay",
    "counts_for_bests",
    "is_running",
    "is_treadmill",
    "session_title",
    "sport_display",
    "time_of_day",
]

RUNNING: Final = "running"
INDOOR_SUB_SPORTS: Final = frozenset({"treadmill", "indoor_running", "virtual_activity"})
"""Running without ground under the feet: efforts kept and flagged, not personal bests."""
SPEED_SPORTS: Final = frozenset({"running", "walking", "hiking"})
"""Sports whose speed is judged against critical speed (pace zones, rTSS)."""

SpeedUnit = Literal["per_km", "per_100m", "per_100yd", "per_500m", "km_h"]
"""How a sport's speed is shown: a pace per distance (m:ss) or a speed in km/h."""
PoolUnit = Literal["metric", "statute"]
"""The pool's length unit as FIT writes it (``display_measure``): metres or yards."""


def is_running(sport: str) -> bool:
    """Sport running (street, trail, track, treadmill …): the sport of personal bests."""
    return sport == RUNNING


def is_treadmill(sport: str, sub_sport: str | None) -> bool:
    return is_running(sport) and sub_sport in INDOOR_SUB_SPORTS


def counts_for_bests(sport: str, sub_sport: str | None) -> bool:
    """Running outdoors: walks, other sports and treadmill runs never make a best."""
    return is_running(sport) and not is_treadmill(sport, sub_sport)


@dataclass(frozen=True, slots=True)
class SportDisplay:
    """How one session's sport is shown.

    - ``label``: the sport in words ("Trail running", "Indoor rowing", "Pool swimming");
    - ``noun``: what one session of it is called in a title ("run", "ride", "swim" …);
    - ``speed_unit``: how its speed is shown (module doc);
    - ``grade_adjusted``: grade-adjusted pace and the figures built on it apply, and best
      efforts are looked for (running);
    - ``moving_time``: moving time from the speed stream means something for it.
    """

    label: str
    noun: str
    speed_unit: SpeedUnit
    grade_adjusted: bool
    moving_time: bool

    @property
    def is_pace(self) -> bool:
        """Shown as a pace (time per distance, lower is faster) rather than a speed."""
        return self.speed_unit != "km_h"


# (label, noun, speed unit, moving time meaningful) per FIT sport.
_SPORTS: Final[dict[str, tuple[str, str, SpeedUnit, bool]]] = {
    "running": ("Running", "run", "per_km", True),
    "walking": ("Walking", "walk", "per_km", True),
    "hiking": ("Hiking", "hike", "per_km", True),
    "mountaineering": ("Mountaineering", "climb", "per_km", True),
    "snowshoeing": ("Snowshoeing", "snowshoe", "per_km", True),
    "wheelchair_push_walk": ("Wheelchair (walking pace)", "push", "per_km", True),
    "wheelchair_push_run": ("Wheelchair (running pace)", "push", "per_km", True),
    "cycling": ("Cycling", "ride", "km_h", True),
    "e_biking": ("E-biking", "e-bike ride", "km_h", True),
    "inline_skating": ("Inline skating", "skate", "km_h", True),
    "ice_skating": ("Ice skating", "skate", "km_h", True),
    "cross_country_skiing": ("Cross-country skiing", "ski", "km_h", True),
    "alpine_skiing": ("Alpine skiing", "ski", "km_h", True),
    "snowboarding": ("Snowboarding", "ride", "km_h", True),
    "swimming": ("Swimming", "swim", "per_100m", False),
    "rowing": ("Rowing", "row", "per_500m", False),
    "paddling": ("Paddling", "paddle", "km_h", False),
    "kayaking": ("Kayaking", "paddle", "km_h", False),
    "stand_up_paddleboarding": ("Stand-up paddleboarding", "paddle", "km_h", False),
    "transition": ("Transition", "transition", "km_h", True),
    "fitness_equipment": ("Fitness equipment", "workout", "km_h", False),
    "training": ("Training", "workout", "km_h", False),
    "hiit": ("HIIT", "HIIT session", "km_h", False),
    "generic": ("Activity", "activity", "km_h", True),
    "multisport": ("Multisport", "multisport session", "km_h", True),
}

# Sub-sports that name the session better than its sport (label, noun, unit, moving).
_SUB_SPORTS: Final[dict[tuple[str, str], tuple[str, str, SpeedUnit, bool]]] = {
    ("running", "trail"): ("Trail running", "trail run", "per_km", True),
    ("running", "track"): ("Track running", "track run", "per_km", True),
    ("running", "treadmill"): ("Treadmill running", "treadmill run", "per_km", True),
    ("running", "indoor_running"): ("Indoor running", "indoor run", "per_km", True),
    ("running", "virtual_activity"): ("Virtual running", "virtual run", "per_km", True),
    ("walking", "indoor_walking"): ("Indoor walking", "indoor walk", "per_km", True),
    ("cycling", "indoor_cycling"): ("Indoor cycling", "indoor ride", "km_h", True),
    ("cycling", "spin"): ("Spinning", "spin", "km_h", True),
    ("cycling", "virtual_activity"): ("Virtual cycling", "virtual ride", "km_h", True),
    ("cycling", "mountain"): ("Mountain biking", "mountain bike ride", "km_h", True),
    ("cycling", "gravel_cycling"): ("Gravel cycling", "gravel ride", "km_h", True),
    ("cycling", "cyclocross"): ("Cyclocross", "cyclocross ride", "km_h", True),
    ("cycling", "track_cycling"): ("Track cycling", "track ride", "km_h", True),
    ("swimming", "lap_swimming"): ("Pool swimming", "swim", "per_100m", False),
    ("swimming", "open_water"): ("Open-water swimming", "open-water swim", "per_100m", False),
    ("rowing", "indoor_rowing"): ("Indoor rowing", "indoor row", "per_500m", False),
    ("fitness_equipment", "indoor_rowing"): ("Indoor rowing", "indoor row", "per_500m", False),
    ("fitness_equipment", "elliptical"): ("Elliptical", "elliptical workout", "km_h", False),
    ("fitness_equipment", "stair_climbing"): ("Stair climbing", "stair climb", "km_h", False),
    ("fitness_equipment", "indoor_cycling"): ("Indoor cycling", "indoor ride", "km_h", False),
    ("fitness_equipment", "treadmill"): ("Treadmill", "treadmill session", "per_km", False),
    ("training", "strength_training"): ("Strength training", "strength session", "km_h", False),
    ("training", "cardio_training"): ("Cardio training", "cardio session", "km_h", False),
    ("training", "yoga"): ("Yoga", "yoga session", "km_h", False),
    ("training", "pilates"): ("Pilates", "pilates session", "km_h", False),
}


def _words(name: str) -> str:
    """A FIT enum name in words: ``stand_up_paddleboarding`` → "Stand up paddleboarding"."""
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else "Activity"


def sport_display(
    sport: str, sub_sport: str | None = None, pool_unit: PoolUnit | str | None = None
) -> SportDisplay:
    """How a session of ``sport``/``sub_sport`` is shown (module doc).

    A sport the tables do not know is named from its FIT name in words and shown in
    km/h; its moving time is shown (it is measured from its speed, if it has one).
    ``pool_unit`` ``statute`` turns a swim's pace per 100 m into per 100 yd.
    """
    unit: SpeedUnit
    known = _SUB_SPORTS.get((sport, sub_sport or "")) or _SPORTS.get(sport)
    if known is None:
        label = _words(sport)
        noun, unit, moving = label.lower(), "km_h", True
    else:
        label, noun, unit, moving = known
    if unit == "per_100m" and pool_unit == "statute":
        unit = "per_100yd"
    return SportDisplay(
        label=label,
        noun=noun,
        speed_unit=unit,
        grade_adjusted=is_running(sport),
        moving_time=moving,
    )


def time_of_day(local: dt.datetime | dt.time) -> str:
    """The part of the day of a local time: "Morning" (05–12 h), "Afternoon" (12–17 h),
    "Evening" (17–21 h) or "Night"."""
    hour = local.hour
    if 5 <= hour < 12:
        return "Morning"
    if 12 <= hour < 17:
        return "Afternoon"
    if 17 <= hour < 21:
        return "Evening"
    return "Night"


def session_title(
    sport: str, sub_sport: str | None, start: dt.datetime, utc_offset_s: float | None = None
) -> str:
    """Title of a session: "Morning swim", "Evening ride" (the time of day of ``start`` on
    the runner's clock, ``start`` plus the file's ``utc_offset_s``, and the sport)."""
    local = start + dt.timedelta(seconds=utc_offset_s or 0)
    return f"{time_of_day(local)} {sport_display(sport, sub_sport).noun}"
