"""Importing one claimed FIT file in its own transaction: the fall-back of a batch.

``services.ingest`` writes files a batch at a time; when a batch's write fails for a
reason other than the database (a file whose values a constraint refuses, say), its files
are imported here one by one, so one bad file fails alone with its reason.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from smartrunning.athletes.models import Runner
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db
from smartrunning.science.fit import DecodedFile
from smartrunning.sessions.analysis_state import (
    lock_runner,
    recoverable_commit,
)
from smartrunning.sessions.ingest_files import (
    Outcome,
    Prepared,
    already_imported,
    check_size,
    decode,
    finish_file,
    imported_sessions,
    overlaps,
    prepare,
    runners_of,
    session_values,
    skipped_reason,
)
from smartrunning.sessions.models import (
    FileStatus,
    ImportFile,
    TrainingSession,
)

__all__ = ["import_claimed_fit"]

log = logging.getLogger(__name__)


def import_claimed_fit(file: ImportFile) -> None:
    """Process a claimed FIT file to its final status and commit.

    A database error that may pass (a lock timeout, a lost connection) puts the file back
    to ``pending`` for another try; any other error fails the file with its message, the
    raw bytes kept for ``reprocess``.
    """
    file_id = file.id
    try:
        _import(file)
    except Outcome as outcome:
        db.session.rollback()
        file = db.session.get_one(ImportFile, file_id)
        finish_file(file, outcome.status, outcome.reason, outcome.session_ids, outcome.decoder)
        db.session.commit()
    except OperationalError as exc:
        db.session.rollback()
        log.warning("database error on import file %s, will retry: %s", file_id, exc)
        file = db.session.get_one(ImportFile, file_id)
        file.status = FileStatus.PENDING
        file.claimed_by = None
        db.session.commit()
        return
    except Exception as exc:
        db.session.rollback()
        log.exception("import file %s failed", file_id)
        file = db.session.get_one(ImportFile, file_id)
        finish_file(file, FileStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        db.session.commit()


def _import(file: ImportFile) -> None:
    runner = runners_of({file.job_id})[file.job_id]
    assert file.sha256 is not None
    check_size(file)
    _check_not_imported(runner, file.sha256)
    data = blob_store().get(file.sha256)
    decoded = decode(data)
    del data
    try:
        prepared = prepare(decoded, runner)
        _write(file, runner, decoded, prepared)
    except Outcome as outcome:
        outcome.decoder = decoded.decoder
        raise


def _check_not_imported(runner: Runner, sha256: str) -> None:
    """A duplicate by bytes is known before decoding (re-importing an export is cheap)."""
    existing = imported_sessions(runner.id, [sha256]).get(sha256)
    if existing:
        raise already_imported(existing)


def _write(
    file: ImportFile, runner: Runner, decoded: DecodedFile, prepared: list[Prepared]
) -> None:
    recoverable_commit()
    lock_runner(runner.id, dirty_from=min(p.day for p in prepared))
    new: list[TrainingSession] = []
    overlapping: list[int] = []
    for p in prepared:
        clash = _overlapping(runner.id, p)
        if clash:
            overlapping.extend(clash)
            continue
        new.append(_session(file, runner, decoded, p))
    if not new:
        raise overlaps(sorted(set(overlapping)))
    try:
        db.session.add_all(new)
        db.session.flush()
    except IntegrityError:
        raise Outcome(
            FileStatus.DUPLICATE, "the same file was imported at the same time by another worker"
        ) from None
    finish_file(
        file, FileStatus.IMPORTED, skipped_reason(overlapping), [s.id for s in new], decoded.decoder
    )
    db.session.commit()


def _overlapping(runner_id: int, p: Prepared) -> list[int]:
    return list(
        db.session.execute(
            sa.select(TrainingSession.id).where(
                TrainingSession.runner_id == runner_id,
                TrainingSession.sport == p.segment.sport,
                TrainingSession.start_time < p.end,
                TrainingSession.end_time > p.start,
            )
        ).scalars()
    )


def _session(
    file: ImportFile, runner: Runner, decoded: DecodedFile, p: Prepared
) -> TrainingSession:
    """The new session of segment ``p``, its records stored."""
    assert file.sha256 is not None
    values = session_values(file.id, file.sha256, runner.id, decoded, p)
    return TrainingSession(records_sha256=blob_store().put(p.parquet), **values)
