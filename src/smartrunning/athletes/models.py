"""Runners and their coaches; a runner's dated parameters, personal bests, and requests
to recompute from a date."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartrunning.accounts.models import User
from smartrunning.platform.db import (
    UTCDateTime,
    db,
    now_utc,
    value_enum,
)
from smartrunning.platform.softdelete import SoftDeletable

__all__ = [
    "BestKind",
    "BestSource",
    "CoachAssignment",
    "ParameterKey",
    "ParameterSource",
    "ParameterSuggestion",
    "ParameterVersion",
    "PersonalBest",
    "RecomputeRequest",
    "Runner",
    "Sex",
    "SuggestionStatus",
]


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
    #: The runner's own statement of their current weekly running (minutes), for a plan's
    #: first week when no sessions were uploaded in the four weeks before it. None: unsaid.
    weekly_running_min: Mapped[int | None] = mapped_column(default=None)
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


class ParameterKey(StrEnum):
    """Parameters that change over time; each change is a version with ``valid_from``."""

    HRMAX = "hrmax_bpm"
    HRREST = "hrrest_bpm"
    WEIGHT = "weight_kg"
    HR_ZONES = "hr_zones"
    PACE_ZONES = "pace_zones"
    CRITICAL_SPEED = "critical_speed"
    THRESHOLD_HR = "threshold_hr_bpm"
    LOAD_MODEL = "load_model"
    FITNESS_FATIGUE = "fitness_fatigue"


class ParameterSource(StrEnum):
    MEASURED = "measured"
    ESTIMATED = "estimated"
    FORMULA = "formula"
    DETECTED = "detected"
    DEFAULT = "default"


class ParameterVersion(db.Model):  # type: ignore[name-defined]
    """One value of one parameter, valid from a date until the next version of the key."""

    __tablename__ = "parameter_versions"
    __table_args__ = (sa.Index("ix_parameter_versions_lookup", "runner_id", "key", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(sa.ForeignKey("runners.id", ondelete="CASCADE"))
    key: Mapped[ParameterKey] = mapped_column(value_enum(ParameterKey, "parameter_key"))
    valid_from: Mapped[dt.date]
    value: Mapped[Any] = mapped_column(sa.JSON)
    source: Mapped[ParameterSource] = mapped_column(value_enum(ParameterSource, "parameter_source"))
    #: e.g. the critical-speed fit report (efforts used, R², SEE, warnings).
    details: Mapped[Any | None] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Made by the CS fit and remade by every refit; a person's values (entered, accepted)
    #: are not automatic and stay.
    automatic: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class SuggestionStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class ParameterSuggestion(db.Model):  # type: ignore[name-defined]
    """A fitted or estimated value offered instead of becoming a version, because a value a
    person entered is in force (SCIENCE.md, "measured beats fitted"). Accepting it adds the
    version; dismissing it keeps the entered value. ``details``: the evidence (fit report)."""

    __tablename__ = "parameter_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[ParameterKey] = mapped_column(value_enum(ParameterKey, "parameter_key"))
    valid_from: Mapped[dt.date]
    value: Mapped[Any] = mapped_column(sa.JSON)
    source: Mapped[ParameterSource] = mapped_column(value_enum(ParameterSource, "parameter_source"))
    details: Mapped[Any | None] = mapped_column(sa.JSON)
    note: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[SuggestionStatus] = mapped_column(
        value_enum(SuggestionStatus, "suggestion_status"), default=SuggestionStatus.OPEN
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )


class BestSource(StrEnum):
    MANUAL = "manual"
    SESSION = "session"


class BestKind(StrEnum):
    """What a performance was: a race or time trial (entered, or the main effort of a
    session marked as one) anchors critical speed; a training effort only when maximal."""

    RACE = "race"
    TIME_TRIAL = "time_trial"
    TRAINING = "training"


class PersonalBest(SoftDeletable, db.Model):  # type: ignore[name-defined]
    """A performance over a distance on a date: a manual entry or a session's best effort.

    The personal best for a distance on day d is the fastest entry dated on or before d;
    all entries together form the timeline of that distance. A best found in a session
    (``source`` session) names it and where in it the effort ran (``start_offset_s`` …
    ``end_offset_s``, elapsed seconds); deleting the session deletes the best. ``kind``
    says what it was and ``anchor`` whether the CS fit uses it, ``evidence`` why.
    """

    __tablename__ = "personal_bests"
    __table_args__ = (sa.Index("ix_personal_bests_runner_date", "runner_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(sa.ForeignKey("runners.id", ondelete="CASCADE"))
    distance_m: Mapped[float]
    time_s: Mapped[float]
    date: Mapped[dt.date]
    event_name: Mapped[str] = mapped_column(sa.String(120), default="")
    source: Mapped[BestSource] = mapped_column(value_enum(BestSource, "best_source"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    start_offset_s: Mapped[float | None]
    end_offset_s: Mapped[float | None]
    kind: Mapped[BestKind] = mapped_column(
        value_enum(BestKind, "best_kind"), default=BestKind.TRAINING, server_default="training"
    )
    #: A maximal effort the CS fit may use (SCIENCE.md, "Which efforts anchor CS").
    anchor: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    mean_hr_bpm: Mapped[float | None]
    #: Why it is, or is not, an anchor, in words.
    evidence: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    #: A manual best deleted and restorable until the undo window passes: left out of
    #: every ORM select (``platform.softdelete``) and of the CS fit.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


class RecomputeRequest(db.Model):  # type: ignore[name-defined]
    """Derived values of a runner from ``from_date`` on are stale and must be recomputed."""

    __tablename__ = "recompute_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    from_date: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
