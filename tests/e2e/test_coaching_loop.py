"""The coaching loop in a browser, on a desktop and a phone: a runner gives a session's
RPE, feeling and a comment; the coach sees the unread count and the dashboard's note,
opens the day in one click and answers; the runner reads the answer from the inbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

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
