"""One shape of a runner (athletes.schemas.RunnerShape) behind the API and the CLI (issue
#14): the same names and values; the CLI adds ``user``, the login's user name."""

from __future__ import annotations

import dataclasses
import json

import pytest
from flask import Flask

from smartrunning.athletes.cli import runner_group
from smartrunning.athletes.schemas import RunnerShape
from tests.helpers import login, make_world

pytestmark = pytest.mark.usefixtures("on_written_day")


def test_api_and_cli_give_a_runner_the_same_names_and_values(app: Flask) -> None:
    world = make_world(app)
    cli = app.test_cli_runner()
    updated = cli.invoke(
        runner_group, ["update", str(world.runner_id), "--name", "Rita Q", "--json"]
    )
    assert updated.exit_code == 0, updated.output
    cli_runner = json.loads(updated.output)
    assert list(cli_runner) == [*(f.name for f in dataclasses.fields(RunnerShape)), "user"]
    assert cli_runner["user"] == "runner"
    client = app.test_client()
    login(client, "coach")
    api_runner = client.get(f"/api/runners/{world.runner_id}").json
    assert api_runner == {k: v for k, v in cli_runner.items() if k != "user"}
    assert api_runner["name"] == "Rita Q"
    assert api_runner["user_id"] == world.runner
    listed = client.get("/api/runners").json
    assert listed == [api_runner]
