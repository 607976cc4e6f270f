"""Admin pages: creating users, roles, resets, deactivation and assignments."""

from __future__ import annotations

import re

from flask import Flask

from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.athletes.models import (
    CoachAssignment,
    Runner,
)
from smartrunning.platform.db import db
from tests.helpers import login, make_user, make_world, post_form


def _admin(app: Flask):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "admin")
    return client


def _text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


def test_admin_creates_runner_with_login_and_coach(app: Flask) -> None:
    world = make_world(app)
    client = _admin(app)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "username": "Mia.Miles",
            "display_name": "Mia Miles",
            "roles": ["runner"],
            "birth_date": "1995-06-07",
            "sex": "f",
            "coach_id": str(world.coach),
        },
    )
    assert response.status_code == 200
    password = re.search(r'data-testid="temp-password">([^<]+)<', _text(response))
    assert password
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="mia.miles")).scalar_one()
        assert user.must_change_password
        runner = db.session.execute(db.select(Runner).filter_by(user_id=user.id)).scalar_one()
        assert runner.name == "Mia Miles"
        assert db.session.get(CoachAssignment, (world.coach, runner.id)) is not None
    mia = app.test_client()
    assert login(mia, "mia.miles", password.group(1)).location == "/password"


def test_duplicate_user_name_is_refused(app: Flask) -> None:
    make_world(app)
    response = post_form(_admin(app), "/admin/users/new", {"username": "COACH", "roles": ["coach"]})
    assert response.status_code == 200
    assert "already taken" in _text(response)


def test_unknown_role_is_refused(app: Flask) -> None:
    make_world(app)
    response = post_form(_admin(app), "/admin/users/new", {"username": "zed", "roles": ["boss"]})
    assert "Unknown role" in _text(response)
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(username="zed")).first() is None


def test_too_short_password_is_refused(app: Flask) -> None:
    make_world(app)
    response = post_form(
        _admin(app),
        "/admin/users/new",
        {"username": "zed", "roles": ["coach"], "password": "short"},
    )
    assert "at least 10 characters" in _text(response)


def test_runner_without_birth_date_is_refused_and_nothing_is_kept(app: Flask) -> None:
    make_world(app)
    response = post_form(_admin(app), "/admin/users/new", {"username": "zed", "roles": ["runner"]})
    assert "birth date" in _text(response)
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(username="zed")).first() is None


def test_roles_reset_and_deactivation(app: Flask) -> None:
    world = make_world(app)
    client = _admin(app)
    post_form(client, f"/admin/users/{world.other_runner}/roles", {"roles": ["runner", "coach"]})
    reset = post_form(client, f"/admin/users/{world.other_runner}/password")
    password = re.search(r'data-testid="temp-password">([^<]+)<', _text(reset))
    assert password
    other = app.test_client()
    assert login(other, "otherrunner", password.group(1)).location == "/password"
    post_form(client, f"/admin/users/{world.other_runner}/active", {"active": "0"})
    with app.app_context():
        user = db.session.get(User, world.other_runner)
        assert user is not None
        assert user.roles == {Role.RUNNER, Role.COACH}
        assert not user.is_active
        assert db.session.get(Runner, world.other_runner_id) is not None


def test_admin_cannot_lock_themself_out(app: Flask) -> None:
    world = make_world(app)
    client = _admin(app)
    post_form(client, f"/admin/users/{world.admin}/active", {"active": "0"})
    post_form(client, f"/admin/users/{world.admin}/roles", {"roles": ["coach"]})
    with app.app_context():
        admin = db.session.get(User, world.admin)
        assert admin is not None
        assert admin.is_active
        assert Role.ADMIN in admin.roles


def test_assign_and_unassign_coach(app: Flask) -> None:
    world = make_world(app)
    client = _admin(app)
    post_form(
        client, "/admin/assignments", {"runner_id": world.other_runner_id, "coach_id": world.coach}
    )
    coach = app.test_client()
    login(coach, "coach")
    assert coach.get(f"/runners/{world.other_runner_id}").status_code == 200
    post_form(
        client,
        "/admin/assignments/remove",
        {"runner_id": world.other_runner_id, "coach_id": world.coach},
    )
    assert coach.get(f"/runners/{world.other_runner_id}").status_code == 404


def test_assigning_to_a_non_coach_is_refused(app: Flask) -> None:
    world = make_world(app)
    response = post_form(
        _admin(app),
        "/admin/assignments",
        {"runner_id": world.other_runner_id, "coach_id": world.runner},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(CoachAssignment, (world.runner, world.other_runner_id)) is None


def test_assignment_of_missing_runner_answers_404(app: Flask) -> None:
    world = make_world(app)
    response = post_form(
        _admin(app), "/admin/assignments", {"runner_id": 99999, "coach_id": world.coach}
    )
    assert response.status_code == 404


def test_coach_creates_athlete_assigned_to_them(app: Flask) -> None:
    make_world(app)
    make_user(app, "third", Role.COACH)
    client = app.test_client()
    login(client, "third")
    response = post_form(
        client, "/runners/new", {"name": "Nia New", "birth_date": "2001-01-01", "sex": "x"}
    )
    assert response.status_code == 302
    assert "Nia New" in _text(client.get("/athletes"))
    future = post_form(
        client, "/runners/new", {"name": "Too Young", "birth_date": "2099-01-01", "sex": "x"}
    )
    assert "Birth date must be a past date" in _text(future)
