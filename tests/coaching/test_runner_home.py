"""The runner's start page reads; linking new sessions to the plan's days is the named
action the page calls first (``coaching.actions.link_new_sessions``), committed by it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.coaching import actions as coaching_actions
from smartrunning.coaching import runner_home
from smartrunning.plans.models import PlanDay
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession
from tests.helpers import login, make_world
from tests.plans.calendar_data import TEN_KM_RACE, plan_around_a_session, ten_km_plan
from tests.sessions.sessiondata import import_inline, run_bytes


def _linked(app: Flask, day_id: int) -> int | None:
    with app.app_context():
        return db.session.get_one(PlanDay, day_id).session_id


def test_the_start_page_reads_and_the_action_links_new_sessions(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    plan_id, monday = plan_around_a_session(app, world)
    tuesday = monday + dt.timedelta(days=1)
    # Run on Tuesday, a planned day, after the plan was made: not linked by the import.
    import_inline(app, world.runner_id, [("tue.fit", run_bytes(4, duration_s=1800, seed=7))])
    with app.app_context():
        day = db.session.execute(
            sa.select(PlanDay).where(PlanDay.plan_id == plan_id, PlanDay.date == tuesday)
        ).scalar_one()
        assert day.kind != "rest"
        day_id = day.id
        session_id = db.session.execute(
            sa.select(TrainingSession.id).where(TrainingSession.local_date == tuesday)
        ).scalar_one()
    assert _linked(app, day_id) is None
    set_today(tuesday)
    # The builder reads: nothing linked, nothing left to write.
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        home = runner_home.runner_home(runner, tuesday)
        assert home.today_day is not None
        assert home.today_day.completed is None
        assert not db.session.dirty
        assert not db.session.new
    assert _linked(app, day_id) is None
    # The page calls the action first: linked, committed, and the day shows it done.
    client = app.test_client()
    login(client, "runner")
    assert client.get("/").status_code == 200
    assert _linked(app, day_id) == session_id
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        home = runner_home.runner_home(runner, tuesday)
        assert home.today_day is not None
        assert home.today_day.completed is not None
        assert home.today_day.completed.id == session_id
        assert coaching_actions.link_new_sessions(runner, tuesday) == 0  # nothing new
    # Without a plan ahead the action links nothing.
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        after = tuesday + dt.timedelta(days=60)
        assert coaching_actions.link_new_sessions(runner, after) == 0


JARGON = ("VDOT", "CS model", "critical speed", "D′", "Daniels", "Bosquet", "load into")
"""Words of the generator's reasons: for the coach, never on the runner's start page."""


def test_the_runner_reads_plain_words_and_the_coach_the_reasons(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    plan_id = ten_km_plan(app, world.runner_id)
    with app.app_context():
        days = db.session.execute(
            sa.select(PlanDay).where(PlanDay.plan_id == plan_id).order_by(PlanDay.date)
        ).scalars()
        by_date = {d.date: (d.kind, d.notes, d.why) for d in days}
    kind, notes, why = by_date[TEN_KM_RACE]
    assert kind == "race"
    assert notes.startswith("Race day: start at your race pace, not faster")
    assert "Your predicted time:" in notes
    assert "predicted" in why
    assert any(word in why for word in ("VDOT", "critical speed"))
    # Every day says how it should feel, in plain words; the reasons stay apart.
    for kind, notes, _why in by_date.values():
        assert notes, kind
        assert not any(word in notes for word in JARGON), notes
    # The runner's start page on race day and the day before: plain words only.
    client = app.test_client()
    login(client, "runner")
    for today in (TEN_KM_RACE - dt.timedelta(days=1), TEN_KM_RACE):
        set_today(today)
        page = client.get("/").get_data(as_text=True)
        assert "Race day: start at your race pace" in page
        assert not any(word in page for word in JARGON), today
    week = f"/plans/{plan_id}?view=week&week={TEN_KM_RACE}"
    assert "Why this session" not in client.get(week).get_data(as_text=True)
    # The coach sees why on the plan page.
    coach = app.test_client()
    login(coach, "coach")
    page = coach.get(week).get_data(as_text=True)
    assert "Why this session (for the coach)" in page
    assert "predicted" in page
