"""Issue #14: the action that makes an import job queues it itself, once its commit is done
(``on_commit``): pages, API and CLI never enqueue. A refused upload is rolled back with
nothing stored and nothing queued; a committed one is queued exactly once; the CLI's
inline mode queues nothing and runs the job here; a job whose tasks never reached the
queue is queued by the sweep once it has stalled.

The queue is the real one: Huey's SQLite store in the instance folder, or Redis in the
PostgreSQL/Redis pass (``SMARTRUNNING_TEST_REDIS_URL``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from huey import Huey, SqliteHuey

from smartrunning.app import create_app
from smartrunning.athletes.models import Runner
from smartrunning.platform import clock
from smartrunning.platform.blobs import sha256_of
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.models import Blob
from smartrunning.platform.queue import get_queue
from smartrunning.platform.transactions import transaction
from smartrunning.sessions import cli_imports as import_cli
from smartrunning.sessions import import_recovery, uploads
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions.models import ImportFile, ImportJob, JobStatus, TrainingSession
from tests.commands import cli_with_runner, run_cli
from tests.database import TestDatabase
from tests.helpers import csrf_token, login, make_runner, make_world, post_form
from tests.sessions.sessiondata import LOCAL_FIT_DIR, run_bytes
from tests.settings import make_settings, redis_url

Queued = list[tuple[str, list[int]]]


@pytest.fixture
def database_url(tmp_path: Path, test_database: TestDatabase) -> str:
    return test_database.url_for(tmp_path)


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    settings = make_settings(tmp_path / "instance", database_url, REDIS_URL=redis_url())
    application = create_app(settings, {"TESTING": True})
    with application.app_context():
        get_queue().huey.flush()
    yield application
    with application.app_context():
        get_queue().huey.flush()
        db.session.remove()
        db.engine.dispose()


def _messages(huey: Huey) -> Queued:
    """What the queue's store holds: (task, its file or job ids), oldest first."""
    messages = [huey.serializer.deserialize(item) for item in huey.storage.enqueued_items()]
    return [(m.name.rsplit(".", 1)[-1], list(m.args[0])) for m in messages]


def _queued(app: Flask) -> Queued:
    with app.app_context():
        return _messages(get_queue().huey)


def _run_queue(app: Flask) -> int:
    """Run the queued tasks (and those they queue) as a worker would; how many ran."""
    with app.app_context():
        huey = get_queue().huey
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
        assert ran < 100, "a loop?"
    return ran


def _stored(app: Flask) -> tuple[int, int, int]:
    """(import jobs, import files, blobs) in the database."""
    with app.app_context():
        counts = tuple(
            db.session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in (ImportJob, ImportFile, Blob)
        )
        db.session.rollback()
        return counts  # type: ignore[return-value]


def _files_of(app: Flask, job_id: int) -> list[int]:
    with app.app_context():
        ids = list(
            db.session.execute(
                sa.select(ImportFile.id).where(ImportFile.job_id == job_id).order_by(ImportFile.id)
            ).scalars()
        )
        db.session.rollback()
        return ids


def _status(app: Flask, job_id: int) -> JobStatus:
    with app.app_context():
        db.session.rollback()
        return db.session.get_one(ImportJob, job_id).status


