"""A runner's feedback on a session, comments on sessions and planned days, and how far
each user has read each thread."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartrunning.platform.db import UTCDateTime, db, now_utc, value_enum

__all__ = ["RPE_WORDS", "Comment", "Feeling", "SessionFeedback", "ThreadRead"]


RPE_WORDS: dict[int, str] = {
    1: "very easy",
    2: "easy",
    3: "moderate",
    4: "somewhat hard",
    5: "hard",
    6: "hard",
    7: "very hard",
    8: "very hard",
    9: "very, very hard",
    10: "maximal",
}
"""Borg CR-10 in words: the RPE buttons' titles and the feedback summary."""


class Feeling(StrEnum):
    """How the session felt, in the runner's words."""

    GREAT = "great"
    GOOD = "good"
    NORMAL = "normal"
    TIRED = "tired"
    BAD = "bad"

    @property
    def label(self) -> str:
        return _FEELINGS[self]


_FEELINGS = {
    Feeling.GREAT: "Great",
    Feeling.GOOD: "Good",
    Feeling.NORMAL: "Normal",
    Feeling.TIRED: "Tired",
    Feeling.BAD: "Bad",
}


class SessionFeedback(db.Model):  # type: ignore[name-defined]
    """The runner's RPE (CR-10, 1–10) and feeling for one session, and the session-RPE load
    (``science.session_rpe``) when the session has a duration."""

    __tablename__ = "session_feedback"
    __table_args__ = (sa.CheckConstraint("rpe BETWEEN 1 AND 10", name="rpe_range"),)

    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    rpe: Mapped[int | None]
    feeling: Mapped[Feeling | None] = mapped_column(value_enum(Feeling, "feeling"))
    srpe_load: Mapped[float | None]
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class Comment(db.Model):  # type: ignore[name-defined]
    """A comment on a session or on a planned day (exactly one of the two).

    ``private``: a coach's note, seen by the runner's coaches and admins, never the runner.
    """

    __tablename__ = "comments"
    __table_args__ = (
        sa.CheckConstraint("(session_id IS NULL) <> (plan_day_id IS NULL)", name="one_subject"),
        sa.Index("ix_comments_runner_created", "runner_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(sa.ForeignKey("runners.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    plan_day_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_days.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)


class ThreadRead(db.Model):  # type: ignore[name-defined]
    """Up to when ``user`` has read the thread of a session (``session:<id>``) or a planned
    day (``day:<id>``): later comments by others are unread."""

    __tablename__ = "thread_reads"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    runner_id: Mapped[int] = mapped_column(sa.ForeignKey("runners.id", ondelete="CASCADE"))
    read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
