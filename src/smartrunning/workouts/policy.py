"""Fetch-and-authorise helpers for workouts, shared by the pages and the API.

Everyone logged in reads the library; what else a user may do is
``workouts.actions.can_create`` / ``can_edit`` (403 otherwise). A workout that does not
exist, or was archived, answers 404. The runner a workout is resolved for is one the user
may see (another runner's id answers 404, as everywhere).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from smartrunning.accounts.policy import this_user
from smartrunning.athletes.models import Runner
from smartrunning.athletes.policy import get_runner_or_404
from smartrunning.athletes.rules import visible_runners
from smartrunning.platform.db import db
from smartrunning.platform.errors import NotFound
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts.models import Workout

__all__ = [
    "MAX_ID",
    "chosen_runner",
    "get_workout_or_404",
    "require_create",
    "require_edit",
    "runner_choices",
]


MAX_ID = 2**31 - 1
"""The largest id an INTEGER primary key holds (PostgreSQL); larger ids cannot exist."""


def get_workout_or_404(workout_id: int) -> Workout:
    if not 0 < workout_id <= MAX_ID:
        abort(404)
    try:
        return workout_services.get_workout(workout_id)
    except NotFound:
        abort(404)


def require_create() -> None:
    if not workout_services.can_create(this_user()):
        abort(403)


def require_edit(workout: Workout) -> None:
    if not workout_services.can_edit(this_user(), workout):
        abort(403)


def runner_choices() -> list[Runner]:
    """The runners the user may resolve workouts for, by name."""
    query = visible_runners(this_user()).order_by(sa.func.lower(Runner.name), Runner.id)
    return list(db.session.execute(query).scalars())


def chosen_runner(runner_id: int | None, choices: list[Runner]) -> Runner | None:
    """The runner asked for (404 if not visible), else the only one the user sees."""
    if runner_id is not None:
        if not 0 < runner_id <= MAX_ID:
            abort(404)
        return get_runner_or_404(runner_id)
    return choices[0] if len(choices) == 1 else None
