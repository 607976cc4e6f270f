"""One shape of a personal best (athletes.schemas.BestShape) behind the API, the CLI and the
profile (issue #14): the same names and values wherever a field is shown."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.athletes.cli import pb_group
from smartrunning.athletes.schemas import BestOut, BestShape
from tests.helpers import login, make_world

pytestmark = pytest.mark.usefixtures("on_written_day")


def _get(client: FlaskClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def test_api_cli_and_profile_give_a_best_the_same_names_and_values(app: Flask) -> None:
    world = make_world(app)
    rid = world.runner_id
    cli = app.test_cli_runner()
    added = cli.invoke(
        pb_group,
        ["add", str(rid), "--distance-m", "10000", "--time", "45:00", "--date", "2026-07-01",
         "--event", "City 10k", "--json"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    cli_best = json.loads(added.output)
    client = app.test_client()
    login(client, "coach")
    api_bests = _get(client, f"/api/runners/{rid}/bests")
    assert list(api_bests[0]) == [f.data_key or n for n, f in BestOut().fields.items()]
    (api_best,) = [b for b in api_bests if b["id"] == cli_best["id"]]
    # The CLI adds the runner and the critical speed after the shape's fields.
    assert list(cli_best) == [
        *(f.name for f in dataclasses.fields(BestShape)),
        "runner_id",
        "critical_speed",
    ]
    assert {k: v for k, v in cli_best.items() if k in api_best} == api_best
    assert api_best["event_name"] == "City 10k"
    assert api_best["is_record"] is True
    profile = _get(client, f"/api/runners/{rid}/profile")
    by_id = {b["id"]: b for b in api_bests}
    assert profile["personal_bests"]
    for brief in profile["personal_bests"]:
        assert list(brief) == list(BestShape.BRIEF)
        assert brief == {k: by_id[brief["id"]][k] for k in BestShape.BRIEF}
