"""Pages that default to "today" take the reader's day, not UTC's (issue #19 item 7):
at 23:30 UTC on 6 December it is already 7 December in Berlin."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts.models import User
from smartrunning.platform import clock
from smartrunning.platform.db import db
from tests.helpers import login, make_world, post_form, with_sessions

LATE = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)


def _zone(app: Flask, user_id: int, zone: str) -> None:
    with app.app_context():
        db.session.get_one(User, user_id).time_zone = zone
        db.session.commit()


def test_the_workout_page_resolves_on_the_readers_day(app: Flask, client: FlaskClient) -> None:
    world = make_world(app)
    login(client, "coach")

    def day_field() -> str:
        page = client.get(f"/workouts/{world.workout_id}").get_data(as_text=True)
        match = re.search(r'id="on" name="on" value="([^"]+)"', page)
        assert match is not None
        return match.group(1)

    with clock.clock_at(LATE):
        _zone(app, world.coach, "Europe/Berlin")
        berlin = day_field()
        _zone(app, world.coach, "UTC")
        utc = day_field()
    assert berlin == "2026-12-07"
    assert utc == "2026-12-06"


def test_the_history_ends_on_the_readers_day(app: Flask, client: FlaskClient) -> None:
    world = with_sessions(app, make_world(app))
    login(client, "runner")

    def today_of_history() -> str:
        page = client.get(f"/runners/{world.runner_id}/history").get_data(as_text=True)
        match = re.search(r'"today": ?"(\d{4}-\d\d-\d\d)"', page)
        assert match is not None, page
        assert 'data-testid="history-today">' in page
        return match.group(1)

    with clock.clock_at(LATE):
        _zone(app, world.runner, "Europe/Berlin")
        berlin = today_of_history()
        _zone(app, world.runner, "UTC")
        utc = today_of_history()
    assert berlin == "2026-12-07"
    assert utc == "2026-12-06"


def test_the_profile_forms_default_to_the_readers_day_and_accept_it(
    app: Flask, client: FlaskClient
) -> None:
    """A Berlin coach just after midnight: the new best and parameter forms offer 7
    December, and a best dated 7 December is taken (not refused as in the future)."""
    world = make_world(app)
    login(client, "coach")
    _zone(app, world.coach, "Europe/Berlin")
    with clock.clock_at(LATE):
        page = client.get(f"/runners/{world.runner_id}").get_data(as_text=True)
        assert re.search(r'name="date"[^>]*value="2026-12-07"', page)
        assert re.search(r'name="valid_from"[^>]*value="2026-12-07"', page)
        answer = post_form(
            client,
            f"/runners/{world.runner_id}/bests",
            {"distance_m": "5000", "time": "20:00", "date": "2026-12-07"},
        )
        assert answer.status_code == 302
        page = client.get(f"/runners/{world.runner_id}").get_data(as_text=True)
    assert "20:00.0" in page
    assert "Give a distance" not in page


def test_the_coach_dashboard_counts_days_from_the_coachs_day(
    app: Flask, client: FlaskClient
) -> None:
    world = with_sessions(app, make_world(app))
    login(client, "coach")

    def days_since_last_session() -> int:
        page = client.get("/athletes").get_data(as_text=True)
        match = re.search(
            r'\d{4}-\d\d-\d\d</a> <span class="text-body-secondary small">([^<]+)<', page
        )
        assert match is not None, page
        words = match.group(1).strip()
        return {"today": 0, "yesterday": 1}.get(words) or int(words.split()[0])

    with clock.clock_at(LATE):
        _zone(app, world.coach, "Europe/Berlin")
        berlin = days_since_last_session()
        _zone(app, world.coach, "UTC")
        utc = days_since_last_session()
    assert berlin == utc + 1
