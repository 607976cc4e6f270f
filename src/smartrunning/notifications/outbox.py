"""Sending what the outbox holds: the work of the queue's ``send_email`` task."""

from __future__ import annotations

from typing import Final

from smartrunning.notifications import actions, mail
from smartrunning.notifications.models import EmailStatus, OutboxEmail
from smartrunning.platform import clock, context
from smartrunning.platform.db import db

__all__ = ["deliver"]

_ERROR_MAX: Final = 2000


def deliver(outbox_id: int, *, last_try: bool) -> EmailStatus | None:
    """Send e-mail ``outbox_id`` unless it was sent already (a task may run twice).

    A failure is written down (attempts, the error) and raised again for the queue to
    retry; on the ``last_try`` it marks the e-mail ``failed``. ``None``: no such e-mail.
    """
    email = db.session.get(OutboxEmail, outbox_id)
    if email is None or email.status is not EmailStatus.PENDING:
        return None if email is None else email.status
    settings = context.settings()
    unsubscribe = (
        f"{settings.resolved_public_url}/notifications/unsubscribe/"
        f"{actions.unsubscribe_token(email.user_id, email.kind)}"
    )
    email.attempts += 1
    try:
        mail.send(
            settings,
            to=email.to_address,
            subject=email.subject,
            body=email.body,
            unsubscribe_url=unsubscribe,
        )
    except Exception as exc:
        email.last_error = f"{type(exc).__name__}: {exc}"[:_ERROR_MAX]
        if last_try:
            email.status = EmailStatus.FAILED
        db.session.commit()
        raise
    email.status = EmailStatus.SENT
    email.sent_at = clock.now()
    email.last_error = ""
    db.session.commit()
    return EmailStatus.SENT
