"""The login throttle on the embedded default: one SQLite store that every web process
sees (it was each process's memory, so N processes allowed N times the limit), and a
lockout of a name that spares the browser its owner logged in from before."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from limits import parse, storage, strategies

from smartrunning.accounts.models import Role
from smartrunning.platform.extensions import limiter
from smartrunning.platform.throttle import SqliteStorage, storage_uri
from tests.helpers import PASSWORD, login, make_user

LIMIT = parse("5 per 5 minutes")


def test_two_processes_share_one_window(tmp_path: Path) -> None:
    """Two stores over one file, as two web processes open it: 3 + 3 attempts against a
    limit of 5 allow 5 in all."""
    first, second = (
        strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri(p)))
        for p in (tmp_path / "throttle.sqlite3", tmp_path / "throttle.sqlite3")
    )
    allowed = [first.hit(LIMIT, "user:ada") for _ in range(3)]
    allowed += [second.hit(LIMIT, "user:ada") for _ in range(3)]
    assert allowed == [True] * 5 + [False]
    assert not first.test(LIMIT, "user:ada")
    assert second.test(LIMIT, "user:bob")


def test_the_app_without_redis_counts_in_the_instance_file(app: Flask) -> None:
    with app.app_context():
        assert isinstance(limiter.storage, SqliteStorage)
        assert limiter.storage.path == Path(app.instance_path) / "throttle.sqlite3"


def test_a_locked_name_still_lets_its_owners_browser_in(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    own = app.test_client()
    assert login(own, "ada").status_code == 302  # the browser ada uses
    assert own.get_cookie("smartrunning_known") is not None
    own.post("/logout", data={})
    attacker = app.test_client()
    for _ in range(5):
        assert login(attacker, "ada", "wrong password").status_code == 200
    assert login(attacker, "ada", PASSWORD).status_code == 429
    assert login(app.test_client(), "ada", PASSWORD).status_code == 429  # a new browser
    assert login(own, "ada", PASSWORD).status_code == 302


def test_a_known_client_cookie_of_another_name_or_forged_does_not_help(app: Flask) -> None:
    make_user(app, "ada", Role.COACH)
    make_user(app, "bob", Role.COACH)
    bobs = app.test_client()
    assert login(bobs, "bob").status_code == 302
    attacker = app.test_client()
    for _ in range(5):
        login(attacker, "ada", "wrong password")
    assert login(bobs, "ada", PASSWORD).status_code == 429
    forged = app.test_client()
    forged.set_cookie("smartrunning_known", "ada")
    assert login(forged, "ada", PASSWORD).status_code == 429
