"""Logging in and out, throttling, forced password changes, CSRF and safe redirects."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.accounts.views import LOGIN_FAILED
from smartrunning.platform.db import db
from tests.helpers import PASSWORD, csrf_token, login, make_user, make_world, post_form


def _message(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


def test_login_lands_runner_on_own_page_and_coach_on_dashboard(app: Flask) -> None:
    world = make_world(app)
    runner = app.test_client()
    login(runner, "runner")
    home = runner.get("/")  # the runner's day; the profile one link away
    assert home.status_code == 200
    assert f'href="/runners/{world.runner_id}"' in home.get_data(as_text=True)
    coach = app.test_client()
    login(coach, "coach")
    assert coach.get("/").location == "/athletes"
    page = _message(coach.get("/athletes"))
    assert "Rita Runner" in page
    assert "Otto Other" not in page


def test_admin_sees_all_runners(app: Flask) -> None:
    make_world(app)
    client = app.test_client()
    login(client, "admin")
    page = _message(client.get("/athletes"))
    assert "Rita Runner" in page
    assert "Otto Other" in page


def test_wrong_password_and_unknown_user_get_the_same_answer(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    wrong = login(app.test_client(), "ada", "not the password")
    unknown = login(app.test_client(), "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert LOGIN_FAILED in _message(wrong)
    assert LOGIN_FAILED in _message(unknown)
    strip = re.compile(r"[\w-]{20,}\.[\w-]+\.[\w-]+")  # CSRF tokens differ per session
    assert strip.sub("", _message(wrong)).replace("ada", "") == strip.sub(
        "", _message(unknown)
    ).replace("nobody", "")


def test_login_is_throttled_per_user_name(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    for _ in range(5):
        assert login(client, "ada", "wrong password").status_code == 200
    blocked = login(client, "ada", PASSWORD)
    assert blocked.status_code == 429
    assert "Too many attempts" in _message(blocked)
    # Another user name from the same address is not blocked by ada's counter.
    make_user(app, "bob", Role.COACH)
    assert login(client, "bob", PASSWORD).status_code == 302


def test_login_is_throttled_per_address(app: Flask) -> None:
    client = app.test_client()
    for i in range(20):
        assert login(client, f"user{i}", "wrong password").status_code == 200
    make_user(app, "ada", Role.COACH)
    assert login(client, "ada", PASSWORD).status_code == 429


def test_successful_logins_are_not_counted(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    for _ in range(8):
        client = app.test_client()
        assert login(client, "ada").status_code == 302


def test_deactivated_user_cannot_log_in_and_keeps_data(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "runner")
    assert client.get(f"/runners/{world.runner_id}").status_code == 200
    with app.app_context():
        user = db.session.get(User, world.runner)
        assert user is not None
        user.is_active = False
        db.session.commit()
    # The running session ends at the next request, and logging in again fails.
    assert client.get(f"/runners/{world.runner_id}").status_code == 302
    response = login(app.test_client(), "runner")
    assert response.status_code == 200
    assert LOGIN_FAILED in _message(response)
    admin = app.test_client()
    login(admin, "admin")
    assert "Rita Runner" in _message(admin.get(f"/runners/{world.runner_id}"))


def test_forced_password_change_blocks_everything_else(app: Flask) -> None:
    make_user(app, "newbie", Role.COACH, must_change=True)
    client = app.test_client()
    response = login(client, "newbie")
    assert response.location == "/password"
    assert client.get("/athletes").location == "/password"
    api = client.get("/api/me")
    assert api.status_code == 403
    assert api.json["error"]["code"] == "password_change_required"
    short = post_form(
        client, "/password", {"current_password": PASSWORD, "password": "short", "confirm": "short"}
    )
    assert short.status_code == 200
    assert "at least 10 characters" in _message(short)
    new = "a much better passphrase"
    done = post_form(
        client, "/password", {"current_password": PASSWORD, "password": new, "confirm": new}
    )
    assert done.status_code == 302
    assert client.get("/athletes").status_code == 200
    assert login(app.test_client(), "newbie", new).location == "/"


def test_change_password_requires_the_current_one(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    login(client, "ada")
    new = "another good passphrase"
    response = post_form(
        client, "/password", {"current_password": "wrong", "password": new, "confirm": new}
    )
    assert "The current password is wrong." in _message(response)
    assert login(app.test_client(), "ada", new).status_code == 200  # still the old one


def test_a_password_change_ends_the_other_sessions_of_the_old_password(app: Flask) -> None:
    """A stolen cookie no longer works once its owner changes the password (it named only
    the user id), and an admin's reset ends the user's sessions; the session that made the
    change goes on."""
    make_user(app, "ada", Role.COACH)
    make_user(app, "boss", Role.ADMIN)
    here, there = app.test_client(), app.test_client()
    login(here, "ada")
    login(there, "ada")
    assert there.get("/athletes").status_code == 200
    new = "another good passphrase"
    changed = post_form(
        here, "/password", {"current_password": PASSWORD, "password": new, "confirm": new}
    )
    assert changed.status_code == 302
    assert here.get("/athletes").status_code == 200
    assert there.get("/athletes").location.startswith("/login")
    admin = app.test_client()
    login(admin, "boss")
    with app.app_context():
        ada = db.session.execute(db.select(User).filter_by(username="ada")).scalar_one()
        ada_id = ada.id
    reset = post_form(admin, f"/admin/users/{ada_id}/password")
    assert reset.status_code in (200, 302), reset.status_code
    assert here.get("/athletes").location.startswith("/login")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/athletes", "/athletes"),
        ("https://evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirects_only_to_our_own_paths(app: Flask, target: str, expected: str) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={"username": "ada", "password": PASSWORD, "next": target, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.location == expected


def test_anonymous_page_request_remembers_where_it_was_going(client: FlaskClient) -> None:
    response = client.get("/athletes")
    assert response.location == "/login?next=/athletes"


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_forms_without_a_valid_csrf_token_are_refused(app: Flask, token: str | None) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    client.get("/login")
    data = {"username": "ada", "password": PASSWORD}
    if token:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "CSRF" in _message(response)


def test_cookie_authenticated_api_writes_need_the_csrf_header(app: Flask) -> None:
    make_world(app)
    client = app.test_client()
    login(client, "coach")
    body = {"name": "X Y", "birth_date": "1990-01-01", "sex": "x"}
    refused = client.post("/api/runners", json=body)
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "bad_request"
    assert "CSRF" in refused.json["error"]["message"]
    accepted = client.post("/api/runners", json=body, headers={"X-CSRFToken": csrf_token(client)})
    assert accepted.status_code == 201


def test_logout_ends_the_session(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    login(client, "ada")
    assert post_form(client, "/logout").location == "/login"
    assert client.get("/athletes").status_code == 302


def test_session_cookie_flags(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    response = login(client, "ada")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if "session" in h)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_passwords_are_argon2id(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="ada")).scalar_one()
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
