"""A notification as the API, the CLI and the inbox show it (:class:`NotificationShape`).

:func:`notification_shape` builds it from the model; the API serialises
it with :data:`NotificationOut`, derived from the same fields; the CLI prints
:meth:`~smartrunning.platform.shapes.Shape.as_dict` with ``--json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from smartrunning.notifications.models import Notification, NotificationKind
from smartrunning.platform.shapes import Shape, doc, schema_of

__all__ = ["KINDS", "NotificationOut", "NotificationShape", "notification_shape"]

KINDS: Final = [k.value for k in NotificationKind]
"""The kinds of notification, by value."""


@dataclass(frozen=True, slots=True)
class NotificationShape(Shape):
    """One notification of a user's inbox (``read_at`` ``None`` while unread)."""

    id: int
    kind: str = field(metadata=doc(enum=KINDS))
    title: str
    body: str
    link: str = field(metadata=doc("a path of this site (the day, the session)"))
    created_at: dt.datetime
    read_at: dt.datetime | None


NotificationOut = schema_of(NotificationShape, name="NotificationOut")


def notification_shape(row: Notification) -> NotificationShape:
    """The notification as the API, the CLI and the inbox show it."""
    return NotificationShape(
        id=row.id,
        kind=row.kind.value,
        title=row.title,
        body=row.body,
        link=row.link,
        created_at=row.created_at,
        read_at=row.read_at,
    )
