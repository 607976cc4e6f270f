"""Storage quotas: an upload that would take a runner or its uploader past the configured
quota is refused before it is read (nothing kept), with what is used and left; usage is
shown on the upload page and the admin dashboard."""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import Flask

from smartrunning.platform.db import db
from smartrunning.platform.models import Blob
from smartrunning.sessions.models import ImportJob
from tests.accounts.tokens import bearer, create_token
from tests.helpers import login, make_world
from tests.sessions.sessiondata import run_bytes

RUN = run_bytes(seed=3)  # about 40 kB


def _quotas(app: Flask, *, runner_mb: float, user_mb: float) -> None:
    settings = app.extensions["smartrunning.settings"]
    app.extensions["smartrunning.settings"] = settings.model_copy(
        update={"storage_quota_runner_mb": runner_mb, "storage_quota_user_mb": user_mb}
    )


def _upload(app: Flask, token: str, runner_id: int, data: bytes, name: str) -> tuple[int, str]:
    response = app.test_client().post(
        f"/api/runners/{runner_id}/sessions",
        data={"files": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=bearer(token),
    )
    body = response.json or {}
    return response.status_code, str(body.get("error", {}).get("message", ""))


def _kept(app: Flask) -> tuple[int, int]:
    with app.app_context():
        blobs = db.session.execute(sa.select(sa.func.count()).select_from(Blob)).scalar_one()
        jobs = db.session.execute(sa.select(sa.func.count()).select_from(ImportJob)).scalar_one()
        return int(blobs), int(jobs)


def test_a_runner_over_quota_gets_no_more_uploads_and_nothing_is_kept(app: Flask) -> None:
    world = make_world(app)
    _quotas(app, runner_mb=len(RUN) * 1.5 / 1e6, user_mb=0)
    token = create_token(app, "coach")
    assert _upload(app, token, world.runner_id, RUN, "first.fit")[0] == 202
    before = _kept(app)
    status, message = _upload(app, token, world.runner_id, run_bytes(seed=4), "second.fit")
    assert status == 422
    assert "this runner's storage quota" in message
    assert "MB left" in message
    assert _kept(app) == before
    # Another runner of the same coach has room of their own.
    other = create_token(app, "othercoach")
    assert _upload(app, other, world.other_runner_id, run_bytes(seed=4), "x.fit")[0] == 202


def test_the_same_bytes_count_once(app: Flask) -> None:
    world = make_world(app)
    _quotas(app, runner_mb=len(RUN) * 2.5 / 1e6, user_mb=0)
    token = create_token(app, "coach")
    for _ in range(2):
        assert _upload(app, token, world.runner_id, RUN, "same.fit")[0] == 202
    with app.app_context():
        from smartrunning.athletes.models import Runner
        from smartrunning.sessions import quotas

        usage = quotas.runner_usage(db.session.get_one(Runner, world.runner_id))
    assert usage.used_bytes == len(RUN)


def test_the_uploaders_quota_spans_runners_and_spares_admins(app: Flask) -> None:
    world = make_world(app)
    _quotas(app, runner_mb=0, user_mb=len(RUN) * 1.5 / 1e6)
    runner_token = create_token(app, "runner")
    assert _upload(app, runner_token, world.runner_id, RUN, "a.fit")[0] == 202
    status, message = _upload(app, runner_token, world.runner_id, run_bytes(seed=5), "b.fit")
    assert status == 422
    assert "your storage quota" in message
    admin = create_token(app, "admin")
    for seed in (6, 7):
        assert _upload(app, admin, world.runner_id, run_bytes(seed=seed), "c.fit")[0] == 202


def test_usage_is_shown_on_the_upload_page_and_the_dashboard(app: Flask) -> None:
    world = make_world(app)
    _quotas(app, runner_mb=5, user_mb=20)
    token = create_token(app, "coach")
    assert _upload(app, token, world.runner_id, RUN, "first.fit")[0] == 202
    coach = app.test_client()
    login(coach, "coach")
    page = coach.get(f"/runners/{world.runner_id}/upload").get_data(as_text=True)
    assert f"this runner {len(RUN) / 1e6:.1f} MB of 5 MB" in page
    assert "you " in page
    admin = app.test_client()
    login(admin, "admin")
    dashboard = admin.get("/admin/").get_data(as_text=True)
    assert 'data-testid="storage"' in dashboard
    assert "Rita Runner" in dashboard.split('data-testid="storage"')[1]


def test_failed_files_count_while_kept_and_refused_ones_never(app: Flask) -> None:
    """Issue #17: a damaged FIT file is kept for reprocess and counts against the quota;
    a file refused as no FIT file (or too large) keeps nothing and counts nothing."""
    from smartrunning.athletes.models import Runner
    from smartrunning.sessions import quotas
    from tests.sessions.sessiondata import import_inline

    world = make_world(app)
    damaged = run_bytes(seed=5)[:100]  # damaged before any record: fails, kept
    import_inline(
        app, world.runner_id, [("damaged.fit", damaged), ("junk.fit", b"no FIT file" * 1000)]
    )
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        assert quotas.runner_usage(runner).used_bytes == len(damaged)
        assert quotas.usage_by_runner() == {world.runner_id: len(damaged)}
