"""The queue's task that sends notification e-mails, retried by the queue."""

from __future__ import annotations

from typing import Any

from smartrunning.notifications import outbox
from smartrunning.platform import context
from smartrunning.platform.queue import Queue

__all__ = ["register"]


def register(queue: Queue) -> None:
    with queue.app.app_context():
        settings = context.settings()

    @queue.task(
        "send_email",
        retries=settings.email_retries,
        retry_delay=settings.email_retry_delay_s,
        context=True,
    )
    def send_email(outbox_id: int, task: Any = None) -> None:
        """Send one e-mail of the outbox; a failure raises, and the queue tries again
        (``EMAIL_RETRIES`` times, ``EMAIL_RETRY_DELAY_S`` apart)."""
        outbox.deliver(outbox_id, last_try=task is None or not task.retries)
