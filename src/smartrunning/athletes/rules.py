"""Who may see which runner's data: one rule, as queries, for pages, API, CLI and jobs.

Every model that belongs to a runner (sessions, import jobs, plans, bests …) is visible
exactly when its runner is: admins see every runner, a coach the runners assigned to them
(and their own profile), a runner themself. ``restrict`` narrows any query of such a model
by that rule (NetBox's ``RestrictedQuerySet``); ``get_visible`` fetches one row by id
through it, and answers ``NotFound`` for one that exists but is not visible, exactly as for
one that does not exist, so ids of other runners' data reveal nothing.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

import sqlalchemy as sa

from smartrunning.accounts.models import Role, User
from smartrunning.athletes.models import CoachAssignment, Runner
from smartrunning.platform.db import db
from smartrunning.platform.errors import NotFound

__all__ = [
    "Action",
    "can",
    "coach_ids",
    "get_visible",
    "restrict",
    "visible_runner",
    "visible_runners",
]

#: ``view``: see the runner's data. ``coach``: plan and edit it (the runner's coaches and
#: admins; a runner does not edit the plan their coach made).
Action = Literal["view", "coach"]

M = TypeVar("M")

_MAX_ID = 2**31 - 1


def _runner_ids(user: User, action: Action) -> sa.Select[Any] | None:
    """The ids of the runners ``user`` may ``action``; ``None``: every runner."""
    if user.has_role(Role.ADMIN):
        return None
    if action == "coach" and not user.has_role(Role.COACH):
        return sa.select(Runner.id).where(sa.false())
    if user.has_role(Role.COACH):
        assigned = sa.select(CoachAssignment.runner_id).where(CoachAssignment.coach_id == user.id)
        return sa.select(Runner.id).where(
            sa.or_(Runner.id.in_(assigned), Runner.user_id == user.id)
        )
    return sa.select(Runner.id).where(Runner.user_id == user.id)


def restrict(
    query: sa.Select[Any], user: User, runner_id: Any, action: Action = "view"
) -> sa.Select[Any]:
    """``query`` narrowed to the rows whose runner (the column ``runner_id``) ``user`` may
    ``action``."""
    ids = _runner_ids(user, action)
    return query if ids is None else query.where(runner_id.in_(ids))


def visible_runners(user: User, action: Action = "view") -> sa.Select[Any]:
    """The runners ``user`` may ``action``, as a query."""
    return restrict(sa.select(Runner), user, Runner.id, action)


def get_visible(
    user: User, model: type[M], object_id: int, *, name: str, action: Action = "view"
) -> M:
    """The ``model`` row ``object_id`` if ``user`` may ``action`` its runner; otherwise
    ``NotFound("No such {name}.")``, whether it exists or not. One query."""
    table: Any = model  # a mapped class of a runner's data: it has ``id`` and ``runner_id``
    runner_id = Runner.id if model is Runner else table.runner_id
    row = None
    if 0 < object_id <= _MAX_ID:
        key = table.id
        row = db.session.execute(
            restrict(sa.select(model).where(key == object_id), user, runner_id, action)
        ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"No such {name}.")
    return row


def can(user: User, runner: Runner, action: Action = "view") -> bool:
    """Whether ``user`` may ``action`` ``runner`` (an object already loaded)."""
    if user.has_role(Role.ADMIN):
        return True
    if action == "coach" and not user.has_role(Role.COACH):
        return False
    if runner.user_id == user.id:
        return True
    if user.has_role(Role.COACH):
        return db.session.get(CoachAssignment, (user.id, runner.id)) is not None
    return False


def visible_runner(user: User, runner_id: int) -> Runner:
    """The runner if ``user`` may see it; otherwise NotFound (the same as not existing)."""
    return get_visible(user, Runner, runner_id, name="runner")


def coach_ids(runner_id: int) -> set[int]:
    """The user ids of the runner's coaches (whom features tell about the runner)."""
    return set(
        db.session.execute(
            sa.select(CoachAssignment.coach_id).where(CoachAssignment.runner_id == runner_id)
        ).scalars()
    )
