"""The queue's daily check for plans whose targets went stale (``plans.freshness``)."""

from __future__ import annotations

from huey import crontab

from smartrunning.plans import freshness
from smartrunning.platform import clock
from smartrunning.platform.queue import Queue

__all__ = ["register"]


def register(queue: Queue) -> None:
    app = queue.app

    def stale_plans() -> int:
        """Plans whose runner's CS or zones changed since their targets were set (06:10 UTC
        each day): their coaches are told once per change."""
        with app.app_context():
            return freshness.notify_stale(clock.today())

    queue.huey.periodic_task(crontab(hour="6", minute="10"), name="stale_plans")(stale_plans)
