"""A runner marks today "Partly done — calf tight" from the home page on a phone
(390 × 844); the coach sees the mark and its colour on the plan calendar (issue #19
item 2)."""

from __future__ import annotations

import datetime as dt
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

pytestmark = pytest.mark.e2e


def test_runner_marks_today_partly_done_and_the_coach_sees_it(
    app: Flask,
    live_server: str,
    new_page: Any,
    artifacts: Path,
    set_today: Callable[[dt.date], None],
) -> None:
    world = make_world(app)
    plan_id = ten_km_plan(app, world.runner_id)
    with app.app_context():
        first = min(d.date for d in db.session.get_one(Plan, plan_id).days)
    day_iso = first.isoformat()  # the first planned day, no session
    set_today(first)

    runner = new_page(390, 844)
    log_in(runner, live_server, "runner", PASSWORD)
    today = runner.get_by_test_id("home-today")
    expect(today).to_be_visible()
    today.get_by_test_id(f"mark-reason-{day_iso}").fill("calf tight")
    fits_the_width(runner)
    runner.screenshot(path=artifacts / "89-home-mark-form-phone.png", full_page=True)
    today.get_by_test_id(f"mark-partly-{day_iso}").click()
    expect(runner.get_by_text("Day marked partly done.")).to_be_visible()
    expect(runner.get_by_test_id("home-today-marked")).to_have_text("Partly done: calf tight")
    expect(runner.get_by_test_id(f"unmark-{day_iso}")).to_be_visible()
    fits_the_width(runner)
    runner.screenshot(path=artifacts / "90-home-marked-partly-phone.png", full_page=True)
    assert runner.console_errors == []  # type: ignore[attr-defined]
    with app.app_context():
        day = next(
            d for d in db.session.get_one(Plan, plan_id).days if d.date.isoformat() == day_iso
        )
        assert (day.mark, day.mark_reason) == ("partly", "calf tight")

    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/plans/{plan_id}?view=week&week={day_iso}")
    expect(coach.get_by_test_id(f"marked-{day_iso}")).to_have_text("Partly done: calf tight")
    expect(coach.get_by_test_id(f"compliance-{day_iso}")).to_have_class("badge cmp-fair")
    coach.get_by_test_id(f"cal-{day_iso}").scroll_into_view_if_needed()
    coach.screenshot(path=artifacts / "91-calendar-week-marked-coach.png")
    assert coach.console_errors == []  # type: ignore[attr-defined]
