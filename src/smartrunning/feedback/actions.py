"""Feedback writes and reads: a runner's RPE and feeling per session (with its
session-RPE load), comments on sessions and planned days, and unread counts.

Who may do what (the pages, the API and the CLI alike):
- a session or planned day is found through ``athletes.rules`` (another runner's: 404);
- RPE and feeling: the runner themself (their own login), no one else (403);
- comments: anyone who sees the runner (the runner, their coaches, admins);
- a private note: the runner's coaches and admins write and read it; the runner never sees it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal

import sqlalchemy as sa

from smartrunning.accounts.models import Role, User
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import rules
from smartrunning.athletes.models import Runner
from smartrunning.feedback.models import Comment, Feeling, SessionFeedback, ThreadRead
from smartrunning.notifications import actions as notifications
from smartrunning.notifications.models import NotificationKind
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput, NotFound, ServiceError
from smartrunning.platform.transactions import transaction
from smartrunning.science import session_rpe
from smartrunning.sessions import recompute
from smartrunning.sessions.analysis_state import lock_runner
from smartrunning.sessions.models import TrainingSession

__all__ = [
    "COMMENT_MAX",
    "Forbidden",
    "Subject",
    "add_comment",
    "feedback_of",
    "may_see_private",
    "plan_day_subject",
    "session_subject",
    "set_session_feedback",
    "srpe_load_of",
    "thread",
    "unread_by_runner",
]

COMMENT_MAX: Final = 5000
SRPE_MODEL: Final = "srpe"


class Forbidden(ServiceError):
    """Visible, but not this user's to do (e.g. a coach giving the runner's RPE)."""

    status = 403


@dataclass(frozen=True)
class Subject:
    """What a thread is about: a session or a planned day of ``runner``."""

    kind: Literal["session", "day"]
    id: int
    runner: Runner
    date: dt.date
    title: str

    @property
    def thread_key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def link(self) -> str:
        if self.kind == "session":
            return f"/sessions/{self.id}/feedback"
        return f"/plan-days/{self.id}/comments"


def session_subject(user: User, session_id: int) -> tuple[Subject, TrainingSession]:
    session = rules.get_visible(user, TrainingSession, session_id, name="session")
    runner = db.session.get_one(Runner, session.runner_id)
    title = f"{session.sport.replace('_', ' ').capitalize()} of {session.local_date:%a %d %b %Y}"
    return Subject("session", session.id, runner, session.local_date, title), session


def plan_day_subject(user: User, day_id: int) -> tuple[Subject, PlanDay]:
    row: Any = None
    if 0 < day_id < 2**31:
        query: Any = (
            sa.select(PlanDay, Plan.runner_id)
            .join(Plan, Plan.id == PlanDay.plan_id)
            .where(PlanDay.id == day_id)
        )
        row = db.session.execute(rules.restrict(query, user, Plan.runner_id)).first()
    if row is None:
        raise NotFound("No such planned day.")
    day, runner_id = row
    runner = db.session.get_one(Runner, runner_id)
    name = day.workout_name or day.kind.replace("_", " ")
    return Subject("day", day.id, runner, day.date, f"{name}, {day.date:%a %d %b %Y}"), day


def may_see_private(user: User, runner: Runner) -> bool:
    """The runner's coaches and admins (the ``coach`` rule), never the runner as such."""
    if runner.user_id == user.id and not user.has_role(Role.ADMIN):
        return False
    allowed = db.session.execute(
        rules.restrict(sa.select(Runner.id).where(Runner.id == runner.id), user, Runner.id, "coach")
    ).first()
    return allowed is not None


def feedback_of(session_id: int) -> SessionFeedback | None:
    return db.session.get(SessionFeedback, session_id)


def set_session_feedback(
    user: User,
    session_id: int,
    *,
    rpe: int | None,
    feeling: str | None,
    comment: str = "",
) -> SessionFeedback:
    """The runner's RPE (1–10) and feeling for their session, and optionally a comment.

    The session-RPE load (``science.session_rpe``) is stored with it; a session without a
    load of its own (no heart rate, no pace) takes it as its load, and the history is
    recomputed from its day. Commits (refused: rolled back).
    """
    with transaction():
        return _set_session_feedback(user, session_id, rpe=rpe, feeling=feeling, comment=comment)


