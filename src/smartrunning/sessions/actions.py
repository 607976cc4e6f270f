"""Sessions for pages, the API and the CLI: list, detail, chart series, route; and the
writes on one session: delete, restore, confirm, analyse again, mark as a race, time trial
or training (:func:`mark_performance`).

Every read takes the runner (already authorised by ``athletes.visible_runner``) or
checks visibility itself (:func:`visible_session`), so a session of a runner the user
may not see is ``NotFound``, like one that does not exist. List queries are a fixed
number of statements whatever the number of rows (count + page), reading only summary
columns; the heavy JSON is loaded for one session's detail.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Final, Literal

import numpy as np
import sqlalchemy as sa

from smartrunning.accounts.models import User
from smartrunning.athletes import bests as best_services
from smartrunning.athletes.models import BestKind, PersonalBest, Runner
from smartrunning.athletes.rules import can, get_visible
from smartrunning.platform import context
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db, now_utc
from smartrunning.platform.errors import (
    InvalidInput,
    NotFound,
)
from smartrunning.platform.pagination import Page, paginate
from smartrunning.platform.softdelete import INCLUDE_DELETED
from smartrunning.platform.transactions import transaction
from smartrunning.science.records import Records
from smartrunning.sessions import recompute
from smartrunning.sessions.analysis_state import (
    lock_runner,
    mark_dirty,
)
from smartrunning.sessions.models import TrainingSession
from smartrunning.sessions.parquet import records_from_parquet

__all__ = [
    "CHARTS_VERSION",
    "PERFORMANCE_LABELS",
    "SORTS",
    "charts_of_records",
    "confirm_session",
    "delete_session",
    "delete_session_by_id",
    "list_sessions",
    "mark_performance",
    "parse_performance",
    "purge_deleted",
    "purge_session",
    "reanalyse_session",
    "restore_session_by_id",
    "series_of",
    "session_series",
    "session_track",
    "sports",
    "track_of",
    "undo_deadline",
    "visible_session",
]

SORTS: Final = {
    "start_time": TrainingSession.start_time,
    "distance": TrainingSession.distance_m,
    "duration": TrainingSession.timer_time_s,
    "load": TrainingSession.load,
    "avg_hr": TrainingSession.avg_hr_bpm,
}


def list_sessions(
    runner: Runner,
    *,
    sport: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    sort: str = "start_time",
    direction: Literal["asc", "desc"] = "desc",
    page: int = 1,
    page_size: int = 50,
) -> Page[TrainingSession]:
    """A page of the runner's sessions (summary columns only): two queries, any size."""
    if sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}.", field="sort")
    if direction not in ("asc", "desc"):
        raise InvalidInput("direction must be asc or desc.", field="direction")
    where = [TrainingSession.runner_id == runner.id]
    if sport:
        where.append(TrainingSession.sport == sport)
    if date_from is not None:
        where.append(TrainingSession.local_date >= date_from)
    if date_to is not None:
        where.append(TrainingSession.local_date <= date_to)
    column = SORTS[sort]
    order = column.asc() if direction == "asc" else column.desc()
    return paginate(
        sa.select(TrainingSession).where(*where),
        page=page,
        page_size=page_size,
        order_by=(order, TrainingSession.id.desc()),
    )


def sports(runner: Runner) -> list[str]:
    """The sports the runner has sessions of (for the list's filter)."""
    return list(
        db.session.execute(
            sa.select(TrainingSession.sport)
            .where(TrainingSession.runner_id == runner.id)
            .distinct()
            .order_by(TrainingSession.sport)
        ).scalars()
    )


def visible_session(user: User, session_id: int) -> TrainingSession:
    """The session if ``user`` may see its runner; otherwise ``NotFound``."""
    return get_visible(user, TrainingSession, session_id, name="session")


def _buckets(n: int, max_points: int) -> np.ndarray:
    """Start index of each of at most ``max_points`` equal buckets of ``n`` samples."""
    count = min(n, max(1, max_points))
    return np.linspace(0, n, count + 1).astype(np.int64)[:-1]


