"""The planned load of a runner's plans, by day: what the history is projected over.

This module is the ``sessions.history.PlanSource`` the app hands to the history
(``set_plan_source``), so that fitness, fatigue and form run on to race day on the history
page, in the API and in the CLI.

``race_day_outlook``: a plan's predicted race-day performance with a band (issue #20
item 5). The runner's response model (``plans.response``: fitted where the data allow,
else the population values) run over the loads done up to today and the planned loads
after it (``planned_loads``) gives the change of performance (VDOT) from today to race
day; each bootstrap parameter set of the fit gives it again, and their 2.5–97.5
percentiles are the band (none with the population values). The plan's predicted race
time (from the runner's ability at generation) moved by that change is the race-day
prediction. Race-day form is the plan's projection's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.plans.response import response_fit, response_inputs
from smartrunning.platform.db import db
from smartrunning.science.predictions import vdot, vdot_time_s
from smartrunning.science.response import predict

__all__ = ["planned_loads", "projection_end", "race_day_outlook"]


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


def _time_s(distance_m: float, time_s: float, change: float) -> float | None:
    level = vdot(distance_m, time_s) + change
    return vdot_time_s(level, distance_m) if level > 0 else None


def race_day_outlook(plan: Plan, today: dt.date) -> dict[str, Any] | None:
    """The plan's predicted race-day performance with its band (module doc); None after
    race day."""
    if plan.race_date <= today:
        return None
    runner = plan.runner
    fit = response_fit(runner, today)  # the stored fit, or fitted and stored once
    first, done, _performances = response_inputs(runner, today)
    eve = plan.race_date - dt.timedelta(days=1)
    loads = np.zeros((eve - first).days + 1)
    loads[: len(done)] = done
    for day, load in planned_loads(
        runner, after=max(today, first - dt.timedelta(days=1)), until=eve
    ):
        loads[(day - first).days] += load
    days = [today + dt.timedelta(days=1), plan.race_date]
    sets = fit.samples if fit.fitted and fit.samples else (fit.params,)
    changes = np.array([float(np.diff(predict(p, loads, first, days))[0]) for p in sets])
    change = float(np.diff(predict(fit.params, loads, first, days))[0])
    band = (
        (float(np.percentile(changes, 2.5)), float(np.percentile(changes, 97.5)))
        if fit.fitted and len(changes) > 1
        else None
    )
    projection = plan.projection or {}
    time_s = projection.get("predicted_race_time_s")
    race_time = race_band = None
    if time_s:
        race_time = _time_s(plan.race_distance_m, time_s, change)
        if band is not None:
            low = _time_s(plan.race_distance_m, time_s, band[0])
            high = _time_s(plan.race_distance_m, time_s, band[1])
            if low is not None and high is not None:
                race_band = (min(low, high), max(low, high))
    return {
        "fitted": fit.fitted,
        "basis": fit.reason,
        "vdot_change": change,
        "vdot_band": list(band) if band is not None else None,
        "race_time_s": race_time,
        "race_time_band_s": list(race_band) if race_band is not None else None,
        "race_day_form": projection.get("race_day_form"),
    }
