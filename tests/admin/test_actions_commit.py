"""The admin's actions own their transaction (issue #14): an account and its runner are
kept together or not at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import User
from smartrunning.admin import actions as admin_actions
from smartrunning.athletes import actions as athlete_services
from smartrunning.platform.db import db
from smartrunning.platform.errors import ServiceError
from tests.helpers import make_world

TODAY = dt.date(2026, 11, 21)


def _committed(statement: sa.Select[Any]) -> int:
    """A count as another connection sees it: committed rows only."""
    with db.engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def test_admin_account_for_a_runner_without_birth_date_keeps_nothing(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        admin = db.session.get_one(User, world.admin)
        with pytest.raises(ServiceError, match="birth date"):
            admin_actions.create_account(
                "zed", None, ["runner"], display_name="Zed", birth_date=None, sex="x",
                coach_id=None, by=admin, today=TODAY,
            )  # fmt: skip
        named = sa.select(sa.func.count()).select_from(User).where(User.username == "zed")
        assert _committed(named) == 0
        user, password = admin_actions.create_account(
            "zed", None, ["runner"], display_name="Zed", birth_date=dt.date(1990, 1, 1),
            sex="x", coach_id=world.coach, by=admin, today=TODAY,
        )  # fmt: skip
        assert password
        assert _committed(named) == 1
        runner = athlete_services.runner_for_user(user)
        assert runner is not None
        assert [a.coach_id for a in runner.coach_rows] == [world.coach]
        assert admin_actions.unassign_coach(runner, db.session.get_one(User, world.coach)) == 0
        assert runner.coach_rows == []
