"""Steady runs with heart rate on a known line (HR = INTERCEPT + SLOPE · speed), for the
runner's HR–speed line behind the plans' heart rates."""

from __future__ import annotations

import datetime as dt

import numpy as np
from flask import Flask

from smartrunning.platform import clock
from smartrunning.science.records import Records
from tests.core.fitwriter import Segment, encode_activity
from tests.sessions.sessiondata import import_inline

SLOPE, INTERCEPT = 30.0, 60.0


def steady_run(start: dt.datetime, speed: float, seed: int) -> bytes:
    """40 min at 1 Hz on the flat: 10 min at 85 % of ``speed``, then ``speed``, with heart
    rate on the line HR = 60 + 30 · speed."""
    rng = np.random.default_rng(seed)
    n = 2400
    t = np.arange(n, dtype=np.float64)
    v = np.where(t < 600, 0.85 * speed, speed) * (1 + rng.normal(0, 0.01, n))
    hr = INTERCEPT + SLOPE * np.where(t < 600, 0.85 * speed, speed) + rng.normal(0, 1.0, n)
    distance = np.concatenate([[0.0], np.cumsum(v[:-1])])
    return encode_activity(
        [
            Segment(
                Records(
                    timestamp_s=start.timestamp() + t,
                    elapsed_s=t,
                    distance_m=distance,
                    speed_mps=v,
                    heart_rate_bpm=np.round(hr),
                    cadence_spm=np.full(n, 170.0),
                    altitude_m=np.full(n, 40.0),
                    latitude_deg=np.full(n, 52.09),
                    longitude_deg=5.12 + distance / 68_000.0,
                    power_w=np.zeros(n),
                )
            )
        ]
    )


def import_steady_runs(app: Flask, runner_id: int) -> None:
    """Four steady runs (2.6 to 3.5 m/s) on the 3rd, 5th, 7th and 9th days before the
    clock's today."""
    today = clock.today()
    files = []
    for k, speed in enumerate((2.6, 2.9, 3.2, 3.5)):
        day = today - dt.timedelta(days=3 + 2 * k)
        start = dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=dt.UTC)
        files.append((f"steady{k}.fit", steady_run(start, speed, k)))
    import_inline(app, runner_id, files)
