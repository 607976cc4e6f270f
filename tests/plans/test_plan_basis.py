"""Issue #15: what a plan's targets rest on, stated on its page, API and CLI — heart rate
from the runner's own HR–speed line where their steady runs allow one (else Daniels'),
VDOT from their best race of the last year, and the level they were given and why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import freshness, plan_schemas
from smartrunning.plans.basis import plan_day_parameters, stored_line
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.science.hr_speed import HRSpeedLine, HRSpeedRefusal
from smartrunning.science.plans.targets import step_targets
from smartrunning.science.workouts import Extent, Steady, Workout
from smartrunning.sessions.hr_speed import runner_hr_line
from tests.helpers import login, make_world
from tests.sessions.steady_runs import SLOPE, import_steady_runs

TODAY = dt.date(2026, 11, 20)
"""The world's 5 km races are of 2026-05-01: within the year before this day, on any date."""
RACE_DATE = dt.date(2027, 3, 7)


def test_the_runners_own_line_sets_the_plans_heart_rates(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    set_today(TODAY)
    world = make_world(app)
    import_steady_runs(app, world.runner_id)
    today = clock.today()
    with app.app_context():
        line = runner_hr_line(world.runner_id, today + dt.timedelta(days=1))
        assert isinstance(line, HRSpeedLine), line
        assert line.slope == pytest.approx(SLOPE, abs=2.0)
        assert line.hr_at(3.0) == pytest.approx(150.0, abs=2.0)
        assert line.sessions == 4
        assert line.r2 > 0.95
        # Otto has no steady runs: refused, with the reason.
        refused = runner_hr_line(world.other_runner_id, today + dt.timedelta(days=1))
        assert isinstance(refused, HRSpeedRefusal)
        assert "0 steady segments from 0 runs" in refused.reason

        plan_schemas.load_default_schemas()
        schema = plan_schemas.schema_by_name("10 km")
        request = plan_services.GenerateRequest(RACE_DATE, 10000.0, 4, today=today)
        rita = db.session.get_one(Runner, world.runner_id)
        otto = db.session.get_one(Runner, world.other_runner_id)
        ours = plan_services.save_plan(rita, schema, request, created_by=None)
        theirs = plan_services.save_plan(otto, schema, request, created_by=None)
        db.session.commit()
        ours_id, theirs_id = ours.id, theirs.id
        basis = ours.projection["basis"]
        assert basis["heart_rate"]["source"] == "own line"
        assert basis["heart_rate"]["r2"] > 0.95
        assert basis["heart_rate"]["runs"] == 4
        assert theirs.projection["basis"]["heart_rate"]["source"] == "Daniels"
        # Both have a 5 km race within the year: VDOT from it (20:00 → 49.8).
        assert basis["vdot"]["source"] == "races"
        assert basis["vdot"]["value"] == pytest.approx(49.8, abs=0.1)
        assert "5 km in 20:00" in basis["vdot"]["text"]
        # An easy step of a plan day: the line's heart rate at its speed ± 3 bpm.
        day = next(d for d in ours.days if d.zwo and d.date >= today)
        params = plan_day_parameters(rita, day.date, stored_line(basis))
        assert params.cs_mps is not None
        assert params.hr_line is not None
        fraction = 2.9 / params.cs_mps
        easy = Workout("Easy", "run", (Steady(Extent(1800.0), fraction),))
        low, high = step_targets(easy, params)[0].hr_bpm or (0.0, 0.0)
        assert (low + high) / 2 == pytest.approx(line.hr_at(2.9), abs=0.5)
        assert high - low == pytest.approx(6.0)
        # A refresh resolves the same targets (the stored line, not Daniels').
        before = [d.targets for d in ours.days]
        assert freshness.refresh_targets(ours, today) == 0
        assert [d.targets for d in ours.days] == before
    coach = app.test_client()
    login(coach, "coach")
    page = coach.get(f"/plans/{ours_id}").get_data(as_text=True)
    assert 'data-testid="plan-hr-source"' in page
    assert "heart rate–speed line (R² 1.00" in page or "heart rate–speed line (R² 0.9" in page
    assert 'data-testid="plan-level"' in page
    assert 'data-testid="plan-vdot"' in page
    api = coach.get(f"/api/plans/{ours_id}").get_json()
    assert isinstance(api, dict)
    assert api["projection"]["basis"]["heart_rate"]["source"] == "own line"
    other = app.test_client()
    login(other, "othercoach")
    page = other.get(f"/plans/{theirs_id}").get_data(as_text=True)
    assert "% of maximum heart rate: no heart rate–speed line (0 steady segments" in page
    with app.app_context():
        assert db.session.get_one(Plan, theirs_id).projection["basis"]["level"]["beginner"]
