"""Import jobs through real ``smartrunning worker`` processes: normal runs, a worker killed
mid-job and restarted, and two workers sharing jobs on Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.app import create_app
from smartrunning.athletes.models import Runner
from smartrunning.platform.db import db
from smartrunning.sessions import import_reports, uploads
from smartrunning.sessions.models import (
    FileStatus,
    ImportFile,
    ImportJob,
    TrainingSession,
)
from tests.processes import process_env, start, stop
from tests.sessions.sessiondata import run_bytes
from tests.settings import REDIS_ENV, make_settings
from tests.settings import redis_url as worker_redis_url

pytestmark = pytest.mark.slow


def _app(folder: Path, url: str | None, **extra: str) -> Flask:
    return create_app(
        make_settings(folder, url, SMARTRUNNING_ENV="development", SECRET_KEY=None, **extra)
    )


@pytest.fixture
def files() -> list[tuple[str, bytes]]:
    return [(f"run{i:03d}.fit", run_bytes(i, duration_s=900, seed=i)) for i in range(60)]


def _new_job(app: Flask, files: list[tuple[str, bytes]]) -> int:
    with app.app_context():
        import datetime as dt

        from smartrunning.athletes import actions as athletes
        from smartrunning.athletes.models import Sex

        runner = athletes.create_runner(
            "Worker Test", dt.date(1990, 1, 1), Sex.MALE, created_by=None, today=dt.date(2026, 1, 1)
        )
        db.session.commit()
        job = uploads.create_import(  # queued once committed
            db.session.get_one(Runner, runner.id), files, by=None, source="test"
        )
        return job.id


def _progress(app: Flask, job_id: int) -> tuple[str, int, int]:
    with app.app_context():
        job = db.session.get_one(ImportJob, job_id)
        report = import_reports.job_report(job, with_files=False)
        return report.status.value, report.files_done, report.files_total


def _processing(app: Flask, job_id: int) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count(ImportFile.id)).where(
                ImportFile.job_id == job_id, ImportFile.status == FileStatus.PROCESSING
            )
        ).scalar_one()


def _wait_done(
    app: Flask, job_id: int, workers: list[subprocess.Popen[bytes]], seconds: float = 180
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if _progress(app, job_id)[0] == "done":
            return
        for worker in workers:
            if worker.poll() is not None:
                raise AssertionError(f"worker exited:\n{stop(worker)}")
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} not done in {seconds} s: {_progress(app, job_id)}")


def _assert_each_file_imported_once(app: Flask, job_id: int, count: int) -> None:
    with app.app_context():
        rows = (
            db.session.execute(sa.select(ImportFile).where(ImportFile.job_id == job_id))
            .scalars()
            .all()
        )
        assert len(rows) == count
        assert {r.status for r in rows} == {FileStatus.IMPORTED}, [
            (r.name, r.status, r.reason) for r in rows if r.status is not FileStatus.IMPORTED
        ]
        ids = [i for r in rows for i in r.session_ids]
        assert len(ids) == len(set(ids)) == count
        sessions = db.session.execute(
            sa.select(TrainingSession.id, TrainingSession.import_file_id)
        ).all()
        assert sorted(sid for sid, _f in sessions) == sorted(ids)
        assert len({f for _s, f in sessions}) == count


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for worker in started:
        stop(worker)


def test_a_job_runs_through_a_worker_process(
    instance: tuple[Path, str | None],
    tmp_path: Path,
    files: list[tuple[str, bytes]],
    workers: list[subprocess.Popen[bytes]],
) -> None:
    folder, url = instance
    workers.append(start(process_env(folder, url), "worker", cwd=tmp_path))
    app = _app(folder, url)
    job_id = _new_job(app, files[:12])
    _wait_done(app, job_id, workers)
    _assert_each_file_imported_once(app, job_id, 12)


def test_a_worker_killed_mid_job_resumes_after_restart_without_loss_or_repeat(
    instance: tuple[Path, str | None],
    tmp_path: Path,
    files: list[tuple[str, bytes]],
    workers: list[subprocess.Popen[bytes]],
) -> None:
    folder, url = instance
    env = process_env(folder, url)
    app = _app(folder, url)
    job_id = _new_job(app, files)
    first = start(env, "worker", "--workers", "1", cwd=tmp_path)
    deadline = time.monotonic() + 120
    # Kill it with files done and others claimed: files are written a batch at a time
    # (one transaction), so between two batches none may be claimed.
    while _progress(app, job_id)[1] < 5 or _processing(app, job_id) == 0:
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.01)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    status, done, total = _progress(app, job_id)
    assert status == "running", (status, done, total)
    assert 5 <= done < total, (status, done, total)
    assert _processing(app, job_id) >= 1, "the kill should leave claimed files behind"
    workers.append(start(env, "worker", "--workers", "1", cwd=tmp_path))
    _wait_done(app, job_id, workers)
    _assert_each_file_imported_once(app, job_id, len(files))


@pytest.mark.redis
def test_two_workers_on_redis_import_every_file_exactly_once(
    instance: tuple[Path, str | None],
    tmp_path: Path,
    files: list[tuple[str, bytes]],
    workers: list[subprocess.Popen[bytes]],
) -> None:
    redis_url = worker_redis_url()
    if not redis_url:
        pytest.skip(f"{REDIS_ENV} not set: the Redis queue runs in the PostgreSQL/Redis pass")
    folder, url = instance
    app = _app(folder, url, REDIS_URL=redis_url)
    with app.app_context():
        from smartrunning.platform.queue import get_queue

        get_queue().huey.flush()
    env = process_env(folder, url, REDIS_URL=redis_url)
    workers.extend(start(env, "worker", "--workers", "2", cwd=tmp_path) for _ in range(2))
    job_id = _new_job(app, files)
    _wait_done(app, job_id, workers)
    _assert_each_file_imported_once(app, job_id, len(files))
    with app.app_context():
        processed_by = set(
            db.session.execute(
                sa.select(ImportFile.claimed_by).where(ImportFile.job_id == job_id)
            ).scalars()
        )
    # Which worker takes which batch depends on their polling; both may or may not get one.
    pids = {by.rpartition(":")[2] for by in processed_by if by}
    assert pids
    assert pids <= {str(w.pid) for w in workers}
