"""Values no runner produces (issue #16 item 5): a flagged session is held out of bests,
loads and history until a coach or the runner confirms it, on the page, the API or the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.athletes.models import PersonalBest
from smartrunning.platform.db import db
from smartrunning.sessions.models import HistoryDay, TrainingSession
from tests.commands import cli_with_runner, run_cli
from tests.database import TestDatabase
from tests.helpers import WRITTEN_ON, csrf_token, login, make_runner, make_world, post_form
from tests.sessions.sessiondata import (
    by_name,
    dated_run_bytes,
    fast_run_bytes,
    import_inline,
    run_bytes,
    wild_hr_run_bytes,
)

pytestmark = pytest.mark.usefixtures("on_written_day")


def _session(app: Flask, session_id: int) -> TrainingSession:
    with app.app_context():
        row = db.session.get_one(TrainingSession, session_id)
        db.session.expunge(row)
        return row


def _ids(report: dict[str, object], name: str) -> list[int]:
    ids = by_name(report)[name]["session_ids"]
    assert isinstance(ids, list)
    return ids


def _history(app: Flask, runner_id: int) -> dict[dt.date, float]:
    with app.app_context():
        return dict(
            db.session.execute(
                sa.select(HistoryDay.day, HistoryDay.load).where(HistoryDay.runner_id == runner_id)
            ).all()
        )


def _session_bests(app: Flask, session_id: int) -> int:
    with app.app_context():
        return db.session.execute(
            sa.select(sa.func.count(PersonalBest.id)).where(PersonalBest.session_id == session_id)
        ).scalar_one()


def test_a_run_at_100_mps_is_held_out_of_bests_loads_and_history_until_confirmed(
    app: Flask,
) -> None:
    world = make_world(app)
    report = import_inline(
        app,
        world.runner_id,
        [("real.fit", run_bytes(0)), ("rocket.fit", fast_run_bytes(2))],
    )
    assert by_name(report)["rocket.fit"]["status"] == "imported"
    [real] = _ids(report, "real.fit")
    [rocket] = _ids(report, "rocket.fit")
    held = _session(app, rocket)
    assert held.held
    assert [f["code"] for f in held.flags] == ["speed"]
    assert "faster than any runner (limit 12.5 m/s)" in held.flags[0]["reason"]
    assert held.load is not None  # computed and shown, not counted
    assert held.load > 0
    assert not _session(app, real).held
    assert _session_bests(app, rocket) == 0
    assert _session_bests(app, real) > 0
    history = _history(app, world.runner_id)
    assert max(history) == held.local_date - dt.timedelta(days=2)  # the rocket's day is not there

    client = app.test_client()
    login(client, "coach")
    weeks = client.get(f"/api/runners/{world.runner_id}/history").json["weeks"]
    assert sum(w["sessions"] for w in weeks) == 1
    listed = client.get(f"/api/runners/{world.runner_id}/sessions").json
    assert {s["id"]: s["held"] for s in listed} == {real: False, rocket: True}
    page = client.get(f"/sessions/{rocket}").get_data(as_text=True)
    assert 'data-testid="session-flags"' in page
    assert "Held for review" in page
    assert held.flags[0]["reason"].split(" (")[0] in page
    assert 'data-testid="held"' in client.get(f"/runners/{world.runner_id}/sessions").get_data(
        as_text=True
    )

    confirmed = post_form(client, f"/sessions/{rocket}/confirm")
    assert confirmed.status_code == 302
    assert "Confirmed" in client.get(confirmed.location).get_data(as_text=True)
    after = _session(app, rocket)
    assert not after.held
    assert after.confirmed_at is not None
    assert after.flags == held.flags  # the reasons stay, marked confirmed
    history = _history(app, world.runner_id)
    assert history[after.local_date] == pytest.approx(after.load)
    page = client.get(f"/sessions/{rocket}").get_data(as_text=True)
    assert "Confirmed" in page
    assert 'data-testid="confirm"' not in page


def test_a_session_dated_2063_is_held_and_does_not_stretch_the_history(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    future = dt.datetime(2063, 5, 1, 7, tzinfo=dt.UTC)
    report = import_inline(
        app, runner_id, [("real.fit", run_bytes(0)), ("2063.fit", dated_run_bytes(future))]
    )
    [session_id] = _ids(report, "2063.fit")
    held = _session(app, session_id)
    assert held.held
    assert [f["code"] for f in held.flags] == ["future"]
    assert held.flags[0]["reason"].startswith("dated 2063-05-01 07:00 UTC, in the future")
    assert max(_history(app, runner_id)) < WRITTEN_ON


def test_heart_rate_outside_the_configured_range_is_held(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner_id = make_runner(app, "Rita")
    report = import_inline(app, runner_id, [("hr.fit", wild_hr_run_bytes(0))])
    [session_id] = _ids(report, "hr.fit")
    held = _session(app, session_id)
    assert [f["code"] for f in held.flags] == ["heart_rate"]
    assert held.flags[0]["reason"] == "120 s of heart rate outside 30–220 bpm"
    # The limits come from the configuration.
    monkeypatch.setattr(app.extensions["smartrunning.settings"], "hr_max_bpm", 254.0)
    report = import_inline(app, runner_id, [("hr2.fit", wild_hr_run_bytes(3))])
    assert not _session(app, _ids(report, "hr2.fit")[0]).held


def test_speed_limit_from_the_configuration(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    runner_id = make_runner(app, "Rita")
    monkeypatch.setattr(app.extensions["smartrunning.settings"], "max_running_speed_mps", 3.0)
    report = import_inline(app, runner_id, [("run.fit", run_bytes(0))])
    held = _session(app, _ids(report, "run.fit")[0])
    assert "(limit 3 m/s)" in held.flags[0]["reason"]


@pytest.mark.parametrize("held_first", [True, False])
def test_a_held_session_and_a_plausible_one_never_make_each_other_duplicates(
    app: Flask, held_first: bool
) -> None:
    """Same span, same sport: whichever comes first, both are kept (the order never
    matters); two plausible recordings of one run are still duplicates."""
    runner_id = make_runner(app, "Rita")
    files = [("real.fit", run_bytes(0, seed=1)), ("rocket.fit", fast_run_bytes(0))]
    for name, data in files if not held_first else files[::-1]:
        import_inline(app, runner_id, [(name, data)])
    with app.app_context():
        rows = db.session.execute(sa.select(TrainingSession.held)).scalars().all()
    assert sorted(rows) == [False, True]
    again = import_inline(app, runner_id, [("copy.fit", run_bytes(0, seed=2, duration_s=1400))])
    assert by_name(again)["copy.fit"]["status"] == "duplicate"


def test_confirm_over_the_api_and_its_bad_inputs(app: Flask) -> None:
    world = make_world(app)
    report = import_inline(app, world.runner_id, [("rocket.fit", fast_run_bytes(1))])
    [rocket] = _ids(report, "rocket.fit")
    plain = import_inline(app, world.runner_id, [("real.fit", run_bytes(5))])
    [real] = _ids(plain, "real.fit")
    other = import_inline(app, world.other_runner_id, [("rocket.fit", fast_run_bytes(1))])
    [others] = _ids(other, "rocket.fit")
    client = app.test_client()
    login(client, "runner")  # the runner may confirm their own
    token = csrf_token(client)
    headers = {"X-CSRFToken": token}
    detail = client.get(f"/api/sessions/{rocket}").json
    assert detail["held"] is True
    assert detail["flags"][0]["code"] == "speed"
    assert client.post("/api/sessions/999999/confirm", headers=headers).status_code == 404
    assert client.post(f"/api/sessions/{2**70}/confirm", headers=headers).status_code == 404
    assert client.post(f"/api/sessions/{others}/confirm", headers=headers).status_code == 404
    assert _session(app, others).held
    assert client.post(f"/sessions/{others}/confirm", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/api/sessions/{rocket}/confirm").status_code in (400, 403)  # no CSRF
    assert _session(app, rocket).held
    answer = client.post(f"/api/sessions/{rocket}/confirm", headers=headers)
    assert answer.status_code == 200
    assert answer.json["held"] is False
    assert answer.json["confirmed_at"] is not None
    assert _session(app, rocket).confirmed_by_id == world.runner
    # Confirming a session with nothing to confirm changes nothing.
    before = _session(app, real)
    again = client.post(f"/api/sessions/{real}/confirm", headers=headers)
    assert again.status_code == 200
    assert _session(app, real).confirmed_at is None
    assert _session(app, real).analysed_at == before.analysed_at
    page = client.post(f"/sessions/{real}/confirm", data={"csrf_token": token})
    assert "nothing to confirm" in client.get(page.location).get_data(as_text=True)


def test_confirm_from_the_command_line(tmp_path: Path, test_database: TestDatabase) -> None:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    env, runner_id = cli_with_runner(tmp_path, url)
    path = tmp_path / "rocket.fit"
    path.write_bytes(fast_run_bytes(0))
    imported = run_cli(
        env, "import", "--runner", runner_id, "--via", "inline", "--json", str(path), cwd=tmp_path
    )
    [session_id] = json.loads(imported.stdout)["session_ids"]
    shown = run_cli(env, "sessions", "show", str(session_id), cwd=tmp_path)
    assert "HELD for review" in shown.stdout
    assert "faster than any runner" in shown.stdout
    listed = run_cli(env, "sessions", "list", "--runner", runner_id, cwd=tmp_path)
    assert "HELD for review" in listed.stdout
    done = run_cli(env, "sessions", "confirm", str(session_id), "--json", cwd=tmp_path)
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout) == {"session_id": session_id, "confirmed": True}
    again = run_cli(env, "sessions", "confirm", str(session_id), cwd=tmp_path)
    assert "nothing to confirm" in again.stdout
    missing = run_cli(env, "sessions", "confirm", "999999", cwd=tmp_path)
    assert missing.exit_code != 0
    assert "No session 999999" in missing.stderr
    assert "HELD" not in run_cli(env, "sessions", "show", str(session_id), cwd=tmp_path).stdout


def test_a_held_session_does_not_count_in_a_new_plans_recent_load(app: Flask) -> None:
    from smartrunning.athletes.models import Runner
    from smartrunning.plans.actions import runner_profile

    runner_id = make_runner(app, "Rita")
    import_inline(app, runner_id, [("rocket.fit", fast_run_bytes(0))])
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        first_day = dt.date(2024, 3, 10)
        profile = runner_profile(runner, first_day, first_day + dt.timedelta(days=90))
        assert profile.recent_weekly_load is None
        assert profile.recent_weekly_running_s == 0.0


def test_reprocess_flags_sessions_imported_before_the_checks(app: Flask) -> None:
    from smartrunning.athletes.models import Runner
    from smartrunning.sessions import import_recovery
    from smartrunning.sessions import jobs as import_jobs
    from smartrunning.sessions.models import ImportFile

    runner_id = make_runner(app, "Rita")
    import_inline(app, runner_id, [("rocket.fit", fast_run_bytes(0))])
    with app.app_context():  # as an import of version 1 left it: not flagged
        db.session.execute(sa.update(TrainingSession).values(held=False, flags=[]))
        db.session.execute(sa.update(ImportFile).values(ingest_version=1))
        db.session.commit()
        ids = import_recovery.reprocess(db.session.get_one(Runner, runner_id))
        db.session.commit()
        assert len(ids) == 1
        import_jobs.run_inline(db.session.get_one(ImportFile, ids[0]).job_id)
        session = db.session.execute(sa.select(TrainingSession)).scalar_one()
        assert session.held
        assert [f["code"] for f in session.flags] == ["speed"]
