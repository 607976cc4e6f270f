"""Time zone and units in a browser: the zone taken from the browser at first login, then
miles and America/New_York chosen on the settings page, and a session read in them on a
desktop and a phone (issue #19 item 7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect

from smartrunning.accounts.models import User
from smartrunning.platform.db import db
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world, with_sessions

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("on_written_day")]


def _collect_errors(page: Page) -> list[str]:
    """Script errors and failed loads of ``page``, as they happen."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_error(error: Error) -> None:
        errors.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_error)
    return errors


def test_a_runner_chooses_miles_and_new_york_and_reads_a_session_in_them(
    app: Flask, live_server: str, browser: Browser, artifacts: Path
) -> None:
    world = with_sessions(app, make_world(app))
    contexts = []
    pages: list[Page] = []
    errors_of: dict[int, list[str]] = {}
    try:
        for width, height in ((1280, 900), (390, 844)):
            context = browser.new_context(
                viewport={"width": width, "height": height}, timezone_id="Asia/Tokyo"
            )
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(15_000)
            errors_of[id(page)] = _collect_errors(page)
            pages.append(page)
        desktop, phone = pages

        log_in(desktop, live_server, "runner", PASSWORD)
        with app.app_context():
            assert db.session.get_one(User, world.runner).time_zone == "Asia/Tokyo"

        desktop.goto(f"{live_server}/settings/tokens")
        expect(desktop.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
        desktop.get_by_label("Time zone").fill("Mars/Base")
        desktop.get_by_role("button", name="Save").click()
        expect(desktop.get_by_text("Unknown time zone “Mars/Base”")).to_be_visible()
        desktop.get_by_label("Time zone").fill("America/New_York")
        desktop.get_by_label("Distances and paces").select_option("mi")
        desktop.get_by_role("button", name="Save").click()
        expect(desktop.get_by_text("Your time zone and units are saved.")).to_be_visible()
        desktop.screenshot(path=artifacts / "80-preferences-saved.png")

        log_in(phone, live_server, "runner", PASSWORD)
        for page, name in ((desktop, "desktop"), (phone, "phone")):
            page.goto(f"{live_server}/sessions/{world.session_id}")
            expect(page.get_by_test_id("session-speed")).to_contain_text("/mi")
            expect(page.get_by_test_id("session-distance")).to_contain_text(" mi")
            expect(
                page.get_by_text(re.compile(r"started \d{4}-\d\d-\d\d \d\d:\d\d E[SD]T"))
            ).to_be_visible()
            expect(page.locator("#pace-chart")).to_be_visible()
            page.screenshot(path=artifacts / f"81-session-miles-{name}.png", full_page=True)
            assert errors_of[id(page)] == [], errors_of[id(page)]
    finally:
        for context in contexts:
            context.close()
