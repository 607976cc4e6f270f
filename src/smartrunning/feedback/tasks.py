"""The queue's daily check for missed planned sessions."""

from __future__ import annotations

import datetime as dt

from huey import crontab

from smartrunning.feedback import missed
from smartrunning.platform import clock
from smartrunning.platform.queue import Queue

__all__ = ["register"]


def register(queue: Queue) -> None:
    app = queue.app

    def missed_sessions() -> int:
        """Yesterday's planned sessions that nobody ran (06:00 UTC each day)."""
        with app.app_context():
            return missed.notify_missed(clock.today() - dt.timedelta(days=1))

    queue.huey.periodic_task(crontab(hour="6", minute="0"), name="missed_sessions")(missed_sessions)
