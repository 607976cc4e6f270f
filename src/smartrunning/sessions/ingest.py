"""Turning claimed FIT files into sessions, a batch at a time: decode, check, analyse, store.

The heavy part (unwrapping a ``.fit.gz``, decoding, analysis, Parquet) runs outside any
write transaction; the results are written in one short transaction under the runner's
lock (``analysis_state.lock_runner``), where ``duplicates`` sorts out which segments
become new sessions (the same bytes, or an activity recorded twice). Each file's outcome
(``imported``, ``duplicate``, ``not_activity``, ``failed`` with a reason: ``outcomes``) is
written in that same transaction, so a file is imported exactly once or not at all.

Every FIT file is written this way, a file uploaded alone as a batch of one. Workers take
files in small batches (:func:`import_claimed_fits`): every file of the batch is decoded
and analysed first, then all their outcomes and sessions are written in one transaction
under the runner's lock, with a few statements for the whole batch (one query for
duplicates and overlaps, one insert of the record blobs, one of the sessions returning
their ids, one update of the files' outcomes) and one commit. A worker killed before the
commit leaves all of them claimed, and they are imported again. A batch whose write fails
for another reason than the database is written again one file at a time, each a batch
of one in its own transaction with the same checks, so one bad file fails alone with its
reason and the others are imported.

Here a session gets the analysis that depends on its records alone; its zone times and
loads, which depend on the parameters valid on its day, are left pending for the
chronological recomputation that completes the job (``recompute``): only after every
earlier session is known are those parameters (CS from earlier bests) settled.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import io
import logging
import math
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from smartrunning.athletes.models import Runner
from smartrunning.platform import clock, context
from smartrunning.platform.blobs import blob_store, sha256_of
from smartrunning.platform.db import db, now_utc
from smartrunning.platform.gc import paused_gc
from smartrunning.platform.softdelete import INCLUDE_DELETED
from smartrunning.science.analysis import SessionAnalysis, SourceInfo, analyse, json_safe
from smartrunning.science.fit import DecodedFile, DecodedSession, FitDecodeError, decode_fit
from smartrunning.science.plausibility import Flag, PlausibilityLimits, check_session
from smartrunning.science.sports import counts_for_bests, is_treadmill
from smartrunning.sessions import actions as session_services
from smartrunning.sessions import duplicates
from smartrunning.sessions.analysis_inputs import configured_limits
from smartrunning.sessions.analysis_state import lock_runner, recoverable_commit
from smartrunning.sessions.duplicates import already_imported, overlaps, skipped_reason
from smartrunning.sessions.file_checks import HEAD_BYTES, MB, is_gzip, refusal, too_large
from smartrunning.sessions.models import FileStatus, ImportFile, ImportJob, TrainingSession
from smartrunning.sessions.outcomes import Outcome, finish_file, outcome_values
from smartrunning.sessions.parquet import records_to_parquet

__all__ = [
    "BATCH_BYTES",
    "BeforeCommit",
    "Prepared",
    "decode",
    "import_claimed_fits",
    "local_date",
    "plausibility_limits",
    "prepare",
    "session_end",
    "session_values",
    "unwrap",
]

log = logging.getLogger(__name__)

BATCH_BYTES: Final = 32 * MB
"""FIT bytes of a batch decoded before their results are written (bounds the memory)."""
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


BeforeCommit = Callable[[Runner, set[int], dt.date | None], list[int]]
"""Called by a batch's write transaction just before it commits, under the runner's lock:
(the runner, the jobs of the batch's files, the runner's earliest stale day as the lock
returned it). The job runner completes there the jobs whose last files the batch wrote
(``jobs.run_files``) and returns them; it must not raise for anything but the database."""


# Built once, as every batch runs it (building a statement costs more than running it).
_RUNNERS = (
    sa.select(ImportJob.id, Runner)
    .join(Runner, ImportJob.runner_id == Runner.id)
    .where(ImportJob.id.in_(sa.bindparam("job_ids", expanding=True)))
)


def runners_of(job_ids: set[int]) -> dict[int, Runner]:
    """The runner of each job (job id → runner), in one query."""
    rows = db.session.execute(_RUNNERS, {"job_ids": sorted(job_ids)}).all()
    return {job_id: runner for job_id, runner in rows}


def decode(data: bytes) -> DecodedFile:
    """``decode_fit``, a file it cannot read failing with the decoder's reason. A file
    damaged part of the way through is decoded up to the damage (``salvage``): its
    sessions are imported, the file's reason says it is partial (issue #16)."""
    try:
        return decode_fit(data, salvage=True)
    except FitDecodeError as exc:
        raise Outcome(FileStatus.FAILED, str(exc)) from None


