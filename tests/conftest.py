"""Fixtures shared by every test package."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings

from smartrunning.app import create_app
from smartrunning.platform import clock
from smartrunning.platform.db import db
from tests.database import (
    TestDatabase,
    drop_postgres_database,
    postgres_database,
    sqlite_template,
)
from tests.helpers import WRITTEN_ON
from tests.processes import process_env
from tests.settings import make_settings, postgres_url

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# Speed is measured by the benchmarks under bench/, never asserted by tests: no per-example
# deadline (on a busy 2-core machine a first example that imports scipy takes seconds).
hypothesis_settings.register_profile("smartrunning", deadline=None)
hypothesis_settings.load_profile("smartrunning")


@pytest.fixture(scope="session")
def test_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabase]:
    server = postgres_url()
    base = tmp_path_factory.mktemp("db")
    if server is None:
        yield sqlite_template(base)
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # Unique per run too: two test runs on one server must not drop each other's databases.
    run = (os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"p{os.getpid()}")[:8]
    name = f"smartrunning_test_{worker}_{run}"
    database = postgres_database(server, name, base / "instance")
    yield database
    drop_postgres_database(server, name)


@pytest.fixture
def app(tmp_path: Path, test_database: TestDatabase) -> Iterator[Flask]:
    settings = make_settings(tmp_path / "instance", test_database.url_for(tmp_path))
    application = create_app(settings, {"TESTING": True})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def instance(tmp_path: Path, test_database: TestDatabase) -> tuple[Path, str | None]:
    """An instance folder initialised by a real ``smartrunning init`` process, and its
    database URL (``None``: SQLite in the folder), for tests that start servers and workers."""
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    folder = tmp_path / "instance"
    result = subprocess.run(
        [sys.executable, "-m", "smartrunning", "init"],
        env=process_env(folder, url),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return folder, url


@pytest.fixture
def set_today() -> Iterator[Callable[[dt.date], None]]:
    """Set the app's clock (``platform.clock``) to noon UTC of a day; the wall clock again
    after the test."""

    def set_day(day: dt.date) -> None:
        clock.set_clock(clock.fixed(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)))

    yield set_day
    clock.set_clock(None)


@pytest.fixture
def on_written_day(set_today: Callable[[dt.date], None]) -> None:
    """The app's clock on ``tests.helpers.WRITTEN_ON`` for the whole test."""
    set_today(WRITTEN_ON)


@pytest.fixture
def artifacts() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that touch the database are marked ``db``: they run on SQLite and PostgreSQL."""
    for item in items:
        if "test_database" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)
