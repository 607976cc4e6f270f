"""A re-plan proposal (``plans.replan``): the remaining weeks of a plan re-planned from what
the runner actually did, kept until a coach accepts (all weeks or some) or rejects it.

``cut_date``: the first day the proposal may change (the first plan week after the day it
was made); ``fingerprint``: the plan's days when it was made (a plan regenerated or edited
since supersedes it); ``basis``: what it rests on (the weeks' planned and actual loads,
form, the rules applied); ``weeks``: the per-week diff with its reasons; ``days``: the
changed days, before and after; ``status``: proposed, accepted, rejected or superseded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartrunning.accounts.models import User
from smartrunning.plans.models import Plan
from smartrunning.platform.db import UTCDateTime, db, now_utc

__all__ = ["STATUSES", "ReplanProposal"]

STATUSES: Final = ("proposed", "accepted", "rejected", "superseded")


class ReplanProposal(db.Model):  # type: ignore[name-defined]
    __tablename__ = "plan_replans"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    cut_date: Mapped[dt.date]
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    basis: Mapped[Any] = mapped_column(sa.JSON)
    weeks: Mapped[Any] = mapped_column(sa.JSON)
    days: Mapped[Any] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(20), default="proposed")
    accepted_weeks: Mapped[Any | None] = mapped_column(sa.JSON)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[Plan] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def __repr__(self) -> str:
        return f"<ReplanProposal {self.id} plan={self.plan_id} {self.status}>"
