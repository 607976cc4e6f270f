"""Training plans in a browser: a coach generates a plan for a runner, edits a day, and
the runner logs in and sees it (on a phone-sized screen too)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from smartrunning.plans import plan_schemas
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.workouts import imports as workout_imports
from tests.e2e.pages import log_in
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
    race = clock.today() + dt.timedelta(days=40)

    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/runners/{world.runner_id}")
    coach.get_by_test_id("runner-tabs").get_by_role("link", name="Plans").click()
    coach.get_by_label("Plan template").select_option(label="10 km")
    coach.get_by_label("Race date").fill(race.isoformat())
    coach.get_by_label("Distance (m)").fill("10000")
    coach.get_by_label("Weeks").fill("6")
    # Training days prefilled from the profile (Tue, Thu, Sat, Sun; long run on Sunday).
    for day in ("Tue", "Thu", "Sat", "Sun"):
        expect(coach.get_by_label(day, exact=True)).to_be_checked()
    expect(coach.get_by_label("Mon", exact=True)).not_to_be_checked()
    expect(coach.get_by_label("Long-run day")).to_have_value("6")
    # A long-run day that is not a training day is refused with a clear error.
    coach.get_by_label("Sun", exact=True).uncheck()
    coach.get_by_role("button", name="Generate").click()
    expect(coach.get_by_test_id("error-long_run_day")).to_contain_text(
        "(Sunday) must be one of the training days"
    )
    expect(coach.get_by_label("Sun", exact=True)).not_to_be_checked()  # kept as sent
    coach.get_by_label("Mon", exact=True).check()
    coach.get_by_label("Long-run day").select_option(label="Saturday")
    coach.screenshot(path=artifacts / "60-plan-generate-form.png", full_page=True)
    coach.get_by_role("button", name="Generate").click()

    expect(coach.get_by_test_id("month-view")).to_be_visible()
    expect(coach.get_by_test_id("race-form")).not_to_be_empty()
    expect(coach.get_by_test_id("ics-url")).to_have_value(re.compile(r".*/plans/ics/.+\.ics$"))
    coach.wait_for_function("() => document.querySelector('#projection-chart').width > 0")
    coach.screenshot(path=artifacts / "61-plan-coach.png", full_page=True)

    coach.get_by_test_id("view-switch").get_by_role("link", name="Week").click()
    expect(coach.get_by_test_id("week-view")).to_be_visible()
    coach.locator("[data-testid^=edit-]").first.click()
    coach.get_by_label("Duration (min)").fill("50")
    coach.get_by_label("Notes").fill("Hill reps on the bridge")
    coach.screenshot(path=artifacts / "62-plan-edit-day.png", full_page=True)
    coach.get_by_role("button", name="Save").click()
    expect(coach.get_by_test_id("week-view")).to_contain_text("Hill reps on the bridge")
    expect(coach.get_by_test_id("week-view")).to_contain_text("edited")
    edited = coach.get_by_test_id("week-view").locator("[data-testid^=week-day-]", has_text="Hill")
    expect(edited).to_contain_text("50:00 ·")  # the asked duration, to the second
    shown = coach.locator("[data-testid^=week-day-]").evaluate_all(
        "els => els.map(e => e.dataset.testid.slice('week-day-'.length))"
    )
    assert shown
    days = {dt.date.fromisoformat(d).weekday() for d in shown if d != race.isoformat()}
    assert days <= {0, 1, 3, 5}  # Mon, Tue, Thu, Sat as asked; no Sunday

    runner = new_page(390, 844)
    log_in(runner, live_server, "runner", PASSWORD)
    runner.goto(f"{live_server}/runners/{world.runner_id}/plans")
    runner.get_by_test_id("plan-list").get_by_role("link").first.click()
    runner.get_by_test_id("view-switch").get_by_role("link", name="Week").click()
    week = runner.get_by_test_id("week-view")
    expect(week).to_contain_text("Hill reps on the bridge")
    expect(week).to_contain_text("edited")
    expect(runner.get_by_role("link", name="Edit")).to_have_count(0)
    expect(runner.get_by_role("button", name="Regenerate from today's data")).to_have_count(0)
    runner.screenshot(path=artifacts / "63-plan-runner-phone.png", full_page=True)

    # The coach deletes the plan after confirming; the runner's list is empty again.
    coach.get_by_test_id("delete-plan").click()
    expect(coach.get_by_test_id("delete-plan-form")).to_be_visible()
    coach.screenshot(path=artifacts / "64-plan-delete-confirm.png", full_page=True)
    coach.get_by_role("button", name="Delete the plan").click()
    expect(coach.get_by_text("Plan deleted.")).to_be_visible()
    expect(coach.get_by_test_id("plan-list")).to_have_count(0)
    runner.goto(f"{live_server}/runners/{world.runner_id}/plans")
    expect(runner.get_by_text("No plans yet.")).to_be_visible()


def test_a_marathon_plan_for_a_runner_with_no_history(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    """The issue's case, shown: CTL 0, four sessions a week; the week of the longest long
    run, and the warnings (no history; a beginner's one quality session a week; the
    sessions Daniels' limits shortened)."""
    world = make_world(app)
    with app.app_context():
        workout_imports.load_default_library()
        plan_schemas.load_default_schemas()
        db.session.commit()
    race = clock.today() + dt.timedelta(days=150)
    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/runners/{world.runner_id}/plans")
    coach.get_by_label("Plan template").select_option(label="Marathon")
    coach.get_by_label("Race date").fill(race.isoformat())
    coach.get_by_label("Distance (m)").fill("42195")
    coach.get_by_role("button", name="Generate").click()
    expect(coach.get_by_test_id("month-view")).to_be_visible()
    warnings = coach.get_by_test_id("plan-warnings").locator("li")
    expect(warnings.filter(has_text="no training history")).to_have_count(1)
    expect(warnings.filter(has_text="quality session").first).to_be_visible()
    form = float(coach.get_by_test_id("race-form").inner_text())
    assert form > 0
    with app.app_context():
        plan = db.session.execute(sa.select(Plan).order_by(Plan.id.desc())).scalars().first()
        assert plan is not None
        longest = max((d for d in plan.days if d.kind == "long"), key=lambda d: d.duration_s)
        # Growth ≤ 10 % a week from nothing, the long run ≤ 30 % of its week (issue 15).
        assert 75 * 60 <= longest.duration_s <= 150 * 60
        plan_id, peak = plan.id, longest.date
    coach.goto(f"{live_server}/plans/{plan_id}?week={peak.isoformat()}#week")
    expect(coach.get_by_test_id(f"week-day-{peak.isoformat()}")).to_contain_text("Long run")
    coach.wait_for_function("() => document.querySelector('#projection-chart').width > 0")
    coach.get_by_test_id("week-view").screenshot(path=artifacts / "65-plan-marathon-ctl0-week.png")
    coach.screenshot(path=artifacts / "66-plan-marathon-ctl0.png", full_page=True)


def test_a_coach_refreshes_targets_after_a_new_critical_speed(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    from smartrunning.athletes import parameters as parameter_services
    from smartrunning.athletes.models import ParameterKey, ParameterSource, Runner
    from tests.helpers import with_plans

    world = with_plans(app, make_world(app))
    with app.app_context():  # after the plan was made: its targets are stale
        runner = db.session.get_one(Runner, world.runner_id)
        parameter_services.set_parameter(
            runner,
            ParameterKey.CRITICAL_SPEED,
            {"cs_mps": 4.6, "d_prime_m": 200},
            clock.today(),
            source=ParameterSource.MEASURED,
            by=None,
            today=clock.today(),
        )
        db.session.commit()
    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/plans/{world.plan_id}")
    banner = coach.get_by_test_id("targets-stale")
    expect(banner).to_contain_text(f"critical speed from {clock.today():%d %b %Y}")
    coach.screenshot(path=artifacts / "68-plan-targets-stale.png")
    banner.get_by_role("button", name="Refresh targets").click()
    expect(coach.get_by_text(re.compile(r"Targets refreshed: \d+ days? changed"))).to_be_visible()
    expect(coach.get_by_test_id("targets-stale")).to_have_count(0)
    coach.screenshot(path=artifacts / "69-plan-targets-refreshed.png")
