"""FIT files written a batch at a time: the same outcomes as one at a time, fall-backs, GC."""

from __future__ import annotations

import gc
import hashlib
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import OperationalError

from smartrunning.athletes.models import Runner
from smartrunning.platform.db import db
from smartrunning.platform.gc import paused_gc
from smartrunning.sessions import ingest, uploads
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions.models import (
    FileStatus,
    ImportFile,
    ImportJob,
    TrainingSession,
)
from tests.helpers import make_runner
from tests.sessions.sessiondata import run_bytes

# Columns that differ between two runners' copies of the same import by construction.
_OWN = {"id", "runner_id", "import_file_id", "created_at", "analysed_at"}


def _files() -> list[tuple[str, bytes]]:
    """Every outcome in one batch, later files depending on earlier ones."""
    first = run_bytes(0, seed=1, duration_s=900)
    return [
        ("a.fit", first),
        ("copy-of-a.fit", first),  # the same bytes: a duplicate of a.fit's session
        ("watch2.fit", run_bytes(0, seed=2, duration_s=900)),  # overlaps a.fit
        ("ride.fit", run_bytes(0, seed=2, duration_s=900, sport="cycling", sub_sport="road")),
        ("broken.fit", first[:100]),  # damaged before any record: fails
        ("empty.fit", b""),
        ("b.fit", run_bytes(1, seed=3, duration_s=900)),
        ("c.fit", run_bytes(2, seed=4, duration_s=900)),
    ]


def _import(app: Flask, runner_id: int, files: list[tuple[str, bytes]], batch: int) -> int:
    """Import ``files`` in one job, ``batch`` files per write; then complete the job."""
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job = uploads.create_import(runner, files, by=None, source="test", queue=False)
        ids = import_jobs.claim(import_jobs.pending_file_ids(job.id), "test")
        for i in range(0, len(ids), batch):
            import_jobs.process_claimed_files(ids[i : i + batch])
        assert import_jobs.finish_if_complete(job.id)
        import_jobs.complete_job(job.id)
        return job.id


