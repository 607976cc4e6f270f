"""One shape of a rating and of a comment (feedback.schemas) behind the API and the CLI
(issue #14): the same names and values in both."""

from __future__ import annotations

import json

from flask import Flask

from smartrunning.feedback.cli import group
from tests.helpers import csrf_token, login, make_world, with_sessions


def test_api_and_cli_give_ratings_and_comments_the_same_names_and_values(app: Flask) -> None:
    world = with_sessions(app, make_world(app))
    sid = world.session_id
    runner = app.test_client()
    login(runner, "runner")
    cli = app.test_cli_runner()
    rated = cli.invoke(group, ["rpe", str(sid), "--as", "runner", "--rpe", "6", "--json"])
    assert rated.exit_code == 0, rated.output
    api = runner.get(f"/api/sessions/{sid}/feedback").json
    assert api == json.loads(rated.output)
    assert list(api) == ["session_id", "rpe", "feeling", "srpe_load", "updated_at"]
    assert api["rpe"] == 6
    assert api["srpe_load"] > 0
    posted = runner.post(
        f"/api/sessions/{sid}/comments",
        json={"body": "Tired legs"},
        headers={"X-CSRFToken": csrf_token(runner)},
    ).json
    listed = cli.invoke(group, ["comments", "--as", "runner", "--session", str(sid), "--json"])
    assert listed.exit_code == 0, listed.output
    comments = json.loads(listed.output)["comments"]
    assert comments == runner.get(f"/api/sessions/{sid}/comments").json
    assert comments[-1] == posted
    assert posted["author"] == "runner"
