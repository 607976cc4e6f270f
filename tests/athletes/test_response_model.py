"""The runner's response model in the API and the CLI: population values and why for a
runner without the data, fitted parameters for one whose races follow the load."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.athletes.models import BestKind, BestSource, PersonalBest, Runner
from smartrunning.cli import main
from smartrunning.plans import response as plan_response
from smartrunning.plans.models import StoredResponseModel
from smartrunning.platform.db import db
from smartrunning.science.response import ResponseFit
from tests.athletes.response_data import FIRST, TRUE, with_history_and_races
from tests.helpers import WRITTEN_ON, login, make_world

pytestmark = pytest.mark.usefixtures("on_written_day")


def test_population_values_and_why_without_training_history(app: Flask, client: object) -> None:
    world = make_world(app)
    login(client, "runner")  # type: ignore[arg-type]
    data = client.get(f"/api/runners/{world.runner_id}/response-model").get_json()  # type: ignore[attr-defined]
    assert data["fitted"] is False
    # The world's 5 km of 2026-05-01 lies before any recorded training.
    assert data["reason"] == (
        "0 performances over 0 days; a fit needs at least 6 over at least 84 days "
        "(1 more outside the training history)"
    )
    assert data["summary"].startswith("population values (τ1 = 42 d, τ2 = 7 d, k2 = 2 × k1): ")
    assert data["parameters"]["tau1_d"] == pytest.approx(42.0)
    assert data["intervals"] == {"k1": None, "k2": None, "tau1_d": None, "tau2_d": None}
    other = client.get(f"/api/runners/{world.other_runner_id}/response-model")  # type: ignore[attr-defined]
    assert other.status_code == 404


def test_fitted_from_races_that_follow_the_load(app: Flask, client: object) -> None:
    world = make_world(app)
    with_history_and_races(app, world.runner_id)
    login(client, "coach")  # type: ignore[arg-type]
    data = client.get(f"/api/runners/{world.runner_id}/response-model").get_json()  # type: ignore[attr-defined]
    assert data["fitted"] is True, data["reason"]
    # 33 races and the world's 5 km of 2026-05-01 (20:00, off the model: kept, the fit
    # still holds).
    assert data["performances"] == 34
    assert data["parameters"]["tau1_d"] == pytest.approx(TRUE.tau1_d, rel=0.25)
    assert data["parameters"]["k2"] / data["parameters"]["k1"] == pytest.approx(2.4, rel=0.3)
    low, high = data["intervals"]["tau1_d"]
    assert low <= data["parameters"]["tau1_d"] <= high
    assert data["held_out_rmse_vdot"]["fitted"] < data["held_out_rmse_vdot"]["population"]
    assert data["summary"].startswith("fitted (τ1 = ")
    assert "from 34 performances over 672 days, RMSE " in data["summary"]


def test_cli_shows_the_model_and_refuses_an_unknown_runner(app: Flask) -> None:
    world = make_world(app)
    with_history_and_races(app, world.runner_id)
    cli = app.test_cli_runner()
    text = cli.invoke(main, ["runner", "response-model", str(world.runner_id)])
    assert text.exit_code == 0, text.output
    assert text.output.startswith("Response model: fitted (τ1 = ")
    as_json = cli.invoke(main, ["runner", "response-model", str(world.other_runner_id), "--json"])
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["fitted"] is False
    missing = cli.invoke(main, ["runner", "response-model", "999999"])
    assert missing.exit_code == 1
    assert "No runner 999999" in missing.output


def test_profile_page_says_which_values_and_why(app: Flask, client: object) -> None:
    world = make_world(app)
    with_history_and_races(app, world.runner_id)
    login(client, "coach")  # type: ignore[arg-type]
    page = client.get(f"/runners/{world.runner_id}").get_data(as_text=True)  # type: ignore[attr-defined]
    assert "<strong>Response model:</strong>" in page
    assert '<span data-testid="response-summary">fitted (τ1 = ' in page
    assert 'data-testid="response-parameters"' in page
    assert "plans still use the population values" in page
    login(client, "admin")  # type: ignore[arg-type]
    other = client.get(f"/runners/{world.other_runner_id}").get_data(as_text=True)  # type: ignore[attr-defined]
    assert (
        '<span data-testid="response-summary">population values (τ1 = 42 d, τ2 = 7 d, '
        "k2 = 2 × k1): 0 performances over 0 days" in other
    )
    assert 'data-testid="response-parameters"' not in other


def test_inputs_history_races_measured_cs_and_steady_runs(app: Flask) -> None:
    from smartrunning.athletes import parameters as parameter_services
    from smartrunning.athletes.models import ParameterKey, ParameterSource, Runner
    from smartrunning.plans.response import response_inputs
    from smartrunning.science.critical_speed import CriticalSpeed
    from smartrunning.science.response import (
        PerformanceSource,
        critical_speed_performance,
        session_index,
    )
    from smartrunning.sessions.models import TrainingSession
    from tests.sessions.sessiondata import import_inline, run_bytes

    world = make_world(app)
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        parameter_services.set_parameter(
            runner, ParameterKey.HRREST, 50, dt.date(2024, 1, 1),
            source=ParameterSource.MEASURED, by=None, today=WRITTEN_ON,
        )  # fmt: skip
        parameter_services.set_parameter(
            runner, ParameterKey.CRITICAL_SPEED, {"cs_mps": 3.8, "d_prime_m": 200.0},
            dt.date(2025, 1, 10), source=ParameterSource.MEASURED, by=None, today=WRITTEN_ON,
        )  # fmt: skip
        db.session.commit()
    # A steady 40 min run on 2024-03-01 (its best efforts give an estimated CS the next day).
    import_inline(app, world.runner_id, [("steady.fit", run_bytes(0, duration_s=2400))])
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        run = db.session.execute(sa.select(TrainingSession)).scalars().one()
        first, loads, performances = response_inputs(runner, WRITTEN_ON)
        assert first == dt.date(2024, 3, 1)
        assert loads[0] == pytest.approx(run.load)
        assert len(loads) == (WRITTEN_ON - first).days + 1
        by_source = {p.source: p for p in performances}
        assert [p.source for p in performances] == [
            PerformanceSource.SESSION_INDEX,
            PerformanceSource.CRITICAL_SPEED,
            PerformanceSource.RACE,
        ]  # the CS estimated from the run's best effort is that effort again: left out
        hrmax = parameter_services.parameters_on(runner, run.local_date).hrmax_bpm
        assert run.avg_hr_bpm is not None
        expected = session_index(
            run.stats["grade_adjusted_speed_mps"], run.avg_hr_bpm, 50.0, hrmax,
            run.moving_time_s, run.stats["aerobic_decoupling_pct"],
        )  # fmt: skip
        assert expected is not None
        assert by_source[PerformanceSource.SESSION_INDEX].value == pytest.approx(expected)
        measured = critical_speed_performance(CriticalSpeed(3.8, 200.0), dt.date(2025, 1, 10))
        assert by_source[PerformanceSource.CRITICAL_SPEED].value == pytest.approx(measured.value)
        assert by_source[PerformanceSource.CRITICAL_SPEED].date == dt.date(2025, 1, 10)
        assert by_source[PerformanceSource.RACE].value == pytest.approx(49.8, abs=0.1)


def _stored(app: Flask, runner_id: int) -> StoredResponseModel | None:
    with app.app_context():
        return db.session.get(StoredResponseModel, runner_id)


def _fresh(app: Flask, runner_id: int, today: dt.date = WRITTEN_ON) -> ResponseFit:
    with app.app_context():
        return plan_response.fresh_fit(db.session.get_one(Runner, runner_id), today)


def test_stored_fit_reused_until_its_inputs_change_and_same_as_a_fresh_fit(
    app: Flask, client: object, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    with_history_and_races(app, world.runner_id)
    login(client, "coach")  # type: ignore[arg-type]
    api = f"/api/runners/{world.runner_id}/response-model"
    fits = plan_response.FITS.count
    first = client.get(api).get_json()  # type: ignore[attr-defined]
    assert first["fitted"] is True
    assert plan_response.FITS.count == fits + 1
    stored = _stored(app, world.runner_id)
    assert stored is not None
    # The profile page, the API and the CLI read the stored fit: no fit.
    page = client.get(f"/runners/{world.runner_id}").get_data(as_text=True)  # type: ignore[attr-defined]
    assert '<span data-testid="response-summary">fitted (τ1 = ' in page
    assert client.get(api).get_json() == first  # type: ignore[attr-defined]
    cli = app.test_cli_runner().invoke(
        main, ["runner", "response-model", str(world.runner_id), "--json"]
    )
    assert json.loads(cli.output) == first
    # A day later with nothing new: the loads after the last race change nothing.
    set_today(WRITTEN_ON + dt.timedelta(days=1))
    assert client.get(api).get_json() == first  # type: ignore[attr-defined]
    assert plan_response.FITS.count == fits + 1
    # The stored fit is the fit of the same inputs now, to the last bit (intervals too).
    assert plan_response.fit_from_json(stored.result) == _fresh(app, world.runner_id)
    # A new race before the last one changes the inputs: fitted again, once.
    set_today(WRITTEN_ON)
    with app.app_context():
        db.session.add(
            PersonalBest(
                runner_id=world.runner_id, distance_m=10000.0, time_s=2700.0,
                date=FIRST + dt.timedelta(days=300), source=BestSource.MANUAL,
                kind=BestKind.RACE, anchor=True,
            )
        )  # fmt: skip
        db.session.commit()
    fits = plan_response.FITS.count
    again = client.get(api).get_json()  # type: ignore[attr-defined]
    assert again["performances"] == first["performances"] + 1
    assert plan_response.FITS.count == fits + 1
    client.get(f"/runners/{world.runner_id}")  # type: ignore[attr-defined]
    assert plan_response.FITS.count == fits + 1
    renewed = _stored(app, world.runner_id)
    assert renewed is not None
    assert renewed.fingerprint != stored.fingerprint


def test_a_new_session_refits_and_deleting_it_refits_again(app: Flask, client: object) -> None:
    from smartrunning.athletes import parameters as parameter_services
    from smartrunning.athletes.models import ParameterKey, ParameterSource
    from smartrunning.sessions.actions import delete_session_by_id, restore_session_by_id
    from smartrunning.sessions.models import TrainingSession
    from tests.sessions.sessiondata import import_inline, run_bytes

    world = make_world(app)
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        parameter_services.set_parameter(
            runner, ParameterKey.HRREST, 50, dt.date(2024, 1, 1),
            source=ParameterSource.MEASURED, by=None, today=WRITTEN_ON,
        )  # fmt: skip
        db.session.commit()
    login(client, "runner")  # type: ignore[arg-type]
    api = f"/api/runners/{world.runner_id}/response-model"
    fits = plan_response.FITS.count
    empty = client.get(api).get_json()  # type: ignore[attr-defined]
    assert empty["performances"] == 0
    client.get(api)  # type: ignore[attr-defined]
    assert plan_response.FITS.count == fits + 1
    # A steady run (an index) and its history: new inputs, fitted again once.
    import_inline(app, world.runner_id, [("steady.fit", run_bytes(0, duration_s=2400))])
    with_run = client.get(api).get_json()  # type: ignore[attr-defined]
    assert with_run["performances"] == 2  # the run's index and the world's race after it
    client.get(f"/runners/{world.runner_id}")  # type: ignore[attr-defined]
    assert plan_response.FITS.count == fits + 2
    stored = _stored(app, world.runner_id)
    assert stored is not None
    assert plan_response.fit_from_json(stored.result) == _fresh(app, world.runner_id)
    # Deleted (softly, recomputed): the inputs are those of before, fitted again.
    with app.app_context():
        session_id = db.session.execute(sa.select(TrainingSession.id)).scalar_one()
        delete_session_by_id(session_id)
        inputs = plan_response.response_inputs(
            db.session.get_one(Runner, world.runner_id), WRITTEN_ON
        )
        assert [p.source.value for p in inputs[2]] == ["race"]  # the deleted run's index gone
    assert client.get(api).get_json() == empty  # type: ignore[attr-defined]
    assert plan_response.FITS.count == fits + 4  # the fresh fit above, and this one
    # Restored: the run counts again.
    with app.app_context():
        restore_session_by_id(session_id)
    assert client.get(api).get_json() == with_run  # type: ignore[attr-defined]
    assert plan_response.FITS.count == fits + 5
    # Deleting the runner deletes their stored model (ON DELETE CASCADE).
    from smartrunning.coaching.actions import delete_runner

    with app.app_context():
        delete_runner(db.session.get_one(Runner, world.runner_id))
        db.session.commit()
        assert db.session.execute(sa.select(StoredResponseModel)).scalars().all() == []
