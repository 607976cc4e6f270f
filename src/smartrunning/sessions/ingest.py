"""Turning claimed FIT files into sessions, a batch at a time: decode, check, analyse, store.

The heavy part (decoding, analysis, Parquet: ``sessions.ingest_files``) runs outside any
write transaction; the results are written in one short transaction under the runner's
lock (``analysis_state.lock_runner``), where duplicates are checked against every
committed session: the same bytes (sha256) for the runner, or an overlapping session of
the same sport (one activity recorded twice: the fuller recording, with more records, is
kept and replaces one imported before it, so the order of uploads never decides; a held
session and a plausible one never clash). The unique constraint (runner, sha256, segment)
is the last guard. Each
file's outcome (``imported``, ``duplicate``, ``not_activity``, ``failed`` with a reason)
is written in that same transaction, so a file is imported exactly once or not at all.

Every FIT file is written this way, a file uploaded alone as a batch of one. Workers take
files in small batches (:func:`import_claimed_fits`): every file of the batch is decoded
and analysed first, then all their outcomes and sessions are written in one transaction
under the runner's lock, with a few statements for the whole batch (one query for
duplicates and overlaps, one insert of the record blobs, one of the sessions returning
their ids, one update of the files' outcomes) and one commit. Within the batch, files are
checked in order against each other as if committed one by one, so the results are those
of importing them one at a time. A worker killed before the commit leaves all of them
claimed, and they are imported again. A batch whose write fails for another reason than
the database is written again one file at a time, each a batch of one in its own
transaction with the same checks, so one bad file fails alone with its reason and the
others are imported.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from smartrunning.athletes.models import Runner
from smartrunning.platform import context
from smartrunning.platform.blobs import blob_store, sha256_of
from smartrunning.platform.db import db
from smartrunning.platform.gc import paused_gc
from smartrunning.science.fit import DecodedFile
from smartrunning.sessions import actions as session_services
from smartrunning.sessions.analysis_state import (
    lock_runner,
    recoverable_commit,
)
from smartrunning.sessions.ingest_files import (
    MB,
    Outcome,
    Prepared,
    already_imported,
    check_size,
    decode,
    drop_bytes,
    finish_file,
    imported_sessions,
    outcome_values,
    overlaps,
    prepare,
    runners_of,
    session_values,
    skipped_reason,
    unwrap,
)
from smartrunning.sessions.models import (
    FileStatus,
    ImportFile,
    TrainingSession,
)

__all__ = ["BATCH_BYTES", "import_claimed_fits"]

log = logging.getLogger(__name__)

BATCH_BYTES: Final = 32 * MB
"""FIT bytes of a batch decoded before their results are written (bounds the memory)."""


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


def import_claimed_fits(files: Sequence[ImportFile]) -> None:
    """Process claimed FIT files to their final status, several per transaction (commits).

    Files are decoded and analysed one after the other outside any transaction; their
    results are written together (at most ``BATCH_BYTES`` of FIT at a time), as described
    in the module docstring. If that write fails, the files are written one by one, as a
    database error that may pass puts them back to ``pending``.
    """
    if not files:
        return
    with paused_gc():
        _import_fits(files)


def _import_fits(files: Sequence[ImportFile]) -> None:
    runners = runners_of({f.job_id for f in files})
    groups: dict[int, list[ImportFile]] = {}
    for file in files:
        groups.setdefault(runners[file.job_id].id, []).append(file)
    for runner_id, group in groups.items():
        runner = runners[group[0].job_id]
        shas = [f.sha256 for f in group if f.sha256 is not None]
        known = imported_sessions(runner_id, shas)
        limit = context.settings().max_fit_file_mb * MB
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


def _write_batch(runner: Runner, batch: list[_Result]) -> None:
    """Write a batch's outcomes and sessions in one transaction; one by one if that fails
    (a batch of one is written once more in a fresh transaction)."""
    if not batch:
        return
    try:
        _write_all(runner, batch)
    except OperationalError as exc:
        _retry_later([r.file_id for r in batch], exc)
    except Exception:
        db.session.rollback()
        log.exception(
            "writing import files %s together failed; one by one", [r.file_id for r in batch]
        )
        for result in batch:
            _write_alone(runner, result)


def _write_alone(runner: Runner, result: _Result) -> None:
    """Write one file as a batch of one in its own transaction. A database error that may
    pass puts it back to ``pending``; any other error fails it with its message, the raw
    bytes kept for ``reprocess``."""
    try:
        _write_all(runner, [result])
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


@dataclass
class _New:
    """A session the batch adds: its columns, and its id once inserted."""

    values: dict[str, Any]
    id: int = 0
    file_id: int = 0


@dataclass
class _Written:
    """A file's new sessions and clashes (ids known once the batch is inserted)."""

    new: list[_New]
    clashes: list[int | _New]
    same_bytes: bool = False
    replaced: list[int] = field(default_factory=list)


