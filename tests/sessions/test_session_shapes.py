"""One shape of a session (sessions.schemas) behind the API, the CLI and the pages (issue
#14): the same names and values wherever a field is shown."""

from __future__ import annotations

import json

import pytest
from flask import Flask

from smartrunning.sessions.cli import sessions_group
from smartrunning.sessions.schemas import SessionDetail, SessionDetailOut, SessionOut
from tests.helpers import login, make_world
from tests.sessions.sessiondata import import_inline, run_bytes, wild_hr_run_bytes
from tests.sessions.sportdata import sport_file

pytestmark = pytest.mark.usefixtures("on_written_day")


def test_api_and_cli_give_a_session_the_same_names_and_values(app: Flask) -> None:
    world = make_world(app)
    report = import_inline(
        app,
        world.runner_id,
        [
            ("swim.fit", sport_file("swim")),
            ("run.fit", run_bytes(1, duration_s=1800)),
            ("hr.fit", wild_hr_run_bytes(3)),
        ],
    )
    ids = sorted(sid for f in report["files"] for sid in f["session_ids"])  # type: ignore[union-attr]
    assert len(ids) == 3
    client = app.test_client()
    login(client, "coach")
    cli = app.test_cli_runner()
    listed = cli.invoke(sessions_group, ["list", "--runner", str(world.runner_id), "--json"])
    assert listed.exit_code == 0, listed.output
    cli_rows = [json.loads(line) for line in listed.output.splitlines()]
    api_rows = client.get(f"/api/runners/{world.runner_id}/sessions").json
    assert api_rows == cli_rows
    assert list(api_rows[0]) == [f.data_key or n for n, f in SessionOut().fields.items()]
    api_keys = {f.data_key or name for name, f in SessionDetailOut().fields.items()}
    for sid in ids:
        shown = cli.invoke(sessions_group, ["show", str(sid), "--json"])
        assert shown.exit_code == 0, shown.output
        cli_detail = json.loads(shown.output)
        api_detail = client.get(f"/api/sessions/{sid}").json
        assert api_detail == {k: v for k, v in cli_detail.items() if k in api_keys}
        # The CLI adds only the fields the shape keeps out of the API.
        assert set(cli_detail) - set(api_detail) == {
            "utc_offset_s",
            "mile_splits",
            "import_file_id",
        }
        assert list(cli_detail) == list(SessionDetail.__dataclass_fields__)
    held = client.get(f"/api/sessions/{ids[-1]}").json
    assert held["held"]
    assert held["flags"]
