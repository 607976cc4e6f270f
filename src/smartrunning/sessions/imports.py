"""Import jobs: an upload becomes a job whose files are processed one transaction each.

The life of a job (the queue tasks in ``jobs.tasks`` and the CLI's inline mode both
drive it through these functions):

1. :func:`create_import` (or :func:`create_job` + :func:`add_upload`) stores every
   uploaded file's raw bytes in the blob store *first*, then lists it as a ``pending``
   file of a new job, so nothing uploaded is ever lost.
2. Workers :func:`claim` pending files atomically (``UPDATE … WHERE status = 'pending'``):
   however many workers run, on however many machines, a file is processed by one of
   them. :func:`process_claimed_files` expands archives (``services.archives``) and imports
   FIT files (``services.ingest``): a batch's files in one transaction, so each file is
   written whole or not at all.
3. When no file is left, :func:`finish_if_complete` moves the job to ``analysing`` (one
   caller wins) and :func:`complete_job` runs the chronological recomputation
   (``services.recompute``) and marks it ``done``.

A worker that dies leaves its files ``processing``: ``import_recovery.sweep`` returns
them to ``pending`` and lists the jobs that need tasks again. So after a restart every
job completes, no file is imported twice (claims and the per-runner unique constraint)
and none is lost. Reports for pages and the CLI: ``services.import_reports``.
"""

from __future__ import annotations

import io
import os
import socket
from collections.abc import Callable, Iterable
from typing import IO

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.gc import paused_gc
from smartrunning.sessions import recompute
from smartrunning.sessions.analysis_state import recoverable_commit
from smartrunning.sessions.archives import (
    expand_claimed_archive,
    is_zip,
)
from smartrunning.sessions.import_reports import (
    JobReport,
    job_report,
)
from smartrunning.sessions.ingest import import_claimed_fits
from smartrunning.sessions.ingest_files import HEAD_BYTES, finish_file, refusal
from smartrunning.sessions.models import (
    FileKind,
    FileStatus,
    ImportFile,
    ImportJob,
    JobStatus,
)

__all__ = [
    "add_skipped",
    "add_upload",
    "claim",
    "claim_files",
    "complete_job",
    "create_import",
    "create_job",
    "finish_if_complete",
    "pending_file_ids",
    "process_claimed",
    "process_claimed_files",
    "run_inline",
    "worker_id",
]

_OPEN = (FileStatus.PENDING, FileStatus.PROCESSING)
_INLINE_BATCH = 8

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


def worker_id() -> str:
    """``host:pid`` of this process, as recorded in its claims."""
    return f"{socket.gethostname()}:{os.getpid()}"


# --- creating jobs ------------------------------------------------------------------------


def create_job(runner: Runner, *, by: User | None, source: str) -> ImportJob:
    """An empty job for ``runner`` (``source``: web, api, cli, reprocess)."""
    job = ImportJob(
        runner_id=runner.id,
        created_by_id=by.id if by else None,
        source=source[:20],
        status=JobStatus.PENDING,
    )
    db.session.add(job)
    db.session.flush()
    return job


def add_upload(job: ImportJob, name: str, content: bytes | IO[bytes]) -> ImportFile:
    """Keep the raw upload in the blob store, then list it as a pending file of ``job``.

    ``content`` is bytes or a seekable binary file (a spooled upload, an open file): it
    is streamed, never read whole. A ZIP (by its first bytes) becomes an archive to
    expand; anything else is a FIT file to import (``.fit.gz`` too; a bad one fails with
    its reason). A file that can never be a FIT activity (empty, above
    ``MAX_FIT_FILE_MB``, no FIT or gzip header: ``ingest_files.refusal``) is listed as
    failed with its reason and not stored at all.
    """
    stream: IO[bytes] = io.BytesIO(content) if isinstance(content, bytes) else content
    start = stream.tell()
    head = stream.read(HEAD_BYTES)
    length = stream.seek(0, io.SEEK_END) - start
    stream.seek(start)
    clean = name.replace("\\", "/").strip() or "upload"
    kind = FileKind.ARCHIVE if is_zip(head) else FileKind.FIT
    why = None if kind is FileKind.ARCHIVE else refusal(head, length)
    sha, size = (None, length) if why is not None else _keep(stream)
    row = ImportFile(
        job_id=job.id,
        name=clean[-500:],
        kind=kind,
        depth=0,
        size_bytes=size,
        sha256=sha,
        status=FileStatus.PENDING,
        reason="",
        session_ids=[],
    )
    if why is not None:
        finish_file(row, FileStatus.FAILED, why)
    db.session.add(row)
    db.session.flush()
    return row


def _keep(stream: IO[bytes]) -> tuple[str, int]:
    """Store an upload in the blob store: (sha256, size).

    The same bytes uploaded twice at once (two clients, two tabs) race to insert the one
    blob; the loser's insert fails in its savepoint, and the blob is there once the
    winner commits (PostgreSQL makes the loser wait for that).
    """
    start = stream.tell()
    try:
        with db.session.begin_nested():
            return blob_store().put_file(stream)  # type: ignore[arg-type]
    except IntegrityError:
        stream.seek(start)
        return blob_store().put_file(stream)  # type: ignore[arg-type]


def add_skipped(job: ImportJob, name: str, size_bytes: int, reason: str) -> ImportFile:
    """List a file of an uploaded folder that is not imported (neither .fit nor .zip)."""
    row = ImportFile(
        job_id=job.id,
        name=name.replace("\\", "/")[-500:],
        kind=FileKind.OTHER,
        depth=0,
        size_bytes=size_bytes,
        sha256=None,
        status=FileStatus.SKIPPED,
        reason=reason,
        session_ids=[],
    )
    db.session.add(row)
    db.session.flush()
    return row


def create_import(
    runner: Runner,
    uploads: Iterable[tuple[str, bytes | IO[bytes]]],
    *,
    by: User | None,
    source: str = "web",
) -> ImportJob:
    """A job from uploaded files (name, bytes or file), committed and ready to process.

    The caller then starts it: ``jobs.imports.submit(job.id)`` through the queue, or
    :func:`run_inline`.
    """
    job = create_job(runner, by=by, source=source)
    count = 0
    for name, content in uploads:
        add_upload(job, name, content)
        count += 1
    if count == 0:
        raise InvalidInput("Choose at least one .fit or .zip file.", field="files")
    db.session.commit()
    return job


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
    file_ids: list[int], on_batch: Callable[[list[int]], None] | None = None
) -> None:
    """Process files this worker claimed, to their final status (commits).

    Archives are expanded first, one by one; FIT files are imported together, their
    results written in one transaction (``services.ingest.import_claimed_fits``).
    """
    if not file_ids:
        return
    with paused_gc():
        _process_claimed_files(file_ids, on_batch)


def _process_claimed_files(
    file_ids: list[int], on_batch: Callable[[list[int]], None] | None
) -> None:
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
        import_claimed_fits(fits)


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
        for i in range(0, len(ids), _INLINE_BATCH):
            process_claimed_files(ids[i : i + _INLINE_BATCH])
            if progress is not None:
                progress(job_report(db.session.get_one(ImportJob, job_id), with_files=False))
    if finish_if_complete(job_id):
        complete_job(job_id)
