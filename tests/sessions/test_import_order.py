"""Order never matters (issue #16 item 7): the real files of tests/data/fit and hostile ones
(clocks that jump weeks and years, a device dated 2063, a "run" at 100 m/s, heart rate of
250 bpm, a .fit.gz, the same bytes twice) imported forward, backward and shuffled, one
upload per file or all in one, give the same sessions, statuses, bests and history."""

from __future__ import annotations

import collections
import datetime as dt
import random
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.athletes.models import BestSource, PersonalBest
from smartrunning.platform.db import db
from smartrunning.sessions.models import HistoryDay, ImportFile, ImportJob, TrainingSession
from tests.core.fitgen import LOCAL_FIT_DIR, clock_jump_days, fit_files
from tests.helpers import make_runner
from tests.sessions.sessiondata import (
    dated_run_bytes,
    fast_run_bytes,
    gz,
    import_inline,
    jumped_run_bytes,
    run_bytes,
    wild_hr_run_bytes,
)

pytestmark = pytest.mark.usefixtures("on_written_day")

_YEAR_S = 365.25 * 86_400


def _files() -> list[tuple[str, bytes]]:
    real = [(p.name, p.read_bytes()) for p in fit_files(LOCAL_FIT_DIR)]
    hostile = [
        ("clock-jump-days.fit", clock_jump_days()),  # 2024-05-04: its tail 20 days ahead
        ("jump-years.fit", jumped_run_bytes(20, jump_s=2 * _YEAR_S)),
        ("jump-weeks.fit", jumped_run_bytes(24, jump_s=20 * 86_400, seed=5)),
        ("dated-2063.fit", dated_run_bytes(dt.datetime(2063, 5, 1, 7, tzinfo=dt.UTC))),
        ("rocket.fit", fast_run_bytes(22)),
        ("wild-hr.fit", wild_hr_run_bytes(26)),
        ("strava.fit.gz", gz(run_bytes(28, seed=6))),
    ]
    plain = [(f"run{day}.fit", run_bytes(day, seed=day + 1)) for day in (0, 2, 5, 9, 14, 21)]
    again = [("run5-copy.fit", run_bytes(5, seed=6))]  # the same bytes as run5.fit
    return real + hostile + plain + again


def _state(app: Flask, runner_id: int) -> dict[str, Any]:
    """What the imports made, keyed by content (never by ids or upload order)."""
    with app.app_context():
        sessions = db.session.execute(
            sa.select(TrainingSession).where(TrainingSession.runner_id == runner_id)
        ).scalars()
        by_id = {}
        rows = []
        for s in sessions:
            key = (s.source_sha256, s.segment_index)
            by_id[s.id] = key
            rows.append(
                (
                    *key,
                    s.sport,
                    s.start_time,
                    s.end_time,
                    s.local_date,
                    round(s.distance_m, 3),
                    round(s.timer_time_s, 3),
                    None if s.load is None else round(s.load, 6),
                    s.held,
                    tuple(f["code"] for f in s.flags),
                )
            )
        # Of two uploads of the same bytes one is imported and one a duplicate, whichever
        # came first: counted under one name.
        statuses = collections.Counter(
            (name.replace("-copy", ""), status.value)
            for name, status in db.session.execute(
                sa.select(ImportFile.name, ImportFile.status)
                .join(ImportJob, ImportJob.id == ImportFile.job_id)
                .where(ImportJob.runner_id == runner_id)
            ).all()
        )
        bests = sorted(
            (b.distance_m, round(b.time_s, 6), b.date, by_id.get(b.session_id or 0))
            for b in db.session.execute(
                sa.select(PersonalBest).where(
                    PersonalBest.runner_id == runner_id, PersonalBest.source == BestSource.SESSION
                )
            ).scalars()
        )
        history = [
            (d.day, round(d.load, 6), round(d.ctl, 6), round(d.atl, 6))
            for d in db.session.execute(
                sa.select(HistoryDay)
                .where(HistoryDay.runner_id == runner_id)
                .order_by(HistoryDay.day)
            ).scalars()
        ]
    return {"sessions": sorted(rows), "statuses": statuses, "bests": bests, "history": history}


def test_the_same_files_in_any_order_give_the_same_sessions_bests_and_history(
    app: Flask,
) -> None:
    files = _files()
    shuffled = files[:]
    random.Random(16).shuffle(shuffled)
    orders = {"forward": files, "backward": files[::-1], "shuffled": shuffled}
    states = {}
    for label, order in orders.items():
        runner_id = make_runner(app, f"Rita {label}")
        for name, data in order:
            import_inline(app, runner_id, [(name, data)])
        states[label] = _state(app, runner_id)
    runner_id = make_runner(app, "Rita at once")
    import_inline(app, runner_id, shuffled)
    states["one upload"] = _state(app, runner_id)

    first = states["forward"]
    for label, state in states.items():
        for part in ("sessions", "statuses", "bests", "history"):
            assert state[part] == first[part], f"{label}: {part} differ"

    # And what they are: every hostile file became a session; held ones count for nothing.
    held = {row[-1] for row in first["sessions"] if row[-2]}
    assert held == {("speed",), ("future",), ("heart_rate",)}
    days = {row[5] for row in first["sessions"] if not row[-2]}
    assert max(d for d, *_ in first["history"]) == max(days)
    spans = [row[4] - row[3] for row in first["sessions"]]
    assert max(spans) < dt.timedelta(hours=6)  # no clock jump stretched a session
    assert first["statuses"][("run5.fit", "duplicate")] == 1
    assert first["statuses"][("run5.fit", "imported")] == 1
    assert first["bests"]
