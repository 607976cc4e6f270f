"""Uploads: files from the pages, the API and the CLI become an import job, kept first.

One entry for every way files arrive: :func:`create_import` takes single files, ZIPs
(a Garmin or Strava export) and the files of a CLI folder (:func:`folder_files`) alike.
Every uploaded file's raw bytes go to the blob store *first*; the file is then listed as
a ``pending`` file of a new job, so nothing uploaded is ever lost, and the job is
committed for the queue (``jobs.submit``) or the CLI's inline mode (``jobs.run_inline``)
to run. What the bytes are decides what happens to them: a ZIP (by its first bytes)
becomes an archive to expand (``archives``), anything else a FIT file to import
(``ingest``; ``.fit.gz`` too). A file that can never be a FIT activity (empty, above
``MAX_FIT_FILE_MB``, no FIT or gzip header: :func:`refusal`) is listed as failed with its
reason and not stored at all; the same rules judge an archive's entries.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Final

from sqlalchemy.exc import IntegrityError

from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.platform import context
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.transactions import transaction
from smartrunning.sessions.models import FileKind, FileStatus, ImportFile, ImportJob, JobStatus
from smartrunning.sessions.outcomes import finish_file

__all__ = [
    "HEAD_BYTES",
    "MB",
    "add_skipped",
    "add_upload",
    "create_import",
    "create_job",
    "folder_files",
    "is_gzip",
    "is_zip",
    "kind_by_name",
    "refusal",
    "too_large",
]

MB: Final = 1024 * 1024
HEAD_BYTES: Final = 14
"""Bytes of a file's start that :func:`refusal`, :func:`is_zip` and :func:`is_gzip` look at."""
_ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06")
_GZIP_MAGIC: Final = b"\x1f\x8b"
_FIT_SIGNATURE: Final = b".FIT"

Content = bytes | IO[bytes] | Path
"""An upload's bytes: in memory, a seekable binary file (a spooled upload), or a path."""


# --- what a file is --------------------------------------------------------------------


def is_zip(head: bytes) -> bool:
    """Whether bytes starting with ``head`` are a ZIP archive (local header or empty ZIP)."""
    return head[:4] in _ZIP_MAGIC


def is_gzip(head: bytes) -> bool:
    """Whether bytes starting with ``head`` are gzip-compressed (``.fit.gz``, as Strava
    exports activities)."""
    return head[:2] == _GZIP_MAGIC


def kind_by_name(filename: str) -> FileKind:
    """By its name, as a folder's files and an archive's entries are judged: a FIT file
    (``.fit``, or ``.fit.gz`` as Strava exports them), a ZIP, or other (not imported)."""
    lower = filename.lower()
    if lower.endswith((".fit", ".fit.gz")):
        return FileKind.FIT
    if lower.endswith(".zip"):
        return FileKind.ARCHIVE
    return FileKind.OTHER


def too_large(size: int, what: str = "file") -> str:
    """The reason of a file above ``MAX_FIT_FILE_MB``."""
    limit_mb = context.settings().max_fit_file_mb
    return f"{what} too large: {size / MB:.1f} MB, above MAX_FIT_FILE_MB = {limit_mb:g}; not kept"


def refusal(head: bytes, size: int) -> str | None:
    """Why a file starting with ``head``, ``size`` bytes long, can never be a FIT activity
    (empty, above ``MAX_FIT_FILE_MB``, no FIT header), or None. Refused bytes are not kept.

    A file with a FIT header that fails to decode is not refused here: it fails with the
    decoder's reason and is kept, for ``reprocess`` to try again with a better decoder.
    """
    if size == 0:
        return "empty file; not kept"
    if size > context.settings().max_fit_file_mb * MB:
        return too_large(size)
    if is_gzip(head):
        return None
    if len(head) < 12 or head[8:12] != _FIT_SIGNATURE:
        return "not a FIT file: no FIT header (12 or 14 bytes ending in '.FIT'); not kept"
    return None


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
) -> ImportJob:
    """A job from uploaded files (name, bytes, file or path) and the files of a folder
    that are not imported (name, size), committed and ready to run.

    The caller then starts it: ``jobs.submit(job.id)`` through the queue, or
    ``jobs.run_inline``. An upload without a file is refused (``InvalidInput``) unless
    ``require_files`` is false (the CLI, for an empty folder). A refused upload is rolled
    back: nothing of it is kept.
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
    return job


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
    its reason). A file that can never be a FIT activity (:func:`refusal`) is listed as
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
