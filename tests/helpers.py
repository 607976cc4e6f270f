"""Helpers for web tests: users, the standard world of roles, logging in with CSRF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes import bests as best_services
from smartrunning.athletes import suggestions as suggestion_services
from smartrunning.athletes.models import (
    Runner,
    Sex,
)
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import structure as workout_json

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')

#: The day the dated examples of several test modules (bests, parameter versions, the day a
#: workout is resolved on) were written for; those modules run with the app's clock on it
#: (the ``on_written_day`` fixture), so their dates stay in the past whenever the suite runs.
WRITTEN_ON = dt.date(2026, 11, 21)


def make_user(
    app: Flask,
    username: str,
    *roles: Role,
    password: str = PASSWORD,
    must_change: bool = False,
    active: bool = True,
) -> int:
    with app.app_context():
        user = accounts.create_user(username, password, roles, must_change_password=must_change)
        user.is_active = active
        db.session.commit()
        return int(user.id)


def make_runner(
    app: Flask, name: str, *, user_id: int | None = None, coach_id: int | None = None
) -> int:
    with app.app_context():
        user = db.session.get(User, user_id) if user_id else None
        coach = db.session.get(User, coach_id) if coach_id else None
        runner = athlete_services.create_runner(
            name,
            dt.date(1990, 4, 2),
            Sex.FEMALE,
            created_by=None,
            today=dt.date(2026, 11, 21),
            user=user,
            coach=coach,
            onboarding_step=None,
        )
        db.session.commit()
        return int(runner.id)


@dataclass(frozen=True)
class World:
    """Two coaches, each with one runner who has a login, and an admin.

    ``runner`` (the user) owns ``runner_id``, coached by ``coach``; ``other_runner_id``
    belongs to ``other_runner``, coached by ``other_coach``.
    """

    admin: int
    coach: int
    other_coach: int
    runner: int
    other_runner: int
    runner_id: int
    other_runner_id: int
    best_id: int
    other_best_id: int
    # Filled by ``with_sessions`` for the cases that need sessions and import jobs.
    session_id: int = 0
    other_session_id: int = 0
    job_id: int = 0
    other_job_id: int = 0
    #: Workouts: owned by ``coach``, by ``other_coach``, and one of the default library.
    workout_id: int = 0
    other_workout_id: int = 0
    default_workout_id: int = 0
    #: Plans (``with_plans``): a plan per runner, a day of each, the feed token of the
    #: runner's, and schemas owned by ``coach``, by ``other_coach``, and a default one.
    plan_id: int = 0
    other_plan_id: int = 0
    plan_day_id: int = 0
    other_plan_day_id: int = 0
    ics_token: str = ""
    schema_id: int = 0
    other_schema_id: int = 0
    default_schema_id: int = 0
    #: Open critical-speed suggestions (``with_suggestions``), one per runner.
    suggestion_id: int = 0
    other_suggestion_id: int = 0


def make_world(app: Flask) -> World:
    admin = make_user(app, "admin", Role.ADMIN)
    coach = make_user(app, "coach", Role.COACH)
    other_coach = make_user(app, "othercoach", Role.COACH)
    runner = make_user(app, "runner", Role.RUNNER)
    other_runner = make_user(app, "otherrunner", Role.RUNNER)
    runner_id = make_runner(app, "Rita Runner", user_id=runner, coach_id=coach)
    other_runner_id = make_runner(app, "Otto Other", user_id=other_runner, coach_id=other_coach)
    return World(
        admin=admin,
        coach=coach,
        other_coach=other_coach,
        runner=runner,
        other_runner=other_runner,
        runner_id=runner_id,
        other_runner_id=other_runner_id,
        best_id=make_best(app, runner_id, 5000.0, 1200.0, dt.date(2026, 5, 1)),
        other_best_id=make_best(app, other_runner_id, 5000.0, 1260.0, dt.date(2026, 5, 1)),
        workout_id=make_workout(app, "Coach tempo", owner_id=coach),
        other_workout_id=make_workout(app, "Other tempo", owner_id=other_coach),
        default_workout_id=make_workout(app, "Default tempo", default=True),
    )


def make_workout(
    app: Flask, name: str, *, owner_id: int | None = None, default: bool = False
) -> int:
    """A small running workout in the library (a warm-up, 20 min at 90 % of CS, intervals)."""
    data = {
        "name": name,
        "sport": "run",
        "tags": ["kind:tempo"],
        "steps": [
            {
                "type": "warmup",
                "duration": 600,
                "unit": "s",
                "intensity_start": 0.6,
                "intensity_end": 0.8,
            },
            {"type": "steady", "duration": 1200, "unit": "s", "intensity": 0.9},
            {
                "type": "intervals",
                "repeat": 4,
                "on_duration": 400,
                "off_duration": 200,
                "unit": "m",
                "on_intensity": 1.1,
                "off_intensity": 0.6,
            },
        ],
    }
    with app.app_context():
        owner = db.session.get(User, owner_id) if owner_id else None
        content = workout_json.structure_from_json(data)
        workout = workout_services.create_workout(content, by=owner, is_default=default)
        db.session.commit()
        return int(workout.id)


def make_best(app: Flask, runner_id: int, distance_m: float, time_s: float, day: dt.date) -> int:
    with app.app_context():
        runner = db.session.get(Runner, runner_id)
        assert runner is not None
        best = best_services.add_personal_best(
            runner, distance_m, time_s, day, by=None, today=dt.date(2026, 11, 21)
        )
        db.session.commit()
        return int(best.id)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path, follow_redirects=True)
    match = _CSRF.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} (status {page.status_code})"
    return match.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def post_form(
    client: FlaskClient, path: str, data: dict[str, object] | None = None
) -> TestResponse:
    """POST a form with a valid CSRF token of the client's session."""
    token = csrf_token(client, "/login")
    return client.post(path, data={"csrf_token": token, **(data or {})})