@dataclass
class _Span:
    """A session a segment of the batch may overlap, committed (``id`` an int, its file
    ``file_id``) or new in this batch."""

    id: int | _New
    sport: str
    start: dt.datetime
    end: dt.datetime
    held: bool
    rank: tuple[int, str, int]
    file_id: int | None


def _rank(record_count: int, sha256: str, segment: int) -> tuple[int, str, int]:
    """Which of two overlapping recordings of the same time is kept, whatever the order
    they came in: the one with more records (the fuller recording), then by content."""
    return (record_count, sha256, -segment)


def _write_all(runner: Runner, batch: list[_Result]) -> None:
    recoverable_commit()
    prepared = [p for r in batch for p in r.prepared]
    if prepared:
        lock_runner(runner.id, dirty_from=min(p.day for p in prepared))
    # Under the lock: what other workers committed since the check before decoding, and
    # every committed session that may overlap a segment of the batch. Files of the batch
    # are then checked in order, each against these and the earlier files' new sessions.
    known, existing = _committed(runner.id, [r.sha256 for r in batch if r.prepared], prepared)
    written: dict[int, _Written] = {}
    stored: list[tuple[_New, bytes]] = []
    superseded: list[tuple[_Span, _New]] = []
    for r in batch:
        if not r.prepared:
            continue
        if r.sha256 in known:
            written[r.file_id] = _Written([], known[r.sha256], same_bytes=True)
            continue
        assert r.decoded is not None
        w = written[r.file_id] = _Written([], [])
        for p in r.prepared:
            # Overlapping sessions of the same sport are one activity recorded twice: the
            # fuller recording is kept (``_rank``), so the result does not depend on the
            # order of the uploads. A held session (values no runner produces) and a
            # plausible one never make each other duplicates: both are kept, the held one
            # for a person to confirm or delete.
            held = bool(p.flags)
            rank = _rank(len(p.segment.records), r.sha256, p.index)
            clash = [
                e
                for e in existing
                if e.sport == p.segment.sport and e.start < p.end and e.end > p.start
                if e.held == held
            ]
            winners = [e for e in clash if e.rank >= rank]
            if winners:
                w.clashes.extend(e.id for e in winners)
                continue
            new = _New(session_values(r.file_id, r.sha256, runner.id, r.decoded, p))
            new.file_id = r.file_id
            w.new.append(new)
            stored.append((new, p.parquet))
            for e in clash:
                existing.remove(e)
                superseded.append((e, new))
            existing.append(_Span(new, p.segment.sport, p.start, p.end, held, rank, r.file_id))
        if w.new:
            known[r.sha256] = list(w.new)
    for loser, winner in superseded:  # a new session of the batch gave way: forget it
        if isinstance(loser.id, _New):
            w = written[loser.id.file_id]
            w.new.remove(loser.id)
            w.clashes.append(winner)
            stored[:] = [(n, data) for n, data in stored if n is not loser.id]
    if stored:
        _insert_sessions(stored)
    _replace_committed(runner, [(e, n) for e, n in superseded if isinstance(e.id, int)], written)
    outcomes: list[tuple[int, Outcome]] = []
    for r in batch:
        if r.outcome is not None:
            outcomes.append((r.file_id, r.outcome))
            continue
        assert r.decoded is not None
        w = written[r.file_id]
        ids = [c if isinstance(c, int) else c.id for c in w.clashes]
        if w.same_bytes:
            o = already_imported(ids)
        elif not w.new:
            o = overlaps(sorted(set(ids)))
        else:
            reason = skipped_reason(ids)
            if r.decoded.partial:
                partial = f"partial file, {r.decoded.partial}"
                reason = f"{partial}; {reason}" if reason else partial
            if w.replaced:
                replaced = ", ".join(map(str, sorted(w.replaced)))
                reason = f"{reason}; " if reason else ""
                reason += f"a fuller recording than session {replaced} (replaced)"
            o = Outcome(FileStatus.IMPORTED, reason, [n.id for n in w.new])
        o.decoder = r.decoded.decoder
        outcomes.append((r.file_id, o))
    _set_outcomes(outcomes)
    refused = [r for r in batch if r.outcome is not None and r.outcome.refused]
    drop_bytes([r.file_id for r in refused], {r.blob_sha256 for r in refused})
    db.session.commit()


