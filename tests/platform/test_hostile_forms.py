"""No 500 from any form input: every HTML form endpoint of the app (the url_map's POST
rules outside the API), posted by a logged-in coach and runner with hostile values in
every field its pages show (empty, very long, NaN, '20.30' as a time, negative, unicode,
huge integers), answers below 500."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from smartrunning.platform import clock
from tests.helpers import (
    World,
    csrf_token,
    login,
    make_world,
    with_plans,
    with_sessions,
    with_suggestions,
)

HOSTILE = [
    "",
    "x" * 20_000,
    "NaN",
    "20.30",
    "-1",
    "ünïcødé ✓ 🏃‍♀️ \u202e\x00",
    "9" * 40,
    "inf",
]
#: Field names forms commonly use, posted where no page showed the form.
COMMON = [
    "name", "date", "day", "time", "value", "key", "valid_from", "distance_m", "rpe",
    "feeling", "comment", "body", "reason", "week", "workout_id", "target_day", "confirm",
    "kind", "performance", "from", "to", "note", "units", "time_zone", "password",
]  # fmt: skip
#: Endpoints not to post: logging out ends the test's session.
SKIP = {"auth.logout"}
_FORM = re.compile(r"<form([^>]*)>(.*?)</form>", re.S | re.I)
_ACTION = re.compile(r"action=\"([^\"]+)\"", re.I)
_FIELD = re.compile(r"<(?:input|select|textarea)[^>]*name=\"([^\"]+)\"", re.I)


def _fill(rule: Any, world: World) -> str | None:
    """The rule's path with the world's ids (the user's own objects where it has them)."""
    ids: dict[str, object] = {
        "runner_id": world.runner_id,
        "session_id": world.session_id,
        "job_id": world.job_id,
        "plan_id": world.plan_id,
        "day_id": world.plan_day_id,
        "plan_day_id": world.plan_day_id,
        "best_id": world.best_id,
        "workout_id": world.workout_id,
        "schema_id": world.schema_id,
        "suggestion_id": world.suggestion_id,
        "user_id": world.runner,
        "token": world.ics_token,
    }
    values = {}
    for name in rule.arguments:
        if name in ids:
            values[name] = ids[name]
        elif "date" in name or name == "day":
            values[name] = clock.today().isoformat()
        else:
            values[name] = 1
    try:
        return str(rule.build(values, append_unknown=False)[1])
    except Exception:
        return None


def _forms_on_pages(client: FlaskClient, app: Flask, world: World) -> dict[str, set[str]]:
    """Every POST form the user's pages show: action path → field names."""
    found: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith(("/api", "/static")):
            continue
        path = _fill(rule, world)
        if path is None or path.endswith((".json", ".ics", ".zwo", ".fit", ".csv")):
            continue
        response = client.get(path)
        if response.status_code != 200 or "html" not in (response.content_type or ""):
            continue
        for attributes, inner in _FORM.findall(response.get_data(as_text=True)):
            action = _ACTION.search(attributes)
            if not re.search(r"method=[\"']?post", attributes, re.I):
                continue
            target = (action.group(1) if action else path).split("?")[0].split("#")[0]
            names = found.setdefault(target, set())
            names.update(n for n in _FIELD.findall(inner) if n != "csrf_token")
    return found


def _post_all(app: Flask, world: World, username: str) -> tuple[list[str], int, int]:
    """Failures, endpoints posted, and of those how many with the fields a page showed."""
    client = app.test_client()
    assert login(client, username).status_code == 302
    forms = _forms_on_pages(client, app, world)
    failures: list[str] = []
    posted = from_pages = 0
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "POST" not in (rule.methods or ()) or rule.rule.startswith("/api"):
            continue
        if rule.endpoint in SKIP:
            continue
        path = _fill(rule, world)
        if path is None:
            continue
        names = sorted(forms.get(path, set()) or COMMON)
        posted += 1
        from_pages += path in forms
        for value in HOSTILE:
            token = csrf_token(client)
            data: dict[str, object] = {"csrf_token": token, **dict.fromkeys(names, value)}
            try:
                response = client.post(path, data=data)
                status = response.status_code
            except Exception as exc:  # TESTING propagates what would be a 500
                failures.append(f"{rule.endpoint} {path} {value[:12]!r}: {exc!r}"[:300])
                continue
            if status >= 500:
                failures.append(f"{rule.endpoint} {path} {value[:12]!r}: {status}")
            if status == 302 and response.location.startswith("/login"):
                login(client, username)
    return failures, posted, from_pages


def _world(app: Flask) -> World:
    return with_suggestions(app, with_plans(app, with_sessions(app, make_world(app))))


def test_no_form_answers_5xx_to_hostile_input_as_a_coach(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    set_today(dt.date(2026, 11, 21))
    world = _world(app)
    failures, posted, from_pages = _post_all(app, world, "coach")
    assert failures == [], "\n".join(failures)
    print(f"coach: {posted} form endpoints posted, {from_pages} with fields from their pages")
    assert posted >= 50
    assert from_pages >= 30


def test_no_form_answers_5xx_to_hostile_input_as_a_runner(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    set_today(dt.date(2026, 11, 21))
    world = _world(app)
    failures, posted, from_pages = _post_all(app, world, "runner")
    assert failures == [], "\n".join(failures)
    print(f"runner: {posted} form endpoints posted, {from_pages} with fields from their pages")
    assert posted >= 50
    assert from_pages >= 15
