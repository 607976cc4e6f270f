"""The plans' actions own their transaction (issue #14): each commits its writes, or rolls
them back when refused, and a coach is told of a runner's mark only once it is kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import User
from smartrunning.notifications.models import Notification, NotificationKind
from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar_edits
from smartrunning.plans.models import Plan, PlanDay, PlanSchemaRow
from smartrunning.platform.db import db
from smartrunning.platform.errors import Conflict, InvalidInput
from tests.helpers import make_world, with_plans


def _committed(statement: sa.Select[Any]) -> Any:
    """What another connection sees: committed rows only."""
    with db.engine.connect() as conn:
        return conn.execute(statement).scalar_one()


def _days(plan_id: int) -> sa.Select[Any]:
    return sa.select(sa.func.count()).select_from(PlanDay).where(PlanDay.plan_id == plan_id)


def _rest_day(plan: Plan) -> dt.date:
    taken = {d.date for d in plan.days}
    return next(
        plan.start_date + dt.timedelta(days=i)
        for i in range((plan.race_date - plan.start_date).days)
        if plan.start_date + dt.timedelta(days=i) not in taken
    )


def test_a_refused_calendar_edit_keeps_nothing_and_an_accepted_one_is_committed(
    app: Flask,
) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        before = _committed(_days(plan.id))
        rest = _rest_day(plan)
        # The new day is added to the plan before the workout is refused: rolled back.
        with pytest.raises(InvalidInput, match="No such workout"):
            calendar_edits.add_workout(plan, rest, 2**31 - 1)
        assert _committed(_days(plan.id)) == before
        assert all(d.date != rest for d in plan.days)
        day = calendar_edits.add_workout(plan, rest, world.default_workout_id)
        assert _committed(_days(plan.id)) == before + 1
        edited = sa.select(PlanDay.edited).where(PlanDay.id == day.id)
        assert _committed(edited) is True


def test_a_runners_mark_tells_the_coach_once_kept_and_a_refused_one_tells_nobody(
    app: Flask,
) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        runner = db.session.get_one(User, world.runner)
        day = min((d for d in plan.days if d.kind != "race"), key=lambda d: d.date)
        told = (
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(
                Notification.user_id == world.coach, Notification.kind == NotificationKind.COMMENT
            )
        )
        mark = sa.select(PlanDay.mark).where(PlanDay.id == day.id)
        with pytest.raises(InvalidInput):
            calendar_edits.mark_day(day, "partly", None, by=runner)  # a reason is needed
        assert (_committed(told), _committed(mark)) == (0, None)
        calendar_edits.mark_day(day, "partly", "calf tight", by=runner)
        assert (_committed(told), _committed(mark)) == (1, "partly")
        calendar_edits.unmark_day(day)  # no ``by``: nobody told (the API's undo, the CLI)
        assert (_committed(told), _committed(mark)) == (1, None)


def test_a_template_only_checked_is_not_kept_and_a_saved_one_is(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        body = {**db.session.get_one(PlanSchemaRow, world.default_schema_id).body, "name": "Mine"}
        named = (
            sa.select(sa.func.count())
            .select_from(PlanSchemaRow)
            .where(PlanSchemaRow.name == "Mine")
        )
        plan_services.save_template(body, owner=coach, check_only=True)
        assert _committed(named) == 0
        taken = {**body, "name": "10 km"}
        with pytest.raises(Conflict):
            plan_services.save_template(taken, owner=coach, check_only=True)
        plan_services.save_template(body, owner=coach)
        assert _committed(named) == 1


def test_a_plan_created_and_removed_is_committed_each_time(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        request = plan_services.GenerateRequest(plan.race_date, 5000.0, 4)
        schema = db.session.get_one(PlanSchemaRow, world.default_schema_id)
        made = plan_services.create_plan(plan.runner, schema, request, created_by=None)
        plans = sa.select(sa.func.count()).select_from(Plan).where(Plan.id == made.id)
        assert _committed(plans) == 1
        plan_services.remove_plan(made)
        assert _committed(plans) == 0
