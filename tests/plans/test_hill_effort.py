"""Hill repetitions are run by effort (issue #15): a plan day holding the library's hill
repeats shows no pace for the climbs, and says what to aim at instead, on the plan page,
the runner's start page, the calendar feed, the API, the watch file (FIT) and the ZWO file;
the jog back down keeps its pace and heart rate."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask
from garmin_fit_sdk import Decoder, Stream
from icalendar import Calendar

from smartrunning.plans import calendar_edits
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.science.plans.paces import HILL_EFFORT
from smartrunning.workouts.imports import load_default_library
from smartrunning.workouts.models import Workout
from tests.helpers import login, make_world, with_plans

HILLS = "Hill repeats 6 × 2 min"
"""The library's hill session: six 2 min climbs (under 3 min: no heart-rate target
either), 2 min jogs down."""


def _hill_day(app: Flask, plan_id: int) -> tuple[int, dt.date]:
    """The plan's first training day after today, its workout replaced by the hills."""
    with app.app_context():
        load_default_library()
        workout_id = db.session.execute(
            sa.select(Workout.id).where(Workout.name == HILLS)
        ).scalar_one()
        plan = db.session.get_one(Plan, plan_id)
        today = clock.today()
        date = next(d.date for d in plan.days if d.kind != "race" and d.date > today)
        day = calendar_edits.add_workout(plan, date, workout_id)
        return day.id, date


def test_hill_reps_show_an_effort_not_a_pace_everywhere(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = with_plans(app, make_world(app))
    day_id, date = _hill_day(app, world.plan_id)
    with app.app_context():
        stored = db.session.get_one(Plan, world.plan_id)
        targets = next(d for d in stored.days if d.id == day_id).targets
    on = next(t for t in targets if t["part"] == "on")
    off = next(t for t in targets if t["part"] == "off")
    assert on["effort"] == HILL_EFFORT
    assert on["pace_s_per_km"] is None
    assert on["hr_bpm"] is None  # 2 min climbs: heart rate lags the effort
    assert off["pace_s_per_km"] is not None  # the jog down keeps its pace and heart rate
    assert off["hr_bpm"] is not None
    assert "effort" not in off
    set_today(date)
    client = app.test_client()
    login(client, "runner")
    shown = re.compile(r"Step 2 \(on\):\s*" + re.escape(HILL_EFFORT) + r"\s*</li>")

    page = client.get(f"/plans/{world.plan_id}?view=week&week={date}").get_data(as_text=True)
    assert shown.search(page), "plan page"
    assert re.search(r"Step 2 \(off\):\s*\d+:\d\d–\d+:\d\d /km", page)
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="home-today-targets"' in home
    assert shown.search(home), "runner's start page"

    api = client.get(f"/api/plans/{world.plan_id}")
    assert api.status_code == 200
    day = next(d for d in api.json["days"] if d["id"] == day_id)
    api_on = next(t for t in day["targets"] if t["part"] == "on")
    assert api_on["pace_s_per_km"] is None
    assert api_on["effort"] == HILL_EFFORT
    assert next(t for t in day["targets"] if t["part"] == "off")["effort"] is None

    feed = Calendar.from_ical(client.get(f"/plans/ics/{world.ics_token}.ics").get_data())
    event = next(e for e in feed.walk("VEVENT") if e.decoded("dtstart") == date)
    description = str(event["description"])
    assert f"Step 2 (on), {HILL_EFFORT}\n" in description
    assert re.search(r"Step 2 \(off\), pace \d+:\d\d–\d+:\d\d /km, HR \d+–\d+ bpm", description)

    fit = client.get(f"/plans/{world.plan_id}/days/{day_id}.fit")
    assert fit.status_code == 200
    messages, errors = Decoder(Stream.from_byte_array(fit.data)).read()
    assert not errors
    steps = messages["workout_step_mesgs"]
    climb = next(s for s in steps if "uphill" in str(s.get("wkt_step_name")))
    assert climb["wkt_step_name"] == "2:00 uphill by effort"
    assert climb["target_type"] == "open"  # no speed (and, under 3 min, no heart rate)
    down = steps[steps.index(climb) + 1]
    assert down["target_type"] == "speed"

    zwo = client.get(f"/plans/{world.plan_id}/days/{day_id}.zwo").get_data(as_text=True)
    assert 'message="Uphill by effort, not pace: hard but controlled"' in zwo
    assert "not a pace to run uphill" in zwo