def _reduce(values: np.ndarray, starts: np.ndarray) -> list[float | None]:
    """Mean per bucket, ignoring NaN (None where a bucket has no value)."""
    finite = np.isfinite(values)
    sums = np.add.reduceat(np.where(finite, values, 0.0), starts)
    counts = np.add.reduceat(finite.astype(np.int64), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums / counts
    return [float(v) if c else None for v, c in zip(means, counts, strict=True)]


CHARTS_VERSION = 1
"""Version of :func:`charts_of_records`' output: part of its cache key with the records' hash."""


def charts_of_records(records_sha256: str) -> dict[str, Any]:
    """The series (:func:`series_of`) and the route (:func:`track_of`) of the records
    stored under ``records_sha256``, from one read. Both depend only on the records, so
    they can be cached under their hash."""
    records = records_from_parquet(blob_store().get(records_sha256))
    return {"series": series_of(records), "track": track_of(records)}


def session_series(s: TrainingSession, *, max_points: int = 600) -> dict[str, Any]:
    """:func:`series_of` the session's stored records."""
    return series_of(records_from_parquet(blob_store().get(s.records_sha256)), max_points)


def series_of(records: Records, max_points: int = 600) -> dict[str, Any]:
    """Chart series over time and distance, averaged into at most ``max_points`` buckets:
    ``elapsed_s``, ``distance_m``, ``speed_mps``, ``pace_s_per_km`` (only above the moving
    threshold of 0.5 m/s), ``heart_rate_bpm``, ``cadence_spm``, ``altitude_m``, ``power_w``.
    """
    n = len(records)
    if n == 0:
        return {"points": 0}
    starts = _buckets(n, max_points)
    distance = records.distance_m
    if np.isfinite(distance).any():
        distance = np.fmax.accumulate(np.nan_to_num(distance, nan=0.0))
    speed = np.asarray(_reduce(records.speed_mps, starts), dtype=float)
    return {
        "points": len(starts),
        "elapsed_s": _reduce(records.elapsed_s, starts),
        "distance_m": _reduce(distance, starts),
        "speed_mps": _reduce(records.speed_mps, starts),
        "pace_s_per_km": [1000.0 / v if v == v and v >= 0.5 else None for v in speed.tolist()],
        "heart_rate_bpm": _reduce(records.heart_rate_bpm, starts),
        "cadence_spm": _reduce(records.cadence_spm, starts),
        "altitude_m": _reduce(records.altitude_m, starts),
        "power_w": _reduce(records.power_w, starts),
    }


def session_track(s: TrainingSession, *, max_points: int = 1000) -> dict[str, Any]:
    """:func:`track_of` the session's stored records."""
    return track_of(records_from_parquet(blob_store().get(s.records_sha256)), max_points)


def track_of(records: Records, max_points: int = 1000) -> dict[str, Any]:
    """The GPS route as [lat, lon] pairs (degrees, at most ``max_points``) and its bounds;
    empty without GPS. Drawn by the page itself (no outside tile server)."""
    ok = np.isfinite(records.latitude_deg) & np.isfinite(records.longitude_deg)
    lat, lon = records.latitude_deg[ok], records.longitude_deg[ok]
    if not len(lat):
        return {"points": [], "bounds": None}
    step = max(1, math.ceil(len(lat) / max_points))
    idx = np.unique(np.concatenate((np.arange(0, len(lat), step), [len(lat) - 1])))
    return {
        "points": [[float(a), float(b)] for a, b in zip(lat[idx], lon[idx], strict=True)],
        "bounds": [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]],
    }


def delete_session_by_id(
    session_id: int, *, recompute_now: bool = True, permanently: bool = False
) -> TrainingSession:
    """Delete a session softly and undo what it caused (bests, CS versions, loads, history).

    It disappears from every list at once (``deleted_at``), can be restored with
    :func:`restore_session_by_id` for ``UNDO_WINDOW_S`` and is purged (records blob
    included) by :func:`purge_deleted_sessions` afterwards. With ``recompute_now`` the
    chronological recomputation runs at once and commits; otherwise the runner is marked
    dirty and the caller commits. ``permanently`` (a session an import replaces) purges it
    at once, as the same bytes may be imported again.
    """
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.deleted_at is not None:
        raise NotFound("No such session.")
    runner = db.session.get_one(Runner, session.runner_id)
    lock_runner(runner.id)
    day = session.local_date
    if permanently:
        purge_session(session)
    else:
        db.session.execute(
            sa.delete(PersonalBest)
            .where(PersonalBest.session_id == session.id)
            .execution_options(synchronize_session="fetch")
        )
        session.deleted_at = now_utc()
    mark_dirty(runner.id, day)
    if recompute_now:
        recompute.recompute_runner(runner)
    return session


def delete_session(user: User, session_id: int) -> TrainingSession:
    """Delete a session the user may see (``NotFound`` otherwise), softly; recompute; commit."""
    visible_session(user, session_id)
    return delete_session_by_id(session_id)


def undo_deadline(deleted_at: dt.datetime) -> dt.datetime:
    """When a row deleted at ``deleted_at`` stops being restorable."""
    return deleted_at + dt.timedelta(seconds=context.settings().undo_window_s)


def _restorable(session_id: int) -> TrainingSession | None:
    if not 0 < session_id <= 2**31 - 1:
        return None
    row = db.session.execute(
        sa.select(TrainingSession)
        .where(TrainingSession.id == session_id, TrainingSession.deleted_at.is_not(None))
        .execution_options(**{INCLUDE_DELETED: True})
    ).scalar_one_or_none()
    if row is None or row.deleted_at is None or undo_deadline(row.deleted_at) < now_utc():
        return None
    return row


