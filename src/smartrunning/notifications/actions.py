"""Notifying users: ``notify`` writes inbox entries and e-mails by each user's choices;
the e-mails go to the queue once the caller's transaction commits, never sent here.

Every feature above this one calls ``notify`` (uploads, comments, failed imports, missed
sessions, suggested parameter changes, stale plans); it needs nothing but user ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from smartrunning.accounts.models import User
from smartrunning.notifications.models import (
    EmailStatus,
    Notification,
    NotificationKind,
    NotificationPreference,
    NotificationSettings,
    OutboxEmail,
)
from smartrunning.platform import clock, context, display
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput, NotFound
from smartrunning.platform.queue import get_queue
from smartrunning.platform.transactions import transaction

__all__ = [
    "TITLE_MAX",
    "Choice",
    "choices_for",
    "email_address",
    "inbox",
    "kind_from",
    "mark_all_read",
    "mark_read",
    "mark_read_about",
    "notify",
    "pending_outbox_ids",
    "save_choices",
    "set_choice",
    "set_email_address",
    "unread_count",
    "unsubscribe",
    "unsubscribe_token",
    "user_for_unsubscribe",
    "valid_email_address",
]

TITLE_MAX: Final = 200
_OUTBOX_KEY: Final = "smartrunning.notifications.outbox"
_UNSUBSCRIBE_SALT: Final = "notifications.unsubscribe"
#: A plain check (one @, a dot in the domain, no spaces): the SMTP server has the last word.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Choice:
    """How a user gets one kind of notification."""

    kind: NotificationKind
    in_app: bool
    email: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "label": self.kind.label,
            "in_app": self.in_app,
            "email": self.email,
        }


def kind_from(value: str) -> NotificationKind:
    try:
        return NotificationKind(value)
    except ValueError:
        names = ", ".join(k.value for k in NotificationKind)
        raise InvalidInput(f"Unknown kind of notification; one of {names}.", field="kind") from None


def choices_for(user_id: int) -> list[Choice]:
    """Every kind, with the user's choice (both channels on without a stored one)."""
    stored = {
        row.kind: row
        for row in db.session.execute(
            sa.select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        ).scalars()
    }
    return [
        Choice(kind, stored[kind].in_app, stored[kind].email)
        if kind in stored
        else Choice(kind, True, True)
        for kind in NotificationKind
    ]


def set_choice(
    user_id: int, kind: NotificationKind, *, in_app: bool | None = None, email: bool | None = None
) -> Choice:
    """Change how ``user_id`` gets ``kind`` (``None`` leaves a channel as it is). Commits."""
    with transaction():
        row = db.session.get(NotificationPreference, (user_id, kind))
        if row is None:
            row = NotificationPreference(user_id=user_id, kind=kind, in_app=True, email=True)
            db.session.add(row)
        if in_app is not None:
            row.in_app = in_app
        if email is not None:
            row.email = email
        db.session.flush()
        return Choice(kind, row.in_app, row.email)


def email_address(user_id: int) -> str:
    row = db.session.get(NotificationSettings, user_id)
    return row.email if row else ""


def valid_email_address(address: str) -> str:
    """``address`` without surrounding blanks (empty: none); ``InvalidInput`` when it does
    not look like one."""
    address = address.strip()
    if address and (len(address) > 254 or not _EMAIL.match(address)):
        raise InvalidInput("Enter an e-mail address such as name@example.org.", field="email")
    return address


def set_email_address(user_id: int, address: str) -> str:
    """Where ``user_id``'s e-mails go (empty: none). Commits."""
    address = valid_email_address(address)
    with transaction():
        row = db.session.get(NotificationSettings, user_id)
        if row is None:
            row = NotificationSettings(user_id=user_id)
            db.session.add(row)
        row.email = address
        row.updated_at = clock.now()
        db.session.flush()
    return address


ChoiceChange = tuple[NotificationKind | str, bool | None, bool | None]
"""A kind (or its name) and its new ``in_app`` and ``email`` (``None``: as it is)."""


def save_choices(
    user_id: int, *, address: str | None = None, choices: Iterable[ChoiceChange] = ()
) -> None:
    """The settings at once: the e-mail address (``None``: as it is), then each choice in
    order. Commits all of it, or nothing when the address or a kind is refused
    (``InvalidInput``)."""
    with transaction():
        if address is not None:
            set_email_address(user_id, address)
        for kind, in_app, email in choices:
            chosen = kind if isinstance(kind, NotificationKind) else kind_from(kind)
            set_choice(user_id, chosen, in_app=in_app, email=email)


