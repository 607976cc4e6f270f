"""The planned load of a runner's plans, by day: what the history is projected over.

This module is the ``sessions.history.PlanSource`` the app hands to the history
(``set_plan_source``), so that fitness, fatigue and form run on to race day on the history
page, in the API and in the CLI.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.platform.db import db

__all__ = ["planned_loads", "projection_end"]


def planned_loads(runner: Runner, *, after: dt.date, until: dt.date) -> list[tuple[dt.date, float]]:
    """(day, load) of the runner's planned sessions in (``after``, ``until``], by day;
    days skipped on the calendar plan no load.

    Where two plans cover a day (a plan made again for another race), the one generated
    last is followed on every day of its span, race day included.
    """
    plans = db.session.execute(
        sa.select(Plan.id, Plan.start_date, Plan.race_date)
        .where(Plan.runner_id == runner.id, Plan.race_date > after, Plan.start_date <= until)
        .order_by(Plan.generated_at, Plan.id)
    ).all()
    if not plans:
        return []
    rows = db.session.execute(
        sa.select(PlanDay.plan_id, PlanDay.date, PlanDay.load).where(
            PlanDay.plan_id.in_([p.id for p in plans]),
            PlanDay.date > after,
            PlanDay.date <= until,
            PlanDay.skipped_reason.is_(None),  # a day skipped on the calendar plans nothing
        )
    ).all()

    def owner(day: dt.date) -> int | None:
        covering = [p.id for p in plans if p.start_date <= day <= p.race_date]
        return covering[-1] if covering else None

    totals: dict[dt.date, float] = {}
    for plan_id, day, load in rows:
        if owner(day) == plan_id:
            totals[day] = totals.get(day, 0.0) + float(load or 0.0)
    return sorted(totals.items())


def projection_end(runner: Runner, today: dt.date) -> dt.date:
    """The last day worth projecting to: the latest race day of the runner's plans after
    ``today``, else ``today``."""
    last = db.session.execute(
        sa.select(sa.func.max(Plan.race_date)).where(
            Plan.runner_id == runner.id, Plan.race_date > today
        )
    ).scalar_one()
    return max(today, last) if last is not None else today
