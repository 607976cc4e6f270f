"""The onboarding wizard in a browser: a coach adding an athlete, and a new runner."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes.models import Sex
from smartrunning.platform import clock
from smartrunning.platform.db import db
from tests.e2e.pages import change_password, log_in
from tests.helpers import PASSWORD, make_user, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("on_written_day")]


def fill_hr_step(page: Page) -> None:
    page.get_by_label("Measured maximum HR (bpm)").fill("190")
    page.get_by_label("Resting HR (bpm)").fill("50")
    page.get_by_label("Zones as").select_option("percent_hrr")
    page.get_by_label("Valid from").fill("2026-01-01")
    # Karvonen zone 1: 50 + 0.6 × 140 = 134 bpm, shown live before saving.
    expect(page.get_by_test_id("zones-preview")).to_contain_text("134")


def fill_bests_step(page: Page) -> None:
    # Races on one line (CS 4.0 m/s, D′ 200 m, within 1 %): the profile's fit refuses races
    # it predicts more than 2 % off (SCIENCE.md, "Which efforts anchor CS").
    rows = [
        ("1 mile", "5:50", "2026-06-01"),
        ("5 km", "20:00", "2026-05-01"),
        ("3000 m", "11:40", "2026-07-01"),
    ]
    for number, (distance, time, day) in enumerate(rows, start=1):
        page.get_by_label(f"Distance {number}", exact=True).select_option(label=distance)
        page.get_by_label(f"Time {number}", exact=True).fill(time)
        page.get_by_label(f"Date {number}", exact=True).fill(day)
    preview = page.get_by_test_id("cs-preview")
    expect(preview).to_contain_text("CS ")
    expect(preview).to_contain_text("R²")
    expect(preview).to_contain_text("Marathon")


def test_coach_adds_athlete_with_login_through_the_wizard(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    make_world(app)
    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.get_by_role("link", name="Add athlete").click()
    coach.get_by_label("Name").fill("Wanda Wizard")
    coach.get_by_label("Birth date").fill("1990-01-01")
    coach.get_by_label("Sex").select_option("f")
    coach.get_by_label("Weight (kg)").fill("58")
    # Weighed earlier: dated that day; the picker stops at today and at the birth date.
    as_of = coach.get_by_label("Weight as of")
    expect(as_of).to_have_value(clock.today().isoformat())
    expect(as_of).to_have_attribute("max", clock.today().isoformat())
    expect(as_of).to_have_attribute("min", "1990-01-01")
    as_of.fill("2026-10-01")
    coach.screenshot(path=artifacts / "10-wizard-1-basics.png")
    coach.get_by_role("button", name="Save and continue").click()

    expect(coach.get_by_test_id("hunt-estimate")).to_be_visible()
    fill_hr_step(coach)
    coach.screenshot(path=artifacts / "11-wizard-2-heart-rate.png", full_page=True)
    coach.get_by_role("button", name="Save and continue").click()

    fill_bests_step(coach)
    coach.screenshot(path=artifacts / "12-wizard-3-bests.png", full_page=True)
    coach.get_by_role("button", name="Save and continue").click()

    expect(coach.get_by_label("Sessions per week")).to_have_value("4")
    coach.get_by_label("Notes").fill("Prefers morning runs.")
    expect(coach.get_by_test_id("wizard-level")).to_contain_text("Beginner: 0.0 h a week")
    review = coach.get_by_test_id("wizard-review")
    expect(review.get_by_role("row", name="Weight")).to_contain_text("2026-10-01")
    expect(review.get_by_role("row", name="Maximum heart rate")).to_contain_text("2026-01-01")
    coach.screenshot(path=artifacts / "13-wizard-4-training.png", full_page=True)
    coach.get_by_role("button", name="Save and continue").click()

    coach.get_by_label("User name for the athlete").fill("wanda")
    coach.get_by_role("button", name="Create login").click()
    password = coach.get_by_test_id("temp-password").inner_text().strip()
    coach.get_by_role("link", name="Open Wanda Wizard's profile").click()
    expect(coach.get_by_test_id("hrmax")).to_have_text("190")
    expect(coach.get_by_test_id("hr-zones")).to_contain_text("134")
    expect(coach.get_by_test_id("cs-report")).to_contain_text("R²")
    expect(coach.get_by_test_id("hr-source")).to_contain_text("Daniels' % of maximum heart rate")
    coach.get_by_test_id("hr-source").screenshot(path=artifacts / "14b-profile-hr-source.png")
    # The date axes end at the data: the CS line runs to today, not past it.
    today_number = (clock.today() - dt.date(1970, 1, 1)).days
    cs_axis_max = coach.evaluate("Chart.getChart('cs-chart').scales.x.max")
    assert cs_axis_max == today_number
    coach.screenshot(path=artifacts / "14-runner-profile.png", full_page=True)

    # The coach changes HRmax from a date and sees the history.
    form = coach.get_by_test_id("parameter-form")
    form.get_by_label("Parameter").select_option("hrmax_bpm")
    form.get_by_label("Value").fill("187")
    form.get_by_label("Valid from").fill("2026-09-01")
    form.get_by_role("button", name="Save version").click()
    expect(coach.get_by_text("Saved from 2026-09-01")).to_be_visible()
    history = coach.get_by_test_id("parameter-history")
    expect(history).to_contain_text("2026-09-01")
    expect(history).to_contain_text("187")
    expect(coach.get_by_test_id("hrmax")).to_have_text("187")
    coach.screenshot(path=artifacts / "15-parameter-history.png", full_page=True)
    assert coach.console_errors == []  # type: ignore[attr-defined]

    wanda = new_page()
    log_in(wanda, live_server, "wanda", password)
    change_password(wanda, password, "wanda's own passphrase")
    # The runner lands on their day; the physiology is one link away.
    wanda.get_by_test_id("physiology-link").click()
    expect(wanda.get_by_test_id("runner-name")).to_have_text("Wanda Wizard")
    expect(wanda.get_by_test_id("predictions")).to_contain_text("Half marathon")
    expect(wanda.get_by_role("link", name="Athletes")).to_have_count(0)
    assert wanda.console_errors == []  # type: ignore[attr-defined]

    # The coach deletes the athlete: the name must be typed; her login stops working.
    coach.get_by_test_id("delete-runner").click()
    expect(coach.get_by_test_id("delete-warning")).to_contain_text("Their login is deactivated")
    form = coach.get_by_test_id("delete-runner-form")
    form.get_by_label("Type the runner's name to confirm").fill("Wanda")
    form.get_by_role("button", name="Delete the runner and their data").click()
    expect(coach.get_by_text("Type the name exactly as shown: Wanda Wizard")).to_be_visible()
    coach.screenshot(path=artifacts / "18-delete-runner.png", full_page=True)
    form.get_by_label("Type the runner's name to confirm").fill("Wanda Wizard")
    form.get_by_role("button", name="Delete the runner and their data").click()
    expect(coach.get_by_text("Wanda Wizard was deleted with 0 sessions")).to_be_visible()
    expect(coach.get_by_test_id("athletes")).not_to_contain_text("Wanda Wizard")
    wanda.reload()
    expect(wanda).to_have_url(re.compile(r"/login"))
    # The only console message: the browser noting the refused form's 422 answer.
    assert coach.console_errors == [  # type: ignore[attr-defined]
        "Failed to load resource: the server responded with a status of 422 (UNPROCESSABLE ENTITY)"
    ]


def test_new_runner_finishes_the_wizard_at_first_login(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    make_world(app)
    user_id = make_user(app, "nora", Role.RUNNER, must_change=True)
    with app.app_context():
        athlete_services.create_runner(
            "Nora Newbie",
            dt.date(1995, 3, 4),
            Sex.FEMALE,
            created_by=None,
            today=dt.date(2026, 11, 21),
            user=db.session.get(User, user_id),
        )
        db.session.commit()
    page = new_page(width=390, height=844)
    log_in(page, live_server, "nora", PASSWORD)
    change_password(page, PASSWORD, "nora's own passphrase")
    expect(page).to_have_url(re.compile(r".*/setup/2$"))
    expect(page.get_by_test_id("wizard-steps")).not_to_contain_text("Login")
    page.get_by_label("Resting HR (bpm)").fill("52")
    page.get_by_role("button", name="Save and continue").click()
    # Leaving mid-way keeps what was entered; logging in again resumes at step 3.
    page.get_by_role("link", name="Finish later").click()
    expect(page.get_by_test_id("setup-incomplete")).to_be_visible()
    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r".*/setup/3$"))
    fill_bests_step(page)
    page.screenshot(path=artifacts / "16-phone-wizard-bests.png", full_page=True)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_test_id("runner-name")).to_have_text("Nora Newbie")
    expect(page.get_by_test_id("setup-incomplete")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"profile is {width}px wide on a 390px screen"
    page.screenshot(path=artifacts / "17-phone-runner-profile.png", full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]