def check_size(file: ImportFile) -> None:
    """Refuse a file above ``MAX_FIT_FILE_MB`` (its bytes are then not kept)."""
    if file.size_bytes > context.settings().max_fit_file_mb * MB:
        raise Outcome(FileStatus.FAILED, too_large(file.size_bytes), refused=True)


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
        raise Outcome(
            FileStatus.NOT_ACTIVITY, f"a FIT {decoded.kind_in_words} file, not an activity"
        )
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


# --- batches ---------------------------------------------------------------------------


@dataclass
class _Result:
    """A file of a batch, processed up to its write: an early outcome, or its segments."""

    file_id: int
    sha256: str
    """Of the FIT bytes (a ``.fit.gz`` is judged by what it holds); the file's own blob is
    ``blob_sha256``."""
    blob_sha256: str
    outcome: Outcome | None = None
    decoded: DecodedFile | None = None
    prepared: list[Prepared] = field(default_factory=list)


def import_claimed_fits(
    files: Sequence[ImportFile], *, before_commit: BeforeCommit | None = None
) -> list[int]:
    """Process claimed FIT files to their final status, several per transaction (commits).

    Files are decoded and analysed one after the other outside any transaction; their
    results are written together (at most ``BATCH_BYTES`` of FIT at a time), as described
    in the module docstring. If that write fails, the files are written one by one, as a
    database error that may pass puts them back to ``pending``. ``before_commit`` runs in
    each write transaction, under the runner's lock, just before it commits; returns the
    jobs it completed in the transactions that committed.
    """
    if not files:
        return []
    with paused_gc():
        return _import_fits(files, before_commit)


def _import_fits(files: Sequence[ImportFile], before_commit: BeforeCommit | None) -> list[int]:
    runners = runners_of({f.job_id for f in files})
    completed: list[int] = []
    groups: dict[int, list[ImportFile]] = {}
    for file in files:
        groups.setdefault(runners[file.job_id].id, []).append(file)
    for runner_id, group in groups.items():
        runner = runners[group[0].job_id]
        shas = [f.sha256 for f in group if f.sha256 is not None]
        known = duplicates.imported_sessions(runner_id, shas)
        limit = context.settings().max_fit_file_mb * MB
        for chunk in _chunks(group):
            todo = [
                f.sha256
                for f in chunk
                if f.sha256 is not None and f.sha256 not in known and f.size_bytes <= limit
            ]
            data = blob_store().get_many(todo)
            batch = [_process(f, runner, known, data) for f in chunk]
            job_ids = {f.job_id for f in chunk}
            hook = None
            if before_commit is not None:
                hook = functools.partial(before_commit, runner, job_ids)
            completed.extend(_write_batch(runner, batch, hook))
    return completed


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


def _process(
    file: ImportFile, runner: Runner, known: dict[str, list[int]], blobs: dict[str, bytes]
) -> _Result:
    """Decode and analyse a file of a batch (reads only; nothing is written); its bytes
    from ``blobs`` (read for the batch) or the blob store."""
    assert file.sha256 is not None
    result = _Result(file.id, file.sha256, file.sha256)
    try:
        check_size(file)
        if file.sha256 in known:
            raise already_imported(known[file.sha256])
        data = blobs.get(file.sha256)
        if data is None:
            data = blob_store().get(file.sha256)
        fit = unwrap(data)
        if fit is not data:
            result.sha256 = sha256_of(fit)
        del data
        decoded = decode(fit)
        del fit
        result.decoded = decoded
        try:
            result.prepared = prepare(decoded, runner)
        except Outcome as outcome:
            outcome.decoder = decoded.decoder
            raise
    except Outcome as outcome:
        result.outcome = outcome
        result.prepared = []
    except Exception as exc:
        log.exception("import file %s failed", file.id)
        result.outcome = Outcome(FileStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}")
        result.prepared = []
    return result


