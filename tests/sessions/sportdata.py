"""Generated FIT files of other sports than running: a pool swim, a road ride, a row.

Written by ``tests.core.fitwriter`` (Garmin's Encoder) with known speeds, so the pages'
figures can be checked in each sport's unit: a swim at 1:45 /100 m, a ride at 30.0 km/h,
a row at 2:05 /500 m.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

import numpy as np

from smartrunning.science.records import Records
from tests.core.fitwriter import Segment, encode_activity

Kind = Literal["swim", "ride", "row"]

DAY: Final = dt.datetime(2024, 3, 4, tzinfo=dt.UTC)
SPORTS: Final[dict[Kind, tuple[str, str, float, int, int, float | None]]] = {
    # sport, sub_sport, speed m/s, seconds, start hour (UTC), lap distance m
    "swim": ("swimming", "lap_swimming", 100 / 105, 1575, 6, 100.0),
    "ride": ("cycling", "road", 30 / 3.6, 3600, 18, 5000.0),
    "row": ("fitness_equipment", "indoor_rowing", 500 / 125, 1250, 13, 500.0),
}
"""Each kind's sport, sub-sport, steady speed, length and start (local = UTC here)."""


def sport_records(kind: Kind, *, day: int = 0, seed: int = 7) -> Records:
    """1 Hz records at the kind's steady speed (a little noise); GPS on the ride only."""
    _sport, _sub, speed_mps, seconds, hour, _lap = SPORTS[kind]
    rng = np.random.default_rng(seed)
    start = DAY + dt.timedelta(days=day, hours=hour)
    t = np.arange(seconds, dtype=np.float64)
    speed = np.full(seconds, speed_mps) * (1 + rng.normal(0.0, 0.01, seconds))
    distance = np.concatenate([[0.0], np.cumsum(speed[:-1])])
    heart_rate = np.round(120 + 25 * (1 - np.exp(-t / 120)) + rng.normal(0.0, 1.0, seconds))
    nothing = np.full(seconds, np.nan)
    gps = kind == "ride"
    return Records(
        timestamp_s=start.timestamp() + t,
        elapsed_s=t,
        distance_m=distance,
        speed_mps=speed,
        heart_rate_bpm=heart_rate,
        cadence_spm=nothing,
        altitude_m=40.0 + 5 * np.sin(distance / 800) if gps else nothing,
        latitude_deg=52.09 + distance / 111_320 if gps else nothing,
        longitude_deg=np.full(seconds, 5.12) if gps else nothing,
        power_w=np.full(seconds, 210.0) if kind != "swim" else nothing,
    )


def sport_file(kind: Kind, *, day: int = 0, pool_length_unit: str | None = None) -> bytes:
    """One session of ``kind`` as a FIT activity file (``pool_length_unit``: ``statute``
    for a swim in a yard pool)."""
    sport, sub_sport, _speed, _seconds, _hour, lap_m = SPORTS[kind]
    segment = Segment(
        sport_records(kind, day=day),
        sport=sport,
        sub_sport=sub_sport,
        lap_distance_m=lap_m,
        pool_length_unit=pool_length_unit,
    )
    return encode_activity([segment])
