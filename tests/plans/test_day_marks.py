"""A runner's marks on a planned day (issue #19 item 2): done (optionally how long and how
far, e.g. run without a watch), partly done (why), skipped (why); kept across
regeneration, shown on the calendar and used by compliance when no session matches."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar_edits
from smartrunning.plans.compliance import compliance
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from tests.commands import cli_env, run_cli
from tests.database import TestDatabase
from tests.helpers import csrf_token, login, make_world, post_form, with_plans


def _first_day_id(app: Flask, plan_id: int) -> int:
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        return min((d for d in plan.days if d.kind != "race"), key=lambda d: d.date).id


def test_marks_set_compliance_without_a_session_and_survive_regeneration(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    day_id = _first_day_id(app, world.plan_id)
    with app.app_context():
        day = db.session.get_one(PlanDay, day_id)
        later = day.date + dt.timedelta(days=1)
        assert compliance(day, None, later).colour == "missed"
        calendar_edits.mark_day(day, "done")
        assert compliance(day, None, later).colour == "good"
        # Done by the stated duration: 40 % of the plan is red, 90 % green.
        calendar_edits.mark_day(day, "done", "no watch", duration_s=day.duration_s * 0.4)
        assert compliance(day, None, later).colour == "poor"
        calendar_edits.mark_day(day, "done", None, duration_s=day.duration_s * 0.9)
        result = compliance(day, None, later)
        assert (result.colour, round(result.duration or 0, 2)) == ("good", 0.9)
        calendar_edits.mark_day(day, "partly", "  calf   tight ")
        assert (day.mark, day.mark_reason, day.mark_duration_s) == ("partly", "calf tight", None)
        assert compliance(day, None, later).colour == "fair"
        calendar_edits.mark_day(day, "skipped", "ill")
        assert (day.mark, day.skipped_reason) == (None, "ill")
        calendar_edits.mark_day(day, "partly", "calf tight")
        assert day.skipped_reason is None
        assert day.edited
        db.session.commit()
        plan = db.session.get_one(Plan, world.plan_id)
        plan_services.regenerate(plan, keep_edited=True, today=plan.start_date)
        db.session.commit()
        kept = next(d for d in plan.days if d.date == day.date)
        assert (kept.mark, kept.mark_reason) == ("partly", "calf tight")
        calendar_edits.unmark_day(kept)
        assert (kept.mark, kept.mark_reason, kept.skipped_reason) == (None, None, None)


@pytest.mark.parametrize(
    ("mark", "reason", "duration_s", "distance_m", "field"),
    [
        ("nonsense", None, None, None, "mark"),
        ("partly", None, None, None, "reason"),
        ("partly", "   ", None, None, "reason"),
        ("partly", "x" * 501, None, None, "reason"),
        ("skipped", "", None, None, "reason"),
        ("done", None, -1.0, None, "duration_s"),
        ("done", None, float("nan"), None, "duration_s"),
        ("done", None, None, -5.0, "distance_m"),
        ("done", None, None, 1e12, "distance_m"),
    ],
)
def test_bad_marks_are_refused(
    app: Flask,
    mark: str,
    reason: str | None,
    duration_s: float | None,
    distance_m: float | None,
    field: str,
) -> None:
    world = with_plans(app, make_world(app))
    day_id = _first_day_id(app, world.plan_id)
    with app.app_context():
        day = db.session.get_one(PlanDay, day_id)
        with pytest.raises(InvalidInput) as refused:
            calendar_edits.mark_day(day, mark, reason, duration_s, distance_m)
        assert refused.value.field == field


def _api(client: FlaskClient, method: str, path: str, body: object) -> tuple[int, object]:
    token = csrf_token(client, "/")
    response = client.open(path, method=method, json=body, headers={"X-CSRFToken": token})
    return response.status_code, response.get_json(silent=True)


def test_page_and_api_marks_for_the_runner_and_the_coach(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    day_id = _first_day_id(app, world.plan_id)
    with app.app_context():
        date = db.session.get_one(PlanDay, day_id).date
    runner = app.test_client()
    login(runner, "runner")
    mark = f"/plans/{world.plan_id}/days/{day_id}/mark"
    other = f"/plans/{world.other_plan_id}/days/{world.other_plan_day_id}/mark"
    assert post_form(runner, mark, {"mark": "bogus"}).status_code == 400
    assert post_form(runner, mark, {"mark": "partly", "reason": ""}).status_code == 400
    assert post_form(runner, mark, {"mark": "partly", "reason": "x" * 501}).status_code == 400
    assert post_form(runner, mark, {"mark": "done", "minutes": "-5"}).status_code == 400
    assert post_form(runner, mark, {"mark": "done", "minutes": "abc"}).status_code == 400
    bad_home = post_form(runner, mark, {"mark": "partly", "back": "home"})
    assert (bad_home.status_code, bad_home.location) == (303, "/")
    assert post_form(runner, other, {"mark": "done"}).status_code == 404
    home = post_form(runner, mark, {"mark": "partly", "reason": "calf tight", "back": "home"})
    assert (home.status_code, home.location) == (303, "/")
    with app.app_context():
        from smartrunning.notifications.models import Notification, NotificationKind

        told = db.session.query(Notification).filter_by(
            user_id=world.coach, kind=NotificationKind.COMMENT
        )
        assert [n.title for n in told] == [
            f"Rita Runner marked {date:%a %d %b}: partly done (calf tight)"
        ]
    coach = app.test_client()
    login(coach, "coach")
    page = coach.get(f"/plans/{world.plan_id}?view=week&week={date}").get_data(as_text=True)
    assert "Partly done: calf tight" in page
    done = post_form(coach, mark, {"mark": "done", "minutes": "45", "reason": "no watch"})
    assert done.status_code == 303
    page = coach.get(f"/plans/{world.plan_id}?view=week&week={date}").get_data(as_text=True)
    assert "Marked done: 45:00" in page or "Marked done: 0:45" in page
    assert post_form(coach, mark, {"undo": "1"}).status_code == 303
    api = f"/api/plans/{world.plan_id}/days/{day_id}/mark"
    assert _api(runner, "POST", api, {"mark": "maybe"})[0] == 422
    assert _api(runner, "POST", api, {"mark": "done", "duration_s": -1})[0] == 422
    assert _api(runner, "POST", api, {"mark": "partly", "reason": "x" * 501})[0] == 422
    assert _api(runner, "POST", api, {"mark": "partly"})[0] in (400, 422)
    assert _api(runner, "POST", api, {})[0] == 422
    other_api = f"/api/plans/{world.other_plan_id}/days/{world.other_plan_day_id}/mark"
    assert _api(runner, "POST", other_api, {"mark": "done"})[0] == 404
    status, body = _api(
        runner, "POST", api, {"mark": "done", "duration_s": 2400, "distance_m": 8000}
    )
    assert status == 200
    assert isinstance(body, dict)
    assert (body["mark"], body["mark_duration_s"], body["mark_distance_m"]) == ("done", 2400, 8000)
    status, body = _api(coach, "DELETE", api, None)
    assert status == 200
    assert isinstance(body, dict)
    assert body["mark"] is None


@pytest.fixture
def env(tmp_path: Path, test_database: TestDatabase) -> dict[str, str]:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    return cli_env(tmp_path / "instance", url)


def test_cli_marks_a_day(env: dict[str, str], tmp_path: Path) -> None:
    def cli(*args: str) -> tuple[int, str, str]:
        result = run_cli(env, *args, cwd=tmp_path)
        return result.exit_code, result.stdout, result.stderr

    assert cli("init", "--json")[0] == 0
    code, out, err = cli(
        "runner", "create", "--name", "Ann", "--birth-date", "1990-01-01", "--sex", "f", "--json"
    )
    assert code == 0, err
    runner_id = json.loads(out)["id"]
    # The CLI reads the wall clock (moved by SMARTRUNNING_CLOCK_OFFSET_DAYS, as ours is).
    race_date = (clock.today() + dt.timedelta(weeks=12)).isoformat()
    code, out, err = cli(
        "plan", "generate", "--runner", str(runner_id), "--schema", "10 km",
        "--race-date", race_date, "--distance-m", "10000", "--weeks", "4",
        "--save", "--json",
    )  # fmt: skip
    assert code == 0, err
    plan = json.loads(out)
    plan_id, first = str(plan["id"]), plan["days"][0]["date"]
    code, out, err = cli("plan", "calendar", plan_id, "--from", first, "--to", first, "--json")
    assert code == 0, err
    weeks = json.loads(out)["weeks"]
    day_id = str(next(d["planned"]["id"] for d in weeks[0]["days"] if d["planned"]))
    code, out, err = cli(
        "plan", "mark-day", plan_id, day_id, "--mark", "partly", "--reason", "calf tight",
        "--minutes", "20", "--json",
    )  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["mark"], shown["mark_reason"], shown["mark_duration_s"]) == (
        "partly",
        "calf tight",
        1200,
    )
    code, _, err = cli("plan", "mark-day", plan_id, day_id, "--mark", "partly")
    assert code != 0
    assert "Say what was left out." in err
    assert cli("plan", "mark-day", plan_id, day_id, "--mark", "done", "--km", "-3")[0] != 0
    assert cli("plan", "mark-day", plan_id, day_id, "--mark", "sort of")[0] != 0
    assert cli("plan", "mark-day", plan_id, day_id)[0] != 0
    code, out, err = cli("plan", "mark-day", plan_id, day_id, "--undo", "--json")
    assert code == 0, err
    assert json.loads(out)["mark"] is None


def test_a_day_marked_done_is_not_told_as_missed(app: Flask) -> None:
    from smartrunning.feedback.missed import notify_missed
    from smartrunning.notifications.models import Notification, NotificationKind

    world = with_plans(app, make_world(app))
    day_id = _first_day_id(app, world.plan_id)
    with app.app_context():
        day = db.session.get_one(PlanDay, day_id)
        calendar_edits.mark_day(day, "done", "ran without a watch", duration_s=1800)
        db.session.commit()
        notify_missed(day.date)
        link = f"/plan-days/{day_id}/comments"
        told = db.session.query(Notification).filter_by(
            kind=NotificationKind.MISSED_SESSION, link=link
        )
        assert told.count() == 0
        calendar_edits.unmark_day(day)
        db.session.commit()
        notify_missed(day.date)
        assert told.count() >= 1


def test_a_week_counts_marked_days_and_is_not_off_plan_before_todays_run(app: Flask) -> None:
    """The week's totals add what a mark states (a run without a watch); on the morning of
    a planned day the week is not "off plan" for it: today is due once done."""
    from smartrunning.plans import calendar as plan_calendar

    world = with_plans(app, make_world(app))
    day_id = _first_day_id(app, world.plan_id)
    with app.app_context():
        day = db.session.get_one(PlanDay, day_id)
        plan = db.session.get_one(Plan, world.plan_id)

        def week(today: dt.date) -> plan_calendar.CalendarWeek:
            return plan_calendar.weeks_between(plan, day.date, day.date, today)[0]

        earlier = [
            d
            for d in plan.days
            if plan_calendar._monday(d.date) == plan_calendar._monday(day.date)
            and d.date < day.date
        ]
        assert earlier == []  # the plan's first day: nothing due before it that week
        assert week(day.date).colour == "planned"  # its morning: not off plan
        assert week(day.date + dt.timedelta(days=1)).colour == "poor"  # a day later: missed
        assert week(day.date).done.duration_s == 0
        calendar_edits.mark_day(day, "done")
        assert week(day.date).done.duration_s == pytest.approx(day.duration_s)
        assert week(day.date).done.load == pytest.approx(day.load or 0)
        assert week(day.date).colour == "good"
        calendar_edits.mark_day(day, "done", None, duration_s=day.duration_s / 2)
        half = week(day.date)
        assert half.done.duration_s == pytest.approx(day.duration_s / 2)
        assert half.done.load == pytest.approx((day.load or 0) / 2)
        assert half.colour == "fair"
        calendar_edits.mark_day(day, "partly", "calf tight")
        assert week(day.date).done.duration_s == 0  # partly, nothing stated: nothing counted
        assert week(day.date).colour == "poor"
