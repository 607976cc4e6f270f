"""Training sessions, the daily history derived from them, and each runner's analysis state.

A session is one sport segment of an imported activity file. Its summary columns serve
list pages in one query; the full analysis (statistics, splits, laps, zones, best
efforts, the parameters used, the device's own totals) is JSON, deferred so lists do not
load it. Every derived value carries the version of the algorithm that produced it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column

from smartrunning.store.db import UTCDateTime, db, now_utc

__all__ = ["AnalysisState", "HistoryDay", "TrainingSession"]


class TrainingSession(db.Model):  # type: ignore[name-defined]
    """One sport segment of an activity file, analysed with the parameters of its day.

    - ``source_sha256`` + ``segment_index``: the file and segment it came from; unique per
      runner, the last guard against importing the same bytes twice.
    - ``local_date``: the runner's calendar day (UTC start + the file's UTC offset); the
      day whose parameters analyse it and whose load it adds to.
    - ``counts_for_bests``: running (street, trail, track …) and not treadmill/indoor.
    - ``params_hash``: fingerprint of the parameters and limits the analysis used; the
      chronological recomputation re-analyses a session when it changes.
    - ``*_version``: algorithm versions (``science`` modules and ``services.analysis``).
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
    #: Histograms the zone times and loads are computed from (``services.analysis``).
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
