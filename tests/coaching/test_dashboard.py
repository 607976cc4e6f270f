"""The coach dashboard: who needs attention first (unread comments, missed sessions, new
uploads, form, compliance), the link to the day, and "since the coach last looked"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts.models import User
from smartrunning.coaching import attention
from smartrunning.plans.models import PlanDay
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession
from tests.helpers import login, make_runner, make_world, post_form, with_plans, with_sessions


def _client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _names_in_order(page: str) -> list[str]:
    return re.findall(r'<td><a href="/runners/\d+">([^<]+)</a>', page)


def test_the_athlete_who_needs_attention_comes_first(app: Flask) -> None:
    world = with_sessions(app, make_world(app))
    quiet = make_runner(app, "Aaron Quiet", coach_id=world.coach)
    coach = _client(app, "coach")
    # Never looked: a session stored in the last 7 days counts as new.
    page = coach.get("/athletes").text
    assert _names_in_order(page) == ["Rita Runner", "Aaron Quiet"]
    assert "1 new session" in page
    runner = _client(app, "runner")
    post_form(runner, f"/sessions/{world.session_id}/comments", {"body": "Knee hurts."})
    page = coach.get("/athletes").text
    assert "1 unread comment" in page
    link = re.search(r'href="(/athletes/\d+/open\?to=[^"]+)"', page)
    assert link is not None
    opened = coach.get(link.group(1).replace("&amp;", "&"))
    assert opened.status_code == 302
    assert opened.location == f"/sessions/{world.session_id}/feedback#thread"
    with app.app_context():
        user = db.session.get_one(User, world.coach)
        status = attention.statuses(user, [world.runner_id, quiet], clock.today())
    # Opened: the session is no longer new; the comment is still unread until its thread
    # is read.
    assert status[world.runner_id].new_uploads == 0
    assert status[world.runner_id].unread_comments == 1
    assert status[quiet].score == 0
    coach.get(f"/sessions/{world.session_id}/feedback")
    page = coach.get("/athletes").text
    assert "unread comment" not in page
    assert "all quiet" in page


def test_missed_days_and_compliance(app: Flask, set_today) -> None:  # type: ignore[no-untyped-def]
    world = with_plans(app, make_world(app))
    with app.app_context():
        first = db.session.get_one(PlanDay, world.plan_day_id)
        plan_days = list(
            db.session.execute(
                sa.select(PlanDay).where(PlanDay.plan_id == first.plan_id).order_by(PlanDay.date)
            ).scalars()
        )
        runnable = [d for d in plan_days if d.kind != "rest"]
        after = runnable[1].date + dt.timedelta(days=1)
    set_today(after)  # two planned days have passed with nothing run
    with app.app_context():
        user = db.session.get_one(User, world.coach)
        status = attention.statuses(user, [world.runner_id], clock.today())[world.runner_id]
    assert status.missed_28 == 2
    assert status.compliance_28 == 0.0
    assert status.link == f"/plan-days/{runnable[1].id}/comments"
    page = _client(app, "coach").get("/athletes").text
    assert "missed session" in page
    assert "0 %" in page


def test_a_coach_sees_only_their_athletes_and_runners_cannot_open(app: Flask) -> None:
    world = make_world(app)
    coach = _client(app, "coach")
    assert "Otto Other" not in coach.get("/athletes").text
    assert coach.get(f"/athletes/{world.other_runner_id}/open").status_code == 404
    opened = coach.get(f"/athletes/{world.runner_id}/open?to=https://evil.example/")
    assert opened.location == f"/runners/{world.runner_id}"
    runner = _client(app, "runner")
    assert runner.get(f"/athletes/{world.runner_id}/open").status_code == 403


def test_the_dashboard_queries_do_not_grow_with_the_roster(app: Flask) -> None:
    world = with_sessions(app, make_world(app))
    coach = _client(app, "coach")

    def count() -> int:
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

            def record(*args: object) -> None:
                statements.append(str(args[2]))

            sa.event.listen(engine, "before_cursor_execute", record)
            try:
                assert coach.get("/athletes").status_code == 200
            finally:
                sa.event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    few = count()
    assert few > 0
    for i in range(5):
        make_runner(app, f"Extra {i}", coach_id=world.coach)
    assert count() == few
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(TrainingSession.id))).scalar_one() == 2


@pytest.mark.usefixtures("on_written_day")  # the suggestion's dates are in the past
def test_suggestions_waiting_count_and_open_where_they_are_decided(app: Flask) -> None:
    from tests.helpers import with_suggestions

    world = with_suggestions(app, make_world(app))
    quiet = make_runner(app, "Aaron Quiet", coach_id=world.coach)
    coach = _client(app, "coach")
    page = coach.get("/athletes").text
    assert _names_in_order(page) == ["Rita Runner", "Aaron Quiet"]
    found = re.search(
        r'<a class="badge[^"]*" href="(/athletes/\d+/open\?to=[^"]+)" '
        r'data-testid="suggestions-waiting"[^>]*>1 suggested change waiting</a>',
        page,
    )
    assert found is not None, page
    with app.app_context():
        user = db.session.get_one(User, world.coach)
        status = attention.statuses(user, [world.runner_id, quiet], clock.today())
    assert status[world.runner_id].suggestions == 1
    assert status[world.runner_id].score > status[quiet].score == 0
    opened = coach.get(found.group(1).replace("&amp;", "&"))
    assert opened.location == f"/runners/{world.runner_id}#suggestions"
    profile = coach.get(f"/runners/{world.runner_id}").text
    assert 'id="suggestions"' in profile
    accept = re.search(r'action="(/runners/\d+/cs-suggestions/\d+/accept)"', profile)
    assert accept is not None
    assert post_form(coach, accept.group(1)).status_code == 302
    page = coach.get("/athletes").text
    assert "suggested change" not in page


def test_each_reason_links_to_where_it_is_seen() -> None:
    """Very tired with nothing else: the history; a missed day or a comment keeps its own
    link (the day in question) before the history."""
    tired = attention.AthleteStatus(7, form=-40.0)
    attention._reasons(tired)
    assert tired.reasons == ["very tired (form below −30)"]
    assert tired.link == "/runners/7/history"
    missed = attention.AthleteStatus(7, form=-40.0, missed_7=1, link="/plan-days/3/comments")
    attention._reasons(missed)
    assert missed.link == "/plan-days/3/comments"
    uploads = attention.AthleteStatus(7, new_uploads=2, upload_link="/sessions/9/feedback")
    attention._reasons(uploads)
    assert uploads.link == "/sessions/9/feedback"
