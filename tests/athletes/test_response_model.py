"""The runner's response model in the API and the CLI: population values and why for a
runner without the data, fitted parameters for one whose races follow the load."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from flask import Flask

from smartrunning.athletes.models import BestKind, BestSource, PersonalBest
from smartrunning.cli import main
from smartrunning.platform.db import db
from smartrunning.science.history import HistoryParams, daily_history
from smartrunning.science.predictions import vdot_time_s
from smartrunning.science.response import K_VDOT_PER_LOAD, ResponseParams, predict
from smartrunning.sessions.history import HISTORY_VERSION
from smartrunning.sessions.models import HistoryDay
from tests.helpers import WRITTEN_ON, login, make_world

pytestmark = pytest.mark.usefixtures("on_written_day")

TRUE = ResponseParams(42.0, 1.25 * K_VDOT_PER_LOAD, 3.0 * K_VDOT_PER_LOAD, 30.0, 10.0)
FIRST = WRITTEN_ON - dt.timedelta(days=729)


def _loads() -> np.ndarray:
    rng = np.random.default_rng(3)
    d = np.arange(730)
    week = np.array([0.0, 60.0, 40.0, 70.0, 0.0, 50.0, 110.0])
    off = np.where(d % 365 >= 330, 0.15, 1.0)
    return week[d % 7] * (0.8 + 0.4 * np.sin(d / 120.0)) * off * rng.uniform(0.7, 1.3, 730)


def _with_history_and_races(app: Flask, runner_id: int) -> None:
    """Two years of stored history and a 5 km race every 3 weeks, run as the model with
    ``TRUE`` says, ±0.3 VDOT."""
    loads = _loads()
    history = daily_history(loads, FIRST, params=HistoryParams())
    rng = np.random.default_rng(4)
    days = [FIRST + dt.timedelta(days=k) for k in range(40, 729, 21)]
    levels = predict(TRUE, loads, FIRST, days) + rng.normal(0.0, 0.3, len(days))
    with app.app_context():
        db.session.execute(
            HistoryDay.__table__.insert(),
            [
                {
                    "runner_id": runner_id,
                    "day": history.day(i),
                    "load": float(history.load[i]),
                    "ctl": float(history.ctl[i]),
                    "atl": float(history.atl[i]),
                    "form": float(history.form[i]),
                    "performance": float(history.performance[i]),
                    "ramp": float(history.ramp[i]),
                    "monotony": None,
                    "strain": None,
                    "g": float(history.g[i]),
                    "h": float(history.h[i]),
                    "version": HISTORY_VERSION,
                }
                for i in range(len(history))
            ],
        )
        for day, level in zip(days, levels, strict=True):
            db.session.add(
                PersonalBest(
                    runner_id=runner_id,
                    distance_m=5000.0,
                    time_s=vdot_time_s(float(level), 5000.0),
                    date=day,
                    source=BestSource.MANUAL,
                    kind=BestKind.RACE,
                    anchor=True,
                )
            )
        db.session.commit()


def test_population_values_and_why_without_training_history(app: Flask, client: object) -> None:
    world = make_world(app)
    login(client, "runner")  # type: ignore[arg-type]
    data = client.get(f"/api/runners/{world.runner_id}/response-model").get_json()  # type: ignore[attr-defined]
    assert data["fitted"] is False
    # The world's 5 km of 2026-05-01 lies before any recorded training.
    assert data["reason"] == (
        "0 performances over 0 days; a fit needs at least 6 over at least 84 days "
        "(1 more lie outside the training history)"
    )
    assert data["summary"].startswith("population values (τ1 = 42 d, τ2 = 7 d, k2 = 2 × k1): ")
    assert data["parameters"]["tau1_d"] == pytest.approx(42.0)
    assert data["intervals"] == {"k1": None, "k2": None, "tau1_d": None, "tau2_d": None}
    other = client.get(f"/api/runners/{world.other_runner_id}/response-model")  # type: ignore[attr-defined]
    assert other.status_code == 404


def test_fitted_from_races_that_follow_the_load(app: Flask, client: object) -> None:
    world = make_world(app)
    _with_history_and_races(app, world.runner_id)
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
    _with_history_and_races(app, world.runner_id)
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
    _with_history_and_races(app, world.runner_id)
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