_Hook = Callable[[dt.date | None], list[int]]
"""``BeforeCommit`` with its runner and jobs given: called with the stale day."""


def _write_batch(runner: Runner, batch: list[_Result], hook: _Hook | None = None) -> list[int]:
    """Write a batch's outcomes and sessions in one transaction; one by one if that fails
    (a batch of one is written once more in a fresh transaction). Returns the jobs the
    hook completed in a transaction that committed."""
    if not batch:
        return []
    try:
        return _write_all(runner, batch, hook)
    except OperationalError as exc:
        _retry_later([r.file_id for r in batch], exc)
        return []
    except Exception:
        db.session.rollback()
        log.exception(
            "writing import files %s together failed; one by one", [r.file_id for r in batch]
        )
        return [job for result in batch for job in _write_alone(runner, result, hook)]


def _write_alone(runner: Runner, result: _Result, hook: _Hook | None) -> list[int]:
    """Write one file as a batch of one in its own transaction. A database error that may
    pass puts it back to ``pending``; any other error fails it with its message, the raw
    bytes kept for ``reprocess``."""
    try:
        return _write_all(runner, [result], hook)
    except OperationalError as exc:
        _retry_later([result.file_id], exc)
    except IntegrityError:
        db.session.rollback()
        _finish_alone(
            result.file_id,
            Outcome(
                FileStatus.DUPLICATE,
                "the same file was imported at the same time by another worker",
            ),
        )
    except Exception as exc:
        db.session.rollback()
        log.exception("import file %s failed", result.file_id)
        _finish_alone(
            result.file_id,
            Outcome(FileStatus.FAILED, f"internal error: {type(exc).__name__}: {exc}"),
        )
    return []


def _finish_alone(file_id: int, outcome: Outcome) -> None:
    _set_outcomes([(file_id, outcome)])
    db.session.commit()


_OUTCOME = sa.update(ImportFile).where(ImportFile.id == sa.bindparam("file_id"))
"""A file's outcome, its columns given with the parameters (built once)."""


def _set_outcomes(outcomes: list[tuple[int, Outcome]]) -> None:
    """Write the final outcomes of files (file id, outcome), one statement for them all, on
    the session's connection (plain SQL: the ORM's bookkeeping of a bulk update costs more
    than the statement)."""
    db.session.connection().execute(
        _OUTCOME,
        [
            {"file_id": file_id, **outcome_values(o.status, o.reason, o.session_ids, o.decoder)}
            for file_id, o in outcomes
        ],
    )


