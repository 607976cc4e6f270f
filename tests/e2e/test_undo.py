"""Deleting a session in a browser: asked first, then "Session deleted … Undo", and Undo
brings it back (desktop with the browser's confirmation, phone with the page's own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world, with_sessions

pytestmark = [pytest.mark.e2e]


def test_delete_a_session_see_undo_and_undo_it(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    world = with_sessions(app, make_world(app))
    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/sessions/{world.session_id}")
    questions: list[str] = []

    def answer(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    coach.on("dialog", answer)
    coach.get_by_test_id("delete-session").click()
    banner = coach.get_by_test_id("undo-banner")
    expect(banner).to_contain_text("Session deleted")
    expect(banner).to_contain_text("You can undo this for 10 minutes.")
    assert questions
    assert "Delete this session?" in questions[0]
    expect(coach.locator(f'a[href="/sessions/{world.session_id}"]')).to_have_count(0)
    coach.screenshot(path=artifacts / "undo-1-deleted-desktop.png", full_page=True)
    banner.get_by_role("button", name="Undo").click()
    expect(coach.get_by_text("Session restored")).to_be_visible()
    assert coach.url.endswith(f"/sessions/{world.session_id}")
    coach.goto(f"{live_server}/runners/{world.runner_id}/sessions")
    expect(coach.locator(f'a[href="/sessions/{world.session_id}"]')).to_have_count(1)
    assert coach.console_errors == []

    # A phone, and the page's own confirmation (as without JavaScript).
    runner = new_page(390, 844)
    log_in(runner, live_server, "runner", PASSWORD)
    runner.goto(f"{live_server}/sessions/{world.session_id}/delete")
    expect(runner.get_by_test_id("confirm-question")).to_contain_text("Delete")
    runner.screenshot(path=artifacts / "undo-2-confirm-phone.png", full_page=True)
    runner.get_by_test_id("confirm-button").click()
    expect(runner.get_by_test_id("undo-banner")).to_contain_text("Session deleted")
    runner.screenshot(path=artifacts / "undo-3-deleted-phone.png", full_page=True)
    runner.get_by_test_id("undo").click()
    expect(runner.get_by_text("Session restored")).to_be_visible()
    runner.screenshot(path=artifacts / "undo-4-restored-phone.png", full_page=True)
    assert runner.console_errors == []


def test_suggestions_waiting_on_the_dashboard_open_where_they_are_accepted(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    from tests.helpers import with_suggestions

    world = with_suggestions(app, make_world(app))
    for width, height, name in ((1280, 900, "desktop"), (390, 844, "phone")):
        coach = new_page(width, height)
        log_in(coach, live_server, "coach", PASSWORD)
        coach.goto(f"{live_server}/athletes")
        badge = coach.get_by_test_id("suggestions-waiting")
        expect(badge).to_have_text("1 suggested change waiting")
        coach.screenshot(path=artifacts / f"dashboard-suggestions-{name}.png", full_page=True)
        badge.click()
        assert coach.url.endswith(f"/runners/{world.runner_id}#suggestions")
        expect(coach.get_by_test_id("accept-suggestion")).to_be_visible()
        assert coach.console_errors == []
