"""Backup and restore: a round trip gives back every row, bytes and times included."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.admin import backup as backup_services
from smartrunning.app import create_app
from smartrunning.athletes.models import RecomputeRequest
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from tests.database import TestDatabase
from tests.helpers import make_world
from tests.settings import make_settings


def snapshot(app: Flask) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows, in primary-key order, as the database returns them."""
    with app.app_context(), db.engine.connect() as conn:
        metadata = sa.MetaData()
        metadata.reflect(conn)
        return {
            t.name: [
                dict(r)
                for r in conn.execute(
                    sa.select(t).order_by(*(t.primary_key.columns or t.columns))
                ).mappings()
            ]
            for t in metadata.sorted_tables
            if t.name != "alembic_version"
        }


def fresh_app(tmp_path: Path, test_database: TestDatabase) -> Flask:
    folder = tmp_path / "restored"
    folder.mkdir()
    return create_app(make_settings(folder / "instance", test_database.url_for(folder)))


def test_round_trip_restores_every_row(
    app: Flask, tmp_path: Path, test_database: TestDatabase
) -> None:
    world = make_world(app)
    with app.app_context():
        db.session.add(
            RecomputeRequest(
                runner_id=world.runner_id,
                from_date=dt.date(2026, 2, 3),
                reason="ünïcode ✓ reason",
                created_at=dt.datetime(2026, 2, 3, 4, 5, 6, 789000, tzinfo=dt.UTC),
            )
        )
        db.session.commit()
    before = snapshot(app)
    file = tmp_path / "backup.zip"
    with app.app_context():
        report = backup_services.backup(file)
    assert report.rows["users"] == 5
    assert report.rows["personal_bests"] == 2
    with zipfile.ZipFile(file) as archive:
        assert "manifest.json" in archive.namelist()
    # A new, empty, migrated database (on PostgreSQL: this worker's database, emptied).
    restored = fresh_app(tmp_path, test_database)
    with restored.app_context():
        result = backup_services.restore(file)
    assert result.rows == report.rows
    after = snapshot(restored)
    for name in before:
        assert after[name] == before[name], name
    # New rows get fresh ids after a restore (PostgreSQL sequences were moved on).
    with restored.app_context():
        row = RecomputeRequest(
            runner_id=world.runner_id, from_date=dt.date(2026, 3, 1), reason="after"
        )
        db.session.add(row)
        db.session.commit()
        assert row.id > max(r["id"] for r in before["recompute_requests"])


def test_restore_refuses_a_database_with_data(app: Flask, tmp_path: Path) -> None:
    make_world(app)
    file = tmp_path / "backup.zip"
    with app.app_context():
        backup_services.backup(file)
        with pytest.raises(InvalidInput, match="not empty"):
            backup_services.restore(file)


@pytest.mark.parametrize("content", [b"not a zip", None])
def test_restore_refuses_what_is_not_a_backup(
    app: Flask, tmp_path: Path, content: bytes | None
) -> None:
    file = tmp_path / "bogus.zip"
    if content is None:
        with zipfile.ZipFile(file, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        file.write_bytes(content)
    with app.app_context(), pytest.raises(InvalidInput, match=r"backup|Cannot read"):
        backup_services.restore(file)


def test_backup_never_overwrites(app: Flask, tmp_path: Path) -> None:
    file = tmp_path / "exists.zip"
    file.write_bytes(b"keep me")
    with app.app_context(), pytest.raises(InvalidInput, match="exists"):
        backup_services.backup(file)
    assert file.read_bytes() == b"keep me"
