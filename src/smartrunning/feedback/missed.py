"""Missed planned sessions: each morning, the planned days of the day before with no
running session that day (not skipped, not rest) are told to the runner and their coaches."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from smartrunning.athletes import rules
from smartrunning.athletes.models import Runner
from smartrunning.notifications import hooks
from smartrunning.plans import compliance
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession

__all__ = ["notify_missed"]


def notify_missed(day: dt.date) -> int:
    """Tell about every planned day dated ``day`` left without a running session; how many
    days. Running it twice tells no one twice. Commits."""
    ran = (
        sa.select(TrainingSession.id)
        .where(
            TrainingSession.runner_id == Plan.runner_id,
            TrainingSession.local_date == PlanDay.date,
            TrainingSession.sport == compliance.RUNNING,
        )
        .exists()
    )
    rows = db.session.execute(
        sa.select(PlanDay, Runner)
        .join(Plan, Plan.id == PlanDay.plan_id)
        .join(Runner, Runner.id == Plan.runner_id)
        .where(
            PlanDay.date == day,
            PlanDay.kind != "rest",
            PlanDay.skipped_reason.is_(None),
            PlanDay.mark.is_(None),  # marked done or partly done: not missed
            ~ran,
        )
        .order_by(PlanDay.id)
    ).all()
    for planned, runner in rows:
        people = {*rules.coach_ids(runner.id), *([runner.user_id] if runner.user_id else [])}
        hooks.missed_session(
            people,
            runner.name,
            planned.date,
            planned.workout_name,
            f"/plan-days/{planned.id}/comments",
        )
    db.session.commit()
    return len(rows)
