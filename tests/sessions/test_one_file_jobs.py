"""A file uploaded alone (a watch syncing one run at a time) is a batch of one: claimed,
then written and its job completed in one transaction (issue #14 item 3)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.athletes import bests as best_services
from smartrunning.athletes.models import ParameterKey, ParameterVersion, Runner
from smartrunning.platform.db import db, now_utc
from smartrunning.sessions import import_recovery, recompute, uploads
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions.models import (
    FileStatus,
    HistoryDay,
    ImportFile,
    ImportJob,
    JobStatus,
    TrainingSession,
)
from tests.helpers import make_runner
from tests.sessions.sessiondata import DAY0, run_bytes

TODAY = dt.date(2024, 6, 1)


def _upload_alone(app: Flask, runner_id: int, name: str, data: bytes) -> tuple[int, int]:
    """A job of one file, as the API makes it but not queued: (job id, file id), for the
    test to run as the queue's task would."""
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job_id = uploads.create_import(
            runner, [(name, data)], by=None, source="test", queue=False
        ).id
        [file_id] = import_jobs.pending_file_ids(job_id)
        db.session.rollback()
        return job_id, file_id


def _cs_versions(runner_id: int) -> list[tuple[dt.datetime, dt.date, float, float]]:
    """(created at, valid from, CS, D′) of the runner's CS versions (SQLite may give a row
    written again the id of the one deleted: its creation time tells them apart)."""
    rows = db.session.execute(
        sa.select(ParameterVersion)
        .where(
            ParameterVersion.runner_id == runner_id,
            ParameterVersion.key == ParameterKey.CRITICAL_SPEED,
        )
        .order_by(ParameterVersion.valid_from)
    ).scalars()
    return [(v.created_at, v.valid_from, v.value["cs_mps"], v.value["d_prime_m"]) for v in rows]


def test_a_file_uploaded_alone_is_done_with_its_session_history_and_notice(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    job_id, file_id = _upload_alone(app, runner_id, "a.fit", run_bytes(0, duration_s=900))
    with app.app_context():
        result = import_jobs.run_files([file_id])
        assert result == {"claimed": [file_id], "completed_jobs": [job_id]}
        job = db.session.get_one(ImportJob, job_id)
        assert job.status is JobStatus.DONE
        assert db.session.get_one(ImportFile, file_id).status is FileStatus.IMPORTED
        [session] = db.session.execute(
            sa.select(TrainingSession).where(TrainingSession.runner_id == runner_id)
        ).scalars()
        assert session.load is not None  # the recomputation applied the day's parameters
        days = db.session.execute(
            sa.select(sa.func.count()).where(HistoryDay.runner_id == runner_id)
        ).scalar_one()
        assert days >= 1


def test_a_failed_recomputation_keeps_the_file_and_leaves_the_job_to_the_sweep(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner_id = make_runner(app, "Rita")
    job_id, file_id = _upload_alone(app, runner_id, "a.fit", run_bytes(0, duration_s=900))

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug in the recomputation")

    with app.app_context():
        with monkeypatch.context() as patched:
            patched.setattr(recompute, "recompute_locked", broken)
            result = import_jobs.run_files([file_id])
        assert result["completed_jobs"] == []
        db.session.rollback()
        # The file's outcome and its session were committed; the job waits, analysing.
        assert db.session.get_one(ImportFile, file_id).status is FileStatus.IMPORTED
        assert db.session.get_one(ImportJob, job_id).status is JobStatus.ANALYSING
        sessions = db.session.execute(
            sa.select(sa.func.count()).where(TrainingSession.runner_id == runner_id)
        ).scalar_one()
        assert sessions == 1
        # The sweep completes it once the completion is taken for dead.
        swept = import_recovery.sweep(now=now_utc() + dt.timedelta(hours=1))
        assert job_id in swept.jobs_to_complete
        assert import_jobs.complete_jobs(swept.jobs_to_complete) == [job_id]
        assert db.session.get_one(ImportJob, job_id).status is JobStatus.DONE


def test_new_sessions_keep_the_cs_version_of_their_first_day(app: Flask) -> None:
    """A session's bests count from the next day, so a one-file upload leaves the CS/D′
    version of its own day in place (the same row) instead of fitting it again; a
    recomputation asked from that day fits it again, to the same value."""
    runner_id = make_runner(app, "Rita")
    race_day = (DAY0 + dt.timedelta(days=2)).date()
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        best_services.add_personal_best(runner, 5000.0, 1200.0, race_day, by=None, today=TODAY)
        db.session.commit()
        recompute.recompute_runner(runner)  # the recomputation the new best asked for
        before = _cs_versions(runner_id)
    assert [day for _id, day, _cs, _dp in before] == [race_day]
    for day in (2, 3):  # on the race's day, then the day after
        job_id, file_id = _upload_alone(
            app, runner_id, f"d{day}.fit", run_bytes(day, duration_s=900, seed=day)
        )
        with app.app_context():
            assert import_jobs.run_files([file_id])["completed_jobs"] == [job_id]
    with app.app_context():
        after = _cs_versions(runner_id)
        assert after[0] == before[0]  # the same row: not deleted and fitted again
        runner = db.session.get_one(Runner, runner_id)
        recompute.recompute_runner(runner, from_date=race_day)
        again = _cs_versions(runner_id)
    assert again[0][0] > before[0][0]  # fitted again: a new row ...
    assert again[0][1:] == before[0][1:]  # ... with the same day and value
    assert [v[1:] for v in again[1:]] == [v[1:] for v in after[1:]]
