"""Generated FIT files and ZIPs for the session tests, and importing them inline.

Files are written at test time by ``tests.core.fitwriter`` (Garmin's Encoder),
so every expected value is known; the real sample files stay in ``../shared/data/fit``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.platform.db import db
from smartrunning.sessions import import_reports
from smartrunning.sessions import imports as import_services
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
        job = import_services.create_import(runner, files, by=None, source="test")
        job_id = job.id
        import_services.run_inline(job_id)
        report = import_reports.job_report(db.session.get_one(ImportJob, job_id))
        return report.as_dict()


def by_name(report: dict[str, object]) -> dict[str, dict[str, object]]:
    files = report["files"]
    assert isinstance(files, list)
    return {f["file"]: f for f in files}
