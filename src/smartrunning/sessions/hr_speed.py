"""A runner's own heart-rate–speed line from their recent steady runs (the pure fit is
``science.hr_speed``; SCIENCE.md "Targets and limits"): running sessions with heart rate
of the ``RECENT_DAYS`` before a date (outdoors; not held back as implausible), at most the
``MAX_RUNS`` latest, each read from its stored records and cleaned as in its analysis.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import sqlalchemy as sa

from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db
from smartrunning.science.hr_speed import (
    HRSpeedLine,
    HRSpeedRefusal,
    SteadyPoint,
    fit_hr_speed,
    steady_points,
)
from smartrunning.science.streams import clean_streams
from smartrunning.sessions.analysis_inputs import configured_limits
from smartrunning.sessions.models import TrainingSession
from smartrunning.sessions.parquet import records_from_parquet

__all__ = ["MAX_RUNS", "RECENT_DAYS", "runner_hr_line"]

RECENT_DAYS: Final = 84
MAX_RUNS: Final = 20
_RUNNING: Final = "running"


def runner_hr_line(runner_id: int, before: dt.date) -> HRSpeedLine | HRSpeedRefusal:
    """The line from the runner's steady runs of the 12 weeks before ``before``, or why
    there is none."""
    rows = db.session.execute(
        sa.select(TrainingSession.id, TrainingSession.local_date, TrainingSession.records_sha256)
        .where(
            TrainingSession.runner_id == runner_id,
            TrainingSession.sport == _RUNNING,
            TrainingSession.treadmill.is_(False),
            TrainingSession.held.is_(False),
            TrainingSession.avg_hr_bpm.is_not(None),
            TrainingSession.local_date >= before - dt.timedelta(days=RECENT_DAYS),
            TrainingSession.local_date < before,
        )
        .order_by(TrainingSession.start_time.desc())
        .limit(MAX_RUNS)
    ).all()
    limits = configured_limits()
    points: list[SteadyPoint] = []
    store = blob_store()
    for session_id, day, sha in rows:
        s = clean_streams(records_from_parquet(store.get(sha)), limits)
        points.extend(
            steady_points(day, session_id, s.dt_s, s.moving, s.speed_mps, s.grade, s.heart_rate_bpm)
        )
    return fit_hr_speed(points)
