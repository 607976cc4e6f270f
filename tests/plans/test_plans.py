"""Training plans: generation persists, regeneration keeps edited days, compliance, schema
validation (service, page, API) and bad input on write paths."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.resources import files

import pytest
from flask import Flask
from garmin_fit_sdk import Decoder, Stream

from smartrunning.athletes import bests as best_services
from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar as plan_calendar
from smartrunning.plans import compliance as plan_compliance
from smartrunning.plans import plan_schemas
from smartrunning.plans.models import (
    Plan,
    PlanDay,
)
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.science.zwo import read_zwo
from smartrunning.sessions.models import TrainingSession
from smartrunning.workouts import actions as workout_services
from tests.helpers import (
    LATER_RACE_DATE,
    PLAN_RACE_DATE,
    login,
    make_world,
    post_form,
    with_plans,
)
from tests.sessions.sessiondata import import_inline, run_bytes

PROFILE_DAYS = {
    "training_days": ["1", "3", "5", "6"],
    "long_run_day": "6",
    "sessions_per_week": "4",
}


def _body(name: str = "5k.json") -> dict[str, object]:
    data = json.loads((files("smartrunning.data") / "plans" / name).read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def test_default_schemas_load_once(app: Flask) -> None:
    with app.app_context():
        assert plan_schemas.load_default_schemas() == 4
        assert plan_schemas.load_default_schemas() == 0
        names = [r.name for r in plan_schemas.list_schemas()]
        assert {"5 km", "10 km"} <= set(names)


def test_generation_persists_days_projection_and_warnings(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        assert plan.race_date == PLAN_RACE_DATE
        assert plan.weeks == 4
        assert plan.days[-1].date == PLAN_RACE_DATE
        assert plan.days[-1].kind == "race"
        assert all(plan.start_date <= d.date <= PLAN_RACE_DATE for d in plan.days)
        runner = db.session.get_one(Runner, world.runner_id)
        weekdays = {int(c) for c in runner.training_weekdays}
        assert all(d.date.weekday() in weekdays for d in plan.days[:-1])
        assert len(plan.projection["days"]) == (PLAN_RACE_DATE - plan.start_date).days + 1
        assert all(d.zwo and d.duration_s > 0 for d in plan.days)
        assert any(d.targets for d in plan.days)
        read_zwo(plan.days[0].zwo.encode())
        assert len(plan.ics_token) >= 40
        assert isinstance(plan.warnings, list)


def test_regeneration_keeps_edited_days_unless_told_not_to(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        day = plan.days[1]
        before = day.duration_s
        plan_services.edit_day(day, duration_s=before + 1200, notes="Longer, hills")
        db.session.commit()
        edited_date, edited_duration = day.date, day.duration_s
        assert day.edited
        assert edited_duration > before
        plan_services.regenerate(plan, keep_edited=True)
        db.session.commit()
        kept = next(d for d in plan.days if d.date == edited_date)
        assert kept.edited
        assert kept.notes == "Longer, hills"
        assert kept.duration_s == pytest.approx(edited_duration)
        assert len({d.date for d in plan.days}) == len(plan.days)
        plan_services.regenerate(plan, keep_edited=False)
        db.session.commit()
        assert not any(d.edited for d in plan.days)
        assert db.session.query(PlanDay).filter_by(plan_id=plan.id).count() == len(plan.days)


def test_edit_day_with_a_library_workout_and_bad_input(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        day = plan.days[0]
        plan_services.edit_day(day, workout_id=world.workout_id)
        assert day.workout_id == world.workout_id
        assert day.workout_name == "Coach tempo"
        assert day.edited
        assert day.targets
        db.session.commit()
        workout = workout_services.get_workout(world.workout_id)
        assert workout_services.delete_workout(workout) == "archived"
        db.session.commit()
        with pytest.raises(InvalidInput):
            plan_services.edit_day(day, duration_s=10)
        with pytest.raises(InvalidInput):
            plan_services.edit_day(day, notes="x" * 5000)


def test_the_race_day_keeps_its_race_and_a_save_without_change_is_no_edit(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        race = plan.days[-1]
        assert race.kind == "race"
        for change in ({"duration_s": 3600.0}, {"workout_id": world.workout_id}):
            with pytest.raises(InvalidInput, match="The race day keeps its race"):
                plan_services.edit_day(race, **change)  # type: ignore[arg-type]
        plan_services.edit_day(race, notes="Gels at 5 and 8 km")
        assert race.edited
        assert race.notes == "Gels at 5 and 8 km"
        day = plan.days[0]
        plan_services.edit_day(day, notes=day.notes)  # the form sent back as it was
        assert not day.edited
        plan_services.edit_day(day, duration_s=75 * 60)
        assert day.edited
        assert day.duration_s == pytest.approx(75 * 60, abs=1)
        # The name says what the day now holds (an easy run: its whole length).
        assert day.workout_name.startswith("Easy run")
        assert day.workout_name.endswith(" 1 h 15")
        db.session.rollback()
    client = app.test_client()
    login(client, "coach")
    page = client.get(f"/plans/{world.plan_id}/days/{_race_day_id(app, world.plan_id)}/edit")
    assert page.status_code == 200
    assert 'name="duration_min"' not in page.text
    assert "The race day keeps its race" in page.text


def _race_day_id(app: Flask, plan_id: int) -> int:
    with app.app_context():
        return db.session.get_one(Plan, plan_id).days[-1].id


def test_bad_generation_input_is_refused(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        schema = plan_schemas.get_schema(world.default_schema_id)
        for request in (
            plan_services.GenerateRequest(PLAN_RACE_DATE, -5.0),
            plan_services.GenerateRequest(PLAN_RACE_DATE, float("nan")),
            plan_services.GenerateRequest(PLAN_RACE_DATE, 10000.0, weeks=99),
            plan_services.GenerateRequest(dt.date(1900, 1, 1), 10000.0),
            plan_services.GenerateRequest(
                PLAN_RACE_DATE, 10000.0, long_run_day=2, training_days=frozenset({1, 3})
            ),
        ):
            with pytest.raises(InvalidInput):
                plan_services.generate(runner, schema, request)
        today = PLAN_RACE_DATE - dt.timedelta(weeks=10)
        for request, message in (
            (plan_services.GenerateRequest(PLAN_RACE_DATE, 1.0), "between 1 and 400 km"),
            (plan_services.GenerateRequest(PLAN_RACE_DATE, 999.0), "between 1 and 400 km"),
            (
                plan_services.GenerateRequest(today - dt.timedelta(days=1), 10000.0, today=today),
                "has passed",
            ),
            (
                plan_services.GenerateRequest(dt.date(8999, 12, 30), 10000.0, today=today),
                "more than two years away",
            ),
        ):
            with pytest.raises(InvalidInput, match=message):
                plan_services.generate(runner, schema, request)
        # The bounds themselves are allowed: a 1 km race, a race today.
        for request in (
            plan_services.GenerateRequest(PLAN_RACE_DATE, 1000.0, 4),
            plan_services.GenerateRequest(today, 10000.0, 1, today=today),
        ):
            plan_services.generate(runner, schema, request)


def test_compliance_ratios_and_colours(app: Flask) -> None:
    day = PlanDay(
        date=dt.date(2026, 1, 5), kind="easy", duration_s=3600.0, distance_m=10000.0, load=60.0
    )
    done = TrainingSession(timer_time_s=3240.0, distance_m=9000.0, load=30.0)
    result = plan_compliance.compliance(day, done, dt.date(2026, 2, 1))
    assert result.duration == pytest.approx(0.9)
    assert result.distance == pytest.approx(0.9)
    assert result.load == pytest.approx(0.5)
    assert result.colour == "good"  # the duration decides (TrainingPeaks): 90 %
    assert plan_compliance.compliance(day, None, dt.date(2026, 2, 1)).colour == "missed"
    assert plan_compliance.compliance(day, None, dt.date(2026, 1, 1)).colour == "planned"
    assert plan_compliance.ratio_class(None) == "planned"
    # The two cases: 56 % of the time is yellow, not green; 98 % of the time
    # with 173 % of the load is green, not red.
    short = TrainingSession(timer_time_s=0.56 * 3600, distance_m=5600.0, load=40.0)
    assert plan_compliance.compliance(day, short, dt.date(2026, 2, 1)).colour == "fair"
    hard = TrainingSession(timer_time_s=0.98 * 3600, distance_m=11000.0, load=1.73 * 60)
    assert plan_compliance.compliance(day, hard, dt.date(2026, 2, 1)).colour == "good"
    # Without a planned duration, distance decides; without either, load.
    no_time = PlanDay(date=day.date, kind="easy", duration_s=0.0, distance_m=10000.0, load=60.0)
    assert plan_compliance.compliance(no_time, short, dt.date(2026, 2, 1)).colour == "fair"


@pytest.mark.parametrize(
    ("ratio", "colour"),
    [
        (0.0, "poor"),
        (0.494, "poor"),  # 49 %
        (0.50, "fair"),
        (0.79, "fair"),
        (0.794, "fair"),  # 79 %
        (0.80, "good"),
        (1.00, "good"),
        (1.20, "good"),
        (1.204, "good"),  # 120 %
        (1.21, "fair"),
        (1.50, "fair"),
        (1.51, "poor"),
        (3.0, "poor"),
    ],
)
def test_compliance_colours_follow_trainingpeaks_bands(ratio: float, colour: str) -> None:
    assert plan_compliance.ratio_class(ratio) == colour


def test_a_session_on_a_planned_day_is_linked(app: Flask) -> None:
    world = make_world(app)
    import_inline(app, world.runner_id, [("run.fit", run_bytes(0, duration_s=600))])
    with app.app_context():
        plan_schemas.load_default_schemas()
        runner = db.session.get_one(Runner, world.runner_id)
        session = db.session.query(TrainingSession).filter_by(runner_id=runner.id).one()
        request = plan_services.GenerateRequest(
            session.local_date + dt.timedelta(days=10),
            10000.0,
            2,
            training_days=frozenset(range(7)),
            long_run_day=6,
            sessions_per_week=7,
        )
        plan = plan_services.save_plan(
            runner, plan_schemas.schema_by_name("10 km"), request, created_by=None
        )
        db.session.commit()
        linked = [d for d in plan.days if d.session_id is not None]
        assert [d.date for d in linked] == [session.local_date]
        ratio = plan_compliance.compliance(linked[0], session, dt.date(2030, 1, 1)).duration
        assert ratio == pytest.approx(session.timer_time_s / linked[0].duration_s)
        plan_id, day = plan.id, session.local_date
        expected = plan_compliance.compliance(linked[0], session, dt.date(2030, 1, 1)).colour
    client = app.test_client()
    login(client, "runner")
    html = client.get(f"/plans/{plan_id}?week={day}").get_data(as_text=True)
    badge = re.search(rf'class="badge ([^"]+)" data-testid="compliance-{day}">([\w ]+)<', html)
    assert badge is not None
    assert badge.group(1) == f"cmp-{expected}"
    assert badge.group(2) == plan_calendar.COMPLIANCE_WORDS[expected]
    assert "Done: " in html


def test_schema_validation_lists_problems_by_path(app: Flask) -> None:
    make_world(app)
    bad = _body()
    bad["blocks"][0]["weeks"] = -1  # type: ignore[index]
    bad["load"] = "lots"
    with app.app_context():
        with pytest.raises(plan_schemas.InvalidSchema) as info:
            plan_schemas.save_schema(bad, owner=None)
        paths = {path for path, _ in info.value.problems}
        assert "/load" in paths
        assert any(p.startswith("/blocks/0") for p in paths)
        with pytest.raises(plan_schemas.InvalidSchema):
            plan_schemas.save_schema("{not json", owner=None)
        with pytest.raises(plan_schemas.InvalidSchema):
            plan_schemas.save_schema({**_body(), "name": "x" * 300}, owner=None)
    client = app.test_client()
    login(client, "coach")
    page = post_form(client, "/plans/schemas/new", {"body": json.dumps(bad)})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "schema-problems" in html
    assert "/blocks/0" in html
    api = client.post(
        "/api/plan-schemas", json={"body": bad}, headers={"X-CSRFToken": _token(client)}
    )
    assert api.status_code == 422
    assert any("/load" in m for m in api.json["error"]["details"]["json"]["body"])
    ok = client.post(
        "/api/plan-schemas",
        json={"body": {**_body(), "name": "Mine"}},
        headers={"X-CSRFToken": _token(client)},
    )
    assert ok.status_code == 201
    assert ok.json["name"] == "Mine"
    dup = client.post(
        "/api/plan-schemas",
        json={"body": {**_body(), "name": "Mine"}},
        headers={"X-CSRFToken": _token(client)},
    )
    # A name already taken is a conflict, answered 409 as everywhere else in the API.
    assert dup.status_code == 409
    assert dup.json["error"]["code"] == "conflict"
    assert "Mine" in dup.json["error"]["message"]


def _token(client: object) -> str:
    from tests.helpers import csrf_token

    return csrf_token(client)  # type: ignore[arg-type]


def test_pages_generate_edit_and_download(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    bad = post_form(
        client,
        f"/runners/{world.runner_id}/plans",
        {"schema_id": world.default_schema_id, "race_date": "soon", "distance_m": "10000"},
    )
    assert bad.status_code == 400
    bad = post_form(
        client,
        f"/runners/{world.runner_id}/plans",
        {
            "schema_id": world.default_schema_id,
            "race_date": PLAN_RACE_DATE.isoformat(),
            "distance_m": "-3",
        },
    )
    assert bad.status_code == 400
    yesterday = clock.today() - dt.timedelta(days=1)
    past = post_form(
        client,
        f"/runners/{world.runner_id}/plans",
        {
            "schema_id": world.default_schema_id,
            "race_date": yesterday.isoformat(),
            "distance_m": "10000",
            **PROFILE_DAYS,
        },
    )
    assert past.status_code == 400
    assert f"The race date {yesterday.isoformat()} has passed." in past.text
    made = post_form(
        client,
        f"/runners/{world.runner_id}/plans",
        {
            "schema_id": world.default_schema_id,
            "race_date": LATER_RACE_DATE.isoformat(),
            "distance_m": "10000",
            "weeks": "6",
            **PROFILE_DAYS,
        },
    )
    assert made.status_code == 302
    page = client.get(made.location)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "month-view" in html
    assert "projection-data" in html
    assert "week-view" in client.get(made.location + "?view=week").get_data(as_text=True)
    path = f"/plans/{world.plan_id}/days/{world.plan_day_id}"
    assert post_form(client, path + "/edit", {"duration_min": "abc"}).status_code == 400
    assert post_form(client, path + "/edit", {"duration_min": "5000"}).status_code == 400
    assert post_form(client, path + "/edit", {"workout_id": "99999"}).status_code == 400
    assert post_form(client, path + "/edit", {"workout_id": str(2**40)}).status_code == 400
    huge = {"schema_id": str(2**40), "race_date": PLAN_RACE_DATE.isoformat(), "distance_m": "10000"}
    assert post_form(client, f"/runners/{world.runner_id}/plans", huge).status_code == 400
    zwo = client.get(path + ".zwo")
    assert zwo.status_code == 200
    read_zwo(zwo.data)
    fit = client.get(path + ".fit")
    assert fit.status_code == 200
    messages, errors = Decoder(Stream.from_byte_array(fit.data)).read()
    assert not errors
    assert messages.get("workout_step_mesgs")
    runner = app.test_client()
    login(runner, "runner")
    assert runner.get(f"/runners/{world.runner_id}/plans").status_code == 200
    assert "Edit" not in runner.get(f"/plans/{world.plan_id}").get_data(as_text=True)


def test_api_generate_with_overrides_and_bad_input(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    headers = {"X-CSRFToken": _token(client)}
    url = f"/api/runners/{world.runner_id}/plans"
    body = {
        "schema_id": world.default_schema_id,
        "race_date": PLAN_RACE_DATE.isoformat(),
        "distance_m": 10000,
        "weeks": 5,
        "training_days": [0, 2, 4, 6],
        "long_run_day": 6,
        "sessions_per_week": 4,
    }
    made = client.post(url, json=body, headers=headers)
    assert made.status_code == 201, made.json
    assert {dt.date.fromisoformat(d["date"]).weekday() for d in made.json["days"][:-1]} <= {
        0,
        2,
        4,
        6,
    }
    assert made.json["days"][-1]["kind"] == "race"
    for bad in (
        {"long_run_day": 3},
        {"distance_m": -1},
        {"weeks": 0},
        {"training_days": [9]},
        {"schema_id": 999999},
        {"race_date": "1800-01-01"},
    ):
        response = client.post(url, json={**body, **bad}, headers=headers)
        assert response.status_code in (404, 422), (bad, response.status_code)
        assert set(response.json["error"]) == {"code", "message", "details"}
    day = made.json["days"][0]
    patch_url = f"/api/plans/{made.json['id']}/days/{day['id']}"
    assert client.patch(patch_url, json={"duration_s": 5}, headers=headers).status_code == 422
    assert client.patch(patch_url, json={"workout_id": 999999}, headers=headers).status_code == 422
    ok = client.patch(patch_url, json={"notes": "Easy, chatty"}, headers=headers)
    assert ok.status_code == 200
    assert ok.json["edited"] is True
    listed = client.get(url).json
    assert made.json["id"] in {p["id"] for p in listed}
    # Regenerating keeps the schedule the plan was made with, not the profile's.
    regenerated = post_form(client, f"/plans/{made.json['id']}/regenerate", {"keep_edited": "1"})
    assert regenerated.status_code in (302, 303)
    with app.app_context():
        plan = db.session.get_one(Plan, made.json["id"])
        assert plan.schedule == {
            "training_days": [0, 2, 4, 6],
            "long_run_day": 6,
            "sessions_per_week": 4,
        }
        weekdays = {d.date.weekday() for d in plan.days if d.kind != "race"}
        assert weekdays <= {0, 2, 4, 6}
        profile_days = {
            int(c) for c in db.session.get_one(Runner, world.runner_id).training_weekdays
        }
        assert weekdays - profile_days, "the profile's days would not give these weekdays"


def test_the_generation_form_takes_training_days_prefilled_from_the_profile(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        runner.training_weekdays, runner.long_run_weekday, runner.sessions_per_week = "025", 5, 3
        db.session.commit()
    client = app.test_client()
    login(client, "coach")
    url = f"/runners/{world.runner_id}/plans"
    html = client.get(url).get_data(as_text=True)
    checked = set(re.findall(r'value="(\d)" id="training_day_\d" checked', html))
    assert checked == {"0", "2", "5"}
    assert re.search(r'<option value="5" selected>Saturday</option>', html)
    assert 'name="sessions_per_week" value="3"' in html
    base = {
        "schema_id": world.default_schema_id,
        "race_date": LATER_RACE_DATE.isoformat(),
        "distance_m": "10000",
    }
    for fields, field, message in (
        ({"long_run_day": "6", "sessions_per_week": "3"}, "training_days", "at least one"),
        (
            {"training_days": ["0", "2"], "long_run_day": "6", "sessions_per_week": "3"},
            "long_run_day",
            "(Sunday) must be one of the training days",
        ),
        (
            {"training_days": ["0", "9"], "long_run_day": "0", "sessions_per_week": "3"},
            "training_days",
            "weekdays",
        ),
        (
            {"training_days": ["x"], "long_run_day": "0", "sessions_per_week": "3"},
            "training_days",
            "weekdays",
        ),
        (
            {"training_days": ["0"], "long_run_day": "", "sessions_per_week": "3"},
            "long_run_day",
            "",
        ),
        (
            {"training_days": ["0"], "long_run_day": "0", "sessions_per_week": "0"},
            "sessions_per_week",
            "1 to 7",
        ),
        (
            {"training_days": ["0"], "long_run_day": "0", "sessions_per_week": "many"},
            "sessions_per_week",
            "1 to 7",
        ),
    ):
        response = post_form(client, url, {**base, **fields})
        assert response.status_code == 400, fields
        page = response.get_data(as_text=True)
        assert f'data-testid="error-{field}"' in page, fields
        assert message in page
    with app.app_context():
        assert len(plan_services.plans_for_runner(db.session.get_one(Runner, world.runner_id))) == 1
    made = post_form(
        client,
        url,
        {**base, "training_days": ["1", "4", "6"], "long_run_day": "4", "sessions_per_week": "3"},
    )
    assert made.status_code == 302
    plan_id = int(made.location.rsplit("/", 1)[-1])
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        assert {d.date.weekday() for d in plan.days[:-1]} <= {1, 4, 6}
        assert all(d.date.weekday() == 4 for d in plan.days if d.slot == "long")
        runner = db.session.get_one(Runner, world.runner_id)
        assert runner.training_weekdays == "025"  # the profile is not changed


def test_a_coach_deletes_a_plan_on_the_page_and_in_the_api(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0, duration_s=1800))])
    coach = app.test_client()
    login(coach, "coach")
    confirm = coach.get(f"/plans/{world.plan_id}/delete")
    assert confirm.status_code == 200
    assert 'data-testid="delete-plan-form"' in confirm.get_data(as_text=True)
    assert 'data-testid="delete-plan"' in coach.get(f"/plans/{world.plan_id}").get_data(
        as_text=True
    )
    # Without the CSRF token nothing happens.
    assert coach.post(f"/plans/{world.plan_id}/delete").status_code == 400
    runner = app.test_client()
    login(runner, "runner")
    assert 'data-testid="delete-plan"' not in runner.get(f"/plans/{world.plan_id}").get_data(
        as_text=True
    )
    assert post_form(runner, f"/plans/{world.plan_id}/delete").status_code == 403
    gone = post_form(coach, f"/plans/{world.plan_id}/delete")
    assert gone.status_code == 303
    assert gone.location.endswith(f"/runners/{world.runner_id}/plans")
    with app.app_context():
        assert db.session.get(Plan, world.plan_id) is None
        assert db.session.query(PlanDay).filter_by(plan_id=world.plan_id).count() == 0
        assert db.session.query(TrainingSession).filter_by(runner_id=world.runner_id).count() == 1
    assert coach.get(f"/plans/{world.plan_id}").status_code == 404
    assert post_form(coach, f"/plans/{world.plan_id}/delete").status_code == 404
    assert coach.get(f"/plans/ics/{world.ics_token}.ics").status_code == 404
    # The API: 204, then 404; another coach's runner's plan is 404 too.
    admin = app.test_client()
    login(admin, "admin")
    headers = {"X-CSRFToken": _token(admin)}
    assert admin.delete(f"/api/plans/{world.other_plan_id}", headers=headers).status_code == 204
    again = admin.delete(f"/api/plans/{world.other_plan_id}", headers=headers)
    assert again.status_code == 404
    assert set(again.json["error"]) == {"code", "message", "details"}
    assert admin.delete("/api/plans/0", headers=headers).status_code == 404
    assert admin.delete(f"/api/plans/{2**40}", headers=headers).status_code == 404
    assert admin.delete("/api/plans/1").status_code in (400, 403)  # no CSRF header


def test_a_resized_day_lands_on_the_asked_duration(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    path = f"/plans/{world.plan_id}/days/{world.plan_day_id}/edit"
    assert post_form(client, path, {"duration_min": "50", "notes": ""}).status_code == 302
    with app.app_context():
        day = db.session.get_one(PlanDay, world.plan_day_id)
        assert day.duration_s == pytest.approx(3000.0, abs=1.0)
        assert day.edited
    headers = {"X-CSRFToken": _token(client)}
    api = client.patch(
        f"/api/plans/{world.plan_id}/days/{world.plan_day_id}",
        json={"duration_s": 4530},
        headers=headers,
    )
    assert api.status_code == 200
    assert api.json["duration_s"] == pytest.approx(4530.0, abs=1.0)
    # The prefilled minutes sent back untouched change nothing.
    assert post_form(client, path, {"duration_min": "76", "notes": ""}).status_code == 302
    with app.app_context():
        assert db.session.get_one(PlanDay, world.plan_day_id).duration_s == pytest.approx(
            4530.0, abs=1.0
        )


def test_a_plan_on_the_default_critical_speed_says_so_prominently(app: Flask) -> None:
    """Issue #15: a runner with no performance keeps the population CS; the plan says so
    first, on the page in red, and in the API; a runner with a race gets no such warning."""
    world = make_world(app)  # Rita has a 5 km best: her CS is her own
    with app.app_context():
        plan_schemas.load_default_schemas()
        schema = plan_schemas.schema_by_name("10 km")
        request = plan_services.GenerateRequest(PLAN_RACE_DATE, 10000.0, 4)
        novice = db.session.get_one(Runner, world.other_runner_id)
        best_services.delete_personal_best(novice, world.other_best_id, by=None)
        rita = db.session.get_one(Runner, world.runner_id)
        # Her race dated from today, not the world's fixed 2026-05-01: in the past on any
        # date the suite runs.
        best_services.delete_personal_best(rita, world.best_id, by=None)
        today = clock.today()
        ran = today - dt.timedelta(days=220)
        best_services.add_personal_best(rita, 5000.0, 1200.0, ran, by=None, today=today)
        ours = plan_services.save_plan(rita, schema, request, created_by=None)
        theirs = plan_services.save_plan(novice, schema, request, created_by=None)
        db.session.commit()
        ours_id, theirs_id = ours.id, theirs.id
        assert "default_critical_speed" not in [w["code"] for w in ours.warnings]
        assert theirs.warnings[0]["code"] == "default_critical_speed"
    coach = app.test_client()
    login(coach, "othercoach")
    page = coach.get(f"/plans/{theirs_id}").get_data(as_text=True)
    assert 'data-testid="plan-default-cs"' in page
    assert "population default critical speed" in page
    assert "(5:00/km, 8:03/mi)" in page  # both units: the warning is stored once
    api = coach.get(f"/api/plans/{theirs_id}").json
    assert api["warnings"][0]["code"] == "default_critical_speed"
    mine = app.test_client()
    login(mine, "coach")
    assert 'data-testid="plan-default-cs"' not in mine.get(f"/plans/{ours_id}").get_data(
        as_text=True
    )


def test_week_one_of_a_runner_without_uploads_starts_from_their_stated_running(
    app: Flask,
) -> None:
    """Issue #15: with no session in the four weeks before a plan, the weekly running the
    profile states stands in (as easy running at 79 % of CS); unsaid, the schema's floor."""
    world = make_world(app)
    with app.app_context():
        plan_schemas.load_default_schemas()
        schema = plan_schemas.schema_by_name("10 km")
        runner = db.session.get_one(Runner, world.runner_id)
        start = PLAN_RACE_DATE - dt.timedelta(weeks=8)
        unsaid = plan_services.runner_profile(runner, start, PLAN_RACE_DATE)
        assert unsaid.recent_weekly_load is None
        assert unsaid.beginner
        runner.weekly_running_min = 300  # 5 h a week
        stated = plan_services.runner_profile(runner, start, PLAN_RACE_DATE)
        assert stated.recent_weekly_running_s == 5 * 3600
        # rTSS of 5 h at IF 0.79 (the library's easy running): 5 · 0.6241 · 100.
        assert stated.recent_weekly_load == pytest.approx(312.05)
        assert not stated.beginner
        request = plan_services.GenerateRequest(PLAN_RACE_DATE, 10000.0, 8)
        plan, _ = plan_services.generate(runner, schema, request)
        week_one = sum(d.load for d in plan.days if d.week == 1)
        runner.weekly_running_min = None
        floor, _ = plan_services.generate(runner, schema, request)
        assert week_one > sum(d.load for d in floor.days if d.week == 1)
        # Growth is capped from the stated start: week 1 at most ~10 % above it.
        assert week_one <= 312.05 * 1.1 + 1e-6
        runner.weekly_running_min = 60  # an hour a week: a beginner
        assert plan_services.runner_profile(runner, start, PLAN_RACE_DATE).beginner
