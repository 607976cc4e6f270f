"""The rate limiter's store on the embedded default: a SQLite file every process sees.

Without ``REDIS_URL`` the login throttle lived in each web process's memory, so
``WEB_WORKERS`` processes allowed that many times the limit. This store keeps the limits
library's moving windows in ``throttle.sqlite3`` in the instance folder instead (beside
the embedded queue): each check or hit is one short transaction, ``BEGIN IMMEDIATE`` so
that two processes counting the same key serialise. Registered with the limits library
under the scheme ``smartrunning+sqlite`` (``smartrunning+sqlite:///abs/path.sqlite3``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from limits.storage import MovingWindowSupport, Storage

from smartrunning.platform import clock

__all__ = ["SCHEME", "SqliteStorage", "storage_uri"]

SCHEME = "smartrunning+sqlite"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS events (key TEXT NOT NULL, at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_events_key_at ON events (key, at)",
    "CREATE TABLE IF NOT EXISTS counters"
    " (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL)",
)


def _now() -> float:
    """Seconds since the epoch, from the app's clock (the only reader of the wall clock)."""
    return clock.now().timestamp()


def storage_uri(path: Path) -> str:
    """The limiter's storage URI for a store in the file ``path``."""
    return f"{SCHEME}://{path.resolve()}"


class SqliteStorage(Storage, MovingWindowSupport):
    """Fixed and moving windows of the limits library in one SQLite file."""

    STORAGE_SCHEME = [SCHEME]  # noqa: RUF012 (the limits library's registry reads it)

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: object) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.path = Path(uri.removeprefix(f"{SCHEME}://"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._transaction() as db:
            for statement in _SCHEMA:
                db.execute(statement)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # A connection per operation: cheap for a local file, and safe across threads
        # and forked processes alike.
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    # --- fixed windows ------------------------------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = _now()
        with self._transaction() as db:
            row = db.execute("SELECT value, expires FROM counters WHERE key = ?", (key,)).fetchone()
            value = amount if row is None or row[1] <= now else row[0] + amount
            expires = now + expiry if row is None or row[1] <= now else row[1]
            db.execute(
                "INSERT OR REPLACE INTO counters (key, value, expires) VALUES (?, ?, ?)",
                (key, value, expires),
            )
        return int(value)

    def get(self, key: str) -> int:
        with self._transaction() as db:
            row = db.execute(
                "SELECT value FROM counters WHERE key = ? AND expires > ?", (key, _now())
            ).fetchone()
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        with self._transaction() as db:
            row = db.execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else _now()

    def check(self) -> bool:
        try:
            with self._transaction() as db:
                db.execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._transaction() as db:
            events = db.execute("DELETE FROM events").rowcount
            counters = db.execute("DELETE FROM counters").rowcount
        return int(events + counters)

    def clear(self, key: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM events WHERE key = ?", (key,))
            db.execute("DELETE FROM counters WHERE key = ?", (key,))

    # --- moving windows (the login throttle's strategy) -----------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = _now()
        with self._transaction() as db:
            db.execute("DELETE FROM events WHERE key = ? AND at < ?", (key, now - expiry))
            (count,) = db.execute("SELECT COUNT(*) FROM events WHERE key = ?", (key,)).fetchone()
            if count + amount > limit:
                return False
            db.executemany("INSERT INTO events (key, at) VALUES (?, ?)", [(key, now)] * amount)
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = _now()
        with self._transaction() as db:
            oldest, count = db.execute(
                "SELECT MIN(at), COUNT(*) FROM events WHERE key = ? AND at >= ?",
                (key, now - expiry),
            ).fetchone()
        return (float(oldest), int(count)) if count else (now, 0)
