"""A runner whose races follow the training load as a known response model says (``TRUE``):
two years of stored history and 5 km races, for the response-model tests."""

from __future__ import annotations

import datetime as dt

import numpy as np
from flask import Flask

from smartrunning.athletes.models import BestKind, BestSource, PersonalBest
from smartrunning.platform.db import db
from smartrunning.science.history import HistoryParams, daily_history
from smartrunning.science.predictions import vdot_time_s
from smartrunning.science.response import K_VDOT_PER_LOAD, ResponseParams, predict
from smartrunning.sessions.history import HISTORY_VERSION
from smartrunning.sessions.models import HistoryDay
from tests.helpers import WRITTEN_ON

TRUE = ResponseParams(42.0, 1.25 * K_VDOT_PER_LOAD, 3.0 * K_VDOT_PER_LOAD, 30.0, 10.0)
FIRST = WRITTEN_ON - dt.timedelta(days=729)


def _loads() -> np.ndarray:
    rng = np.random.default_rng(3)
    d = np.arange(730)
    week = np.array([0.0, 60.0, 40.0, 70.0, 0.0, 50.0, 110.0])
    off = np.where(d % 365 >= 330, 0.15, 1.0)
    return week[d % 7] * (0.8 + 0.4 * np.sin(d / 120.0)) * off * rng.uniform(0.7, 1.3, 730)


def with_history_and_races(app: Flask, runner_id: int) -> None:
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
