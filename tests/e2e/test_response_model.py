"""The response model on the profile in a browser: fitted, and on a phone's width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from tests.athletes.response_data import with_history_and_races
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("on_written_day")]


def test_profile_shows_the_fitted_response_model(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    world = make_world(app)
    with_history_and_races(app, world.runner_id)
    for width, name in ((1280, "70-response-model.png"), (390, "71-response-model-phone.png")):
        page = new_page(width=width)
        log_in(page, live_server, "coach", PASSWORD)
        page.goto(f"{live_server}/runners/{world.runner_id}#response-model")
        section = page.get_by_test_id("response-model")
        expect(section).to_contain_text("Response model: fitted (τ1 = ")
        expect(page.get_by_test_id("response-parameters")).to_contain_text("Fitness time constant")
        section.screenshot(path=artifacts / name)
        # Nothing of the section is wider than the page.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (width, overflow)
        assert page.console_errors == []