def notify(
    user_ids: Iterable[int],
    kind: NotificationKind,
    title: str,
    *,
    body: str | Callable[[display.DisplayPrefs], str] = "",
    link: str = "",
    once: bool = False,
) -> list[int]:
    """Tell each of ``user_ids`` (active users; duplicates once) about something, by their
    choices: an inbox entry, an e-mail, both or neither. ``link``: a path of this site.
    ``body``: the text, or a function making it in each recipient's units and time zone
    (``platform.display.DisplayPrefs``) for a body with paces, distances or moments.

    Returns the ids of the users told. The e-mails are queued after the caller commits
    (``send_email`` tasks, retried); nothing is sent inside the caller's transaction.
    ``once``: skip users already told of this kind and link (a check that may run twice).
    """
    ids = sorted(set(user_ids))
    if once and ids:
        told_before = set(
            db.session.execute(
                sa.select(Notification.user_id).where(
                    Notification.user_id.in_(ids),
                    Notification.kind == kind,
                    Notification.link == link,
                )
            ).scalars()
        ) | set(
            db.session.execute(
                sa.select(OutboxEmail.user_id).where(
                    OutboxEmail.user_id.in_(ids),
                    OutboxEmail.kind == kind,
                    OutboxEmail.body.contains(link) if link else sa.false(),
                )
            ).scalars()
        )
        ids = [i for i in ids if i not in told_before]
    if not ids:
        return []
    title = title[:TITLE_MAX]
    users = db.session.execute(
        sa.select(User.id, NotificationSettings.email, User.units, User.time_zone)
        .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
        .where(User.id.in_(ids), User.is_active.is_(True))
    ).all()
    stored = {
        row.user_id: row
        for row in db.session.execute(
            sa.select(NotificationPreference).where(
                NotificationPreference.user_id.in_(ids), NotificationPreference.kind == kind
            )
        ).scalars()
    }
    told = []
    outbox: list[OutboxEmail] = []
    for user_id, address, units, time_zone in users:
        text = body(display.prefs_of(_Reader(units, time_zone))) if callable(body) else body
        choice = stored.get(user_id)
        in_app = choice.in_app if choice else True
        by_email = (choice.email if choice else True) and bool(address)
        if in_app:
            db.session.add(
                Notification(user_id=user_id, kind=kind, title=title, body=text, link=link)
            )
        if by_email:
            email = OutboxEmail(
                user_id=user_id,
                kind=kind,
                to_address=address,
                subject=title,
                body=_email_body(user_id, kind, title, text, link),
            )
            db.session.add(email)
            outbox.append(email)
        if in_app or by_email:
            told.append(user_id)
    db.session.flush()
    if outbox:
        _send_after_commit(db.session(), [email.id for email in outbox])
    return told


@dataclass(frozen=True)
class _Reader:
    units: str
    time_zone: str


def _email_body(user_id: int, kind: NotificationKind, title: str, body: str, link: str) -> str:
    base = context.settings().resolved_public_url
    lines = [title, ""]
    if body:
        lines += [body, ""]
    if link:
        lines += [f"Open it: {base}{link}", ""]
    lines += [
        "--",
        f"You get this because of your choice for \u201c{kind.label}\u201d.",
        f"Stop these e-mails: {base}/notifications/unsubscribe/{unsubscribe_token(user_id, kind)}",
        f"All your choices: {base}/notifications/settings",
    ]
    return "\n".join(lines) + "\n"


def _send_after_commit(session: Session, outbox_ids: list[int]) -> None:
    """Queue these e-mails when ``session`` commits; forget them if it rolls back."""
    pending = session.info.setdefault(_OUTBOX_KEY, [])
    pending.extend(outbox_ids)
    if not sa.event.contains(session, "after_commit", _enqueue_pending):
        sa.event.listen(session, "after_commit", _enqueue_pending)
        sa.event.listen(session, "after_rollback", _forget_pending)


def _enqueue_pending(session: Session) -> None:
    ids = session.info.pop(_OUTBOX_KEY, [])
    task = get_queue().tasks["send_email"]
    for outbox_id in ids:
        task(outbox_id)


def _forget_pending(session: Session) -> None:
    session.info.pop(_OUTBOX_KEY, None)


def pending_outbox_ids() -> list[int]:
    """E-mails still to send (for ``notifications resend``: after a queue was lost)."""
    return list(
        db.session.execute(
            sa.select(OutboxEmail.id)
            .where(OutboxEmail.status == EmailStatus.PENDING)
            .order_by(OutboxEmail.id)
        ).scalars()
    )


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, kind: NotificationKind) -> str:
    """A signed token that turns off ``kind``'s e-mails for ``user_id``, without login."""
    return str(_serializer().dumps({"u": user_id, "k": kind.value}))


def user_for_unsubscribe(token: str) -> tuple[User, NotificationKind]:
    """The user and kind a token names; ``NotFound`` for a forged or stale token."""
    try:
        data = _serializer().loads(token)
        user = db.session.get(User, int(data["u"]))
        kind = NotificationKind(data["k"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("This unsubscribe link is not valid.") from None
    if user is None:
        raise NotFound("This unsubscribe link is not valid.")
    return user, kind


def unsubscribe(token: str) -> tuple[User, NotificationKind]:
    """Turn off the e-mails a token names. Commits."""
    user, kind = user_for_unsubscribe(token)
    set_choice(user.id, kind, email=False)
    return user, kind


def inbox(user_id: int, *, unread_only: bool = False) -> sa.Select[Any]:
    """The user's notifications, newest first, as a query (to paginate)."""
    query = sa.select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query


def unread_count(user_id: int) -> int:
    return int(
        db.session.execute(
            sa.select(sa.func.count(Notification.id)).where(
                Notification.user_id == user_id, Notification.read_at.is_(None)
            )
        ).scalar_one()
    )


def mark_read(user_id: int, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; another's answers ``NotFound``. Commits."""
    with transaction():
        row = db.session.get(Notification, notification_id) if 0 < notification_id < 2**31 else None
        if row is None or row.user_id != user_id:
            raise NotFound("No such notification.")
        if row.read_at is None:
            row.read_at = clock.now()
    return row


def mark_read_about(user_id: int, link: str) -> int:
    """Mark the user's unread notifications about ``link`` read (they opened what they were
    about); how many. The caller commits."""
    result: Any = db.session.execute(
        sa.update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
            Notification.link == link,
        )
        .values(read_at=clock.now())
    )
    return int(result.rowcount or 0)


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read; how many. Commits."""
    with transaction():
        result: Any = db.session.execute(
            sa.update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .values(read_at=clock.now())
        )
    return int(result.rowcount or 0)
