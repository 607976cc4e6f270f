"""The coaching writes, each committing its own transaction
(``platform.transactions.transaction``): a coach's "seen" mark on an athlete, linking a
runner's new sessions to the days of the plan they train on, and deleting a runner with all
their data. Pages, API and CLI call these and never commit.
"""

from __future__ import annotations

import datetime as dt

from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.coaching.deletion import remove_runner
from smartrunning.coaching.models import AthleteSeen
from smartrunning.coaching.schemas import DeletedRunner
from smartrunning.plans import calendar as plan_calendar
from smartrunning.plans import compliance as plan_compliance
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.platform.transactions import transaction

__all__ = ["delete_runner", "link_new_sessions", "mark_seen"]


def mark_seen(coach: User, runner_id: int) -> None:
    """The coach looked at the runner now (the dashboard's "new since"). Commits."""
    with transaction():
        row = db.session.get(AthleteSeen, (coach.id, runner_id))
        if row is None:
            db.session.add(AthleteSeen(coach_id=coach.id, runner_id=runner_id, seen_at=clock.now()))
        else:
            row.seen_at = clock.now()
        db.session.flush()


def link_new_sessions(runner: Runner, today: dt.date) -> int:
    """Link the runner's sessions imported since the plan was last shown to the days of
    the plan they train on ``today`` (``calendar.active_plan``; ``compliance.link_sessions``),
    so that the start page's week counts them; commits. How many were linked (0 without a
    plan)."""
    with transaction():
        plan = plan_calendar.active_plan(runner, today)
        return 0 if plan is None else plan_compliance.link_sessions(plan)


def delete_runner(runner: Runner) -> DeletedRunner:
    """Delete ``runner`` with all their data, blobs included (``deletion.remove_runner``),
    in one transaction; commits.

    Raises:
        Conflict: an import of theirs is still queued or running (nothing deleted).
    """
    with transaction():
        return remove_runner(runner)
