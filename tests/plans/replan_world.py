"""The re-plan tests' world: both runners have four weeks of training, a plan of WEEKS weeks
from START, and missed its first week (which ends on WEEK_END)."""

from __future__ import annotations

import datetime as dt

from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.platform.db import db
from tests.helpers import World, make_best, make_world
from tests.plans.replan_data import make_plan, rebuild, run_week

START = dt.date(2026, 3, 2)
WEEKS = 8
RACE = START + dt.timedelta(days=7 * WEEKS - 1)
WEEK_END = START + dt.timedelta(days=6)


def missed_first_week(app: Flask) -> tuple[World, int, int]:
    """The world; a plan for each runner from START; both missed the first week.
    Returns the world and the ids of the runner's and the other runner's plans."""
    world = make_world(app)
    for rid in (world.runner_id, world.other_runner_id):
        make_best(app, rid, 5000.0, 22 * 60.0, START - dt.timedelta(days=60))
    ids = []
    with app.app_context():
        for rid in (world.runner_id, world.other_runner_id):
            runner = db.session.get_one(Runner, rid)
            for w in range(4, 0, -1):
                run_week(rid, START - dt.timedelta(days=7 * w), [45, 0, 55, 0, 50, 75, 0])
            rebuild(runner, START - dt.timedelta(days=28))
            ids.append(make_plan(runner, RACE, WEEKS, START - dt.timedelta(days=1)).id)
        db.session.commit()
    return world, ids[0], ids[1]
