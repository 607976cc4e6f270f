"""Access helpers: one per protected resource, each fetching *and* authorising.

A resource the current user may not see answers 404, exactly like one that does not
exist, so ids of other runners' data reveal nothing. Role-restricted features (admin
pages, the athletes dashboard) answer 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user

from smartrunning.services import athletes as athlete_services
from smartrunning.services.errors import NotFound
from smartrunning.store import CoachAssignment, Role, Runner, User, db

__all__ = [
    "RUNNER_EDITABLE",
    "get_runner_or_404",
    "get_user_or_404",
    "may_delete_runner",
    "may_edit_parameter",
    "require_role",
    "this_user",
]

#: Parameters a runner may change on their own profile, as in the onboarding wizard;
#: critical speed, pace zones and threshold HR (lab or coach judgements) are for coaches.
RUNNER_EDITABLE = frozenset(
    {"weight_kg", "hrrest_bpm", "hrmax_bpm", "hr_zones", "load_model", "fitness_fatigue"}
)

P = ParamSpec("P")
R = TypeVar("R")


def this_user() -> User:
    """The logged-in user (views behind ``login_required`` only)."""
    user = current_user._get_current_object()
    assert isinstance(user, User)
    return user


def require_role(role: Role) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: the current user's strongest role must be at least ``role``; else 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not this_user().has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_runner_or_404(runner_id: int) -> Runner:
    try:
        return athlete_services.visible_runner(this_user(), runner_id)
    except NotFound:
        abort(404)


def get_user_or_404(user_id: int) -> User:
    """A user account, for admins only (callers are behind ``require_role(ADMIN)``)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def may_edit_parameter(key: str) -> bool:
    """Whether the current user may add a version of parameter ``key`` (of a visible runner)."""
    return this_user().has_role(Role.COACH) or key in RUNNER_EDITABLE


def may_delete_runner(runner: Runner) -> bool:
    """Admins, and coaches assigned to ``runner``; never the runner themself."""
    user = this_user()
    if user.has_role(Role.ADMIN):
        return True
    return (
        user.has_role(Role.COACH)
        and db.session.get(CoachAssignment, (user.id, runner.id)) is not None
    )
