""".fit.gz files (as Strava exports them) and ZIP entries of the same name (issue #16
item 4), and what refused files leave in the blob store (issue #17: nothing)."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.platform.blobs import sha256_of
from smartrunning.platform.db import db
from smartrunning.platform.models import Blob
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions.models import ImportFile, TrainingSession
from tests.commands import cli_with_runner, run_cli
from tests.database import TestDatabase
from tests.helpers import login, make_runner, make_world, post_form
from tests.sessions.sessiondata import by_name, gz, gzip_bomb, import_inline, run_bytes, zip_bytes


def _blobs(app: Flask) -> set[str]:
    with app.app_context():
        return set(db.session.execute(sa.select(Blob.sha256)).scalars())


def _sessions(app: Flask) -> int:
    with app.app_context():
        return db.session.execute(sa.select(sa.func.count(TrainingSession.id))).scalar_one()


def test_a_fit_gz_upload_is_imported_and_the_same_run_unpacked_is_a_duplicate(
    app: Flask,
) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    data = run_bytes(0)
    answer = post_form(
        client,
        f"/runners/{world.runner_id}/upload",
        {"files": (io.BytesIO(gz(data)), "12345.fit.gz")},
    )
    assert answer.status_code == 302
    job_id = int(answer.location.rsplit("/", 1)[1])
    with app.app_context():  # no worker in tests: the job runs here
        import_jobs.run_inline(job_id)
    [row] = client.get(f"/api/jobs/{job_id}").json["files"]
    assert row["status"] == "imported", row
    with app.app_context():
        session = db.session.get_one(TrainingSession, row["session_ids"][0])
        assert session.source_sha256 == sha256_of(data)  # judged by the FIT bytes it holds
    again = import_inline(app, world.runner_id, [("run.fit", data)])
    assert by_name(again)["run.fit"]["status"] == "duplicate"
    assert "already imported" in str(by_name(again)["run.fit"]["reason"])


def test_a_gzip_bomb_is_refused_with_its_reason_and_nothing_of_it_is_kept(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.extensions["smartrunning.settings"], "max_fit_file_mb", 1.0)
    runner_id = make_runner(app, "Rita")
    bomb = gzip_bomb(8 << 20)  # 8 MB of zeros in ~8 kB
    assert len(bomb) < 64_000
    report = import_inline(
        app, runner_id, [("bomb.fit.gz", bomb), ("good.fit.gz", gz(run_bytes(1, duration_s=300)))]
    )
    rows = by_name(report)
    assert rows["bomb.fit.gz"]["status"] == "failed"
    assert rows["bomb.fit.gz"]["reason"] == (
        "gzip bomb? it expands to more than MAX_FIT_FILE_MB = 1; not kept"
    )
    assert rows["good.fit.gz"]["status"] == "imported"
    assert sha256_of(bomb) not in _blobs(app)
    with app.app_context():
        row = db.session.execute(
            sa.select(ImportFile).where(ImportFile.name == "bomb.fit.gz")
        ).scalar_one()
        assert row.sha256 is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x1f\x8b\x08\x00garbage that is no deflate stream", "not a readable gzip file"),
        (gz(b"hello, not a FIT file"), "not a FIT file: no FIT header"),
        (gz(gz(run_bytes(0, duration_s=300))), "gzip inside gzip; not kept"),
    ],
)
def test_bad_gzip_files_are_refused_and_not_kept(app: Flask, content: bytes, reason: str) -> None:
    runner_id = make_runner(app, "Rita")
    row = by_name(import_inline(app, runner_id, [("x.fit.gz", content)]))["x.fit.gz"]
    assert row["status"] == "failed"
    assert str(row["reason"]).startswith(reason), row["reason"]
    assert str(row["reason"]).endswith("; not kept")
    assert _blobs(app) == set()


def test_fit_gz_entries_of_a_strava_export_are_imported(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    export = zip_bytes(
        [
            ("activities/101.fit.gz", gz(run_bytes(0, seed=1))),
            ("activities/102.fit.gz", gz(run_bytes(2, seed=2))),
            ("activities/103.gpx.gz", gz(b"<gpx/>")),
            ("activities.csv", b"id\n101\n"),
        ]
    )
    rows = by_name(import_inline(app, runner_id, [("export_1.zip", export)]))
    assert rows["export_1.zip/activities/101.fit.gz"]["status"] == "imported"
    assert rows["export_1.zip/activities/102.fit.gz"]["status"] == "imported"
    assert rows["export_1.zip/activities/103.gpx.gz"]["status"] == "skipped"
    assert rows["export_1.zip/activities/103.gpx.gz"]["reason"] == (
        "not a .fit, .fit.gz or .zip entry"
    )
    assert _sessions(app) == 2


def test_zip_entries_of_the_same_name_are_each_listed_and_imported(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    folders = zip_bytes(
        [("a/activity.fit", run_bytes(0, seed=1)), ("b/activity.fit", run_bytes(2, seed=2))]
    )
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: the point
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("activity.fit", run_bytes(4, seed=3))
            archive.writestr("activity.fit", run_bytes(6, seed=4))
            archive.writestr("activity.fit", run_bytes(4, seed=3))  # the first one again
    rows = by_name(
        import_inline(app, runner_id, [("folders.zip", folders), ("same.zip", buffer.getvalue())])
    )
    assert rows["folders.zip/a/activity.fit"]["status"] == "imported"
    assert rows["folders.zip/b/activity.fit"]["status"] == "imported"
    assert rows["same.zip/activity.fit"]["status"] == "imported"
    assert rows["same.zip/activity.fit (#2)"]["status"] == "imported"
    assert rows["same.zip/activity.fit (#3)"]["status"] == "duplicate"
    assert (
        rows["same.zip/activity.fit (#3)"]["session_ids"]
        == (rows["same.zip/activity.fit"]["session_ids"])
    )
    assert _sessions(app) == 4


def test_a_zip_entry_that_is_no_fit_file_is_refused_without_keeping_it(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    junk = b"PNG pretending to be a FIT file" * 10
    export = zip_bytes([("run.fit", run_bytes(0)), ("picture.fit", junk)])
    rows = by_name(import_inline(app, runner_id, [("e.zip", export)]))
    assert rows["e.zip/run.fit"]["status"] == "imported"
    assert rows["e.zip/picture.fit"]["status"] == "failed"
    assert str(rows["e.zip/picture.fit"]["reason"]).startswith("not a FIT file")
    assert sha256_of(junk) not in _blobs(app)


def test_a_folder_import_takes_fit_gz_files(tmp_path: Path, test_database: TestDatabase) -> None:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    env, runner_id = cli_with_runner(tmp_path, url)
    folder = tmp_path / "strava" / "activities"
    folder.mkdir(parents=True)
    (folder / "101.fit.gz").write_bytes(gz(run_bytes(0)))
    (folder / "102.FIT.GZ").write_bytes(gz(run_bytes(2, seed=2)))
    (folder / "103.gpx.gz").write_bytes(gz(b"<gpx/>"))
    result = run_cli(
        env, "import", "--runner", runner_id, "--via", "inline", "--json", str(folder.parent),
        cwd=tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = {line["file"]: line for line in map(json.loads, result.stdout.splitlines())}
    assert lines["strava/activities/101.fit.gz"]["status"] == "imported"
    assert lines["strava/activities/102.FIT.GZ"]["status"] == "imported"
    assert lines["strava/activities/103.gpx.gz"]["status"] == "not_activity"
    assert lines["strava/activities/103.gpx.gz"]["reason"] == (
        "skipped: not a .fit, .fit.gz or .zip file"
    )
