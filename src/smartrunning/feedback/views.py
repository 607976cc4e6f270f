"""The feedback pages: a session's RPE, feeling and comments, and a planned day's
comments, each with its thread (the runner and their coaches; private notes for coaches)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from smartrunning.accounts.policy import this_user
from smartrunning.feedback import actions
from smartrunning.feedback.models import RPE_WORDS, Feeling
from smartrunning.platform.errors import InvalidInput

__all__ = ["bp"]

bp = Blueprint("feedback", __name__, template_folder="templates")


def _render(
    subject: actions.Subject,
    *,
    session: Any = None,
    status: int = 200,
    error: str | None = None,
    comment_error: str | None = None,
    form: dict[str, str] | None = None,
) -> ResponseReturnValue:
    user = this_user()
    comments = actions.thread(user, subject)  # marks them read
    feedback = actions.feedback_of(session.id) if session is not None else None
    return render_template(
        "feedback/thread.html",
        subject=subject,
        session=session,
        feedback=feedback,
        comments=comments,
        authors=actions.authors_of(comments),
        is_runner=subject.runner.user_id == user.id,
        may_note=actions.may_see_private(user, subject.runner),
        feelings=list(Feeling),
        rpe_words=RPE_WORDS,
        error=error,
        comment_error=comment_error,
        form=form or {},
    ), status


def _rpe(raw: str) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 2:
        raise InvalidInput("RPE is a whole number from 1 (very easy) to 10 (maximal).", field="rpe")
    return int(raw)


@bp.get("/sessions/<int:session_id>/feedback")
def session_feedback(session_id: int) -> ResponseReturnValue:
    subject, session = actions.session_subject(this_user(), session_id)
    return _render(subject, session=session)


@bp.post("/sessions/<int:session_id>/feedback")
def session_feedback_save(session_id: int) -> ResponseReturnValue:
    """The runner's RPE, feeling and an optional comment."""
    user = this_user()
    subject, session = actions.session_subject(user, session_id)
    form = {k: request.form.get(k, "") for k in ("rpe", "feeling", "comment")}
    try:
        actions.set_session_feedback(
            user,
            session_id,
            rpe=_rpe(form["rpe"]),
            feeling=form["feeling"] or None,
            comment=form["comment"],
        )
    except InvalidInput as exc:
        return _render(subject, session=session, status=422, error=exc.message, form=form)
    flash("Thanks, your feedback is saved.", "success")
    if request.form.get("back") == "home":  # the runner home's two-tap form
        return redirect(url_for("coaching.index"))
    return redirect(url_for("feedback.session_feedback", session_id=session_id))


@bp.post("/sessions/<int:session_id>/comments")
def session_comment(session_id: int) -> ResponseReturnValue:
    user = this_user()
    subject, session = actions.session_subject(user, session_id)
    return _comment(subject, session=session)


@bp.get("/plan-days/<int:day_id>/comments")
def day_comments(day_id: int) -> ResponseReturnValue:
    subject, _day = actions.plan_day_subject(this_user(), day_id)
    return _render(subject)


@bp.post("/plan-days/<int:day_id>/comments")
def day_comment(day_id: int) -> ResponseReturnValue:
    subject, _day = actions.plan_day_subject(this_user(), day_id)
    return _comment(subject)


def _comment(subject: actions.Subject, *, session: Any = None) -> ResponseReturnValue:
    body = request.form.get("body", "")
    private = request.form.get("private") == "on"
    try:
        actions.add_comment(this_user(), subject, body, private=private)
    except InvalidInput as exc:
        return _render(
            subject, session=session, status=422, comment_error=exc.message, form={"body": body}
        )
    flash("Note saved." if private else "Comment posted.", "success")
    return redirect(subject.link + "#thread")
