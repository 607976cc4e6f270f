"""FIT files for tests and benchmarks: where the real ones are, and generated ones with
known answers.

Generated files are :func:`synthetic_run` records written by ``tests.core.fitwriter``
(Garmin's Encoder). Damaged variants are built from good files by re-framing their
message bytes with ``wrap_fit``.

:func:`synthetic_run` is deterministic for a seed. The shape: 10 min warm-up, steady
running with a block of intervals, a 30 s stop at a crossing, 10 min cool-down; heart rate
follows speed with a 30 s lag and a slow cardiac drift; altitude rolls over two hills; the
GPS track wanders with a slowly turning heading; cadence and power rise with speed and
drop to 0 when stopped. Not physiology to learn from: plausible numbers to decode, store
and analyse.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from smartrunning.science.records import Records
from tests.core.fitwriter import Segment, encode_activity, wrap_fit

REPO = Path(__file__).resolve().parents[2]
LOCAL_FIT_DIR = REPO / "tests" / "data" / "fit"
SHARED_FIT_DIR = REPO.parent / "shared" / "data" / "fit"
"""The project's sample files (``../shared/data/fit`` from the repository)."""

START = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)
_M_PER_DEG_LAT = 111_320.0


def fit_files(directory: Path) -> list[Path]:
    """The ``.fit`` files of a directory (any case of the suffix), sorted by name."""
    return sorted(p for p in directory.iterdir() if p.suffix.lower() == ".fit")


def synthetic_run(
    duration_s: int,
    *,
    start: datetime = START,
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


def run(duration_s: int = 600, *, seed: int = 1, start: datetime = START) -> Records:
    """``synthetic_run`` with the tests' defaults (10 min, seed 1)."""
    return synthetic_run(duration_s, start=start, seed=seed)


def run_file(duration_s: int = 600, *, seed: int = 1, start: datetime = START) -> bytes:
    """One running session of ``duration_s`` seconds, auto-lapped every km."""
    return encode_activity([Segment(run(duration_s, seed=seed, start=start))])


def leg(records: Records, start: int, stop: int, *, cadence: bool = True) -> Records:
    """Samples ``start:stop`` of ``records`` as a leg of its own: distance from 0."""
    part = {
        name: np.asarray(getattr(records, name)[start:stop], dtype=np.float64).copy()
        for name in ("timestamp_s", "distance_m", "speed_mps", "heart_rate_bpm", "cadence_spm")
    }
    part["distance_m"] -= part["distance_m"][0]
    if not cadence:
        part["cadence_spm"] = np.full(stop - start, np.nan)
    ts = part["timestamp_s"]
    return Records.from_columns(
        stop - start,
        **part,
        elapsed_s=ts - ts[0],
        altitude_m=records.altitude_m[start:stop],
        latitude_deg=records.latitude_deg[start:stop],
        longitude_deg=records.longitude_deg[start:stop],
        power_w=records.power_w[start:stop],
    )


def multisport_segments() -> list[Segment]:
    """Run 10 min, transition 1 min, bike 15 min, run 5 min: one continuous recording."""
    r = run(1860, seed=7)
    return [
        Segment(leg(r, 0, 600), sport="running", sub_sport="generic"),
        Segment(leg(r, 600, 660), sport="transition", sub_sport="generic"),
        Segment(leg(r, 660, 1560, cadence=False), sport="cycling", sub_sport="road"),
        Segment(leg(r, 1560, 1860), sport="running", sub_sport="trail"),
    ]


def data_section(fit: bytes) -> bytes:
    """The message bytes of a single (unchained) FIT file."""
    return fit[fit[0] : -2]


def with_zero_header_crc(fit: bytes) -> bytes:
    """The same file with a 14-byte header whose CRC is 0x0000 (older Garmin devices)."""
    return wrap_fit(data_section(fit), zero_header_crc=True)


def with_bad_file_crc(fit: bytes) -> bytes:
    """The same file with its last (CRC) byte changed."""
    return fit[:-1] + bytes([fit[-1] ^ 0xFF])


def cut_mid_message(fit: bytes, n_bytes: int = 7) -> bytes:
    """A well-framed file whose last message lost ``n_bytes`` (header and CRC rewritten)."""
    return wrap_fit(data_section(fit)[:-n_bytes])


def later(records: Records, seconds: float) -> Records:
    """``records`` moved ``seconds`` later in time."""
    return replace(records, timestamp_s=records.timestamp_s + seconds)


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
