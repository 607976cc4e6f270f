"""What a password change, logout or revocation ends, and what login timing and password
rules give away: tokens bound to the password version, cookies to the session version,
CSRF exempt only for a token that authenticated, constant-time login, a strength policy
and a throttled current-password check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import ApiToken, Role, User
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from tests.accounts.tokens import bearer, create_token
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
    token = create_token(app, "coach")
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
    token = create_token(app, "runner")
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
    token = create_token(app, "runner", "watch sync")
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
    create_token(app, "otherrunner")
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
    token = create_token(app, "coach")
    body = {"name": "Token Runner", "birth_date": "1990-01-01", "sex": "f"}
    api = app.test_client()
    assert api.post("/api/runners", json=body, headers=bearer("srt_fake")).status_code == 401
    assert api.post("/api/runners", json=body, headers=bearer(token)).status_code == 201


# --- Login takes as long for an unknown name as for a known one ------------------------


class CountingHasher(PasswordHasher):
    """The real argon2id hasher, counting the hashes and verifications it does."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.hashes = 0
        self.verifications = 0

    def hash(self, *args: Any, **kwargs: Any) -> str:
        self.hashes += 1
        return super().hash(*args, **kwargs)

    def verify(self, *args: Any, **kwargs: Any) -> Literal[True]:
        self.verifications += 1
        return super().verify(*args, **kwargs)


@pytest.fixture
def counting_hasher() -> Iterator[CountingHasher]:
    original = accounts._TESTING_HASHER
    hasher = accounts._TESTING_HASHER = CountingHasher()
    accounts._dummy_hashes.clear()
    yield hasher
    accounts._TESTING_HASHER = original
    accounts._dummy_hashes.clear()


def test_a_login_does_the_same_work_for_unknown_and_known_names(
    app: Flask, counting_hasher: CountingHasher
) -> None:
    """The time a login takes is its one argon2 verification (the rest is a query), so the
    same work for both means the same time; counted rather than timed, which a busy machine
    would blur. The dummy hash was once made again on every unknown name (setdefault's
    argument is evaluated first): a hash and a verification, twice the time."""
    with app.app_context():
        accounts.create_user("ada", PASSWORD, {Role.COACH})
        db.session.commit()
        assert accounts.authenticate("ghost", "wrong password!") is None  # makes the dummy

        def work(username: str) -> tuple[int, int]:
            before = (counting_hasher.hashes, counting_hasher.verifications)
            assert accounts.authenticate(username, "wrong password!") is None
            return (
                counting_hasher.hashes - before[0],
                counting_hasher.verifications - before[1],
            )

        for _ in range(3):
            assert work("ada") == (0, 1)
            assert work("ghost") == (0, 1)
            assert work("nobody-at-all") == (0, 1)


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
