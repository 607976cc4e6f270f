"""Runners and their coaches."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartrunning.store.accounts import User
from smartrunning.store.db import UTCDateTime, db, now_utc, value_enum

__all__ = ["CoachAssignment", "Runner", "Sex"]

# Dated parameters, personal bests and recompute requests: see store/parameters.py.


class Sex(StrEnum):
    FEMALE = "f"
    MALE = "m"
    UNSPECIFIED = "x"


class Runner(db.Model):  # type: ignore[name-defined]
    """An athlete. May exist without a login (a coach's athlete) or belong to a user."""

    __tablename__ = "runners"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    birth_date: Mapped[dt.date]
    sex: Mapped[Sex] = mapped_column(value_enum(Sex, "sex"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Weekdays trained on, as digits 0 (Monday) … 6 (Sunday), e.g. "1356".
    training_weekdays: Mapped[str] = mapped_column(sa.String(7), default="1356")
    long_run_weekday: Mapped[int] = mapped_column(default=6)
    sessions_per_week: Mapped[int] = mapped_column(default=4)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: The next onboarding-wizard step to complete; None once the profile is complete.
    onboarding_step: Mapped[int | None] = mapped_column(default=None)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    coach_rows: Mapped[list[CoachAssignment]] = relationship(
        back_populates="runner", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Runner {self.id} {self.name!r}>"


class CoachAssignment(db.Model):  # type: ignore[name-defined]
    """A coach looks after a runner; a runner may have several coaches."""

    __tablename__ = "coach_assignments"

    coach_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    coach: Mapped[User] = relationship()
    runner: Mapped[Runner] = relationship(back_populates="coach_rows")
