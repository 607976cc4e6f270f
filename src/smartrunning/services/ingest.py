"""Turning one claimed FIT file into sessions: decode, check, analyse, store.

The heavy part (decoding, analysis, Parquet) runs outside any write transaction; the
result is written in one short transaction under the runner's lock
(``analysis_state.lock_runner``), where duplicates are checked against every committed
session: the same bytes (sha256) for the runner, or an overlapping session of the same
sport. The unique constraint (runner, sha256, segment) is the last guard. The file's
outcome (``imported``, ``duplicate``, ``not_activity``, ``failed`` with a reason) is
written in that same transaction, so a file is imported exactly once or not at all.

Here a session gets the analysis that depends on its records alone; its zone times and
loads, which depend on the parameters valid on its day, are left pending for the
chronological recomputation that completes the job (``services.recompute``): only after
every earlier session is known are those parameters (CS from earlier bests) settled.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from smartrunning.science.fit import DecodedFile, DecodedSession, FitDecodeError, decode_fit
from smartrunning.services import context
from smartrunning.services.analysis import SessionAnalysis, analyse
from smartrunning.services.analysis_inputs import (
    SourceInfo,
    configured_limits,
    counts_for_bests,
    is_treadmill,
    json_safe,
)
from smartrunning.services.analysis_state import lock_runner, recoverable_commit
from smartrunning.services.blobs import blob_store
from smartrunning.services.parquet import records_to_parquet
from smartrunning.store import (
    FileStatus,
    ImportFile,
    ImportJob,
    Runner,
    TrainingSession,
    db,
    now_utc,
)

__all__ = ["INGEST_VERSION", "finish_file", "import_claimed_fit", "local_date"]

log = logging.getLogger(__name__)

INGEST_VERSION: Final = 1
"""Bump when decoding or segmenting changes what a file becomes; ``reprocess`` re-runs
files imported by an older version."""

_MB: Final = 1024 * 1024
_MIN_RECORDS: Final = 2


@dataclass
class _Prepared:
    index: int
    segment: DecodedSession
    start: dt.datetime
    end: dt.datetime
    day: dt.date
    analysis: SessionAnalysis
    parquet: bytes
    source: SourceInfo


class _Outcome(Exception):
    """Ends processing a file early with its final status."""

    def __init__(self, status: FileStatus, reason: str, session_ids: list[int] | None = None):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.session_ids = session_ids or []
        self.decoder: str | None = None


def finish_file(
    file: ImportFile,
    status: FileStatus,
    reason: str = "",
    session_ids: list[int] | None = None,
    decoder: str | None = None,
) -> None:
    """Record the final outcome of a file (the caller commits)."""
    file.status = status
    file.reason = reason[:2000]
    file.session_ids = list(session_ids or [])
    file.decoder = decoder
    file.ingest_version = INGEST_VERSION
    file.processed_at = now_utc()


def import_claimed_fit(file: ImportFile) -> None:
    """Process a claimed FIT file to its final status and commit.

    A database error that may pass (a lock timeout, a lost connection) puts the file back
    to ``pending`` for another try; any other error fails the file with its message, the
    raw bytes kept for ``reprocess``.
    """
    file_id = file.id
    try:
        _import(file)
    except _Outcome as outcome:
        db.session.rollback()
        file = db.session.get_one(ImportFile, file_id)
        finish_file(file, outcome.status, outcome.reason, outcome.session_ids, outcome.decoder)
        db.session.commit()
    except OperationalError as exc:
        db.session.rollback()
        log.warning("database error on import file %s, will retry: %s", file_id, exc)
        file = db.session.get_one(ImportFile, file_id)
        file.status = FileStatus.PENDING
        file.claimed_by = None
        db.session.commit()
        return
    except Exception as exc:
        db.session.rollback()
        log.exception("import file %s failed", file_id)
        file = db.session.get_one(ImportFile, file_id)
        finish_file(file, FileStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        db.session.commit()


def _import(file: ImportFile) -> None:
    runner = db.session.execute(
        sa.select(Runner)
        .join(ImportJob, ImportJob.runner_id == Runner.id)
        .where(ImportJob.id == file.job_id)
    ).scalar_one()
    assert file.sha256 is not None
    limit_mb = context.settings().max_fit_file_mb
    if file.size_bytes > limit_mb * _MB:
        raise _Outcome(
            FileStatus.FAILED,
            f"file too large: {file.size_bytes / _MB:.1f} MB, above MAX_FIT_FILE_MB = {limit_mb:g}",
        )
    _check_not_imported(runner, file.sha256)
    data = blob_store().get(file.sha256)
    try:
        decoded = decode_fit(data)
    except FitDecodeError as exc:
        raise _Outcome(FileStatus.FAILED, str(exc)) from None
    del data
    try:
        prepared = _prepare(decoded, runner)
        _write(file, runner, decoded, prepared)
    except _Outcome as outcome:
        outcome.decoder = decoded.decoder
        raise


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


def _check_not_imported(runner: Runner, sha256: str) -> None:
    """A duplicate by bytes is known before decoding (re-importing an export is cheap)."""
    existing = list(
        db.session.execute(
            sa.select(TrainingSession.id)
            .where(TrainingSession.runner_id == runner.id, TrainingSession.source_sha256 == sha256)
            .order_by(TrainingSession.id)
        ).scalars()
    )
    if existing:
        raise _Outcome(
            FileStatus.DUPLICATE,
            f"the same file was already imported (session {', '.join(map(str, existing))})",
            existing,
        )


def _prepare(decoded: DecodedFile, runner: Runner) -> list[_Prepared]:
    if not decoded.is_activity:
        raise _Outcome(FileStatus.NOT_ACTIVITY, f"a FIT {decoded.file_type} file, not an activity")
    if decoded.time_basis == "device":
        raise _Outcome(
            FileStatus.FAILED,
            "the file has no dates: its times count from the device's power-on and nothing "
            "anchors them to a calendar",
        )
    segments = [(i, s) for i, s in enumerate(decoded.sessions) if _usable(s)]
    if not segments:
        raise _Outcome(FileStatus.FAILED, "an activity without usable records (no timed samples)")
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
            raise _Outcome(FileStatus.FAILED, f"analysis failed: {exc}") from None
        prepared.append(
            _Prepared(
                index, segment, start, end, day, result, records_to_parquet(segment.records), source
            )
        )
    return prepared


def _write(
    file: ImportFile, runner: Runner, decoded: DecodedFile, prepared: list[_Prepared]
) -> None:
    recoverable_commit()
    lock_runner(runner.id, dirty_from=min(p.day for p in prepared))
    new: list[TrainingSession] = []
    overlapping: list[int] = []
    for p in prepared:
        clash = _overlapping(runner.id, p)
        if clash:
            overlapping.extend(clash)
            continue
        new.append(_session(file, runner, decoded, p))
    if not new:
        raise _Outcome(
            FileStatus.DUPLICATE,
            "overlaps an existing session of the same sport "
            f"(session {', '.join(map(str, sorted(set(overlapping))))})",
            sorted(set(overlapping)),
        )
    try:
        db.session.add_all(new)
        db.session.flush()
    except IntegrityError:
        raise _Outcome(
            FileStatus.DUPLICATE, "the same file was imported at the same time by another worker"
        ) from None
    reason = ""
    if overlapping:
        reason = (
            f"{len(overlapping)} segment(s) skipped: they overlap session "
            f"{', '.join(map(str, sorted(set(overlapping))))}"
        )
    finish_file(file, FileStatus.IMPORTED, reason, [s.id for s in new], decoded.decoder)
    db.session.commit()


def _overlapping(runner_id: int, p: _Prepared) -> list[int]:
    return list(
        db.session.execute(
            sa.select(TrainingSession.id).where(
                TrainingSession.runner_id == runner_id,
                TrainingSession.sport == p.segment.sport,
                TrainingSession.start_time < p.end,
                TrainingSession.end_time > p.start,
            )
        ).scalars()
    )


def _session(
    file: ImportFile, runner: Runner, decoded: DecodedFile, p: _Prepared
) -> TrainingSession:
    records_sha = blob_store().put(p.parquet)
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
    assert file.sha256 is not None
    return TrainingSession(
        runner_id=runner.id,
        import_file_id=file.id,
        source_sha256=file.sha256,
        segment_index=p.index,
        sport=seg.sport,
        sub_sport=seg.sub_sport,
        treadmill=is_treadmill(seg.sport, seg.sub_sport),
        counts_for_bests=counts_for_bests(seg.sport, seg.sub_sport),
        start_time=p.start,
        end_time=p.end,
        local_date=p.day,
        utc_offset_s=None if decoded.utc_offset_s is None else int(decoded.utc_offset_s),
        time_basis=decoded.time_basis,
        records_sha256=records_sha,
        record_count=len(seg.records),
        decoder=decoded.decoder,
        device=device,
        device_totals=totals,
        source_info=p.source.as_json(),
        analysed_at=now_utc(),
        **p.analysis.columns(),
    )
