"""Every URL rule of the app, for every role: who gets what.

A rule (with each of its methods) missing from ``CASES`` fails ``test_every_rule_is_covered``,
so every new endpoint must join the matrix. A runner's data reached by anyone without
access answers 404; anonymous users get the login page (pages) or 401 (API).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.access.cases import CASES
from tests.access.matrix import LOGIN, PRINCIPALS, Case
from tests.helpers import (
    WRITTEN_ON,
    World,
    csrf_token,
    login,
    make_world,
    with_plans,
    with_sessions,
    with_suggestions,
)

USERNAMES = {"runner": "runner", "coach": "coach", "admin": "admin"}


def test_every_rule_is_covered(app: Flask) -> None:
    covered = {(case.endpoint, case.method) for case in CASES}
    missing = sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
        if (rule.endpoint, method) not in covered
    )
    assert not missing, f"endpoints missing from the access matrix: {missing}"
    known = {(rule.endpoint, m) for rule in app.url_map.iter_rules() for m in rule.methods or ()}
    stale = sorted(key for key in covered if key not in known)
    assert not stale, f"matrix cases for endpoints that no longer exist: {stale}"


def _request(client: FlaskClient, case: Case, world: World) -> Any:
    path = case.path(world)
    if case.method == "GET":
        return client.get(path)
    token = csrf_token(client)
    if case.json is not None:
        return client.open(
            path, method=case.method, json=case.json(world), headers={"X-CSRFToken": token}
        )
    data = {"csrf_token": token, **(case.form(world) if case.form else {})}
    return client.open(path, method=case.method, data=data)


def _delete_softly(app: Flask, world: World) -> None:
    """Both runners' sessions (when there are) and manual bests deleted, within the undo
    window: what the restore routes act on."""
    from smartrunning.athletes import bests as best_services
    from smartrunning.athletes.models import Runner
    from smartrunning.platform.db import db
    from smartrunning.sessions import actions as session_services

    with app.app_context():
        for session_id in (world.session_id, world.other_session_id):
            if session_id:
                session_services.delete_session_by_id(session_id)
        for runner_id, best_id in (
            (world.runner_id, world.best_id),
            (world.other_runner_id, world.other_best_id),
        ):
            runner = db.session.get_one(Runner, runner_id)
            best_services.delete_personal_best(runner, best_id, by=None)
        db.session.commit()


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_access(
    app: Flask, case: Case, principal: str, set_today: Callable[[dt.date], None]
) -> None:
    if "suggestions" in case.tags:
        # The suggestions' bests and CS version carry fixed dates: accepting one starts a
        # version on its date, which must not be in the future of the app's clock.
        set_today(WRITTEN_ON)
    world = make_world(app)
    if "sessions" in case.tags:
        world = with_sessions(app, world)
    if "plans" in case.tags:
        world = with_plans(app, world)
    if "suggestions" in case.tags:
        world = with_suggestions(app, world)
    if "deleted" in case.tags:
        _delete_softly(app, world)
    client = app.test_client()
    if principal != "anonymous":
        assert login(client, USERNAMES[principal]).status_code == 302
    response = _request(client, case, world)
    expected = case.expect[principal]
    is_api = case.path(world).startswith("/api/") and case.endpoint != "api-docs.openapi_json"
    if expected == LOGIN:
        if is_api:
            assert response.status_code == 401, response.get_data(as_text=True)[:300]
            assert response.json["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302
            assert response.location.startswith("/login")
        return
    assert response.status_code == expected, (
        f"{case.id} as {principal}: {response.status_code}\n"
        + response.get_data(as_text=True)[:500]
    )
    if is_api and response.status_code >= 400:
        assert set(response.json["error"]) == {"code", "message", "details"}
