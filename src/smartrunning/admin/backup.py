"""Backup and restore of everything: the database, and with it the blobs it holds.

A backup is a ZIP: ``manifest.json`` (format, schema revision, row counts) and one
``tables/<name>.jsonl`` per table, rows streamed in primary-key order so memory stays
flat. Values are JSON; bytes are base64, dates and times ISO 8601. Restore goes into an
empty database migrated to the same revision, table by table in foreign-key order, and
moves PostgreSQL's id sequences past the restored ids.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.errors import InvalidInput

__all__ = ["FORMAT", "BackupReport", "backup", "restore"]

FORMAT = "smartrunning-backup/1"
_SKIP = frozenset({"alembic_version"})
_BATCH = 500


@dataclass(frozen=True)
class BackupReport:
    path: Path
    revision: str
    rows: dict[str, int]


def _revision(conn: Connection) -> str:
    return str(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one())


def _tables(conn: Connection) -> list[sa.Table]:
    """The database's own tables (reflected), parents before children."""
    metadata = sa.MetaData()
    metadata.reflect(conn)
    return [t for t in metadata.sorted_tables if t.name not in _SKIP]


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _decode(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dict) and set(value) == {"$b64"}:
        return base64.b64decode(value["$b64"])
    python_type = _python_type(column)
    if python_type is dt.datetime and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if python_type is dt.date and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _python_type(column: sa.Column[Any]) -> type | None:
    try:
        return column.type.python_type
    except NotImplementedError:
        return None


def _rows(conn: Connection, table: sa.Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(yield_per=_BATCH).execute(sa.select(table).order_by(*order))
    for row in result.mappings():
        yield {key: _encode(value) for key, value in row.items()}


def backup(path: Path) -> BackupReport:
    """Write a backup of the whole database to ``path`` (a new file)."""
    if path.exists():
        raise InvalidInput(f"{path} exists; choose a new file name.", field="path")
    rows: dict[str, int] = {}
    with (
        db.engine.connect() as conn,
        zipfile.ZipFile(path, "x", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
    ):
        revision = _revision(conn)
        tables = _tables(conn)
        for table in tables:
            count = 0
            with archive.open(f"tables/{table.name}.jsonl", "w") as raw:
                out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                for row in _rows(conn, table):
                    out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
                    count += 1
                out.flush()
                out.detach()
            rows[table.name] = count
        manifest = {
            "format": FORMAT,
            "revision": revision,
            "created_at": now_utc().isoformat(),
            "dialect": conn.dialect.name,
            "tables": [t.name for t in tables],
            "rows": rows,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return BackupReport(path=path, revision=revision, rows=rows)


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError:
        raise InvalidInput("Not a SmartRunning backup: no manifest.json.", field="path") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput(f"Not a SmartRunning backup of format {FORMAT}.", field="path")
    return manifest


def restore(path: Path) -> BackupReport:
    """Restore ``path`` into this database, which must be migrated and empty."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InvalidInput(f"Cannot read {path}: {exc}.", field="path") from None
    rows: dict[str, int] = {}
    with archive, db.engine.begin() as conn:
        manifest = _manifest(archive)
        revision = _revision(conn)
        if manifest["revision"] != revision:
            raise InvalidInput(
                f"The backup is of schema revision {manifest['revision']}, this database is "
                f"at {revision}; restore with the SmartRunning version that made it.",
                field="path",
            )
        tables = {t.name: t for t in _tables(conn)}
        missing = set(manifest["tables"]) - set(tables)
        if missing:
            raise InvalidInput(f"Unknown tables in the backup: {sorted(missing)}.", field="path")
        occupied = [
            name
            for name, table in tables.items()
            if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        ]
        if occupied:
            raise InvalidInput(
                f"The database is not empty ({', '.join(occupied)}); restore into a new one.",
                field="path",
            )
        for name in (n for n in tables if n in manifest["tables"]):
            rows[name] = _restore_table(conn, archive, tables[name])
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, list(tables.values()))
    return BackupReport(path=path, revision=str(manifest["revision"]), rows=rows)


def _restore_table(conn: Connection, archive: zipfile.ZipFile, table: sa.Table) -> int:
    count = 0
    batch: list[dict[str, Any]] = []
    with archive.open(f"tables/{table.name}.jsonl") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            data = json.loads(line)
            batch.append({k: _decode(table.c[k], v) for k, v in data.items()})
            if len(batch) >= _BATCH:
                conn.execute(table.insert(), batch)
                count += len(batch)
                batch = []
    if batch:
        conn.execute(table.insert(), batch)
        count += len(batch)
    return count


def _reset_sequences(conn: Connection, tables: list[sa.Table]) -> None:
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, sa.Integer):
                continue
            sequence = conn.execute(
                sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                {"t": table.name, "c": column.name},
            ).scalar()
            if sequence:
                highest = conn.execute(sa.select(sa.func.max(column))).scalar() or 0
                conn.execute(
                    sa.text("SELECT setval(:s, :v, false)"), {"s": sequence, "v": highest + 1}
                )
