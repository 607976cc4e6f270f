"""Who needs attention today: per athlete of a coach, today's form, the last 7 and 28
days' compliance with the plan, missed sessions, new uploads and unread comments since the
coach last looked, and the day to open. A fixed number of queries whatever the roster.

Compliance over a window is the share of the planned days before today that were done
within ±50 % of the plan (``plans.compliance``'s ``good`` and ``fair``); a planned day with
no running session that day, not skipped, is missed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

import sqlalchemy as sa

from smartrunning.accounts.models import User
from smartrunning.athletes.models import ParameterSuggestion, SuggestionStatus
from smartrunning.coaching.models import AthleteSeen
from smartrunning.feedback import actions as feedback
from smartrunning.feedback.models import Comment, SessionFeedback, ThreadRead
from smartrunning.plans import compliance
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.platform.db import db
from smartrunning.sessions.models import HistoryDay, TrainingSession

__all__ = ["AthleteStatus", "statuses"]

WINDOW_DAYS: Final = 28
WEEK_DAYS: Final = 7
#: Form (TSB) below this is worth a look (deep fatigue); SCIENCE.md's race-day range
#: starts at +5, and about −30 is where training platforms shade form as high risk.
LOW_FORM: Final = -30.0


@dataclass
class AthleteStatus:
    runner_id: int
    form: float | None = None
    form_day: dt.date | None = None
    compliance_7: float | None = None
    compliance_28: float | None = None
    missed_7: int = 0
    missed_28: int = 0
    new_uploads: int = 0
    unread_comments: int = 0
    seen_at: dt.datetime | None = None
    link: str | None = None
    upload_link: str | None = None
    #: The runner's latest rating: RPE, feeling (words) and its session.
    last_rpe: int | None = None
    last_feeling: str | None = None
    last_rated_session: int | None = None
    #: Parameter changes suggested (a fitted CS while an entered one is in force) and not
    #: yet accepted or dismissed; ``suggestion_link`` is where they are decided.
    suggestions: int = 0
    suggestion_link: str | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        """How much this athlete needs the coach today (higher first)."""
        low_form = self.form is not None and self.form < LOW_FORM
        poor = self.compliance_7 is not None and self.compliance_7 < 0.5
        return (
            3 * self.unread_comments
            + 3 * self.missed_7
            + self.missed_28
            + 2 * self.new_uploads
            + (3 if low_form else 0)
            + (2 if poor else 0)
            + (2 if self.suggestions else 0)
        )


def statuses(coach: User, runner_ids: list[int], today: dt.date) -> dict[int, AthleteStatus]:
    """Each runner's status for ``coach`` on ``today`` (runners the caller already checked
    the coach may see)."""
    out = {rid: AthleteStatus(rid) for rid in runner_ids}
    if not runner_ids:
        return out
    _form(out, runner_ids, today)
    _compliance(out, runner_ids, today)
    seen = dict(
        db.session.execute(
            sa.select(AthleteSeen.runner_id, AthleteSeen.seen_at).where(
                AthleteSeen.coach_id == coach.id, AthleteSeen.runner_id.in_(runner_ids)
            )
        ).all()
    )
    _uploads(out, runner_ids, seen, today)
    for runner_id, count in feedback.unread_by_runner(coach, runner_ids).items():
        out[runner_id].unread_comments = count
    _unread_links(coach, out, runner_ids)
    _last_ratings(out, runner_ids)
    _suggestions(out, runner_ids)
    for status in out.values():
        status.seen_at = seen.get(status.runner_id)
        _reasons(status)
    return out


def _form(out: dict[int, AthleteStatus], ids: list[int], today: dt.date) -> None:
    latest = (
        sa.select(HistoryDay.runner_id, sa.func.max(HistoryDay.day).label("day"))
        .where(HistoryDay.runner_id.in_(ids), HistoryDay.day <= today)
        .group_by(HistoryDay.runner_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(HistoryDay.runner_id, HistoryDay.day, HistoryDay.form).join(
            latest,
            sa.and_(latest.c.runner_id == HistoryDay.runner_id, latest.c.day == HistoryDay.day),
        )
    ).all()
    for runner_id, day, form in rows:
        out[runner_id].form = form
        out[runner_id].form_day = day


def _compliance(out: dict[int, AthleteStatus], ids: list[int], today: dt.date) -> None:
    first = today - dt.timedelta(days=WINDOW_DAYS)
    week = today - dt.timedelta(days=WEEK_DAYS)
    days = db.session.execute(
        sa.select(PlanDay, Plan.runner_id)
        .join(Plan, Plan.id == PlanDay.plan_id)
        .where(Plan.runner_id.in_(ids), PlanDay.date >= first, PlanDay.date < today)
        .order_by(PlanDay.date.desc(), PlanDay.id)
    ).all()
    sessions: dict[tuple[int, dt.date], TrainingSession] = {}
    for row in db.session.execute(
        sa.select(TrainingSession)
        .where(
            TrainingSession.runner_id.in_(ids),
            TrainingSession.sport == compliance.RUNNING,
            TrainingSession.local_date >= first,
            TrainingSession.local_date < today,
        )
        .order_by(TrainingSession.timer_time_s.desc(), TrainingSession.id)
    ).scalars():
        sessions.setdefault((row.runner_id, row.local_date), row)
    tallies: dict[int, dict[str, int]] = {
        rid: {"p7": 0, "d7": 0, "p28": 0, "d28": 0} for rid in ids
    }
    for day, runner_id in days:
        if day.kind == "rest" or day.skipped_reason is not None:
            continue
        status = out[runner_id]
        result = compliance.compliance(day, sessions.get((runner_id, day.date)), today)
        done = result.colour in ("good", "fair")
        tally = tallies[runner_id]
        tally["p28"] += 1
        tally["d28"] += done
        if result.colour == "missed":
            status.missed_28 += 1
            if status.link is None:
                status.link = f"/plan-days/{day.id}/comments"
        if day.date >= week:
            tally["p7"] += 1
            tally["d7"] += done
            status.missed_7 += result.colour == "missed"
    for runner_id, tally in tallies.items():
        if tally["p7"]:
            out[runner_id].compliance_7 = tally["d7"] / tally["p7"]
        if tally["p28"]:
            out[runner_id].compliance_28 = tally["d28"] / tally["p28"]


def _uploads(
    out: dict[int, AthleteStatus],
    ids: list[int],
    seen: dict[int, dt.datetime],
    today: dt.date,
) -> None:
    """Sessions stored since the coach last looked (never looked: the last 7 days)."""
    default = dt.datetime.combine(today - dt.timedelta(days=WEEK_DAYS), dt.time(), tzinfo=dt.UTC)
    since = (
        sa.case(
            *(
                (
                    TrainingSession.runner_id == rid,
                    sa.literal(at, type_=TrainingSession.created_at.type),
                )
                for rid, at in seen.items()
            ),
            else_=sa.literal(default, type_=TrainingSession.created_at.type),
        )
        if seen
        else sa.literal(default, type_=TrainingSession.created_at.type)
    )
    rows = db.session.execute(
        sa.select(TrainingSession.runner_id, TrainingSession.id)
        .where(TrainingSession.runner_id.in_(ids), TrainingSession.created_at > since)
        .order_by(TrainingSession.local_date.desc(), TrainingSession.id.desc())
    ).all()
    for runner_id, session_id in rows:
        status = out[runner_id]
        if status.new_uploads == 0:
            status.upload_link = f"/sessions/{session_id}/feedback"
        status.new_uploads += 1


def _unread_links(coach: User, out: dict[int, AthleteStatus], ids: list[int]) -> None:
    """The thread of each runner's latest comment unread by the coach: the day to open."""
    with_unread = [rid for rid in ids if out[rid].unread_comments]
    if not with_unread:
        return
    rows = db.session.execute(
        sa.select(
            Comment.runner_id,
            Comment.session_id,
            Comment.plan_day_id,
            ThreadRead.read_at,
            Comment.created_at,
        )
        .outerjoin(
            ThreadRead,
            sa.and_(
                ThreadRead.user_id == coach.id,
                ThreadRead.thread
                == sa.case(
                    (
                        Comment.session_id.is_not(None),
                        sa.literal("session:") + sa.cast(Comment.session_id, sa.String),
                    ),
                    else_=sa.literal("day:") + sa.cast(Comment.plan_day_id, sa.String),
                ),
            ),
        )
        .where(Comment.runner_id.in_(with_unread), Comment.author_id != coach.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    ).all()
    found: set[int] = set()
    for runner_id, session_id, day_id, read_at, created_at in rows:
        if runner_id in found or (read_at is not None and created_at <= read_at):
            continue
        found.add(runner_id)
        out[runner_id].link = (
            f"/sessions/{session_id}/feedback#thread"
            if session_id
            else f"/plan-days/{day_id}/comments#thread"
        )


def _last_ratings(out: dict[int, AthleteStatus], ids: list[int]) -> None:
    latest = (
        sa.select(SessionFeedback.runner_id, sa.func.max(SessionFeedback.updated_at).label("at"))
        .where(SessionFeedback.runner_id.in_(ids))
        .group_by(SessionFeedback.runner_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(SessionFeedback).join(
            latest,
            sa.and_(
                latest.c.runner_id == SessionFeedback.runner_id,
                latest.c.at == SessionFeedback.updated_at,
            ),
        )
    ).scalars()
    for row in rows:
        status = out[row.runner_id]
        status.last_rpe = row.rpe
        status.last_feeling = row.feeling.label if row.feeling else None
        status.last_rated_session = row.session_id


def _suggestions(out: dict[int, AthleteStatus], ids: list[int]) -> None:
    rows = db.session.execute(
        sa.select(ParameterSuggestion.runner_id, sa.func.count())
        .where(
            ParameterSuggestion.runner_id.in_(ids),
            ParameterSuggestion.status == SuggestionStatus.OPEN,
        )
        .group_by(ParameterSuggestion.runner_id)
    ).all()
    for runner_id, count in rows:
        out[runner_id].suggestions = int(count)
        out[runner_id].suggestion_link = f"/runners/{runner_id}#suggestions"


def _reasons(status: AthleteStatus) -> None:
    if status.unread_comments:
        n = status.unread_comments
        status.reasons.append(f"{n} unread comment{'s' if n != 1 else ''}")
    if status.missed_7:
        n = status.missed_7
        status.reasons.append(f"{n} missed session{'s' if n != 1 else ''} this week")
    if status.new_uploads:
        n = status.new_uploads
        status.reasons.append(f"{n} new session{'s' if n != 1 else ''}")
        if status.link is None:
            status.link = status.upload_link
    if status.form is not None and status.form < LOW_FORM:
        status.reasons.append("very tired (form below −30)")
        if status.link is None:  # the history, which shows the days that tired them
            status.link = f"/runners/{status.runner_id}/history"
    if status.compliance_7 is not None and status.compliance_7 < 0.5:
        status.reasons.append("under half of this week's plan done")
