"""Admin writes: an account made by an admin (with its runner), coach assignments.

Each action owns its transaction (``platform.transactions``): it commits, or rolls back
and raises what refused it for the page to show.
"""

from __future__ import annotations

import datetime as dt

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import Role, User
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.platform.db import db
from smartrunning.platform.errors import ServiceError
from smartrunning.platform.transactions import transaction

__all__ = ["assign_coach", "create_account", "unassign_coach"]


def create_account(
    username: str,
    password: str | None,
    role_names: list[str],
    *,
    display_name: str,
    birth_date: dt.date | None,
    sex: str,
    coach_id: int | None,
    by: User,
    today: dt.date,
) -> tuple[User, str]:
    """A user an admin makes, with a temporary password (``password``, or one generated;
    returned once) to change at first login; a runner also gets their runner profile
    (``birth_date`` required), coached by ``coach_id`` when given. Both or neither."""
    with transaction():
        roles = accounts.parse_roles(role_names)
        secret = password or accounts.generate_password()
        user = accounts.create_user(
            username,
            secret,
            roles,
            created_by=by,
            must_change_password=True,
            display_name=display_name,
        )
        if Role.RUNNER in roles:
            if birth_date is None:
                raise ServiceError("A runner needs a birth date.", field="birth_date")
            coach = db.session.get(User, coach_id) if coach_id else None
            athlete_services.create_runner(
                user.display_name,
                birth_date,
                athlete_services.parse_sex(sex),
                created_by=by,
                today=today,
                user=user,
                coach=coach,
            )
    return user, secret


def assign_coach(runner: Runner, coach: User) -> None:
    """``coach`` coaches ``runner`` (refused: not a coach)."""
    with transaction():
        athlete_services.assign_coach(runner, coach)


def unassign_coach(runner: Runner, coach: User) -> int:
    """``coach`` no longer coaches ``runner``; the runner's calendar feeds get new
    addresses (the coach saw the old ones). Returns how many feeds were rotated."""
    with transaction():
        athlete_services.unassign_coach(runner, coach)
        return plan_services.rotate_feeds(runner)
