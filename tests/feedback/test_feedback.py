"""Feedback: a runner's RPE and feeling (and its session-RPE load), comment threads on
sessions and planned days, private notes, unread counts, notifications, API and CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts.models import User
from smartrunning.cli import main
from smartrunning.feedback import actions
from smartrunning.feedback.missed import notify_missed
from smartrunning.feedback.models import Comment, SessionFeedback
from smartrunning.notifications.models import Notification, NotificationKind
from smartrunning.plans.models import PlanDay
from smartrunning.platform.db import db
from smartrunning.sessions import actions as session_actions
from smartrunning.sessions.models import HistoryDay, TrainingSession
from tests.core.fitwriter import Segment, encode_activity
from tests.helpers import (
    World,
    csrf_token,
    login,
    make_world,
    post_form,
    with_plans,
    with_sessions,
)
from tests.sessions.sessiondata import import_inline
from tests.sessions.sportdata import sport_records


@pytest.fixture
def world(app: Flask) -> World:
    return with_plans(app, with_sessions(app, make_world(app)))


def _client(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def _notes(app: Flask, user_id: int) -> list[Notification]:
    with app.app_context():
        rows = list(
            db.session.execute(
                sa.select(Notification).where(Notification.user_id == user_id)
            ).scalars()
        )
        db.session.expunge_all()
        return rows


def test_runner_gives_rpe_feeling_and_comment(app: Flask, world: World) -> None:
    runner = _client(app, "runner")
    page = runner.get(f"/sessions/{world.session_id}/feedback")
    assert page.status_code == 200
    assert 'data-testid="rpe-form"' in page.text
    saved = post_form(
        runner,
        f"/sessions/{world.session_id}/feedback",
        {"rpe": "6", "feeling": "tired", "comment": "Legs heavy on the hills."},
    )
    assert saved.status_code == 302
    with app.app_context():
        row = db.session.get_one(SessionFeedback, world.session_id)
        session = db.session.get_one(TrainingSession, world.session_id)
        assert row.rpe == 6
        assert row.feeling is not None
        assert row.feeling.value == "tired"
        assert row.srpe_load == pytest.approx(6 * session.timer_time_s / 60 / 4.2)
        [comment] = db.session.execute(sa.select(Comment)).scalars()
        assert comment.body == "Legs heavy on the hills."
        assert comment.author_id == world.runner
    shown = runner.get(f"/sessions/{world.session_id}/feedback").text
    assert "RPE 6" in shown
    assert "Felt tired" in shown
    assert "Legs heavy" in shown
    [note] = _notes(app, world.coach)
    assert note.kind is NotificationKind.COMMENT
    assert note.link == f"/sessions/{world.session_id}/feedback"
    assert _notes(app, world.other_coach) == []
    assert _notes(app, world.runner) == []


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"rpe": "0"}, "RPE is a whole number"),
        ({"rpe": "11"}, "RPE is a whole number"),
        ({"rpe": "6.5"}, "RPE is a whole number"),
        ({"rpe": "-1"}, "RPE is a whole number"),
        ({"rpe": "9" * 40}, "RPE is a whole number"),
        ({"feeling": "ecstatic"}, "Feeling is one of"),
        ({}, "Give an RPE, a feeling or a comment"),
    ],
)
def test_bad_feedback_is_refused(
    app: Flask, world: World, form: dict[str, str], message: str
) -> None:
    runner = _client(app, "runner")
    answer = post_form(runner, f"/sessions/{world.session_id}/feedback", form)
    assert answer.status_code == 422
    assert message in answer.text
    with app.app_context():
        assert db.session.get(SessionFeedback, world.session_id) is None


def test_only_the_runner_rates_and_others_get_404(app: Flask, world: World) -> None:
    coach = _client(app, "coach")
    assert (
        post_form(coach, f"/sessions/{world.session_id}/feedback", {"rpe": "5"}).status_code == 403
    )
    assert 'data-testid="rpe-form"' not in coach.get(f"/sessions/{world.session_id}/feedback").text
    other = _client(app, "otherrunner")
    assert other.get(f"/sessions/{world.session_id}/feedback").status_code == 404
    assert (
        post_form(other, f"/sessions/{world.session_id}/comments", {"body": "hi"}).status_code
        == 404
    )
    assert other.get(f"/plan-days/{world.plan_day_id}/comments").status_code == 404


def test_session_rpe_becomes_the_load_of_a_session_without_one(app: Flask, world: World) -> None:
    with app.app_context():
        session = db.session.get_one(TrainingSession, world.session_id)
        # As a session without heart rate or pace: no load of its own.
        session.trimp = session.hrss = session.rtss = session.load = None
        session.load_model = None
        db.session.commit()
        day = session.local_date
        minutes = session.timer_time_s / 60
    runner = _client(app, "runner")
    assert (
        post_form(runner, f"/sessions/{world.session_id}/feedback", {"rpe": "7"}).status_code == 302
    )
    with app.app_context():
        session = db.session.get_one(TrainingSession, world.session_id)
        assert session.load_model == "srpe"
        assert session.load == pytest.approx(7 * minutes / 4.2)
        history = db.session.get_one(HistoryDay, (world.runner_id, day))
        assert history.load == pytest.approx(7 * minutes / 4.2)
    assert "from your RPE" in runner.get(f"/sessions/{world.session_id}/feedback").text


def test_a_session_with_its_own_load_keeps_it(app: Flask, world: World) -> None:
    with app.app_context():
        before = db.session.get_one(TrainingSession, world.session_id)
        load, model = before.load, before.load_model
    assert model is not None
    runner = _client(app, "runner")
    post_form(runner, f"/sessions/{world.session_id}/feedback", {"rpe": "9"})
    with app.app_context():
        after = db.session.get_one(TrainingSession, world.session_id)
        assert (after.load, after.load_model) == (load, model)


def test_private_notes_are_for_coaches_only(app: Flask, world: World) -> None:
    coach = _client(app, "coach")
    path = f"/plan-days/{world.plan_day_id}/comments"
    assert post_form(coach, path, {"body": "Watch her knee.", "private": "on"}).status_code == 302
    assert post_form(coach, path, {"body": "Keep it easy tomorrow."}).status_code == 302
    assert "Watch her knee." in coach.get(path).text
    runner = _client(app, "runner")
    page = runner.get(path).text
    assert "Keep it easy tomorrow." in page
    assert "Watch her knee." not in page
    assert "Private note" not in page
    api = runner.get(f"/api/plan-days/{world.plan_day_id}/comments").json
    assert [c["body"] for c in api] == ["Keep it easy tomorrow."]
    refused = post_form(runner, path, {"body": "sneaky", "private": "on"})
    assert refused.status_code == 403
    admin = _client(app, "admin")
    assert "Watch her knee." in admin.get(path).text
    # The runner is told of the comment, not of the note.
    assert [n.title for n in _notes(app, world.runner)] == [
        f"coach commented on {_day_title(app, world)}"
    ]


def _day_title(app: Flask, world: World) -> str:
    with app.app_context():
        user = db.session.get_one(User, world.admin)
        subject, _day = actions.plan_day_subject(user, world.plan_day_id)
        return subject.title


@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_bad_comments_are_refused(app: Flask, world: World, body: str) -> None:
    runner = _client(app, "runner")
    answer = post_form(runner, f"/sessions/{world.session_id}/comments", {"body": body})
    assert answer.status_code == 422
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(Comment.id))).scalar_one() == 0


def test_unread_counts_follow_what_each_user_read(app: Flask, world: World) -> None:
    runner = _client(app, "runner")
    post_form(runner, f"/sessions/{world.session_id}/comments", {"body": "Done!"})
    post_form(runner, f"/plan-days/{world.plan_day_id}/comments", {"body": "Can I swap?"})
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        assert actions.unread_by_runner(coach, [world.runner_id]) == {world.runner_id: 2}
        me = db.session.get_one(User, world.runner)
        assert actions.unread_by_runner(me, [world.runner_id]) == {}
    coach_client = _client(app, "coach")
    coach_client.get(f"/sessions/{world.session_id}/feedback")
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        assert actions.unread_by_runner(coach, [world.runner_id]) == {world.runner_id: 1}
    post_form(coach_client, f"/plan-days/{world.plan_day_id}/comments", {"body": "Yes."})
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        assert actions.unread_by_runner(coach, [world.runner_id]) == {}
        me = db.session.get_one(User, world.runner)
        assert actions.unread_by_runner(me, [world.runner_id]) == {world.runner_id: 1}


def test_api_feedback_and_comments(app: Flask, world: World) -> None:
    runner = _client(app, "runner")
    headers = {"X-CSRFToken": csrf_token(runner)}
    put = runner.put(
        f"/api/sessions/{world.session_id}/feedback",
        json={"rpe": 4, "feeling": "good", "comment": "Smooth."},
        headers=headers,
    )
    assert put.status_code == 200
    assert put.json["rpe"] == 4
    assert put.json["feeling"] == "good"
    assert put.json["srpe_load"] > 0
    got = runner.get(f"/api/sessions/{world.session_id}/feedback").json
    assert got["rpe"] == 4
    for body in (
        {"rpe": 0},
        {"rpe": 11},
        {"rpe": "5"},
        {"rpe": 5.5},
        {"feeling": "meh"},
        {"rpe": None},
        {"comment": "x" * 5001},
    ):
        bad = runner.put(f"/api/sessions/{world.session_id}/feedback", json=body, headers=headers)
        assert bad.status_code == 422, body
        assert set(bad.json["error"]) == {"code", "message", "details"}
    posted = runner.post(
        f"/api/sessions/{world.session_id}/comments", json={"body": "Thanks"}, headers=headers
    )
    assert posted.status_code == 201
    assert posted.json["author"] == "runner"
    listed = runner.get(f"/api/sessions/{world.session_id}/comments").json
    assert [c["body"] for c in listed] == ["Smooth.", "Thanks"]
    for body in ({"body": ""}, {}, {"body": "x", "private": True}, {"body": "x", "private": 1}):
        bad = runner.post(f"/api/sessions/{world.session_id}/comments", json=body, headers=headers)
        assert bad.status_code in (403, 422), body
    coach = _client(app, "coach")
    refused = coach.put(
        f"/api/sessions/{world.session_id}/feedback",
        json={"rpe": 3},
        headers={"X-CSRFToken": csrf_token(coach)},
    )
    assert refused.status_code == 403
    assert refused.json["error"]["message"].startswith("Only the runner")


def test_cli_rates_and_comments(app: Flask, world: World) -> None:
    cli = app.test_cli_runner()
    rated = cli.invoke(
        main,
        [
            "feedback",
            "rpe",
            str(world.session_id),
            "--as",
            "runner",
            "--rpe",
            "5",
            "--feeling",
            "normal",
            "--json",
        ],
    )
    assert rated.exit_code == 0, rated.output
    assert json.loads(rated.output)["rpe"] == 5
    coach_rates = cli.invoke(
        main, ["feedback", "rpe", str(world.session_id), "--as", "coach", "--rpe", "5"]
    )
    assert coach_rates.exit_code == 1
    assert "Only the runner" in coach_rates.output
    assert (
        cli.invoke(
            main, ["feedback", "rpe", str(world.session_id), "--as", "runner", "--rpe", "12"]
        ).exit_code
        == 2
    )
    said = cli.invoke(
        main,
        [
            "feedback",
            "comment",
            "--as",
            "coach",
            "--day",
            str(world.plan_day_id),
            "--text",
            "Private one",
            "--private",
        ],
    )
    assert said.exit_code == 0, said.output
    as_runner = cli.invoke(
        main, ["feedback", "comments", "--as", "runner", "--day", str(world.plan_day_id), "--json"]
    )
    assert json.loads(as_runner.output)["comments"] == []
    as_coach = cli.invoke(
        main, ["feedback", "comments", "--as", "coach", "--day", str(world.plan_day_id), "--json"]
    )
    assert [c["body"] for c in json.loads(as_coach.output)["comments"]] == ["Private one"]
    other = cli.invoke(
        main, ["feedback", "comments", "--as", "otherrunner", "--session", str(world.session_id)]
    )
    assert other.exit_code == 1
    assert "No such session" in other.output
    both = cli.invoke(
        main, ["feedback", "comments", "--as", "coach", "--session", "1", "--day", "1"]
    )
    assert both.exit_code == 2


def test_missed_planned_days_are_told_once(app: Flask, world: World) -> None:
    with app.app_context():
        day = db.session.get_one(PlanDay, world.plan_day_id)
        date, name = day.date, day.workout_name
        assert notify_missed(date) >= 1
        notify_missed(date)
    coach_notes = [n for n in _notes(app, world.coach) if n.kind is NotificationKind.MISSED_SESSION]
    assert [n.link for n in coach_notes] == [f"/plan-days/{world.plan_day_id}/comments"]
    assert coach_notes[0].title.startswith(f"Rita Runner missed {name or 'a planned'}")
    assert any(n.kind is NotificationKind.MISSED_SESSION for n in _notes(app, world.runner))
    assert not any(
        n.kind is NotificationKind.MISSED_SESSION
        for n in _notes(app, world.other_coach)
        if n.link == f"/plan-days/{world.plan_day_id}/comments"
    )


def _row_without_heart_rate() -> bytes:
    """An indoor row with no heart rate: a session the analysis gives no load."""
    records = sport_records("row")
    blank = np.full(len(records.heart_rate_bpm), np.nan)
    return encode_activity(
        [
            Segment(
                dataclasses.replace(records, heart_rate_bpm=blank),
                sport="fitness_equipment",
                sub_sport="indoor_rowing",
            )
        ]
    )


def test_session_rpe_load_survives_a_new_analysis(app: Flask, world: World) -> None:
    report = import_inline(app, world.runner_id, [("row.fit", _row_without_heart_rate())])
    files = report["files"]
    assert isinstance(files, list)
    [session_id] = files[0]["session_ids"]
    with app.app_context():
        session = db.session.get_one(TrainingSession, session_id)
        assert (session.load, session.trimp, session.hrss, session.rtss) == (None,) * 4
        minutes = session.timer_time_s / 60
    runner = _client(app, "runner")
    assert post_form(runner, f"/sessions/{session_id}/feedback", {"rpe": "5"}).status_code == 302
    with app.app_context():
        session_actions.reanalyse_session(db.session.get_one(User, world.runner), session_id)
        session = db.session.get_one(TrainingSession, session_id)
        assert session.load_model == "srpe"
        assert session.load == pytest.approx(5 * minutes / 4.2)
        history = db.session.get_one(HistoryDay, (world.runner_id, session.local_date))
        assert history.load == pytest.approx(5 * minutes / 4.2)


def test_a_rating_alone_tells_the_coach(app: Flask, world: World) -> None:
    runner = _client(app, "runner")
    saved = post_form(
        runner, f"/sessions/{world.session_id}/feedback", {"rpe": "5", "feeling": "good"}
    )
    assert saved.status_code == 302
    [note] = _notes(app, world.coach)
    assert note.title.startswith("Rita Runner rated Running of ")
    assert note.body == "RPE 5, good"
    assert note.link == f"/sessions/{world.session_id}/feedback"


def test_session_rpe_chosen_as_the_load_model(app: Flask, world: World) -> None:
    """With session RPE as the runner's load model, a rated session counts RPE × minutes ÷
    4.2 (the 10-minute run at RPE 7: 7 × 10 ÷ 4.2 = 16.7; an hour at RPE 7 = 100), in place
    of its own rTSS; without a rating (or once it is cleared) its own load counts again."""
    from smartrunning.athletes import parameters as parameter_services
    from smartrunning.athletes.models import ParameterKey, ParameterSource, Runner
    from smartrunning.platform import clock
    from smartrunning.sessions import recompute

    with app.app_context():
        session = db.session.get_one(TrainingSession, world.session_id)
        own_load, own_model = session.load, session.load_model
        minutes = session.timer_time_s / 60
        day = session.local_date
        assert own_model == "rtss"
        runner_row = db.session.get_one(Runner, world.runner_id)
        parameter_services.set_parameter(
            runner_row,
            ParameterKey.LOAD_MODEL,
            "srpe",
            day - dt.timedelta(days=30),
            source=ParameterSource.MEASURED,
            by=None,
            today=clock.today(),
        )
        db.session.commit()
        recompute.recompute_runner(runner_row, from_date=day)
        # Not rated yet: its own load still counts (the fallback rule).
        session = db.session.get_one(TrainingSession, world.session_id)
        assert (session.load, session.load_model) == (pytest.approx(own_load), own_model)
    assert minutes == pytest.approx(10, abs=0.5)
    runner = _client(app, "runner")
    post_form(runner, f"/sessions/{world.session_id}/feedback", {"rpe": "7"})
    with app.app_context():
        session = db.session.get_one(TrainingSession, world.session_id)
        assert session.load_model == "srpe"
        assert session.load == pytest.approx(7 * minutes / 4.2)
        assert session.load != pytest.approx(own_load)
        history = db.session.get_one(HistoryDay, (world.runner_id, day))
        assert history.load == pytest.approx(7 * minutes / 4.2)
    listing = runner.get(f"/runners/{world.runner_id}/sessions").text
    assert f"{7 * minutes / 4.2:.0f} <span" in listing
    assert 'data-testid="load-model">RPE<' in listing
    page = runner.get(f"/runners/{world.runner_id}/history").text
    assert "session RPE (RPE × minutes ÷ 4.2: an hour at RPE 7 = 100)" in page
    # The rating taken back (a comment only): the session's own rTSS again.
    post_form(runner, f"/sessions/{world.session_id}/feedback", {"rpe": "", "comment": "No RPE."})
    with app.app_context():
        session = db.session.get_one(TrainingSession, world.session_id)
        assert (session.load, session.load_model) == (pytest.approx(own_load), own_model)


def test_the_runner_home_takes_feedback_in_two_taps(app: Flask, world: World) -> None:
    """An RPE and a feeling button on the home page: the button posts both (two taps),
    the runner lands back home, which then shows the rating instead of asking."""
    runner = _client(app, "runner")
    home = runner.get("/").text
    form = home.split('data-testid="home-quick-feedback"')[1].split("</form>")[0]
    assert f'action="/sessions/{world.session_id}/feedback"' in home
    assert 'name="back" value="home"' in form
    assert form.count('name="rpe"') == 10
    assert form.count('type="submit"') == 5  # one per feeling, each saves
    saved = post_form(
        runner,
        f"/sessions/{world.session_id}/feedback",
        {"rpe": "4", "feeling": "good", "back": "home"},
    )
    assert saved.status_code == 302
    assert saved.location == "/"
    with app.app_context():
        row = db.session.get_one(SessionFeedback, world.session_id)
        assert (row.rpe, row.feeling.value if row.feeling else None) == (4, "good")
    home = runner.get("/").text
    assert 'data-testid="home-quick-feedback"' not in home
    rated = home.split('data-testid="home-rated"')[1].split("</p>")[0]
    assert "RPE 4" in rated
    assert "felt good" in rated
    # A bad value from the home form is refused on the feedback page, nothing saved.
    refused = post_form(
        runner, f"/sessions/{world.session_id}/feedback", {"rpe": "11", "back": "home"}
    )
    assert refused.status_code == 422
    assert "RPE is a whole number" in refused.text
