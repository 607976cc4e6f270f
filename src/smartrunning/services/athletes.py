"""Runners and coaching: the one creation path for runners, visibility and assignment."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from smartrunning.services.errors import Conflict, InvalidInput, NotFound
from smartrunning.store import CoachAssignment, Role, Runner, Sex, User, UserRole, db

__all__ = [
    "assign_coach",
    "can_view_runner",
    "coaches",
    "create_runner",
    "parse_sex",
    "runner_for_user",
    "unassign_coach",
    "visible_runner",
    "visible_runners_query",
]

OLDEST_BIRTH_YEAR = 1900
YOUNGEST_AGE_YEARS = 5


def parse_sex(value: str) -> Sex:
    try:
        return Sex(value.strip().lower())
    except ValueError:
        raise InvalidInput("Sex must be f, m or x.", field="sex") from None


def create_runner(
    name: str,
    birth_date: dt.date,
    sex: Sex,
    *,
    created_by: User | None,
    today: dt.date,
    user: User | None = None,
    coach: User | None = None,
) -> Runner:
    """Create a runner. Every path that creates one (pages, API, CLI) comes here.

    A runner created by a coach is assigned to that coach; ``coach`` assigns another.
    """
    clean_name = " ".join(name.split())
    if not clean_name or len(clean_name) > 120:
        raise InvalidInput("Name: 1–120 characters.", field="name")
    if birth_date.year < OLDEST_BIRTH_YEAR or birth_date > today:
        raise InvalidInput("Birth date must be a past date after 1900.", field="birth_date")
    if (today - birth_date).days < YOUNGEST_AGE_YEARS * 365:
        raise InvalidInput(
            f"A runner must be at least {YOUNGEST_AGE_YEARS} years old.", field="birth_date"
        )
    if user is not None and runner_for_user(user) is not None:
        raise Conflict(f"{user.username} already has a runner profile.", field="user")
    runner = Runner(
        name=clean_name,
        birth_date=birth_date,
        sex=sex,
        user=user,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(runner)
    db.session.flush()
    if coach is not None:
        assign_coach(runner, coach)
    elif created_by is not None and Role.COACH in created_by.roles:
        assign_coach(runner, created_by)
    return runner


def runner_for_user(user: User) -> Runner | None:
    return db.session.execute(
        sa.select(Runner).where(Runner.user_id == user.id)
    ).scalar_one_or_none()


def assign_coach(runner: Runner, coach: User) -> None:
    if Role.COACH not in coach.roles:
        raise InvalidInput(f"{coach.username} is not a coach.", field="coach")
    exists = db.session.get(CoachAssignment, (coach.id, runner.id))
    if exists is None:
        db.session.add(CoachAssignment(coach_id=coach.id, runner_id=runner.id))
        db.session.flush()


def unassign_coach(runner: Runner, coach: User) -> None:
    row = db.session.get(CoachAssignment, (coach.id, runner.id))
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def coaches() -> list[User]:
    return list(
        db.session.execute(
            sa.select(User)
            .join(UserRole)
            .where(UserRole.role == Role.COACH, User.is_active.is_(True))
            .order_by(User.username)
        ).scalars()
    )


def visible_runners_query(user: User) -> sa.Select[Runner]:
    """Runners ``user`` may see: admin all, a coach their assigned ones, a runner themself."""
    query = sa.select(Runner)
    if user.has_role(Role.ADMIN):
        return query
    if user.has_role(Role.COACH):
        assigned = sa.select(CoachAssignment.runner_id).where(CoachAssignment.coach_id == user.id)
        return query.where(sa.or_(Runner.id.in_(assigned), Runner.user_id == user.id))
    return query.where(Runner.user_id == user.id)


def can_view_runner(user: User, runner: Runner) -> bool:
    if user.has_role(Role.ADMIN) or runner.user_id == user.id:
        return True
    if user.has_role(Role.COACH):
        return db.session.get(CoachAssignment, (user.id, runner.id)) is not None
    return False


def visible_runner(user: User, runner_id: int) -> Runner:
    """The runner if ``user`` may see it; otherwise NotFound (the same as not existing)."""
    runner = db.session.get(Runner, runner_id)
    if runner is None or not can_view_runner(user, runner):
        raise NotFound("No such runner.")
    return runner
