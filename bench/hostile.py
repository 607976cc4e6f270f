"""What each hostile request of tests/platform/test_hostile_inputs.py costs the server.

    .venv/bin/python bench/hostile.py [--repeat 5]

Builds the tests' world (an admin, two coaches, two runners, their plans) in a fresh SQLite
database, then sends each hostile value through the app in process and prints, per request,
the answer's status, its size, the median wall time over the repeats and the peak memory
Python allocated while answering (tracemalloc). The goal (issue #17): every answer well
under a second and a few hundred MB; before the limits, `to=9999-12-31` on the history took
58 s and 462 MB. The tests check the answers; the time is measured here, not asserted.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py shares its name with a standard-library package; run as a script, this
# folder comes first on sys.path. The repository root takes its place, for tests.helpers.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import datetime as dt
import io
import logging
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from tests.accounts.tokens import bearer, create_token
from tests.database import sqlite_template
from tests.helpers import WRITTEN_ON, login, make_world, with_plans, with_sessions
from tests.settings import make_settings
from werkzeug.test import TestResponse

from smartrunning.app import create_app
from smartrunning.platform import clock

DEEP = "[" * 50_000 + "]" * 50_000


def requests_to_send(app: Flask) -> list[tuple[str, Callable[[], TestResponse]]]:
    world = with_plans(app, with_sessions(app, make_world(app)))
    coach: FlaskClient = app.test_client()
    login(coach, "coach")
    token = create_token(app, "admin")
    api = app.test_client()
    history = f"/api/runners/{world.runner_id}/history"
    far = WRITTEN_ON + dt.timedelta(days=1000)
    zwo = b'<?xml version="1.0" encoding="x-klingon"?><workout_file/>'
    return [
        ("history to=9999-12-31", lambda: coach.get(f"{history}?to=9999-12-31")),
        ("history 0001-01-01 .. today", lambda: coach.get(
            f"{history}?from=0001-01-01&to={WRITTEN_ON}")),
        ("history 10 days at the limit", lambda: coach.get(
            f"{history}?from={far - dt.timedelta(days=9)}&to={far}")),
        ("history a whole 3660 days", lambda: coach.get(
            f"{history}?from={WRITTEN_ON - dt.timedelta(days=3659)}&to={WRITTEN_ON}")),
        ("sessions page 2**70", lambda: coach.get(
            f"/api/runners/{world.runner_id}/sessions?page={2**70}")),
        ("plan calendar month=9999-12", lambda: coach.get(f"/plans/{world.plan_id}?month=9999-12")),
        ("profile on=9999-12-31", lambda: coach.get(
            f"/api/runners/{world.runner_id}/profile?on=9999-12-31")),
        ("ZWO in an unknown encoding", lambda: api.post(
            "/api/workouts/import", data={"files": (io.BytesIO(zwo), "odd.zwo")},
            content_type="multipart/form-data", headers=bearer(token))),
        ("JSON nested 50,000 deep", lambda: api.post(
            "/api/runners", data=DEEP, content_type="application/json", headers=bearer(token))),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        template = sqlite_template(base / "db")
        app = create_app(make_settings(base / "instance", template.url_for(base)))
        with clock.clock_at(dt.datetime.combine(WRITTEN_ON, dt.time(12), dt.UTC)):
            sends = requests_to_send(app)
            print(f"{'request':32} {'status':>6} {'bytes':>9} {'median ms':>10} {'peak MB':>8}")
            for name, send in sends:
                times, peak, response = [], 0, None
                for _ in range(args.repeat):
                    tracemalloc.start()
                    started = time.perf_counter()
                    response = send()
                    times.append(time.perf_counter() - started)
                    peak = max(peak, tracemalloc.get_traced_memory()[1])
                    tracemalloc.stop()
                assert response is not None
                print(
                    f"{name:32} {response.status_code:>6} {len(response.get_data()):>9} "
                    f"{statistics.median(times) * 1000:>10.1f} {peak / 2**20:>8.1f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