def _outcomes(app: Flask, job_id: int) -> list[tuple[str, str, str, list[int]]]:
    """Name, status, reason and session ids (as positions among the job's sessions)."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(ImportFile).where(ImportFile.job_id == job_id).order_by(ImportFile.id)
        ).scalars()
        files = list(rows)
        ids = sorted({i for f in files for i in f.session_ids})
        position = {session_id: n for n, session_id in enumerate(ids)}
        out = []
        for f in files:
            reason = f.reason
            for session_id, n in position.items():
                reason = reason.replace(f"session {session_id}", f"session #{n}")
            out.append((f.name, f.status.value, reason, [position[i] for i in f.session_ids]))
        return out


def _sessions(app: Flask, runner_id: int) -> list[dict[str, Any]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(TrainingSession.__table__).where(TrainingSession.runner_id == runner_id)
        ).mappings()
        return sorted(
            ({k: v for k, v in row.items() if k not in _OWN} for row in rows),
            key=lambda r: (r["start_time"], r["sport"]),
        )


def test_a_batch_has_the_outcomes_and_sessions_of_one_file_at_a_time(app: Flask) -> None:
    files = _files()
    one, many = make_runner(app, "One"), make_runner(app, "Many")
    one_by_one = _outcomes(app, _import(app, one, files, batch=1))
    together = _outcomes(app, _import(app, many, files, batch=len(files)))
    assert together == one_by_one
    statuses = {name: status for name, status, _r, _i in together}
    assert statuses == {
        "a.fit": "imported",
        "copy-of-a.fit": "duplicate",
        "watch2.fit": "duplicate",
        "ride.fit": "imported",
        "broken.fit": "failed",
        "empty.fit": "failed",
        "b.fit": "imported",
        "c.fit": "imported",
    }
    assert "already imported" in together[1][2]
    assert together[1][3] == together[0][3]
    assert "overlaps" in together[2][2]
    assert _sessions(app, many) == _sessions(app, one)


def test_a_failing_batch_write_imports_its_files_one_by_one(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = ingest._write_all

    def fail_once(*args: Any) -> list[int]:
        calls.append(1)
        if len(calls) == 1:
            db.session.add(ImportFile())  # leaves the transaction broken
            raise RuntimeError("boom")
        return real(*args)

    monkeypatch.setattr(ingest, "_write_all", fail_once)
    files = _files()
    one, many = make_runner(app, "One"), make_runner(app, "Many")
    expected = _outcomes(app, _import(app, one, files, batch=1))
    calls.clear()
    assert _outcomes(app, _import(app, many, files, batch=len(files))) == expected
    assert _sessions(app, many) == _sessions(app, one)


def test_a_file_whose_write_fails_fails_alone_and_the_others_are_imported(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [(f"run{i}.fit", run_bytes(i, seed=i, duration_s=600)) for i in range(3)]
    bad = hashlib.sha256(files[1][1]).hexdigest()
    real = ingest.session_values

    def refuse(file_id: int, sha256: str, *args: Any) -> dict[str, Any]:
        if sha256 == bad:
            raise ValueError("a value the database refuses")
        return real(file_id, sha256, *args)

    monkeypatch.setattr(ingest, "session_values", refuse)
    together = _outcomes(app, _import(app, make_runner(app, "Many"), files, batch=len(files)))
    assert [(name, status) for name, status, _r, _i in together] == [
        ("run0.fit", "imported"),
        ("run1.fit", "failed"),
        ("run2.fit", "imported"),
    ]
    assert together[1][2] == "internal error: ValueError: a value the database refuses"
    alone = _outcomes(app, _import(app, make_runner(app, "One"), files[1:2], batch=1))
    assert alone == [together[1]]


def test_a_database_error_in_a_batch_write_puts_its_files_back_to_pending(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*_args: Any) -> None:
        raise OperationalError("UPDATE …", {}, Exception("database is locked"))

    monkeypatch.setattr(ingest, "_write_all", locked)
    runner_id = make_runner(app, "Rita")
    files = [(f"run{i}.fit", run_bytes(i, seed=i, duration_s=600)) for i in range(3)]
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job = uploads.create_import(runner, files, by=None, source="test", queue=False)
        ids = import_jobs.claim(import_jobs.pending_file_ids(job.id), "test")
        import_jobs.process_claimed_files(ids)
        rows = db.session.execute(
            sa.select(ImportFile.status, ImportFile.claimed_by).where(ImportFile.id.in_(ids))
        ).all()
        assert rows == [(FileStatus.PENDING, None)] * 3
        assert db.session.get_one(ImportJob, job.id).status.value == "running"
        assert db.session.execute(sa.select(sa.func.count(TrainingSession.id))).scalar_one() == 0
    monkeypatch.undo()
    with app.app_context():
        import_jobs.run_inline(job.id)
    assert {status for _n, status, _r, _i in _outcomes(app, job.id)} == {"imported"}


def test_batches_are_bounded_by_their_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "BATCH_BYTES", 100)

    class File:
        def __init__(self, size: int) -> None:
            self.size_bytes = size

    files = [File(40), File(40), File(40), File(500), File(10)]
    chunks = list(ingest._chunks(files))  # type: ignore[arg-type]
    assert [[f.size_bytes for f in c] for c in chunks] == [[40, 40], [40], [500], [10]]


def test_paused_gc_nests_and_restores_the_collector() -> None:
    was = gc.isenabled()
    try:
        gc.enable()
        with paused_gc():
            assert not gc.isenabled()
            with paused_gc():
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # an application that runs without the collector keeps it off
        with paused_gc():
            pass
        assert not gc.isenabled()
        gc.enable()
        with pytest.raises(ValueError, match="after an error"), paused_gc():
            raise ValueError("the collector resumes after an error too")
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
