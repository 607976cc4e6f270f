"""The plan calendar: planned and done per day, unplanned sessions, weekly totals; the
edits (add a workout to any day, move, copy a week, skip with a reason) through the
actions, the pages, the API and the CLI; edits kept across regeneration; bad input."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import ParameterKey, ParameterSource
from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar as plan_calendar
from smartrunning.plans import calendar_edits
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.sessions.models import TrainingSession
from smartrunning.workouts import actions as workout_services
from tests.commands import cli_env, run_cli
from tests.database import TestDatabase
from tests.helpers import (
    PLAN_RACE_DATE,
    World,
    csrf_token,
    login,
    make_workout,
    make_world,
    post_form,
    with_plans,
)
from tests.plans.calendar_data import plan_around_a_session
from tests.platform.query_counts import queries
from tests.sessions.sessiondata import import_inline, run_bytes


def _plan(world: World) -> Plan:
    return db.session.get_one(Plan, world.plan_id)


def _rest_day(plan: Plan) -> dt.date:
    """A date of the plan with nothing planned (not the race day)."""
    planned = {d.date for d in plan.days}
    day = plan.start_date
    while day in planned:
        day += dt.timedelta(days=1)
    assert day < plan.race_date
    return day


def _names(plan: Plan) -> dict[dt.date, str]:
    return {d.date: d.workout_name for d in plan.days}


def test_a_workout_added_to_a_rest_day_is_kept_across_regeneration(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        rest = _rest_day(plan)
        day = calendar_edits.add_workout(plan, rest, world.default_workout_id)
        db.session.commit()
        assert (day.date, day.workout_name, day.kind, day.edited) == (
            rest,
            "Default tempo",
            "tempo",
            True,
        )
        assert day.duration_s > 0
        assert day.load > 0
        assert day.targets
        plan_services.regenerate(plan, keep_edited=True)
        db.session.commit()
        assert _names(_plan(world))[rest] == "Default tempo"
        # Adding to a planned day replaces its workout (one planned day a date).
        other = next(d for d in _plan(world).days if d.date != rest and d.kind != "race")
        count = len(_plan(world).days)
        calendar_edits.add_workout(_plan(world), other.date, world.workout_id)
        db.session.commit()
        assert len(_plan(world).days) == count
        assert _names(_plan(world))[other.date] == "Coach tempo"


def test_moving_a_day_empties_its_date_and_regeneration_keeps_it_empty(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        rest = _rest_day(plan)
        moved = next(d for d in plan.days if d.date > rest and d.kind != "race")
        before, name = moved.date, moved.workout_name
        calendar_edits.move_day(plan, moved, rest)
        db.session.commit()
        names = _names(_plan(world))
        assert names[rest] == name
        assert before not in names
        assert _plan(world).emptied_dates == [before.isoformat()]
        plan_services.regenerate(_plan(world), keep_edited=True)
        db.session.commit()
        names = _names(_plan(world))
        assert names[rest] == name
        assert before not in names
        # Without keeping edits, the generator's plan comes back whole.
        plan_services.regenerate(_plan(world), keep_edited=False)
        db.session.commit()
        assert before in _names(_plan(world))
        assert _plan(world).emptied_dates is None


def test_moving_onto_a_planned_day_swaps_the_two(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        first, second = [d for d in plan.days if d.kind != "race"][:2]
        a, b = first.date, second.date
        name_a, name_b = first.workout_name, second.workout_name
        calendar_edits.move_day(plan, first, b)
        db.session.commit()
        names = _names(_plan(world))
        assert (names[a], names[b]) == (name_b, name_a)
        assert all(d.edited for d in _plan(world).days if d.date in (a, b))


def test_copying_a_week_makes_the_target_a_copy_and_is_kept(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        source = plan.start_date
        target = source + dt.timedelta(days=7)
        days = calendar_edits.copy_week(plan, source, target + dt.timedelta(days=3))
        db.session.commit()
        copied = {d.date - target: d.workout_name for d in days}
        wanted = {
            d.date - source: d.workout_name
            for d in _plan(world).days
            if source <= d.date < target and d.kind != "race"
        }
        assert copied == wanted
        assert wanted
        assert all(d.edited for d in days)
        plan_services.regenerate(_plan(world), keep_edited=True)
        db.session.commit()
        after = {
            d.date - target: d.workout_name
            for d in _plan(world).days
            if target <= d.date < target + dt.timedelta(days=7)
        }
        assert after == wanted


def test_the_race_day_is_neither_moved_nor_replaced(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        race = next(d for d in plan.days if d.kind == "race")
        other = next(d for d in plan.days if d.kind != "race")
        with pytest.raises(InvalidInput, match="race day keeps its race"):
            calendar_edits.move_day(plan, race, other.date)
        with pytest.raises(InvalidInput, match="race day keeps its race"):
            calendar_edits.move_day(plan, other, race.date)
        with pytest.raises(InvalidInput, match="race day keeps its race"):
            calendar_edits.add_workout(plan, race.date, world.default_workout_id)
        with pytest.raises(InvalidInput, match="outside the plan"):
            calendar_edits.add_workout(
                plan, plan.race_date + dt.timedelta(days=1), world.default_workout_id
            )
        with pytest.raises(InvalidInput, match="another week"):
            calendar_edits.copy_week(plan, plan.start_date, plan.start_date)


def test_a_skipped_day_leaves_the_planned_totals_and_can_be_planned_again(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        day = plan.days[0]
        week = plan_calendar.weeks_between(plan, day.date, day.date, plan.start_date)[0]
        calendar_edits.skip_day(day, "  Sore   calf ")
        db.session.commit()
        assert day.skipped_reason == "Sore calf"
        assert day.edited
        skipped = plan_calendar.weeks_between(plan, day.date, day.date, plan.start_date)[0]
        assert skipped.planned.load == pytest.approx(week.planned.load - day.load)
        assert skipped.planned.sessions == week.planned.sessions - 1
        shown = next(d for d in skipped.days if d.date == day.date)
        assert shown.skipped
        assert shown.compliance is None
        with pytest.raises(InvalidInput, match="Say why"):
            calendar_edits.skip_day(day, "   ")
        with pytest.raises(InvalidInput, match="500 characters"):
            calendar_edits.skip_day(day, "x" * 501)
        calendar_edits.unskip_day(day)
        db.session.commit()
        assert day.skipped_reason is None


def test_a_session_on_a_rest_day_is_shown_and_counted_not_rest(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    plan_id, day = plan_around_a_session(app, world)
    set_today(day + dt.timedelta(days=6))
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        assert all(d.date != day for d in plan.days)
        week = plan_calendar.weeks_between(plan, day, day, day + dt.timedelta(days=6))[0]
        shown = next(d for d in week.days if d.date == day)
        assert shown.planned is None
        assert len(shown.unplanned) == 1
        session = shown.unplanned[0]
        assert week.done.sessions == 1
        assert week.done.duration_s == pytest.approx(session.timer_time_s)
        assert week.planned.load > 0
        # Nothing of the week's planned days was done: once the week is over the days are
        # missed and the week is red (the unplanned run is a fraction of the plan).
        over = plan_calendar.weeks_between(plan, day, day, day + dt.timedelta(days=13))[0]
        assert over.colour == "poor"
    client = app.test_client()
    login(client, "runner")
    html = client.get(f"/plans/{plan_id}?view=week&week={day}").get_data(as_text=True)
    cell = html.split(f'data-testid="cal-{day}"')[1].split('data-testid="cal-')[0]
    assert f'data-testid="unplanned-{day}"' in cell
    assert "Unplanned run" in cell
    assert ">Rest<" not in cell
    assert f'data-testid="week-total-{plan_calendar._monday(day)}"' in html


def _form(client: FlaskClient, path: str, data: dict[str, str]) -> int:
    return post_form(client, path, data).status_code


def test_page_edits_and_their_bad_input(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        rest = _rest_day(plan)
        first = plan.days[0]
        race = plan.race_date
        other_day = db.session.get_one(PlanDay, world.other_plan_day_id)
        other_date = other_day.date
        archived = make_workout(app, "Old tempo", owner_id=world.coach)
    with app.app_context():
        workout_services.delete_workout(workout_services.get_workout(archived))
        db.session.commit()
    client = app.test_client()
    login(client, "coach")
    base = f"/plans/{world.plan_id}"
    add = base + "/calendar/add"
    good = {"date": rest.isoformat(), "workout_id": str(world.default_workout_id)}
    assert _form(client, add, {**good, "date": "2026-02-30"}) == 400
    assert _form(client, add, {**good, "date": ""}) == 400
    assert _form(client, add, {**good, "date": (race + dt.timedelta(days=3)).isoformat()}) == 400
    assert _form(client, add, {**good, "date": race.isoformat()}) == 400
    assert _form(client, add, {**good, "workout_id": "abc"}) == 400
    assert _form(client, add, {**good, "workout_id": "999999"}) == 400
    assert _form(client, add, {**good, "workout_id": str(2**70)}) == 400
    page = post_form(client, add, {**good, "workout_id": str(archived)})
    assert page.status_code == 400
    assert "No such workout in the library." in page.text
    # Another runner's plan and another plan's day answer 404.
    assert _form(client, f"/plans/{world.other_plan_id}/calendar/add", good) == 404
    assert _form(client, f"{base}/days/{world.other_plan_day_id}/move", good) == 404
    assert _form(client, f"{base}/days/{world.other_plan_day_id}/skip", {"reason": "x"}) == 404
    assert (
        _form(
            client,
            f"/plans/{world.other_plan_id}/weeks/copy",
            {"from": other_date.isoformat(), "to": other_date.isoformat()},
        )
        == 404
    )
    made = post_form(client, add, good)
    assert made.status_code == 303
    assert "view=month" in made.location
    move = f"{base}/days/{first.id}/move"
    assert _form(client, move, {"date": "not a date"}) == 400
    assert _form(client, move, {"date": "0001-01-01"}) == 400
    assert _form(client, move, {"date": race.isoformat()}) == 400
    moved = post_form(client, move, {"date": (first.date + dt.timedelta(days=1)).isoformat()})
    assert moved.status_code == 303
    copy = base + "/weeks/copy"
    assert _form(client, copy, {"from": "x", "to": race.isoformat()}) == 400
    assert _form(client, copy, {"from": race.isoformat(), "to": race.isoformat()}) == 400
    start = plan.start_date
    later = (start + dt.timedelta(days=7)).isoformat()
    assert _form(client, copy, {"from": start.isoformat(), "to": later, "view": "week"}) == 303
    skip = f"{base}/days/{first.id}/skip"
    assert _form(client, skip, {"reason": ""}) == 400
    assert _form(client, skip, {"reason": "x" * 501}) == 400
    assert _form(client, skip, {"reason": "Travelling"}) == 303
    html = client.get(f"{base}?view=week&week={first.date}").get_data(as_text=True)
    assert "Skipped: Travelling" in html
    assert _form(client, skip, {"undo": "1"}) == 303
    # The runner skips their own day but does not add, move or copy.
    runner = app.test_client()
    login(runner, "runner")
    assert _form(runner, skip, {"reason": "Sick"}) == 303
    assert _form(runner, add, good) == 403
    assert _form(runner, move, {"date": rest.isoformat()}) == 403
    assert _form(runner, copy, {"from": start.isoformat(), "to": later}) == 403
    for view in ("month", "week", "season", "nonsense"):
        assert client.get(f"{base}?view={view}&add=garbage").status_code == 200


def _api(client: FlaskClient, method: str, path: str, body: object) -> tuple[int, object]:
    token = csrf_token(client, "/")
    response = client.open(path, method=method, json=body, headers={"X-CSRFToken": token})
    return response.status_code, response.get_json(silent=True)


def test_api_edits_calendar_and_bad_input(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        rest = _rest_day(plan)
        first = plan.days[0]
        start = plan.start_date
    client = app.test_client()
    login(client, "coach")
    base = f"/api/plans/{world.plan_id}"
    good = {"date": rest.isoformat(), "workout_id": world.default_workout_id}
    for bad in (
        {**good, "date": "2026-13-01"},
        {**good, "date": 5},
        {"date": rest.isoformat()},
        {**good, "workout_id": 0},
        {**good, "workout_id": 2**70},
    ):
        assert _api(client, "POST", base + "/days", bad)[0] == 422, bad
    assert _api(client, "POST", base + "/days", {**good, "workout_id": 999_999})[0] in (400, 422)
    status, body = _api(client, "POST", f"/api/plans/{world.other_plan_id}/days", good)
    assert status == 404
    status, body = _api(client, "POST", base + "/days", good)
    assert status == 201
    assert isinstance(body, dict)
    assert body["date"] == rest.isoformat()
    assert body["edited"] is True
    move = f"{base}/days/{first.id}/move"
    assert _api(client, "POST", move, {"date": "x"})[0] == 422
    assert (
        _api(client, "POST", f"{base}/days/{world.other_plan_day_id}/move", {"date": good["date"]})[
            0
        ]
        == 404
    )
    later = first.date + dt.timedelta(days=1)
    status, body = _api(client, "POST", move, {"date": later.isoformat()})
    assert status == 200
    assert isinstance(body, dict)
    assert body["date"] == later.isoformat()
    copy = base + "/weeks/copy"
    assert _api(client, "POST", copy, {"from": start.isoformat()})[0] == 422
    status, body = _api(
        client,
        "POST",
        copy,
        {"from": start.isoformat(), "to": (start + dt.timedelta(days=7)).isoformat()},
    )
    assert status == 200
    assert isinstance(body, list)
    assert body
    skip = f"{base}/days/{first.id}/skip"
    assert _api(client, "POST", skip, {})[0] == 422
    assert _api(client, "POST", skip, {"reason": "x" * 501})[0] == 422
    assert _api(client, "POST", skip, {"reason": " "})[0] in (400, 422)
    status, body = _api(client, "POST", skip, {"reason": "Sore calf"})
    assert status == 200
    assert isinstance(body, dict)
    assert body["skipped_reason"] == "Sore calf"
    status, body = _api(client, "DELETE", skip, None)
    assert status == 200
    assert isinstance(body, dict)
    assert body["skipped_reason"] is None
    cal = f"{base}/calendar?from={start}&to={start + dt.timedelta(days=13)}"
    response = client.get(cal)
    assert response.status_code == 200
    weeks = response.get_json()
    assert len(weeks) == 2
    assert all(len(w["days"]) == 7 for w in weeks)
    assert {"duration_s", "distance_m", "load", "sessions"} <= set(weeks[0]["planned"])
    assert client.get(f"{base}/calendar?from={start}&to=1999-01-01").status_code == 422
    assert client.get(f"{base}/calendar?from=2026-02-30").status_code == 422
    assert client.get(f"/api/plans/{world.other_plan_id}/calendar").status_code == 404


@pytest.fixture
def env(tmp_path: Path, test_database: TestDatabase) -> dict[str, str]:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    return cli_env(tmp_path / "instance", url)


def test_cli_edits_the_calendar(env: dict[str, str], tmp_path: Path) -> None:
    def cli(*args: str) -> tuple[int, str, str]:
        result = run_cli(env, *args, cwd=tmp_path)
        return result.exit_code, result.stdout, result.stderr

    assert cli("init", "--json")[0] == 0
    code, out, err = cli(
        "runner", "create", "--name", "Ann", "--birth-date", "1990-01-01", "--sex", "f", "--json"
    )
    assert code == 0, err
    runner_id = json.loads(out)["id"]
    code, out, err = cli(
        "plan", "generate", "--runner", str(runner_id), "--schema", "10 km",
        "--race-date", PLAN_RACE_DATE.isoformat(), "--distance-m", "10000", "--weeks", "4",
        "--save", "--json",
    )  # fmt: skip
    assert code == 0, err
    plan = json.loads(out)
    plan_id = str(plan["id"])
    days = plan["days"]
    planned = {d["date"] for d in days}
    start = dt.date.fromisoformat(days[0]["date"])
    start -= dt.timedelta(days=start.weekday())
    rest = next(
        (start + dt.timedelta(days=i)).isoformat()
        for i in range(28)
        if (start + dt.timedelta(days=i)).isoformat() not in planned
    )
    workout = next(d["workout_id"] for d in days if d["workout_id"])
    code, out, err = cli(
        "plan", "add-workout", plan_id, "--date", rest, "--workout", str(workout), "--json"
    )
    assert code == 0, err
    added = json.loads(out)
    assert added["date"] == rest
    assert added["edited"]
    assert cli("plan", "add-workout", plan_id, "--date", "2026-02-30", "--workout", "1")[0] != 0
    code, _, err = cli("plan", "add-workout", plan_id, "--date", rest, "--workout", "999999")
    assert code != 0
    assert "No such workout" in err
    code, _, err = cli("plan", "add-workout", "999999", "--date", rest, "--workout", "1")
    assert code != 0
    assert "No plan 999999" in err
    code, out, err = cli(
        "plan", "skip-day", plan_id, str(added["id"]), "--reason", "Rain", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["skipped_reason"] == "Rain"
    assert cli("plan", "skip-day", plan_id, str(added["id"]))[0] != 0
    assert cli("plan", "skip-day", plan_id, "999999", "--reason", "x")[0] != 0
    code, out, err = cli("plan", "skip-day", plan_id, str(added["id"]), "--undo", "--json")
    assert code == 0, err
    assert json.loads(out)["skipped_reason"] is None
    later = (dt.date.fromisoformat(rest) + dt.timedelta(days=7)).isoformat()
    code, out, err = cli("plan", "move-day", plan_id, str(added["id"]), "--to", later, "--json")
    assert code == 0, err
    assert json.loads(out)["date"] == later
    code, _, err = cli("plan", "move-day", plan_id, str(added["id"]), "--to", "1990-01-01")
    assert code != 0
    assert "outside the plan" in err
    code, out, err = cli(
        "plan", "copy-week", plan_id, "--from", start.isoformat(),
        "--to", (start + dt.timedelta(days=7)).isoformat(), "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["days"]
    code, out, err = cli(
        "plan", "calendar", plan_id, "--from", start.isoformat(),
        "--to", (start + dt.timedelta(days=27)).isoformat(), "--json",
    )  # fmt: skip
    assert code == 0, err
    assert len(json.loads(out)["weeks"]) == 4
    code, out, err = cli("plan", "calendar", plan_id, "--from", start.isoformat())
    assert code == 0, err
    assert "week of" in out


def test_the_runner_lands_on_today_and_tomorrow(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    plan_id, day = plan_around_a_session(app, world)
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        planned = next(d for d in plan.days if d.date > day and d.targets)
        fit = f"/plans/{plan_id}/days/{planned.id}.fit"
        name = planned.workout_name
        tomorrow = next(
            (d for d in plan.days if d.date == planned.date + dt.timedelta(days=1)), None
        )
    set_today(planned.date)
    client = app.test_client()
    login(client, "runner")
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    today_card = html.split('data-testid="home-today"')[1].split('data-testid="home-tomorrow"')[0]
    assert name in today_card
    assert 'data-testid="home-today-targets"' in today_card
    assert f'href="{fit}"' in today_card
    tomorrow_card = html.split('data-testid="home-tomorrow"')[1].split('data-testid="home-week"')[0]
    assert (tomorrow.workout_name if tomorrow else "Rest day") in tomorrow_card
    assert 'data-testid="home-week"' in html
    with app.app_context():
        session = db.session.query(TrainingSession).one()
    assert f'href="/sessions/{session.id}/feedback"' in html
    assert f'href="/runners/{world.runner_id}"' in html  # the physiology, one link away
    assert client.get(fit).status_code == 200
    # Without a plan ahead: said so, the latest session still there.
    set_today(plan.race_date + dt.timedelta(days=1))
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-no-plan"' in html
    assert 'data-testid="home-feedback"' in html


def test_calendar_reads_at_the_ends_of_the_calendar(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "runner")
    base = f"/api/plans/{world.plan_id}/calendar"
    for query in (
        "from=9999-12-31",
        "from=0001-01-01",
        "to=9999-12-31",
        "from=2026-01-01&to=0001-01-01",
    ):
        assert client.get(f"{base}?{query}").status_code == 422, query


def test_a_moved_day_takes_the_targets_of_its_new_date(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = _plan(world)
        day = next(d for d in plan.days if d.kind != "race" and d.targets)
        later = _rest_day_after(plan, day.date + dt.timedelta(days=7))
        before = [t["hr_bpm"] for t in day.targets]
        assert all(before)
        parameter_services.set_parameter(
            plan.runner,
            ParameterKey.HRMAX,
            150,
            later - dt.timedelta(days=1),
            source=ParameterSource.MEASURED,
            by=None,
            today=plan.race_date,
        )
        calendar_edits.move_day(plan, day, later)
        db.session.commit()
        after = [t["hr_bpm"] for t in day.targets]
        assert len(after) == len(before)
        assert all(a[1] < b[1] for a, b in zip(after, before, strict=True))


def _rest_day_after(plan: Plan, first: dt.date) -> dt.date:
    planned = {d.date for d in plan.days}
    day = first
    while day in planned:
        day += dt.timedelta(days=1)
    assert day < plan.race_date
    return day


def test_calendar_pages_run_the_same_queries_however_many_sessions(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    plan_id, day = plan_around_a_session(app, world)
    set_today(day + dt.timedelta(days=8))
    coach = app.test_client()
    login(coach, "coach")
    runner = app.test_client()
    login(runner, "runner")
    month = day.strftime("%Y-%m")
    pages = {
        f"/plans/{plan_id}?view=month&month={month}": coach,
        f"/plans/{plan_id}?view=week&week={day}": coach,
        f"/plans/{plan_id}?view=season": coach,
        f"/api/plans/{plan_id}/calendar?from={day}&to={day + dt.timedelta(days=13)}": coach,
        "/": runner,
    }
    for path, client in pages.items():  # links the sessions to their days first
        client.get(path)
    before = {path: queries(app, client, path) for path, client in pages.items()}
    import_inline(
        app,
        world.runner_id,
        [(f"more{i}.fit", run_bytes(3 + i, duration_s=600, hour=10, seed=i)) for i in range(1, 9)],
    )
    for path, client in pages.items():
        client.get(path)
    after = {path: queries(app, client, path) for path, client in pages.items()}
    assert after == before
