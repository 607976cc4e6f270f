"""Plans for the calendar tests (pages and browser): around an imported session, and a
two-week 10 km plan to 17 March 2024."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession
from smartrunning.workouts import imports as workout_imports
from tests.helpers import World
from tests.sessions.sessiondata import import_inline, run_bytes

TEN_KM_RACE = dt.date(2024, 3, 17)
"""The race of ``ten_km_plan``: a Sunday, two weeks after Monday 4 March 2024."""


def plan_around_a_session(app: Flask, world: World) -> tuple[int, dt.date]:
    """A two-week plan (training days Tue, Thu, Sat, Sun) over a session run on the
    Monday, a rest day; returns the plan's id and the session's date."""
    # run_bytes(day) starts 2024-03-01 (a Friday) + day: day 3 is Monday 4 March.
    import_inline(app, world.runner_id, [("run.fit", run_bytes(3, duration_s=1800))])
    with app.app_context():
        plan_schemas.load_default_schemas()
        runner = db.session.get_one(Runner, world.runner_id)
        session = db.session.query(TrainingSession).filter_by(runner_id=runner.id).one()
        assert session.local_date.weekday() == 0
        request = plan_services.GenerateRequest(
            session.local_date + dt.timedelta(days=13),
            10000.0,
            2,
            training_days=frozenset({1, 3, 5, 6}),
            long_run_day=6,
            sessions_per_week=4,
        )
        plan = plan_services.save_plan(
            runner, plan_schemas.schema_by_name("10 km"), request, created_by=None
        )
        db.session.commit()
        return plan.id, session.local_date


def ten_km_plan(app: Flask, runner_id: int) -> int:
    """A two-week 10 km plan to RACE (training Tue, Thu, Sat, Sun), with the default
    workouts and schemas loaded; its id."""
    with app.app_context():
        workout_imports.load_default_library()
        plan_schemas.load_default_schemas()
        runner = db.session.get_one(Runner, runner_id)
        request = plan_services.GenerateRequest(
            TEN_KM_RACE, 10000.0, 2, frozenset({1, 3, 5, 6}), long_run_day=6, sessions_per_week=4
        )
        plan = plan_services.save_plan(
            runner, plan_schemas.schema_by_name("10 km"), request, created_by=None
        )
        db.session.commit()
        return plan.id