def _set_session_feedback(
    user: User, session_id: int, *, rpe: int | None, feeling: str | None, comment: str
) -> SessionFeedback:
    subject, session = session_subject(user, session_id)
    if subject.runner.user_id != user.id:
        raise Forbidden("Only the runner gives the RPE and feeling of their session.")
    if rpe is not None and (
        isinstance(rpe, bool)
        or not isinstance(rpe, int)
        or not session_rpe.MIN_RPE <= rpe <= session_rpe.MAX_RPE
    ):
        raise InvalidInput("RPE is a whole number from 1 (very easy) to 10 (maximal).", field="rpe")
    mood = None
    if feeling:
        try:
            mood = Feeling(feeling)
        except ValueError:
            choices = ", ".join(f.value for f in Feeling)
            raise InvalidInput(f"Feeling is one of {choices}.", field="feeling") from None
    if rpe is None and mood is None and not comment.strip():
        raise InvalidInput("Give an RPE, a feeling or a comment.", field="rpe")
    row = feedback_of(session.id)
    if row is None:
        row = SessionFeedback(session_id=session.id, runner_id=session.runner_id)
        db.session.add(row)
    row.rpe = rpe
    row.feeling = mood
    row.srpe_load = None if rpe is None else session_rpe.session_rpe_load(rpe, session.timer_time_s)
    row.updated_at = clock.now()
    row.updated_by_id = user.id
    if comment.strip():
        add_comment(user, subject, comment)
    elif rpe is not None or mood is not None:
        words = [f"RPE {rpe}" if rpe is not None else "", mood.label.lower() if mood else ""]
        notifications.notify(
            rules.coach_ids(subject.runner.id) - {user.id},
            NotificationKind.COMMENT,
            f"{subject.runner.name} rated {subject.title}",
            body=", ".join(w for w in words if w),
            link=subject.link,
        )
    db.session.flush()
    if _srpe_chosen(subject.runner, session):
        # The runner's load model is session RPE: the rating's load, or without one the
        # session's own (its parameters applied again by the recomputation).
        lock_runner(subject.runner.id, dirty_from=session.local_date)
        session.params_hash = ""
        db.session.flush()
        recompute.recompute_runner(subject.runner)
    elif _uses_srpe(session):
        lock_runner(subject.runner.id, dirty_from=session.local_date)
        session.load = row.srpe_load
        session.load_model = None if row.srpe_load is None else SRPE_MODEL
        db.session.flush()
        recompute.recompute_runner(subject.runner)
    return row


def _srpe_chosen(runner: Runner, session: TrainingSession) -> bool:
    """The runner's load model on the session's day is session RPE (not for a session held
    out of the loads for review)."""
    if session.held:
        return False
    chosen = parameter_services.parameters_on(runner, session.local_date).load_model.value
    return bool(chosen == SRPE_MODEL)


def _uses_srpe(session: TrainingSession) -> bool:
    """A session scored by session RPE: it has no load of its own (no usable heart rate,
    no pace against a critical speed), or has one from session RPE already; never one held
    out of the loads for review."""
    own = (session.trimp, session.hrss, session.rtss)
    if session.held:
        return False
    return session.load_model == SRPE_MODEL or all(value is None for value in own)


def srpe_load_of(session_id: int) -> float | None:
    """The session-RPE load of a session, if its runner gave an RPE (for the recomputation:
    ``sessions.recompute.set_load_without_own``)."""
    return db.session.execute(
        sa.select(SessionFeedback.srpe_load).where(SessionFeedback.session_id == session_id)
    ).scalar_one_or_none()


def add_comment(user: User, subject: Subject, body: str, *, private: bool = False) -> Comment:
    """A comment (or, for coaches and admins, a private note) on a session or planned day;
    the others in the thread are notified. Commits (refused: rolled back); inside another
    action's transaction, with it."""
    with transaction():
        return _add_comment(user, subject, body, private=private)


