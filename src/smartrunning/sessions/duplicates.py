"""Duplicates and overlaps: which segments of a batch of FIT files become new sessions.

A file is a duplicate when the runner already has sessions from the same bytes (sha256;
a ``.fit.gz`` is judged by the FIT file it holds), checked once before decoding
(:func:`imported_sessions`, to skip the work; a session deleted within its undo window
comes back) and again under the runner's lock, where every committed session is seen
(:func:`sort_out`). A segment overlapping a session of
the same sport is the same activity recorded twice: the fuller recording (more records,
then by content: :func:`rank`) is kept, whatever the order the files came in, and one
arriving later replaces the session imported before it. A held session (values no runner
produces) and a plausible one never make each other duplicates: both are kept, the held
one for a person to confirm or delete. Within a batch, files are checked in order
against each other as if committed one by one. The unique constraint (runner, sha256,
segment) is the last guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from smartrunning.platform.db import db
from smartrunning.platform.softdelete import INCLUDE_DELETED
from smartrunning.sessions.analysis_state import mark_dirty
from smartrunning.sessions.models import FileStatus, TrainingSession
from smartrunning.sessions.outcomes import Outcome

__all__ = [
    "Candidate",
    "Segment",
    "Span",
    "Verdict",
    "already_imported",
    "imported_sessions",
    "overlaps",
    "rank",
    "skipped_reason",
    "sort_out",
]


@dataclass(eq=False)
class Segment:
    """A segment of a file of the batch, as the checks see it; ``id`` once inserted."""

    file_id: int
    index: int
    sport: str
    start: dt.datetime
    end: dt.datetime
    held: bool
    records: int
    id: int = 0


@dataclass(eq=False)
class Candidate:
    """A decoded file of the batch with its usable segments."""

    file_id: int
    sha256: str
    segments: list[Segment]


@dataclass(eq=False)
class Verdict:
    """What a file of the batch gives: its new sessions, the sessions it clashed with
    (committed ids, or new segments of earlier files of the batch), whether by the same
    bytes, and the committed sessions it replaces (filled in by the writer)."""

    new: list[Segment]
    clashes: list[int | Segment]
    same_bytes: bool = False
    replaced: list[int] = field(default_factory=list)


@dataclass(eq=False)
class Span:
    """A session a segment of the batch may overlap, committed (``id`` an int, its file
    ``file_id``) or new in this batch."""

    id: int | Segment
    sport: str
    start: dt.datetime
    end: dt.datetime
    held: bool
    rank: tuple[int, str, int]
    file_id: int | None


def rank(record_count: int, sha256: str, segment: int) -> tuple[int, str, int]:
    """Which of two overlapping recordings of the same time is kept, whatever the order
    they came in: the one with more records (the fuller recording), then by content."""
    return (record_count, sha256, -segment)


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


# Built once, as every batch runs them (building a statement costs more than running it).
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


def imported_sessions(runner_id: int, shas: Sequence[str]) -> dict[str, list[int]]:
    """Sessions of the runner from files with these bytes (sha256 → session ids, in order):
    the check before decoding.

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


def _committed(
    runner_id: int, candidates: list[Candidate]
) -> tuple[dict[str, list[int | Segment]], list[Span]]:
    """Committed sessions of the runner, in one query: those from files with the
    candidates' bytes (sha256 → session ids, in order), and every one that may overlap
    the time span of their segments."""
    segments = [s for c in candidates for s in c.segments]
    if not segments:
        return {}, []
    wanted = {c.sha256 for c in candidates}
    params = {
        "runner": runner_id,
        "shas": sorted(wanted),
        "start": min(s.start for s in segments),
        "end": max(s.end for s in segments),
    }
    known: dict[str, list[int | Segment]] = {}
    existing: list[Span] = []
    for row in db.session.execute(_COMMITTED, params):
        (session_id, sha, sport, start, end, held, records, segment, file_id) = row
        if sha in wanted:
            known.setdefault(sha, []).append(session_id)
        existing.append(
            Span(session_id, sport, start, end, bool(held), rank(records, sha, segment), file_id)
        )
    return known, existing


def sort_out(
    runner_id: int, candidates: list[Candidate]
) -> tuple[dict[int, Verdict], list[Segment], list[tuple[Span, Segment]]]:
    """Under the runner's lock: each candidate's verdict (by file id), the segments that
    become new sessions (in order), and the committed sessions a new one replaces (the
    committed span, its winner).

    Reads what other workers committed since the check before decoding, and every
    committed session that may overlap a segment of the batch; files are then checked in
    order, each against these and the earlier files' new segments.
    """
    known, existing = _committed(runner_id, candidates)
    verdicts: dict[int, Verdict] = {}
    kept: list[Segment] = []
    superseded: list[tuple[Span, Segment]] = []
    for c in candidates:
        if c.sha256 in known:
            verdicts[c.file_id] = Verdict([], known[c.sha256], same_bytes=True)
            continue
        v = verdicts[c.file_id] = Verdict([], [])
        for s in c.segments:
            order = rank(s.records, c.sha256, s.index)
            clash = [
                e
                for e in existing
                if e.sport == s.sport and e.start < s.end and e.end > s.start
                if e.held == s.held
            ]
            winners = [e for e in clash if e.rank >= order]
            if winners:
                v.clashes.extend(e.id for e in winners)
                continue
            v.new.append(s)
            kept.append(s)
            for e in clash:
                existing.remove(e)
                superseded.append((e, s))
            existing.append(Span(s, s.sport, s.start, s.end, s.held, order, c.file_id))
        if v.new:
            known[c.sha256] = list(v.new)
    for loser, winner in superseded:  # a new segment of the batch gave way: forget it
        if isinstance(loser.id, Segment):
            lost = loser.id
            verdicts[lost.file_id].new.remove(lost)
            verdicts[lost.file_id].clashes.append(winner)
            kept[:] = [s for s in kept if s is not lost]
    replaced = [(e, s) for e, s in superseded if isinstance(e.id, int)]
    return verdicts, kept, replaced
