"""A session page for a runner who reads miles (issue #19 item 7): one split per mile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from smartrunning.accounts.models import User
from smartrunning.platform.db import db
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world
from tests.sessions.sessiondata import import_inline, run_bytes

pytestmark = pytest.mark.e2e


def test_a_runner_in_miles_reads_mile_splits(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    world = make_world(app)
    report = import_inline(app, world.runner_id, [("run.fit", run_bytes(1, duration_s=1800))])
    session_id = report["files"][0]["session_ids"][0]  # type: ignore[index]
    with app.app_context():
        db.session.get_one(User, world.runner).units = "mi"
        db.session.commit()
    page: Page = new_page()
    log_in(page, live_server, "runner", PASSWORD)
    page.goto(f"{live_server}/sessions/{session_id}")
    expect(page.get_by_role("heading", name="Splits (mi)")).to_be_visible()
    splits = page.get_by_test_id("splits")
    expect(splits.locator("tbody tr").first.locator("td").nth(1)).to_have_text("1.00 mi")
    expect(splits.locator("thead")).to_contain_text("/mi")
    splits.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "72-session-mile-splits.png", full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]
