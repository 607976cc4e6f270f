"""The profile page of a runner with ten years of steady runs: fitting the response model
on every view (before) against the stored fit (after).

    .venv/bin/python bench/response_profile.py [--years 10] [--requests 5]

Seeds a fresh SQLite database (``smartrunning init`` in a temporary folder) with one coach
and one runner (HRrest 50, so that steady runs give the aerobic index) and a session every
day for ``--years`` years: one real import, then copies of its row with other dates, a
load following a weekly pattern and 4-week blocks, and an average speed that moves with
a Banister model of that load (τ₁ 30 d, τ₂ 10 d) plus noise, so the index follows the load
and the fit is used (the slow path: cross-validation and 100 bootstrap resamples).

Then, through the Flask test client as the logged-in coach, the median of ``--requests``
GETs of ``/runners/<id>`` and of ``/api/runners/<id>/response-model``:

- before: the stored fit deleted before each request, so each one fits (as every view did
  before the fit was stored);
- after: the stored fit in place (the first request after the seed stored it), inputs
  gathered and fingerprinted, no fit.

Prints both medians and the number of fits each series ran (``plans.response.FITS``).
"""

from __future__ import annotations

import sys
from pathlib import Path

# The repository root first, for the test-data generator (``tests.core.fitgen``).
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import datetime as dt
import os
import re
import secrets
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable

import numpy as np
import sqlalchemy as sa
from tests.core import fitgen

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import Role
from smartrunning.app import create_app
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import ParameterKey, ParameterSource, Runner, Sex
from smartrunning.plans import response as plan_response
from smartrunning.plans.models import StoredResponseModel
from smartrunning.platform.config import load_settings
from smartrunning.platform.db import db
from smartrunning.science.predictions import vo2_ml_kg_min
from smartrunning.science.response import K_VDOT_PER_LOAD, ResponseParams, predict
from smartrunning.sessions import history as history_services
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions import uploads
from smartrunning.sessions.models import TrainingSession

PASSWORD = "bench passphrase 1"
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
TRUE = ResponseParams(0.0, 1.25 * K_VDOT_PER_LOAD, 3.0 * K_VDOT_PER_LOAD, 30.0, 10.0)
_WEEK = np.array([0.4, 1.0, 0.7, 1.2, 0.4, 0.8, 1.8])


