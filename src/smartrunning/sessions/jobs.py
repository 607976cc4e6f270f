r"""Running import jobs: claiming files, importing them, completing the job, on the queue
or in the CLI's process.

The life of a job (``uploads.create_import`` made it, its files kept and ``pending``):

1. :func:`submit` queues ``import_files`` tasks for its pending files, ``BATCH_FILES`` at a
   time, so several workers share a job and a crash loses little. The action that makes
   the job calls it once the job is committed (``on_commit``: ``uploads.create_import``,
   :func:`reprocess`); pages, API and CLI never do. The CLI's inline mode asks that action
   not to queue and runs the job in its own process (:func:`run_inline`) instead.
2. A task (:func:`run_files`) :func:`claim`\ s its files atomically (``UPDATE … WHERE
   status = 'pending'``): however many workers run, on however many machines, a file is
   processed by one of them. :func:`process_claimed_files` expands archives (``archives``;
   an archive's entries are queued as it is read, so processing starts before a large ZIP
   is fully expanded) and imports FIT files (``ingest``): a batch's files in one
   transaction, so each file is written whole or not at all.
3. When no file is left, :func:`finish_if_complete` moves the job to ``analysing`` (one
   caller wins) and :func:`complete_job` runs the chronological recomputation
   (``recompute``) and marks it ``done``; ``import_notices`` tells the people concerned.
   On the queue this happens in the transaction that writes the job's last files, under
   the runner's lock (:func:`run_files`): a file uploaded alone is claimed, then written
   and completed in one more transaction, as a file of a ZIP is written in its batch's.
   A job whose last files end otherwise (an archive with nothing to import, a write
   retried file by file) is completed after them, as above.

A worker that dies leaves its files ``processing``: ``import_recovery.sweep`` (run by
:func:`sweep_and_resume` and the periodic :func:`maintenance`) returns them to
``pending`` and lists the jobs that need tasks again, among them a committed job whose
tasks were never queued (``import_recovery.STALLED_JOB_S``). So after a restart every job
completes, no file is imported twice (claims and the per-runner unique constraint) and
none is lost. Reports for pages and the CLI: ``import_reports``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Final

import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.platform.db import db, now_utc
from smartrunning.platform.gc import paused_gc
from smartrunning.platform.queue import get_queue
from smartrunning.platform.transactions import on_commit, transaction
from smartrunning.sessions import import_notices, import_recovery, recompute
from smartrunning.sessions.analysis_state import recoverable_commit
from smartrunning.sessions.archives import expand_claimed_archive
from smartrunning.sessions.import_recovery import worker_id
from smartrunning.sessions.import_reports import JobReport, job_report
from smartrunning.sessions.ingest import BeforeCommit, import_claimed_fits
from smartrunning.sessions.models import FileKind, FileStatus, ImportFile, ImportJob, JobStatus

__all__ = [
    "BATCH_FILES",
    "claim",
    "claim_files",
    "complete_job",
    "complete_jobs",
    "enqueue_files",
    "finish_if_complete",
    "maintenance",
    "pending_file_ids",
    "process_claimed",
    "process_claimed_files",
    "reprocess",
    "run_files",
    "run_inline",
    "submit",
    "sweep_and_resume",
]

log = logging.getLogger(__name__)

BATCH_FILES: Final = 8
"""Files of a queue task (and of a batch written together in the CLI's inline mode)."""
_OPEN = (FileStatus.PENDING, FileStatus.PROCESSING)

# The statements every job runs, built once with their parameters bound at each call:
# building a statement costs more than running it, and a watch that syncs one activity
# at a time makes a job of every file. The updates run on the session's connection (plain
# SQL, without the ORM's bookkeeping, which costs more than them too).
_PENDING = (
    sa.select(ImportFile.id)
    .where(ImportFile.job_id == sa.bindparam("job_id"), ImportFile.status == FileStatus.PENDING)
    .order_by(ImportFile.id)
)
_CLAIM = (
    sa.update(ImportFile)
    .where(
        ImportFile.id.in_(sa.bindparam("file_ids", expanding=True)),
        ImportFile.status == FileStatus.PENDING,
    )
    .values(
        status=FileStatus.PROCESSING,
        claimed_by=sa.bindparam("worker"),
        claimed_at=sa.bindparam("now"),
        attempts=ImportFile.attempts + 1,
    )
    .returning(ImportFile.id, ImportFile.job_id)
    .execution_options(synchronize_session=False)
)
_RUNNING = (
    sa.update(ImportJob)
    .where(
        ImportJob.id.in_(sa.bindparam("job_ids", expanding=True)),
        ImportJob.status == JobStatus.PENDING,
    )
    .values(status=JobStatus.RUNNING, updated_at=sa.bindparam("now"))
    .execution_options(synchronize_session=False)
)
_STILL_CLAIMED = (
    sa.select(ImportFile)
    .where(
        ImportFile.id.in_(sa.bindparam("file_ids", expanding=True)),
        ImportFile.status == FileStatus.PROCESSING,
    )
    .order_by(ImportFile.id)
    .execution_options(populate_existing=True)
)
_ANALYSING = (
    sa.update(ImportJob)
    .where(
        ImportJob.id == sa.bindparam("job_id"),
        ImportJob.status.in_((JobStatus.PENDING, JobStatus.RUNNING)),
        ~sa.exists().where(
            ImportFile.job_id == sa.bindparam("job_id"), ImportFile.status.in_(_OPEN)
        ),
    )
    .values(status=JobStatus.ANALYSING, updated_at=sa.bindparam("now"))
    .execution_options(synchronize_session=False)
)
_ANALYSING_UPLOADER = _ANALYSING.returning(ImportJob.created_by_id)
_ANALYSING_RUNNER = (
    sa.select(Runner)
    .join(ImportJob, ImportJob.runner_id == Runner.id)
    .where(ImportJob.id == sa.bindparam("job_id"), ImportJob.status == JobStatus.ANALYSING)
)
_DONE = (
    sa.update(ImportJob)
    .where(ImportJob.id == sa.bindparam("job_id"))
    .values(status=JobStatus.DONE, finished_at=sa.bindparam("now"), updated_at=sa.bindparam("now"))
    .execution_options(synchronize_session=False)
)


# --- claiming and processing ------------------------------------------------------------


def pending_file_ids(job_id: int) -> list[int]:
    return list(db.session.execute(_PENDING, {"job_id": job_id}).scalars())


def claim(file_ids: list[int], worker: str) -> list[int]:
    """Atomically take the still-pending files among ``file_ids``; commit; return them."""
    return sorted(claim_files(file_ids, worker))


def claim_files(file_ids: list[int], worker: str) -> dict[int, int]:
    """:func:`claim`, each file taken with its job's id (file id → job id)."""
    if not file_ids:
        return {}
    now = now_utc()
    recoverable_commit()
    connection = db.session.connection()
    rows = connection.execute(_CLAIM, {"file_ids": file_ids, "worker": worker[:200], "now": now})
    claimed: dict[int, int] = {file_id: job_id for file_id, job_id in rows}
    if claimed:
        connection.execute(_RUNNING, {"job_ids": sorted(set(claimed.values())), "now": now})
    db.session.commit()
    return claimed


def process_claimed(file_id: int, on_batch: Callable[[list[int]], None] | None = None) -> None:
    """Process a file this worker claimed, to its final status (commits)."""
    process_claimed_files([file_id], on_batch)


def process_claimed_files(
    file_ids: list[int],
    on_batch: Callable[[list[int]], None] | None = None,
    *,
    before_commit: BeforeCommit | None = None,
) -> list[int]:
    """Process files this worker claimed, to their final status (commits).

    Archives are expanded first, one by one; FIT files are imported together, their
    results written in one transaction (``ingest.import_claimed_fits``, which runs
    ``before_commit`` in it). Returns the jobs ``before_commit`` completed.
    """
    if not file_ids:
        return []
    with paused_gc():
        return _process_claimed_files(file_ids, on_batch, before_commit)


def _process_claimed_files(
    file_ids: list[int],
    on_batch: Callable[[list[int]], None] | None,
    before_commit: BeforeCommit | None,
) -> list[int]:
    files = _still_claimed(file_ids)
    archives = [f.id for f in files if f.kind is FileKind.ARCHIVE]
    for file_id in archives:
        file = db.session.get(ImportFile, file_id, populate_existing=True)
        if file is not None and file.status is FileStatus.PROCESSING:
            expand_claimed_archive(file, on_batch)
    fits = [f for f in files if f.kind is not FileKind.ARCHIVE]
    if archives and fits:  # expanding committed: read them again
        fits = _still_claimed([f.id for f in fits])
    if fits:
        return import_claimed_fits(fits, before_commit=before_commit)
    return []


def _still_claimed(file_ids: list[int]) -> list[ImportFile]:
    """The files among ``file_ids`` still ``processing``, by id, read afresh."""
    return list(db.session.execute(_STILL_CLAIMED, {"file_ids": file_ids}).scalars())


def finish_if_complete(job_id: int) -> bool:
    """Move a job whose files are all final to ``analysing``; True for the one caller that did.

    (``pending`` → ``analysing`` too: a job may end without a single claim, e.g. when
    every file was refused before processing.) One statement: the update finds no job
    while a file of it is still open.
    """
    moved = (
        db.session.connection().execute(_ANALYSING, {"job_id": job_id, "now": now_utc()}).rowcount
    )
    db.session.commit()
    return bool(moved)


def complete_job(job_id: int) -> None:
    """Run the runner's chronological recomputation, then mark the job ``done`` (commits)."""
    runner = db.session.execute(_ANALYSING_RUNNER, {"job_id": job_id}).scalar_one_or_none()
    if runner is None:
        return
    # In the recomputation's transaction: done when it commits, still analysing (for the
    # sweep to complete) if it fails.
    db.session.connection().execute(_DONE, {"job_id": job_id, "now": now_utc()})
    recompute.recompute_runner(runner)


def run_inline(job_id: int, *, progress: Callable[[JobReport], None] | None = None) -> None:
    """Process a whole job in this process (no worker needed), then complete it.

    Claims work as for workers, so a worker running at the same time shares the files.
    """
    worker = worker_id()
    while True:
        ids = claim(pending_file_ids(job_id)[:32], worker)
        if not ids:
            break
        for i in range(0, len(ids), BATCH_FILES):
            process_claimed_files(ids[i : i + BATCH_FILES])
            if progress is not None:
                progress(job_report(db.session.get_one(ImportJob, job_id), with_files=False))
    if finish_if_complete(job_id):
        complete_job(job_id)


# --- on the queue ------------------------------------------------------------------------


def enqueue_files(file_ids: list[int]) -> None:
    """Queue ``import_files`` tasks for these files, ``BATCH_FILES`` at a time."""
    task = get_queue().tasks["import_files"]
    for i in range(0, len(file_ids), BATCH_FILES):
        task(file_ids[i : i + BATCH_FILES])


def submit(job_id: int) -> None:
    """Start a committed job on the queue (its pending files); a job with none completes.

    Called by the action that made the job, once its commit is done (``on_commit``)."""
    pending = pending_file_ids(job_id)
    db.session.rollback()
    if pending:
        enqueue_files(pending)
    else:
        get_queue().tasks["complete_jobs"]([job_id])


def reprocess(runner: Runner | None, *, queue: bool) -> tuple[list[int], list[int]]:
    """Return failed, not-activity and stale files to ``pending`` for another run
    (``import_recovery.reprocess``; all runners' with ``runner`` None) and start their
    jobs: queued once committed, or, with ``queue`` false (the CLI's inline mode), left
    for the caller to run with :func:`run_inline`. Returns (file ids, job ids)."""
    with transaction():
        file_ids = import_recovery.reprocess(runner)
        job_ids = sorted(
            set(
                db.session.execute(
                    sa.select(ImportFile.job_id).where(ImportFile.id.in_(file_ids))
                ).scalars()
            )
        )
        if queue:
            for job_id in job_ids:
                on_commit(functools.partial(submit, job_id))
    return file_ids, job_ids


def run_files(file_ids: list[int]) -> dict[str, object]:
    """Claim and process these files (those still pending), then complete finished jobs:
    in the transaction that writes a job's last files (:func:`_complete_written`), or after
    the files, as :func:`complete_jobs` does."""
    with paused_gc():
        claimed = claim_files(file_ids, worker_id())
        done = process_claimed_files(
            sorted(claimed), on_batch=enqueue_files, before_commit=_complete_written
        )
        if claimed:
            db.session.rollback()  # the completion starts a transaction of its own
        others = complete_jobs(sorted(set(claimed.values()) - set(done)))
    return {"claimed": sorted(claimed), "completed_jobs": sorted([*done, *others])}


def _complete_written(runner: Runner, job_ids: set[int], dirty: dt.date | None) -> list[int]:
    """The step a batch's write transaction runs before it commits (``ingest``): each of
    its jobs with no file left open moves to ``analysing``, then, in a savepoint, to
    ``done`` with the runner's recomputation and the notices (:func:`complete_job`'s work
    without a transaction of its own); returns them. The runner's lock, taken by the
    write, makes the check exact: a concurrent batch of the same job waits for it. A
    failed recomputation rolls back to the savepoint and leaves the job ``analysing``, the
    files' outcomes written, for the sweep to complete, as :func:`complete_job` does."""
    connection = db.session.connection()
    now = now_utc()
    moved: dict[int, int | None] = {}  # job id → uploader
    for job_id in sorted(job_ids):
        row = connection.execute(_ANALYSING_UPLOADER, {"job_id": job_id, "now": now}).first()
        if row is not None:
            moved[job_id] = row.created_by_id
    if not moved:
        return []
    try:
        with db.session.begin_nested():
            # The savepoint starts with the session's next use of its connection.
            inner = db.session.connection()
            for job_id in moved:
                inner.execute(_DONE, {"job_id": job_id, "now": now})
            recompute.recompute_locked(runner, dirty)
            for job_id, uploader in moved.items():
                import_notices.tell_finished(job_id, uploader, runner.id, runner.name)
    except Exception:
        log.exception("completing import jobs %s failed; the sweep completes them", moved)
        return []
    return list(moved)


def complete_jobs(job_ids: list[int]) -> list[int]:
    """Complete the jobs among ``job_ids`` whose files are all done (one caller wins each)."""
    completed = []
    for job_id in job_ids:
        if finish_if_complete(job_id):
            complete_job(job_id)
            import_notices.job_finished(job_id)
            completed.append(job_id)
    return completed


def sweep_and_resume() -> dict[str, object]:
    """Recover from dead workers and start again what they left (see the module docstring)."""
    result = import_recovery.sweep()
    for job_id in result.jobs_with_pending:
        enqueue_files(pending_file_ids(job_id))
    db.session.rollback()
    completed = complete_jobs(result.jobs_to_complete)
    if result.released or result.failed or completed:
        log.info(
            "sweep: %d files released, %d failed, jobs resumed %s, completed %s",
            len(result.released),
            len(result.failed),
            result.jobs_with_pending,
            completed,
        )
    return {
        "released": result.released,
        "failed": result.failed,
        "resumed_jobs": result.jobs_with_pending,
        "completed_jobs": completed,
    }


def maintenance() -> dict[str, object]:
    """The periodic task: sweep, then recompute runners with stale derived values
    (parameter changes recorded by the pages, imports whose completion was interrupted)."""
    swept = sweep_and_resume()
    recomputed = []
    for runner_id in recompute.runners_needing_recompute(skip_importing=True):
        runner = db.session.get(Runner, runner_id)
        if runner is not None:
            recompute.recompute_runner(runner)
            recomputed.append(runner_id)
    return {**swept, "recomputed_runners": recomputed}
