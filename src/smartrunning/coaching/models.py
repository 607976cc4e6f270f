"""When a coach last looked at each athlete (the dashboard's "new since")."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartrunning.platform.db import UTCDateTime, db, now_utc

__all__ = ["AthleteSeen"]


class AthleteSeen(db.Model):  # type: ignore[name-defined]
    """``coach`` last opened ``runner`` from the dashboard at ``seen_at``."""

    __tablename__ = "athletes_seen"

    coach_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
