"""One shape of a notification (notifications.schemas) behind the API and the CLI (issue
#14): the same names and values in both."""

from __future__ import annotations

import json

from flask import Flask

from smartrunning.feedback.cli import group as feedback_group
from smartrunning.notifications.cli import group
from tests.helpers import login, make_world, with_sessions


def test_api_and_cli_give_a_notification_the_same_names_and_values(app: Flask) -> None:
    world = with_sessions(app, make_world(app))
    cli = app.test_cli_runner()
    commented = cli.invoke(
        feedback_group,
        ["comment", "--as", "coach", "--session", str(world.session_id), "--text", "Well run"],
    )
    assert commented.exit_code == 0, commented.output
    listed = cli.invoke(group, ["list", "--user", "runner", "--json"])
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.output)["items"]
    runner = app.test_client()
    login(runner, "runner")
    assert runner.get("/api/notifications").json == items
    assert [n["body"] for n in items] == ["Well run"]
    assert list(items[0]) == ["id", "kind", "title", "body", "link", "created_at", "read_at"]
