"""Training plans in a browser: a coach generates a plan for a runner, edits a day, and
the runner logs in and sees it (on a phone-sized screen too)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from smartrunning.services import plan_schemas, workout_imports
from smartrunning.store import db
from tests.e2e.test_foundation import log_in
from tests.helpers import PASSWORD, make_world

pytestmark = pytest.mark.e2e


def test_coach_generates_and_edits_a_plan_and_the_runner_sees_it(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    world = make_world(app)
    with app.app_context():
        workout_imports.load_default_library()
        plan_schemas.load_default_schemas()
        db.session.commit()
    race = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=40)

    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/runners/{world.runner_id}")
    coach.get_by_test_id("runner-tabs").get_by_role("link", name="Plans").click()
    coach.get_by_label("Schema").select_option(label="10 km")
    coach.get_by_label("Race date").fill(race.isoformat())
    coach.get_by_label("Distance (m)").fill("10000")
    coach.get_by_label("Weeks").fill("6")
    coach.screenshot(path=artifacts / "60-plan-generate-form.png", full_page=True)
    coach.get_by_role("button", name="Generate").click()

    expect(coach.get_by_test_id("month-view")).to_be_visible()
    expect(coach.get_by_test_id("week-view")).to_be_visible()
    expect(coach.get_by_test_id("race-form")).not_to_be_empty()
    expect(coach.get_by_test_id("ics-url")).to_have_value(re.compile(r".*/plans/ics/.+\.ics$"))
    coach.wait_for_function("() => document.querySelector('#projection-chart').width > 0")
    coach.screenshot(path=artifacts / "61-plan-coach.png", full_page=True)

    coach.locator("[data-testid^=edit-]").first.click()
    coach.get_by_label("Duration (min)").fill("50")
    coach.get_by_label("Notes").fill("Hill reps on the bridge")
    coach.screenshot(path=artifacts / "62-plan-edit-day.png", full_page=True)
    coach.get_by_role("button", name="Save").click()
    expect(coach.get_by_test_id("week-view")).to_contain_text("Hill reps on the bridge")
    expect(coach.get_by_test_id("week-view")).to_contain_text("edited")

    runner = new_page(390, 844)
    log_in(runner, live_server, "runner", PASSWORD)
    runner.goto(f"{live_server}/runners/{world.runner_id}/plans")
    runner.get_by_test_id("plan-list").get_by_role("link").first.click()
    week = runner.get_by_test_id("week-view")
    expect(week).to_contain_text("Hill reps on the bridge")
    expect(week).to_contain_text("edited")
    expect(runner.get_by_role("link", name="Edit")).to_have_count(0)
    expect(runner.get_by_role("button", name="Regenerate from today's data")).to_have_count(0)
    runner.screenshot(path=artifacts / "63-plan-runner-phone.png", full_page=True)
