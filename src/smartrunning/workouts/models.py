"""The workout library: structured workouts stored as ZWO, and their tags.

The ZWO text (``zwo``, as ``science.zwo.write_zwo`` writes it) is the canonical form of a
workout's content; name, sport, description, author, kind and tags are copies of it kept
in columns so that the library can be searched and filtered in SQL. The actions keep them in
step with ``zwo`` (``workouts.actions``).

Other features refer to a workout by ``workouts.id`` (a foreign key, ``ondelete``
RESTRICT): a referenced workout is archived instead of deleted, so what refers to it
keeps it (``workouts.actions.delete_workout``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartrunning.accounts.models import User
from smartrunning.platform.db import (
    UTCDateTime,
    db,
    now_utc,
    value_enum,
)

__all__ = ["Workout", "WorkoutSport", "WorkoutTag"]


class WorkoutSport(StrEnum):
    """ZWO ``sportType``: running intensities are fractions of CS, cycling ones of FTP."""

    RUN = "run"
    BIKE = "bike"


class Workout(db.Model):  # type: ignore[name-defined]
    """A workout of the library (``is_default``: shipped with the app, loaded by ``init``).

    ``owner``: the coach or admin who created or imported it (None for the defaults and
    command-line imports). ``content_sha256``: SHA-256 of ``zwo``; the same file imported
    twice is a duplicate. ``archived_at``: deleted from the library but kept because
    something refers to it (or a default, so ``init`` does not bring it back).
    """

    __tablename__ = "workouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    sport: Mapped[WorkoutSport] = mapped_column(value_enum(WorkoutSport, "workout_sport"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    author: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The ``kind:`` tag's value (easy, tempo, vo2max …), for filters and plan generation.
    kind: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    zwo: Mapped[str] = mapped_column(sa.Text)
    content_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    is_default: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    owner: Mapped[User | None] = relationship()
    tag_rows: Mapped[list[WorkoutTag]] = relationship(
        back_populates="workout",
        cascade="all, delete-orphan",
        order_by="WorkoutTag.position",
    )

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def tags(self) -> list[str]:
        return [row.tag for row in self.tag_rows]

    def __repr__(self) -> str:
        return f"<Workout {self.id} {self.name!r}>"


class WorkoutTag(db.Model):  # type: ignore[name-defined]
    """One tag of a workout, in the order of the ZWO file (a portable tag index)."""

    __tablename__ = "workout_tags"

    workout_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workouts.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(100), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    workout: Mapped[Workout] = relationship(back_populates="tag_rows")
