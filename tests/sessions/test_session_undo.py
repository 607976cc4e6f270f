"""Deleting a session or a personal best asks first and can be undone for UNDO_WINDOW_S:
a deleted session is gone from the list, detail, history, bests, calendar, runner home and
API as if never imported, a restored one brings all of it back, and the queue's purge
deletes what passed the window (records included)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from smartrunning.athletes.models import PersonalBest
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db
from smartrunning.platform.softdelete import INCLUDE_DELETED
from smartrunning.sessions import actions as session_services
from smartrunning.sessions.models import TrainingSession
from tests.helpers import csrf_token, login, make_world, post_form
from tests.plans.calendar_data import plan_around_a_session


def _api(client: FlaskClient, method: str, path: str) -> Any:
    """An API call of a logged-in browser (session cookie and CSRF header)."""
    return client.open(path, method=method.upper(), headers={"X-CSRFToken": csrf_token(client)})


def _everything(client: FlaskClient, runner_id: int, plan_id: int, day: dt.date) -> dict[str, Any]:
    """What the runner's pages and API show of their sessions."""
    week = client.get(f"/plans/{plan_id}?view=week&week={day}").get_data(as_text=True)
    cell = week.split(f'data-testid="cal-{day}"')[1].split('data-testid="cal-')[0]
    history = client.get(f"/api/runners/{runner_id}/history").json
    return {
        "api_list": [s["id"] for s in client.get(f"/api/runners/{runner_id}/sessions").json],
        "list_page": client.get(f"/runners/{runner_id}/sessions").get_data(as_text=True),
        "session_bests": sorted(
            b["id"]
            for b in client.get(f"/api/runners/{runner_id}/bests").json
            if b["source"] == "session"
        ),
        "history_sessions": sum(w["sessions"] for w in history["weeks"]),
        "history_load": round(sum(d["load"] for d in history["days"]), 3),
        "calendar_unplanned": f'data-testid="unplanned-{day}"' in cell,
    }


