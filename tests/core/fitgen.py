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

import itertools
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from smartrunning.science.records import Records
from tests.core.fitwriter import (
    Segment,
    SessionSpec,
    device_totals,
    encode_activity,
    encode_custom,
    quantize,
    wrap_fit,
)

REPO = Path(__file__).resolve().parents[2]
LOCAL_FIT_DIR = REPO / "tests" / "data" / "fit"
SHARED_FIT_DIR = REPO.parent / "shared" / "data" / "fit"
"""The project's sample files (``../shared/data/fit`` from the repository)."""

START = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)
_M_PER_DEG_LAT = 111_320.0


HARVESTED_FIT_DIR = LOCAL_FIT_DIR / "harvested"
"""Real files from other packages' test suites (see its PROVENANCE)."""


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


DEVICE_EXCEPTIONS: dict[tuple[str, int, str], str] = {
    # the device's session average (142 bpm) is above its own laps' (134.2 weighted by
    # timer time; 140.9 over the swimming laps) and above the strap's samples over the
    # active lengths (140.6): no reading of the file gives it; ours is 140.3
    ("event_timestamp.fit", 0, "avg_hr"): "disagrees with its own laps",
    # the Wahoo ELEMNT ROAM averages heart rate over the samples while moving only (90.0
    # over its 22 moving samples); ours is over the timer time (87.3), as Garmin's is
    ("unterminated-strings.fit", 0, "avg_hr"): "is averaged only while moving",
    # the device's clock jumped twenty days for the last 40 records: they cannot be placed
    # in time and are left out (with a note), and the 107 m they covered with them
    ("clock-jump-days", 0, "distance"): "could not place in time",
    # harvested: the device's timer (1808 s) and elapsed time (1807 s) end at its last
    # record, 35 s before its own stop_all event and session end (1843 s after the start)
    ("null_compressed_speed_dist.fit", 0, "timer"): "counted to its last sample",
    # harvested (Forerunner 935 swim, strap HR in hr messages merged as the SDK does): the
    # device's 80 bpm matches its laps (79.0) but not its own samples over the timer
    # time (85.4, the SDK's merged records give the same)
    ("garmin-fr935-cr.fit", 0, "avg_hr"): "as its laps do",
}
"""(file, session index, figure) where the device itself is wrong or counts another way,
with the words the session's note on that figure must contain: the app writes the note
(``science.device_figures.device_figure_notes``) and shows it on the session's page; the
agreement tests (``tests/core/test_fit_agreement.py`` and the sessions' accuracy test)
check each entry still disagrees and that the note is there with those words, and that
no other session disagrees."""


# --- hostile files (issue #16): what real devices got wrong, with the device's own totals ---

_YEAR_S = 365.25 * 86_400


def _session_of(r: Records, sport: str = "running") -> SessionSpec:
    q = quantize(r)
    return SessionSpec(float(q.timestamp_s[0]), float(q.timestamp_s[-1]), device_totals(q), sport)


def _whole_timer(r: Records) -> list[tuple[float, str]]:
    return [(float(r.timestamp_s[0]), "start"), (float(r.timestamp_s[-1]), "stop_all")]


def clock_jump_years() -> bytes:
    """A minute of records stamped two years ahead in the middle of a 30-minute run (the
    device's clock jumped and came back); the session and its totals are the real run's."""
    r = run(1800, seed=11)
    ts = r.timestamp_s.copy()
    ts[1300:1360] += 2 * _YEAR_S
    return encode_custom(replace(r, timestamp_s=ts), [_session_of(r)], _whole_timer(r))


def clock_jump_days() -> bytes:
    """The last 40 records, the timer's stop and the session's end stamped twenty days
    ahead; the device's totals (elapsed, timer, distance, HR) are the real run's."""
    r = run(1800, seed=12)
    ts = r.timestamp_s.copy()
    ts[-40:] += 20 * 86_400
    session = _session_of(r)
    session = replace(session, end_s=float(ts[-1]))
    timer = [(float(ts[0]), "start"), (float(ts[-1]), "stop_all")]
    return encode_custom(replace(r, timestamp_s=ts), [session], timer)


