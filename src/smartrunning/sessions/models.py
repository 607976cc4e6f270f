"""Training sessions, the daily history derived from them, each runner's analysis state,
and import jobs (one per upload, with a row per file or archive entry and its outcome)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from smartrunning.athletes.models import BestKind
from smartrunning.platform.db import (
    UTCDateTime,
    db,
    now_utc,
    value_enum,
)
from smartrunning.platform.softdelete import SoftDeletable

__all__ = [
    "AnalysisState",
    "FileKind",
    "FileStatus",
    "HistoryDay",
    "ImportFile",
    "ImportJob",
    "JobStatus",
    "TrainingSession",
]


class TrainingSession(SoftDeletable, db.Model):  # type: ignore[name-defined]
    """One sport segment of an activity file, analysed with the parameters of its day.

    - ``source_sha256`` + ``segment_index``: the file and segment it came from; unique per
      runner, the last guard against importing the same bytes twice.
    - ``local_date``: the runner's calendar day (UTC start + the file's UTC offset); the
      day whose parameters analyse it and whose load it adds to.
    - ``counts_for_bests``: running (street, trail, track …) and not treadmill/indoor.
    - ``params_hash``: fingerprint of the parameters and limits the analysis used; the
      chronological recomputation re-analyses a session when it changes.
    - ``*_version``: algorithm versions (``science`` modules and ``science.analysis``).
    - ``flags`` / ``held``: values no runner produces; a flagged session is ``held`` out of
      bests, loads and history until a coach or the runner confirms it (``confirmed_*``).
    """

    __tablename__ = "sessions"
    __table_args__ = (
        sa.UniqueConstraint(
            "runner_id", "source_sha256", "segment_index", name="uq_sessions_source"
        ),
        sa.Index("ix_sessions_runner_start", "runner_id", "start_time"),
        sa.Index("ix_sessions_runner_day", "runner_id", "local_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(sa.ForeignKey("runners.id", ondelete="CASCADE"))
    import_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_files.id", ondelete="SET NULL"), index=True
    )
    source_sha256: Mapped[str] = mapped_column(sa.String(64))
    segment_index: Mapped[int]
    sport: Mapped[str] = mapped_column(sa.String(40))
    sub_sport: Mapped[str | None] = mapped_column(sa.String(40))
    treadmill: Mapped[bool] = mapped_column(default=False)
    counts_for_bests: Mapped[bool] = mapped_column(default=False)
    #: Race, time trial or training (the default), as the runner or coach marked it: a race
    #: or time trial's main effort anchors critical speed (``athletes.bests``).
    performance: Mapped[BestKind] = mapped_column(
        value_enum(BestKind, "best_kind"), default=BestKind.TRAINING, server_default="training"
    )
    start_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    end_time: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[dt.date]
    utc_offset_s: Mapped[int | None]
    time_basis: Mapped[str] = mapped_column(sa.String(10))

    distance_m: Mapped[float]
    elapsed_time_s: Mapped[float]
    timer_time_s: Mapped[float]
    moving_time_s: Mapped[float]
    avg_speed_mps: Mapped[float | None]
    avg_hr_bpm: Mapped[float | None]
    max_hr_bpm: Mapped[float | None]
    elevation_gain_m: Mapped[float | None]
    trimp: Mapped[float | None]
    hrss: Mapped[float | None]
    rtss: Mapped[float | None]
    #: The load that feeds the history, under ``load_model`` (the runner's choice that day).
    load: Mapped[float | None]
    load_model: Mapped[str | None] = mapped_column(sa.String(8))

    records_sha256: Mapped[str] = mapped_column(sa.String(64))
    record_count: Mapped[int]
    decoder: Mapped[str] = mapped_column(sa.String(40))
    device: Mapped[Any | None] = mapped_column(sa.JSON)
    device_totals: Mapped[Any | None] = deferred(mapped_column(sa.JSON))
    #: What analysis needs beyond the records: the file's laps and timer time.
    source_info: Mapped[Any] = deferred(mapped_column(sa.JSON, nullable=False))
    stats: Mapped[Any] = deferred(mapped_column(sa.JSON, nullable=False))
    best_efforts: Mapped[Any] = deferred(mapped_column(sa.JSON, nullable=False))
    #: Histograms the zone times and loads are computed from (``science.analysis``).
    param_inputs: Mapped[Any] = deferred(mapped_column(sa.JSON, nullable=False))
    #: Zone times (HR, pace) in the zones valid on ``local_date``.
    zones: Mapped[Any] = deferred(mapped_column(sa.JSON, nullable=False))
    params: Mapped[Any] = deferred(mapped_column(sa.JSON, nullable=False))
    params_hash: Mapped[str] = mapped_column(sa.String(64))

    streams_version: Mapped[int]
    stats_version: Mapped[int]
    bests_version: Mapped[int]
    load_version: Mapped[int]
    analysis_version: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    analysed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    #: Values no runner produces (``science.plausibility``), each ``{"code", "reason"}``.
    flags: Mapped[Any] = mapped_column(sa.JSON, default=list, server_default="[]")
    #: Flagged and not yet confirmed: kept out of bests, loads and history.
    held: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Deleted and restorable until the undo window passes (``sessions.trash``): every ORM
    #: select leaves it out (``platform.softdelete``) and the recomputation runs as if gone.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class HistoryDay(db.Model):  # type: ignore[name-defined]
    """One day of a runner's fitness-fatigue history (``science.history``), stored so that
    a change on day d recomputes from the state of day d − 1 instead of from the start."""

    __tablename__ = "history_days"

    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[dt.date] = mapped_column(primary_key=True)
    load: Mapped[float]
    ctl: Mapped[float]
    atl: Mapped[float]
    form: Mapped[float]
    performance: Mapped[float]
    ramp: Mapped[float]
    monotony: Mapped[float | None]
    strain: Mapped[float | None]
    g: Mapped[float]
    h: Mapped[float]
    version: Mapped[int]


class AnalysisState(db.Model):  # type: ignore[name-defined]
    """Per runner: the earliest day whose derived values are stale, and the analysis lock.

    Writing ``locked_at`` first in a transaction serialises the runner's session writes
    and recomputations (a row lock on PostgreSQL, the write lock on SQLite).
    """

    __tablename__ = "analysis_states"

    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    dirty_from: Mapped[dt.date | None]
    locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    recomputed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


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
    #: ``sessions.outcomes.INGEST_VERSION`` that produced the outcome; older ones are stale.
    ingest_version: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(sa.String(200))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