def _retry_later(file_ids: list[int], exc: OperationalError) -> None:
    """Put files back to ``pending`` after a database error that may pass (a lock timeout,
    a lost connection); the sweep queues them again."""
    db.session.rollback()
    log.warning("database error on import files %s, will retry: %s", file_ids, exc)
    db.session.execute(
        sa.update(ImportFile)
        .where(ImportFile.id.in_(file_ids), ImportFile.status == FileStatus.PROCESSING)
        .values(status=FileStatus.PENDING, claimed_by=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _write_all(runner: Runner, batch: list[_Result], hook: _Hook | None = None) -> list[int]:
    recoverable_commit()
    prepared = [p for r in batch for p in r.prepared]
    dirty = None
    if prepared or hook is not None:
        first = min(p.day for p in prepared) if prepared else None
        dirty = lock_runner(runner.id, dirty_from=first)
    candidates = [
        duplicates.Candidate(
            r.file_id,
            r.sha256,
            [
                duplicates.Segment(
                    r.file_id,
                    p.index,
                    p.segment.sport,
                    p.start,
                    p.end,
                    bool(p.flags),  # held: values no runner produces
                    len(p.segment.records),
                )
                for p in r.prepared
            ],
        )
        for r in batch
        if r.prepared
    ]
    verdicts, kept, replaced = duplicates.sort_out(runner.id, candidates)
    if kept:
        _insert_sessions(runner, {r.file_id: r for r in batch}, kept)
    _replace_committed(replaced, verdicts)
    outcomes: list[tuple[int, Outcome]] = []
    for r in batch:
        if r.outcome is not None:
            outcomes.append((r.file_id, r.outcome))
            continue
        assert r.decoded is not None
        v = verdicts[r.file_id]
        ids = [c if isinstance(c, int) else c.id for c in v.clashes]
        if v.same_bytes:
            o = already_imported(ids)
        elif not v.new:
            o = overlaps(sorted(set(ids)))
        else:
            reason = skipped_reason(ids)
            if r.decoded.partial:
                partial = f"partial file, {r.decoded.partial}"
                reason = f"{partial}; {reason}" if reason else partial
            if v.replaced:
                replaced_ids = ", ".join(map(str, sorted(v.replaced)))
                reason = f"{reason}; " if reason else ""
                reason += f"a fuller recording than session {replaced_ids} (replaced)"
            o = Outcome(FileStatus.IMPORTED, reason, [s.id for s in v.new])
        o.decoder = r.decoded.decoder
        outcomes.append((r.file_id, o))
    _set_outcomes(outcomes)
    refused = [r for r in batch if r.outcome is not None and r.outcome.refused]
    drop_bytes([r.file_id for r in refused], {r.blob_sha256 for r in refused})
    completed = hook(dirty) if hook is not None else []
    db.session.commit()
    return completed


def _replace_committed(
    replaced: list[tuple[duplicates.Span, duplicates.Segment]],
    verdicts: dict[int, duplicates.Verdict],
) -> None:
    """Delete committed sessions a fuller recording of the batch replaces (with what they
    caused: bests, their day's loads), and tell their files which session took their place."""
    for loser, winner in replaced:
        assert isinstance(loser.id, int)
        verdicts[winner.file_id].replaced.append(loser.id)
        session_services.delete_session_by_id(loser.id, recompute_now=False, permanently=True)
        if loser.file_id is None:
            continue
        file = db.session.get(ImportFile, loser.file_id)
        if file is None:
            continue
        left = [i for i in file.session_ids or [] if i != loser.id]
        if left:
            file.session_ids = left
            file.reason = (
                f"{file.reason}; " if file.reason else ""
            ) + f"session {loser.id} replaced by session {winner.id}, a fuller recording"
        else:
            outcome = Outcome(
                FileStatus.DUPLICATE,
                f"overlaps session {winner.id}, a fuller recording of the same activity "
                f"uploaded later (session {loser.id} replaced)",
                [winner.id],
            )
            finish_file(file, outcome.status, outcome.reason, outcome.session_ids, file.decoder)
    if replaced:
        db.session.flush()


_INSERT_SESSIONS = sa.insert(TrainingSession).returning(
    TrainingSession.id, TrainingSession.source_sha256, TrainingSession.segment_index
)


def _insert_sessions(
    runner: Runner, results: dict[int, _Result], kept: list[duplicates.Segment]
) -> None:
    """Store the record tables and insert the sessions of the segments kept, one statement
    each; the insert returns each new id with its (sha256 of the file, segment), unique per
    runner. It runs on the session's connection: plain SQL, without the ORM's bookkeeping
    of each row."""
    rows = []
    tables = []
    for segment in kept:
        r = results[segment.file_id]
        assert r.decoded is not None
        p = next(p for p in r.prepared if p.index == segment.index)
        rows.append(session_values(r.file_id, r.sha256, runner.id, r.decoded, p))
        tables.append(p.parquet)
    shas = blob_store().put_many(tables)
    for row, sha in zip(rows, shas, strict=True):
        row["records_sha256"] = sha
    found = {
        (sha, segment): session_id
        for session_id, sha, segment in db.session.connection().execute(_INSERT_SESSIONS, rows)
    }
    for segment, row in zip(kept, rows, strict=True):
        segment.id = found[(row["source_sha256"], row["segment_index"])]
