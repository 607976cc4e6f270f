"""Who may place a new runner with which coach, and what a refusal gives away: a coach
only with themselves, in one message whatever the other name is; admins with any coach."""

from __future__ import annotations

import pytest
from flask import Flask

from smartrunning.athletes.models import CoachAssignment
from smartrunning.platform.db import db
from tests.accounts.tokens import bearer, create_token
from tests.helpers import World, make_world

BODY = {"name": "New Runner", "birth_date": "1990-01-01", "sex": "f"}


def _post(app: Flask, token: str, coach: str) -> tuple[int, str]:
    response = app.test_client().post(
        "/api/runners", json={**BODY, "coach": coach}, headers=bearer(token)
    )
    return response.status_code, str((response.json or {}).get("error", {}).get("message"))


def _coaches_of(app: Flask, runner_id: int) -> set[int]:
    with app.app_context():
        rows = db.session.execute(
            db.select(CoachAssignment.coach_id).where(CoachAssignment.runner_id == runner_id)
        ).scalars()
        return set(rows)


@pytest.mark.parametrize("name", ["othercoach", "runner", "admin", "nobody-at-all", "OtherCoach"])
def test_a_coach_cannot_place_a_runner_with_anyone_else(app: Flask, name: str) -> None:
    """The same words for another coach, a runner, an admin and a name no one has."""
    make_world(app)
    token = create_token(app, "coach")
    status, message = _post(app, token, name)
    assert status == 422
    assert message == "A coach assigns new runners only to themselves."
    with app.app_context():
        assert (
            db.session.execute(db.select(db.func.count()).select_from(CoachAssignment)).scalar_one()
            == 2
        )  # the world's two assignments, nothing new


def test_a_coach_may_name_themselves(app: Flask) -> None:
    world: World = make_world(app)
    token = create_token(app, "coach")
    response = app.test_client().post(
        "/api/runners", json={**BODY, "coach": "coach"}, headers=bearer(token)
    )
    assert response.status_code == 201
    assert _coaches_of(app, response.json["id"]) == {world.coach}


def test_an_admin_places_a_runner_with_any_coach(app: Flask) -> None:
    world = make_world(app)
    token = create_token(app, "admin")
    response = app.test_client().post(
        "/api/runners", json={**BODY, "coach": "othercoach"}, headers=bearer(token)
    )
    assert response.status_code == 201
    assert _coaches_of(app, response.json["id"]) == {world.other_coach}
    status, message = _post(app, token, "runner")
    assert status == 422
    assert "No active coach is named 'runner'" in message


def test_a_runner_cannot_create_runners_at_all(app: Flask) -> None:
    make_world(app)
    token = create_token(app, "runner")
    status, _ = _post(app, token, "coach")
    assert status == 403