def _replace_committed(
    runner: Runner, replaced: list[tuple[_Span, _New]], written: dict[int, _Written]
) -> None:
    """Delete committed sessions a fuller recording of the batch replaces (with what they
    caused: bests, their day's loads), and tell their files which session took their place."""
    for loser, winner in replaced:
        assert isinstance(loser.id, int)
        winner_file = written[winner.file_id]
        winner_file.replaced.append(loser.id)
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


def _insert_sessions(stored: list[tuple[_New, bytes]]) -> None:
    """Store the record tables and insert the sessions, one statement each; the insert
    returns each new id with its (sha256 of the file, segment), unique per runner. It runs
    on the session's connection: plain SQL, without the ORM's bookkeeping of each row."""
    shas = blob_store().put_many([data for _new, data in stored])
    rows = [
        {**new.values, "records_sha256": sha}
        for (new, _data), sha in zip(stored, shas, strict=True)
    ]
    found = {
        (sha, segment): session_id
        for session_id, sha, segment in db.session.connection().execute(_INSERT_SESSIONS, rows)
    }
    for new, _data in stored:
        new.id = found[(new.values["source_sha256"], new.values["segment_index"])]


_COMMITTED = (
    sa.select(
        TrainingSession.id,
        TrainingSession.source_sha256,
        TrainingSession.sport,
        TrainingSession.start_time,
        TrainingSession.end_time,
        TrainingSession.held,
        TrainingSession.record_count,
        TrainingSession.segment_index,
        TrainingSession.import_file_id,
    )
    .where(
        TrainingSession.runner_id == sa.bindparam("runner"),
        sa.or_(
            TrainingSession.source_sha256.in_(sa.bindparam("shas", expanding=True)),
            sa.and_(
                TrainingSession.start_time < sa.bindparam("end"),
                TrainingSession.end_time > sa.bindparam("start"),
            ),
        ),
    )
    .order_by(TrainingSession.id)
)
"""Built once, as every batch runs it (building a statement costs more than running it)."""


def _committed(
    runner_id: int, shas: list[str], prepared: list[Prepared]
) -> tuple[dict[str, list[int | _New]], list[_Span]]:
    """Committed sessions of the runner, in one query: those from files with these bytes
    (sha256 → session ids, in order), and every one that may overlap the time span of
    ``prepared``."""
    if not prepared:
        return {}, []
    wanted = set(shas)
    params = {
        "runner": runner_id,
        "shas": sorted(wanted),
        "start": min(p.start for p in prepared),
        "end": max(p.end for p in prepared),
    }
    known: dict[str, list[int | _New]] = {}
    existing: list[_Span] = []
    for row in db.session.execute(_COMMITTED, params):
        (session_id, sha, sport, start, end, held, records, segment, file_id) = row
        if sha in wanted:
            known.setdefault(sha, []).append(session_id)
        rank = _rank(records, sha, segment)
        existing.append(_Span(session_id, sport, start, end, bool(held), rank, file_id))
    return known, existing
