"""Training plans: plan schemas, generated plans and their days.

A ``Plan`` keeps a snapshot of the schema it was generated from (``schema_body``), so
editing or deleting a schema never changes an existing plan. A ``PlanDay`` refers to the
library workout it was made from (``workout_id``, ``ondelete`` RESTRICT: the library
archives instead of deleting) and keeps the scaled copy as ZWO text (``zwo``). A training
session done on a planned day is linked to it (``session_id``, SET NULL when the session
is deleted) for planned-versus-completed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.platform.db import (
    UTCDateTime,
    db,
    now_utc,
)
from smartrunning.workouts.models import Workout

__all__ = ["Plan", "PlanDay", "PlanSchemaRow", "StoredResponseModel"]


class PlanSchemaRow(db.Model):  # type: ignore[name-defined]
    """A plan schema (``body``: the JSON that ``science.plans.parse_schema`` reads).

    ``is_default``: shipped with the app and loaded by ``init``; ``owner``: the coach or
    admin who created it (None for the defaults).
    """

    __tablename__ = "plan_schemas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    body: Mapped[Any] = mapped_column(sa.JSON)
    is_default: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)

    owner: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PlanSchemaRow {self.id} {self.name!r}>"


class Plan(db.Model):  # type: ignore[name-defined]
    """A plan generated for ``runner`` toward a race on ``race_date``.

    ``ics_token``: the secret in the plan's iCalendar feed URL. ``warnings``: a list of
    {code, message}; ``projection``: {days: [{date, load, ctl, atl, form}], weeks: [...],
    race_day_form, max_ctl_ramp, predicted_race_time_s}.
    """

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), index=True
    )
    schema_name: Mapped[str] = mapped_column(sa.String(200))
    schema_body: Mapped[Any] = mapped_column(sa.JSON)
    race_date: Mapped[dt.date]
    race_distance_m: Mapped[float]
    weeks: Mapped[int]
    start_date: Mapped[dt.date]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    ics_token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    generated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    warnings: Mapped[Any] = mapped_column(sa.JSON, default=list)
    projection: Mapped[Any] = mapped_column(sa.JSON, default=dict)
    #: The schedule the plan was generated with where it differs from the runner's profile
    #: ({training_days, long_run_day, sessions_per_week}, each optional); regenerating
    #: uses it again. ``None``: the profile's.
    schedule: Mapped[Any | None] = mapped_column(sa.JSON)
    #: ISO dates a coach emptied on the calendar (a day moved away, a week copied over a
    #: planned day): regenerating keeps them empty, as it keeps edited days. ``None``: none.
    emptied_dates: Mapped[Any | None] = mapped_column(sa.JSON)
    #: When the days' targets were last resolved against the runner's parameters (a
    #: refresh); ``None``: at generation (``generated_at``). See ``plans.freshness``.
    targets_resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    runner: Mapped[Runner] = relationship()
    created_by: Mapped[User | None] = relationship()
    days: Mapped[list[PlanDay]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="(PlanDay.date, PlanDay.id)",
    )

    def __repr__(self) -> str:
        return f"<Plan {self.id} runner={self.runner_id} race={self.race_date}>"


class PlanDay(db.Model):  # type: ignore[name-defined]
    """One planned session (or the race, ``kind == "race"``) of a plan.

    Units: ``duration_s`` s, ``distance_m`` m, ``load`` as ``Workout.estimated_load``.
    ``targets``: a list of {step_index, part, intensity, pace_s_per_km, hr_bpm} and, for
    a part run by effort (hill repetitions, no pace), its ``effort``.
    ``notes``: what the runner reads (what to do, how it should feel; a coach edits them);
    ``why``: the generator's reasons with their basis, for the coach (plan page).
    ``edited``: changed by a coach (a workout, duration or notes changed, added on the
    calendar, moved, copied or skipped); regeneration keeps it unless told not to.
    ``skipped_reason``: the day was skipped, and why (``None``: not skipped).
    ``mark``: the runner's own word on the day, ``"done"`` (``mark_duration_s`` s and
    ``mark_distance_m`` m when stated, e.g. run without a watch) or ``"partly"``
    (``mark_reason`` says why); ``None``: not marked.
    """

    __tablename__ = "plan_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    week: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(sa.String(40))
    slot: Mapped[str] = mapped_column(sa.String(40), default="")
    hard: Mapped[bool] = mapped_column(default=False)
    workout_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("workouts.id", ondelete="RESTRICT"), index=True
    )
    workout_name: Mapped[str] = mapped_column(sa.String(200), default="")
    zwo: Mapped[str] = mapped_column(sa.Text, default="")
    duration_s: Mapped[float] = mapped_column(default=0.0)
    distance_m: Mapped[float] = mapped_column(default=0.0)
    load: Mapped[float] = mapped_column(default=0.0)
    targets: Mapped[Any] = mapped_column(sa.JSON, default=list)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    why: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    edited: Mapped[bool] = mapped_column(default=False)
    skipped_reason: Mapped[str | None] = mapped_column(sa.Text)
    mark: Mapped[str | None] = mapped_column(sa.String(20))
    mark_reason: Mapped[str | None] = mapped_column(sa.Text)
    mark_duration_s: Mapped[float | None] = mapped_column()
    mark_distance_m: Mapped[float | None] = mapped_column()
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sessions.id", ondelete="SET NULL"), index=True
    )

    plan: Mapped[Plan] = relationship(back_populates="days")
    workout: Mapped[Workout | None] = relationship()

    def __repr__(self) -> str:
        return f"<PlanDay {self.id} {self.date} {self.kind}>"


class StoredResponseModel(db.Model):  # type: ignore[name-defined]
    """A runner's response model as last fitted (``plans.response``), kept so that pages do
    not fit again while its inputs stay the same.

    ``fingerprint``: a hash of what the fit read (the algorithm's version, the daily loads
    up to the last performance, the performances); ``result``: the fit as JSON.
    """

    __tablename__ = "response_models"

    runner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("runners.id", ondelete="CASCADE"), primary_key=True
    )
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    result: Mapped[Any] = mapped_column(sa.JSON)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
