"""One rule for who sees which runner: the query (``restrict``) and the check on a loaded
runner (``can``) agree for every user, runner and action, and a row of another runner's
data is ``NotFound`` exactly like a row that does not exist."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import User
from smartrunning.athletes import rules
from smartrunning.athletes.models import Runner
from smartrunning.platform.db import db
from smartrunning.platform.errors import NotFound
from tests.helpers import make_runner, make_world

#: (user, runner) pairs of ``make_world`` and what each action allows.
EXPECTED = {
    # user          runner          view   coach
    ("admin", "runner_id"): (True, True),
    ("admin", "other_runner_id"): (True, True),
    ("coach", "runner_id"): (True, True),
    ("coach", "other_runner_id"): (False, False),
    ("other_coach", "other_runner_id"): (True, True),
    ("runner", "runner_id"): (True, False),
    ("runner", "other_runner_id"): (False, False),
    ("other_runner", "runner_id"): (False, False),
}


def test_the_query_and_the_check_agree_with_the_rule(app: Flask) -> None:
    world = make_world(app)
    unassigned = make_runner(app, "Una Nobody")
    with app.app_context():
        for (who, whose), allowed in EXPECTED.items():
            user = db.session.get_one(User, getattr(world, who))
            runner = db.session.get_one(Runner, getattr(world, whose))
            for action, expected in zip(("view", "coach"), allowed, strict=True):
                listed = set(db.session.execute(rules.visible_runners(user, action)).scalars())
                assert (runner in listed) is expected, (who, whose, action)
                assert rules.can(user, runner, action) is expected, (who, whose, action)
        for who in ("coach", "runner", "other_coach"):
            user = db.session.get_one(User, getattr(world, who))
            assert unassigned not in set(db.session.execute(rules.visible_runners(user)).scalars())
        admin = db.session.get_one(User, world.admin)
        assert db.session.get_one(Runner, unassigned) in set(
            db.session.execute(rules.visible_runners(admin)).scalars()
        )


@pytest.mark.parametrize("runner_id", [0, -1, 2**31, 10**20, 999_999])
def test_ids_that_cannot_exist_or_do_not_are_not_found(app: Flask, runner_id: int) -> None:
    world = make_world(app)
    with app.app_context():
        admin = db.session.get_one(User, world.admin)
        with pytest.raises(NotFound, match=r"No such runner\."):
            rules.get_visible(admin, Runner, runner_id, name="runner")


def test_another_runners_row_reads_as_absent(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        mine = rules.get_visible(coach, Runner, world.runner_id, name="runner")
        assert mine.id == world.runner_id
        with pytest.raises(NotFound, match=r"No such runner\.") as hidden:
            rules.get_visible(coach, Runner, world.other_runner_id, name="runner")
        with pytest.raises(NotFound) as absent:
            rules.get_visible(coach, Runner, 999_999, name="runner")
        assert hidden.value.message == absent.value.message
        narrowed = rules.restrict(sa.select(Runner.id), coach, Runner.id)
        assert set(db.session.execute(narrowed).scalars()) == {world.runner_id}
