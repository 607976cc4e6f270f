"""Hill repetitions in a browser (issue #15): the plan's week view and the runner's start
page show the climbs by effort, with no pace, and the jog down with its pace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from smartrunning.plans import calendar_edits
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.science.plans.paces import HILL_EFFORT
from smartrunning.workouts.imports import load_default_library
from smartrunning.workouts.models import Workout
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world, with_plans

pytestmark = pytest.mark.e2e


def test_hill_reps_read_by_effort_on_the_plan_and_the_start_page(
    app: Flask,
    live_server: str,
    new_page: Any,
    artifacts: Path,
    set_today: Callable[[dt.date], None],
) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        load_default_library()
        workout_id = db.session.execute(
            sa.select(Workout.id).where(Workout.name == "Hill repeats 6 × 2 min")
        ).scalar_one()
        plan = db.session.get_one(Plan, world.plan_id)
        today = clock.today()
        date = next(d.date for d in plan.days if d.kind != "race" and d.date > today)
        calendar_edits.add_workout(plan, date, workout_id)
    set_today(date)

    runner = new_page()
    log_in(runner, live_server, "runner", PASSWORD)
    runner.goto(f"{live_server}/plans/{world.plan_id}?view=week&week={date}")
    card = runner.get_by_test_id(f"cal-{date}")
    expect(card).to_contain_text(f"Step 2 (on): {HILL_EFFORT}")
    expect(card).to_contain_text("Step 2 (off):")
    card.screenshot(path=artifacts / "77-plan-hill-reps-by-effort.png")
    runner.goto(f"{live_server}/")
    targets = runner.get_by_test_id("home-today-targets")
    expect(targets).to_contain_text(f"Step 2 (on): {HILL_EFFORT}")
    runner.get_by_test_id("home-today").screenshot(path=artifacts / "78-home-hill-reps.png")
