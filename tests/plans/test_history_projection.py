"""The daily history projected past the last session: rest days to today, then the planned
load of the runner's plans, on the page, the API and the CLI."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas, projection
from smartrunning.plans.models import (
    Plan,
    PlanDay,
)
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.science import history as history_science
from smartrunning.sessions import history as history_services
from smartrunning.sessions.models import HistoryDay
from tests.helpers import login, make_world
from tests.sessions.sessiondata import import_inline, run_bytes

pytestmark = pytest.mark.db


def _plan(runner: Runner, race: dt.date, weeks: int = 4) -> Plan:
    plan_schemas.load_default_schemas()
    schema = plan_schemas.schema_by_name("10 km")
    request = plan_services.GenerateRequest(race, 10000.0, weeks)
    return plan_services.save_plan(runner, schema, request, created_by=None)


def _loads_by_day(plan: Plan) -> dict[dt.date, float]:
    totals: dict[dt.date, float] = {}
    for day in plan.days:
        totals[day.date] = totals.get(day.date, 0.0) + day.load
    return totals


def test_projection_continues_the_model_over_the_planned_loads(app: Flask) -> None:
    world = make_world(app)
    import_inline(
        app,
        world.runner_id,
        [(f"{i}.fit", run_bytes(i, duration_s=2400, seed=i)) for i in (0, 2, 5)],
    )
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        stored = list(
            db.session.execute(
                sa.select(HistoryDay)
                .where(HistoryDay.runner_id == runner.id)
                .order_by(HistoryDay.day)
            ).scalars()
        )
        last_stored = stored[-1].day
        race = last_stored + dt.timedelta(days=60)
        plan = _plan(runner, race)
        db.session.commit()
        today = plan.start_date + dt.timedelta(days=3)  # the plan's first days are past
        days = history_services.daily_series(runner, date_to=race, today=today, plans=projection)

        assert [d["projected"] for d in days] == [False] * len(stored) + [True] * (
            race - last_stored
        ).days
        assert days[-1]["day"] == race
        planned = _loads_by_day(plan)
        for d in days[len(stored) :]:
            expected = planned.get(d["day"], 0.0) if d["day"] > today else 0.0
            assert d["load"] == pytest.approx(expected), d["day"]
        assert any(d["load"] > 0 for d in days[len(stored) :])
        # The same as running the model from the first day over stored + projected loads.
        loads = np.array([d["load"] for d in days])
        whole = history_science.daily_history(loads, days[0]["day"])
        for i, d in enumerate(days):
            assert d["ctl"] == pytest.approx(float(whole.ctl[i]), rel=1e-9, abs=1e-9)
            assert d["atl"] == pytest.approx(float(whole.atl[i]), rel=1e-9, abs=1e-9)
        # Without a today, nothing is planned: rest days only, so less fitness on race day.
        rest = history_services.daily_series(runner, date_to=race)
        assert all(d["load"] == 0 for d in rest[len(stored) :])
        assert rest[-1]["ctl"] < days[-1]["ctl"]


def test_the_plan_generated_last_wins_where_two_overlap(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        today = dt.date(2030, 1, 1)
        first = _plan(runner, today + dt.timedelta(days=40), weeks=5)
        db.session.commit()
        second = _plan(runner, today + dt.timedelta(days=30), weeks=3)
        db.session.commit()
        loads = dict(projection.planned_loads(runner, after=today, until=first.race_date))
        for day, load in loads.items():
            if second.start_date <= day <= second.race_date:
                assert load == pytest.approx(_loads_by_day(second)[day])
            else:
                assert load == pytest.approx(_loads_by_day(first)[day])
        assert max(loads) == first.race_date  # after the second race, the first plan again
        assert projection.projection_end(runner, today) == first.race_date
        # No sessions yet: the projection starts from rest after today.
        days = history_services.daily_series(
            runner, date_to=first.race_date, today=today, plans=projection
        )
        assert days[0]["day"] == today + dt.timedelta(days=1)
        assert all(d["projected"] for d in days)
        assert db.session.execute(sa.select(sa.func.count(PlanDay.id))).scalar_one() > 0


def test_history_page_and_api_show_the_planned_days_to_race_day(app: Flask) -> None:
    world = make_world(app)
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0, duration_s=2400, seed=1))])
    today = clock.today()
    race = today + dt.timedelta(days=35)
    with app.app_context():
        _plan(db.session.get_one(Runner, world.runner_id), race)
        db.session.commit()
    client = app.test_client()
    login(client, "runner")
    page = client.get(f"/runners/{world.runner_id}/history").get_data(as_text=True)
    assert 'data-testid="history-race-day"' in page
    assert f"Planned to {race.isoformat()}" in page
    api = client.get(f"/api/runners/{world.runner_id}/history?to={race.isoformat()}").json
    assert api["days"][-1]["day"] == race.isoformat()
    assert api["days"][-1]["projected"] is True
    assert api["days"][0]["projected"] is False
    future = [d for d in api["days"] if d["day"] > today.isoformat()]
    assert sum(d["load"] for d in future) > 0


def test_history_api_answer_is_what_its_schema_would_dump(app: Flask) -> None:
    """The history answer skips marshmallow's dump for speed; it must still be exactly what
    the documented schema (HistoryOut) gives, projected days and weeks included."""
    from smartrunning.sessions.api import HistoryOut

    world = make_world(app)
    import_inline(
        app,
        world.runner_id,
        [(f"{i}.fit", run_bytes(i, duration_s=2400, seed=i)) for i in (0, 3, 9)],
    )
    today = clock.today()
    race = today + dt.timedelta(days=30)
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        _plan(runner, race)
        db.session.commit()
        expected = HistoryOut().dump(
            {
                "days": history_services.daily_series(
                    runner, date_to=race, today=today, plans=projection
                ),
                "weeks": [
                    w.as_dict() for w in history_services.weekly_volume(runner, date_to=race)
                ],
            }
        )
    client = app.test_client()
    login(client, "runner")
    answer = client.get(f"/api/runners/{world.runner_id}/history?to={race.isoformat()}")
    assert answer.status_code == 200
    assert answer.mimetype == "application/json"
    assert answer.json == expected
    assert len(expected["days"]) > 30
    assert any(d["projected"] for d in expected["days"])
    assert len(expected["weeks"]) >= 1
    # Same keys, same JSON types (a float stays a float, a date an ISO string).
    for got, want in zip(answer.json["days"], expected["days"], strict=True):
        assert {k: type(v) for k, v in got.items()} == {k: type(v) for k, v in want.items()}


def test_the_state_after_the_last_stored_day_runs_rest_days(app: Flask) -> None:
    """Past the stored history, fitness and fatigue decay as rest days do (X · e^(−k/τ)),
    rather than starting again from zero (a plan starting tomorrow was planned from 0)."""
    world = make_world(app)
    import_inline(app, world.runner_id, [(f"{i}.fit", run_bytes(i, seed=i)) for i in range(10)])
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        last = db.session.execute(
            sa.select(HistoryDay)
            .where(HistoryDay.runner_id == runner.id)
            .order_by(HistoryDay.day.desc())
            .limit(1)
        ).scalar_one()
        assert last.ctl > 5
        for k in (0, 1, 30):
            state = history_services.state_before(runner, last.day + dt.timedelta(days=k + 1))
            assert state.ctl == pytest.approx(last.ctl * np.exp(-k / 42), rel=1e-9)
            assert state.atl == pytest.approx(last.atl * np.exp(-k / 7), rel=1e-9)
        assert history_services.state_before(
            runner, last.day + dt.timedelta(days=8)
        ).recent_load == ((0.0,) * 7)
        first = db.session.execute(
            sa.select(sa.func.min(HistoryDay.day)).where(HistoryDay.runner_id == runner.id)
        ).scalar_one()
        assert history_services.state_before(runner, first).ctl == 0.0


def test_a_plan_starts_from_the_fitness_of_its_eve_or_of_today_if_it_starts_later(
    app: Flask,
) -> None:
    world = make_world(app)
    import_inline(
        app,
        world.runner_id,
        [(f"{i}.fit", run_bytes(i, duration_s=3600, seed=i)) for i in range(28)],
    )
    with app.app_context():
        plan_schemas.load_default_schemas()
        schema = plan_schemas.schema_by_name("10 km")
        runner = db.session.get_one(Runner, world.runner_id)
        last = db.session.execute(
            sa.select(sa.func.max(HistoryDay.day)).where(HistoryDay.runner_id == runner.id)
        ).scalar_one()
        today = last + dt.timedelta(days=2)  # two rest days since the last session
        race = today + dt.timedelta(weeks=12)  # an 8-week plan starting in four weeks
        start = race - dt.timedelta(weeks=8) + dt.timedelta(days=1)

        def first_week(request: plan_services.GenerateRequest) -> float:
            plan, _ids = plan_services.generate(runner, schema, request)
            assert not any("no training history" in w.message for w in plan.warnings)
            return plan.weeks[0].target_load

        eve = history_services.state_before(runner, start)
        now = history_services.state_before(runner, today + dt.timedelta(days=1))
        assert 5 < eve.ctl < now.ctl
        body = plan_schemas.parse_row(schema)
        assert first_week(plan_services.GenerateRequest(race, 10000.0, 8)) == pytest.approx(
            max(7 * eve.ctl, body.load_cap.min_weekly)
        )
        # Made today, the plan starts from the last four weeks' mean weekly load (each
        # run's rTSS at today's CS), not from 7 · CTL (SCIENCE.md "Volume").
        profile = plan_services.runner_profile(runner, today + dt.timedelta(days=1), race)
        assert profile.recent_weekly_load is not None
        assert profile.recent_weekly_load > 7 * now.ctl  # CTL lags four weeks of running
        plan, _ids = plan_services.generate(
            runner, schema, plan_services.GenerateRequest(race, 10000.0, 8, today=today)
        )
        # Seven hours a week is more than the runner's sessions of this schema carry at
        # their longest: the plan says so and starts at what they carry.
        (above,) = [w for w in plan.warnings if w.code == "start_above_cap"]
        assert f"(the last four weeks' mean) {profile.recent_weekly_load:.0f}" in above.message
        assert plan.weeks[0].target_load < profile.recent_weekly_load
        # Without sessions in the four weeks before it, the plan falls back to 7 · CTL.
        empty = plan_services.runner_profile(runner, start, race)
        assert empty.recent_weekly_load is None
        assert empty.beginner


def test_a_day_skipped_on_the_calendar_plans_no_load(app: Flask) -> None:
    from smartrunning.plans import calendar_edits

    world = make_world(app)
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        today = dt.date(2030, 1, 1)
        plan = _plan(runner, today + dt.timedelta(days=30), weeks=4)
        db.session.commit()
        before = dict(projection.planned_loads(runner, after=today, until=plan.race_date))
        day = next(d for d in plan.days if d.load > 0 and d.date > today and d.date in before)
        calendar_edits.skip_day(day, "a cold")
        db.session.commit()
        after = dict(projection.planned_loads(runner, after=today, until=plan.race_date))
        assert after.get(day.date, 0.0) == pytest.approx(before[day.date] - day.load)
        assert {d: v for d, v in after.items() if d != day.date} == {
            d: v for d, v in before.items() if d != day.date
        }
