"""Feedback over the API: a session's RPE and feeling, and the comment threads of sessions
and planned days (same rules as the pages; another runner's answers 404)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartrunning.accounts.policy import this_user
from smartrunning.feedback import actions
from smartrunning.feedback.models import Feeling
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


class FeedbackOut(Schema):
    session_id = fields.Int()
    rpe = fields.Int(allow_none=True)
    feeling = fields.Str(allow_none=True)
    srpe_load = fields.Float(
        allow_none=True,
        metadata={"description": "Foster's session RPE, scaled so an hour at RPE 7 = 100"},
    )
    updated_at = fields.DateTime(allow_none=True)


class CommentIn(Schema):
    body = fields.Str(required=True, validate=validate.Length(max=actions.COMMENT_MAX))
    private = StrictBool(
        load_default=False,
        metadata={"description": "a coach's note the runner never sees"},
    )


class CommentOut(Schema):
    id = fields.Int()
    runner_id = fields.Int()
    session_id = fields.Int(allow_none=True)
    plan_day_id = fields.Int(allow_none=True)
    author = fields.Str()
    author_id = fields.Int(allow_none=True)
    body = fields.Str()
    private = fields.Bool()
    created_at = fields.DateTime()


def _thread(subject: actions.Subject) -> list[dict[str, Any]]:
    rows = actions.thread(this_user(), subject)
    authors = actions.authors_of(rows)
    return [actions.comment_json(row, authors) for row in rows]


def _posted(subject: actions.Subject, data: dict[str, Any]) -> dict[str, Any]:
    row = actions.add_comment(this_user(), subject, data["body"], private=data["private"])
    return actions.comment_json(row, actions.authors_of([row]))


@blp.route("/sessions/<int:session_id>/feedback")
class SessionFeedback(MethodView):
    @blp.response(200, FeedbackOut)
    def get(self, session_id: int) -> Any:
        """The runner's RPE, feeling and the session-RPE load of a session."""
        _subject, session = actions.session_subject(this_user(), session_id)
        return actions.feedback_json(actions.feedback_of(session.id), session.id)

    @blp.arguments(FeedbackIn)
    @blp.response(200, FeedbackOut)
    def put(self, data: dict[str, Any], session_id: int) -> Any:
        """Give the RPE and feeling of your own session (the runner only; others 403),
        with an optional comment for the thread."""
        row = actions.set_session_feedback(
            this_user(),
            session_id,
            rpe=data["rpe"],
            feeling=data["feeling"],
            comment=data["comment"],
        )
        return actions.feedback_json(row, session_id)


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