def restore_session_by_id(
    session_id: int, *, user: User | None = None, recompute_now: bool = True
) -> TrainingSession:
    """Restore a session deleted within the undo window and recompute from its day (its
    bests are found again). ``user`` None (the command line) may restore any; otherwise it
    must see the runner. ``NotFound`` for a session not deleted, purged, past the window or
    of a runner the user may not see."""
    session = _restorable(session_id)
    if session is None:
        raise NotFound("No such deleted session (the time to undo may have passed).")
    runner = db.session.get_one(Runner, session.runner_id)
    if user is not None and not can(user, runner):
        raise NotFound("No such deleted session (the time to undo may have passed).")
    lock_runner(runner.id)
    session.deleted_at = None
    mark_dirty(runner.id, session.local_date)
    if recompute_now:
        recompute.recompute_runner(runner)
    return session


def purge_session(session: TrainingSession) -> None:
    """Delete a (softly deleted) session for good, and its records blob unless another
    session names it; the raw upload stays with its import file. The caller commits."""
    records_sha = session.records_sha256
    db.session.execute(
        sa.delete(PersonalBest)
        .where(PersonalBest.session_id == session.id)
        .execution_options(synchronize_session="fetch")
    )
    db.session.delete(session)
    db.session.flush()
    still_used = db.session.execute(
        sa.select(TrainingSession.id)
        .where(TrainingSession.records_sha256 == records_sha)
        .execution_options(**{INCLUDE_DELETED: True})
    ).first()
    if still_used is None:
        blob_store().delete(records_sha)


def purge_deleted() -> dict[str, object]:
    """Purge every session and manual best deleted longer than ``UNDO_WINDOW_S`` ago
    (sessions with their records blob); commits. Run by the queue every five minutes."""
    cutoff = now_utc() - dt.timedelta(seconds=context.settings().undo_window_s)
    rows = list(
        db.session.execute(
            sa.select(TrainingSession)
            .where(TrainingSession.deleted_at.is_not(None), TrainingSession.deleted_at < cutoff)
            .execution_options(**{INCLUDE_DELETED: True})
        ).scalars()
    )
    for row in rows:
        purge_session(row)
    bests = best_services.purge_deleted_bests()
    db.session.commit()
    return {"sessions": len(rows), "bests": bests}


def confirm_session(user: User | None, session_id: int) -> bool:
    """Confirm the values of a session held for review (values no runner produces): it
    counts again for bests, loads and history, recomputed from its day; commits.

    ``user`` None (the command line) may confirm any session; otherwise it must see the
    session's runner (``NotFound``). Returns False for a session with nothing to confirm
    (not held), which is left as it is.
    """
    if user is None:
        session = db.session.get(TrainingSession, session_id)
        if session is None:
            raise NotFound("No such session.")
    else:
        session = visible_session(user, session_id)
    if not session.held:
        return False
    runner = db.session.get_one(Runner, session.runner_id)
    lock_runner(runner.id, dirty_from=session.local_date)
    session.held = False
    session.confirmed_at = now_utc()
    session.confirmed_by_id = user.id if user is not None else None
    recompute.recompute_runner(runner)
    return True


def reanalyse_session(user: User, session_id: int) -> recompute.RecomputeResult:
    """Analyse a session the user may see again from its stored records, then recompute
    what follows from its date (bests, critical speed, later loads, history); commits.

    Stored values are normally brought up to date on their own (a new parameter version or
    algorithm version recomputes them); this is the explicit "analyse" of SPEC §8, e.g.
    after restoring a backup made by another version.
    """
    session = visible_session(user, session_id)
    runner = db.session.get_one(Runner, session.runner_id)
    session.analysis_version = 0  # stale: the chronological walk analyses it afresh
    return recompute.recompute_runner(runner, from_date=session.local_date)


PERFORMANCE_LABELS = {
    BestKind.TRAINING: "Training",
    BestKind.RACE: "Race",
    BestKind.TIME_TRIAL: "Time trial",
}


def parse_performance(text: str | None) -> BestKind:
    """``race``, ``time_trial`` or ``training``; ``InvalidInput`` otherwise."""
    try:
        return BestKind(text or "")
    except ValueError:
        raise InvalidInput(
            "Mark a session as race, time_trial or training.", field="performance"
        ) from None


def mark_performance(user: User | None, session_id: int, performance: BestKind) -> bool:
    """Mark a whole session as a race, time trial or training, and recompute from its day
    (its main effort anchors critical speed when it is a race or time trial:
    ``athletes.bests.classify_session_efforts``; SCIENCE.md, "Which efforts anchor CS");
    commits. ``user`` None (the command line) may mark any session; otherwise it must see
    the session's runner (``NotFound``). Returns False when the mark was already that. A
    refusal is rolled back."""
    with transaction():
        return _mark_performance(user, session_id, performance)


def _mark_performance(user: User | None, session_id: int, performance: BestKind) -> bool:
    if user is None:
        session = db.session.get(TrainingSession, session_id)
        if session is None:
            raise NotFound("No such session.")
    else:
        session = visible_session(user, session_id)
    if session.performance is performance:
        return False
    runner = db.session.get_one(Runner, session.runner_id)
    lock_runner(runner.id, dirty_from=session.local_date)
    session.performance = performance
    recompute.recompute_runner(runner)
    return True
