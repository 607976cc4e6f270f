"""Critical speed in a browser: what it rests on, and a coach accepting a fitted suggestion
while a measured value is in force (SCIENCE.md, "measured beats fitted")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from smartrunning.platform.db import db
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_runner, make_world, with_suggestions

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("on_written_day")]


def test_coach_accepts_a_cs_suggestion_in_one_click(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    world = with_suggestions(app, make_world(app))
    # A measured CS of 3.90 m/s is in force; the races fit 4.00 m/s, D′ 200 m.
    runner_page = new_page()
    log_in(runner_page, live_server, "runner", PASSWORD)
    runner_page.goto(f"{live_server}/runners/{world.runner_id}")
    suggestion = runner_page.get_by_test_id("cs-suggestion")
    expect(suggestion).to_contain_text("4:10 /km")
    expect(suggestion).to_contain_text("Your coach decides")
    expect(suggestion.get_by_role("button", name="Accept")).to_have_count(0)

    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/runners/{world.runner_id}")
    expect(coach.get_by_test_id("cs-pace")).to_have_text("4:16 /km")
    expect(coach.get_by_test_id("cs-basis")).to_have_text("entered")
    suggestion = coach.get_by_test_id("cs-suggestion")
    expect(suggestion).to_contain_text("Suggested critical speed from")
    expect(suggestion).to_contain_text("3000 m in 11:40")
    bests = coach.get_by_test_id("bests")
    expect(bests.get_by_test_id("best-kind").first).to_contain_text("Race")
    expect(bests).to_contain_text("in CS fit")
    coach.screenshot(path=artifacts / "40-cs-suggestion.png", full_page=True)

    suggestion.get_by_role("button", name="Accept").click()
    expect(coach.get_by_text("Critical speed 4.00 m/s accepted from 2026-06-01")).to_be_visible()
    expect(coach.get_by_test_id("cs-suggestion")).to_have_count(0)
    expect(coach.get_by_test_id("cs-pace")).to_have_text("4:10 /km")
    expect(coach.get_by_test_id("cs-basis")).to_have_text("accepted")
    coach.screenshot(path=artifacts / "41-cs-accepted.png", full_page=True)
    assert coach.console_errors == []


def test_a_runner_with_no_performance_is_told_the_default_is_in_use(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    world = make_world(app)
    bare = make_runner(app, "Nora None", coach_id=world.coach)
    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/runners/{bare}")
    warning = coach.get_by_test_id("cs-default")
    expect(warning).to_contain_text("population default")
    expect(coach.get_by_test_id("cs-basis")).to_have_text("population default")
    # Entering a single race replaces it with an estimate from its VDOT.
    form = coach.get_by_test_id("best-form")
    form.get_by_label("Distance").select_option(label="10 km")
    form.get_by_label("Time (h:mm:ss)").fill("52:00")
    form.get_by_label("Date").fill("2026-10-04")
    form.get_by_label("It was").select_option("race")
    form.get_by_role("button", name="Add result").click()
    expect(coach.get_by_test_id("cs-default")).to_have_count(0)
    expect(coach.get_by_test_id("cs-basis")).to_have_text("estimated from VDOT")
    expect(coach.get_by_test_id("cs-estimate")).to_contain_text("VDOT")
    coach.screenshot(path=artifacts / "42-cs-estimated.png", full_page=True)
    assert coach.console_errors == []
    with app.app_context():
        db.session.remove()
