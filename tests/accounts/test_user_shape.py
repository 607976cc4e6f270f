"""One shape of a user (``accounts.schemas.user_shape``): ``/api/me``, ``preferences
--json`` and ``create-user --json`` print the same fields with the same values; the CLI
adds only ``must_change_password`` (and a generated ``password``)."""

from __future__ import annotations

import json

import click
from flask import Flask, Response
from flask.testing import FlaskClient

from smartrunning.accounts.cli import create_user_command, preferences_command
from smartrunning.accounts.schemas import MeSchema
from tests.helpers import login, make_world

API_FIELDS = {
    "id",
    "username",
    "display_name",
    "role",
    "roles",
    "runner_id",
    "time_zone",
    "units",
}


def _cli_json(app: Flask, command: click.Command, args: list[str]) -> dict[str, object]:
    done = app.test_cli_runner().invoke(command, [*args, "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert isinstance(data, dict)
    return data


def _me(client: FlaskClient) -> dict[str, object]:
    answer: Response = client.get("/api/me")
    assert answer.status_code == 200
    data = answer.get_json()
    assert isinstance(data, dict)
    return data


def test_the_api_documents_the_shape_s_fields() -> None:
    assert set(MeSchema().fields) == API_FIELDS


def test_api_and_preferences_json_agree(app: Flask, client: FlaskClient) -> None:
    world = make_world(app)
    login(client, "runner")
    me = _me(client)
    assert set(me) == API_FIELDS
    assert me["runner_id"] == world.runner_id
    assert me["role"] == "runner"
    cli = _cli_json(app, preferences_command, ["runner"])
    assert set(cli) == API_FIELDS | {"must_change_password"}
    assert {k: cli[k] for k in API_FIELDS} == me
    # Changed in the CLI: the API reads the same.
    cli = _cli_json(app, preferences_command, ["runner", "--time-zone", "Asia/Tokyo"])
    assert cli["time_zone"] == "Asia/Tokyo"
    assert {k: cli[k] for k in API_FIELDS} == _me(client)
    # A coach without a runner profile: null in both.
    coach = app.test_client()
    login(coach, "coach")
    cli = _cli_json(app, preferences_command, ["coach"])
    assert cli["runner_id"] is None
    assert {k: cli[k] for k in API_FIELDS} == _me(coach)


def test_create_user_json_is_the_same_shape(app: Flask) -> None:
    make_world(app)
    made = _cli_json(
        app,
        create_user_command,
        ["--username", "Nia", "--role", "coach", "--role", "runner", "--display-name", "Nia N"],
    )
    assert set(made) == API_FIELDS | {"must_change_password", "password"}
    assert made["must_change_password"] is True
    assert (made["username"], made["role"], made["roles"]) == ("nia", "coach", ["coach", "runner"])
    shown = _cli_json(app, preferences_command, ["nia"])
    assert {k: v for k, v in made.items() if k != "password"} == shown
    given = _cli_json(
        app,
        create_user_command,
        ["--username", "oli", "--role", "runner", "--password", "a long passphrase 1"],
    )
    assert "password" not in given
