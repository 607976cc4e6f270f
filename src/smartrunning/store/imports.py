"""Import jobs: one per upload, with a row per file (or archive entry) and its outcome."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartrunning.store.db import UTCDateTime, db, now_utc, value_enum

__all__ = ["FileKind", "FileStatus", "ImportFile", "ImportJob", "JobStatus"]


class JobStatus(StrEnum):
    """``pending`` → ``running`` (a file claimed) → ``analysing`` (all files done, the
    chronological recomputation runs) → ``done``."""

    PENDING = "pending"
    RUNNING = "running"
    ANALYSING = "analysing"
    DONE = "done"


class FileKind(StrEnum):
    FIT = "fit"
    ARCHIVE = "archive"
    OTHER = "other"


class FileStatus(StrEnum):
    """Where a file is. ``pending`` and ``processing`` are the only non-final states.

    - ``imported``: became sessions (``session_ids``); ``duplicate``: already there
      (``session_ids`` names the existing ones); ``not_activity``: a FIT file of another
      kind (settings, workout …); ``failed``: ``reason`` says why, the raw bytes are kept;
    - ``skipped``: an archive entry that is neither a FIT file nor a ZIP (listed, not kept);
    - ``expanded``: an archive whose entries became rows of their own.
    """

    PENDING = "pending"
    PROCESSING = "processing"
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    NOT_ACTIVITY = "not_activity"
    FAILED = "failed"
    SKIPPED = "skipped"
    EXPANDED = "expanded"

    @property
    def is_final(self) -> bool:
        return self not in (FileStatus.PENDING, FileStatus.PROCESSING)


class ImportJob(db.Model):  # type: ignore[name-defined]
    """One upload (browser, API, CLI) or one reprocessing run, for one runner."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    source: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[JobStatus] = mapped_column(value_enum(JobStatus, "import_job_status"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    #: When the last step of the job began (claims, analysis), to find stalled jobs.
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ImportFile(db.Model):  # type: ignore[name-defined]
    """A file of a job: an upload, or an entry of an uploaded archive (``parent_id``).

    ``sha256`` names the raw bytes in the blob store, written before anything else is
    tried, so nothing uploaded is lost (``None`` only for entries not kept: skipped or
    refused before extraction). ``claimed_by`` (``host:pid``) and ``claimed_at`` say which
    worker process holds a ``processing`` file (a claim of a dead worker returns to
    ``pending``) and, once the file is done, which one processed it.
    """

    __tablename__ = "import_files"
    __table_args__ = (
        sa.Index("ix_import_files_job_status", "job_id", "status"),
        sa.Index("ix_import_files_status_claimed", "status", "claimed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(sa.ForeignKey("import_jobs.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_files.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[FileKind] = mapped_column(value_enum(FileKind, "import_file_kind"))
    depth: Mapped[int] = mapped_column(default=0)
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    status: Mapped[FileStatus] = mapped_column(value_enum(FileStatus, "import_file_status"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    session_ids: Mapped[Any] = mapped_column(sa.JSON, default=list)
    decoder: Mapped[str | None] = mapped_column(sa.String(40))
    #: ``services.ingest_files.INGEST_VERSION`` that produced the outcome; older ones are stale.
    ingest_version: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(200))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
