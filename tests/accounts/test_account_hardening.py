"""What a password change, logout or revocation ends, and what login timing and password
rules give away: tokens bound to the password version, cookies to the session version,
CSRF exempt only for a token that authenticated, constant-time login, a strength policy
and a throttled current-password check."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import ApiToken, Role, User
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from tests.accounts.test_tokens import _create, bearer
from tests.helpers import PASSWORD, login, make_user, make_world, post_form

NEW = "another good passphrase"


def _user_id(app: Flask, username: str) -> int:
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username=username)).scalar_one()
        return int(user.id)


def _change_password(client: FlaskClient, current: str, new: str) -> int:
    data = {"current_password": current, "password": new, "confirm": new}
    return post_form(client, "/password", data).status_code


# --- Tokens end with the password they were made under ------------------------------


def test_a_password_change_ends_the_users_tokens(app: Flask) -> None:
    make_world(app)
    token = _create(app, "coach")
    api = app.test_client()
    assert api.get("/api/me", headers=bearer(token)).status_code == 200
    client = app.test_client()
    login(client, "coach")
    assert _change_password(client, PASSWORD, NEW) == 302
    assert api.get("/api/me", headers=bearer(token)).status_code == 401
    # A token made after the change works.
    fresh = _create_logged_in(client)
    assert api.get("/api/me", headers=bearer(fresh)).status_code == 200
    tokens_page = client.get("/settings/tokens").get_data(as_text=True)
    assert "ended by a password change" in tokens_page


def _create_logged_in(client: FlaskClient) -> str:
    page = post_form(client, "/settings/tokens", {"name": "after"}).get_data(as_text=True)
    match = re.search(r'data-testid="token-value">([^<]+)<', page)
    assert match
    return match.group(1)


def test_an_admin_reset_ends_tokens_for_good(app: Flask) -> None:
    """Reset then a new password of the user's own: the old token stays dead (it came back
    to life when only the hash was compared with nothing)."""
    world = make_world(app)
    token = _create(app, "runner")
    admin = app.test_client()
    login(admin, "admin")
    reset = post_form(admin, f"/admin/users/{world.runner}/password")
    assert reset.status_code == 200
    api = app.test_client()
    assert api.get("/api/me", headers=bearer(token)).status_code == 401
    with app.app_context():
        user = db.session.get(User, world.runner)
        assert user is not None
        accounts.set_password(user, PASSWORD, must_change=False)
        db.session.commit()
    assert api.get("/api/me", headers=bearer(token)).status_code == 401


# --- Admins list and revoke another user's tokens ------------------------------------


def test_admin_lists_and_revokes_another_users_token(app: Flask) -> None:
    world = make_world(app)
    token = _create(app, "runner", "watch sync")
    with app.app_context():
        token_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    admin = app.test_client()
    login(admin, "admin")
    page = admin.get(f"/admin/users/{world.runner}").get_data(as_text=True)
    assert "watch sync" in page
    assert token[:10] in page
    revoked = post_form(admin, f"/admin/users/{world.runner}/tokens/{token_id}/revoke")
    assert revoked.status_code == 302
    assert app.test_client().get("/api/me", headers=bearer(token)).status_code == 401
    # Through another user's page, the token is not found.
    assert (
        post_form(admin, f"/admin/users/{world.coach}/tokens/{token_id}/revoke").status_code == 404
    )


@pytest.mark.parametrize("role", ["runner", "coach"])
def test_only_admins_revoke_another_users_token(app: Flask, role: str) -> None:
    world = make_world(app)
    _create(app, "otherrunner")
    with app.app_context():
        token_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    client = app.test_client()
    login(client, role)
    url = f"/admin/users/{world.other_runner}/tokens/{token_id}/revoke"
    assert post_form(client, url).status_code == 403
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None  # type: ignore[union-attr]


# --- Logout ends a copied cookie ------------------------------------------------------


def test_logout_ends_a_cookie_copied_before_it(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    here = app.test_client()
    login(here, "ada")
    copy = app.test_client()
    cookie = here.get_cookie("smartrunning_session")
    assert cookie is not None
    copy.set_cookie("smartrunning_session", cookie.value)
    assert copy.get("/athletes").status_code == 200
    assert post_form(here, "/logout").status_code == 302
    assert copy.get("/athletes").location.startswith("/login")
    # Logging in again works.
    assert login(here, "ada").status_code == 302


# --- CSRF is exempt only for a token that authenticated -------------------------------


def test_a_fake_bearer_header_beside_a_cookie_does_not_skip_csrf(app: Flask) -> None:
    make_world(app)
    client = app.test_client()
    login(client, "coach")
    body = {"name": "Forged Runner", "birth_date": "1990-01-01", "sex": "f"}
    forged = client.post("/api/runners", json=body, headers=bearer("srt_fake"))
    assert forged.status_code == 400
    assert "CSRF" in forged.json["error"]["message"]


def test_a_bad_token_alone_gets_401_and_a_good_one_needs_no_csrf(app: Flask) -> None:
    make_world(app)
    token = _create(app, "coach")
    body = {"name": "Token Runner", "birth_date": "1990-01-01", "sex": "f"}
    api = app.test_client()
    assert api.post("/api/runners", json=body, headers=bearer("srt_fake")).status_code == 401
    assert api.post("/api/runners", json=body, headers=bearer(token)).status_code == 201


# --- Login takes as long for an unknown name as for a known one ------------------------


@pytest.fixture
def slow_hasher() -> Iterator[None]:
    """Hashing as costly as a real one relative to the rest of a login (the tests' own
    hasher is so cheap that any difference would drown in noise)."""
    original = accounts._TESTING_HASHER
    accounts._TESTING_HASHER = PasswordHasher(time_cost=3, memory_cost=16 * 1024, parallelism=1)
    accounts._dummy_hashes.clear()
    yield
    accounts._TESTING_HASHER = original
    accounts._dummy_hashes.clear()


def test_login_takes_the_same_time_for_unknown_and_known_names(
    app: Flask, slow_hasher: None
) -> None:
    with app.app_context():
        accounts.create_user("ada", PASSWORD, {Role.COACH})
        db.session.commit()

        def timed(username: str) -> float:
            started = time.perf_counter()
            assert accounts.authenticate(username, "wrong password!") is None
            return time.perf_counter() - started

        timed("ghost")  # the dummy hash is made once, on the first unknown name
        known, unknown = [], []
        for _ in range(7):
            known.append(timed("ada"))
            unknown.append(timed("ghost"))
    ratio = statistics.median(unknown) / statistics.median(known)
    print(f"unknown/known login time: {ratio:.2f}")
    # A hash per unknown name made it ~2 (a hash and a verification against one).
    assert 0.7 < ratio < 1.4


# --- Password policy -----------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaa", "1234567890", "password12", "qwertyuiop", "ada ada ada"]
)
def test_common_and_trivial_passwords_are_refused(app: Flask, password: str) -> None:
    with app.app_context():
        with pytest.raises(InvalidInput, match="too easy to guess"):
            accounts.create_user("ada", password, {Role.COACH})
        with pytest.raises(InvalidInput, match="too easy to guess"):
            accounts.create_user("bob", password, {Role.COACH})


def test_the_password_page_refuses_a_weak_password_and_says_why(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    login(client, "ada")
    data = {"current_password": PASSWORD, "password": "password12", "confirm": "password12"}
    page = post_form(client, "/password", data).get_data(as_text=True)
    assert "too easy to guess" in page
    assert login(app.test_client(), "ada").status_code == 302  # still the old one


def test_an_overlong_password_is_refused(app: Flask) -> None:
    with app.app_context(), pytest.raises(InvalidInput, match="at most 1024"):
        accounts.create_user("ada", "long passphrase " * 100, {Role.COACH})


def test_the_command_refuses_a_weak_password(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="ada")).scalar_one()
        with pytest.raises(InvalidInput, match="too easy to guess"):
            accounts.set_password(user, "1234567890", must_change=False)


# --- The current password on the password page is throttled ---------------------------


def test_current_password_guesses_are_throttled(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    login(client, "ada")
    statuses = [_change_password(client, f"guess number {i}", NEW) for i in range(6)]
    assert statuses[:5] == [200] * 5
    assert statuses[5] == 429
    # Blocked now even with the right one: the guesses stop, the session is not locked
    # out for longer than the window.
    assert _change_password(client, PASSWORD, NEW) == 429


def test_right_current_passwords_are_not_counted(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    client = app.test_client()
    login(client, "ada")
    current = PASSWORD
    for i in range(6):
        new = f"rotation passphrase number {i}"
        assert _change_password(client, current, new) == 302, i
        current = new
