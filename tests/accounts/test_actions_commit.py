"""The accounts' actions own their transaction (issue #14): what they wrote is committed
when they return, and nothing of it is kept when they refuse."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import User
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from tests.helpers import PASSWORD, make_world


def _committed(statement: sa.Select[Any]) -> int:
    """A count as another connection sees it: committed rows only."""
    with db.engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def test_login_commits_with_an_unknown_browser_zone(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        user = accounts.log_in("runner", PASSWORD, "Mars/Base")
        assert user is not None
        assert user.id == world.runner
        assert user.time_zone == ""
        stamped = sa.select(sa.func.count()).select_from(User)
        assert _committed(stamped.where(User.last_login_at.is_not(None))) == 1
        assert accounts.log_in("runner", "wrong password", "Europe/Paris") is None


def test_display_prefs_keep_neither_value_when_one_is_refused(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        user = db.session.get_one(User, world.runner)
        with pytest.raises(InvalidInput, match="Units"):
            accounts.set_display_prefs(user, time_zone="Europe/Berlin", units="furlongs")
        zone = sa.select(User.time_zone).where(User.id == world.runner)
        with db.engine.connect() as conn:
            assert conn.execute(zone).scalar_one() == ""