def _speed_for_vo2(target: float) -> float:
    """The speed whose running cost is ``target`` ml/kg/min (bisection)."""
    low, high = 1.0, 8.0
    for _ in range(60):
        mid = (low + high) / 2
        if vo2_ml_kg_min(mid) < target:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def seed(years: int) -> tuple[int, dt.date]:
    """The coach and a runner with a session a day for ``years`` years; the runner's id."""
    app = create_app(load_settings())
    today = dt.datetime.now(dt.UTC).date()
    with app.app_context():
        coach = accounts.create_user(
            "bench-coach", PASSWORD, {Role.COACH}, must_change_password=False
        )
        runner = athlete_services.create_runner(
            "Ten Years", dt.date(1980, 5, 1), Sex.FEMALE, created_by=coach, today=today,
            onboarding_step=None,
        )  # fmt: skip
        days = 365 * years
        first = today - dt.timedelta(days=days)
        parameter_services.set_parameter(
            runner, ParameterKey.HRREST, 50, first - dt.timedelta(days=1),
            source=ParameterSource.MEASURED, by=None, today=today,
        )  # fmt: skip
        db.session.commit()
        start = dt.datetime.combine(today, dt.time(7), tzinfo=dt.UTC)
        job = uploads.create_import(
            runner, [("seed.fit", fitgen.run_file(3600, seed=1, start=start))], by=None,
            source="bench", queue=False,
        )  # fmt: skip
        import_jobs.run_inline(job.id)
        template = db.session.execute(sa.select(TrainingSession)).scalar_one()
        columns = {c.key: getattr(template, c.key) for c in sa.inspect(TrainingSession).columns}
        columns.pop("id")
        stats = dict(template.stats or {})
        stats["aerobic_decoupling_pct"] = 2.0
        rng = np.random.default_rng(1)
        d = np.arange(days)
        block = np.where(d % 28 >= 21, 0.6, 1.0 + 0.1 * (d % 28 // 7))
        season = 0.8 + 0.3 * np.sin(2 * np.pi * d / 365.0)
        loads = 60.0 * _WEEK[d % 7] * block * season * rng.uniform(0.8, 1.2, days)
        level = 45.0 + predict(TRUE, loads, first, [first + dt.timedelta(days=int(k)) for k in d])
        level += rng.normal(0.0, 1.0, days)
        hr = float(template.avg_hr_bpm or 150.0)
        hrmax = parameter_services.parameters_on(runner, today).hrmax_bpm
        hrr = (hr - 50.0) / (hrmax - 50.0)
        rows = []
        for k in range(days):
            speed = _speed_for_vo2(3.5 + (float(level[k]) - 3.5) * hrr)
            shift = dt.timedelta(days=days - k)
            rows.append(
                {
                    **columns,
                    "import_file_id": None,
                    "source_sha256": secrets.token_hex(32),
                    "start_time": template.start_time - shift,
                    "end_time": template.end_time - shift,
                    "local_date": template.local_date - shift,
                    "load": float(loads[k]),
                    "avg_speed_mps": speed,
                    "stats": {**stats, "grade_adjusted_speed_mps": speed},
                }
            )
        db.session.execute(sa.delete(TrainingSession))
        for i in range(0, len(rows), 2000):
            db.session.execute(sa.insert(TrainingSession), rows[i : i + 2000])
        db.session.commit()
        history_services.rebuild_from(runner, first)
        db.session.commit()
        runner_id = runner.id
        db.engine.dispose()
    return runner_id, today


def median_ms(get: Callable[[], int], before_each: Callable[[], None], n: int) -> tuple[float, int]:
    """Median time of ``n`` calls of ``get`` (each after ``before_each``) and the fits run."""
    times = []
    fits = plan_response.FITS.count
    for _ in range(n):
        before_each()
        started = time.perf_counter()
        status = get()
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, status
    return statistics.median(times), plan_response.FITS.count - fits


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sr-bench-response-"))
    env = {
        "SMARTRUNNING_ENV": "production",
        "SMARTRUNNING_INSTANCE": str(folder / "instance"),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SESSION_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "LOGIN_LIMIT_PER_USER": "100000 per minute",
    }
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "-m", "smartrunning", "init"],
        env={**os.environ},
        check=True,
        capture_output=True,
        cwd=folder,
    )
    started = time.perf_counter()
    runner_id, today = seed(args.years)
    print(f"seeded {args.years} years of daily runs in {time.perf_counter() - started:.1f} s")
    app = create_app(load_settings())
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True))
    assert token, "no CSRF token on the login page"
    answer = client.post(
        "/login",
        data={"username": "bench-coach", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 302, answer.status_code

    def forget() -> None:
        with app.app_context():
            db.session.execute(sa.delete(StoredResponseModel))
            db.session.commit()

    def keep() -> None:
        pass

    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        _first, loads, performances = plan_response.response_inputs(runner, today)
        fit = plan_response.fresh_fit(runner, today)
    print(
        f"inputs: {len(loads)} days of load, {len(performances)} performances; "
        f"{'fitted' if fit.fitted else 'population values'}: {fit.reason}"
    )
    pages = {
        "profile page": f"/runners/{runner_id}",
        "response-model API": f"/api/runners/{runner_id}/response-model",
    }
    print(f"median of {args.requests} requests (Flask test client, SQLite), ms:")
    print(f"{'':<20} {'before (fit per view)':>22} {'after (stored)':>15}")
    for name, path in pages.items():

        def get(path: str = path) -> int:
            return client.get(path).status_code

        before, fits_before = median_ms(get, forget, args.requests)
        get()  # stores the fit
        after, fits_after = median_ms(get, keep, args.requests)
        print(f"{name:<20} {before:>15.0f} ({fits_before} fits) {after:>8.0f} ({fits_after} fits)")


if __name__ == "__main__":
    main()