def _add_comment(user: User, subject: Subject, body: str, *, private: bool) -> Comment:
    text = body.strip()
    if not text:
        raise InvalidInput("Write something first.", field="body")
    if len(text) > COMMENT_MAX:
        raise InvalidInput(f"At most {COMMENT_MAX} characters.", field="body")
    if private and not may_see_private(user, subject.runner):
        raise Forbidden("Only the runner's coaches write private notes.")
    row = Comment(
        runner_id=subject.runner.id,
        session_id=subject.id if subject.kind == "session" else None,
        plan_day_id=subject.id if subject.kind == "day" else None,
        author_id=user.id,
        body=text,
        private=private,
    )
    db.session.add(row)
    db.session.flush()
    _mark_read(user.id, subject)
    coaches = rules.coach_ids(subject.runner.id) - {user.id}
    runner_user = subject.runner.user_id
    who = user.display_name or user.username
    said = f"{who} {'noted' if private else 'commented'} on {subject.title}"
    # Coaches read many athletes' threads: theirs names the athlete; the runner's does not.
    notifications.notify(
        coaches,
        NotificationKind.COMMENT,
        f"{said} ({subject.runner.name})",
        body=text[:300],
        link=subject.link,
    )
    if runner_user and runner_user != user.id and not private:
        notifications.notify(
            [runner_user], NotificationKind.COMMENT, said, body=text[:300], link=subject.link
        )
    return row


def thread(user: User, subject: Subject, *, mark_read: bool = True) -> list[Comment]:
    """The comments on ``subject`` the user may read, oldest first; marks them read
    (``mark_read``; commits that)."""
    query = sa.select(Comment).order_by(Comment.created_at, Comment.id)
    if subject.kind == "session":
        query = query.where(Comment.session_id == subject.id)
    else:
        query = query.where(Comment.plan_day_id == subject.id)
    if not may_see_private(user, subject.runner):
        query = query.where(Comment.private.is_(False))
    rows = list(db.session.execute(query).scalars())
    if mark_read:
        with transaction():
            _mark_read(user.id, subject)
            notifications.mark_read_about(user.id, subject.link)
    return rows


def _mark_read(user_id: int, subject: Subject) -> None:
    row = db.session.get(ThreadRead, (user_id, subject.thread_key))
    if row is None:
        db.session.add(
            ThreadRead(user_id=user_id, thread=subject.thread_key, runner_id=subject.runner.id)
        )
    else:
        row.read_at = clock.now()
    db.session.flush()


def unread_by_runner(user: User, runner_ids: Iterable[int]) -> dict[int, int]:
    """Per runner: comments by others the user has not read (private notes count only for
    those who may read them). One query."""
    ids = list(runner_ids)
    if not ids:
        return {}
    thread_key = sa.case(
        (
            Comment.session_id.is_not(None),
            sa.literal("session:") + sa.cast(Comment.session_id, sa.String),
        ),
        else_=sa.literal("day:") + sa.cast(Comment.plan_day_id, sa.String),
    )
    read = sa.orm.aliased(ThreadRead)
    query = (
        sa.select(Comment.runner_id, sa.func.count(Comment.id))
        .outerjoin(read, sa.and_(read.user_id == user.id, read.thread == thread_key))
        .where(
            Comment.runner_id.in_(ids),
            sa.or_(Comment.author_id.is_(None), Comment.author_id != user.id),
            sa.or_(read.read_at.is_(None), Comment.created_at > read.read_at),
        )
        .group_by(Comment.runner_id)
    )
    own = db.session.execute(sa.select(Runner.id).where(Runner.user_id == user.id)).scalars()
    own_ids = set(own)
    counts: dict[int, int] = {}
    for runner_id, count in db.session.execute(query.where(Comment.private.is_(False))).all():
        counts[runner_id] = int(count)
    coached = [i for i in ids if i not in own_ids]
    if coached and (user.has_role(Role.COACH) or user.has_role(Role.ADMIN)):
        private = query.where(Comment.private.is_(True), Comment.runner_id.in_(coached))
        for runner_id, count in db.session.execute(private).all():
            counts[runner_id] = counts.get(runner_id, 0) + int(count)
    return counts


def authors_of(rows: Iterable[Comment]) -> dict[int, str]:
    ids = {r.author_id for r in rows if r.author_id}
    if not ids:
        return {}
    return {
        u.id: u.display_name or u.username
        for u in db.session.execute(sa.select(User).where(User.id.in_(ids))).scalars()
    }
