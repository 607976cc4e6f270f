"""The calendar feed's secret address can be rotated by whoever sees the plan, and is
rotated when a coach's access to the runner ends."""

from __future__ import annotations

from flask import Flask

from smartrunning.plans.models import Plan
from smartrunning.platform.db import db
from tests.helpers import login, make_world, post_form, with_plans


def _token(app: Flask, plan_id: int) -> str:
    with app.app_context():
        return db.session.get_one(Plan, plan_id).ics_token


def test_the_runner_rotates_the_feed_address(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    feeds = app.test_client()
    old = world.ics_token
    assert feeds.get(f"/plans/ics/{old}.ics").status_code == 200
    runner = app.test_client()
    login(runner, "runner")
    rotated = post_form(runner, f"/plans/{world.plan_id}/feed")
    assert rotated.status_code == 303
    new = _token(app, world.plan_id)
    assert new != old
    assert feeds.get(f"/plans/ics/{old}.ics").status_code == 404
    assert feeds.get(f"/plans/ics/{new}.ics").status_code == 200
    page = runner.get(f"/plans/{world.plan_id}").get_data(as_text=True)
    assert new in page
    assert old not in page


def test_someone_elses_plan_feed_cannot_be_rotated(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    coach = app.test_client()
    login(coach, "coach")
    before = _token(app, world.other_plan_id)
    assert post_form(coach, f"/plans/{world.other_plan_id}/feed").status_code == 404
    assert _token(app, world.other_plan_id) == before


def test_unassigning_a_coach_ends_the_feed_addresses_they_saw(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    coach = app.test_client()
    login(coach, "coach")
    seen = _token(app, world.plan_id)
    assert seen in coach.get(f"/plans/{world.plan_id}").get_data(as_text=True)
    admin = app.test_client()
    login(admin, "admin")
    removed = post_form(
        admin, "/admin/assignments/remove", {"runner_id": world.runner_id, "coach_id": world.coach}
    )
    assert removed.status_code == 302
    feeds = app.test_client()
    assert feeds.get(f"/plans/ics/{seen}.ics").status_code == 404
    assert feeds.get(f"/plans/ics/{_token(app, world.plan_id)}.ics").status_code == 200
