"""The queue's daily re-plan (``plans.replan.propose_due``): at 21:30 UTC, a proposal for
every plan whose week ends that day (its last day's session most likely uploaded by then),
so its coaches can decide before the next week starts."""

from __future__ import annotations

from huey import crontab

from smartrunning.plans import replan
from smartrunning.platform import clock
from smartrunning.platform.queue import Queue

__all__ = ["register"]


def register(queue: Queue) -> None:
    app = queue.app

    def replan_plans() -> int:
        """Proposals for the plans whose week ends today; how many were made."""
        with app.app_context():
            return replan.propose_due(clock.today())[1]

    queue.huey.periodic_task(crontab(hour="21", minute="30"), name="replan_plans")(replan_plans)
