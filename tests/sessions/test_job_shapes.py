"""One shape of an import job (sessions.schemas.JobReport) behind the API's job, the API's
list and the pages (issue #14): the same names and values, times as ISO text."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.platform.db import db
from smartrunning.sessions import import_reports
from smartrunning.sessions.models import JobStatus
from smartrunning.sessions.schemas import JobReport
from tests.helpers import login, make_world, with_sessions

pytestmark = pytest.mark.usefixtures("on_written_day")


def _get(client: FlaskClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json


def test_the_api_gives_a_job_as_its_shape(app: Flask) -> None:
    world = with_sessions(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    job = _get(client, f"/api/jobs/{world.job_id}")
    assert list(job) == [f.name for f in dataclasses.fields(JobReport)]
    (listed,) = _get(client, f"/api/runners/{world.runner_id}/jobs")
    assert listed == {k: v for k, v in job.items() if k != "files"}
    with app.app_context():
        report = import_reports.job_report(import_reports.get_job(world.job_id))
        db.session.rollback()
    assert report.status is JobStatus.DONE
    assert report.done
    assert job["status"] == "done"
    assert job["created_at"] == report.created_at.isoformat()
    assert job["by_status"] == {"imported": 1} == report.by_status
    assert job["files"] == report.files
    assert [f["session_ids"] for f in job["files"]] == [[world.session_id]]
