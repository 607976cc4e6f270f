"""Expanding an uploaded ZIP (a Garmin export, a folder of runs) into files of its job.

The archive itself is already kept in the blob store; it is read through a seekable
stream one entry at a time (``BlobStore.open``), so memory does not grow with its size.
Each ``.fit`` (or ``.fit.gz``) entry becomes a pending file of the job (its bytes kept as a
blob of their own, unless they can never be a FIT activity: ``file_checks.refusal``);
each nested ``.zip`` becomes a pending archive one level deeper; everything else is listed
as ``skipped``. Entries of the same name each get a row (the second named "… (#2)").

Limits from the configuration guard against ZIP bombs and hostile archives (each refusal
is a clear reason on the archive or the entry; nothing refused is ever written out):

- ``ZIP_MAX_ENTRIES`` and ``ZIP_MAX_TOTAL_MB``: the entries and uncompressed bytes
  expanded from one upload (job), nested archives included; declared sizes are checked
  before anything is read, and the bytes actually read are counted too, since headers
  can lie;
- ``ZIP_MAX_RATIO``: uncompressed / compressed size, per entry and for the archive;
- ``ZIP_MAX_DEPTH``: archives nested deeper are refused;
- entries with absolute paths or ``..`` (path traversal), encrypted entries, entries
  larger than ``MAX_FIT_FILE_MB`` and unsupported compression methods are refused.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Final

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from smartrunning.platform import context
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db
from smartrunning.platform.queue import get_queue
from smartrunning.sessions.analysis_state import recoverable_commit
from smartrunning.sessions.file_checks import HEAD_BYTES, MB, kind_by_name, refusal
from smartrunning.sessions.models import (
    FileKind,
    FileStatus,
    ImportFile,
)
from smartrunning.sessions.outcomes import finish_file

__all__ = ["BATCH_ENTRIES", "expand_claimed_archive"]

log = logging.getLogger(__name__)

BATCH_ENTRIES: Final = 64
"""Entries committed (and handed to ``on_batch``) together while expanding."""
_SPOOL_BYTES: Final = 16 * MB


class _Refused(Exception):
    """The whole archive is refused (the reason names the limit)."""


@dataclass
class _Budget:
    entries: int
    bytes: int


def expand_claimed_archive(
    file: ImportFile, on_batch: Callable[[list[int]], None] | None = None
) -> None:
    """Expand a claimed archive into rows of its job; commits as it goes.

    ``on_batch`` receives the ids of new pending rows after each commit (the queue uses it
    to start processing before the archive is fully read). A retry after a crash skips
    entries already listed, so nothing is listed twice. In a worker told to stop
    (``Queue.stopping``) it returns after the batch in hand, the archive still claimed, for
    the task to hand back: another worker lists the rest.
    """
    assert file.sha256 is not None
    settings = context.settings()
    file_id = file.id
    try:
        if file.depth > settings.zip_max_depth:
            raise _Refused(
                f"ZIP nested {file.depth} levels deep, more than ZIP_MAX_DEPTH = "
                f"{settings.zip_max_depth}"
            )
        with blob_store().open(file.sha256) as stream:
            try:
                archive = zipfile.ZipFile(stream)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise _Refused(f"not a readable ZIP archive: {exc}") from None
            with archive:
                if not _expand(file, archive, on_batch):
                    return
    except _Refused as refused:
        _fail(file_id, str(refused))
        return
    except OperationalError as exc:  # a lock timeout, a lost connection: try again later
        db.session.rollback()
        log.warning("database error expanding archive %s, will retry: %s", file_id, exc)
        file = db.session.get_one(ImportFile, file_id)
        file.status = FileStatus.PENDING
        db.session.commit()
        return
    except Exception as exc:
        log.exception("expanding archive %s failed", file_id)
        _fail(file_id, f"internal error: {type(exc).__name__}: {exc}")
        return
    finish_file(file, FileStatus.EXPANDED)
    db.session.commit()


def _fail(file_id: int, reason: str) -> None:
    """Fail the archive (entries already listed stay: a retry skips them)."""
    db.session.rollback()
    file = db.session.get_one(ImportFile, file_id)
    finish_file(file, FileStatus.FAILED, reason)
    db.session.commit()


def _budget(job_id: int) -> _Budget:
    """What this job may still expand (ZIP_MAX_ENTRIES, ZIP_MAX_TOTAL_MB)."""
    settings = context.settings()
    count, size = db.session.execute(
        sa.select(
            sa.func.count(ImportFile.id), sa.func.coalesce(sa.func.sum(ImportFile.size_bytes), 0)
        ).where(ImportFile.job_id == job_id, ImportFile.parent_id.is_not(None))
    ).one()
    return _Budget(
        entries=settings.zip_max_entries - int(count),
        bytes=int(settings.zip_max_total_mb * MB) - int(size),
    )


def _expand(
    file: ImportFile, archive: zipfile.ZipFile, on_batch: Callable[[list[int]], None] | None
) -> bool:
    """List the archive's entries not listed yet; False if stopped before the end."""
    settings = context.settings()
    entries = [info for info in archive.infolist() if not info.is_dir()]
    names = _names(file, entries)
    done = set(
        db.session.execute(
            sa.select(ImportFile.name).where(ImportFile.parent_id == file.id)
        ).scalars()
    )
    budget = _budget(file.job_id)
    declared = sum(info.file_size for info in entries)
    if len(entries) - len(done) > budget.entries:
        raise _Refused(
            f"ZIP bomb? {len(entries)} entries, more than ZIP_MAX_ENTRIES = "
            f"{settings.zip_max_entries} for one upload"
        )
    if declared > budget.bytes + sum(
        info.file_size for info, name in zip(entries, names, strict=True) if name in done
    ):
        raise _Refused(
            f"ZIP bomb? {declared / MB:.1f} MB uncompressed, more than ZIP_MAX_TOTAL_MB = "
            f"{settings.zip_max_total_mb:g} for one upload"
        )
    if file.size_bytes and declared / file.size_bytes > settings.zip_max_ratio:
        raise _Refused(
            f"ZIP bomb? it expands {declared / file.size_bytes:.0f}:1, more than "
            f"ZIP_MAX_RATIO = {settings.zip_max_ratio:g}"
        )
    batch: list[ImportFile] = []
    blobs: list[tuple[ImportFile, bytes]] = []
    for info, name in zip(entries, names, strict=True):
        if name in done:
            continue
        done.add(name)
        row = _entry(file, archive, info, name, budget, blobs)
        db.session.add(row)
        batch.append(row)
        if len(batch) >= BATCH_ENTRIES or sum(len(d) for _r, d in blobs) >= _SPOOL_BYTES:
            _commit(batch, on_batch, blobs)
            batch = []
            if get_queue().stopping():
                return False
    _commit(batch, on_batch, blobs)
    return True


