"""A plan's iCalendar feed (``plans.exports``): its structure, escaping and folding, stable
UIDs, the events read back by the ``icalendar`` library, and times and paces as the plan
page shows them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from icalendar import Calendar, vText

from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar_edits
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from tests.helpers import login, make_world, with_plans

NOTES = "Hills, then; strides\\ramp\nEasy " + "é" * 40


def _uids(text: str) -> list[str]:
    return re.findall(r"^UID:([^\r]+)", text.replace("\r\n ", ""), re.M)


def test_ics_escaping_folding_and_structure(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        plan.days[0].notes = NOTES
        db.session.commit()
    client = app.test_client()
    response = client.get(f"/plans/ics/{world.ics_token}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    data = response.get_data()
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    # Folded at 75 octets, never inside a UTF-8 character (each line decodes on its own).
    assert all(len(line) <= 75 and line.decode("utf-8") for line in lines[:-1])
    assert any(line.startswith(b" ") for line in lines)
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == unfolded.count("END:VEVENT") > 0
    assert "Hills\\, then\\; strides\\\\ramp\\nEasy " + "é" * 40 in unfolded
    assert re.search(r"^X-WR-CALNAME:.+: 10 km\r$", unfolded, re.M)
    uids = _uids(text)
    assert len(uids) == len(set(uids))
    assert re.search(r"^DTSTART;VALUE=DATE:\d{8}\r$", unfolded, re.M)
    assert _uids(client.get(f"/plans/ics/{world.ics_token}.ics").get_data(as_text=True)) == uids
    with app.app_context():  # generated again: new day rows, the same events
        plan_services.regenerate(db.session.get_one(Plan, world.plan_id), keep_edited=False)
        db.session.commit()
    regenerated = client.get(f"/plans/ics/{world.ics_token}.ics").get_data(as_text=True)
    assert _uids(regenerated) == uids
    assert client.get("/plans/ics/nope.ics").status_code == 404


def test_the_feed_parses_back_into_one_all_day_event_a_planned_day(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        plan = db.session.get_one(Plan, world.plan_id)
        plan.days[0].notes = NOTES
        db.session.commit()
        plan_id, runner_name = plan.id, plan.runner.name
        days = [(d.date, d.workout_name or d.kind) for d in plan.days]
    today = clock.today()
    set_today(today)
    data = app.test_client().get(f"/plans/ics/{world.ics_token}.ics").get_data()

    calendar = Calendar.from_ical(data)
    assert str(calendar["version"]) == "2.0"
    assert vText.from_ical(str(calendar["x-wr-calname"])) == f"{runner_name}: 10 km"
    events = calendar.walk("VEVENT")
    assert len(events) == len(days) > 1
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)
    for event, (date, summary) in zip(events, days, strict=True):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert type(start) is dt.date  # all-day: a date, no time
        assert type(end) is dt.date
        assert (start, end) == (date, date + dt.timedelta(days=1))
        assert str(event["uid"]) == f"plan-{plan_id}-{date:%Y%m%d}@smartrunning"
        assert str(event["summary"]) == summary
        assert event.decoded("dtstamp") == noon
        assert str(event["transp"]) == "TRANSPARENT"
    assert str(events[0]["description"]).endswith("\n" + NOTES)


def test_feed_times_and_paces_read_as_on_the_plan_page(app: Flask) -> None:
    """The page rounds to the second (its ``duration`` filter); the feed once truncated,
    so a 299.6 s/km pace read 5:00 on the page and 4:59 in the calendar."""
    world = with_plans(app, make_world(app))
    with app.app_context():
        day = db.session.get_one(Plan, world.plan_id).days[0]
        day.duration_s = 1799.6
        day.targets = [
            {
                "step_index": 0,
                "part": "step",
                "intensity": [0.85, 0.9],
                "pace_s_per_km": [299.6, 330.4],
                "hr_bpm": [150.4, 160.6],
            },
            {
                "step_index": 1,
                "part": "on",
                "intensity": [0.0, 1.05],
                "pace_s_per_km": [239.5, None],
                "hr_bpm": None,
            },
        ]
        db.session.commit()
        date = day.date
    client = app.test_client()
    feed = Calendar.from_ical(client.get(f"/plans/ics/{world.ics_token}.ics").get_data())
    event = next(e for e in feed.walk("VEVENT") if e.decoded("dtstart") == date)
    description = str(event["description"])
    login(client, "runner")
    page = client.get(f"/plans/{world.plan_id}?week={date}").get_data(as_text=True)

    for shown in ("30:00", "5:00–5:30 /km", "4:00–… /km", "HR 150–161"):
        assert shown in page
        assert shown in description
    assert description.startswith("30:00, ")
    assert "Step 1 (step), pace 5:00–5:30 /km, HR 150–161 bpm" in description
    assert "Step 2 (on), pace 4:00–… /km" in description
    assert "4:59" not in description
    assert "3:59" not in description
    assert "29:59" not in description


def test_a_skipped_day_stays_in_the_feed_cancelled_with_its_reason(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    with app.app_context():
        day = db.session.get_one(Plan, world.plan_id).days[0]
        calendar_edits.skip_day(day, "Sore calf")
        db.session.commit()
        date, name = day.date, day.workout_name
    client = app.test_client()
    feed = Calendar.from_ical(client.get(f"/plans/ics/{world.ics_token}.ics").get_data())
    events = {e.decoded("dtstart"): e for e in feed.walk("VEVENT")}
    assert str(events[date]["summary"]) == f"Skipped (Sore calf): {name}"
    assert str(events[date]["status"]) == "CANCELLED"
    assert all("status" not in e for d, e in events.items() if d != date)


def test_the_feed_and_the_plan_page_use_the_runners_miles(app: Flask) -> None:
    """A runner who reads miles gets the feed's paces per mile and distances in miles, as
    on their plan page (5:00/km = 8:03/mi; the feed's days stay all-day dates)."""
    from smartrunning.accounts.models import User

    world = with_plans(app, make_world(app))
    with app.app_context():
        db.session.get_one(User, world.runner).units = "mi"
        day = db.session.get_one(Plan, world.plan_id).days[0]
        day.distance_m = 16093.44
        day.targets = [
            {
                "step_index": 0,
                "part": "step",
                "intensity": [0.85, 0.9],
                "pace_s_per_km": [300.0, 330.4],
                "hr_bpm": None,
            }
        ]
        db.session.commit()
        date = day.date
    client = app.test_client()
    feed = Calendar.from_ical(client.get(f"/plans/ics/{world.ics_token}.ics").get_data())
    event = next(e for e in feed.walk("VEVENT") if e.decoded("dtstart") == date)
    assert event.decoded("dtstart") == date  # a DATE: no time zone to go wrong
    description = str(event["description"])
    assert ", 10.0 mi, load" in description
    assert "pace 8:03–8:52 /mi" in description
    assert "/km" not in description
    login(client, "runner")
    page = client.get(f"/plans/{world.plan_id}?week={date}").get_data(as_text=True)
    assert "8:03–8:52 /mi" in page
