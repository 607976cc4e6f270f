"""A session held for review in a browser: the reason on the list and the page, confirmed
in one click (issue #16 item 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world
from tests.sessions.sessiondata import fast_run_bytes, import_inline

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("on_written_day")]


def test_a_coach_sees_why_a_session_is_held_and_confirms_it(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    world = make_world(app)
    report = import_inline(app, world.runner_id, [("rocket.fit", fast_run_bytes(0))])
    (session_id,) = report["files"][0]["session_ids"]  # type: ignore[index]
    page = new_page()
    log_in(page, live_server, "coach", PASSWORD)
    page.goto(f"{live_server}/runners/{world.runner_id}/sessions")
    expect(page.get_by_test_id("held")).to_have_text("held for review")
    page.goto(f"{live_server}/sessions/{session_id}")
    flags = page.get_by_test_id("session-flags")
    expect(flags).to_contain_text("Held for review")
    expect(flags).to_contain_text("faster than any runner (limit 12.5 m/s)")
    page.screenshot(path=artifacts / "50-session-held.png")
    page.get_by_test_id("confirm").click()
    expect(page).to_have_url(f"{live_server}/sessions/{session_id}")
    expect(page.get_by_text("Confirmed; bests, loads and history now count")).to_be_visible()
    expect(flags).to_contain_text("Confirmed")
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    page.screenshot(path=artifacts / "51-session-confirmed.png")
