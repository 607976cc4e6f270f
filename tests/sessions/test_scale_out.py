"""Scale-out under faults (issue #6): the production server (gunicorn, 2 web workers) and 2
queue workers on PostgreSQL and Redis; 200 FIT files uploaded through the API by 4
concurrent clients; one queue worker killed with SIGKILL in the middle and restarted.

Every file must be imported exactly once (deliberate duplicates reported as duplicates),
no job may be left unfinished, and the runner's bests, CS/D′ versions, history and session
loads must equal those of the same files imported sequentially for a second runner.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts import actions as accounts
from smartrunning.accounts import tokens as token_services
from smartrunning.accounts.models import Role
from smartrunning.app import create_app
from smartrunning.athletes.models import Runner
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.queue import get_queue
from smartrunning.sessions import import_recovery, uploads
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions.models import (
    AnalysisState,
    FileStatus,
    ImportFile,
    ImportJob,
    JobStatus,
    TrainingSession,
)
from tests.database import TestDatabase
from tests.helpers import make_runner
from tests.processes import free_port, process_env, wait_for
from tests.sessions.scaleout import (
    Api,
    Cluster,
    Process,
    close_enough,
    derived_state,
    first_difference,
    make_runs,
    utc_now,
    wait_for_line,
)
from tests.sessions.sessiondata import import_inline, run_bytes
from tests.settings import POSTGRES_ENV, REDIS_ENV, make_settings, postgres_url, redis_url

FILES = 200
CLIENTS = 4
REQUESTS_PER_CLIENT = 5
#: Files sent a second time, by another client: reported as duplicates, imported once.
DUPLICATES = (13, 62, 111, 160)
#: The queue worker is killed once this many sessions exist (about a quarter of the way).
KILL_AT_SESSIONS = 50
#: Generous: a task the killed worker had taken but not yet claimed is only queued again
#: once its job has been idle for ``import_recovery.STALLED_JOB_S`` (checked every minute).
JOBS_TIMEOUT_S = 420
#: Start-up of a process on a busy 2-core CI machine.
START_TIMEOUT_S = 120


def _servers() -> tuple[str, str]:
    database, redis = postgres_url(), redis_url()
    if database and redis:
        return database, redis
    missing = " and ".join(n for n, v in ((POSTGRES_ENV, database), (REDIS_ENV, redis)) if not v)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{missing} not set: CI runs this test on PostgreSQL and Redis")
    pytest.skip(f"{missing} not set: the scale-out test runs in the PostgreSQL/Redis pass")


def _init(tmp_path: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "smartrunning", "init"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _coach_token(app: Flask) -> str:
    with app.app_context():
        coach = accounts.create_user(
            "scale.coach",
            accounts.generate_password(),
            [Role.COACH],
            must_change_password=False,
        )
        db.session.flush()
        _row, token = token_services.create_token(coach, "scale-out test")
        db.session.commit()
        return token


def _sessions_of(app: Flask, runner_id: int) -> int:
    with app.app_context():
        count = db.session.execute(
            sa.select(sa.func.count(TrainingSession.id)).where(
                TrainingSession.runner_id == runner_id
            )
        ).scalar_one()
        db.session.rollback()
        return int(count)


def _claims_of(app: Flask, pid: int) -> int:
    with app.app_context():
        count = db.session.execute(
            sa.select(sa.func.count(ImportFile.id)).where(
                ImportFile.status == FileStatus.PROCESSING,
                ImportFile.claimed_by.like(f"%:{pid}"),
            )
        ).scalar_one()
        db.session.rollback()
        return int(count)


def _shares(runs: list[tuple[str, bytes]]) -> list[list[list[tuple[str, bytes]]]]:
    """Each client's requests: its files (every CLIENTS-th, shuffled, so each request spans
    the whole period) in REQUESTS_PER_CLIENT requests; the last request of a client also
    re-sends one file of the next client (a deliberate duplicate)."""
    rng = random.Random(6)
    shares: list[list[list[tuple[str, bytes]]]] = []
    for c in range(CLIENTS):
        mine = [runs[i] for i in range(c, len(runs), CLIENTS)]
        rng.shuffle(mine)
        size = -(-len(mine) // REQUESTS_PER_CLIENT)
        shares.append([mine[i : i + size] for i in range(0, len(mine), size)])
    for c, index in enumerate(DUPLICATES):
        assert index % CLIENTS == (c + 1) % CLIENTS, "a duplicate comes from another client"
        shares[c][-1].append(runs[index])
    return shares


@pytest.mark.slow
@pytest.mark.redis
def test_two_web_and_two_queue_workers_import_every_file_once_despite_a_killed_worker(
    tmp_path: Path, test_database: TestDatabase
) -> None:
    database_server, queue_url = _servers()
    assert test_database.backend == "postgresql", (database_server, test_database.backend)
    started = time.monotonic()
    figures: dict[str, Any] = {}

    def mark(name: str) -> float:
        figures[name] = round(time.monotonic() - started, 2)
        return float(figures[name])

    # Generating 200 FIT files takes a while: overlap it with init and start-up.
    with ThreadPoolExecutor(1) as pool:
        generated: Future[list[tuple[str, bytes]]] = pool.submit(make_runs, FILES)
        url = test_database.url_for(tmp_path)  # the worker's database, emptied
        folder = tmp_path / "instance"
        env = process_env(
            folder,
            url,
            SMARTRUNNING_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(48),
            REDIS_URL=queue_url,
        )
        _init(tmp_path, env)
        mark("init")
        app = create_app(make_settings(folder, url, REDIS_URL=queue_url))
        with app.app_context():
            get_queue().huey.flush()  # nothing left from an earlier test on this database
        token = _coach_token(app)

        cluster = Cluster(env, tmp_path)
        try:
            port = free_port()
            server = cluster.start(
                "server", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"
            )
            workers = [cluster.start(f"worker{i}", "worker") for i in (1, 2)]
            wait_for(f"http://127.0.0.1:{port}/healthz", server.popen, START_TIMEOUT_S)
            for worker in workers:
                wait_for_line(worker, "Worker consuming the redis queue", START_TIMEOUT_S)
            mark("processes_up")
            api = Api(f"http://127.0.0.1:{port}", token)
            concurrent_id = api.post_json(
                "/api/runners", {"name": "Con Current", "birth_date": "1990-04-02", "sex": "f"}
            )["id"]
            sequential_id = api.post_json(
                "/api/runners", {"name": "Se Quential", "birth_date": "1990-04-02", "sex": "f"}
            )["id"]
            runs = generated.result()
            mark("files_generated")
            _run_scenario(app, api, cluster, server, workers, concurrent_id, runs, figures, mark)
            mark("concurrent_done")

            # The reference: the same files imported one after another, in this process.
            import_inline(app, sequential_id, runs)
            mark("sequential_done")
            assert _sessions_of(app, sequential_id) == FILES
            expected = derived_state(api, sequential_id)
            actual = derived_state(api, concurrent_id)
            assert len(expected["bests"]) >= 10, expected["bests"]
            # CS from the hard runs only (anchors; refused fits keep the previous value).
            assert len(expected["cs"]) >= 2, expected["cs"]
            assert len({b[0] for b in expected["bests"]}) >= 3, "bests at several distances"
            assert len(expected["days"]) >= FILES * 4 // 5, "a history day per training day"
            assert len(expected["sessions"]) == FILES
            for key in ("bests", "cs", "days", "weeks", "sessions"):
                assert close_enough(actual[key], expected[key]), (
                    f"{key} differ between concurrent and sequential imports: "
                    + first_difference(actual[key], expected[key])
                )
            figures.update(
                bests=len(expected["bests"]),
                cs_versions=len(expected["cs"]),
                history_days=len(expected["days"]),
            )
            cluster.check_alive(*(p for p in cluster.processes if p is not workers[0]))
            mark("total")
            print(f"scale-out figures: {figures}")
        except BaseException:
            print(f"scale-out figures so far: {figures}", file=sys.stderr)
            print(cluster.logs(), file=sys.stderr)
            raise
        finally:
            cluster.close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def _run_scenario(
    app: Flask,
    api: Api,
    cluster: Cluster,
    server: Process,
    workers: list[Process],
    runner_id: int,
    runs: list[tuple[str, bytes]],
    figures: dict[str, Any],
    mark: Callable[[str], float],
) -> None:
    shares = _shares(runs)
    jobs: list[tuple[int, list[str]]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(requests: list[list[tuple[str, bytes]]]) -> None:
        for files in requests:
            try:
                status, answer = api.upload(runner_id, files)
            except Exception as exc:
                status, answer = -1, repr(exc)
            with lock:
                if status == 202:
                    jobs.append((int(answer["job_id"]), [name for name, _ in files]))
                else:
                    errors.append(f"upload of {len(files)} files: {status} {answer}")

    threads = [
        threading.Thread(target=client, args=(share,), name=f"client{c}")
        for c, share in enumerate(shares)
    ]
    mark("upload_start")
    for thread in threads:
        thread.start()

    # Kill a queue worker in the middle of the work: some sessions in, far from all.
    victim = workers[0]
    deadline = time.monotonic() + JOBS_TIMEOUT_S
    while (done := _sessions_of(app, runner_id)) < KILL_AT_SESSIONS:
        cluster.check_alive(server, *workers)
        assert time.monotonic() < deadline, f"only {done} sessions in {JOBS_TIMEOUT_S} s"
        time.sleep(0.02)
    victim.kill(signal.SIGKILL)
    victim.popen.wait()
    figures["killed_at_s"] = mark("kill")
    figures["killed_at_utc"] = utc_now()
    figures["sessions_at_kill"] = after = _sessions_of(app, runner_id)
    figures["claims_left_by_killed_worker"] = _claims_of(app, victim.pid)
    figures["uploads_running_at_kill"] = sum(t.is_alive() for t in threads)
    assert after < FILES, f"the kill came too late: {after} of {FILES} sessions already in"
    time.sleep(1.0)
    replacement = cluster.start("worker3", "worker")
    mark("restart")
    alive = [workers[1], replacement]

    for thread in threads:
        thread.join(timeout=JOBS_TIMEOUT_S)
        assert not thread.is_alive(), "an upload client hung"
    mark("upload_end")
    assert not errors, errors
    assert len(jobs) == CLIENTS * REQUESTS_PER_CLIENT

    # Every job finishes (polled through the API), none with a failed file.
    reports: dict[int, dict[str, Any]] = {}
    waiting = {job_id for job_id, _names in jobs}
    while waiting:
        cluster.check_alive(server, *alive)
        for job_id in sorted(waiting):
            report = api.get(f"/api/jobs/{job_id}")
            if report["status"] == "done":
                reports[job_id] = report
                waiting.discard(job_id)
        if waiting:
            assert time.monotonic() < deadline, f"jobs not done in {JOBS_TIMEOUT_S} s: " + str(
                {j: api.get(f"/api/jobs/{j}")["by_status"] for j in sorted(waiting)}
            )
            time.sleep(0.5)
    mark("jobs_done")
    figures["sweeps"] = [
        p.name + ": " + line.partition("sweep: ")[2].rstrip('"}')
        for p in cluster.processes
        for line in p.output().splitlines()
        if "sweep: " in line
    ]

    # Each uploaded file: one result; imported once, or a duplicate of the one imported.
    uploaded = Counter(name for _job, names in jobs for name in names)
    assert sum(uploaded.values()) == FILES + len(DUPLICATES)
    assert set(uploaded) == {name for name, _ in runs}
    results: dict[str, list[str]] = {}
    for job_id, names in jobs:
        files = reports[job_id]["files"]
        assert sorted(f["file"] for f in files) == sorted(names), (job_id, files)
        for f in files:
            results.setdefault(f["file"], []).append(f["status"])
    for name, count in uploaded.items():
        statuses = sorted(results[name])
        expected = ["duplicate", "imported"] if count == 2 else ["imported"]
        assert statuses == expected, (name, results[name], reports)

    with app.app_context():
        sessions = db.session.execute(
            sa.select(
                TrainingSession.id, TrainingSession.source_sha256, TrainingSession.import_file_id
            ).where(TrainingSession.runner_id == runner_id)
        ).all()
        files = db.session.execute(
            sa.select(ImportFile.id, ImportFile.status, ImportFile.session_ids, ImportFile.attempts)
            .join(ImportJob, ImportJob.id == ImportFile.job_id)
            .where(ImportJob.runner_id == runner_id)
        ).all()
        job_states = set(
            db.session.execute(
                sa.select(ImportJob.status).where(ImportJob.runner_id == runner_id)
            ).scalars()
        )
        attempts = Counter(attempt for _i, _s, _ids, attempt in files)
        db.session.rollback()
    assert job_states == {JobStatus.DONE}
    assert len(sessions) == FILES
    shas = Counter(sha for _id, sha, _f in sessions)
    assert max(shas.values()) == 1, [s for s, n in shas.items() if n > 1]
    imported = {file_id: ids for file_id, status, ids, _a in files if status is FileStatus.IMPORTED}
    assert len(imported) == FILES
    assert {status for _i, status, _ids, _a in files} == {
        FileStatus.IMPORTED,
        FileStatus.DUPLICATE,
    }
    assert all(len(ids) == 1 for ids in imported.values())
    assert sorted(i for ids in imported.values() for i in ids) == sorted(i for i, *_ in sessions)
    assert {f for _i, _s, f in sessions} == set(imported)
    figures.update(
        files_uploaded=sum(uploaded.values()),
        jobs=len(jobs),
        sessions=len(sessions),
        claim_attempts=dict(sorted(attempts.items())),
    )


def test_a_job_whose_completing_worker_died_is_completed_by_the_next_sweep(
    app: Flask, test_database: TestDatabase
) -> None:
    """Regression (found by the test above): a worker killed during a job's final
    recomputation left the job ``analysing`` for ``STALE_CLAIM_S`` (10 min). On PostgreSQL
    the sweep now sees that nobody holds the runner's analysis lock and completes the job
    again; while the lock is held (the recomputation still running), it leaves it be."""
    runner_id = make_runner(app, "Orphan Job")
    import_inline(app, runner_id, [("a.fit", run_bytes(0, duration_s=600))])
    report = import_inline(app, runner_id, [("b.fit", run_bytes(1, duration_s=600))])
    job_id = int(report["id"])  # type: ignore[call-overload]
    with app.app_context():
        began = now_utc() - dt.timedelta(seconds=60)  # as left by the killed worker
        job = db.session.get_one(ImportJob, job_id)
        job.status, job.updated_at, job.finished_at = JobStatus.ANALYSING, began, None
        db.session.commit()

        if test_database.backend == "postgresql":
            # Another worker still recomputing the runner: its lock is held, hands off.
            with db.engine.connect() as other:
                other.execute(
                    sa.update(AnalysisState)
                    .where(AnalysisState.runner_id == runner_id)
                    .values(locked_at=now_utc())
                )
                assert job_id not in import_recovery.sweep().jobs_to_complete
                other.rollback()
            assert db.session.get_one(ImportJob, job_id).status is JobStatus.ANALYSING
            swept = import_recovery.sweep()
        else:
            # SQLite cannot tell a live recomputation from a dead one: it waits.
            assert job_id not in import_recovery.sweep().jobs_to_complete
            later = now_utc() + dt.timedelta(seconds=import_recovery.STALE_CLAIM_S)
            swept = import_recovery.sweep(now=later)
        assert job_id in swept.jobs_to_complete
        assert import_jobs.complete_jobs(swept.jobs_to_complete) == [job_id]
        db.session.expire_all()
        assert db.session.get_one(ImportJob, job_id).status is JobStatus.DONE


def test_a_sweep_never_undoes_a_claim_made_after_it_read_the_file(app: Flask) -> None:
    """Regression: workers sweep at once (each starting worker, every minute). A sweep that
    read a dead worker's claim after another sweep had released it, and a worker claimed
    it again, put that live claim back to ``pending``: a second worker then took the file
    too, and the file ended up reported a duplicate of its own session."""
    runner_id = make_runner(app, "Two Sweeps")
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job = uploads.create_import(
            runner, [("a.fit", run_bytes(0, duration_s=300))], by=None, source="test", queue=False
        )
        file_id = import_jobs.pending_file_ids(job.id)[0]
        assert import_jobs.claim([file_id], "elsewhere:1") == [file_id]
        stale = db.session.get_one(ImportFile, file_id)  # what the slower sweep read
        assert stale.attempts == 1
        with db.engine.begin() as other:  # meanwhile: released, then claimed by a worker
            other.execute(
                sa.update(ImportFile)
                .where(ImportFile.id == file_id)
                .values(status=FileStatus.PROCESSING, claimed_by="live:2", attempts=2)
            )
        assert not import_recovery.still_claimed(stale)
        db.session.commit()
        db.session.expire_all()
        row = db.session.get_one(ImportFile, file_id)
        assert (row.status, row.claimed_by, row.attempts) == (FileStatus.PROCESSING, "live:2", 2)
        assert import_recovery.still_claimed(row)  # the claim it read is the current one
        db.session.rollback()


def test_the_same_bytes_uploaded_twice_at_once_are_kept_once_without_an_error(
    app: Flask, test_database: TestDatabase
) -> None:
    """Regression (found by the test above: a 500 for one of two concurrent uploads that
    both held a file): the second insert of the same blob failed on its primary key. On
    PostgreSQL the first upload's transaction is kept open until the second one waits for
    its blob row, so the race happens every time."""
    runner_id = make_runner(app, "Same Bytes")
    data = run_bytes(3, duration_s=300)
    inserted, failures = threading.Event(), []

    def first_upload() -> None:
        with app.app_context():
            try:
                runner = db.session.get_one(Runner, runner_id)
                job = uploads.create_job(runner, by=None, source="test")
                uploads.add_upload(job, "first.fit", data)
                inserted.set()
                if test_database.backend == "postgresql":
                    _wait_until_a_backend_waits_for_a_lock()
                db.session.commit()
            except Exception as exc:
                failures.append(exc)
                raise
            finally:
                inserted.set()
                db.session.remove()

    thread = threading.Thread(target=first_upload)
    thread.start()
    if test_database.backend == "sqlite":
        thread.join()  # SQLite serialises writers: the uploads cannot overlap there
    assert inserted.wait(30)
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job = uploads.create_job(runner, by=None, source="test")
        second = uploads.add_upload(job, "second.fit", data)
        db.session.commit()
        thread.join(30)
        assert not failures, failures
        names = db.session.execute(
            sa.select(ImportFile.name, ImportFile.sha256).order_by(ImportFile.name)
        ).all()
        assert names == [("first.fit", second.sha256), ("second.fit", second.sha256)]


def _wait_until_a_backend_waits_for_a_lock(seconds: float = 30) -> None:
    """Poll (on a connection of its own) until another session of this database waits
    for a lock: the concurrent upload has reached the blob row this one inserted."""
    deadline = time.monotonic() + seconds
    with db.engine.connect() as watcher:
        while time.monotonic() < deadline:
            waiting = watcher.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
            watcher.rollback()
            if waiting:
                return
            time.sleep(0.02)
    raise AssertionError(f"the second upload did not wait for the first within {seconds} s")
