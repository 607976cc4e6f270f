"""Personal API tokens: created on the settings page, stored hashed, the owner's access only."""

from __future__ import annotations

from flask import Flask

from smartrunning.accounts import tokens as token_services
from smartrunning.accounts.models import ApiToken, User
from smartrunning.platform.db import db
from tests.accounts.tokens import bearer, create_token
from tests.helpers import login, make_world, post_form


def test_token_acts_as_its_owner_and_no_more(app: Flask) -> None:
    world = make_world(app)
    token = create_token(app, "runner")
    api = app.test_client()  # no cookie at all
    me = api.get("/api/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json["username"] == "runner"
    assert api.get(f"/api/runners/{world.runner_id}", headers=bearer(token)).status_code == 200
    assert (
        api.get(f"/api/runners/{world.other_runner_id}", headers=bearer(token)).status_code == 404
    )
    # A runner's token cannot do what only coaches may.
    created = api.post(
        "/api/runners",
        headers=bearer(token),
        json={"name": "X Y", "birth_date": "1990-01-01", "sex": "x"},
    )
    assert created.status_code == 403


def test_token_writes_need_no_csrf_but_cookies_still_do(app: Flask) -> None:
    make_world(app)
    token = create_token(app, "coach")
    api = app.test_client()
    body = {"name": "Token Made", "birth_date": "1990-01-01", "sex": "f"}
    assert api.post("/api/runners", headers=bearer(token), json=body).status_code == 201
    cookie = app.test_client()
    login(cookie, "coach")
    assert cookie.post("/api/runners", json=body).status_code == 400


def test_tokens_are_stored_hashed(app: Flask) -> None:
    make_world(app)
    token = create_token(app, "coach")
    with app.app_context():
        row = db.session.execute(db.select(ApiToken)).scalar_one()
        assert token not in (row.token_hash, row.prefix)
        assert len(row.token_hash) == 64
        assert token.startswith(row.prefix)


def test_revoked_wrong_and_deactivated_tokens_get_401(app: Flask) -> None:
    world = make_world(app)
    token = create_token(app, "coach")
    api = app.test_client()
    for bad in (token + "x", "srt_nonsense", "not-even-ours"):
        answer = api.get("/api/me", headers=bearer(bad))
        assert answer.status_code == 401
        assert answer.json["error"]["code"] == "unauthorized"
    with app.app_context():
        user = db.session.get(User, world.coach)
        assert user is not None
        row = db.session.execute(db.select(ApiToken)).scalar_one()
        token_services.revoke_token(user, row.id)
        db.session.commit()
    assert api.get("/api/me", headers=bearer(token)).status_code == 401
    second = create_token(app, "coach", "second")
    with app.app_context():
        user = db.session.get(User, world.coach)
        assert user is not None
        user.is_active = False
        db.session.commit()
    assert api.get("/api/me", headers=bearer(second)).status_code == 401


def test_revoking_someone_elses_token_answers_404(app: Flask) -> None:
    make_world(app)
    create_token(app, "coach")
    with app.app_context():
        token_id = db.session.execute(db.select(ApiToken.id)).scalar_one()
    other = app.test_client()
    login(other, "othercoach")
    assert post_form(other, f"/settings/tokens/{token_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None  # type: ignore[union-attr]


def test_token_name_is_validated(app: Flask) -> None:
    make_world(app)
    client = app.test_client()
    login(client, "coach")
    page = post_form(client, "/settings/tokens", {"name": ""}).get_data(as_text=True)
    assert "This field is required." in page
    page = post_form(client, "/settings/tokens", {"name": "x" * 81}).get_data(as_text=True)
    assert "Field cannot be longer than 80 characters." in page
