"""An app whose e-mail goes to a real SMTP server on 127.0.0.1 (``smtp``), and running
the queue's tasks in this process (``run_queue``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from smartrunning.app import create_app
from smartrunning.platform.db import db
from smartrunning.platform.queue import get_queue
from tests.database import TestDatabase
from tests.notifications.smtp_server import SMTPServer
from tests.settings import make_settings


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def app(tmp_path: Path, test_database: TestDatabase, smtp: SMTPServer) -> Iterator[Flask]:
    settings = make_settings(
        tmp_path / "instance",
        test_database.url_for(tmp_path),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp.port,
        SMTP_FROM="Coach Desk <desk@example.org>",
        PUBLIC_URL="https://run.example.org",
        EMAIL_RETRIES=2,
        EMAIL_RETRY_DELAY_S=0,
    )
    application = create_app(settings, {"TESTING": True})
    with application.app_context():
        get_queue().huey.flush()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def run_queue(app: Flask, limit: int = 100) -> int:
    """Run the queued tasks (and those they queue) as a worker would; how many ran."""
    with app.app_context():
        huey = get_queue().huey
    ran = 0
    while ran < limit:
        task = huey.dequeue()
        if task is None:
            return ran
        huey.execute(task)
        ran += 1
    raise AssertionError(f"more than {limit} tasks: a loop?")
