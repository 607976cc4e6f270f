"""The plan calendar in a browser: a coach adds a workout to a rest day, drags a day to
another, moves one with the buttons, copies a week, skips a day and regenerates keeping
it all; a run on a rest day shows as unplanned; the runner lands on today's workout on a
phone (390 × 844) and reads the calendar there."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from smartrunning.plans.models import Plan
from smartrunning.platform.db import db
from tests.e2e.pages import fits_the_width, log_in
from tests.helpers import PASSWORD, make_world
from tests.plans.calendar_data import ten_km_plan
from tests.sessions.sessiondata import import_inline, run_bytes

pytestmark = pytest.mark.e2e

# run_bytes(3) is a run on Monday 4 March 2024; the plan trains Tue, Thu, Sat and Sun.
MONDAY = dt.date(2024, 3, 4)


def _day(offset: int) -> str:
    return (MONDAY + dt.timedelta(days=offset)).isoformat()


def test_coach_works_the_calendar_and_the_runner_lands_on_today(
    app: Flask,
    live_server: str,
    new_page: Any,
    artifacts: Path,
    set_today: Callable[[dt.date], None],
) -> None:
    world = make_world(app)
    import_inline(app, world.runner_id, [("run.fit", run_bytes(3, duration_s=1800))])
    plan_id = ten_km_plan(app, world.runner_id)
    set_today(MONDAY + dt.timedelta(days=1))
    base = f"{live_server}/plans/{plan_id}"

    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{base}?view=month&month=2024-03")
    month = coach.get_by_test_id("month-view")
    expect(month).to_be_visible()
    # The Monday run is on a rest day: shown as unplanned, not "Rest".
    expect(coach.get_by_test_id(f"unplanned-{_day(0)}")).to_contain_text("Unplanned run")
    expect(coach.get_by_test_id(f"cal-{_day(0)}")).not_to_contain_text("Rest")
    expect(coach.get_by_test_id(f"week-total-{_day(0)}")).to_contain_text("Planned")
    coach.screenshot(path=artifacts / "70-calendar-month-coach.png", full_page=True)

    # Add a library workout to Wednesday, a rest day.
    coach.get_by_test_id(f"add-{_day(2)}").click()
    expect(coach.get_by_label("Day", exact=True)).to_have_value(_day(2))
    coach.get_by_label("Workout", exact=True).select_option(index=1)
    chosen = coach.get_by_label("Workout", exact=True).evaluate(
        "s => s.options[s.selectedIndex].text"
    )
    coach.get_by_test_id("add-submit").click()
    expect(coach.get_by_text("Workout added.")).to_be_visible()
    expect(coach.get_by_test_id(f"day-{_day(2)}")).to_contain_text(chosen)
    expect(coach.get_by_test_id(f"day-{_day(2)}")).to_contain_text("edited")

    # Drag Thursday's workout to Friday (a rest day).
    thursday = coach.get_by_test_id(f"day-{_day(3)}")
    name = thursday.locator(".cal-title").inner_text()
    thursday.drag_to(coach.get_by_test_id(f"cal-{_day(4)}"))
    expect(coach.get_by_text("Day moved.")).to_be_visible()
    expect(coach.get_by_test_id(f"day-{_day(4)}")).to_contain_text(name)
    expect(coach.get_by_test_id(f"day-{_day(3)}")).to_have_count(0)

    # The same without a mouse: the week view's buttons and forms.
    coach.get_by_test_id("view-switch").get_by_role("link", name="Week").click()
    week = coach.get_by_test_id("week-view")
    expect(week).to_be_visible()
    later = coach.get_by_test_id(f"week-day-{_day(4)}").locator(".cal-title").inner_text()
    coach.get_by_test_id(f"later-{_day(4)}").click()
    expect(coach.get_by_text("Day moved.")).to_be_visible()
    expect(coach.get_by_test_id(f"week-day-{_day(5)}")).to_contain_text(later)
    coach.get_by_test_id(f"skip-open-{_day(6)}").click()
    coach.get_by_test_id(f"cal-{_day(6)}").get_by_label("Why?").fill("Travelling for work")
    coach.get_by_test_id(f"skip-{_day(6)}").click()
    expect(coach.get_by_test_id(f"skipped-{_day(6)}")).to_have_text("Skipped: Travelling for work")
    coach.screenshot(path=artifacts / "71-calendar-week-coach.png", full_page=True)
    coach.get_by_test_id(f"copy-open-{_day(0)}").click()
    coach.get_by_label("To the week of").first.fill(_day(7))
    coach.get_by_test_id(f"copy-{_day(0)}").click()
    expect(coach.get_by_text("Week copied.")).to_be_visible()
    expect(coach.get_by_test_id(f"week-day-{_day(9)}")).to_contain_text(chosen)

    # Regenerating (edited days kept) keeps every change.
    coach.get_by_role("button", name="Regenerate from today's data").click()
    expect(coach.get_by_text("Plan regenerated.")).to_be_visible()
    with app.app_context():
        days = {d.date.isoformat(): d for d in db.session.get_one(Plan, plan_id).days}
    assert days[_day(2)].workout_name == chosen
    assert _day(3) not in days
    assert days[_day(5)].workout_name == later
    assert days[_day(6)].skipped_reason == "Travelling for work"
    assert days[_day(9)].workout_name == chosen

    coach.goto(f"{base}?view=season")
    expect(coach.get_by_test_id("season-view")).to_be_visible()
    expect(coach.get_by_test_id("season-week-1")).to_be_visible()
    coach.screenshot(path=artifacts / "72-calendar-season.png", full_page=True)
    assert coach.console_errors == []  # type: ignore[attr-defined]

    # The runner, on a phone, lands on today's workout.
    runner = new_page(390, 844)
    log_in(runner, live_server, "runner", PASSWORD)
    expect(runner.get_by_test_id("home-title")).to_contain_text("Hello")
    today = runner.get_by_test_id("home-today")
    # Today (Tuesday) as regenerated: a training day of the plan's taper, or rest.
    planned = days.get(_day(1))
    expect(today).to_contain_text(planned.workout_name if planned else "Rest day")
    expect(runner.get_by_test_id("home-tomorrow")).to_contain_text(chosen)
    expect(runner.get_by_test_id("home-tomorrow-fit")).to_be_visible()
    expect(runner.get_by_test_id("home-week")).to_contain_text("This week")
    expect(runner.get_by_test_id("home-feedback")).to_have_attribute(
        "href", re.compile(r"/sessions/\d+/feedback$")
    )
    fits_the_width(runner)
    runner.screenshot(path=artifacts / "73-runner-home-phone.png", full_page=True)
    runner.get_by_test_id("home-calendar").click()
    expect(runner.get_by_test_id("week-view")).to_be_visible()
    expect(runner.get_by_test_id(f"edit-{_day(2)}")).to_have_count(0)
    fits_the_width(runner)
    runner.screenshot(path=artifacts / "74-calendar-week-phone.png", full_page=True)
    runner.get_by_test_id("view-switch").get_by_role("link", name="Month").click()
    expect(runner.get_by_test_id("month-view")).to_be_visible()
    expect(runner.get_by_test_id(f"unplanned-{_day(0)}")).to_be_visible()
    fits_the_width(runner)
    runner.screenshot(path=artifacts / "75-calendar-month-phone.png", full_page=True)
    runner.get_by_test_id(f"cal-{_day(0)}").scroll_into_view_if_needed()
    runner.screenshot(path=artifacts / "76-calendar-month-phone-week.png")
    runner.goto(f"{live_server}/")
    runner.get_by_test_id("home-feedback").click()
    expect(runner).to_have_url(re.compile(r"/sessions/\d+/feedback$"))
    assert runner.console_errors == []  # type: ignore[attr-defined]
