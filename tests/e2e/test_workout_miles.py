"""The workout editor for a reader in miles (issue #19 item 7): paces typed and shown per
mile, stored per km."""

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

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("on_written_day")]


def _units(app: Flask, user_id: int, units: str) -> None:
    with app.app_context():
        db.session.get_one(User, user_id).units = units
        db.session.commit()


def test_a_coach_in_miles_types_6_02_per_mile_and_3_45_per_km_is_stored(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    world = make_world(app)
    _units(app, world.coach, "mi")
    coach: Page = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/workouts/new")
    coach.get_by_label("Name").fill("Mile repeats")
    coach.get_by_role("button", name="+ Intervals").click()
    coach.get_by_label("Step 2 on unit", exact=True).select_option("m")
    coach.get_by_label("Step 2 on", exact=True).fill("1600")
    coach.get_by_label("Step 2 on target", exact=True).select_option("pace")
    coach.get_by_label("Step 2 on pace to (/mi)", exact=True).fill("6:10")
    # Refusals name no unit the reader did not type in, or give both.
    coach.get_by_label("Step 2 on pace from (/mi)", exact=True).fill("fast")
    expect(coach.get_by_test_id("preview-error")).to_contain_text(
        "write a pace as minutes:seconds, e.g. 4:05."
    )
    coach.get_by_label("Step 2 on pace from (/mi)", exact=True).fill("0:30")
    expect(coach.get_by_test_id("preview-error")).to_contain_text("1:37 and 48:17 /mi")
    coach.get_by_label("Step 2 on pace from (/mi)", exact=True).fill("6:02")
    expect(coach.get_by_text("Pace from (m:ss /mi)")).to_be_visible()
    expect(coach.get_by_text("aim at a pace (m:ss per mile)")).to_be_visible()
    expect(coach.get_by_test_id("preview-error")).to_have_text("")
    coach.screenshot(path=artifacts / "70-workout-editor-miles.png", full_page=True)
    coach.get_by_role("button", name="Save workout").click()
    expect(coach.get_by_text("Workout “Mile repeats” created.")).to_be_visible()
    expect(coach.get_by_test_id("pace-target")).to_have_text("6:02–6:10 /mi")
    detail_url = coach.url.split("?")[0]
    coach.goto(detail_url + "/edit")
    expect(coach.get_by_label("Step 2 on pace from (/mi)", exact=True)).to_have_value("6:02")
    expect(coach.get_by_label("Step 2 on pace to (/mi)", exact=True)).to_have_value("6:10")

    # Stored per km: a reader in km sees 3:45-3:50 /km, in the editor too.
    _units(app, world.coach, "km")
    coach.goto(detail_url)
    expect(coach.get_by_test_id("pace-target")).to_have_text("3:45–3:50 /km")
    coach.goto(detail_url + "/edit")
    expect(coach.get_by_label("Step 2 on pace from (/km)", exact=True)).to_have_value("3:45")
    expect(coach.get_by_label("Step 2 on pace to (/km)", exact=True)).to_have_value("3:50")
    coach.screenshot(path=artifacts / "71-workout-editor-km-after-miles.png", full_page=True)
    # the previews refused on purpose
    errors = [e for e in coach.console_errors if "422" not in e]  # type: ignore[attr-defined]
    assert errors == []
