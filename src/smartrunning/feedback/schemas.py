"""Feedback as the API, the CLI and the pages show it: a session's rating
(:class:`FeedbackShape`) and one comment of a thread (:class:`CommentShape`).

:func:`feedback_shape` and :func:`comment_shape` build them from the models; the API
serialises them with :data:`FeedbackOut` and :data:`CommentOut`, derived from the same
fields; the CLI prints :meth:`~smartrunning.platform.shapes.Shape.as_dict` with ``--json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from smartrunning.feedback.models import Comment, SessionFeedback
from smartrunning.platform.shapes import Shape, doc, schema_of

__all__ = [
    "CommentOut",
    "CommentShape",
    "FeedbackOut",
    "FeedbackShape",
    "comment_shape",
    "feedback_shape",
]


@dataclass(frozen=True, slots=True)
class FeedbackShape(Shape):
    """The runner's RPE and feeling of a session, and its session-RPE load (all ``None``
    until given)."""

    session_id: int
    rpe: int | None
    feeling: str | None
    srpe_load: float | None = field(
        metadata=doc("Foster's session RPE, scaled so an hour at RPE 7 = 100")
    )
    updated_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CommentShape(Shape):
    """One comment of a session's or a planned day's thread, with its author's name."""

    id: int
    runner_id: int
    session_id: int | None
    plan_day_id: int | None
    author: str
    author_id: int | None
    body: str
    private: bool
    created_at: dt.datetime


FeedbackOut = schema_of(FeedbackShape, name="FeedbackOut")
CommentOut = schema_of(CommentShape, name="CommentOut")


def feedback_shape(row: SessionFeedback | None, session_id: int) -> FeedbackShape:
    """The session's rating as the API and the CLI show it (all ``None`` without ``row``)."""
    return FeedbackShape(
        session_id=session_id,
        rpe=row.rpe if row else None,
        feeling=row.feeling.value if row and row.feeling else None,
        srpe_load=row.srpe_load if row else None,
        updated_at=row.updated_at if row else None,
    )


def comment_shape(row: Comment, authors: dict[int, str]) -> CommentShape:
    """A comment as the API and the CLI show it, its author named from ``authors``
    (:func:`~smartrunning.feedback.actions.authors_of`)."""
    return CommentShape(
        id=row.id,
        runner_id=row.runner_id,
        session_id=row.session_id,
        plan_day_id=row.plan_day_id,
        author=authors.get(row.author_id or 0, "former user"),
        author_id=row.author_id,
        body=row.body,
        private=row.private,
        created_at=row.created_at,
    )
