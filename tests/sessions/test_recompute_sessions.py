"""Chronological recomputation: bests, CS versions, loads and history, whatever the order."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import (
    BestKind,
    BestSource,
    ParameterKey,
    ParameterSource,
    ParameterVersion,
    PersonalBest,
    RecomputeRequest,
    Runner,
)
from smartrunning.platform.db import db
from smartrunning.science.history import daily_history, daily_loads
from smartrunning.sessions import actions as session_services
from smartrunning.sessions import history as history_services
from smartrunning.sessions import recompute
from smartrunning.sessions import schemas as session_schemas
from smartrunning.sessions.models import (
    HistoryDay,
    TrainingSession,
)
from tests.helpers import WRITTEN_ON, make_runner
from tests.sessions.sessiondata import import_inline, scaled_run

TODAY = WRITTEN_ON

pytestmark = pytest.mark.usefixtures("on_written_day")


#: (name, day, hour, speed factor): two runs on day 4, the faster one later that day.
RUNS = [
    ("a.fit", 0, 0, 1.00),
    ("b.fit", 2, 0, 0.97),
    ("c.fit", 4, 0, 1.04),
    ("d.fit", 4, 9, 1.08),
    ("e.fit", 7, 0, 1.02),
    ("f.fit", 9, 0, 1.12),
]
FILES = {name: scaled_run(day, f, hour=h, seed=i) for i, (name, day, h, f) in enumerate(RUNS)}


def _runner(runner_id: int) -> Runner:
    return db.session.get_one(Runner, runner_id)


def state_of(app: Flask, runner_id: int) -> dict[str, Any]:
    """Everything derived for a runner, without ids (comparable across runners)."""
    with app.app_context():
        runner = _runner(runner_id)
        sessions = list(
            db.session.execute(
                sa.select(TrainingSession)
                .where(TrainingSession.runner_id == runner_id)
                .order_by(TrainingSession.start_time)
            ).scalars()
        )
        start_of = {s.id: s.start_time for s in sessions}
        bests = [
            (b.distance_m, round(b.time_s, 6), b.date, b.source.value, start_of.get(b.session_id))
            for b in db.session.execute(
                sa.select(PersonalBest)
                .where(PersonalBest.runner_id == runner_id)
                .order_by(PersonalBest.distance_m, PersonalBest.date, PersonalBest.time_s)
            ).scalars()
        ]
        cs = [
            (v.valid_from, round(v.value["cs_mps"], 9), round(v.value["d_prime_m"], 6))
            for v in parameter_services.history(runner, ParameterKey.CRITICAL_SPEED)
        ]
        loads = [
            (
                s.start_time,
                s.params_hash,
                s.load,
                s.rtss,
                s.trimp,
                session_schemas.session_detail(s).zone_times,
            )
            for s in sessions
        ]
        history = [
            (h.day, round(h.load, 9), round(h.ctl, 9), round(h.atl, 9), round(h.performance, 9))
            for h in db.session.execute(
                sa.select(HistoryDay)
                .where(HistoryDay.runner_id == runner_id)
                .order_by(HistoryDay.day)
            ).scalars()
        ]
        return {"bests": bests, "cs": cs, "loads": loads, "history": history}


def _import(app: Flask, runner_id: int, names: list[str]) -> None:
    import_inline(app, runner_id, [(n, FILES[n]) for n in names])


def test_a_session_best_counts_for_cs_from_the_next_day(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    _import(app, runner_id, ["a.fit", "b.fit", "c.fit", "d.fit"])
    with app.app_context():
        runner = _runner(runner_id)
        # Only races (and maximal efforts) anchor CS: a, c and d are marked as races.
        for session in db.session.execute(sa.select(TrainingSession)).scalars().all():
            if (session.local_date.day, session.start_time.hour) != (3, 7):  # not b
                session_services.mark_performance(None, session.id, BestKind.RACE)
        cs_days = [
            v.valid_from for v in parameter_services.history(runner, ParameterKey.CRITICAL_SPEED)
        ]
        # a (day 0) sets bests → CS from day 1; b (day 2) is slower: no best, no version;
        # c and d (day 4) set bests → one version from day 5.
        assert cs_days == [dt.date(2024, 3, 2), dt.date(2024, 3, 6)]
        sessions = {
            s.start_time.hour + 24 * (s.local_date.day - 1): s
            for s in db.session.execute(sa.select(TrainingSession)).scalars()
        }
        c, d = sessions[4 * 24 + 7], sessions[4 * 24 + 16]
        cs_before = parameter_services.parameters_on(runner, dt.date(2024, 3, 5)).cs.cs_mps
        # Both day-4 sessions used the CS of day 4 (from a's bests), not their own.
        assert c.params["cs_mps"] == d.params["cs_mps"] == cs_before
        best_d = (
            db.session.execute(sa.select(PersonalBest).where(PersonalBest.session_id == d.id))
            .scalars()
            .all()
        )
        best_c = (
            db.session.execute(sa.select(PersonalBest).where(PersonalBest.session_id == c.id))
            .scalars()
            .all()
        )
        assert best_c, "c beats a"
        assert best_d, "d beats c later that day"
        for best in best_d:
            assert best.source is BestSource.SESSION
            assert best.date == dt.date(2024, 3, 5)
            assert best.end_offset_s - best.start_offset_s == pytest.approx(best.time_s)
        fit = db.session.execute(
            sa.select(ParameterVersion).where(ParameterVersion.valid_from == dt.date(2024, 3, 6))
        ).scalar_one()
        used = {e["id"] for e in fit.details["used"]}
        assert used <= {b.id for b in best_d} | {b.id for b in best_c} | set(
            db.session.execute(sa.select(PersonalBest.id)).scalars()
        )


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(order=st.permutations([name for name, *_ in RUNS]), split=st.integers(1, 6))
def test_upload_order_never_changes_bests_cs_loads_or_history(
    app: Flask, order: list[str], split: int
) -> None:
    chronological = make_runner(app, f"Chrono {order}{split}")
    _import(app, chronological, [name for name, *_ in RUNS])
    shuffled = make_runner(app, f"Shuffled {order}{split}")
    for i in range(0, len(order), split):
        _import(app, shuffled, order[i : i + split])
    assert state_of(app, shuffled) == state_of(app, chronological)


def test_deleting_a_session_undoes_what_it_caused(app: Flask) -> None:
    with_c = make_runner(app, "With")
    _import(app, with_c, ["a.fit", "b.fit", "c.fit", "e.fit"])
    without_c = make_runner(app, "Without")
    _import(app, without_c, ["a.fit", "b.fit", "e.fit"])
    before = state_of(app, with_c)
    with app.app_context():
        c = db.session.execute(
            sa.select(TrainingSession).where(
                TrainingSession.runner_id == with_c,
                TrainingSession.local_date == dt.date(2024, 3, 5),
            )
        ).scalar_one()
        assert db.session.execute(
            sa.select(sa.func.count(PersonalBest.id)).where(PersonalBest.session_id == c.id)
        ).scalar_one()
        session_services.delete_session_by_id(c.id)
    after = state_of(app, with_c)
    assert after != before
    assert after == state_of(app, without_c)


def test_a_parameter_change_recomputes_from_its_date(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    _import(app, runner_id, ["a.fit", "b.fit", "e.fit"])
    with app.app_context():
        runner = _runner(runner_id)
        parameter_services.set_parameter(
            runner, ParameterKey.HRREST, 50, dt.date(2024, 3, 4),
            source=ParameterSource.MEASURED, by=None, today=TODAY,
        )  # fmt: skip
        db.session.commit()
        assert recompute.runners_needing_recompute() == [runner_id]
        result = recompute.recompute_runner(runner)
        assert result.from_date == dt.date(2024, 3, 4)
        assert result.updated == 1
        assert result.reanalysed == 0
        sessions = list(
            db.session.execute(
                sa.select(TrainingSession).order_by(TrainingSession.start_time)
            ).scalars()
        )
        # Before the date: the default resting HR for load; from it: the measured one.
        assert [s.params["hrrest_bpm"] for s in sessions] == [60.0, 60.0, 50.0]
        assert [s.params["hrrest_default"] for s in sessions] == [True, True, False]
        assert all(s.trimp is not None and s.hrss is not None for s in sessions)
        assert (
            db.session.execute(
                sa.select(sa.func.count(RecomputeRequest.id)).where(
                    RecomputeRequest.done_at.is_(None)
                )
            ).scalar_one()
            == 0
        )
        assert recompute.runners_needing_recompute() == []
    # The same as importing with the resting HR already set.
    fresh = make_runner(app, "Fresh")
    with app.app_context():
        parameter_services.set_parameter(
            _runner(fresh), ParameterKey.HRREST, 50, dt.date(2024, 3, 4),
            source=ParameterSource.MEASURED, by=None, today=TODAY,
        )  # fmt: skip
        db.session.commit()
    _import(app, fresh, ["a.fit", "b.fit", "e.fit"])
    assert state_of(app, fresh) == state_of(app, runner_id)


def test_a_manual_best_removes_slower_session_bests_after_it(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    _import(app, runner_id, ["a.fit", "b.fit", "c.fit"])
    with app.app_context():
        runner = _runner(runner_id)
        best_services.add_personal_best(
            runner, 5000.0, 1000.0, dt.date(2024, 2, 1), by=None, today=TODAY
        )
        db.session.commit()
        recompute.recompute_runner(runner)
        five_k = (
            db.session.execute(sa.select(PersonalBest).where(PersonalBest.distance_m == 5000.0))
            .scalars()
            .all()
        )
        assert [(b.source, b.time_s) for b in five_k] == [(BestSource.MANUAL, 1000.0)]


def test_stale_algorithm_versions_are_recomputed_to_the_same_values(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    _import(app, runner_id, ["a.fit", "b.fit"])
    before = state_of(app, runner_id)
    with app.app_context():
        runner = _runner(runner_id)
        for s in db.session.execute(sa.select(TrainingSession)).scalars():
            s.analysis_version = 0
            s.load = None
        db.session.commit()
        assert recompute.stale_from(runner) == dt.date(2024, 3, 1)
        result = recompute.recompute_runner(runner, include_stale=True)
        assert result.reanalysed == 2
        assert recompute.stale_from(runner) is None
    assert state_of(app, runner_id) == before


def test_incremental_history_equals_the_history_from_scratch(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    for name in ("e.fit", "a.fit", "f.fit", "b.fit"):
        _import(app, runner_id, [name])
    with app.app_context():
        runner = _runner(runner_id)
        stored = (
            db.session.execute(
                sa.select(HistoryDay)
                .where(HistoryDay.runner_id == runner_id)
                .order_by(HistoryDay.day)
            )
            .scalars()
            .all()
        )
        sessions = db.session.execute(sa.select(TrainingSession)).scalars().all()
        first, last = dt.date(2024, 3, 1), dt.date(2024, 3, 10)
        loads = daily_loads(
            [s.local_date for s in sessions], [s.load or 0 for s in sessions], first, last
        )
        expected = daily_history(loads, first)
        assert [h.day for h in stored] == [expected.day(i) for i in range(len(expected))]
        np.testing.assert_allclose([h.ctl for h in stored], expected.ctl, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose([h.atl for h in stored], expected.atl, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(
            [h.performance for h in stored], expected.performance, rtol=1e-12, atol=1e-12
        )
        series = history_services.daily_series(runner, date_to=dt.date(2024, 3, 20))
        assert len(series) == 20
        assert series[-1]["load"] == 0.0
        assert series[-1]["ctl"] < series[9]["ctl"]  # rest days decay fitness
        weeks = history_services.weekly_volume(runner)
        assert [w.week for w in weeks] == [dt.date(2024, 2, 26), dt.date(2024, 3, 4)]
        assert sum(w.sessions for w in weeks) == 4


def test_the_periodic_maintenance_recomputes_after_a_parameter_change(app: Flask) -> None:
    from smartrunning.sessions import jobs as import_jobs

    runner_id = make_runner(app, "Rita")
    _import(app, runner_id, ["a.fit", "e.fit"])
    with app.app_context():
        parameter_services.set_parameter(
            _runner(runner_id), ParameterKey.HRREST, 48, dt.date(2024, 3, 1),
            source=ParameterSource.MEASURED, by=None, today=TODAY,
        )  # fmt: skip
        db.session.commit()
        result = import_jobs.maintenance()
        assert result["recomputed_runners"] == [runner_id]
        assert [
            s.params["hrrest_bpm"] for s in db.session.execute(sa.select(TrainingSession)).scalars()
        ] == [48.0, 48.0]
        assert import_jobs.maintenance()["recomputed_runners"] == []
