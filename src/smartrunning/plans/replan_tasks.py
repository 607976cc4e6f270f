"""The queue's re-plan job (``plans.replan.propose_due``): every hour at :30, a proposal
for every plan whose week ends that day in its runner's time zone and whose local hour is
21 (so 21:xx on the runner's Sunday, their last session most likely uploaded by then;
each plan once a week whatever its zone, half-hour zones included), so its coaches can
decide before the next week starts."""

from __future__ import annotations

from huey import crontab

from smartrunning.plans import replan
from smartrunning.platform import clock
from smartrunning.platform.queue import Queue

__all__ = ["register"]


def register(queue: Queue) -> None:
    app = queue.app

    def replan_plans() -> int:
        """Proposals for the plans whose week ends now in their runner's zone."""
        with app.app_context():
            return replan.propose_due(clock.now())[1]

    queue.huey.periodic_task(crontab(minute="30"), name="replan_plans")(replan_plans)
