"""Realistic synthetic 1 Hz runs, for FIT files with known answers (tests, benchmarks).

Deterministic for a seed. The shape: 10 min warm-up, steady running with a block of
intervals, a 30 s stop at a crossing, 10 min cool-down; heart rate follows speed with a
30 s lag and a slow cardiac drift; altitude rolls over two hills; the GPS track wanders
with a slowly turning heading; cadence and power rise with speed and drop to 0 when
stopped. Not physiology to learn from: plausible numbers to decode, store and analyse.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from smartrunning.science.records import Records

__all__ = ["synthetic_run"]

_DEFAULT_START = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)
_M_PER_DEG_LAT = 111_320.0


def synthetic_run(
    duration_s: int,
    *,
    start: datetime = _DEFAULT_START,
    seed: int = 0,
    latitude_deg: float = 52.0907,
    longitude_deg: float = 5.1214,
) -> Records:
    """A ``duration_s``-long 1 Hz run starting at ``start`` (tz-aware), in SI units."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    rng = np.random.default_rng(seed)
    t = np.arange(duration_s, dtype=np.float64)
    speed = _target_speed(t, duration_s) + _ar1(rng, duration_s, sigma=0.08, phi=0.95)
    speed = np.clip(speed, 0.0, None)
    stop = slice(duration_s // 3, duration_s // 3 + 30)
    speed[stop] = 0.0
    distance = np.concatenate([[0.0], np.cumsum(speed[:-1])])
    altitude = (
        40.0
        + 15.0 * np.sin(2 * np.pi * distance / 2000.0)
        + 5.0 * np.sin(2 * np.pi * distance / 700.0)
        + rng.normal(0.0, 0.15, duration_s)
    )
    heart_rate = _lagged(70.0 + 28.0 * speed, tau_s=30.0, first=75.0)
    heart_rate += 0.05 * t / 60.0 + rng.normal(0.0, 1.0, duration_s)
    moving = speed > 0.5
    cadence = np.where(moving, 150.0 + 8.0 * speed + rng.normal(0.0, 1.5, duration_s), 0.0)
    grade = np.gradient(altitude) / np.maximum(speed, 0.5)
    power = np.where(moving, 70.0 * speed * (1.04 + 4.0 * np.clip(grade, -0.1, 0.1)), 0.0)
    heading = np.cumsum(rng.normal(0.0, 0.02, duration_s))
    east = np.cumsum(speed * np.cos(heading)) + rng.normal(0.0, 1.0, duration_s)
    north = np.cumsum(speed * np.sin(heading)) + rng.normal(0.0, 1.0, duration_s)
    lat = latitude_deg + north / _M_PER_DEG_LAT
    lon = longitude_deg + east / (_M_PER_DEG_LAT * np.cos(np.radians(latitude_deg)))
    return Records(
        timestamp_s=start.timestamp() + t,
        elapsed_s=t,
        distance_m=distance,
        speed_mps=speed,
        heart_rate_bpm=np.clip(np.round(heart_rate), 40, 205),
        cadence_spm=np.maximum(cadence, 0.0),
        altitude_m=altitude,
        latitude_deg=lat,
        longitude_deg=lon,
        power_w=np.maximum(np.round(power), 0.0),
    )


def _target_speed(t: np.ndarray, duration_s: int) -> np.ndarray:
    speed = np.full(len(t), 3.3)
    speed[t < 600] = 2.8
    speed[t >= duration_s - 600] = 2.7
    block_start = 1200.0
    for rep in range(6):  # 6 × (3 min fast, 2 min easy), when the run is long enough
        on = block_start + rep * 300.0
        if on + 300.0 < duration_s - 600:
            speed[(t >= on) & (t < on + 180.0)] = 4.1
            speed[(t >= on + 180.0) & (t < on + 300.0)] = 2.9
    return speed


def _ar1(rng: np.random.Generator, n: int, *, sigma: float, phi: float) -> np.ndarray:
    noise = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), n)
    out = np.empty(n)
    level = 0.0
    for i in range(n):
        level = phi * level + noise[i]
        out[i] = level
    return out


def _lagged(target: np.ndarray, *, tau_s: float, first: float) -> np.ndarray:
    """First-order response to ``target`` at 1 Hz (time constant ``tau_s``)."""
    alpha = 1.0 / tau_s
    out = np.empty(len(target))
    level = first
    for i, value in enumerate(target):
        level += alpha * (value - level)
        out[i] = level
    return out
