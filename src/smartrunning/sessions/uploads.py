"""Uploads: files from the pages, the API and the CLI become an import job, kept first.

One entry for every way files arrive: :func:`create_import` takes single files, ZIPs
(a Garmin or Strava export) and the files of a CLI folder (:func:`folder_files`) alike.
Every uploaded file's raw bytes go to the blob store *first*; the file is then listed as
a ``pending`` file of a new job, so nothing uploaded is ever lost. The action owns its
transaction and starts the job itself: once the job is committed it is queued
(``jobs.submit``, registered with ``on_commit``, so a refused upload queues nothing), or,
for the CLI's inline mode, left for the caller to run in its own process
(``jobs.run_inline``). What the bytes are decides what happens to them
(``file_checks``): a ZIP (by its first bytes) becomes an archive to expand
(``archives``), anything else a FIT file to import (``ingest``; ``.fit.gz`` too). A file
that can never be a FIT activity (empty, above ``MAX_FIT_FILE_MB``, no FIT or gzip
header: ``file_checks.refusal``) is listed as failed with its reason and not stored at
all; the same rules judge an archive's entries.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from sqlalchemy.exc import IntegrityError

from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.transactions import on_commit, transaction
from smartrunning.sessions import jobs
from smartrunning.sessions.file_checks import HEAD_BYTES, is_zip, kind_by_name, refusal
from smartrunning.sessions.models import FileKind, FileStatus, ImportFile, ImportJob, JobStatus
from smartrunning.sessions.outcomes import finish_file

__all__ = ["Content", "add_skipped", "add_upload", "create_import", "create_job", "folder_files"]

log = logging.getLogger(__name__)

Content = bytes | IO[bytes] | Path
"""An upload's bytes: in memory, a seekable binary file (a spooled upload), or a path."""


def folder_files(paths: Iterable[Path]) -> tuple[list[tuple[str, Path]], list[tuple[str, int]]]:
    """The files of these paths (files, and folders walked in name order): those to upload
    (name shown, path) and those skipped, neither FIT files nor ZIPs (name shown, size)."""
    uploads: list[tuple[str, Path]] = []
    skipped: list[tuple[str, int]] = []
    for path in paths:
        if path.is_file():
            uploads.append((path.name, path))
            continue
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                file = Path(root) / name
                shown = str(file.relative_to(path.parent))
                if kind_by_name(file.name) is not FileKind.OTHER:
                    uploads.append((shown, file))
                else:
                    skipped.append((shown, file.stat().st_size))
    return uploads, skipped


# --- creating jobs ------------------------------------------------------------------------


def create_import(
    runner: Runner,
    uploads: Iterable[tuple[str, Content]],
    *,
    skipped: Iterable[tuple[str, int]] = (),
    by: User | None,
    source: str = "web",
    require_files: bool = True,
    queue: bool = True,
) -> ImportJob:
    """A job from uploaded files (name, bytes, file or path) and the files of a folder
    that are not imported (name, size), committed, then started.

    ``queue`` (pages, API, the CLI's ``--via auto|queue``): the job is queued once its
    commit is done (``jobs.submit`` through ``on_commit``); nobody else enqueues it. False
    (the CLI's ``--via inline``): the job is left ``pending`` for the caller to run in its
    own process (``jobs.run_inline``). Either way, a committed job whose tasks never reach
    a worker (the queue unreachable, the process gone) is queued again by the sweep once
    it has stalled (``import_recovery.STALLED_JOB_S``). An upload without a file is
    refused (``InvalidInput``) unless ``require_files`` is false (the CLI, for an empty
    folder). A refused upload is rolled back: nothing of it is kept or queued.
    """
    with transaction():
        job = create_job(runner, by=by, source=source)
        count = 0
        for name, content in uploads:
            if isinstance(content, Path):
                with content.open("rb") as handle:
                    add_upload(job, name, handle)
            else:
                add_upload(job, name, content)
            count += 1
        for name, size in skipped:
            add_skipped(job, name, size, "not a .fit, .fit.gz or .zip file")
        if count == 0 and require_files:
            raise InvalidInput("Choose at least one .fit or .zip file.", field="files")
        if queue:
            on_commit(_submitter(job.id))
    return job


def _submitter(job_id: int) -> Callable[[], None]:
    """Queue job ``job_id`` (after its commit). The upload is kept whatever happens here:
    a failure to reach the queue is logged, and the sweep queues the job once it stalls."""

    def submit() -> None:
        try:
            jobs.submit(job_id)
        except Exception:
            db.session.rollback()
            log.exception(
                "queueing import job %s failed; the sweep queues it once it has stalled", job_id
            )

    return submit


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
    its reason). A file that can never be a FIT activity (``file_checks.refusal``) is
    listed as failed with its reason and not stored at all.
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
