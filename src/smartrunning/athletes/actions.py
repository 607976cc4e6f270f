"""Runners and coaching: the one creation path for runners, visibility and assignment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import (
    Role,
    User,
    UserRole,
)
from smartrunning.athletes.models import (
    CoachAssignment,
    RecomputeRequest,
    Runner,
    Sex,
)
from smartrunning.athletes.rules import visible_runners
from smartrunning.platform.db import db
from smartrunning.platform.errors import (
    Conflict,
    InvalidInput,
)
from smartrunning.platform.transactions import transaction
from smartrunning.science import defaults

__all__ = [
    "ONBOARDING_STEPS",
    "ONLY_THEMSELVES",
    "AthleteRow",
    "advance_onboarding",
    "assign_coach",
    "athlete_rows",
    "coach_named",
    "coaches",
    "create_login",
    "create_runner",
    "parse_sex",
    "runner_for_user",
    "runner_id_of",
    "save_basics",
    "save_new_runner",
    "unassign_coach",
    "update_basics",
    "update_schedule",
]

OLDEST_BIRTH_YEAR = 1900
YOUNGEST_AGE_YEARS = 5
#: Wizard steps: basics, heart rate, personal bests, training; 5 (a login) is for coaches.
ONBOARDING_STEPS = 4


MAX_WEEKLY_RUNNING_MIN = 3000
"""50 hours: more than any runner trains in a week."""


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
    onboarding_step: int | None = 2,
) -> Runner:
    """Create a runner. Every path that creates one (wizard, pages, API, CLI) comes here.

    Defaults (schedule, and through ``athletes.parameters`` HRmax, zones, CS and model
    parameters) come from ``science.defaults``. A runner created by a coach is assigned
    to that coach; ``coach`` assigns another. The basics are known, so the onboarding
    wizard continues at step 2 unless told otherwise.
    """
    clean_name = _check_basics(name, birth_date, today)
    if coach is not None and created_by is not None:
        _check_may_assign(created_by, coach)
    if user is not None and runner_for_user(user) is not None:
        raise Conflict(f"{user.username} already has a runner profile.", field="user")
    runner = Runner(
        name=clean_name,
        birth_date=birth_date,
        sex=sex,
        user=user,
        created_by_id=created_by.id if created_by else None,
        training_weekdays=_weekdays_text(defaults.TRAINING_WEEKDAYS),
        long_run_weekday=defaults.LONG_RUN_WEEKDAY,
        sessions_per_week=defaults.SESSIONS_PER_WEEK,
        notes="",
        onboarding_step=onboarding_step,
    )
    db.session.add(runner)
    db.session.flush()
    if coach is not None:
        assign_coach(runner, coach)
    elif created_by is not None and Role.COACH in created_by.roles:
        assign_coach(runner, created_by)
    return runner


def save_new_runner(
    name: str,
    birth_date: dt.date,
    sex: Sex,
    *,
    created_by: User | None,
    today: dt.date,
    user: User | None = None,
    coach: User | None = None,
) -> Runner:
    """``create_runner`` as an action of its own (the API and the CLI): commits the
    runner and its coaching, or rolls back and raises what refused it."""
    with transaction():
        return create_runner(
            name, birth_date, sex, created_by=created_by, today=today, user=user, coach=coach
        )


def _check_basics(name: str, birth_date: dt.date, today: dt.date) -> str:
    clean_name = " ".join(name.split())
    if not clean_name or len(clean_name) > 120:
        raise InvalidInput("Name: 1–120 characters.", field="name")
    if birth_date.year < OLDEST_BIRTH_YEAR or birth_date > today:
        raise InvalidInput("Birth date must be a past date after 1900.", field="birth_date")
    if (today - birth_date).days < YOUNGEST_AGE_YEARS * 365:
        raise InvalidInput(
            f"A runner must be at least {YOUNGEST_AGE_YEARS} years old.", field="birth_date"
        )
    return clean_name


def _weekdays_text(days: frozenset[int] | set[int]) -> str:
    return "".join(str(d) for d in sorted(days))


def update_basics(
    runner: Runner, name: str, birth_date: dt.date, sex: Sex, *, today: dt.date
) -> None:
    """Name, birth date and sex. The last two feed the analysis (HRmax estimated from age,
    TRIMP by sex), so changing either requests a recomputation of every session."""
    clean_name = _check_basics(name, birth_date, today)
    analysed_inputs_changed = birth_date != runner.birth_date or sex != runner.sex
    since_birth = min(birth_date, runner.birth_date) if runner.birth_date else birth_date
    runner.name = clean_name
    runner.birth_date = birth_date
    runner.sex = sex
    if analysed_inputs_changed and runner.id is not None:
        # From birth: no session comes before it, and the recomputation starts at the
        # runner's first session whatever the date asked for.
        db.session.add(
            RecomputeRequest(
                runner_id=runner.id, from_date=since_birth, reason="birth date or sex changed"
            )
        )
        db.session.flush()


def save_basics(
    runner: Runner, name: str, birth_date: dt.date, sex: Sex, *, today: dt.date
) -> None:
    """``update_basics`` as an action of its own (the API and the CLI): commits, or rolls
    back and raises what refused it."""
    with transaction():
        update_basics(runner, name, birth_date, sex, today=today)


def update_schedule(
    runner: Runner,
    weekdays: set[int],
    long_run_weekday: int,
    sessions_per_week: int,
    notes: str,
    weekly_running_min: int | None = None,
) -> None:
    """Training weekdays (0 = Monday), the long-run day among them, sessions per week, and
    the current weekly running the runner states (minutes; None: not stated)."""
    if not weekdays or not weekdays <= set(range(7)):
        raise InvalidInput("Choose at least one training day.", field="training_weekdays")
    if long_run_weekday not in weekdays:
        raise InvalidInput("The long-run day must be a training day.", field="long_run_weekday")
    if not 1 <= sessions_per_week <= 14:
        raise InvalidInput("Sessions per week: 1 to 14.", field="sessions_per_week")
    if sessions_per_week < len(weekdays):
        raise InvalidInput(
            "Sessions per week cannot be fewer than the training days.", field="sessions_per_week"
        )
    runner.training_weekdays = _weekdays_text(weekdays)
    runner.long_run_weekday = long_run_weekday
    if weekly_running_min is not None and not 0 <= weekly_running_min <= MAX_WEEKLY_RUNNING_MIN:
        raise InvalidInput(
            f"Weekly running: 0 to {MAX_WEEKLY_RUNNING_MIN} minutes.", field="weekly_running_min"
        )
    runner.sessions_per_week = sessions_per_week
    runner.weekly_running_min = weekly_running_min
    runner.notes = notes.strip()[:5000]


def advance_onboarding(runner: Runner, completed_step: int) -> None:
    """Mark ``completed_step`` done; after the last step the profile is complete."""
    if runner.onboarding_step is None:
        return
    if completed_step >= ONBOARDING_STEPS:
        runner.onboarding_step = None
    else:
        runner.onboarding_step = max(runner.onboarding_step, completed_step + 1)


def create_login(runner: Runner, username: str, *, by: User) -> tuple[User, str]:
    """Give a runner without one a login with a temporary password (returned once)."""
    if runner.user_id is not None:
        raise Conflict("This athlete already has a login.", field="username")
    password = accounts.generate_password()
    user = accounts.create_user(
        username, password, {Role.RUNNER}, created_by=by, display_name=runner.name
    )
    runner.user = user
    db.session.flush()
    return user, password


def runner_for_user(user: User) -> Runner | None:
    return db.session.execute(
        sa.select(Runner).where(Runner.user_id == user.id)
    ).scalar_one_or_none()


def runner_id_of(user: User) -> int | None:
    """The id of ``user``'s own runner profile (``accounts.schemas``' runner lookup)."""
    return db.session.execute(
        sa.select(Runner.id).where(Runner.user_id == user.id)
    ).scalar_one_or_none()


ONLY_THEMSELVES = "A coach assigns new runners only to themselves."


def _check_may_assign(by: User, coach: User) -> None:
    """Admins assign runners to any coach; a coach only to themselves, told so in the
    same words whoever the other account is (or whether it exists)."""
    if not by.has_role(Role.ADMIN) and coach.id != by.id:
        raise InvalidInput(ONLY_THEMSELVES, field="coach")


def coach_named(username: str, *, by: User) -> User:
    """The coach a new runner of ``by`` goes to: ``by`` themselves for a coach (any other
    name, existing or not, gets the same refusal, so the answer tells a coach nothing
    about other accounts); any coach for an admin, who may list the users anyway.

    Raises:
        InvalidInput: as above, or for an admin a name that is no active coach.
    """
    found = accounts.find_user(username)
    if not by.has_role(Role.ADMIN):
        if found is None or found.id != by.id:
            raise InvalidInput(ONLY_THEMSELVES, field="coach")
        return found
    if found is None or not found.is_active or Role.COACH not in found.roles:
        raise InvalidInput(f"No active coach is named {username!r}.", field="coach")
    return found


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


@dataclass(frozen=True, slots=True)
class AthleteRow:
    """A runner of the athletes dashboard, with the logins it shows."""

    runner: Runner
    username: str | None
    coaches: tuple[str, ...]


_LOGIN = aliased(User, name="login")
"""A runner's own login, joined beside it (made once: building an alias and its columns
for each call cost ~0.5 ms of the dashboard)."""


def athlete_rows(user: User) -> list[AthleteRow]:
    """The runners ``user`` may see, by name, with their own login's username and their
    coaches' usernames. Two queries whatever the count; the runners' relationships are
    not loaded (the dashboard is the app's most visited page)."""
    rows = db.session.execute(
        visible_runners(user)
        .add_columns(_LOGIN.username)
        .outerjoin(_LOGIN, _LOGIN.id == Runner.user_id)
        .order_by(sa.func.lower(Runner.name), Runner.id)
    ).all()
    coaches: dict[int, list[str]] = {}
    if rows:
        for runner_id, username in db.session.execute(
            sa.select(CoachAssignment.runner_id, User.username)
            .join(User, User.id == CoachAssignment.coach_id)
            .where(CoachAssignment.runner_id.in_([r.id for r, _u in rows]))
            .order_by(CoachAssignment.runner_id, User.username)
        ):
            coaches.setdefault(runner_id, []).append(username)
    return [AthleteRow(r, username, tuple(coaches.get(r.id, ()))) for r, username in rows]
