"""Health for load balancers, monitors and Kubernetes' probes: two questions, two answers.

- ``/livez``, *is this process stuck?* 200 whenever it can answer at all. Nothing else is
  checked, so an outage of the database or the queue never gets a working process
  restarted (which would not help): only one that no longer answers.
- ``/readyz``, *should this process get requests?* 200 when the database answers, its
  migrations are at this code's head and the queue's storage answers; 503 otherwise, so a
  pod is taken out of its Service while they are unreachable, and a new release's pods get
  no traffic before the migration job has run. A database *ahead* of this code (a newer
  release migrated it during its rolling update) is ready: old pods keep serving until
  the new ones are.
- ``/healthz``: the same as ``/readyz`` (the Dockerfile's HEALTHCHECK, existing monitors).

They are public, so their bodies name the check that failed and never why: the reason
(exception, backend, address) goes to the log. One check runs at a time per process; a
probe arriving meanwhile gets the last answer, or 503 once the running check has taken
longer than ``SLOW_CHECK_S``, so probes piling up on a database that hangs hold one thread,
not all of them (which would fail ``/livez`` too).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Literal

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from smartrunning.platform.db import MIGRATIONS_DIR, db
from smartrunning.platform.guard import public
from smartrunning.platform.queue import get_queue

__all__ = ["SLOW_CHECK_S", "Readiness", "bp", "migration_state", "readiness"]

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)

SLOW_CHECK_S: Final = 3.0
"""A readiness check running longer than this counts as failed for the probes waiting."""
_EXTENSION = "smartrunning.health"


@dataclass(frozen=True)
class Readiness:
    """Each check's public word: ``ok``, ``unreachable``, ``pending`` (migrations), ``slow``."""

    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return all(word == "ok" for word in self.checks.values())


@dataclass
class _Probe:
    """Per app (so per process): the last answer and the check in progress, if any."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    last: Readiness | None = None
    running_since: float | None = None


@bp.record_once
def _init(state: object) -> None:
    app = state.app  # type: ignore[attr-defined]
    app.extensions[_EXTENSION] = _Probe()


def readiness() -> Readiness:
    """Check the database, its migrations and the queue (one check at a time, see above)."""
    probe: _Probe = current_app.extensions[_EXTENSION]
    if not probe.lock.acquire(blocking=False):
        since = probe.running_since
        if probe.last is None or (since is not None and time.monotonic() - since > SLOW_CHECK_S):
            return Readiness({"checks": "slow"})
        return probe.last
    try:
        probe.running_since = time.monotonic()
        result = Readiness(
            {
                "database": _check("database", _database),
                "migrations": _check("migrations", migration_state),
                "queue": _check("queue", _queue),
            }
        )
        probe.last = result
        return result
    finally:
        probe.running_since = None
        probe.lock.release()


def _check(name: str, check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as exc:  # any failure means "not ready"; the reason is for the log only
        log.warning("readiness: %s unreachable: %s: %s", name, type(exc).__name__, exc)
        db.session.rollback()
        return "unreachable"


def _database() -> str:
    db.session.execute(sa.text("SELECT 1"))
    return "ok"


@functools.cache
def _script() -> ScriptDirectory:
    """The Alembic revisions, read once: they are part of the code."""
    return ScriptDirectory(str(MIGRATIONS_DIR))


def migration_state() -> Literal["ok", "pending"]:
    """``ok`` when the database is at this code's head or ahead of it (a newer release
    migrated it), ``pending`` when it is behind or not migrated at all. Raises when the
    database cannot be reached. Ends the session's transaction."""
    script = _script()
    heads = set(script.get_heads())
    current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    db.session.rollback()
    if current == heads:
        return "ok"
    for revision in current:
        try:
            script.get_revision(revision)
        except CommandError:  # a revision this code does not know: a newer release's
            return "ok"
    log.warning("migrations pending: database at %s, code at %s", current or "none", heads)
    return "pending"


def _queue() -> str:
    get_queue().huey.pending_count()
    return "ok"


def _answer(result: Readiness) -> ResponseReturnValue:
    body = {"status": "ok" if result.ready else "unavailable", **result.checks}
    return jsonify(body), 200 if result.ready else 503


@bp.get("/readyz")
@public
def readyz() -> ResponseReturnValue:
    """200 when this process should get requests (database, migrations, queue), else 503."""
    return _answer(readiness())


@bp.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    """The same as ``/readyz``, for Docker's HEALTHCHECK and monitors that call it so."""
    return _answer(readiness())


@bp.get("/livez")
@public
def livez() -> ResponseReturnValue:
    """200 whenever this process answers: it checks nothing else (see the module doc)."""
    return jsonify(status="ok")
