"""Each user's time zone and units: set on the settings page, in the API and the CLI, and
used by every page (pages only: the API stays SI and UTC)."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts.cli import preferences_command
from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession
from tests.helpers import (
    World,
    csrf_token,
    login,
    make_world,
    post_form,
    with_plans,
    with_sessions,
)


def _prefs(app: Flask, user_id: int) -> tuple[str, str]:
    with app.app_context():
        user = db.session.get_one(User, user_id)
        return user.time_zone, user.units


def _set(app: Flask, user_id: int, zone: str, units: str) -> None:
    with app.app_context():
        user = db.session.get_one(User, user_id)
        user.time_zone, user.units = zone, units
        db.session.commit()


def test_settings_page_sets_zone_and_units(app: Flask, client: FlaskClient) -> None:
    world = make_world(app)
    login(client, "runner")
    page = client.get("/settings/tokens").get_data(as_text=True)
    assert 'name="time_zone"' in page
    assert "Miles (/mi, mph)" in page
    answer = post_form(
        client, "/settings/preferences", {"time_zone": "America/New_York", "units": "mi"}
    )
    assert answer.status_code == 302
    assert _prefs(app, world.runner) == ("America/New_York", "mi")


def test_bad_zone_or_units_are_refused_with_a_message(app: Flask, client: FlaskClient) -> None:
    world = make_world(app)
    login(client, "runner")
    cases: list[tuple[dict[str, object], str]] = [
        ({"time_zone": "Mars/Base", "units": "km"}, "Unknown time zone “Mars/Base”"),
        ({"time_zone": "Europe/Berlin", "units": "furlongs"}, "Units must be km"),
        ({"time_zone": "", "units": "km"}, "Enter a time zone."),
        ({"time_zone": "x" * 500, "units": "km"}, "Field cannot be longer"),
    ]
    for data, message in cases:
        answer = post_form(client, "/settings/preferences", data)
        assert answer.status_code == 200, data  # the page again, with the message
        assert message in answer.get_data(as_text=True), data
    assert _prefs(app, world.runner) == ("", "km")  # nothing of the bad forms was kept


def test_api_me_shows_and_sets_preferences_and_refuses_bad_ones(
    app: Flask, client: FlaskClient
) -> None:
    world = make_world(app)
    login(client, "coach")
    headers = {"X-CSRFToken": csrf_token(client, "/settings/tokens")}
    me = client.get("/api/me").get_json()
    assert (me["time_zone"], me["units"]) == ("UTC", "km")
    answer = client.patch(
        "/api/me", json={"time_zone": "Europe/Berlin", "units": "mi"}, headers=headers
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert (answer.get_json()["time_zone"], answer.get_json()["units"]) == ("Europe/Berlin", "mi")
    for body in ({"time_zone": "Mars/Base"}, {"units": "furlongs"}, {"units": 3}, {}):
        refused = client.patch("/api/me", json=body, headers=headers)
        assert refused.status_code in (400, 422), body
        assert refused.get_json()
    assert _prefs(app, world.coach) == ("Europe/Berlin", "mi")


def test_the_cli_shows_and_sets_preferences(app: Flask) -> None:
    make_world(app)
    cli = app.test_cli_runner()
    shown = cli.invoke(preferences_command, ["runner"])
    assert shown.exit_code == 0
    assert "time zone" in shown.output
    assert "kilometres" in shown.output
    done = cli.invoke(
        preferences_command, ["runner", "--time-zone", "Asia/Tokyo", "--units", "mi", "--json"]
    )
    assert done.exit_code == 0, done.output
    assert '"Asia/Tokyo"' in done.output
    assert '"mi"' in done.output
    bad = cli.invoke(preferences_command, ["runner", "--time-zone", "Mars/Base"])
    assert bad.exit_code != 0


def test_login_takes_the_browsers_zone_when_none_was_chosen(
    app: Flask, client: FlaskClient
) -> None:
    world = make_world(app)
    token = csrf_token(client)
    data = {"username": "runner", "password": "correct horse battery", "csrf_token": token}
    client.post("/login", data={**data, "browser_time_zone": "Mars/Base"})
    assert _prefs(app, world.runner)[0] == ""  # an unknown zone is ignored
    client.post("/logout", data={"csrf_token": csrf_token(client, "/settings/tokens")})
    client.post(
        "/login",
        data={**data, "csrf_token": csrf_token(client), "browser_time_zone": "Europe/Paris"},
    )
    assert _prefs(app, world.runner)[0] == "Europe/Paris"
    _set(app, world.runner, "Asia/Tokyo", "km")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/settings/tokens")})
    client.post(
        "/login",
        data={**data, "csrf_token": csrf_token(client), "browser_time_zone": "Europe/Paris"},
    )
    assert _prefs(app, world.runner)[0] == "Asia/Tokyo"  # a chosen zone stays


def _pages(app: Flask, world: World) -> dict[str, str]:
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        first = min(d.date for d in plan.days)
    return {
        "session": f"/sessions/{world.session_id}",
        "profile": f"/runners/{world.runner_id}",
        "plan": f"/plans/{world.plan_id}?view=month&month={first:%Y-%m}",
        "calendar": f"/plans/{world.plan_id}?view=week&week={first}",
    }


def test_a_miles_user_sees_miles_and_a_km_user_does_not(app: Flask, client: FlaskClient) -> None:
    world = with_plans(app, with_sessions(app, make_world(app)))
    pages = _pages(app, world)
    login(client, "runner")
    km_pages = {name: client.get(path).get_data(as_text=True) for name, path in pages.items()}
    _set(app, world.runner, "UTC", "mi")
    mi_pages = {name: client.get(path).get_data(as_text=True) for name, path in pages.items()}
    for name in ("session", "profile"):  # paces
        assert "/mi" in mi_pages[name], name
        assert "/mi" not in km_pages[name], name
        assert "/km" in km_pages[name], name
        assert "/km" not in mi_pages[name], name
    for name in ("plan", "calendar"):  # the weeks' planned and done distances
        assert " mi · load" in mi_pages[name], name
        assert " km · load" not in mi_pages[name], name
        assert " km · load" in km_pages[name], name
        assert " mi · load" not in km_pages[name], name
    assert 'data-units="mi"' in mi_pages["session"]
    assert 'data-speed-unit="per_mi"' in mi_pages["session"]
    assert "race " in mi_pages["plan"]
    assert ", 6.2 mi</h2>" in mi_pages["plan"]
    assert ", 10.0 km</h2>" in km_pages["plan"]


def test_a_session_at_23_30_utc_shows_on_the_next_day_in_berlin(
    app: Flask, client: FlaskClient
) -> None:
    world = with_sessions(app, make_world(app))
    start = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)
    with app.app_context():
        session = db.session.get_one(TrainingSession, world.session_id)
        session.start_time = start
        db.session.commit()
    login(client, "runner")
    with clock.clock_at(dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)):
        _set(app, world.runner, "Europe/Berlin", "km")
        berlin = client.get(f"/sessions/{world.session_id}").get_data(as_text=True)
        _set(app, world.runner, "", "km")
        utc = client.get(f"/sessions/{world.session_id}").get_data(as_text=True)
    assert "started 2026-12-07 00:30 CET" in berlin
    assert "started 2026-12-06 23:30 UTC" in utc
    # The API stays UTC whatever the user's zone.
    _set(app, world.runner, "Europe/Berlin", "mi")
    api = client.get(f"/api/sessions/{world.session_id}").get_json()
    assert api["start_time"].startswith("2026-12-06T23:30")


def test_command_text_output_in_miles_and_a_zone_json_stays_si(app: Flask) -> None:
    from smartrunning.cli import main
    from smartrunning.platform import display

    world = with_sessions(app, make_world(app))
    cli = app.test_cli_runner()
    try:
        args = ["sessions", "list", "--runner", str(world.runner_id)]
        miles = cli.invoke(main, ["--units", "mi", "--time-zone", "Europe/Berlin", *args])
        assert miles.exit_code == 0, miles.output
        assert " mi " in miles.output
        assert " km " not in miles.output
        assert re.search(r"\d\d:\d\d CES?T", miles.output), miles.output
        km = cli.invoke(main, args)
        assert " km " in km.output
        assert " UTC " in km.output
        as_json = cli.invoke(main, ["--units", "mi", *args, "--json"])
        assert '"distance_m"' in as_json.output
        assert " mi" not in as_json.output
        for bad in (["--units", "furlongs"], ["--time-zone", "Mars/Base"]):
            refused = cli.invoke(main, [*bad, *args])
            assert refused.exit_code != 0
            assert "Invalid value" in refused.output
    finally:
        display.set_process_default(display.DisplayPrefs())


def test_today_on_the_calendar_is_the_readers_day(app: Flask, client: FlaskClient) -> None:
    """At 23:30 UTC on 6 December it is already 7 December in Berlin: a Berlin reader's
    calendar marks the 7th as today, a UTC reader's the 6th."""
    with clock.clock_at(dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)):
        world = make_world(app)
        with app.app_context():  # a plan around that day, whatever the date the suite runs on
            plan_schemas.load_default_schemas()
            plan = plan_services.save_plan(
                db.session.get_one(Runner, world.runner_id),
                plan_schemas.schema_by_name("10 km"),
                plan_services.GenerateRequest(dt.date(2027, 1, 3), 10000.0, 5),
                created_by=None,
            )
            db.session.commit()
            plan_id = plan.id
    login(client, "runner")
    path = f"/plans/{plan_id}?view=week&week="  # Monday 7 or 30 November

    def marked_today(html: str) -> list[str]:
        return re.findall(r'class="cal-day is-today[^"]*" data-date="([^"]+)"', html)

    with clock.clock_at(dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)):
        _set(app, world.runner, "Europe/Berlin", "km")
        berlin = client.get(path + "2026-12-07").get_data(as_text=True)
        _set(app, world.runner, "UTC", "km")
        utc = client.get(path + "2026-11-30").get_data(as_text=True)
    assert marked_today(berlin) == ["2026-12-07"]
    assert marked_today(utc) == ["2026-12-06"]
