"""Feedback as the API, the CLI and the pages show it: a session's rating
(:class:`FeedbackShape`) and one comment of a thread (:class:`CommentShape`).

``feedback.actions`` builds them from the models; the API serialises them with
:data:`FeedbackOut` and :data:`CommentOut`, derived from the same fields; the CLI prints
:meth:`~smartrunning.platform.shapes.Shape.as_dict` with ``--json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from smartrunning.platform.shapes import Shape, doc, schema_of

__all__ = ["CommentOut", "CommentShape", "FeedbackOut", "FeedbackShape"]


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
