"""The runner's start page: today's and tomorrow's workout (targets, watch file), this
week's progress against the plan, and the latest session with a prompt for feedback; the
physiology stays on the profile page, one link away. Read-only: the page first links new
sessions to the plan's days (``coaching.actions.link_new_sessions``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.feedback import actions as feedback_actions
from smartrunning.feedback.models import SessionFeedback
from smartrunning.plans import calendar as plan_calendar
from smartrunning.plans.models import Plan
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession

__all__ = ["RunnerHome", "runner_home"]


@dataclass(frozen=True)
class RunnerHome:
    """What the page shows; ``week`` (Monday to Sunday) and the two days come from the
    plan the runner trains on today (``calendar.active_plan``), ``None`` without one."""

    runner: Runner
    today: dt.date
    plan: Plan | None
    week: plan_calendar.CalendarWeek | None
    today_day: plan_calendar.CalendarDay | None
    tomorrow_day: plan_calendar.CalendarDay | None
    latest: TrainingSession | None
    latest_feedback: SessionFeedback | None = None
    """The runner's RPE and feeling for ``latest``; without them the page asks in two taps."""


def _latest(runner: Runner) -> TrainingSession | None:
    return db.session.execute(
        sa.select(TrainingSession)
        .where(TrainingSession.runner_id == runner.id)
        .order_by(TrainingSession.start_time.desc(), TrainingSession.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def runner_home(runner: Runner, today: dt.date) -> RunnerHome:
    """The page's data for ``runner`` on ``today``; reads only (the plan's days show the
    sessions linked to them: ``coaching.actions.link_new_sessions`` links new ones)."""
    plan = plan_calendar.active_plan(runner, today)
    latest = _latest(runner)
    week = None
    days: dict[dt.date, plan_calendar.CalendarDay] = {}
    if plan is not None:
        tomorrow = today + dt.timedelta(days=1)
        weeks = plan_calendar.weeks_between(plan, today, tomorrow, today)
        week = weeks[0]
        days = {d.date: d for w in weeks for d in w.days}
    return RunnerHome(
        runner=runner,
        today=today,
        plan=plan,
        week=week,
        today_day=days.get(today),
        tomorrow_day=days.get(today + dt.timedelta(days=1)),
        latest=latest,
        latest_feedback=feedback_actions.feedback_of(latest.id) if latest else None,
    )
