"""One shape of a plan, a planned day and a calendar entry (plans.schemas) behind the API,
the CLI's --json and the calendar (issue #14): the same names and values in each."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from flask import Flask

from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar_edits
from smartrunning.plans.cli import plan_group
from smartrunning.plans.models import Plan
from smartrunning.plans.schemas import PlanDayShape
from smartrunning.platform.db import db
from tests.helpers import login, make_world, with_plans
from tests.plans.calendar_data import plan_around_a_session


def _cli(app: Flask, *args: str) -> Any:
    result = app.test_cli_runner().invoke(plan_group, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_day_has_the_same_fields_and_values_in_the_api_the_cli_and_the_calendar(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    plan_id, monday = plan_around_a_session(app, world)  # a session on Monday, a rest day
    set_today(monday + dt.timedelta(days=2))
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        day = calendar_edits.add_workout(plan, monday, world.default_workout_id)
        plan_services.link_new_sessions(plan)
        day_id = day.id
        assert day.session_id is not None
        assert day.targets
    client = app.test_client()
    login(client, "coach")
    # The runner's word on the day, given on the command line: its answer is the day.
    marked = _cli(
        app, "mark-day", str(plan_id), str(day_id), "--mark", "partly", "--reason", "calf",
        "--minutes", "20",
    )  # fmt: skip
    api_plan = client.get(f"/api/plans/{plan_id}").json
    api_day = next(d for d in api_plan["days"] if d["id"] == day_id)
    window = f"from={monday}&to={monday + dt.timedelta(days=6)}"
    api_calendar = client.get(f"/api/plans/{plan_id}/calendar?{window}").json
    cli_calendar = _cli(app, "calendar", str(plan_id), "--from", str(monday), "--to", str(monday))
    assert cli_calendar == {"weeks": api_calendar}
    entry = api_calendar[0]["days"][0]
    assert entry["date"] == monday.isoformat()
    assert entry["planned"] == api_day == marked
    assert list(api_day) == [f.name for f in dataclasses.fields(PlanDayShape)]
    assert (api_day["mark"], api_day["mark_reason"], api_day["mark_duration_s"]) == (
        "partly",
        "calf",
        1200.0,
    )
    assert api_day["workout_name"] == "Default tempo"
    assert api_day["targets"]
    assert set(api_day["targets"][0]) == {
        "step_index",
        "part",
        "intensity",
        "pace_s_per_km",
        "hr_bpm",
        "effort",
    }
    # The session done for it: the values /api/sessions gives, its timer time as duration.
    session = client.get(f"/api/sessions/{api_day['session_id']}").json
    assert entry["completed"] == {
        "id": session["id"],
        "sport": session["sport"],
        "duration_s": session["timer_time_s"],
        "distance_m": session["distance_m"],
        "load": session["load"],
    }
    # Every other day edit answers the same shape (here: planned again after a skip).
    skipped = _cli(app, "skip-day", str(plan_id), str(day_id), "--reason", "Rain")
    assert {k: v for k, v in skipped.items() if k != "skipped_reason"} == {
        k: v for k, v in api_day.items() if k != "skipped_reason"
    }
    assert skipped["skipped_reason"] == "Rain"


def test_a_plan_generated_on_the_command_line_is_the_apis_plan(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    plan_around_a_session(app, world)  # the default schemas
    race = dt.date(2024, 3, 17)
    set_today(race - dt.timedelta(days=13))
    generate = (
        "generate", "--runner", str(world.other_runner_id), "--schema", "10 km",
        "--race-date", str(race), "--distance-m", "10000", "--weeks", "2",
    )  # fmt: skip
    saved = _cli(app, *generate, "--save")
    client = app.test_client()
    login(client, "admin")
    assert client.get(f"/api/plans/{saved['id']}").json == saved
    listed = client.get(f"/api/runners/{world.other_runner_id}/plans").json
    assert listed == [{k: saved[k] for k in listed[0]}]
    # Not stored: the same fields, without ids.
    preview = _cli(app, *generate)
    assert list(preview) == list(saved)
    assert preview["id"] is None
    assert [d["id"] for d in preview["days"]] == [None] * len(saved["days"])
    assert [d["workout_name"] for d in preview["days"]] == [
        d["workout_name"] for d in saved["days"]
    ]


def test_the_templates_are_the_apis_on_the_command_line(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    api = client.get("/api/plan-schemas").json
    assert _cli(app, "templates") == {"schemas": api}
    mine = next(t for t in api if t["id"] == world.schema_id)
    assert (mine["owner_id"], mine["is_default"], mine["weeks"]) == (world.coach, False, 12)
    assert mine["body"]["name"] == mine["name"]
