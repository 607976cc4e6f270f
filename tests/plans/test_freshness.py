"""Plans follow the runner (issue #15 item 8): a parameter changed after a plan's targets
were set marks them stale, on the page, in the API and the CLI, and a refresh resolves
the days from today on against the parameters valid on each day."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import ParameterKey, ParameterSource, Runner
from smartrunning.cli import main
from smartrunning.plans import freshness
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.platform.queue import get_queue
from tests.helpers import login, make_world, post_form, with_plans

pytestmark = pytest.mark.db

GENERATED = dt.datetime.combine(clock.today(), dt.time(12), tzinfo=dt.UTC)
"""When the plans are made: today on the app's clock, as ``PLAN_RACE_DATE`` is reckoned from
it, so that the race stays ahead whatever date the suite runs on."""


def _faster_cs(app: Flask, runner_id: int, valid_from: dt.date) -> None:
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        parameter_services.set_parameter(
            runner,
            ParameterKey.CRITICAL_SPEED,
            {"cs_mps": 4.6, "d_prime_m": 200},
            valid_from,
            source=ParameterSource.MEASURED,
            by=None,
            today=valid_from,
        )
        db.session.commit()


def _paces(app: Flask, plan_id: int, after: dt.date) -> dict[dt.date, list[object]]:
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        return {
            d.date: [t.get("pace_s_per_km") for t in d.targets or ()]
            for d in plan.days
            if d.date >= after and d.targets
        }


def test_a_fresh_plan_is_fresh_and_a_refresh_changes_nothing(app: Flask) -> None:
    with clock.clock_at(GENERATED):
        world = with_plans(app, make_world(app))
        with app.app_context():
            plan = db.session.get_one(Plan, world.plan_id)
            today = clock.today()
            assert not freshness.staleness(plan, today).stale
            # Generation and refresh resolve targets the same way.
            assert freshness.refresh_targets(plan, today) == 0


def test_a_new_cs_makes_the_targets_stale_until_refreshed(app: Flask) -> None:
    with clock.clock_at(GENERATED):
        world = with_plans(app, make_world(app))
    later = GENERATED + dt.timedelta(days=3)
    changed_from = later.date()
    with clock.clock_at(later):
        before = _paces(app, world.plan_id, changed_from)
        _faster_cs(app, world.runner_id, changed_from)
        coach = app.test_client()
        login(coach, "coach")
        page = coach.get(f"/plans/{world.plan_id}").get_data(as_text=True)
        assert 'data-testid="targets-stale"' in page
        assert f"critical speed from {changed_from:%d %b %Y}" in page
        api = coach.get(f"/api/plans/{world.plan_id}").json
        assert api["targets_stale"] == [
            {"parameter": "critical_speed", "label": "critical speed",
             "valid_from": str(changed_from)}
        ]  # fmt: skip
        # The runner sees the hint, cannot refresh (their coach plans).
        runner = app.test_client()
        login(runner, "runner")
        assert 'data-testid="targets-stale"' in runner.get(f"/plans/{world.plan_id}").get_data(
            as_text=True
        )
        refused = post_form(runner, f"/plans/{world.plan_id}/refresh-targets", {})
        assert refused.status_code == 403
        done = post_form(coach, f"/plans/{world.plan_id}/refresh-targets", {})
        assert done.status_code == 303
        after = _paces(app, world.plan_id, changed_from)
        assert set(after) == set(before)
        # Faster CS: every pace target from the change on is faster; none before it moved.
        for day, paces in after.items():
            for new, old in zip(paces, before[day], strict=True):
                if old is not None:
                    assert new is not None, day
                    assert new[0] < old[0], day  # type: ignore[index]
        page = coach.get(f"/plans/{world.plan_id}").get_data(as_text=True)
        assert 'data-testid="targets-stale"' not in page
        assert coach.get(f"/api/plans/{world.plan_id}").json["targets_stale"] == []


def test_refresh_through_the_api_and_the_cli(app: Flask) -> None:
    with clock.clock_at(GENERATED):
        world = with_plans(app, make_world(app))
    later = GENERATED + dt.timedelta(days=2)
    with clock.clock_at(later):
        _faster_cs(app, world.runner_id, later.date())
        from tests.accounts.tokens import bearer, create_token

        token = create_token(app, "coach")
        api = app.test_client()
        answer = api.post(f"/api/plans/{world.plan_id}/refresh-targets", headers=bearer(token))
        assert answer.status_code == 200, answer.json
        assert answer.json["days_changed"] > 0
        assert answer.json["targets_stale"] == []
        again = api.post(f"/api/plans/{world.plan_id}/refresh-targets", headers=bearer(token))
        assert again.json["days_changed"] == 0
        runner_token = create_token(app, "runner")
        assert (
            api.post(
                f"/api/plans/{world.plan_id}/refresh-targets", headers=bearer(runner_token)
            ).status_code
            == 403
        )
        other = create_token(app, "othercoach")
        assert (
            api.post(
                f"/api/plans/{world.plan_id}/refresh-targets", headers=bearer(other)
            ).status_code
            == 404
        )
        runner = app.test_cli_runner()
        result = runner.invoke(main, ["plan", "refresh-targets", str(world.plan_id), "--json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output) == {
            "plan_id": world.plan_id, "days_changed": 0, "targets_stale": []
        }  # fmt: skip
        missing = runner.invoke(main, ["plan", "refresh-targets", "999999"])
        assert missing.exit_code == 1
        assert "999999" in missing.output


def test_coaches_are_told_of_stale_plans_once_each_morning(app: Flask) -> None:
    from smartrunning.notifications.models import Notification, NotificationKind

    with clock.clock_at(GENERATED):
        world = with_plans(app, make_world(app))
    later = GENERATED + dt.timedelta(days=3)
    with clock.clock_at(later):
        with app.app_context():
            assert freshness.notify_stale(later.date()) == 0  # fresh: nobody told
        _faster_cs(app, world.runner_id, later.date())
        with app.app_context():
            assert freshness.notify_stale(later.date()) == 1  # Rita's plan
            freshness.notify_stale(later.date())  # the next morning's run: told once
            told = db.session.execute(
                sa.select(Notification.user_id, Notification.link, Notification.body).where(
                    Notification.kind == NotificationKind.STALE_PLAN
                )
            ).all()
            assert [(u, link) for u, link, _ in told] == [
                (world.coach, f"/plans/{world.plan_id}#stale-from-{later.date()}")
            ]
            assert "critical speed from" in told[0][2]
            plan = db.session.get_one(Plan, world.plan_id)
            freshness.refresh_targets(plan, later.date())
            db.session.commit()
            assert freshness.notify_stale(later.date()) == 0
            periodic = get_queue().huey._registry._periodic_tasks
            assert "stale_plans" in {task.__name__ for task in periodic}
