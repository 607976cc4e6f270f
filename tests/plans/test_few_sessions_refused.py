"""Fewer than 3 runs a week is refused with one clear message on the page, in the API and
in the CLI (limits.MIN_SESSIONS: Daniels' plans assume at least 3 running days; with
fewer the long run cannot stay within 30 % of the week), and nothing is stored."""

from __future__ import annotations

from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans.cli import plan_group
from smartrunning.platform.db import db
from tests.helpers import LATER_RACE_DATE, csrf_token, login, make_world, post_form, with_plans

MESSAGE = "at least 3 training days and 3 runs a week"


def _plans(app: Flask, runner_id: int) -> int:
    with app.app_context():
        return len(plan_services.plans_for_runner(db.session.get_one(Runner, runner_id)))


def test_fewer_than_three_runs_a_week_is_refused_everywhere(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    before = _plans(app, world.runner_id)
    client = app.test_client()
    login(client, "coach")
    base = {
        "schema_id": world.default_schema_id,
        "race_date": LATER_RACE_DATE.isoformat(),
        "distance_m": "10000",
    }
    # The page: two training days, and three days but two runs.
    for fields in (
        {"training_days": ["1", "5"], "long_run_day": "5", "sessions_per_week": "2"},
        {"training_days": ["1", "3", "5"], "long_run_day": "5", "sessions_per_week": "2"},
        {"training_days": ["5"], "long_run_day": "5", "sessions_per_week": "1"},
    ):
        response = post_form(client, f"/runners/{world.runner_id}/plans", {**base, **fields})
        assert response.status_code == 400, fields
        assert MESSAGE in response.get_data(as_text=True), fields
    # Three runs on three days is a plan.
    made = post_form(
        client,
        f"/runners/{world.runner_id}/plans",
        {**base, "training_days": ["1", "3", "5"], "long_run_day": "5", "sessions_per_week": "3"},
    )
    assert made.status_code == 302
    assert _plans(app, world.runner_id) == before + 1
    # The API.
    body = {
        "schema_id": world.default_schema_id,
        "race_date": LATER_RACE_DATE.isoformat(),
        "distance_m": 10000,
        "training_days": [1, 5],
        "long_run_day": 5,
        "sessions_per_week": 2,
    }
    headers = {"X-CSRFToken": csrf_token(client)}
    url = f"/api/runners/{world.runner_id}/plans"
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert MESSAGE in response.json["error"]["message"]
    # The CLI takes the runner's profile: two training days.
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        runner.training_weekdays, runner.long_run_weekday, runner.sessions_per_week = "15", 5, 2
        db.session.commit()
    args = ["generate", "--runner", str(world.runner_id), "--schema", "10 km"]
    args += ["--race-date", LATER_RACE_DATE.isoformat(), "--distance-m", "10000", "--save"]
    result = app.test_cli_runner().invoke(plan_group, args)
    assert result.exit_code != 0
    assert MESSAGE in result.output
    assert _plans(app, world.runner_id) == before + 1
