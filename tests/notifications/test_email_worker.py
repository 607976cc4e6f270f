"""E-mail through a real ``smartrunning worker`` process: the web side writes the
notification, the worker's ``send_email`` task delivers it to the SMTP server."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from smartrunning.accounts.models import Role
from smartrunning.app import create_app
from smartrunning.notifications import actions
from smartrunning.notifications.models import EmailStatus, NotificationKind, OutboxEmail
from smartrunning.platform.db import db
from smartrunning.platform.queue import get_queue
from tests.helpers import make_user
from tests.notifications.smtp_server import SMTPServer
from tests.processes import process_env, start, stop
from tests.settings import make_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        stop(process)


def test_a_worker_process_sends_the_email(
    instance: tuple[Path, str | None],
    tmp_path: Path,
    smtp: SMTPServer,
    workers: list[subprocess.Popen[bytes]],
) -> None:
    folder, url = instance
    mail = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp.port), "EMAIL_RETRY_DELAY_S": "0"}
    app = create_app(
        make_settings(folder, url, SMARTRUNNING_ENV="development", SECRET_KEY=None, **mail)
    )
    with app.app_context():
        get_queue().huey.flush()
    coach = make_user(app, "mailcoach", Role.COACH)
    smtp.mailbox.refuse_next = 1  # the worker's first try fails; its retry delivers
    with app.app_context():
        actions.set_email_address(coach, "coach@example.org")
        actions.notify(
            [coach],
            NotificationKind.UPLOAD,
            "Rita Runner: 2 new sessions",
            link="/runners/1/sessions",
        )
        db.session.commit()
    workers.append(
        start(process_env(folder, url, **mail), "worker", "--workers", "1", cwd=tmp_path)
    )
    deadline = time.monotonic() + 60
    while not smtp.mailbox.messages and time.monotonic() < deadline:
        assert workers[0].poll() is None, stop(workers[0])
        time.sleep(0.1)
    [received] = smtp.mailbox.messages
    assert received.message["Subject"] == "Rita Runner: 2 new sessions"
    assert received.recipients == ["coach@example.org"]
    with app.app_context():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            email = db.session.execute(sa.select(OutboxEmail)).scalar_one()
            if email.status is EmailStatus.SENT:
                break
            db.session.rollback()
            time.sleep(0.1)
        assert email.status is EmailStatus.SENT
        assert email.attempts == 2
