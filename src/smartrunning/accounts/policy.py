"""Who may see and do what with accounts: the logged-in user, role checks, user lookups.

A role-restricted feature (admin pages, the athletes dashboard) answers 403 to anyone
without the role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user

from smartrunning.accounts.models import Role, User
from smartrunning.platform.db import db

__all__ = ["get_user_or_404", "require_role", "this_user"]

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


def get_user_or_404(user_id: int) -> User:
    """A user account, for admins only (callers are behind ``require_role(ADMIN)``)."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user