def _commit(
    batch: list[ImportFile],
    on_batch: Callable[[list[int]], None] | None,
    blobs: list[tuple[ImportFile, bytes]],
) -> None:
    """Store the batch's FIT bytes (one statement), commit its rows, hand on the pending."""
    recoverable_commit()
    if blobs:
        shas = blob_store().put_many([data for _row, data in blobs])
        for (row, _data), sha in zip(blobs, shas, strict=True):
            row.sha256 = sha
        blobs.clear()
    db.session.flush()
    # Read before the commit expires the rows (after it, each would be loaded again).
    pending = [row.id for row in batch if row.status is FileStatus.PENDING]
    db.session.commit()
    if on_batch is not None and pending:
        on_batch(pending)


_NAME_CHARS: Final = 500


def _names(file: ImportFile, entries: list[zipfile.ZipInfo]) -> list[str]:
    """The row name of each entry: the archive's name and the entry's path, made unique
    in the order of the archive's directory. A ZIP may hold two entries of the same name
    (written twice, or cut to the same 500 characters): the second is "… (#2)", so each is
    listed and imported, and a retry after a crash names them the same."""
    taken: set[str] = set()
    out = []
    for info in entries:
        full = f"{file.name}/{info.filename}"
        name = full[:_NAME_CHARS]
        k = 1
        while name in taken:
            k += 1
            suffix = f" (#{k})"
            name = full[: _NAME_CHARS - len(suffix)] + suffix
        taken.add(name)
        out.append(name)
    return out


