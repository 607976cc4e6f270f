"""One FIT file up to its write: its outcome, its analysed segments, a session's columns.

What ``sessions.ingest`` writes, a batch at a time. Nothing here writes but
:func:`finish_file`, which sets a file's final status for the caller to commit.

Here a session gets the analysis that depends on its records alone; its zone times and
loads, which depend on the parameters valid on its day, are left pending for the
chronological recomputation that completes the job (``services.recompute``): only after
every earlier session is known are those parameters (CS from earlier bests) settled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.platform import context
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.science.analysis import SessionAnalysis, SourceInfo, analyse, json_safe
from smartrunning.science.fit import DecodedFile, DecodedSession, FitDecodeError, decode_fit
from smartrunning.science.sports import counts_for_bests, is_treadmill
from smartrunning.sessions.analysis_inputs import configured_limits
from smartrunning.sessions.models import (
    FileStatus,
    ImportFile,
    ImportJob,
    TrainingSession,
)
from smartrunning.sessions.parquet import records_to_parquet

__all__ = [
    "INGEST_VERSION",
    "MB",
    "Outcome",
    "Prepared",
    "already_imported",
    "check_size",
    "decode",
    "finish_file",
    "imported_sessions",
    "local_date",
    "outcome_values",
    "overlaps",
    "prepare",
    "runners_of",
    "session_values",
    "skipped_reason",
]

INGEST_VERSION: Final = 1
"""Bump when decoding or segmenting changes what a file becomes; ``reprocess`` re-runs
files imported by an older version."""

MB: Final = 1024 * 1024
_MIN_RECORDS: Final = 2


@dataclass
class Prepared:
    """A segment of a file, analysed and its records as Parquet, ready to be written."""

    index: int
    segment: DecodedSession
    start: dt.datetime
    end: dt.datetime
    day: dt.date
    analysis: SessionAnalysis
    parquet: bytes
    source: SourceInfo


class Outcome(Exception):
    """Ends processing a file early with its final status."""

    def __init__(self, status: FileStatus, reason: str, session_ids: list[int] | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.session_ids = session_ids or []
        self.decoder: str | None = None


def outcome_values(
    status: FileStatus,
    reason: str = "",
    session_ids: list[int] | None = None,
    decoder: str | None = None,
) -> dict[str, Any]:
    """The columns of a file's final outcome: what :func:`finish_file` sets on a row, and
    what a batch writes for all its files in one statement."""
    return {
        "status": status,
        "reason": reason[:2000],
        "session_ids": list(session_ids or []),
        "decoder": decoder,
        "ingest_version": INGEST_VERSION,
        "processed_at": now_utc(),
    }


def finish_file(
    file: ImportFile,
    status: FileStatus,
    reason: str = "",
    session_ids: list[int] | None = None,
    decoder: str | None = None,
) -> None:
    """Record the final outcome of a file (the caller commits)."""
    for name, value in outcome_values(status, reason, session_ids, decoder).items():
        setattr(file, name, value)


# Built once, as every batch runs them (building a statement costs more than running it).
_RUNNERS = (
    sa.select(ImportJob.id, Runner)
    .join(Runner, ImportJob.runner_id == Runner.id)
    .where(ImportJob.id.in_(sa.bindparam("job_ids", expanding=True)))
)
_IMPORTED = (
    sa.select(TrainingSession.source_sha256, TrainingSession.id)
    .where(
        TrainingSession.runner_id == sa.bindparam("runner"),
        TrainingSession.source_sha256.in_(sa.bindparam("shas", expanding=True)),
    )
    .order_by(TrainingSession.id)
)


def runners_of(job_ids: set[int]) -> dict[int, Runner]:
    """The runner of each job (job id → runner), in one query."""
    rows = db.session.execute(_RUNNERS, {"job_ids": sorted(job_ids)}).all()
    return {job_id: runner for job_id, runner in rows}


def imported_sessions(runner_id: int, shas: Sequence[str]) -> dict[str, list[int]]:
    """Sessions of the runner from files with these bytes (sha256 → session ids, in order)."""
    found: dict[str, list[int]] = {}
    if not shas:
        return found
    rows = db.session.execute(_IMPORTED, {"runner": runner_id, "shas": sorted(set(shas))}).all()
    for sha, session_id in rows:
        found.setdefault(sha, []).append(session_id)
    return found


def already_imported(ids: list[int]) -> Outcome:
    """A duplicate by bytes: the sessions the same file gave before."""
    return Outcome(
        FileStatus.DUPLICATE,
        f"the same file was already imported (session {', '.join(map(str, ids))})",
        ids,
    )


def overlaps(ids: list[int]) -> Outcome:
    """A duplicate by time: every segment overlaps a session of the same sport."""
    return Outcome(
        FileStatus.DUPLICATE,
        f"overlaps an existing session of the same sport (session {', '.join(map(str, ids))})",
        ids,
    )


def skipped_reason(overlapping: list[int]) -> str:
    """The reason of an imported file some of whose segments overlapped (empty if none)."""
    if not overlapping:
        return ""
    return (
        f"{len(overlapping)} segment(s) skipped: they overlap session "
        f"{', '.join(map(str, sorted(set(overlapping))))}"
    )


def decode(data: bytes) -> DecodedFile:
    """``decode_fit``, a file it cannot read failing with the decoder's reason."""
    try:
        return decode_fit(data)
    except FitDecodeError as exc:
        raise Outcome(FileStatus.FAILED, str(exc)) from None


