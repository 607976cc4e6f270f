"""One shape of a workout (workouts.schemas) behind the API, the CLI and the pages (issue
#14): the same names and values wherever a field is shown."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from smartrunning.cli import main
from smartrunning.platform.db import db
from smartrunning.workouts import imports as workout_imports
from smartrunning.workouts.schemas import (
    ResolvedOut,
    WorkoutDetail,
    WorkoutOut,
    WorkoutSummary,
    WorkoutSummaryOut,
)
from tests.helpers import login
from tests.workouts.workout_api import api_client

pytestmark = pytest.mark.usefixtures("on_written_day")

# A pace target, a distance part, a ramp and free running: every kind of row a runner's
# targets have.
STEPS = [
    {"type": "warmup", "duration": 600, "unit": "s", "intensity_start": 0.6,
     "intensity_end": 0.8},
    {"type": "intervals", "repeat": 4, "on_duration": 1000, "off_duration": 90, "unit": "m",
     "off_unit": "s", "on_intensity": 1.05, "off_intensity": 0.6,
     "on_target": {"kind": "pace", "low": 225, "high": 230}},
    {"type": "steady", "duration": 600, "unit": "s", "intensity": 0.8,
     "target": {"kind": "hr", "low": 0.7, "high": 0.8}},
    {"type": "free", "duration": 300, "unit": "s"},
]  # fmt: skip


def _keys(schema: Any) -> list[str]:
    return [f.data_key or name for name, f in schema.fields.items()]


def _cli(app: Flask, *args: str) -> Any:
    runner: FlaskCliRunner = app.test_cli_runner()
    result = runner.invoke(main, ["workouts", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _with_cs(api: Any, runner_id: int) -> None:
    body = {"key": "critical_speed", "value": {"cs_mps": 4.0, "d_prime_m": 200},
            "valid_from": "2026-01-01"}  # fmt: skip
    added = api.send("POST", f"/api/runners/{runner_id}/parameters", body)
    assert added.status_code == 201, added.json


def test_api_and_cli_give_a_workout_the_same_names_and_values(app: Flask) -> None:
    world, api = api_client(app)
    with app.app_context():
        workout_imports.load_default_library()
        db.session.commit()
    created = api.send(
        "POST",
        "/api/workouts",
        {"name": "Shape check", "tags": ["kind:threshold", "mine"], "steps": STEPS},
    )
    assert created.status_code == 201, created.json
    workout_id = created.json["id"]
    _with_cs(api, world.runner_id)

    # The list: every workout, the same fields and values; the CLI leaves out only what
    # depends on who asks.
    api_rows = api.get("/api/workouts?page_size=100").json
    cli_list = _cli(app, "list")
    assert cli_list["total"] == len(api_rows) > 40
    assert [{**row, "can_edit": api_row["can_edit"]} for row, api_row in
            zip(cli_list["workouts"], api_rows, strict=True)] == api_rows  # fmt: skip
    assert list(api_rows[0]) == _keys(WorkoutSummaryOut())
    assert list(cli_list["workouts"][0]) == [
        f.name for f in dataclasses.fields(WorkoutSummary) if f.name != "can_edit"
    ]
    mine = next(row for row in api_rows if row["id"] == workout_id)
    assert mine["can_edit"] is True
    assert mine["time_steps_s"] == pytest.approx(600 + 4 * 90 + 600 + 300)
    assert mine["distance_steps_m"] == pytest.approx(4000)

    # One workout, as it is and resolved for a runner on a day.
    api_one = api.get(f"/api/workouts/{workout_id}").json
    cli_one = _cli(app, "show", str(workout_id))
    assert api_one == {**cli_one, "can_edit": True}
    assert list(api_one) == _keys(WorkoutOut())[:-1]  # resolved only when asked
    assert list(cli_one) == [
        f.name for f in dataclasses.fields(WorkoutDetail) if f.name != "can_edit"
    ]
    assert api_one["structure"]["steps"][1]["on_target"] == STEPS[1]["on_target"]

    query = f"runner_id={world.runner_id}&on=2026-06-01"
    api_resolved = api.get(f"/api/workouts/{workout_id}?{query}").json
    cli_resolved = _cli(
        app, "show", str(workout_id), "--runner", str(world.runner_id), "--on", "2026-06-01"
    )
    assert api_resolved == {**cli_resolved, "can_edit": True}
    resolved = api_resolved["resolved"]
    assert set(resolved) == set(_keys(ResolvedOut()))
    assert resolved["runner_id"] == world.runner_id
    assert resolved["on"] == "2026-06-01"
    assert resolved["cs_mps"] == pytest.approx(4.0)
    on_row = next(row for row in resolved["steps"] if row["part"] == "on")
    assert on_row["target"] == {"kind": "pace", "low": 225.0, "high": 230.0}
    assert on_row["extent"] == {"value": 1000.0, "unit": "m"}

    # What another user may do differs; what the workout is does not.
    other = app.test_client()
    assert login(other, "othercoach").status_code == 302
    theirs = other.get(f"/api/workouts/{workout_id}").json
    assert theirs["can_edit"] is False
    assert {**theirs, "can_edit": True} == api_one


def test_the_cli_shows_a_workout_in_words_and_refuses_what_is_not_there(app: Flask) -> None:
    world, api = api_client(app)
    created = api.send("POST", "/api/workouts", {"name": "Words", "steps": STEPS})
    assert created.status_code == 201, created.json
    workout_id = created.json["id"]
    _with_cs(api, world.runner_id)
    runner = app.test_cli_runner()

    text = runner.invoke(main, ["workouts", "show", str(workout_id)])
    assert text.exit_code == 0, text.output
    assert f"Workout {workout_id}: Words (run, no kind, by coach)" in text.output
    assert "4 steps  [31:00]  [4.00 km]" in text.output
    # Without a runner: shares of CS, no paces; the distance steps leave the totals open.
    assert "   2 on        4 × 1.00 km  105 %\n" in text.output
    assert "   1 warmup    10:00  60–80 %\n" in text.output
    assert "total: give --runner" in text.output

    resolved = runner.invoke(
        main,
        ["workouts", "show", str(workout_id), "--runner", str(world.runner_id),
         "--on", "2026-06-01"],
    )  # fmt: skip
    assert resolved.exit_code == 0, resolved.output
    assert f"For Rita Runner (runner {world.runner_id}) on 2026-06-01, CS 4:10 /km:" in (
        resolved.output
    )
    # The on part's pace target as given (225–230 s/km; its middle is 110 % of this CS),
    # the ramp's paces from 60 % and 80 % of CS (416.7 and 312.5 s/km) widened by 2 %,
    # the steady part's heart rates.
    assert " 2 on        4 × 1.00 km  110 %  3:45–3:50 /km  HR " in resolved.output
    assert " 1 warmup    10:00  60–80 %  5:06–7:05 /km  HR " in resolved.output
    assert " 3 steady    10:00  80 %  HR " in resolved.output
    # 600 s + 4 × (1000 m at 227.5 s/km + 90 s) + 600 s + 300 s = 2770 s.
    assert "  total 46:10, " in resolved.output

    missing = runner.invoke(main, ["workouts", "show", "999999"])
    assert missing.exit_code == 1
    assert "No such workout." in missing.output
    no_runner = runner.invoke(main, ["workouts", "show", str(workout_id), "--runner", "999999"])
    assert no_runner.exit_code == 1
    assert "No runner 999999." in no_runner.output