def sparse_recording() -> bytes:
    """ "Smart" recording: a record every 3-7 s of an hour's run; the device's totals are
    from its 1 Hz readings (its maximum HR is in no record)."""
    r = run(3600, seed=13)
    rng = np.random.default_rng(13)
    keep = np.unique(np.r_[0, np.cumsum(rng.integers(3, 8, 1200)), 3599])
    keep = keep[keep < 3600]
    top = int(np.nanargmax(quantize(r).heart_rate_bpm))
    keep = keep[np.abs(keep - top) > 3]  # the device's maximum is in no record
    sparse = Records.from_columns(
        len(keep), **{name: getattr(r, name)[keep] for name in r.__dataclass_fields__}
    )
    return encode_custom(sparse, [_session_of(r)], _whole_timer(r))


def damaged_tail(*, zeros: bool) -> tuple[bytes, bytes]:
    """(damaged, original): a run whose file ends in 300 bytes of zeros or garbage that the
    header counts and the CRC does not match (everything before is valid)."""
    good = encode_activity([Segment(run(2400, seed=14))])
    tail = bytes(300) if zeros else np.random.default_rng(14).bytes(300)
    body = data_section(good) + tail
    damaged = wrap_fit(body)
    return damaged[:-2] + bytes([damaged[-2] ^ 0x5A, damaged[-1]]), good


def multisport_shared_boundaries() -> bytes:
    """Run, transition, ride, run, written as one recording: each leg ends at the record
    stamped with the next leg's start, which carries the leg's final distance (distance
    counts on across legs); the run's and the ride's last intervals are long (30 s
    without records, as a pool length or a GPS pause leaves). Each leg's totals are the
    device's from its first record to that one, as the SDK's leg totals read."""
    r = run(3000, seed=15)
    bounds = [0, 1000, 1060, 2400, 2999]
    sports = ["running", "transition", "cycling", "running"]
    gaps = np.zeros(len(r), dtype=np.bool_)
    for b in (bounds[1], bounds[3]):  # the run's and the ride's ends
        gaps[b - 30 : b] = True
    kept = Records.from_columns(
        int(np.count_nonzero(~gaps)),
        **{name: getattr(r, name)[~gaps] for name in r.__dataclass_fields__},
    )
    q = quantize(kept)
    t = q.timestamp_s
    sessions = []
    for (a, b), sport in zip(itertools.pairwise(bounds), sports, strict=True):
        first, last = np.searchsorted(t, t[0] + a), np.searchsorted(t, t[0] + b)
        leg = Records.from_columns(
            last + 1 - first,
            **{name: getattr(q, name)[first : last + 1] for name in q.__dataclass_fields__},
        )
        distance = float(round((q.distance_m[last] - q.distance_m[first]) * 100) / 100)
        totals = replace(device_totals(leg), total_distance_m=distance)
        sessions.append(SessionSpec(float(t[first]), float(t[last]), totals, sport))
    return encode_custom(kept, sessions, _whole_timer(r))


def distance_spike() -> bytes:
    """A distance stream with a GPS glitch (+197 m for one record, then back); the
    device's total is the real distance."""
    r = run(1800, seed=16)
    d = r.distance_m.copy()
    d[900] += 197.0
    return encode_custom(replace(r, distance_m=d), [_session_of(r)], _whole_timer(r))


def hostile_files() -> list[tuple[str, bytes, bytes]]:
    """(name, file, the file whose session messages hold the device's totals)."""
    zeros, good = damaged_tail(zeros=True)
    garbage, good2 = damaged_tail(zeros=False)
    files = [
        ("clock-jump-years", clock_jump_years()),
        ("clock-jump-days", clock_jump_days()),
        ("sparse-recording", sparse_recording()),
        ("multisport-shared-boundaries", multisport_shared_boundaries()),
        ("distance-spike", distance_spike()),
    ]
    return [(name, data, data) for name, data in files] + [
        ("damaged-tail-zeros", zeros, good),
        ("damaged-tail-garbage", garbage, good2),
    ]


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
