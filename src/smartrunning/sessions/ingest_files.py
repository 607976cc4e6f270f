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
import gzip
import io
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.platform import clock, context
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.softdelete import INCLUDE_DELETED
from smartrunning.science.analysis import SessionAnalysis, SourceInfo, analyse, json_safe
from smartrunning.science.fit import DecodedFile, DecodedSession, FitDecodeError, decode_fit
from smartrunning.science.plausibility import Flag, PlausibilityLimits, check_session
from smartrunning.science.sports import counts_for_bests, is_treadmill
from smartrunning.sessions.analysis_inputs import configured_limits
from smartrunning.sessions.analysis_state import mark_dirty
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
    "drop_bytes",
    "finish_file",
    "imported_sessions",
    "is_gzip",
    "local_date",
    "outcome_values",
    "overlaps",
    "plausibility_limits",
    "prepare",
    "refusal",
    "runners_of",
    "session_end",
    "session_values",
    "skipped_reason",
    "unwrap",
]

INGEST_VERSION: Final = 2
"""Bump when decoding or segmenting changes what a file becomes; ``reprocess`` re-runs
files imported by an older version. 2: values no runner produces flag a session (held),
overlaps keep the fuller recording, ``.fit.gz`` is read."""

MB: Final = 1024 * 1024
_MIN_RECORDS: Final = 2
_SPAN_SLACK_S: Final = 60.0


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
    flags: tuple[Flag, ...] = ()
    """Values no runner produces (``science.plausibility``): the session is held."""


class Outcome(Exception):
    """Ends processing a file early with its final status.

    ``refused``: the bytes are not kept (too large, not a FIT file, a gzip bomb): they can
    never become a session, so they take no space in the blob store or the quotas.
    """

    def __init__(
        self,
        status: FileStatus,
        reason: str,
        session_ids: list[int] | None = None,
        *,
        refused: bool = False,
    ):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.session_ids = session_ids or []
        self.decoder: str | None = None
        self.refused = refused


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
    sa.select(
        TrainingSession.source_sha256,
        TrainingSession.id,
        TrainingSession.deleted_at,
        TrainingSession.local_date,
    )
    .where(
        TrainingSession.runner_id == sa.bindparam("runner"),
        TrainingSession.source_sha256.in_(sa.bindparam("shas", expanding=True)),
    )
    .order_by(TrainingSession.id)
    .execution_options(**{INCLUDE_DELETED: True})
)


def runners_of(job_ids: set[int]) -> dict[int, Runner]:
    """The runner of each job (job id → runner), in one query."""
    rows = db.session.execute(_RUNNERS, {"job_ids": sorted(job_ids)}).all()
    return {job_id: runner for job_id, runner in rows}


def imported_sessions(runner_id: int, shas: Sequence[str]) -> dict[str, list[int]]:
    """Sessions of the runner from files with these bytes (sha256 → session ids, in order).

    A session deleted and not yet purged (within its undo window) comes back: uploading the
    same file again restores it, and its day is marked for recomputation."""
    found: dict[str, list[int]] = {}
    if not shas:
        return found
    rows = db.session.execute(_IMPORTED, {"runner": runner_id, "shas": sorted(set(shas))}).all()
    restored: list[int] = []
    for sha, session_id, deleted_at, day in rows:
        found.setdefault(sha, []).append(session_id)
        if deleted_at is not None:
            restored.append(session_id)
            mark_dirty(runner_id, day)
    if restored:
        db.session.execute(
            sa.update(TrainingSession)
            .where(TrainingSession.id.in_(restored))
            .values(deleted_at=None)
            .execution_options(synchronize_session="fetch")
        )
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
    """``decode_fit``, a file it cannot read failing with the decoder's reason. A file
    damaged part of the way through is decoded up to the damage (``salvage``): its
    sessions are imported, the file's reason says it is partial (issue #16)."""
    try:
        return decode_fit(data, salvage=True)
    except FitDecodeError as exc:
        raise Outcome(FileStatus.FAILED, str(exc)) from None


_GZIP_MAGIC: Final = b"\x1f\x8b"
_FIT_SIGNATURE: Final = b".FIT"
HEAD_BYTES: Final = 14
"""Bytes of a file's start that :func:`refusal` and :func:`is_gzip` look at."""


def is_gzip(head: bytes) -> bool:
    """Whether bytes starting with ``head`` are gzip-compressed (``.fit.gz``, as Strava
    exports activities)."""
    return head[:2] == _GZIP_MAGIC


def _too_large(size: int, what: str = "file") -> str:
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
        return _too_large(size)
    if is_gzip(head):
        return None
    if len(head) < 12 or head[8:12] != _FIT_SIGNATURE:
        return "not a FIT file: no FIT header (12 or 14 bytes ending in '.FIT'); not kept"
    return None


