"""SIGTERM, as Kubernetes sends it to move a pod: real servers and workers stop cleanly.

The web server finishes the request in progress; a queue worker finishes the files it holds
or hands them back, and exits leaving no claim behind, so another worker carries on at once
(no wait for the stale-claim sweep) and every file is imported exactly once.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.app import create_app
from smartrunning.athletes import actions as athletes
from smartrunning.athletes.models import Runner, Sex
from smartrunning.platform.db import db
from smartrunning.platform.queue import WORKER_STOP_TIMEOUT_S, get_queue
from smartrunning.platform.serve import GRACEFUL_TIMEOUT_S
from smartrunning.sessions import uploads as upload_services
from smartrunning.sessions.models import (
    FileKind,
    FileStatus,
    ImportFile,
    ImportJob,
    JobStatus,
    TrainingSession,
)
from tests.processes import free_port, process_env, start, stop, wait_for
from tests.sessions.sessiondata import run_bytes, zip_bytes
from tests.settings import REDIS_ENV, make_settings
from tests.settings import redis_url as queue_redis_url

pytestmark = pytest.mark.slow


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        stop(process)


def _terminate(process: subprocess.Popen[bytes], within_s: float) -> tuple[float, str]:
    """SIGTERM to the process alone (as the kubelet sends it to a container's first
    process); the seconds it took to exit, and its output."""
    sent = time.monotonic()
    os.kill(process.pid, signal.SIGTERM)
    try:
        code = process.wait(timeout=within_s)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"running {within_s} s after SIGTERM:\n{stop(process)}") from None
    took = time.monotonic() - sent
    output = stop(process)
    assert code == 0, output
    return took, output


# --- the web server ------------------------------------------------------------------------


def test_a_server_told_to_stop_finishes_the_request_in_progress(
    instance: tuple[Path, str | None],
    tmp_path: Path,
    processes: list[subprocess.Popen[bytes]],
) -> None:
    folder, url = instance
    port = free_port()
    server = start(
        process_env(folder, url), "serve", "--port", str(port), "--workers", "1", cwd=tmp_path
    )
    processes.append(server)
    wait_for(f"http://127.0.0.1:{port}/livez", server)
    body = b"username=nobody&password=" + b"x" * 2000
    with socket.create_connection(("127.0.0.1", port), timeout=30) as client:
        # A slow client: the headers and half the form, the rest after the SIGTERM.
        client.sendall(
            b"POST /login HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:1000]
        )
        time.sleep(1)
        os.kill(server.pid, signal.SIGTERM)
        time.sleep(2)
        assert server.poll() is None, "the server must wait for the request in progress"
        client.sendall(body[1000:])
        answer = client.recv(65536)
    # The app read the whole form and answered: without its CSRF token, a 400 page.
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"Content-Security-Policy" in answer
    code = server.wait(timeout=GRACEFUL_TIMEOUT_S)
    assert code == 0, stop(server)


# --- queue workers -------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def queue_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The queue the workers share: the embedded SQLite one, or Redis (second pass)."""
    if request.param == "sqlite":
        return {}
    url = queue_redis_url()
    if not url:
        pytest.skip(f"{REDIS_ENV} not set: the Redis queue runs in the PostgreSQL/Redis pass")
    return {"REDIS_URL": url}


def _app(folder: Path, url: str | None, queue_env: dict[str, str]) -> Flask:
    app = create_app(
        make_settings(folder, url, SMARTRUNNING_ENV="development", SECRET_KEY=None, **queue_env)
    )
    with app.app_context():
        get_queue().huey.flush()
    return app


def _new_job(app: Flask, uploads: list[tuple[str, bytes]]) -> int:
    with app.app_context():
        runner = athletes.create_runner(
            "Stop Test", dt.date(1990, 1, 1), Sex.FEMALE, created_by=None, today=dt.date(2026, 1, 1)
        )
        db.session.commit()
        job = upload_services.create_import(  # queued once committed
            db.session.get_one(Runner, runner.id), uploads, by=None, source="test"
        )
        return job.id


def _count(app: Flask, job_id: int, *where: sa.ColumnElement[bool]) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count(ImportFile.id)).where(ImportFile.job_id == job_id, *where)
        ).scalar_one()