def check_size(file: ImportFile) -> None:
    """Fail a file above ``MAX_FIT_FILE_MB`` (its bytes are kept for ``reprocess``)."""
    limit_mb = context.settings().max_fit_file_mb
    if file.size_bytes > limit_mb * MB:
        raise Outcome(
            FileStatus.FAILED,
            f"file too large: {file.size_bytes / MB:.1f} MB, above MAX_FIT_FILE_MB = {limit_mb:g}",
        )


def local_date(start: dt.datetime, decoded: DecodedFile) -> dt.date:
    """The runner's calendar day of a session: UTC start plus the file's UTC offset.

    Files with device-relative times anchored on local time (``time_basis`` local)
    already carry the local clock; files without an offset fall back to the UTC date.
    """
    offset = decoded.utc_offset_s if decoded.time_basis == "utc" else None
    return (start + dt.timedelta(seconds=offset or 0)).date()


def _usable(segment: DecodedSession) -> bool:
    ts = segment.records.timestamp_s
    return (
        segment.start_time is not None
        and len(segment.records) >= _MIN_RECORDS
        and bool(np.isfinite(ts).all())
    )


def prepare(decoded: DecodedFile, runner: Runner) -> list[Prepared]:
    """The usable segments of a decoded file, analysed; an :class:`Outcome` for a file that
    gives none (not an activity, no dates, no timed samples, analysis refused)."""
    if not decoded.is_activity:
        raise Outcome(FileStatus.NOT_ACTIVITY, f"a FIT {decoded.file_type} file, not an activity")
    if decoded.time_basis == "device":
        raise Outcome(
            FileStatus.FAILED,
            "the file has no dates: its times count from the device's power-on and nothing "
            "anchors them to a calendar",
        )
    segments = [(i, s) for i, s in enumerate(decoded.sessions) if _usable(s)]
    if not segments:
        raise Outcome(FileStatus.FAILED, "an activity without usable records (no timed samples)")
    limits = configured_limits()
    prepared = []
    for index, segment in segments:
        assert segment.start_time is not None
        start = segment.start_time
        ts = segment.records.timestamp_s
        end = max(start + dt.timedelta(seconds=1), dt.datetime.fromtimestamp(float(ts[-1]), dt.UTC))
        day = local_date(start, decoded)
        source = SourceInfo.from_decoded(segment, start)
        try:
            result = analyse(segment.records, source, limits)
        except ValueError as exc:
            raise Outcome(FileStatus.FAILED, f"analysis failed: {exc}") from None
        prepared.append(
            Prepared(
                index, segment, start, end, day, result, records_to_parquet(segment.records), source
            )
        )
    return prepared


def session_values(
    file_id: int, sha256: str, runner_id: int, decoded: DecodedFile, p: Prepared
) -> dict[str, Any]:
    """The columns of the new session of segment ``p``, but ``records_sha256``."""
    seg = p.segment
    device: dict[str, Any] | None = None
    if decoded.device is not None:
        device = {
            "manufacturer": decoded.device.manufacturer,
            "product": decoded.device.product,
            "serial_number": decoded.device.serial_number,
        }
    totals = None
    if seg.totals is not None:
        totals = json_safe({k: getattr(seg.totals, k) for k in seg.totals.__slots__})
    return {
        "runner_id": runner_id,
        "import_file_id": file_id,
        "source_sha256": sha256,
        "segment_index": p.index,
        "sport": seg.sport,
        "sub_sport": seg.sub_sport,
        "treadmill": is_treadmill(seg.sport, seg.sub_sport),
        "counts_for_bests": counts_for_bests(seg.sport, seg.sub_sport),
        "start_time": p.start,
        "end_time": p.end,
        "local_date": p.day,
        "utc_offset_s": None if decoded.utc_offset_s is None else int(decoded.utc_offset_s),
        "time_basis": decoded.time_basis,
        "record_count": len(seg.records),
        "decoder": decoded.decoder,
        "device": device,
        "device_totals": totals,
        "source_info": p.source.as_json(),
        "analysed_at": now_utc(),
        **p.analysis.columns(),
    }
