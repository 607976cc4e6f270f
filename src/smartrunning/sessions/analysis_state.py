"""Per-runner analysis state: the lock that serialises a runner's writes, and what is stale.

Imports of one runner's files may run on several workers at once, and a recomputation
may run beside them. Each transaction that adds sessions or recomputes derived values
first takes the runner's lock (:func:`lock_runner`, an ``UPDATE`` of the runner's row of
``analysis_states``): a row lock on PostgreSQL, the database's write lock on SQLite (its
first statement is a write). Under the lock,
overlap checks see every committed session, and a recomputation sees a stable set.

``dirty_from`` is the earliest day whose derived values (personal bests, CS versions,
loads, history) must be recomputed; importing or deleting sessions lowers it, and the
chronological recomputation (``sessions.recompute``) clears it.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.sessions.models import AnalysisState

__all__ = ["lock_runner", "mark_clean", "mark_dirty", "recoverable_commit"]


def _earlier(day: dt.date | sa.BindParameter[dt.date]) -> sa.Case[dt.date]:
    column = AnalysisState.dirty_from
    return sa.case((sa.or_(column.is_(None), column > day), day), else_=column)


# Built once (every import and recomputation takes the lock; building a statement costs
# more than running it), and run on the session's connection: plain SQL, without the ORM's
# bookkeeping, which costs more than these updates too.
_LOCK = (
    sa.update(AnalysisState)
    .where(AnalysisState.runner_id == sa.bindparam("runner"))
    .values(locked_at=sa.bindparam("now"))
    .returning(AnalysisState.dirty_from)
    .execution_options(synchronize_session=False)
)
_LOCK_DIRTY = _LOCK.values(dirty_from=_earlier(sa.bindparam("day", type_=sa.Date)))
_CLEAN = (
    sa.update(AnalysisState)
    .where(AnalysisState.runner_id == sa.bindparam("runner"))
    .values(dirty_from=None, recomputed_at=sa.bindparam("now"))
    .execution_options(synchronize_session=False)
)


def lock_runner(runner_id: int, *, dirty_from: dt.date | None = None) -> dt.date | None:
    """Take the runner's analysis lock until the transaction ends; return the runner's
    earliest stale day (``dirty_from``) as the lock sees it.

    ``dirty_from`` also marks the derived values from that day on stale (``mark_dirty``)
    in the same statement.
    """
    params = {"runner": runner_id, "now": now_utc(), "day": dirty_from}
    lock = _LOCK if dirty_from is None else _LOCK_DIRTY
    locked = db.session.connection().execute(lock, params).first()
    if locked is not None:
        return locked.dirty_from
    dialect = db.session.get_bind().dialect.name
    values = {"runner_id": runner_id, "locked_at": now_utc()}
    insert: sa.Insert
    if dialect == "postgresql":
        insert = postgresql.insert(AnalysisState).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        insert = sqlite.insert(AnalysisState).values(values).on_conflict_do_nothing()
    else:  # pragma: no cover - the two supported databases are above
        raise RuntimeError(f"unsupported database {dialect!r}")
    db.session.execute(insert)
    return lock_runner(runner_id, dirty_from=dirty_from)  # the row exists now: lock it


def mark_dirty(runner_id: int, day: dt.date) -> None:
    """Derived values from ``day`` on are stale (call under the runner's lock)."""
    db.session.execute(
        sa.update(AnalysisState)
        .where(AnalysisState.runner_id == runner_id)
        .values(dirty_from=_earlier(day))
        .execution_options(synchronize_session=False)
    )


def mark_clean(runner_id: int) -> None:
    """The runner's derived values are up to date (end of a recomputation)."""
    db.session.connection().execute(_CLEAN, {"runner": runner_id, "now": now_utc()})


def recoverable_commit() -> None:
    """Let PostgreSQL acknowledge this transaction before its WAL reaches the disk.

    For work that is redone when lost: claims, a file's import, an archive's expansion, a
    recomputation. A crash of the database may lose the last such commits (never
    corrupt anything); the files concerned are then still pending or claimed, and the
    sweep runs them again. Uploads themselves (the raw bytes) are committed durably.
    Saves one disk flush per file (``synchronous_commit``); SQLite needs nothing.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL synchronous_commit TO OFF"))
