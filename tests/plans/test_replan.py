"""Re-plan proposals through the actions, API, pages and CLI (``plans.replan``): made,
read, accepted (all or chosen weeks), rejected, superseded; bad input answered."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.cli import main
from smartrunning.notifications.models import Notification
from smartrunning.plans import actions as plan_services
from smartrunning.plans import replan, replan_build
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.plans.replan_models import ReplanProposal
from smartrunning.plans.response import response_inputs
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.platform.errors import Conflict, InvalidInput, NotFound
from smartrunning.science.response import POPULATION, ResponseFit, ResponseParams
from smartrunning.sessions.history import state_before
from tests.helpers import csrf_token, login, post_form
from tests.plans.replan_data import rebuild, run_week
from tests.plans.replan_world import RACE, START, WEEK_END
from tests.plans.replan_world import missed_first_week as _world

pytestmark = pytest.mark.db


@pytest.fixture
def at_week_end() -> Iterator[None]:
    with clock.clock_at(dt.datetime.combine(WEEK_END, dt.time(21, 30), tzinfo=dt.UTC)):
        yield


def _api(client: FlaskClient, path: str, body: object | None = None) -> tuple[int, dict[str, Any]]:
    token = csrf_token(client, "/")
    method = "GET" if body is None else "POST"
    response = client.open(path, method=method, json=body, headers={"X-CSRFToken": token})
    return response.status_code, response.get_json(silent=True) or {}


def _days(app: Flask, plan_id: int) -> dict[int, tuple[float, str]]:
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        return {d.id: (d.load, d.zwo) for d in plan.days}


@pytest.mark.usefixtures("at_week_end")
def test_api_propose_accept_chosen_weeks_and_bad_input(app: Flask) -> None:
    world, plan_id, other_plan_id = _world(app)
    before = _days(app, plan_id)
    coach = app.test_client()
    login(coach, "coach")
    status, body = _api(coach, f"/api/plans/{plan_id}/replan", {})
    assert status == 201, body
    proposal = body["proposal"]
    assert proposal["status"] == "proposed"
    assert proposal["cut_date"] == (WEEK_END + dt.timedelta(days=1)).isoformat()
    weeks = [w["week"] for w in proposal["weeks"]]
    assert weeks[0] == 2
    assert "week 1 was 100 % under plan" in proposal["weeks"][0]["text"]
    assert all("zwo" not in d["after"] for d in proposal["days"])
    assert _days(app, plan_id) == before  # nothing changes until accepted
    assert _api(coach, f"/api/plans/{plan_id}/replan")[1]["proposal"]["id"] == proposal["id"]
    pid = proposal["id"]
    accept = f"/api/plans/{plan_id}/replan/{pid}/accept"
    # Bad input: weeks not proposed, none, out of range, not numbers; unknown proposals.
    assert _api(coach, accept, {"weeks": [1]})[0] == 422
    assert _api(coach, accept, {"weeks": []})[0] == 422
    assert _api(coach, accept, {"weeks": [0]})[0] == 422
    assert _api(coach, accept, {"weeks": ["x"]})[0] == 422
    assert _api(coach, f"/api/plans/{plan_id}/replan/999999/accept", {})[0] == 404
    assert _api(coach, f"/api/plans/{plan_id}/replan/0/reject", {})[0] == 404
    assert _api(coach, f"/api/plans/{other_plan_id}/replan", {})[0] == 404
    runner = app.test_client()
    login(runner, "runner")
    assert _api(runner, accept, {})[0] == 403
    assert _api(runner, f"/api/plans/{plan_id}/replan")[0] == 200
    # Take the first proposed week only.
    status, body = _api(coach, accept, {"weeks": [weeks[0]]})
    assert status == 200, body
    assert body["proposal"]["status"] == "accepted"
    assert body["proposal"]["accepted_weeks"] == [weeks[0]]
    after = _days(app, plan_id)
    changed_ids = {d["day_id"] for d in proposal["days"] if d["week"] == weeks[0]}
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        for day in plan.days:
            if day.id in changed_ids:
                assert after[day.id] != before[day.id]
                assert day.load < before[day.id][0]
                assert "Re-planned" in day.notes
            else:
                assert after[day.id] == before[day.id], day  # past days, other weeks
        # The stored projection follows the days' new loads.
        projected = {p["date"]: p["load"] for p in plan.projection["days"]}
        for day in plan.days:
            if day.id in changed_ids:
                assert projected[day.date.isoformat()] == pytest.approx(day.load)
        week = next(w for w in plan.projection["weeks"] if w["index"] == weeks[0] - 1)
        assert week["load"] == pytest.approx(
            sum(d.load for d in plan.days if d.week == weeks[0] - 1)
        )
        told = db.session.execute(
            sa.select(Notification).where(Notification.user_id == world.runner)
        ).scalars()
        assert any("re-planned" in n.title and "week 2" in n.body for n in told)
    # Already decided: 409, accepting or rejecting.
    assert _api(coach, accept, {})[0] == 409
    assert _api(coach, f"/api/plans/{plan_id}/replan/{pid}/reject", {})[0] == 409
    assert _api(coach, f"/api/plans/{plan_id}/replan/{pid}")[1]["proposal"]["status"] == "accepted"


@pytest.mark.usefixtures("at_week_end")
def test_reject_keeps_the_plan_and_an_edit_supersedes(app: Flask) -> None:
    world, plan_id, _ = _world(app)
    before = _days(app, plan_id)
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        plan = db.session.get_one(Plan, plan_id)
        first = replan.propose(plan, clock.today(), by=coach).proposal
        assert first is not None
        replan.reject(first, coach, clock.today())
        assert first.status == "rejected"
        assert first.decided_by == coach
        with pytest.raises(Conflict):
            replan.accept(first, coach, clock.today())
        second = replan.propose(plan, clock.today(), by=coach).proposal
        assert second is not None
        third = replan.propose(plan, clock.today(), by=coach).proposal
        assert third is not None
        assert second.status == "superseded"  # a newer proposal
        day = next(d for d in plan.days if d.date > WEEK_END + dt.timedelta(days=3))
        plan_services.edit_day(day, notes="Coach's note")
        db.session.commit()
        assert replan.pending(plan, clock.today()) is None
        assert third.status == "superseded"  # the plan was edited since
        with pytest.raises(Conflict):
            replan.accept(third, coach, clock.today())
        with pytest.raises(NotFound):
            replan.proposal_of(plan, 2**40)
    after = _days(app, plan_id)
    assert {k: v for k, v in after.items()} == before


def test_refused_before_the_plan_starts_and_in_the_race_week(app: Flask) -> None:
    _, plan_id, _ = _world(app)
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        with pytest.raises(InvalidInput, match="not started"):
            replan.propose(plan, START - dt.timedelta(days=1), by=None)
        with pytest.raises(InvalidInput, match="race week"):
            replan.propose(plan, RACE - dt.timedelta(days=2), by=None)


@pytest.mark.usefixtures("at_week_end")
def test_pages_show_the_diff_and_accept_the_weeks_ticked(app: Flask) -> None:
    _, plan_id, other_plan_id = _world(app)
    coach = app.test_client()
    login(coach, "coach")
    page = coach.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert 'data-testid="replan"' in page
    made = post_form(coach, f"/plans/{plan_id}/replan")
    assert made.status_code == 303
    page = coach.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "week 2: −" in page
    assert "week 1 was 100 % under plan" in page
    page = coach.get(f"/plans/{plan_id}/replan").get_data(as_text=True)
    assert 'data-testid="replan-accept"' in page
    with app.app_context():
        row = db.session.execute(sa.select(ReplanProposal)).scalars().one()
        pid, weeks = row.id, [w["week"] for w in row.weeks]
    accept = f"/plans/{plan_id}/replan/{pid}/accept"
    bad = post_form(coach, accept, {"choose": "1", "weeks": ["x"]})
    assert bad.status_code == 303
    wrong = post_form(coach, accept, {"choose": "1"})  # nothing ticked
    assert wrong.status_code == 303
    assert "Choose weeks" in coach.get(f"/plans/{plan_id}/replan").get_data(as_text=True)
    done = post_form(coach, accept, {"choose": "1", "weeks": [str(w) for w in weeks[:2]]})
    assert done.status_code == 303
    with app.app_context():
        row = db.session.get_one(ReplanProposal, pid)
        assert (row.status, row.accepted_weeks) == ("accepted", weeks[:2])
    runner = app.test_client()
    login(runner, "runner")
    assert post_form(runner, f"/plans/{plan_id}/replan").status_code == 403
    assert runner.get(f"/plans/{other_plan_id}/replan").status_code == 404
    page = runner.get(f"/plans/{plan_id}/replan").get_data(as_text=True)
    assert "Earlier proposals" in page
    assert 'data-testid="replan"' not in page


def test_cli_and_the_daily_job(app: Flask) -> None:
    _, plan_id, other_plan_id = _world(app)
    cli = app.test_cli_runner()
    day = WEEK_END.isoformat()
    out = cli.invoke(main, ["plan", "replan", "propose", str(plan_id), "--today", day, "--json"])
    assert out.exit_code == 0, out.output
    pid = json.loads(out.output)["proposal"]["id"]
    shown = cli.invoke(main, ["plan", "replan", "show", str(plan_id), "--today", day])
    assert "week 2: −" in shown.output
    bad = cli.invoke(
        main, ["plan", "replan", "accept", str(plan_id), str(pid), "--week", "1", "--today", day]
    )
    assert bad.exit_code == 1
    assert "Choose weeks" in bad.output
    unknown = cli.invoke(main, ["plan", "replan", "reject", str(other_plan_id), str(pid)])
    assert unknown.exit_code == 1
    assert "No such re-plan proposal" in unknown.output
    took = cli.invoke(
        main, ["plan", "replan", "accept", str(plan_id), str(pid), "--today", day, "--json"]
    )
    assert took.exit_code == 0, took.output
    assert json.loads(took.output)["proposal"]["status"] == "accepted"
    # The job: both plans end their first week on WEEK_END; the day before, none.
    with app.app_context():
        assert replan.propose_due_on(WEEK_END - dt.timedelta(days=1)) == (0, 0)
        seen, made = replan.propose_due_on(WEEK_END)
        db.session.commit()
        assert seen == 2
        assert made >= 1
        coaches_told = db.session.execute(
            sa.select(Notification).where(Notification.title.startswith("Re-plan proposed"))
        ).scalars()
        assert list(coaches_told)
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        assert all(isinstance(d, PlanDay) for d in plan.days)


def test_days_marked_done_count_as_run_and_partly_as_half(app: Flask) -> None:
    """Week 1 without sessions but marked done by the runner (no watch) counts as planned;
    marked partly done it counts half (here still within the caps of week 2: 1.3 × the
    four weeks' mean, 1.1 × the higher of the two weeks before)."""
    from smartrunning.plans import calendar_edits
    from smartrunning.plans.replan_build import draft

    _, plan_id, other_plan_id = _world(app)
    with app.app_context():
        for pid, mark in ((plan_id, "done"), (other_plan_id, "partly")):
            plan = db.session.get_one(Plan, pid)
            for day in plan.days:
                if day.week == 0:
                    calendar_edits.mark_day(day, mark, "no watch")
            db.session.commit()
        for pid, share in ((plan_id, 1.0), (other_plan_id, 0.5)):
            made = draft(db.session.get_one(Plan, pid), WEEK_END)
            week = made.basis["weeks_done"][-1]
            assert week["actual"] == pytest.approx(week["planned"] * share, abs=0.1)
            assert made.weeks == []
        assert replan.propose(db.session.get_one(Plan, plan_id), WEEK_END, by=None).proposal is None


@pytest.mark.usefixtures("at_week_end")
def test_regenerating_the_plan_supersedes_its_pending_proposal(app: Flask) -> None:
    world, plan_id, _ = _world(app)
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        plan = db.session.get_one(Plan, plan_id)
        row = replan.propose(plan, clock.today(), by=coach).proposal
        assert row is not None
        assert replan.pending(plan, clock.today()) is row
        plan_services.regenerate_plan(plan, keep_edited=True, today=clock.today())
        assert replan.pending(plan, clock.today()) is None
        assert row.status == "superseded"
        with pytest.raises(Conflict, match="superseded"):
            replan.accept(row, coach, clock.today())


@pytest.mark.usefixtures("at_week_end")
def test_no_change_needed_answers_200_with_the_message(app: Flask) -> None:
    """A followed week: the API answers 200 with only the message (201 is for a proposal
    made), the page flashes it and the CLI prints it (its JSON is the API's)."""
    _, plan_id, _ = _world(app)
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        first = [0.0] * 7
        for pday in plan.days:
            if pday.week == 0:
                first[(pday.date - START).days] += pday.load
        run_week(plan.runner_id, START, first)
        rebuild(plan.runner, START)
        db.session.commit()
    coach = app.test_client()
    login(coach, "coach")
    status, body = _api(coach, f"/api/plans/{plan_id}/replan", {})
    assert status == 200, body
    assert set(body) == {"message"}
    assert body["message"].startswith("No change needed: the weeks from 2026-03-09")
    made = post_form(coach, f"/plans/{plan_id}/replan")
    assert made.status_code == 303
    page = coach.get(f"/plans/{plan_id}/replan").get_data(as_text=True)
    assert "No change needed: the weeks from 2026-03-09" in page
    cli = app.test_cli_runner()
    out = cli.invoke(
        main,
        ["plan", "replan", "propose", str(plan_id), "--today", WEEK_END.isoformat(), "--json"],
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"message": body["message"]}
    with app.app_context():
        assert not db.session.execute(sa.select(ReplanProposal)).scalars().all()


def test_the_job_ends_each_plan_week_on_its_runner_s_sunday(app: Flask) -> None:
    """The hourly job proposes at 21:xx on the week's last day in the runner's zone: the
    Sydney runner (UTC+11 on 8 March 2026) at 10:30 UTC on Sunday, the Los Angeles runner
    (UTC-7, summer time from that morning) at 04:30 UTC on Monday; at 21:30 UTC on Sunday,
    neither (Monday morning in Sydney, afternoon in Los Angeles)."""
    world, _plan_id, _ = _world(app)
    with app.app_context():
        db.session.get_one(User, world.runner).time_zone = "Australia/Sydney"
        db.session.get_one(User, world.other_runner).time_zone = "America/Los_Angeles"
        db.session.commit()
        sydney = db.session.get_one(Runner, world.runner_id)
        assert replan.runner_zone(sydney) == "Australia/Sydney"

        def at(day: dt.date, hour: int) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=dt.UTC)

        monday = WEEK_END + dt.timedelta(days=1)
        assert replan.propose_due(at(WEEK_END, 21)) == (0, 0)
        assert replan.propose_due(at(WEEK_END, 9))[0] == 0  # 20:30 in Sydney
        assert replan.propose_due(at(WEEK_END, 10))[0] == 1  # 21:30 in Sydney
        assert replan.propose_due(at(monday, 4))[0] == 1  # 21:30 in Los Angeles
        assert replan.propose_due(at(monday, 5))[0] == 0
        rows = db.session.execute(sa.select(ReplanProposal)).scalars().all()
        assert sorted(r.cut_date for r in rows) == [monday, monday]
        # The runner's own zone first; a runner without a login: the coach's.
        sydney.user = None
        db.session.get_one(User, world.coach).time_zone = "Asia/Tokyo"
        assert replan.runner_zone(sydney) == "Asia/Tokyo"
        db.session.rollback()