def test_a_committed_upload_is_queued_exactly_once_and_runs(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    runs = [(f"run{i}.fit", run_bytes(i, duration_s=300, seed=i)) for i in range(3)]
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job = uploads.create_import(runner, [*runs, ("empty.fit", b"")], by=None)
        job_id = job.id
        pending = import_jobs.pending_file_ids(job_id)
        db.session.rollback()
    assert len(pending) == 3, "the empty file is failed at once, not queued"
    assert _queued(app) == [("import_files", pending)]
    _run_queue(app)
    assert _queued(app) == []
    assert _status(app, job_id) is JobStatus.DONE
    with app.app_context():
        count = sa.select(sa.func.count(TrainingSession.id))
        assert db.session.execute(count).scalar_one() == 3


def _create_then_fail(runner: Runner, files: list[tuple[str, bytes]]) -> None:
    """An action that makes an import job, then fails: the job's creation joins its
    transaction, and is rolled back with it."""
    with transaction():
        uploads.create_import(runner, files, by=None)
        raise RuntimeError("a later step of the same action failed")


def test_a_refused_upload_is_rolled_back_with_nothing_stored_or_queued(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    good = run_bytes(0, duration_s=300)
    before = _stored(app)

    def gone_midway() -> Iterator[tuple[str, bytes]]:
        """An upload whose client goes away after its first file was stored."""
        yield "good.fit", good
        raise OSError("the client went away")

    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        with pytest.raises(InvalidInput, match="Choose at least one"):
            uploads.create_import(runner, [], by=None)
        with pytest.raises(OSError, match="went away"):
            uploads.create_import(runner, gone_midway(), by=None)
        with pytest.raises(RuntimeError, match="later step"):
            _create_then_fail(runner, [("good.fit", good)])
        assert db.session.get(Blob, sha256_of(good)) is None
    assert _stored(app) == before
    assert _queued(app) == []


def test_pages_and_the_api_leave_the_queueing_to_the_action(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    page = post_form(
        client,
        f"/runners/{world.runner_id}/upload",
        {"files": (io.BytesIO(run_bytes(0, duration_s=300)), "page.fit")},
    )
    assert page.status_code == 302
    page_job = int(page.location.rsplit("/", 1)[1])
    api = client.post(
        f"/api/runners/{world.runner_id}/sessions",
        data={
            "csrf_token": csrf_token(client),
            "files": (io.BytesIO(run_bytes(1, duration_s=300, seed=1)), "api.fit"),
        },
    )
    assert api.status_code == 202, api.json
    api_job = api.json["job_id"]
    refused = post_form(client, f"/runners/{world.runner_id}/upload")  # no file
    assert refused.status_code == 302
    assert _queued(app) == [
        ("import_files", _files_of(app, page_job)),
        ("import_files", _files_of(app, api_job)),
    ]


@pytest.mark.parametrize("lost", ["queue unreachable", "inline process gone"])
def test_a_job_whose_tasks_never_reached_the_queue_is_queued_by_the_sweep(
    app: Flask,
    database_url: str,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    lost: str,
) -> None:
    runner_id = make_runner(app, "Rita")
    # Another process on the same database: its queue is a Redis nobody listens on, or
    # the CLI's inline mode, which died before running the job.
    other = create_app(
        make_settings(tmp_path / "other", database_url, REDIS_URL="redis://127.0.0.1:9/0"),
        {"TESTING": True},
    )
    logger = logging.getLogger("smartrunning")  # its own handler; it does not propagate
    logger.addHandler(caplog.handler)
    try:
        with other.app_context():
            runner = db.session.get_one(Runner, runner_id)
            run = ("run.fit", run_bytes(0, duration_s=300))
            job_id = uploads.create_import(
                runner, [run], by=None, queue=lost == "queue unreachable"
            ).id
            db.session.remove()
            db.engine.dispose()
    finally:
        logger.removeHandler(caplog.handler)
    queue_failed = f"queueing import job {job_id} failed" in caplog.text
    assert queue_failed is (lost == "queue unreachable"), caplog.text
    assert _status(app, job_id) is JobStatus.PENDING, "the upload is kept"
    assert _queued(app) == []
    with app.app_context():
        assert import_jobs.sweep_and_resume()["resumed_jobs"] == [], "not stalled yet"
        later = clock.now() + dt.timedelta(seconds=import_recovery.STALLED_JOB_S + 1)
        with clock.clock_at(later):
            assert import_jobs.sweep_and_resume()["resumed_jobs"] == [job_id]
    assert _queued(app) == [("import_files", _files_of(app, job_id))]
    _run_queue(app)
    assert _status(app, job_id) is JobStatus.DONE


@pytest.fixture
def cli(tmp_path: Path, database_url: str) -> dict[str, str]:
    """The ``smartrunning`` command's environment: its own instance (SQLite queue) on the
    test's database, and a runner."""
    url = None if database_url.startswith("sqlite") else database_url
    env, runner_id = cli_with_runner(tmp_path, url, instance="cli")
    env["RUNNER_ID"] = runner_id
    return env


def test_the_cli_queues_the_job_or_runs_it_here_as_asked(
    cli: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue = SqliteHuey("smartrunning", filename=str(tmp_path / "cli" / "queue.sqlite3"))
    run, settings = tmp_path / "run.fit", tmp_path / "settings.fit"
    run.write_bytes(run_bytes(0, duration_s=300))
    settings.write_bytes((LOCAL_FIT_DIR / "Settings.fit").read_bytes())  # not an activity
    args = ("import", "--runner", cli["RUNNER_ID"], "--json")
    inline = run_cli(cli, *args, "--via", "inline", str(run), str(settings), cwd=tmp_path)
    assert inline.exit_code == 0, inline.stderr
    statuses = [json.loads(line)["status"] for line in inline.stdout.splitlines()]
    assert statuses == ["imported", "not_activity"]
    assert _messages(queue) == [], "the inline mode queues nothing"

    monkeypatch.setattr(import_cli, "WORKER_WAIT_S", 0.5)  # no worker: it runs here after
    again = run_cli(cli, "reprocess", "--json", cwd=tmp_path)
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["status"] == "not_activity"
    [(task, file_ids)] = _messages(queue)  # queued once, when the reprocessing committed
    assert (task, len(file_ids)) == ("import_files", 1)
    queue.flush()

    run.write_bytes(run_bytes(1, duration_s=300, seed=1))
    queued = run_cli(cli, *args, "--via", "queue", "--no-wait", str(run), cwd=tmp_path)
    assert queued.exit_code == 0, queued.stderr
    assert json.loads(queued.stdout)["job_id"] > 0
    [(task, file_ids)] = _messages(queue)
    assert (task, len(file_ids)) == ("import_files", 1)
