"""Health: liveness checks nothing but the process, readiness the database, its migrations
and the queue; neither says more in public than which check failed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.app import create_app
from smartrunning.platform import health
from smartrunning.platform.db import db
from tests.database import TestDatabase
from tests.settings import make_settings

READY = {"status": "ok", "database": "ok", "migrations": "ok", "queue": "ok"}


@pytest.mark.parametrize("path", ["/readyz", "/healthz"])
def test_ready_when_database_migrations_and_queue_are(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.json == READY


def test_alive_checks_nothing_but_the_process(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "instance",
        "postgresql://nobody@127.0.0.1:1/none",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    client = create_app(settings).test_client()
    assert client.get("/livez").status_code == 200
    assert client.get("/livez").json == {"status": "ok"}
    assert client.get("/readyz").status_code == 503


def test_not_ready_while_the_queue_is_unreachable(
    tmp_path: Path, test_database: TestDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(
        tmp_path / "instance", test_database.url_for(tmp_path), REDIS_URL="redis://127.0.0.1:1/0"
    )
    client = create_app(settings).test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {**READY, "status": "unavailable", "queue": "unreachable"}
    # The reason is for the operator's log, not for the public answer.
    assert "redis" not in response.get_data(as_text=True).lower()
    assert "Error" not in response.get_data(as_text=True)
    assert "queue unreachable: ConnectionError" in capsys.readouterr().err


def test_not_ready_while_the_database_is_unreachable(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "instance", "postgresql://nobody@127.0.0.1:1/none")
    response = create_app(settings).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "database": "unreachable",
        "migrations": "unreachable",
        "queue": "ok",
    }
    assert "127.0.0.1" not in response.get_data(as_text=True)


@pytest.fixture
def revision(app: Flask) -> Iterator[str]:
    """The test database's ``alembic_version``, put back afterwards (on PostgreSQL the
    database is shared by this worker's tests)."""
    with app.app_context(), db.engine.begin() as connection:
        head = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    yield head
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": head})


def _set_revision(app: Flask, value: str) -> None:
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": value})


def test_not_ready_while_migrations_are_pending(
    app: Flask, client: FlaskClient, revision: str
) -> None:
    previous = f"{int(revision) - 1:04d}"
    _set_revision(app, previous)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {**READY, "status": "unavailable", "migrations": "pending"}
    _set_revision(app, revision)
    assert client.get("/readyz").status_code == 200


def test_ready_when_a_newer_release_has_migrated(
    app: Flask, client: FlaskClient, revision: str
) -> None:
    """During a rolling update the migration job runs first: the old pods stay ready."""
    _set_revision(app, "9999_from_a_newer_release")
    assert client.get("/readyz").json == READY


def test_not_ready_on_a_database_never_migrated(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "instance", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    response = create_app(settings).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["migrations"] == "pending"
    assert response.json["database"] == "ok"


def test_probes_waiting_on_a_hanging_check_hold_no_thread(app: Flask) -> None:
    """While one check hangs, other probes answer at once: the last answer at first, then
    503 once it has taken longer than SLOW_CHECK_S."""
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    probe = app.extensions["smartrunning.health"]
    with probe.lock:  # as a check hanging in another thread holds it
        probe.running_since = time.monotonic()
        started = time.monotonic()
        assert client.get("/readyz").json == READY
        probe.running_since = time.monotonic() - health.SLOW_CHECK_S - 1
        slow = client.get("/readyz")
        assert time.monotonic() - started < health.SLOW_CHECK_S
    assert slow.status_code == 503
    assert slow.json == {"status": "unavailable", "checks": "slow"}
    assert client.get("/livez").status_code == 200