@pytest.mark.usefixtures("at_week_end")
def test_form_uses_the_fitted_time_constants_when_the_fit_is_used(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Population: the stored history's CTL - ATL (42 and 7 d), the basis says so with the
    fit's reason; a fitted model (τ₁ = 30 d, τ₂ = 5 d): CTL and ATL over the daily loads
    with them (X_d = X_{d-1} + (L_d - X_{d-1})(1 - e^(-1/τ)), summed here by hand)."""

    _, plan_id, _ = _world(app)
    with app.app_context():
        plan = db.session.get_one(Plan, plan_id)
        cut = WEEK_END + dt.timedelta(days=1)
        made = replan_build.draft(plan, clock.today())
        state = state_before(plan.runner, cut)
        assert made.basis["ctl"] == round(state.ctl, 1)
        assert made.basis["form_model"].startswith("population constants (τ₁ = 42 d, τ₂ = 7 d): ")
        fitted = ResponseFit(
            True, "fitted", ResponseParams(50.0, POPULATION.k1, POPULATION.k2, 30.0, 5.0),
            n=6, span_d=200, rmse=0.5, r2=0.8,
        )  # fmt: skip
        monkeypatch.setattr(replan_build, "response_fit", lambda *a, **k: fitted)
        made = replan_build.draft(plan, clock.today())
        _first, loads, _ = response_inputs(plan.runner, WEEK_END)
        ctl = atl = 0.0
        for load in loads:
            ctl += (load - ctl) * (1 - math.exp(-1 / 30.0))
            atl += (load - atl) * (1 - math.exp(-1 / 5.0))
        assert made.basis["ctl"] == round(ctl, 1)
        assert made.basis["atl"] == round(atl, 1)
        assert made.basis["form"] == round(ctl - atl, 1)
        assert made.basis["form_model"] == (
            "the runner's fitted response model (τ₁ = 30 d, τ₂ = 5 d)"
        )
        assert round(state.ctl, 1) != made.basis["ctl"]
        db.session.rollback()


@pytest.mark.usefixtures("at_week_end")
def test_days_under_their_kind_s_shortest_become_the_kind_below_or_rest(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Weeks re-planned to 40 % (the floor): no day is left under its kind's shortest
    (long run 30 min, quality 25, easy 20): a long run or quality session becomes an easy
    run named so, an easy run a rest day (removed when accepted, its load to the others)."""
    from smartrunning.science.plans import replan as rules
    from smartrunning.science.plans.kinds import KIND_DURATION_S

    real = rules.replan_loads

    def floor(*args: Any, **kwargs: Any) -> list[rules.WeekLoad]:
        return [
            rules.WeekLoad(w.number, w.planned, 0.4 * w.planned, "return", ("test",))
            for w in real(*args, **kwargs)
        ]

    monkeypatch.setattr(replan_build, "replan_loads", floor)
    world, plan_id, _ = _world(app)
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        plan = db.session.get_one(Plan, plan_id)
        row = replan.propose(plan, clock.today(), by=coach).proposal
        assert row is not None
        kinds = {(d["before"]["kind"], d["after"]["kind"]) for d in row.days}
        rests = [d for d in row.days if d["after"].get("rest")]
        easies = [d for d in row.days if "(instead of" in d["after"]["workout_name"]]
        easies = [d for d in easies if not d["after"].get("rest")]
        assert rests, kinds
        assert easies, kinds
        for d in row.days:
            after = d["after"]
            if after.get("rest"):
                assert d["before"]["kind"] in ("easy", "recovery") or after["load"] == 0
                assert after["workout_name"].startswith("Rest (instead of ")
                continue
            shortest = KIND_DURATION_S.get(after["kind"], KIND_DURATION_S["easy"])[0]
            if after["kind"] == "easy" and after["slot"] == "":
                assert after["duration_s"] >= shortest - 60, d
            name = after["workout_name"]
            if "(instead of" in name:  # a long run or quality session made an easy run
                assert d["before"]["kind"] not in ("easy", "recovery") or d["before"]["slot"]
                assert after["kind"] == "easy"
                assert not after["hard"]
                assert name.startswith("Easy run ")
        gone = {int(d["day_id"]) for d in rests}
        replan.accept(row, coach, clock.today())
        left = {d.id for d in plan.days}
        assert not gone & left
        assert (
            not db.session.execute(sa.select(PlanDay).where(PlanDay.id.in_(gone))).scalars().all()
        )
        demoted = next(d for d in plan.days if d.id == int(easies[0]["day_id"]))
        assert (demoted.kind, demoted.hard) == ("easy", False)
        assert "(instead of" in demoted.workout_name


@pytest.mark.usefixtures("at_week_end")
def test_re_planning_again_after_accepting_changes_nothing_more(app: Flask) -> None:
    """Week 1 run 40 % over: the part above 1.3 × the four weeks before comes off week 2
    once; asked again the same day after accepting, no change is needed (the rules read
    the weeks as planned before the accepted proposal of that cut-off)."""
    world, plan_id, _ = _world(app)
    with app.app_context():
        coach = db.session.get_one(User, world.coach)
        plan = db.session.get_one(Plan, plan_id)
        first = [0.0] * 7
        for pday in plan.days:
            if pday.week == 0:
                first[(pday.date - START).days] += 1.4 * pday.load
        run_week(plan.runner_id, START, first)
        rebuild(plan.runner, START)
        db.session.commit()
        row = replan.propose(plan, clock.today(), by=coach).proposal
        assert row is not None
        assert row.weeks[0]["rule"] == "extra"
        week2 = sum(d.load for d in plan.days if d.week == 1)
        replan.accept(row, coach, clock.today())
        assert sum(d.load for d in plan.days if d.week == 1) < week2 * 0.95
        again = replan.propose(plan, clock.today(), by=coach)
        assert again.proposal is None, again.proposal and again.proposal.weeks
        assert again.message.startswith("No change needed")
