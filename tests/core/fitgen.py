"""FIT files for tests: where the real ones are, and generated ones with known answers.

Generated files go through ``smartrunning.science.fit.encode`` (Garmin's Encoder), so the
tests import no FIT library themselves. Damaged variants are built from good files by
re-framing their message bytes with ``wrap_fit``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from smartrunning.science.fit import Segment, encode_activity, synthetic_run, wrap_fit
from smartrunning.science.records import Records

REPO = Path(__file__).resolve().parents[2]
LOCAL_FIT_DIR = REPO / "tests" / "data" / "fit"
SHARED_FIT_DIR = REPO.parent / "shared" / "data" / "fit"
"""The project's sample files (``../shared/data/fit`` from the repository)."""

START = datetime(2024, 5, 4, 7, 0, tzinfo=UTC)


def fit_files(directory: Path) -> list[Path]:
    """The ``.fit`` files of a directory (any case of the suffix), sorted by name."""
    return sorted(p for p in directory.iterdir() if p.suffix.lower() == ".fit")


def run(duration_s: int = 600, *, seed: int = 1, start: datetime = START) -> Records:
    """A synthetic 1 Hz run (see ``synthetic_run``)."""
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
