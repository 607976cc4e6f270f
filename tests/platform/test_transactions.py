"""A rollback undoes the whole transaction on every database, savepoints included.

On SQLite, pysqlite opens no transaction before a SAVEPOINT, so the SAVEPOINT began one
of its own and its RELEASE committed it: a multi-file workout import that failed after
its first file kept that file on SQLite (and not on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.platform.db import db
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import imports as workout_imports
from smartrunning.workouts.models import Workout
from tests.core.zwodata import zwo


def _file(name: str, watts: float) -> tuple[str, bytes]:
    return name, zwo(f'<SteadyState Duration="600" Power="{watts}"/>', f"<name>{name}</name>")


def _count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.execute(sa.select(sa.func.count()).select_from(Workout)).scalar_one())


def test_a_failing_multi_file_import_stores_nothing(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _count(app)
    real = workout_services.create_workout
    calls = []

    def fail_on_the_third(*args: Any, **kwargs: Any) -> Workout:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk is gone")
        return real(*args, **kwargs)

    monkeypatch.setattr(workout_imports, "create_workout", fail_on_the_third)
    files = [_file("First Steady", 0.7), _file("Second Steady", 0.75), _file("Third", 0.8)]
    with app.app_context():
        with pytest.raises(RuntimeError):
            workout_imports.import_files(files, by=None)
        db.session.rollback()
    assert len(calls) == 3
    assert _count(app) == before


def test_a_savepoint_rolled_back_alone_keeps_the_rest(app: Flask) -> None:
    """Savepoints still do their own job: one file's failure undoes only that file."""
    before = _count(app)
    with app.app_context():
        report = workout_imports.import_files(
            [_file("Kept Steady", 0.7), ("broken.zwo", b"<workout_file>")], by=None
        )
        db.session.commit()
    assert [r.status for r in report.results] == ["imported", "failed"]
    assert _count(app) == before + 1
