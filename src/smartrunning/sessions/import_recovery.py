"""Recovery from dead workers, and re-running files: the other half of import jobs.

:func:`sweep` (run by every starting worker and every minute) returns the claims of dead
workers to ``pending``: at once when the claiming process was on this host and no longer
exists, otherwise after ``STALE_CLAIM_S``; a file that stopped workers ``MAX_ATTEMPTS``
times is failed instead (a poison pill). It lists the jobs whose pending files need tasks
again and those whose files are all done, including ``analysing`` jobs whose completing
worker died (``ANALYSING_GRACE_S``). Several sweeps may run at once (every worker runs
them): a claim is released only by the sweep that still finds it (:func:`still_claimed`).
:func:`hand_back` is the living worker's counterpart: a worker told to stop returns the
files it still holds to ``pending`` itself, so nobody waits for a sweep.
:func:`reprocess` returns failed, non-activity and stale files to ``pending``
(``smartrunning reprocess``).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass
from typing import Final

import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.transactions import transaction
from smartrunning.sessions import actions as session_services
from smartrunning.sessions.models import (
    AnalysisState,
    FileKind,
    FileStatus,
    ImportFile,
    ImportJob,
    JobStatus,
)
from smartrunning.sessions.outcomes import INGEST_VERSION, finish_file

__all__ = [
    "ANALYSING_GRACE_S",
    "MAX_ATTEMPTS",
    "STALE_CLAIM_S",
    "STALLED_JOB_S",
    "SweepResult",
    "hand_back",
    "reprocess",
    "sweep",
    "worker_id",
]

STALE_CLAIM_S: Final = 600
"""A claim older than this (by a worker on another host) is taken to be dead."""
STALLED_JOB_S: Final = 120
"""A job with open files but no claim for this long has its pending files queued again
(their tasks may be lost, e.g. with the worker that dequeued them)."""
ANALYSING_GRACE_S: Final = 5
"""An ``analysing`` job this old whose runner's analysis lock nobody holds has lost the
worker completing it (which holds that lock from just after the job became ``analysing``
until its recomputation commits): it is completed again, at worst a redundant
recomputation. PostgreSQL only (a row lock can be probed); SQLite waits ``STALE_CLAIM_S``."""
MAX_ATTEMPTS: Final = 3
"""A file whose worker died this many times is failed instead of retried (a poison pill)."""
_FINAL = tuple(s for s in FileStatus if s.is_final)
_OPEN = (FileStatus.PENDING, FileStatus.PROCESSING)


@dataclass(frozen=True)
class SweepResult:
    """Files returned to pending or failed, jobs whose pending files need tasks again
    (a released file, or no claim for ``STALLED_JOB_S``), jobs with every file done."""

    released: list[int]
    failed: list[int]
    jobs_with_pending: list[int]
    jobs_to_complete: list[int]


def worker_id() -> str:
    """``host:pid`` of this process, as recorded in its claims (and read by :func:`sweep`)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _dead_here(claimed_by: str | None) -> bool:
    """The claim was made by a process on this host that no longer exists."""
    if not claimed_by or ":" not in claimed_by:
        return False
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def sweep(*, stale_after_s: float = STALE_CLAIM_S, now: dt.datetime | None = None) -> SweepResult:
    """Recover from dead workers (see the module docstring); commits."""
    now = now or now_utc()
    cutoff = now - dt.timedelta(seconds=stale_after_s)
    released: list[int] = []
    failed: list[int] = []
    rows = (
        db.session.execute(sa.select(ImportFile).where(ImportFile.status == FileStatus.PROCESSING))
        .scalars()
        .all()
    )
    for row in rows:
        if row.claimed_by == worker_id():
            continue
        stale = row.claimed_at is None or row.claimed_at < cutoff or _dead_here(row.claimed_by)
        if not stale or not still_claimed(row):
            continue
        if row.attempts >= MAX_ATTEMPTS:
            finish_file(
                row,
                FileStatus.FAILED,
                f"the worker stopped {row.attempts} times while processing this file",
            )
            failed.append(row.id)
        else:
            row.status = FileStatus.PENDING
            row.claimed_by = None
            released.append(row.id)
    db.session.commit()
    open_jobs = db.session.execute(
        sa.select(ImportJob.id, ImportJob.status, ImportJob.updated_at, ImportJob.runner_id)
        .where(ImportJob.status != JobStatus.DONE)
        .order_by(ImportJob.id)
    ).all()
    activity = dict(
        db.session.execute(
            sa.select(ImportFile.job_id, sa.func.max(ImportFile.claimed_at))
            .where(ImportFile.job_id.in_([job_id for job_id, *_ in open_jobs]))
            .group_by(ImportFile.job_id)
        ).all()
    )
    open_files = dict(
        db.session.execute(
            sa.select(ImportFile.job_id, sa.func.count(ImportFile.id))
            .where(ImportFile.status.in_(_OPEN))
            .group_by(ImportFile.job_id)
        ).all()
    )
    released_jobs = set(
        db.session.execute(
            sa.select(ImportFile.job_id).where(ImportFile.id.in_(released)).distinct()
        ).scalars()
    )
    stalled = now - dt.timedelta(seconds=STALLED_JOB_S)
    with_pending = [
        job_id
        for job_id, _status, updated, _runner in open_jobs
        if open_files.get(job_id)
        and (job_id in released_jobs or (activity.get(job_id) or updated) < stalled)
    ]
    grace = now - dt.timedelta(seconds=ANALYSING_GRACE_S)
    to_complete = [
        job_id
        for job_id, status, updated, runner_id in open_jobs
        if not open_files.get(job_id)
        and (
            status is not JobStatus.ANALYSING
            or updated < cutoff
            or (updated < grace and _analysis_lock_free(runner_id))
        )
    ]
    stale_analysing = [
        j for j, status, _u, _r in open_jobs if status is JobStatus.ANALYSING and j in to_complete
    ]
    if stale_analysing:
        db.session.execute(
            sa.update(ImportJob)
            .where(ImportJob.id.in_(stale_analysing))
            .values(status=JobStatus.RUNNING)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return SweepResult(released, failed, with_pending, to_complete)


def hand_back(file_ids: list[int]) -> list[int]:
    """Return the files among ``file_ids`` that this process still holds to ``pending``
    (a worker told to stop, between two steps: nothing of theirs is being written); commits.
    Returns their ids, for the caller to queue again."""
    if not file_ids:
        return []
    back = db.session.execute(
        sa.update(ImportFile)
        .where(
            ImportFile.id.in_(file_ids),
            ImportFile.status == FileStatus.PROCESSING,
            ImportFile.claimed_by == worker_id(),
        )
        .values(status=FileStatus.PENDING, claimed_by=None)
        .returning(ImportFile.id)
        .execution_options(synchronize_session=False)
    ).scalars()
    handed = sorted(back)
    db.session.commit()
    return handed


def still_claimed(row: ImportFile) -> bool:
    """Lock ``row`` if it still holds the claim it was read with (each claim counts
    ``attempts``), else False: another sweep (workers run them at once) released it
    meanwhile and a worker may have claimed it again, a claim not to be undone."""
    return bool(
        db.session.execute(  # type: ignore[attr-defined]
            sa.update(ImportFile)
            .where(
                ImportFile.id == row.id,
                ImportFile.status == FileStatus.PROCESSING,
                ImportFile.attempts == row.attempts,
            )
            .values(attempts=row.attempts)
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def _analysis_lock_free(runner_id: int) -> bool:
    """Nobody holds the runner's analysis lock (``analysis_state.lock_runner``) right now.

    PostgreSQL: a shared, non-waiting lock on its row is granted (kept until this
    transaction ends, which is soon). SQLite locks the whole database instead and cannot
    tell: False.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return False
    exists = sa.select(AnalysisState.runner_id).where(AnalysisState.runner_id == runner_id)
    free = db.session.execute(exists.with_for_update(read=True, skip_locked=True)).first()
    return free is not None or db.session.execute(exists).first() is None


def reprocess(runner: Runner | None) -> list[int]:
    """Return failed, not-activity and stale files to ``pending`` for another run.

    Stale: imported by an older ``INGEST_VERSION``; their sessions are deleted first (the
    recomputation then undoes what they caused). Returns the ids of the files to run;
    their jobs go back to ``running``. Commits; the caller starts them.
    """
    with transaction():
        return _reprocess(runner)


def _reprocess(runner: Runner | None) -> list[int]:
    query = sa.select(ImportFile).join(ImportJob, ImportJob.id == ImportFile.job_id)
    if runner is not None:
        query = query.where(ImportJob.runner_id == runner.id)
    query = query.where(
        ImportFile.kind != FileKind.OTHER,
        ImportFile.sha256.is_not(None),
        sa.or_(
            ImportFile.status.in_((FileStatus.FAILED, FileStatus.NOT_ACTIVITY)),
            sa.and_(
                ImportFile.status.in_(_FINAL),
                ImportFile.status != FileStatus.SKIPPED,
                ImportFile.ingest_version < INGEST_VERSION,
            ),
        ),
    )
    rows = list(db.session.execute(query.order_by(ImportFile.id)).scalars())
    for row in rows:
        if row.status is FileStatus.IMPORTED:
            for session_id in row.session_ids or []:
                session_services.delete_session_by_id(
                    session_id, recompute_now=False, permanently=True
                )
        row.status = FileStatus.PENDING
        row.reason = ""
        row.session_ids = []
        row.attempts = 0
    jobs = {row.job_id for row in rows}
    if jobs:
        db.session.execute(
            sa.update(ImportJob)
            .where(ImportJob.id.in_(jobs))
            .values(status=JobStatus.RUNNING, finished_at=None, updated_at=now_utc())
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    return [row.id for row in rows]
