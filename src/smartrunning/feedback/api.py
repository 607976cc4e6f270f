"""Feedback over the API: a session's RPE and feeling, and the comment threads of sessions
and planned days (same rules as the pages; another runner's answers 404)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartrunning.accounts.policy import this_user
from smartrunning.feedback import actions, schemas
from smartrunning.feedback.models import Feeling
from smartrunning.feedback.schemas import CommentOut, CommentShape, FeedbackOut, FeedbackShape
from smartrunning.notifications.api import StrictBool

__all__ = ["blp"]

blp = Blueprint("api_feedback", __name__, url_prefix="/api", description="Feedback and comments")


class FeedbackIn(Schema):
    rpe = fields.Int(
        allow_none=True,
        load_default=None,
        strict=True,
        metadata={"description": "CR-10 effort, 1 (very easy) to 10 (maximal)"},
    )
    feeling = fields.Str(
        allow_none=True, load_default=None, validate=validate.OneOf([f.value for f in Feeling])
    )
    comment = fields.Str(load_default="", validate=validate.Length(max=actions.COMMENT_MAX))


class CommentIn(Schema):
    body = fields.Str(required=True, validate=validate.Length(max=actions.COMMENT_MAX))
    private = StrictBool(
        load_default=False,
        metadata={"description": "a coach's note the runner never sees"},
    )


def _thread(subject: actions.Subject) -> list[CommentShape]:
    rows = actions.thread(this_user(), subject)
    authors = actions.authors_of(rows)
    return [schemas.comment_shape(row, authors) for row in rows]


def _posted(subject: actions.Subject, data: dict[str, Any]) -> CommentShape:
    row = actions.add_comment(this_user(), subject, data["body"], private=data["private"])
    return schemas.comment_shape(row, actions.authors_of([row]))


@blp.route("/sessions/<int:session_id>/feedback")
class SessionFeedback(MethodView):
    @blp.response(200, FeedbackOut)
    def get(self, session_id: int) -> FeedbackShape:
        """The runner's RPE, feeling and the session-RPE load of a session."""
        _subject, session = actions.session_subject(this_user(), session_id)
        return schemas.feedback_shape(actions.feedback_of(session.id), session.id)

    @blp.arguments(FeedbackIn)
    @blp.response(200, FeedbackOut)
    def put(self, data: dict[str, Any], session_id: int) -> FeedbackShape:
        """Give the RPE and feeling of your own session (the runner only; others 403),
        with an optional comment for the thread."""
        row = actions.set_session_feedback(
            this_user(),
            session_id,
            rpe=data["rpe"],
            feeling=data["feeling"],
            comment=data["comment"],
        )
        return schemas.feedback_shape(row, session_id)


@blp.route("/sessions/<int:session_id>/comments")
class SessionComments(MethodView):
    @blp.response(200, CommentOut(many=True))
    def get(self, session_id: int) -> Any:
        """The session's comments the caller may read, oldest first (marks them read)."""
        subject, _session = actions.session_subject(this_user(), session_id)
        return _thread(subject)

    @blp.arguments(CommentIn)
    @blp.response(201, CommentOut)
    def post(self, data: dict[str, Any], session_id: int) -> Any:
        """Comment on a session (``private``: coaches' note)."""
        subject, _session = actions.session_subject(this_user(), session_id)
        return _posted(subject, data)


@blp.route("/plan-days/<int:day_id>/comments")
class DayComments(MethodView):
    @blp.response(200, CommentOut(many=True))
    def get(self, day_id: int) -> Any:
        """A planned day's comments the caller may read, oldest first (marks them read)."""
        subject, _day = actions.plan_day_subject(this_user(), day_id)
        return _thread(subject)

    @blp.arguments(CommentIn)
    @blp.response(201, CommentOut)
    def post(self, data: dict[str, Any], day_id: int) -> Any:
        """Comment on a planned day (``private``: coaches' note)."""
        subject, _day = actions.plan_day_subject(this_user(), day_id)
        return _posted(subject, data)