def _wait_for_a_file(app: Flask, job_id: int, where: sa.ColumnElement[bool]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if _count(app, job_id, where):
            return
        time.sleep(0.01)
    raise AssertionError(f"no file of job {job_id} where {where} in 180 s")


def _wait_done(app: Flask, job_id: int, worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.get_one(ImportJob, job_id).status is JobStatus.DONE:
                return
        if worker.poll() is not None:
            raise AssertionError(f"worker exited:\n{stop(worker)}")
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} not done in 180 s")


def _assert_each_fit_imported_once(app: Flask, job_id: int, fits: int) -> None:
    with app.app_context():
        rows = (
            db.session.execute(
                sa.select(ImportFile).where(
                    ImportFile.job_id == job_id, ImportFile.kind == FileKind.FIT
                )
            )
            .scalars()
            .all()
        )
        assert len(rows) == len({r.name for r in rows}) == fits
        assert {r.status for r in rows} == {FileStatus.IMPORTED}, [
            (r.name, r.status, r.reason) for r in rows if r.status is not FileStatus.IMPORTED
        ]
        ids = [i for r in rows for i in r.session_ids]
        assert len(ids) == len(set(ids)) == fits
        sessions = db.session.execute(
            sa.select(TrainingSession.id, TrainingSession.import_file_id)
        ).all()
        assert sorted(sid for sid, _f in sessions) == sorted(ids)


@pytest.fixture(scope="module")
def runs() -> list[tuple[str, bytes]]:
    return [(f"run{i:03d}.fit", run_bytes(i, duration_s=600, seed=i)) for i in range(48)]


def test_a_worker_told_to_stop_finishes_its_files_and_leaves_no_claim(
    instance: tuple[Path, str | None],
    tmp_path: Path,
    runs: list[tuple[str, bytes]],
    processes: list[subprocess.Popen[bytes]],
    queue_env: dict[str, str],
) -> None:
    folder, url = instance
    env = process_env(folder, url, **queue_env)
    app = _app(folder, url, queue_env)
    job_id = _new_job(app, runs)
    first = start(env, "worker", "--workers", "1", cwd=tmp_path)
    processes.append(first)
    # In the middle of the job: some files done, a batch claimed.
    _wait_for_a_file(app, job_id, ImportFile.status == FileStatus.IMPORTED)
    _wait_for_a_file(app, job_id, ImportFile.status == FileStatus.PROCESSING)
    took, output = _terminate(first, WORKER_STOP_TIMEOUT_S)
    print(f"worker stopped {took:.2f} s after SIGTERM")
    assert _count(app, job_id, ImportFile.status == FileStatus.PROCESSING) == 0, output
    done = _count(app, job_id, ImportFile.status == FileStatus.IMPORTED)
    assert 0 < done < len(runs), done
    second = start(env, "worker", "--workers", "1", cwd=tmp_path)
    processes.append(second)
    _wait_done(app, job_id, second)
    _assert_each_fit_imported_once(app, job_id, len(runs))


def test_a_worker_told_to_stop_in_an_archive_hands_it_back(
    instance: tuple[Path, str | None],
    tmp_path: Path,
    runs: list[tuple[str, bytes]],
    processes: list[subprocess.Popen[bytes]],
    queue_env: dict[str, str],
) -> None:
    """A Garmin-style export: each run among notes the import lists as skipped, so that
    listing its entries takes many batches; the worker stops between two of them."""
    folder, url = instance
    env = process_env(folder, url, **queue_env)
    app = _app(folder, url, queue_env)
    entries: list[tuple[str, bytes]] = []
    for name, data in runs:
        entries.append((f"export/{name}", data))
        entries.extend((f"export/{name}.note{j}.json", b"{}") for j in range(40))
    job_id = _new_job(app, [("export.zip", zip_bytes(entries))])
    first = start(env, "worker", "--workers", "1", cwd=tmp_path)
    processes.append(first)
    _wait_for_a_file(app, job_id, ImportFile.parent_id.is_not(None))  # a first batch listed
    took, output = _terminate(first, WORKER_STOP_TIMEOUT_S)
    print(f"worker stopped {took:.2f} s after SIGTERM")
    assert _count(app, job_id, ImportFile.status == FileStatus.PROCESSING) == 0, output
    listed = _count(app, job_id, ImportFile.parent_id.is_not(None))
    assert 0 < listed < len(entries), "the worker should stop between two batches"
    assert (
        _count(
            app,
            job_id,
            ImportFile.kind == FileKind.ARCHIVE,
            ImportFile.status == FileStatus.PENDING,
        )
        == 1
    )
    second = start(env, "worker", "--workers", "1", cwd=tmp_path)
    processes.append(second)
    _wait_done(app, job_id, second)
    _assert_each_fit_imported_once(app, job_id, len(runs))
    assert _count(app, job_id, ImportFile.parent_id.is_not(None)) == len(entries)
    assert _count(app, job_id, ImportFile.status == FileStatus.SKIPPED) == len(entries) - len(runs)
    assert _count(app, job_id, ImportFile.status == FileStatus.EXPANDED) == 1
