"""Updating and deleting a runner: the API, the page and the CLI, with bad input.

Deleting takes everything of the runner's with it, the stored files included, but a file
another runner also uploaded stays (blobs are shared by content).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import User
from smartrunning.athletes.models import (
    PersonalBest,
    RecomputeRequest,
    Runner,
)
from smartrunning.platform.db import db
from smartrunning.platform.models import Blob
from smartrunning.sessions.models import (
    ImportFile,
    ImportJob,
    JobStatus,
    TrainingSession,
)
from tests.commands import cli_env, run_cli
from tests.database import TestDatabase
from tests.helpers import csrf_token, login, make_world
from tests.sessions.sessiondata import import_inline, run_bytes

pytestmark = pytest.mark.db


def _blob_shas(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.execute(sa.select(Blob.sha256)).scalars())


def _runner_shas(app: Flask, runner_id: int) -> set[str]:
    with app.app_context():
        raw = db.session.execute(
            sa.select(ImportFile.sha256)
            .join(ImportJob, ImportJob.id == ImportFile.job_id)
            .where(ImportJob.runner_id == runner_id, ImportFile.sha256.is_not(None))
        ).scalars()
        records = db.session.execute(
            sa.select(TrainingSession.records_sha256).where(TrainingSession.runner_id == runner_id)
        ).scalars()
        return {s for s in (*raw, *records) if s is not None}


def test_deleting_a_runner_removes_their_data_and_unshared_files(app: Flask) -> None:
    world = make_world(app)
    shared = run_bytes(0, duration_s=600, seed=1)
    import_inline(app, world.runner_id, [("shared.fit", shared), ("own.fit", run_bytes(3, seed=2))])
    import_inline(app, world.other_runner_id, [("shared.fit", shared)])
    mine, theirs = _runner_shas(app, world.runner_id), _runner_shas(app, world.other_runner_id)
    assert len(mine) == 4  # two raw files and two record tables
    assert theirs < mine  # the other runner's file and records are the same blobs
    before = _blob_shas(app)

    client = app.test_client()
    login(client, "coach")
    answer = client.delete(
        f"/api/runners/{world.runner_id}", headers={"X-CSRFToken": csrf_token(client)}
    )
    assert answer.status_code == 200, answer.json
    assert answer.json == {
        "runner_id": world.runner_id,
        "name": "Rita Runner",
        "sessions": 2,
        "import_jobs": 1,
        "blobs_deleted": 2,
        "login_deactivated": "runner",
    }
    assert _blob_shas(app) == before - (mine - theirs)
    assert client.get(f"/api/runners/{world.runner_id}").status_code == 404
    with app.app_context():
        assert db.session.get(Runner, world.runner_id) is None
        for model, column in (
            (TrainingSession, TrainingSession.runner_id),
            (ImportJob, ImportJob.runner_id),
            (PersonalBest, PersonalBest.runner_id),
        ):
            count = db.session.execute(
                sa.select(sa.func.count()).select_from(model).where(column == world.runner_id)
            ).scalar_one()
            assert count == 0, model
        assert db.session.get_one(User, world.runner).is_active is False
        # The other runner lost nothing.
        assert (
            db.session.execute(
                sa.select(sa.func.count(TrainingSession.id)).where(
                    TrainingSession.runner_id == world.other_runner_id
                )
            ).scalar_one()
            == 1
        )
    # The deactivated runner can no longer log in.
    assert login(app.test_client(), "runner").status_code != 302


def test_a_runner_with_an_import_running_is_not_deleted(app: Flask) -> None:
    world = make_world(app)
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0, duration_s=300))])
    with app.app_context():
        job = db.session.execute(sa.select(ImportJob)).scalar_one()
        job.status = JobStatus.RUNNING
        db.session.commit()
    client = app.test_client()
    login(client, "admin")
    answer = client.delete(
        f"/api/runners/{world.runner_id}", headers={"X-CSRFToken": csrf_token(client)}
    )
    assert answer.status_code == 409
    assert "still running" in answer.json["error"]["message"]
    assert client.get(f"/api/runners/{world.runner_id}").status_code == 200
    page = client.post(
        f"/runners/{world.runner_id}/delete",
        data={"csrf_token": csrf_token(client), "confirm_name": "Rita Runner"},
    )
    assert page.status_code == 422
    assert "still running" in page.get_data(as_text=True)


def test_the_delete_page_asks_for_the_name(app: Flask) -> None:
    world = make_world(app)
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0, duration_s=300))])
    client = app.test_client()
    login(client, "coach")
    profile = client.get(f"/runners/{world.runner_id}").get_data(as_text=True)
    assert f'href="/runners/{world.runner_id}/delete"' in profile
    page = client.get(f"/runners/{world.runner_id}/delete").get_data(as_text=True)
    assert "1 session with their records" in page
    wrong = client.post(
        f"/runners/{world.runner_id}/delete",
        data={"csrf_token": csrf_token(client), "confirm_name": "Rita"},
    )
    assert wrong.status_code == 422
    assert "Type the name exactly as shown: Rita Runner" in wrong.get_data(as_text=True)
    empty = client.post(
        f"/runners/{world.runner_id}/delete", data={"csrf_token": csrf_token(client)}
    )
    assert empty.status_code == 422
    no_csrf = client.post(
        f"/runners/{world.runner_id}/delete", data={"confirm_name": "Rita Runner"}
    )
    assert no_csrf.status_code == 400
    assert client.get(f"/api/runners/{world.runner_id}").status_code == 200
    done = client.post(
        f"/runners/{world.runner_id}/delete",
        data={"csrf_token": csrf_token(client), "confirm_name": "  Rita   Runner "},
    )
    assert done.status_code == 302
    assert done.location == "/athletes"
    assert "Rita Runner was deleted with 1 sessions" in client.get("/athletes").get_data(
        as_text=True
    )
    assert client.get(f"/runners/{world.runner_id}").status_code == 404
    # The runner's own page offers no delete button.
    runner = app.test_client()
    login(runner, "otherrunner")
    own = runner.get(f"/runners/{world.other_runner_id}").get_data(as_text=True)
    assert f'href="/runners/{world.other_runner_id}/delete"' not in own
    assert 'data-testid="delete-runner"' not in own


def test_updating_a_runner_and_bad_input(app: Flask) -> None:
    world = make_world(app)
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0, duration_s=300))])
    client = app.test_client()
    login(client, "runner")
    headers = {"X-CSRFToken": csrf_token(client)}
    url = f"/api/runners/{world.runner_id}"
    renamed = client.patch(url, json={"name": "  Rita   R. "}, headers=headers)
    assert renamed.status_code == 200
    assert renamed.json["name"] == "Rita R."
    with app.app_context():
        assert not db.session.execute(
            sa.select(RecomputeRequest).where(
                RecomputeRequest.reason == "birth date or sex changed"
            )
        ).all()
    for body, field in (
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "1850-01-01"}, "birth_date"),
        ({"birth_date": "yesterday"}, "birth_date"),
        ({"sex": "q"}, "sex"),
        ({"colour": "red"}, "colour"),
    ):
        bad = client.patch(url, json=body, headers=headers)
        assert bad.status_code == 422, body
        assert field in json.dumps(bad.json["error"]["details"]), (body, bad.json)
    assert client.get(url).json["name"] == "Rita R."
    # A new birth date changes the HRmax estimate: the sessions are recomputed.
    moved = client.patch(url, json={"birth_date": "1980-02-02", "sex": "f"}, headers=headers)
    assert moved.status_code == 200
    assert moved.json["birth_date"] == "1980-02-02"
    assert moved.json["sex"] == "f"
    with app.app_context():
        request = db.session.execute(
            sa.select(RecomputeRequest).where(
                RecomputeRequest.reason == "birth date or sex changed"
            )
        ).scalar_one()
        assert request.runner_id == world.runner_id
        assert request.reason == "birth date or sex changed"
    assert (
        client.patch(
            f"/api/runners/{world.other_runner_id}", json={"name": "X"}, headers=headers
        ).status_code
        == 404
    )


def test_cli_updates_and_deletes_a_runner(tmp_path: Path, test_database: TestDatabase) -> None:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    env = cli_env(tmp_path / "instance", url)
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    created = run_cli(
        env, "runner", "create", "--name", "Cli Runner", "--birth-date", "1990-01-01",
        "--sex", "m", "--json", cwd=tmp_path,
    )  # fmt: skip
    runner_id = json.loads(created.output)["id"]
    updated = run_cli(
        env, "runner", "update", str(runner_id), "--name", "Cli Renamed", "--json", cwd=tmp_path
    )
    assert updated.exit_code == 0, updated.output
    assert json.loads(updated.output)["name"] == "Cli Renamed"
    bad = run_cli(
        env, "runner", "update", str(runner_id), "--birth-date", "2999-01-01", cwd=tmp_path
    )
    assert bad.exit_code != 0
    assert "Birth date must be a past date" in bad.output
    refused = run_cli(env, "runner", "delete", str(runner_id), cwd=tmp_path)
    assert refused.exit_code != 0  # no --yes and no "y" typed: aborted, nothing deleted
    deleted = run_cli(env, "runner", "delete", str(runner_id), "--yes", "--json", cwd=tmp_path)
    assert deleted.exit_code == 0, deleted.output
    assert json.loads(deleted.output) == {
        "runner_id": runner_id,
        "name": "Cli Renamed",
        "sessions": 0,
        "import_jobs": 0,
        "blobs_deleted": 0,
        "login_deactivated": None,
    }
    missing = run_cli(env, "runner", "delete", str(runner_id), "--yes", cwd=tmp_path)
    assert missing.exit_code != 0
    assert f"No runner {runner_id}." in missing.output
