"""Data for the re-plan tests and bench: runners with a CS, a plan, and sessions written
straight into the table (the stored load as an import would score it), then the history
rebuilt, so hundreds of weeks are made in seconds."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.plans.models import Plan
from smartrunning.platform.db import db
from smartrunning.sessions import history as history_services
from smartrunning.sessions.models import TrainingSession

__all__ = ["add_run", "make_plan", "rebuild", "run_week"]

SPEED_MPS = 3.2
"""Easy running speed of the generated sessions (5:13/km)."""


def add_run(runner_id: int, day: dt.date, load: float, seconds: float | None = None) -> None:
    """A running session on ``day`` of ``load`` (rTSS units: an hour at 75 % of CS ≈ 56)."""
    timer = seconds if seconds is not None else max(600.0, load / 56.0 * 3600.0)
    start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
    key = hashlib.sha256(f"{runner_id}{day}{load}".encode()).hexdigest()
    db.session.add(
        TrainingSession(
            runner_id=runner_id,
            source_sha256=key,
            segment_index=0,
            sport="running",
            start_time=start,
            end_time=start + dt.timedelta(seconds=timer),
            local_date=day,
            utc_offset_s=0,
            time_basis="utc",
            distance_m=timer * SPEED_MPS,
            elapsed_time_s=timer,
            timer_time_s=timer,
            moving_time_s=timer,
            avg_speed_mps=SPEED_MPS,
            rtss=load,
            load=load,
            load_model="rtss",
            records_sha256=key,
            record_count=0,
            decoder="test",
            source_info={},
            stats={},
            best_efforts={},
            param_inputs={},
            zones={},
            params={},
            params_hash="",
            streams_version=1,
            stats_version=1,
            bests_version=1,
            load_version=1,
            analysis_version=1,
        )
    )


def run_week(runner_id: int, first: dt.date, loads: Iterable[float]) -> None:
    """Sessions of ``loads`` on the days from ``first`` (0: rest)."""
    for offset, load in enumerate(loads):
        if load > 0:
            add_run(runner_id, first + dt.timedelta(days=offset), load)


def rebuild(runner: Runner, since: dt.date) -> None:
    db.session.flush()
    history_services.rebuild_from(runner, since)


def make_plan(runner: Runner, race: dt.date, weeks: int, today: dt.date) -> Plan:
    """A 10 km plan of ``weeks`` toward ``race`` made on ``today`` (default schemas)."""
    plan_schemas.load_default_schemas()
    schema = plan_schemas.schema_by_name("10 km")
    request = plan_services.GenerateRequest(race, 10_000.0, weeks, today=today)
    return plan_services.save_plan(runner, schema, request, created_by=None)
