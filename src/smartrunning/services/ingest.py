"""Turning one claimed FIT file into sessions: decode, check, analyse, store.

The heavy part (decoding, analysis, Parquet) runs outside any write transaction; the
result is written in one short transaction under the runner's lock
(``analysis_state.lock_runner``), where duplicates are checked against every committed
session: the same bytes (sha256) for the runner, or an overlapping session of the same
sport. The unique constraint (runner, sha256, segment) is the last guard. The file's
outcome (``imported``, ``duplicate``, ``not_activity``, ``failed`` with a reason) is
written in that same transaction, so a file is imported exactly once or not at all.

Workers take files in small batches (:func:`import_claimed_fits`): every file of the batch
is decoded and analysed first, then all their outcomes and sessions are written in one
transaction under the runner's lock, with a few statements for the whole batch (one
duplicate query, one overlap query, one insert of the record blobs, one of the sessions)
and one commit. Within the batch, files are checked in order against each other as if
committed one by one, so the results are those of importing them one at a time. A worker
killed before the commit leaves all of them claimed, and they are imported again.

Here a session gets the analysis that depends on its records alone; its zone times and
loads, which depend on the parameters valid on its day, are left pending for the
chronological recomputation that completes the job (``services.recompute``): only after
every earlier session is known are those parameters (CS from earlier bests) settled.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from smartrunning.science.fit import DecodedFile, DecodedSession, FitDecodeError, decode_fit
from smartrunning.services import context
from smartrunning.services.analysis import SessionAnalysis, analyse
from smartrunning.services.analysis_gc import paused_gc
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

__all__ = [
    "BATCH_BYTES",
    "INGEST_VERSION",
    "finish_file",
    "import_claimed_fit",
    "import_claimed_fits",
    "local_date",
]

log = logging.getLogger(__name__)

INGEST_VERSION: Final = 1
"""Bump when decoding or segmenting changes what a file becomes; ``reprocess`` re-runs
files imported by an older version."""

_MB: Final = 1024 * 1024
_MIN_RECORDS: Final = 2
BATCH_BYTES: Final = 32 * _MB
"""FIT bytes of a batch decoded before their results are written (bounds the memory)."""


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


@dataclass
class _Result:
    """A file of a batch, processed up to its write: an early outcome, or its segments."""

    file_id: int
    sha256: str
    outcome: _Outcome | None = None
    decoded: DecodedFile | None = None
    prepared: list[_Prepared] = field(default_factory=list)


def import_claimed_fits(files: Sequence[ImportFile]) -> None:
    """Process claimed FIT files to their final status, several per transaction (commits).

    Files are decoded and analysed one after the other outside any transaction; their
    results are written together (at most ``BATCH_BYTES`` of FIT at a time), as described
    in the module docstring. If that write fails, the files are imported one by one
    (:func:`import_claimed_fit`), as a database error that may pass puts them back to
    ``pending``.
    """
    if not files:
        return
    with paused_gc():
        _import_fits(files)


def _import_fits(files: Sequence[ImportFile]) -> None:
    runners = _runners_of({f.job_id for f in files})
    groups: dict[int, list[ImportFile]] = {}
    for file in files:
        groups.setdefault(runners[file.job_id].id, []).append(file)
    for runner_id, group in groups.items():
        runner = runners[group[0].job_id]
        shas = [f.sha256 for f in group if f.sha256 is not None]
        known = _imported(runner_id, shas)
        limit = context.settings().max_fit_file_mb * _MB
        for chunk in _chunks(group):
            todo = [
                f.sha256
                for f in chunk
                if f.sha256 is not None and f.sha256 not in known and f.size_bytes <= limit
            ]
            data = blob_store().get_many(todo)
            _write_batch(runner, [_process(f, runner, known, data) for f in chunk])


def _chunks(files: list[ImportFile]) -> Iterator[list[ImportFile]]:
    """The files in runs of at most ``BATCH_BYTES`` (or one larger file)."""
    chunk: list[ImportFile] = []
    size = 0
    for file in files:
        if chunk and size + file.size_bytes > BATCH_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(file)
        size += file.size_bytes
    if chunk:
        yield chunk


def _runners_of(job_ids: set[int]) -> dict[int, Runner]:
    rows = db.session.execute(
        sa.select(ImportJob.id, Runner)
        .join(Runner, ImportJob.runner_id == Runner.id)
        .where(ImportJob.id.in_(job_ids))
    ).all()
    return {job_id: runner for job_id, runner in rows}


def _imported(runner_id: int, shas: Sequence[str]) -> dict[str, list[int]]:
    """Sessions of the runner from files with these bytes (sha256 → session ids, in order)."""
    found: dict[str, list[int]] = {}
    if not shas:
        return found
    rows = db.session.execute(
        sa.select(TrainingSession.source_sha256, TrainingSession.id)
        .where(
            TrainingSession.runner_id == runner_id,
            TrainingSession.source_sha256.in_(sorted(set(shas))),
        )
        .order_by(TrainingSession.id)
    ).all()
    for sha, session_id in rows:
        found.setdefault(sha, []).append(session_id)
    return found


def _already_imported(ids: list[int]) -> _Outcome:
    return _Outcome(
        FileStatus.DUPLICATE,
        f"the same file was already imported (session {', '.join(map(str, ids))})",
        ids,
    )


def _process(
    file: ImportFile, runner: Runner, known: dict[str, list[int]], blobs: dict[str, bytes]
) -> _Result:
    """Decode and analyse a file of a batch (reads only; nothing is written); its bytes
    from ``blobs`` (read for the batch) or the blob store."""
    assert file.sha256 is not None
    result = _Result(file.id, file.sha256)
    try:
        _check_size(file)
        if file.sha256 in known:
            raise _already_imported(known[file.sha256])
        data = blobs.get(file.sha256)
        if data is None:
            data = blob_store().get(file.sha256)
        try:
            decoded = decode_fit(data)
        except FitDecodeError as exc:
            raise _Outcome(FileStatus.FAILED, str(exc)) from None
        del data
        result.decoded = decoded
        try:
            result.prepared = _prepare(decoded, runner)
        except _Outcome as outcome:
            outcome.decoder = decoded.decoder
            raise
    except _Outcome as outcome:
        result.outcome = outcome
        result.prepared = []
    except Exception as exc:
        log.exception("import file %s failed", file.id)
        result.outcome = _Outcome(FileStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        result.prepared = []
    return result


def _write_batch(runner: Runner, batch: list[_Result]) -> None:
    """Write a batch's outcomes and sessions in one transaction; one by one if that fails."""
    if not batch:
        return
    file_ids = [r.file_id for r in batch]
    try:
        _write_all(runner, batch)
    except OperationalError as exc:
        db.session.rollback()
        log.warning("database error on import files %s, will retry: %s", file_ids, exc)
        db.session.execute(
            sa.update(ImportFile)
            .where(ImportFile.id.in_(file_ids), ImportFile.status == FileStatus.PROCESSING)
            .values(status=FileStatus.PENDING, claimed_by=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("writing import files %s together failed; one by one", file_ids)
        for file_id in file_ids:
            import_claimed_fit(db.session.get_one(ImportFile, file_id, populate_existing=True))


@dataclass
class _New:
    """A session the batch adds: its columns, and its id once inserted."""

    values: dict[str, Any]
    id: int = 0


@dataclass
class _Written:
    """A file's new sessions and clashes (ids known once the batch is inserted)."""

    new: list[_New]
    clashes: list[int | _New]
    same_bytes: bool = False


def _write_all(runner: Runner, batch: list[_Result]) -> None:
    recoverable_commit()
    days = [p.day for r in batch for p in r.prepared]
    if days:
        lock_runner(runner.id, dirty_from=min(days))
    files = {
        f.id: f
        for f in db.session.execute(
            sa.select(ImportFile)
            .where(ImportFile.id.in_([r.file_id for r in batch]))
            .execution_options(populate_existing=True)
        ).scalars()
    }
    # Under the lock: what other workers committed since the check before decoding, and
    # every committed session that may overlap a segment of the batch. Files of the batch
    # are then checked in order, each against these and the earlier files' new sessions.
    known: dict[str, list[int | _New]] = {
        sha: list(ids)
        for sha, ids in _imported(runner.id, [r.sha256 for r in batch if r.prepared]).items()
    }
    existing = _overlap_candidates(runner.id, [p for r in batch for p in r.prepared])
    written: dict[int, _Written] = {}
    stored: list[tuple[_New, bytes]] = []
    for r in batch:
        if not r.prepared:
            continue
        if r.sha256 in known:
            written[r.file_id] = _Written([], known[r.sha256], same_bytes=True)
            continue
        assert r.decoded is not None
        w = written[r.file_id] = _Written([], [])
        for p in r.prepared:
            clash = [
                c
                for c, sport, start, end in existing
                if sport == p.segment.sport and start < p.end and end > p.start
            ]
            if clash:
                w.clashes.extend(clash)
                continue
            new = _New(_session_values(r.file_id, r.sha256, runner.id, r.decoded, p))
            w.new.append(new)
            stored.append((new, p.parquet))
        if w.new:
            known[r.sha256] = list(w.new)
            existing.extend(
                (n, n.values["sport"], n.values["start_time"], n.values["end_time"]) for n in w.new
            )
    if stored:
        _insert_sessions(runner.id, stored)
    for r in batch:
        file = files[r.file_id]
        if r.outcome is not None:
            o = r.outcome
            finish_file(file, o.status, o.reason, o.session_ids, o.decoder)
            continue
        assert r.decoded is not None
        w = written[r.file_id]
        ids = [c if isinstance(c, int) else c.id for c in w.clashes]
        if w.same_bytes:
            o = _already_imported(ids)
        elif not w.new:
            o = _overlaps(sorted(set(ids)))
        else:
            finish_file(
                file,
                FileStatus.IMPORTED,
                _skipped(ids),
                [n.id for n in w.new],
                r.decoded.decoder,
            )
            continue
        finish_file(file, o.status, o.reason, o.session_ids, r.decoded.decoder)
    db.session.commit()


def _insert_sessions(runner_id: int, stored: list[tuple[_New, bytes]]) -> None:
    """Store the record tables, insert the sessions (one statement each) and read their ids.

    The ids are found by (sha256 of the file, segment): unique per runner, and no session
    of these files existed under the lock.
    """
    shas = blob_store().put_many([data for _new, data in stored])
    rows = [
        {**new.values, "records_sha256": sha}
        for (new, _data), sha in zip(stored, shas, strict=True)
    ]
    db.session.execute(sa.insert(TrainingSession), rows)
    found = {
        (sha, segment): session_id
        for session_id, sha, segment in db.session.execute(
            sa.select(
                TrainingSession.id, TrainingSession.source_sha256, TrainingSession.segment_index
            ).where(
                TrainingSession.runner_id == runner_id,
                TrainingSession.source_sha256.in_({n.values["source_sha256"] for n, _d in stored}),
            )
        )
    }
    for new, _data in stored:
        new.id = found[(new.values["source_sha256"], new.values["segment_index"])]


def _overlap_candidates(
    runner_id: int, prepared: list[_Prepared]
) -> list[tuple[int | _New, str, dt.datetime, dt.datetime]]:
    """Committed sessions of the runner overlapping the time span of ``prepared``."""
    if not prepared:
        return []
    rows = db.session.execute(
        sa.select(
            TrainingSession.id,
            TrainingSession.sport,
            TrainingSession.start_time,
            TrainingSession.end_time,
        ).where(
            TrainingSession.runner_id == runner_id,
            TrainingSession.start_time < max(p.end for p in prepared),
            TrainingSession.end_time > min(p.start for p in prepared),
        )
    ).all()
    return [(i, sport, start, end) for i, sport, start, end in rows]


def _overlaps(ids: list[int]) -> _Outcome:
    return _Outcome(
        FileStatus.DUPLICATE,
        f"overlaps an existing session of the same sport (session {', '.join(map(str, ids))})",
        ids,
    )


def _skipped(overlapping: list[int]) -> str:
    if not overlapping:
        return ""
    return (
        f"{len(overlapping)} segment(s) skipped: they overlap session "
        f"{', '.join(map(str, sorted(set(overlapping))))}"
    )


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
    runner = _runners_of({file.job_id})[file.job_id]
    assert file.sha256 is not None
    _check_size(file)
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


def _check_size(file: ImportFile) -> None:
    limit_mb = context.settings().max_fit_file_mb
    if file.size_bytes > limit_mb * _MB:
        raise _Outcome(
            FileStatus.FAILED,
            f"file too large: {file.size_bytes / _MB:.1f} MB, above MAX_FIT_FILE_MB = {limit_mb:g}",
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


def _check_not_imported(runner: Runner, sha256: str) -> None:
    """A duplicate by bytes is known before decoding (re-importing an export is cheap)."""
    existing = _imported(runner.id, [sha256]).get(sha256)
    if existing:
        raise _already_imported(existing)


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
        raise _overlaps(sorted(set(overlapping)))
    try:
        db.session.add_all(new)
        db.session.flush()
    except IntegrityError:
        raise _Outcome(
            FileStatus.DUPLICATE, "the same file was imported at the same time by another worker"
        ) from None
    finish_file(
        file, FileStatus.IMPORTED, _skipped(overlapping), [s.id for s in new], decoded.decoder
    )
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
    """The new session of segment ``p``, its records stored."""
    assert file.sha256 is not None
    values = _session_values(file.id, file.sha256, runner.id, decoded, p)
    return TrainingSession(records_sha256=blob_store().put(p.parquet), **values)


def _session_values(
    file_id: int, sha256: str, runner_id: int, decoded: DecodedFile, p: _Prepared
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
