"""A plan around an imported session, for the calendar tests (and the undo of that
session's import)."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession
from tests.helpers import World
from tests.sessions.sessiondata import import_inline, run_bytes


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