def _row(
    file: ImportFile,
    name: str,
    kind: FileKind,
    size: int,
    status: FileStatus,
    reason: str = "",
    sha256: str | None = None,
) -> ImportFile:
    return ImportFile(
        job_id=file.job_id,
        parent_id=file.id,
        name=name,
        kind=kind,
        depth=file.depth + (1 if kind is FileKind.ARCHIVE else 0),
        size_bytes=size,
        sha256=sha256,
        status=status,
        reason=reason,
        session_ids=[],
    )


def _entry(
    file: ImportFile,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    budget: _Budget,
    blobs: list[tuple[ImportFile, bytes]],
) -> ImportFile:
    """The row of one entry; a FIT entry's bytes join ``blobs``, stored before the commit."""
    settings = context.settings()
    kind = kind_by_name(info.filename)
    size = info.file_size

    def failed(reason: str) -> ImportFile:
        return _row(file, name, kind, size, FileStatus.FAILED, reason)

    if kind is FileKind.OTHER:
        return _row(file, name, kind, size, FileStatus.SKIPPED, "not a .fit, .fit.gz or .zip entry")
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        return failed("unsafe path in the archive (absolute or with '..'); not extracted")
    if info.flag_bits & 0x1:
        return failed("encrypted entry; not extracted")
    if info.compress_size and size / info.compress_size > settings.zip_max_ratio:
        return failed(
            f"ZIP bomb? the entry expands {size / info.compress_size:.0f}:1, more than "
            f"ZIP_MAX_RATIO = {settings.zip_max_ratio:g}; not extracted"
        )
    if kind is FileKind.ARCHIVE and file.depth + 1 > settings.zip_max_depth:
        return failed(
            f"ZIP nested {file.depth + 1} levels deep, more than ZIP_MAX_DEPTH = "
            f"{settings.zip_max_depth}; not extracted"
        )
    if kind is FileKind.FIT and size > settings.max_fit_file_mb * MB:
        return failed(
            f"file too large: {size / MB:.1f} MB, above MAX_FIT_FILE_MB = "
            f"{settings.max_fit_file_mb:g}; not extracted"
        )
    if budget.entries <= 0 or size > budget.bytes:
        return failed("the upload reached ZIP_MAX_ENTRIES or ZIP_MAX_TOTAL_MB; not extracted")
    try:
        sha, read, data = _store_entry(archive, info)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        EOFError,
    ) as exc:
        return failed(f"corrupt or unsupported entry: {exc}")
    budget.entries -= 1
    budget.bytes -= read
    if data is not None and (why := refusal(data[:HEAD_BYTES], len(data))) is not None:
        return _row(file, name, kind, read, FileStatus.FAILED, why)  # not kept
    row = _row(file, name, kind, read, FileStatus.PENDING, sha256=sha)
    if data is not None:
        blobs.append((row, data))
    return row


def _store_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> tuple[str | None, int, bytes | None]:
    """Inflate one entry, reading at most its declared size: (sha256, size, bytes to store).

    A FIT entry (at most ``MAX_FIT_FILE_MB``, checked before) is read into memory and
    returned, to be stored with the others of its batch; a nested archive, of any size, is
    spooled to a temporary file and streamed into the blob store.
    """
    if kind_by_name(info.filename) is not FileKind.ARCHIVE:
        with archive.open(info) as src:
            data = src.read(info.file_size)
            if src.read(1):
                raise zipfile.BadZipFile("the entry holds more bytes than its header declares")
        return None, len(data), data
    with archive.open(info) as src, tempfile.SpooledTemporaryFile(_SPOOL_BYTES) as spool:
        copied = _copy_at_most(src, spool, info.file_size)
        if src.read(1):
            raise zipfile.BadZipFile("the entry holds more bytes than its header declares")
        spool.seek(0)
        sha, size = blob_store().put_file(spool)  # type: ignore[arg-type]
        assert size == copied
        return sha, size, None


def _copy_at_most(src: IO[bytes], dst: IO[bytes], limit: int) -> int:
    copied = 0
    while copied < limit:
        block = src.read(min(1024 * 1024, limit - copied))
        if not block:
            break
        dst.write(block)
        copied += len(block)
    return copied
