"""The inbox, each user's choices, their e-mail address and the e-mail outbox."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartrunning.platform.db import UTCDateTime, db, now_utc, value_enum

__all__ = [
    "EmailStatus",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "NotificationSettings",
    "OutboxEmail",
]


class NotificationKind(StrEnum):
    """What a notification is about; each user chooses per kind (in-app and/or e-mail)."""

    UPLOAD = "upload"
    COMMENT = "comment"
    MISSED_SESSION = "missed_session"
    PARAMETER_SUGGESTION = "parameter_suggestion"
    STALE_PLAN = "stale_plan"
    IMPORT_FAILED = "import_failed"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    NotificationKind.UPLOAD: "New uploads of an athlete",
    NotificationKind.COMMENT: "Comments and feedback",
    NotificationKind.MISSED_SESSION: "Missed planned sessions",
    NotificationKind.PARAMETER_SUGGESTION: "Suggested parameter changes",
    NotificationKind.STALE_PLAN: "Plans gone stale",
    NotificationKind.IMPORT_FAILED: "Failed imports",
}


class EmailStatus(StrEnum):
    """``pending`` until the queue's task sent it (``sent``) or gave up after its retries
    (``failed``, ``last_error`` says why)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Notification(db.Model):  # type: ignore[name-defined]
    """One entry of a user's inbox; ``link`` is a path of this site (the day, the session)."""

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        value_enum(NotificationKind, "notification_kind")
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class NotificationPreference(db.Model):  # type: ignore[name-defined]
    """A user's choice for one kind; without a row both channels are on (e-mail only
    reaches users who gave an address)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[NotificationKind] = mapped_column(
        value_enum(NotificationKind, "notification_kind"), primary_key=True
    )
    in_app: Mapped[bool] = mapped_column(default=True)
    email: Mapped[bool] = mapped_column(default=True)


class NotificationSettings(db.Model):  # type: ignore[name-defined]
    """Where a user's e-mails go (empty: none are sent)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)


class OutboxEmail(db.Model):  # type: ignore[name-defined]
    """An e-mail to send: written with its notification, sent by the queue's ``send_email``
    task after the commit, retried on failure."""

    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NotificationKind] = mapped_column(
        value_enum(NotificationKind, "notification_kind")
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[EmailStatus] = mapped_column(
        value_enum(EmailStatus, "email_status"), default=EmailStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