def with_suggestions(app: Flask, world: World) -> World:
    """The world plus an open CS suggestion per runner: a measured CS is in force, and a
    3000 m race on the line of the 5000 m best (CS 4.0 m/s, D′ 200 m) is fitted."""
    from smartrunning.athletes import parameters as parameter_services
    from smartrunning.athletes.models import ParameterKey, ParameterSource

    ids = {}
    today = dt.date(2026, 11, 21)
    for key, runner_id in (("", world.runner_id), ("other_", world.other_runner_id)):
        with app.app_context():
            runner = db.session.get_one(Runner, runner_id)
            parameter_services.set_parameter(
                runner,
                ParameterKey.CRITICAL_SPEED,
                {"cs_mps": 3.9, "d_prime_m": 180},
                dt.date(2026, 1, 1),
                source=ParameterSource.MEASURED,
                by=None,
                today=today,
            )
            best_services.add_personal_best(
                runner, 3000.0, 700.0, dt.date(2026, 6, 1), by=None, today=today
            )
            db.session.commit()
            ids[f"{key}suggestion_id"] = suggestion_services.open_suggestions(runner)[0].id
    return dataclasses.replace(world, **ids)


def with_sessions(app: Flask, world: World) -> World:
    """The world plus one imported 10-minute run for each runner (inline, no worker)."""
    from tests.sessions.sessiondata import import_inline, run_bytes

    ids = {}
    for key, runner_id, seed in (("", world.runner_id, 1), ("other_", world.other_runner_id, 2)):
        report = import_inline(
            app, runner_id, [("run.fit", run_bytes(0, duration_s=600, seed=seed))]
        )
        files = report["files"]
        assert isinstance(files, list)
        ids[f"{key}session_id"] = files[0]["session_ids"][0]
        ids[f"{key}job_id"] = report["id"]
    return dataclasses.replace(world, **ids)


def _sunday_after(days: int) -> dt.date:
    day = clock.today() + dt.timedelta(days=days)
    return day + dt.timedelta(days=(6 - day.weekday()) % 7)


PLAN_RACE_DATE = _sunday_after(105)
"""A Sunday about 15 weeks ahead: pages, the API and the CLI refuse races that have passed."""
LATER_RACE_DATE = PLAN_RACE_DATE + dt.timedelta(weeks=8)
"""Another Sunday race, eight weeks after ``PLAN_RACE_DATE``."""


def with_plans(app: Flask, world: World) -> World:
    """The world plus the default schemas, a schema of each coach, and a 4-week 10 km plan
    for each runner."""
    from smartrunning.plans import actions as plan_services
    from smartrunning.plans import plan_schemas

    with app.app_context():
        plan_schemas.load_default_schemas()
        default = plan_schemas.schema_by_name("10 km")
        ids: dict[str, object] = {"default_schema_id": default.id}
        for key, owner_id in (("schema_id", world.coach), ("other_schema_id", world.other_coach)):
            owner = db.session.get(User, owner_id)
            body = {**default.body, "name": f"10 km of {key}"}
            ids[key] = plan_schemas.save_schema(body, owner=owner).id
        for key, runner_id in (("", world.runner_id), ("other_", world.other_runner_id)):
            runner = db.session.get(Runner, runner_id)
            assert runner is not None
            request = plan_services.GenerateRequest(PLAN_RACE_DATE, 10000.0, 4)
            plan = plan_services.save_plan(runner, default, request, created_by=None)
            ids[f"{key}plan_id"] = plan.id
            ids[f"{key}plan_day_id"] = plan.days[0].id
            if not key:
                ids["ics_token"] = plan.ics_token
        db.session.commit()
    return dataclasses.replace(world, **ids)  # type: ignore[arg-type]
