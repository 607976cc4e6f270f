"""Generated FIT files and ZIPs for the session tests, and importing them inline.

Files are written at test time by ``tests.core.fitwriter`` (Garmin's Encoder),
so every expected value is known; the real sample files stay in ``../shared/data/fit``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import numpy as np
from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.platform.db import db
from smartrunning.science.records import Records
from smartrunning.sessions import import_reports, uploads
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions.models import ImportJob
from tests.core.fitgen import synthetic_run
from tests.core.fitwriter import Segment, encode_activity

REPO = Path(__file__).resolve().parents[2]
SHARED_FIT_DIR = REPO.parent / "shared" / "data" / "fit"
LOCAL_FIT_DIR = REPO / "tests" / "data" / "fit"
DAY0 = dt.datetime(2024, 3, 1, 7, 0, tzinfo=dt.UTC)


def run_bytes(
    day: int = 0,
    *,
    duration_s: int = 1500,
    seed: int = 1,
    sport: str = "running",
    sub_sport: str = "generic",
    hour: int = 0,
) -> bytes:
    """A synthetic 1 Hz activity ``day`` days after 2024-03-01 07:00 UTC (+ ``hour`` h)."""
    start = DAY0 + dt.timedelta(days=day, hours=hour)
    records = synthetic_run(duration_s, start=start, seed=seed)
    return encode_activity([Segment(records, sport=sport, sub_sport=sub_sport)])


def fast_run_bytes(day: int = 0, *, factor: float = 30.0, duration_s: int = 1500) -> bytes:
    """A "run" ``factor`` times as fast as :func:`run_bytes` (30: ~100 m/s, as in #16)."""
    records = synthetic_run(duration_s, start=DAY0 + dt.timedelta(days=day), seed=1)
    fast = replace(
        records, distance_m=records.distance_m * factor, speed_mps=records.speed_mps * factor
    )
    return encode_activity([Segment(fast)])


def dated_run_bytes(start: dt.datetime, *, duration_s: int = 900, seed: int = 1) -> bytes:
    """A plausible run starting at ``start`` (e.g. in 2063: a device clock far ahead)."""
    return encode_activity([Segment(synthetic_run(duration_s, start=start, seed=seed))])


def wild_hr_run_bytes(day: int = 0, *, bpm: float = 250.0, seconds: int = 120) -> bytes:
    """A run whose heart rate reads ``bpm`` for ``seconds`` in its middle."""
    records = synthetic_run(1500, start=DAY0 + dt.timedelta(days=day), seed=1)
    hr = records.heart_rate_bpm.copy()
    hr[600 : 600 + seconds] = bpm
    return encode_activity([Segment(replace(records, heart_rate_bpm=hr))])


def jumped_run_bytes(day: int = 0, *, jump_s: float, seed: int = 4) -> bytes:
    """A run whose records from minute 5 to 8 carry timestamps ``jump_s`` ahead (a clock
    that jumped years or weeks and came back); its session message stays right."""
    records = synthetic_run(1200, start=DAY0 + dt.timedelta(days=day), seed=seed)
    ts = records.timestamp_s.copy()
    ts[300:480] += jump_s
    return encode_activity([Segment(replace(records, timestamp_s=ts))])


def scaled_run(
    day: int, factor: float, *, hour: int = 0, seed: int = 0, duration_s: int = 1300
) -> bytes:
    """A synthetic run ``factor`` times as fast (speed and distance scaled)."""
    start = DAY0 + dt.timedelta(days=day, hours=hour)
    r = synthetic_run(duration_s, start=start, seed=seed)
    scaled = Records(
        timestamp_s=r.timestamp_s,
        elapsed_s=r.elapsed_s,
        distance_m=r.distance_m * factor,
        speed_mps=r.speed_mps * factor,
        heart_rate_bpm=r.heart_rate_bpm,
        cadence_spm=r.cadence_spm,
        altitude_m=r.altitude_m,
        latitude_deg=r.latitude_deg,
        longitude_deg=r.longitude_deg,
        power_w=r.power_w,
    )
    return encode_activity([Segment(scaled)])


def gz(data: bytes) -> bytes:
    """``data`` gzip-compressed, as Strava exports ``.fit.gz`` (fixed mtime: same bytes)."""
    return gzip.compress(data, mtime=0)


def gzip_bomb(expanded_bytes: int) -> bytes:
    """A gzip stream of ``expanded_bytes`` zeros behind a FIT-looking start."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as out:
        out.write(b"\x0e\x20\x52\x52\x00\x00\x00\x00.FIT\x00\x00")
        block = np.zeros(1 << 20, dtype=np.uint8).tobytes()
        for _ in range(expanded_bytes // len(block)):
            out.write(block)
    return buffer.getvalue()


def zip_bytes(entries: Iterable[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def import_inline(app: Flask, runner_id: int, files: list[tuple[str, bytes]]) -> dict[str, object]:
    """Create a job from ``files`` and run it in this process; return its report as a dict."""
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job = uploads.create_import(runner, files, by=None, source="test", queue=False)
        job_id = job.id
        import_jobs.run_inline(job_id)
        report = import_reports.job_report(db.session.get_one(ImportJob, job_id))
        return report.as_dict()


def by_name(report: dict[str, object]) -> dict[str, dict[str, object]]:
    files = report["files"]
    assert isinstance(files, list)
    return {f["file"]: f for f in files}
