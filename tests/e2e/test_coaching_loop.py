"""The coaching loop in a browser, on a desktop and a phone: a runner gives a session's
RPE, feeling and a comment; the coach sees the unread count and the dashboard's note,
opens the day in one click and answers; the runner reads the answer from the inbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from smartrunning.accounts.models import User
from smartrunning.notifications.actions import unsubscribe_token
from smartrunning.notifications.models import NotificationKind
from smartrunning.platform.db import db
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world, with_sessions

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_runner_rates_and_comments_coach_answers(
    app: Flask, live_server: str, new_page: Any, artifacts: Path, viewport: str
) -> None:
    world = with_sessions(app, make_world(app))
    width, height = VIEWPORTS[viewport]
    shot = f"coaching-loop-{viewport}"

    runner = new_page(width, height)
    log_in(runner, live_server, "runner", PASSWORD)
    runner.goto(f"{live_server}/sessions/{world.session_id}")
    runner.get_by_test_id("feedback-link").click()
    runner.locator("label[for=rpe7]").click()
    runner.locator("label[for=feel-tired]").click()
    runner.get_by_label("Comment for your coach (optional)").fill("Hills felt heavy today.")
    runner.get_by_role("button", name="Save feedback").click()
    expect(runner.get_by_test_id("feedback-summary")).to_contain_text("RPE 7")
    expect(runner.get_by_test_id("feedback-summary")).to_contain_text("Felt tired")
    expect(runner.get_by_test_id("comments")).to_contain_text("Hills felt heavy today.")
    runner.screenshot(path=str(artifacts / f"{shot}-1-runner-feedback.png"), full_page=True)

    coach = new_page(width, height)
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/athletes")
    badge = coach.get_by_test_id("unread-count-phone" if viewport == "phone" else "unread-count")
    expect(badge).to_contain_text("1")
    attention = coach.get_by_test_id("attention").first
    expect(attention).to_contain_text("1 unread comment")
    expect(coach.get_by_test_id("last-rating")).to_have_text("RPE 7 · tired")
    coach.screenshot(path=str(artifacts / f"{shot}-2-coach-dashboard.png"), full_page=True)
    attention.get_by_role("link").click()
    expect(coach.get_by_test_id("comments")).to_contain_text("Hills felt heavy today.")
    expect(coach.get_by_test_id("feedback-summary")).to_contain_text("RPE 7")
    coach.get_by_role("textbox", name="Comment").fill("Good work; keep tomorrow easy.")
    coach.get_by_role("button", name="Post").click()
    expect(coach.get_by_test_id("comments")).to_contain_text("keep tomorrow easy")
    # Reading the thread read its notification too: no unread count left.
    expect(coach.get_by_test_id("unread-count")).to_have_count(0)
    expect(coach.get_by_test_id("unread-count-phone")).to_have_count(0)
    coach.screenshot(path=str(artifacts / f"{shot}-3-coach-answers.png"), full_page=True)
    coach.goto(f"{live_server}/athletes")
    expect(coach.get_by_test_id("attention").first).not_to_contain_text("unread comment")

    runner.goto(f"{live_server}/notifications")
    expect(runner.get_by_test_id("inbox")).to_contain_text("coach commented")
    runner.screenshot(path=str(artifacts / f"{shot}-4-runner-inbox.png"), full_page=True)
    runner.get_by_test_id("inbox").get_by_role("link").first.click()
    expect(runner.get_by_test_id("comments")).to_contain_text("keep tomorrow easy")
    assert runner.console_errors == []
    assert coach.console_errors == []


def test_notification_choices_and_unsubscribe_page(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    make_world(app)
    page = new_page(390, 844)
    log_in(page, live_server, "coach", PASSWORD)
    page.goto(f"{live_server}/notifications/settings")
    page.get_by_label("E-mail address").fill("coach@example.org")
    page.get_by_label("New uploads of an athlete by e-mail").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("saved")
    expect(page.get_by_label("New uploads of an athlete by e-mail")).not_to_be_checked()
    expect(page.get_by_label("Comments and feedback by e-mail")).to_be_checked()
    page.screenshot(path=str(artifacts / "notification-choices-phone.png"), full_page=True)
    with app.app_context():
        coach = db.session.execute(db.select(User).filter_by(username="coach")).scalar_one()
        token = unsubscribe_token(coach.id, NotificationKind.COMMENT)
    stranger = new_page(390, 844)
    stranger.goto(f"{live_server}/notifications/unsubscribe/{token}")
    stranger.get_by_role("button", name="Unsubscribe").click()
    expect(stranger.get_by_role("heading", name="Unsubscribed")).to_be_visible()
    stranger.screenshot(path=str(artifacts / "notification-unsubscribed-phone.png"))
    page.reload()
    expect(page.get_by_label("Comments and feedback by e-mail")).not_to_be_checked()