def check_size(file: ImportFile) -> None:
    """Refuse a file above ``MAX_FIT_FILE_MB`` (its bytes are then not kept)."""
    if file.size_bytes > context.settings().max_fit_file_mb * MB:
        raise Outcome(FileStatus.FAILED, _too_large(file.size_bytes), refused=True)


def unwrap(data: bytes) -> bytes:
    """The FIT bytes of a file: gzip-compressed ones decompressed, at most
    ``MAX_FIT_FILE_MB`` of them (a gzip bomb is refused as soon as its output passes the
    limit, never inflated whole); others as they are. Refuses (an :class:`Outcome`) what can
    never be a FIT activity (:func:`refusal`)."""
    if is_gzip(data):
        limit = int(context.settings().max_fit_file_mb * MB)
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                data = stream.read(limit + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise Outcome(
                FileStatus.FAILED, f"not a readable gzip file: {exc}; not kept", refused=True
            ) from None
        if len(data) > limit:
            raise Outcome(
                FileStatus.FAILED,
                f"gzip bomb? it expands to more than MAX_FIT_FILE_MB = "
                f"{context.settings().max_fit_file_mb:g}; not kept",
                refused=True,
            )
        if is_gzip(data):
            raise Outcome(FileStatus.FAILED, "gzip inside gzip; not kept", refused=True)
    why = refusal(data[:HEAD_BYTES], len(data))
    if why is not None:
        raise Outcome(FileStatus.FAILED, why, refused=True)
    return data


_FILE_BLOBS = sa.select(ImportFile.sha256).where(
    ImportFile.sha256.in_(sa.bindparam("shas", expanding=True))
)
_RECORD_BLOBS = (
    sa.select(TrainingSession.records_sha256)
    .where(TrainingSession.records_sha256.in_(sa.bindparam("shas", expanding=True)))
    .execution_options(**{INCLUDE_DELETED: True})
)


def drop_bytes(file_ids: list[int], shas: set[str]) -> None:
    """Forget the kept bytes of refused files: their rows lose their ``sha256``, and each
    blob no other file or session names is deleted (the caller commits)."""
    if not file_ids:
        return
    db.session.execute(
        sa.update(ImportFile)
        .where(ImportFile.id.in_(file_ids))
        .values(sha256=None)
        .execution_options(synchronize_session=False)
    )
    if not shas:
        return
    params = {"shas": sorted(shas)}
    used = set(db.session.execute(_FILE_BLOBS, params).scalars())
    used |= set(db.session.execute(_RECORD_BLOBS, params).scalars())
    for sha in sorted(shas - used):
        blob_store().delete(sha)


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


def plausibility_limits() -> PlausibilityLimits:
    """The limits of values no runner produces, from the configuration."""
    s = context.settings()
    return PlausibilityLimits(
        max_foot_speed_mps=s.max_running_speed_mps,
        speed_window_s=s.speed_window_s,
        hr_min_bpm=s.hr_min_bpm,
        hr_max_bpm=s.hr_max_bpm,
        hr_outside_s=s.hr_outside_s,
        earliest=dt.datetime.combine(s.earliest_session_date, dt.time(), tzinfo=dt.UTC),
        future_tolerance_s=s.future_tolerance_h * 3600.0,
    )


def session_end(segment: DecodedSession, start: dt.datetime) -> dt.datetime:
    """The end of a session's time span, the one duplicates and overlaps are judged on: its
    last record, but no later than the device's own elapsed time from its start (+ 1 min)
    when the device wrote it. Records whose clock jumped (days, years ahead) then do not
    stretch the span over other sessions."""
    records_end = dt.datetime.fromtimestamp(float(np.nanmax(segment.records.timestamp_s)), dt.UTC)
    end = records_end
    elapsed = segment.totals.total_elapsed_time_s if segment.totals else None
    if elapsed is not None and math.isfinite(elapsed) and elapsed > 0:
        end = min(end, start + dt.timedelta(seconds=elapsed + _SPAN_SLACK_S))
    return max(start + dt.timedelta(seconds=1), end)


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
    plausible = plausibility_limits()
    now = clock.now()
    prepared = []
    for index, segment in segments:
        assert segment.start_time is not None
        start = segment.start_time
        end = session_end(segment, start)
        day = local_date(start, decoded)
        source = SourceInfo.from_decoded(segment, start)
        try:
            result = analyse(segment.records, source, limits)
        except ValueError as exc:
            raise Outcome(FileStatus.FAILED, f"analysis failed: {exc}") from None
        flags = check_session(
            segment.records,
            sport=segment.sport,
            start=start,
            now=now,
            limits=plausible,
            device_avg_hr_bpm=segment.totals.avg_heart_rate_bpm if segment.totals else None,
        )
        prepared.append(
            Prepared(
                index,
                segment,
                start,
                end,
                day,
                result,
                records_to_parquet(segment.records),
                source,
                flags,
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
        "flags": [f.as_json() for f in p.flags],
        "held": bool(p.flags),
        **p.analysis.columns(),
    }
