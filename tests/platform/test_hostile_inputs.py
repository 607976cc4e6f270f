"""Hostile values a signed-in user can send: each is answered 4xx with its reason.

Every value here answered 500 (or, for the history, ran for a minute and half a GB) before
the limits: a range or date is checked before any work starts, and an accepted range answers
only the days asked for. How long a request takes is for benchmarks, not tests.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.commands import cli_with_runner, run_cli
from tests.database import TestDatabase
from tests.helpers import (
    PLAN_RACE_DATE,
    WRITTEN_ON,
    World,
    login,
    make_world,
    post_form,
    with_plans,
)

DEEP = "[" * 50_000 + "]" * 50_000
TODAY = WRITTEN_ON


@pytest.fixture
def world(app: Flask, set_today: Callable[[dt.date], None]) -> World:
    set_today(TODAY)
    return with_plans(app, make_world(app))


@pytest.fixture
def coach(app: Flask, world: World) -> FlaskClient:
    client = app.test_client()
    login(client, "coach")
    return client


def _message(response: TestResponse) -> str:
    return str(response.json["error"]["message"])


@pytest.mark.parametrize(
    ("query", "status", "reason"),
    [
        ("to=9999-12-31", 422, "to must be on or before 2029-08-17"),
        ("from=0001-01-01&to=2026-11-21", 422, "at most 3660 days"),
        ("from=2026-11-21&to=2026-01-01", 422, "from must be on or before to"),
        ("to=99999-01-01", 422, "Not a valid date"),
    ],
)
def test_history_refuses_unbounded_ranges(
    coach: FlaskClient, world: World, query: str, status: int, reason: str
) -> None:
    response = coach.get(f"/api/runners/{world.runner_id}/history?{query}")
    assert response.status_code == status
    assert reason in _message(response)


def test_history_to_the_limit_answers_only_the_asked_days(coach: FlaskClient, world: World) -> None:
    last = TODAY + dt.timedelta(days=1000)
    first = last - dt.timedelta(days=9)
    url = f"/api/runners/{world.runner_id}/history?from={first}&to={last}"
    response = coach.get(url)
    assert response.status_code == 200
    days = response.json["days"]
    assert [d["day"] for d in days] == [str(first + dt.timedelta(days=i)) for i in range(10)]
    assert all(d["projected"] for d in days)


def test_history_limits_come_from_configuration(app: Flask, world: World) -> None:
    app.extensions["smartrunning.settings"] = app.extensions["smartrunning.settings"].model_copy(
        update={"history_max_days": 400, "history_max_ahead_days": 10}
    )
    client = app.test_client()
    login(client, "runner")
    url = f"/api/runners/{world.runner_id}/history"
    assert client.get(f"{url}?to={TODAY + dt.timedelta(days=10)}").status_code == 200
    assert client.get(f"{url}?to={TODAY + dt.timedelta(days=11)}").status_code == 422
    ok = f"from={TODAY - dt.timedelta(days=399)}&to={TODAY}"
    assert client.get(f"{url}?{ok}").status_code == 200
    too_long = f"from={TODAY - dt.timedelta(days=400)}&to={TODAY}"
    assert client.get(f"{url}?{too_long}").status_code == 422
    # The page projects to the plan's race day (more than 10 days ahead) only as far as
    # the limit allows.
    page = client.get(f"/runners/{world.runner_id}/history")
    assert page.status_code == 200


def test_history_command_refuses_unbounded_ranges(
    tmp_path: Path, test_database: TestDatabase
) -> None:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    env, runner = cli_with_runner(tmp_path, url)
    result = run_cli(env, "history", "--runner", runner, "--to", "9999-12-31", cwd=tmp_path)
    assert result.exit_code == 1
    assert "to must be on or before" in result.output


@pytest.mark.parametrize(
    "path",
    [
        "/api/runners?page={big}",
        "/api/runners/{runner}/sessions?page={big}",
        "/api/workouts?page={big}",
        "/workouts?page={big}",
        "/runners/{runner}/sessions?page={big}",
    ],
)
def test_a_page_number_beyond_64_bits_is_an_empty_page(
    coach: FlaskClient, world: World, path: str
) -> None:
    url = path.format(big=2**70, runner=world.runner_id)
    response = coach.get(url)
    assert response.status_code == 200
    if url.startswith("/api/"):
        assert response.json == []


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("month=9999-12", "month must be within a year of the plan"),
        ("month=0001-01", "month must be within a year of the plan"),
        ("week=0001-01-01", "week must be within a year of the plan"),
        ("week=9999-12-31", "week must be within a year of the plan"),
        ("week=2026-13-01", "week must be a date"),
    ],
)
def test_plan_calendar_refuses_dates_far_from_the_plan(
    coach: FlaskClient, world: World, query: str, reason: str
) -> None:
    response = coach.get(f"/plans/{world.plan_id}?{query}")
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)


def test_plan_calendar_pages_within_a_year(coach: FlaskClient, world: World) -> None:
    half_a_year_on = PLAN_RACE_DATE + dt.timedelta(days=180)  # the plan ends on race day
    month = f"{half_a_year_on:%Y-%m}"
    assert coach.get(f"/plans/{world.plan_id}?month={month}").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/runners/{runner}/parameters?on=9999-12-31",
        "/api/runners/{runner}/profile?on=9999-12-31",
        "/api/workouts/{workout}/targets?runner_id={runner}&on=9999-12-31",
    ],
)
def test_a_day_centuries_after_birth_is_refused(
    coach: FlaskClient, world: World, path: str
) -> None:
    url = path.format(runner=world.runner_id, workout=world.workout_id)
    response = coach.get(url)
    assert response.status_code in {404, 422}
    if response.status_code == 422:
        assert "150 years after the runner's birth date" in _message(response)


def test_the_workout_page_falls_back_for_a_day_centuries_ahead(
    coach: FlaskClient, world: World
) -> None:
    url = f"/workouts/{world.workout_id}?runner={world.runner_id}&on=9999-12-31"
    response = coach.get(url)
    assert response.status_code == 200
    assert "150 years after" in response.get_data(as_text=True)


def test_a_zwo_declaring_an_unknown_encoding_is_reported(app: Flask, world: World) -> None:
    from tests.accounts.tokens import bearer, create_token

    token = create_token(app, "coach")
    body = b'<?xml version="1.0" encoding="x-klingon"?><workout_file/>'
    response = app.test_client().post(
        "/api/workouts/import",
        data={"files": (io.BytesIO(body), "odd.zwo")},
        content_type="multipart/form-data",
        headers=bearer(token),
    )
    assert response.status_code in {200, 400}
    assert "unsupported encoding" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/runners"),
        ("put", "/api/workouts/{workout}"),
        ("post", "/api/workouts/preview"),
        ("post", "/api/plan-schemas"),
    ],
)
def test_json_nested_50000_deep_is_refused(
    app: Flask, world: World, method: str, path: str
) -> None:
    from tests.accounts.tokens import bearer, create_token

    token = create_token(app, "admin")
    client = app.test_client()
    url = path.format(workout=world.workout_id)
    response = getattr(client, method)(
        url, data=DEEP, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 400


def test_json_nested_beyond_the_limit_is_refused(app: Flask, world: World) -> None:
    from tests.accounts.tokens import bearer, create_token

    token = create_token(app, "coach")
    body = '{"name": "Deep Deep", "birth_date": "1990-01-01", "sex": "f", "x": ' + (
        "[" * 40 + "]" * 40 + "}"
    )
    response = app.test_client().post(
        "/api/runners", data=body, content_type="application/json", headers=bearer(token)
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("path", "field"),
    [("/workouts/new", "steps"), ("/plans/schemas/new", "body")],
)
def test_forms_refuse_json_nested_50000_deep(coach: FlaskClient, path: str, field: str) -> None:
    data = {"name": "Deep", "sport": "run", field: DEEP}
    response = post_form(coach, path, data)
    assert response.status_code in {400, 422}


def test_nul_characters_are_refused_everywhere(app: Flask, world: World) -> None:
    """PostgreSQL cannot store them (a 500 on every write there); SQLite stored them."""
    from tests.accounts.tokens import bearer, create_token

    token = create_token(app, "coach")
    api = app.test_client()
    patch = api.patch(
        f"/api/runners/{world.runner_id}", json={"name": "Rita\x00"}, headers=bearer(token)
    )
    assert patch.status_code == 400
    assert "NUL" in _message(patch)
    assert api.get("/api/runners?sport=a%00b", headers=bearer(token)).status_code == 400
    client = app.test_client()
    assert login(client, "coach\x00").status_code == 400
    login(client, "coach")
    assert post_form(client, "/settings/tokens", {"name": "a\x00b"}).status_code == 400
