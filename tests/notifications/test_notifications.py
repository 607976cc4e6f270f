"""Notifications: the inbox, each user's choices, e-mail through the queue to a real SMTP
server (what arrives is read back), retries, unsubscribe links, uploads and failed
imports, missed sessions, the API and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.cli import main
from smartrunning.notifications import actions, hooks
from smartrunning.notifications.models import (
    EmailStatus,
    Notification,
    NotificationKind,
    OutboxEmail,
)
from smartrunning.platform.db import db
from smartrunning.sessions import uploads
from tests.helpers import login, make_world, post_form
from tests.notifications.conftest import run_queue
from tests.notifications.smtp_server import SMTPServer
from tests.sessions.sessiondata import run_bytes


def _outbox(app: Flask) -> list[OutboxEmail]:
    with app.app_context():
        rows = list(db.session.execute(sa.select(OutboxEmail).order_by(OutboxEmail.id)).scalars())
        db.session.expunge_all()
        return rows


def _inbox(app: Flask, user_id: int) -> list[Notification]:
    with app.app_context():
        rows = list(
            db.session.execute(
                sa.select(Notification).where(Notification.user_id == user_id)
            ).scalars()
        )
        db.session.expunge_all()
        return rows


def _tell(app: Flask, user_id: int, kind: NotificationKind = NotificationKind.COMMENT) -> None:
    with app.app_context():
        actions.notify(
            [user_id], kind, "Rita commented on Tue 1 Dec", body="Legs heavy.", link="/runners/1"
        )
        db.session.commit()


def _address(app: Flask, user_id: int, address: str) -> None:
    with app.app_context():
        actions.set_email_address(user_id, address)
        db.session.commit()


def test_email_is_queued_on_commit_and_sent_by_the_task_to_the_smtp_server(
    app: Flask, smtp: SMTPServer
) -> None:
    world = make_world(app)
    _address(app, world.coach, "coach@example.org")
    _tell(app, world.coach)
    # Nothing is sent by the writer: the e-mail waits in the outbox and on the queue.
    assert smtp.mailbox.messages == []
    [email] = _outbox(app)
    assert email.status is EmailStatus.PENDING
    assert email.to_address == "coach@example.org"
    assert run_queue(app) == 1
    [received] = smtp.mailbox.messages
    assert received.recipients == ["coach@example.org"]
    assert received.sender == "desk@example.org"
    message = received.message
    assert message["Subject"] == "Rita commented on Tue 1 Dec"
    text = message.get_content()
    assert "Legs heavy." in text
    assert "Open it: https://run.example.org/runners/1" in text
    unsubscribe = re.search(r"https://run\.example\.org(/notifications/unsubscribe/\S+)", text)
    assert unsubscribe is not None
    assert message["List-Unsubscribe"] == f"<https://run.example.org{unsubscribe.group(1)}>"
    [sent] = _outbox(app)
    assert sent.status is EmailStatus.SENT
    assert sent.attempts == 1
    assert sent.sent_at is not None
    # The inbox has it too (both channels on by default).
    assert [n.title for n in _inbox(app, world.coach)] == ["Rita commented on Tue 1 Dec"]


def test_rolled_back_notifications_queue_nothing(app: Flask, smtp: SMTPServer) -> None:
    world = make_world(app)
    _address(app, world.coach, "coach@example.org")
    with app.app_context():
        actions.notify([world.coach], NotificationKind.COMMENT, "never", link="/")
        db.session.rollback()
    assert run_queue(app) == 0
    assert _outbox(app) == []
    assert smtp.mailbox.messages == []


def test_a_refused_delivery_is_retried_by_the_queue(app: Flask, smtp: SMTPServer) -> None:
    world = make_world(app)
    _address(app, world.coach, "coach@example.org")
    smtp.mailbox.refuse_next = 1
    _tell(app, world.coach)
    assert run_queue(app) == 2  # the first try and its retry
    [email] = _outbox(app)
    assert email.status is EmailStatus.SENT
    assert email.attempts == 2
    assert len(smtp.mailbox.messages) == 1


def test_an_email_fails_after_its_retries(app: Flask, smtp: SMTPServer) -> None:
    world = make_world(app)
    _address(app, world.coach, "coach@example.org")
    smtp.mailbox.refuse_next = 99
    _tell(app, world.coach)
    assert run_queue(app) == 3  # EMAIL_RETRIES=2: three tries
    [email] = _outbox(app)
    assert email.status is EmailStatus.FAILED
    assert email.attempts == 3
    assert "451" in email.last_error
    assert smtp.mailbox.messages == []


def test_choices_decide_the_channels(app: Flask, smtp: SMTPServer) -> None:
    world = make_world(app)
    _tell(app, world.coach)  # no address: the inbox only
    assert len(_inbox(app, world.coach)) == 1
    assert _outbox(app) == []
    _address(app, world.coach, "coach@example.org")
    with app.app_context():
        actions.set_choice(world.coach, NotificationKind.COMMENT, in_app=False)
        actions.set_choice(world.coach, NotificationKind.UPLOAD, email=False)
        db.session.commit()
    _tell(app, world.coach)
    _tell(app, world.coach, NotificationKind.UPLOAD)
    assert len(_inbox(app, world.coach)) == 2  # the first comment, and the upload
    assert [e.kind for e in _outbox(app)] == [NotificationKind.COMMENT]
    with app.app_context():
        actions.set_choice(world.coach, NotificationKind.MISSED_SESSION, in_app=False, email=False)
        told = actions.notify([world.coach], NotificationKind.MISSED_SESSION, "x")
        db.session.commit()
    assert told == []


def test_unsubscribe_link_works_without_login(app: Flask, smtp: SMTPServer) -> None:
    world = make_world(app)
    _address(app, world.coach, "coach@example.org")
    _tell(app, world.coach)
    run_queue(app)
    text = smtp.mailbox.messages[0].message.get_content()
    match = re.search(r"https://run\.example\.org(/notifications/unsubscribe/\S+)", text)
    assert match is not None
    path = match.group(1)
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop these e-mails?" in page.get_data(as_text=True)
    done = post_form(client, path)
    assert done.status_code == 200
    assert "Unsubscribed" in done.get_data(as_text=True)
    with app.app_context():
        choices = {c.kind: c for c in actions.choices_for(world.coach)}
    assert choices[NotificationKind.COMMENT].email is False
    assert choices[NotificationKind.COMMENT].in_app is True
    assert choices[NotificationKind.UPLOAD].email is True
    _tell(app, world.coach)
    assert len(_outbox(app)) == 1  # no new e-mail
    assert client.get("/notifications/unsubscribe/forged.token").status_code == 404
    assert client.get(path[:-3] + "abc").status_code == 404


def test_header_count_inbox_and_opening_one(app: Flask) -> None:
    world = make_world(app)
    _tell(app, world.coach)
    _tell(app, world.coach)
    client = app.test_client()
    login(client, "coach")
    page = client.get("/workouts").get_data(as_text=True)
    assert re.search(r'data-testid="unread-count"[^>]*>2<', page)
    inbox = client.get("/notifications").get_data(as_text=True)
    assert inbox.count('data-unread="1"') == 2
    first = _inbox(app, world.coach)[0]
    opened = client.get(f"/notifications/{first.id}")
    assert opened.status_code == 302
    assert opened.location == "/runners/1"
    assert re.search(r'data-testid="unread-count"[^>]*>1<', client.get("/notifications").text)
    assert post_form(client, "/notifications/read").status_code == 302
    assert 'data-testid="unread-count"' not in client.get("/notifications").text
    # Someone else's notification: 404, and it stays unread.
    other = app.test_client()
    login(other, "othercoach")
    _tell(app, world.coach)
    newest = max(_inbox(app, world.coach), key=lambda n: n.id)
    assert other.get(f"/notifications/{newest.id}").status_code == 404
    assert other.get("/notifications/99999999").status_code == 404


def test_settings_page_saves_choices_and_refuses_a_bad_address(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "runner")
    assert client.get("/notifications/settings").status_code == 200
    bad = post_form(client, "/notifications/settings", {"email": "not an address"})
    assert bad.status_code == 422
    assert "e-mail address such as" in bad.text
    saved = post_form(
        client,
        "/notifications/settings",
        {"email": "rita@example.org", "in_app_comment": "on", "email_comment": "on"},
    )
    assert saved.status_code == 302
    with app.app_context():
        assert actions.email_address(world.runner) == "rita@example.org"
        choices = {c.kind: c for c in actions.choices_for(world.runner)}
    assert choices[NotificationKind.COMMENT].in_app
    assert choices[NotificationKind.COMMENT].email
    assert not choices[NotificationKind.UPLOAD].in_app
    assert not choices[NotificationKind.UPLOAD].email


def test_api_inbox_read_and_preferences(app: Flask) -> None:
    world = make_world(app)
    _tell(app, world.coach)
    _tell(app, world.coach)
    client = app.test_client()
    login(client, "coach")
    token = {"X-CSRFToken": _csrf(client)}
    listed = client.get("/api/notifications?unread=true")
    assert listed.status_code == 200
    assert len(listed.json) == 2
    assert json.loads(listed.headers["X-Pagination"])["total"] == 2
    one = client.post(f"/api/notifications/{listed.json[0]['id']}/read", headers=token)
    assert one.status_code == 200
    assert one.json["read_at"] is not None
    assert client.post("/api/notifications/read", headers=token).json == {"marked_read": 1}
    assert client.get("/api/notifications?unread=true").json == []
    prefs = client.put(
        "/api/notifications/preferences",
        json={
            "email": "c@example.org",
            "choices": [{"kind": "upload", "in_app": False, "email": True}],
        },
        headers=token,
    )
    assert prefs.status_code == 200
    assert prefs.json["email"] == "c@example.org"
    upload = next(c for c in prefs.json["choices"] if c["kind"] == "upload")
    assert upload == {
        "kind": "upload",
        "label": "New uploads of an athlete",
        "in_app": False,
        "email": True,
    }
    for body in (
        {"email": "nope"},
        {"choices": [{"kind": "weather", "in_app": True, "email": True}]},
        {"choices": [{"kind": "upload"}]},
        {"email": 5},
        {},
        {"choices": [{"kind": "upload", "in_app": 0, "email": True}]},
    ):
        refused = client.put("/api/notifications/preferences", json=body, headers=token)
        assert refused.status_code == 422, body
        assert set(refused.json["error"]) == {"code", "message", "details"}
    other = app.test_client()
    login(other, "othercoach")
    assert (
        other.post(
            f"/api/notifications/{listed.json[0]['id']}/read", headers={"X-CSRFToken": _csrf(other)}
        ).status_code
        == 404
    )


def _csrf(client: object) -> str:
    from tests.helpers import csrf_token

    return csrf_token(client)  # type: ignore[arg-type]


def test_an_upload_tells_the_coach_and_a_failed_file_tells_the_uploader(
    app: Flask, smtp: SMTPServer
) -> None:
    world = make_world(app)
    _address(app, world.coach, "coach@example.org")
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        uploader = db.session.get_one(User, world.runner)
        job = uploads.create_import(
            runner,
            [("run.fit", run_bytes(0, duration_s=600)), ("broken.fit", b".FIT" + b"\0" * 40)],
            by=uploader,
            source="test",
        )  # queued once committed
        job_id = job.id
    run_queue(app)  # the import's tasks, then the e-mail the completion queued
    [upload] = _inbox(app, world.coach)
    assert upload.kind is NotificationKind.UPLOAD
    assert upload.title == "Rita Runner: 1 new session"
    assert upload.link == f"/runners/{world.runner_id}/sessions"
    [failed] = _inbox(app, world.runner)
    assert failed.kind is NotificationKind.IMPORT_FAILED
    assert failed.link == f"/jobs/{job_id}"
    assert "1 file failed" in failed.title
    assert _inbox(app, world.other_coach) == []
    assert [m.message["Subject"] for m in smtp.mailbox.messages] == [upload.title]


def test_missed_session_hook_tells_each_person_once(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        for _ in range(2):
            hooks.missed_session(
                [world.coach, world.runner],
                "Rita Runner",
                dt.date(2026, 12, 1),
                "Easy run",
                "/plan-days/7/comments",
            )
            db.session.commit()
        hooks.parameter_suggestion([world.coach], "Rita Runner", "CS 4.1 m/s", "/runners/1")
        hooks.plan_stale([world.coach], "Rita Runner", "Two weeks behind.", "/plans/1")
        db.session.commit()
    titles = sorted(n.title for n in _inbox(app, world.coach))
    assert titles == [
        "Rita Runner missed Easy run on Tue 01 Dec",
        "Rita Runner's plan needs a look",
        "Suggested change for Rita Runner",
    ]
    assert len(_inbox(app, world.runner)) == 1


def test_inactive_users_are_not_told(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        db.session.get_one(User, world.coach).is_active = False
        db.session.commit()
    _tell(app, world.coach)
    assert _inbox(app, world.coach) == []


def test_cli_lists_chooses_reads_and_resends(app: Flask, smtp: SMTPServer) -> None:
    world = make_world(app)
    cli = app.test_cli_runner()
    chosen = cli.invoke(
        main,
        [
            "notifications",
            "choose",
            "--user",
            "coach",
            "--email",
            "coach@example.org",
            "--kind",
            "upload",
            "--no-in-app",
            "--json",
        ],
    )
    assert chosen.exit_code == 0, chosen.output
    data = json.loads(chosen.output)
    assert data["email"] == "coach@example.org"
    assert next(c for c in data["choices"] if c["kind"] == "upload")["in_app"] is False
    bad = cli.invoke(main, ["notifications", "choose", "--user", "coach", "--email", "x@"])
    assert bad.exit_code == 1
    assert "e-mail address" in bad.output
    unknown = cli.invoke(main, ["notifications", "choose", "--user", "coach", "--kind", "rain"])
    assert unknown.exit_code == 1
    assert "Unknown kind" in unknown.output
    _tell(app, world.coach)
    listed = cli.invoke(main, ["notifications", "list", "--user", "coach", "--json"])
    assert json.loads(listed.output)["unread"] == 1
    with app.app_context():
        from smartrunning.platform.queue import get_queue

        get_queue().huey.flush()  # the queue lost its task: resend queues it again
    resent = cli.invoke(main, ["notifications", "resend", "--json"])
    assert json.loads(resent.output) == {"queued": 1}
    run_queue(app)
    assert len(smtp.mailbox.messages) == 1
    read = cli.invoke(main, ["notifications", "read", "--user", "coach", "--json"])
    assert json.loads(read.output) == {"marked_read": 1}
    assert cli.invoke(main, ["notifications", "list", "--user", "nobody"]).exit_code == 1


@pytest.mark.parametrize("address", ["a@b", "two@@example.org", "x" * 250 + "@example.org"])
def test_bad_addresses_are_refused(app: Flask, address: str) -> None:
    world = make_world(app)
    with app.app_context(), pytest.raises(Exception, match="e-mail address"):
        actions.set_email_address(world.coach, address)


def test_a_suggested_critical_speed_tells_the_runners_coaches_once(app: Flask) -> None:
    from smartrunning.notifications.models import Notification, NotificationKind
    from tests.helpers import with_suggestions

    world = with_suggestions(app, make_world(app))
    with app.app_context():
        told = db.session.execute(
            sa.select(Notification.user_id, Notification.link, Notification.body).where(
                Notification.kind == NotificationKind.PARAMETER_SUGGESTION
            )
        ).all()
    assert sorted((user, link) for user, link, _ in told) == sorted(
        [
            (world.coach, f"/runners/{world.runner_id}#cs-from-2026-06-01"),
            (world.other_coach, f"/runners/{world.other_runner_id}#cs-from-2026-06-01"),
        ]
    )
    body = next(b for u, _, b in told if u == world.coach)
    assert body.startswith("Critical speed 4:10 /km (D′ 200 m) from "), body
    # The fit made again from the same day (as a recompute does): nobody is told twice.
    from smartrunning.athletes import bests as best_services

    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        best_services.refresh_critical_speed(runner, dt.date(2026, 6, 1), by=None)
        db.session.commit()
        count = db.session.execute(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == world.coach,
                Notification.kind == NotificationKind.PARAMETER_SUGGESTION,
            )
        ).scalar_one()
    assert count == 1
