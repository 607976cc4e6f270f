"""The SQLAlchemy handle, the declarative base and column helpers shared by all models."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import ConnectionPoolEntry

from smartrunning.platform import clock

__all__ = [
    "MIGRATIONS_DIR",
    "Base",
    "UTCDateTime",
    "db",
    "now_utc",
    "render_migration_item",
    "value_enum",
]

#: The Alembic revisions (``smartrunning/migrations``).
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# Stable constraint names, so migrations are reproducible on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now_utc() -> dt.datetime:
    """The current time, timezone-aware UTC (a callable default, never evaluated at import)."""
    return clock.now()


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A timestamp stored as UTC and always returned timezone-aware.

    SQLite has no timezone type; without this, values would come back naive.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def value_enum(enum_class: type[Enum], name: str) -> sa.Enum:
    """A portable enum column storing the members' *values* (a CHECKed string)."""
    values = [str(member.value) for member in enum_class]
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(v) for v in values),
        validate_strings=True,
        values_callable=lambda members: [str(m.value) for m in members],
    )


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    """Foreign keys on, WAL for concurrent readers and a busy timeout for writers."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@sa.event.listens_for(sa.engine.Engine, "savepoint")
def _sqlite_begin_before_savepoint(connection: sa.engine.Connection, _name: str) -> None:
    """Open SQLite's transaction before a savepoint, so that rolling back undoes it too.

    pysqlite begins a transaction only before its first INSERT/UPDATE/DELETE; a
    ``SAVEPOINT`` sent first (``begin_nested()`` as the transaction's first write) began
    one of its own, which its ``RELEASE`` committed: what the savepoint wrote outlived a
    later rollback, on SQLite only. A ``BEGIN`` (deferred, as pysqlite's own) first makes
    the savepoint nested in the transaction, as on PostgreSQL.
    """
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is not None and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Alembic hook: write our column types as plain SQLAlchemy types in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