def test_a_deleted_session_asks_first_is_gone_everywhere_and_undo_brings_it_back(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    plan_id, day = plan_around_a_session(app, world)
    set_today(day + dt.timedelta(days=6))
    with app.app_context():
        session_id = db.session.execute(sa_select_id(world.runner_id)).scalar_one()
    client = app.test_client()
    login(client, "coach")
    before = _everything(client, world.runner_id, plan_id, day)
    assert before["api_list"] == [session_id]
    assert before["session_bests"]
    assert before["history_load"] > 0
    assert before["calendar_unplanned"]
    assert before["history_sessions"] == 1

    # Without a yes (no JavaScript), the server asks on a page of its own.
    asked = post_form(client, f"/sessions/{session_id}/delete")
    assert asked.status_code == 302
    assert asked.location == f"/sessions/{session_id}/delete"
    page = client.get(asked.location).get_data(as_text=True)
    assert "Delete this session?" in page
    assert 'name="confirm" value="yes"' in page
    assert "10 minutes" in page
    assert client.get(f"/api/sessions/{session_id}").status_code == 200
    detail = client.get(f"/sessions/{session_id}").get_data(as_text=True)
    assert "data-confirm=" in detail

    done = post_form(client, f"/sessions/{session_id}/delete", {"confirm": "yes"})
    assert done.location == f"/runners/{world.runner_id}/sessions"
    banner = client.get(done.location).get_data(as_text=True)
    assert 'data-testid="undo-banner"' in banner
    assert "Session deleted" in banner
    assert f'action="/sessions/{session_id}/restore"' in banner
    gone = _everything(client, world.runner_id, plan_id, day)
    assert gone["api_list"] == []
    assert gone["session_bests"] == []
    assert gone["history_sessions"] == 0
    assert gone["history_load"] == 0
    assert not gone["calendar_unplanned"]
    assert f"/sessions/{session_id}" not in gone["list_page"]
    assert client.get(f"/api/sessions/{session_id}").status_code == 404
    assert client.get(f"/sessions/{session_id}").status_code == 404
    assert client.get(f"/sessions/{session_id}/delete").status_code == 404
    runner = app.test_client()
    login(runner, "runner")
    assert f"/sessions/{session_id}" not in runner.get("/").get_data(as_text=True)
    # Another runner's user cannot restore it, nor delete it twice.
    other = app.test_client()
    login(other, "otherrunner")
    assert post_form(other, f"/sessions/{session_id}/restore").status_code == 404
    assert _api(other, "post", f"/api/sessions/{session_id}/restore").status_code == 404
    assert _api(client, "delete", f"/api/sessions/{session_id}").status_code == 404

    restored = post_form(client, f"/sessions/{session_id}/restore")
    assert restored.location == f"/sessions/{session_id}"
    assert "Session restored" in client.get(restored.location).get_data(as_text=True)
    after = _everything(client, world.runner_id, plan_id, day)
    assert {k: v for k, v in after.items() if k not in ("list_page", "session_bests")} == {
        k: v for k, v in before.items() if k not in ("list_page", "session_bests")
    }
    assert len(after["session_bests"]) == len(before["session_bests"])
    assert f"/sessions/{session_id}" in after["list_page"]
    assert f"/sessions/{session_id}" in runner.get("/").get_data(as_text=True)
    assert post_form(client, f"/sessions/{session_id}/restore").status_code == 404


def sa_select_id(runner_id: int) -> Any:
    import sqlalchemy as sa

    return sa.select(TrainingSession.id).where(TrainingSession.runner_id == runner_id)


def test_api_delete_restore_and_the_purge_after_the_window(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    from tests.sessions.sessiondata import import_inline, run_bytes

    world = make_world(app)
    set_today(dt.date(2024, 3, 10))
    report = import_inline(app, world.runner_id, [("run.fit", run_bytes(0, duration_s=900))])
    session_id = report["files"][0]["session_ids"][0]  # type: ignore[index]
    client = app.test_client()
    login(client, "runner")
    assert _api(client, "delete", f"/api/sessions/{session_id}").status_code == 204
    assert client.get(f"/api/runners/{world.runner_id}/sessions").json == []
    back = _api(client, "post", f"/api/sessions/{session_id}/restore")
    assert back.status_code == 200
    assert back.json["id"] == session_id
    assert [s["id"] for s in client.get(f"/api/runners/{world.runner_id}/sessions").json] == [
        session_id
    ]
    assert (
        _api(client, "post", f"/api/sessions/{session_id}/restore").status_code == 404
    )  # not deleted
    assert _api(client, "delete", f"/api/sessions/{session_id}").status_code == 204
    with app.app_context():
        sha = db.session.execute(
            sa_select_sha(session_id).execution_options(**{INCLUDE_DELETED: True})
        ).scalar_one()
        assert blob_store().exists(sha)
        # Within the window the purge leaves it.
        assert session_services.purge_deleted() == {"sessions": 0, "bests": 0}
    set_today(dt.date(2024, 3, 11))  # a day later: past the 600 s window
    assert _api(client, "post", f"/api/sessions/{session_id}/restore").status_code == 404
    with app.app_context():
        assert session_services.purge_deleted() == {"sessions": 1, "bests": 0}
        assert not blob_store().exists(sha)
        assert (
            db.session.execute(
                sa_select_sha(session_id).execution_options(**{INCLUDE_DELETED: True})
            ).first()
            is None
        )
    assert _api(client, "post", f"/api/sessions/{session_id}/restore").status_code == 404
    # The same file uploaded again is a new session, not a duplicate of the purged one.
    again = import_inline(app, world.runner_id, [("run.fit", run_bytes(0, duration_s=900))])
    assert again["files"][0]["status"] == "imported"  # type: ignore[index]


def sa_select_sha(session_id: int) -> Any:
    import sqlalchemy as sa

    return sa.select(TrainingSession.records_sha256).where(TrainingSession.id == session_id)


def test_uploading_a_deleted_session_again_restores_it(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    from tests.sessions.sessiondata import import_inline, run_bytes

    world = make_world(app)
    set_today(dt.date(2024, 3, 10))
    data = run_bytes(0, duration_s=900)
    report = import_inline(app, world.runner_id, [("run.fit", data)])
    session_id = report["files"][0]["session_ids"][0]  # type: ignore[index]
    client = app.test_client()
    login(client, "runner")
    assert _api(client, "delete", f"/api/sessions/{session_id}").status_code == 204
    again = import_inline(app, world.runner_id, [("run.fit", data)])
    assert again["files"][0]["session_ids"] == [session_id]  # type: ignore[index]
    assert [s["id"] for s in client.get(f"/api/runners/{world.runner_id}/sessions").json] == [
        session_id
    ]
    history = client.get(f"/api/runners/{world.runner_id}/history").json
    assert sum(w["sessions"] for w in history["weeks"]) == 1


def test_a_deleted_personal_best_asks_first_and_can_be_undone(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    set_today(dt.date(2026, 6, 1))
    client = app.test_client()
    login(client, "coach")
    path = f"/runners/{world.runner_id}/bests/{world.best_id}"
    asked = post_form(client, f"{path}/delete")
    assert asked.location == f"{path}/delete"
    page = client.get(asked.location).get_data(as_text=True)
    assert "Delete this result?" in page
    assert "5000 m in 20:00" in page
    assert world.best_id in [
        b["id"] for b in client.get(f"/api/runners/{world.runner_id}/bests").json
    ]

    done = post_form(client, f"{path}/delete", {"confirm": "yes"})
    banner = client.get(done.location).get_data(as_text=True)
    assert "Personal best deleted" in banner
    assert f'action="{path}/restore"' in banner
    ids = [b["id"] for b in client.get(f"/api/runners/{world.runner_id}/bests").json]
    assert world.best_id not in ids
    assert client.get(f"{path}/delete").status_code == 404
    # Another coach's runner's best: 404 for restore, page and API alike.
    other = f"/runners/{world.other_runner_id}/bests/{world.other_best_id}"
    assert post_form(client, f"{other}/restore").status_code == 404
    assert (
        _api(
            client,
            "post",
            f"/api/runners/{world.other_runner_id}/bests/{world.other_best_id}/restore",
        ).status_code
        == 404
    )

    assert post_form(client, f"{path}/restore").status_code == 302
    ids = [b["id"] for b in client.get(f"/api/runners/{world.runner_id}/bests").json]
    assert world.best_id in ids
    # The API: delete, restore; after the window, 404 and the purge deletes it.
    api = f"/api/runners/{world.runner_id}/bests/{world.best_id}"
    assert _api(client, "delete", api).status_code == 204
    assert _api(client, "post", f"{api}/restore").status_code == 204
    assert _api(client, "delete", api).status_code == 204
    set_today(dt.date(2026, 6, 2))
    assert _api(client, "post", f"{api}/restore").status_code == 404
    with app.app_context():
        assert session_services.purge_deleted() == {"sessions": 0, "bests": 1}
        found = db.session.execute(
            db.select(PersonalBest)
            .where(PersonalBest.id == world.best_id)
            .execution_options(**{INCLUDE_DELETED: True})
        ).first()
        assert found is None
