"""Accounts: creating users, passwords, roles, activation and the first admin."""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

from smartrunning.accounts.models import (
    Role,
    User,
    UserRole,
)
from smartrunning.platform.config import Environment
from smartrunning.platform.context import settings
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.errors import (
    Conflict,
    InvalidInput,
)
from smartrunning.platform.formatting import UNITS, is_time_zone
from smartrunning.platform.transactions import transaction

__all__ = [
    "USERNAME_PATTERN",
    "authenticate",
    "change_password",
    "create_user",
    "end_sessions",
    "ensure_first_admin",
    "find_user",
    "generate_password",
    "log_in",
    "parse_roles",
    "reset_password",
    "save_new_user",
    "set_active",
    "set_display_prefs",
    "set_password",
    "set_roles",
]

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
_PRODUCTION_HASHER = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)
# The test suite creates thousands of users; there the cheapest argon2id parameters do.
_TESTING_HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)
_dummy_hashes: dict[int, str] = {}


def _hasher_for_env() -> PasswordHasher:
    return _TESTING_HASHER if settings().env is Environment.TESTING else _PRODUCTION_HASHER


def _dummy_hash() -> str:
    """A hash to verify against for unknown users, so both failures take the same time.

    Made once per hasher: ``setdefault(key, hasher.hash(…))`` would hash on every call
    (its argument is evaluated first), which made an unknown name take twice as long.
    """
    hasher = _hasher_for_env()
    found = _dummy_hashes.get(id(hasher))
    if found is None:
        found = _dummy_hashes[id(hasher)] = hasher.hash(secrets.token_urlsafe(16))
    return found


def generate_password() -> str:
    """A random password of about 128 bits, readable enough to type once."""
    return secrets.token_urlsafe(16)


def normalise_username(username: str) -> str:
    return username.strip().lower()


MAX_PASSWORD_CHARS = 1024
"""Longer is refused: hashing is proportional to the length, and no one types more."""
_STRENGTH_CHARS = 72
"""zxcvbn scores at most this many characters (its own limit); the rest only adds."""


def check_password_rules(password: str, *, username: str | None = None) -> None:
    """Refuse passwords that are short, the user name, or easy to guess.

    Guessability is zxcvbn's score (0–4; Wheeler 2016, USENIX Security: dictionaries
    of common passwords, names and words, keyboard patterns, repeats, sequences and
    dates, matched offline), at least ``MIN_PASSWORD_SCORE``, with the user name as a
    word to avoid. ``aaaaaaaaaa`` and ``1234567890`` score 0, ``password12`` 1.
    """
    config = settings()
    minimum = config.min_password_length
    if len(password) < minimum:
        raise InvalidInput(f"Password must be at least {minimum} characters.", field="password")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InvalidInput(
            f"Password must be at most {MAX_PASSWORD_CHARS} characters.", field="password"
        )
    if username and password.strip().lower() == username.lower():
        raise InvalidInput("Password must not be the user name.", field="password")
    result = zxcvbn(password[:_STRENGTH_CHARS], user_inputs=[username] if username else [])
    if result["score"] < config.min_password_score:
        feedback = result["feedback"]
        hint = " ".join([feedback["warning"], *feedback["suggestions"]]).strip()
        raise InvalidInput(
            "Password is too easy to guess." + (f" {hint}" if hint else ""), field="password"
        )


def parse_roles(values: Iterable[str]) -> set[Role]:
    """Role names to roles; an unknown name is an error naming the valid ones."""
    roles: set[Role] = set()
    for value in values:
        try:
            roles.add(Role(value.strip().lower()))
        except ValueError:
            valid = ", ".join(r.value for r in Role)
            raise InvalidInput(
                f"Unknown role {value!r}; valid roles: {valid}.", field="roles"
            ) from None
    return roles


def find_user(username: str) -> User | None:
    return db.session.execute(
        sa.select(User).where(User.username == normalise_username(username))
    ).scalar_one_or_none()


def create_user(
    username: str,
    password: str,
    roles: Iterable[Role],
    *,
    created_by: User | None = None,
    must_change_password: bool = True,
    display_name: str = "",
) -> User:
    """Create an account. Accounts made by someone else must change their password."""
    name = normalise_username(username)
    if not USERNAME_PATTERN.match(name):
        raise InvalidInput(
            "User name: 3–64 characters, lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit.",
            field="username",
        )
    check_password_rules(password, username=name)
    role_set = set(roles)
    if not role_set:
        raise InvalidInput("Choose at least one role.", field="roles")
    if find_user(name) is not None:
        raise Conflict(f"The user name {name!r} is already taken.", field="username")
    user = User(
        username=name,
        display_name=display_name.strip() or name,
        password_hash=_hasher_for_env().hash(password),
        must_change_password=must_change_password,
        created_by_id=created_by.id if created_by else None,
        role_rows=[UserRole(role=r) for r in sorted(role_set)],
    )
    db.session.add(user)
    db.session.flush()
    return user


def save_new_user(
    username: str, password: str, roles: Iterable[Role], *, display_name: str = ""
) -> User:
    """``create_user`` as an action of its own (the ``create-user`` command): commits the
    account, or rolls back and raises what refused it."""
    with transaction():
        return create_user(username, password, roles, display_name=display_name)


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, else None (never says which part was wrong)."""
    user = find_user(username)
    if user is None or not user.is_active:
        _verify(_dummy_hash(), password)
        return None
    if not _verify(user.password_hash, password):
        return None
    if _hasher_for_env().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher_for_env().hash(password)
    user.last_login_at = now_utc()
    return user


def log_in(username: str, password: str, browser_time_zone: str | None) -> User | None:
    """The login form: ``authenticate``, then a user who has chosen no time zone reads
    times in their browser's from this first login on (they change it in their settings;
    an unknown zone is ignored). Commits; None when the credentials are wrong."""
    with transaction():
        user = authenticate(username, password)
        if user is not None and not user.time_zone and browser_time_zone:
            with contextlib.suppress(InvalidInput):
                set_display_prefs(user, time_zone=browser_time_zone)
        return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher_for_env().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def change_password(user: User, current: str, new: str) -> None:
    """The user changes their own password; the current one must be right. Commits
    (refused: rolled back)."""
    with transaction():
        if not _verify(user.password_hash, current):
            raise InvalidInput("The current password is wrong.", field="current_password")
        if current == new:
            raise InvalidInput(
                "Choose a password different from the current one.", field="password"
            )
        set_password(user, new, must_change=False)


def set_password(user: User, password: str, *, must_change: bool) -> None:
    """Set ``user``'s password (the rules checked first). Commits (refused: rolled back)."""
    with transaction():
        check_password_rules(password, username=user.username)
        user.password_hash = _hasher_for_env().hash(password)
        user.must_change_password = must_change
        user.password_changed_at = now_utc()
        user.password_version = (user.password_version or 0) + 1  # ends the user's tokens


def end_sessions(user: User) -> None:
    """Log ``user`` out everywhere: every session cookie issued so far, including one
    copied before this logout, names no one any more (``User.get_id``). Commits."""
    with transaction():
        user.session_version = (user.session_version or 0) + 1


def reset_password(user: User) -> str:
    """Give ``user`` a new temporary password (returned once) that must be changed.
    Commits."""
    password = generate_password()
    set_password(user, password, must_change=True)
    return password


def set_roles(user: User, roles: Iterable[Role], *, acting: User) -> None:
    """Give ``user`` exactly ``roles``. Commits (refused: rolled back)."""
    with transaction():
        role_set = set(roles)
        if not role_set:
            raise InvalidInput("Choose at least one role.", field="roles")
        if user.id == acting.id and Role.ADMIN in user.roles and Role.ADMIN not in role_set:
            raise InvalidInput("You cannot remove your own admin role.", field="roles")
        if Role.ADMIN in user.roles and Role.ADMIN not in role_set:
            _require_another_admin(user)
        user.role_rows = [row for row in user.role_rows if row.role in role_set]
        for role in sorted(role_set - user.roles):
            user.role_rows.append(UserRole(role=role))


def set_active(user: User, active: bool, *, acting: User) -> None:
    """Deactivate (cannot log in, data kept) or reactivate an account. Commits (refused:
    rolled back)."""
    with transaction():
        if not active and user.id == acting.id:
            raise InvalidInput("You cannot deactivate your own account.", field="active")
        if not active and Role.ADMIN in user.roles:
            _require_another_admin(user)
        user.is_active = active


def _require_another_admin(user: User) -> None:
    others = db.session.execute(
        sa.select(sa.func.count())
        .select_from(User)
        .join(UserRole)
        .where(UserRole.role == Role.ADMIN, User.is_active.is_(True), User.id != user.id)
    ).scalar_one()
    if not others:
        raise InvalidInput("At least one active admin must remain.", field="roles")


@dataclass(frozen=True)
class FirstAdmin:
    user: User
    generated_password: str | None


def ensure_first_admin() -> FirstAdmin | None:
    """Create the first admin when there is no admin at all; None when one exists.

    The password comes from ``SMARTRUNNING_ADMIN_PASSWORD`` or is generated (returned
    so the caller prints it once). Either way it must be changed at first login.
    """
    exists = db.session.execute(
        sa.select(UserRole.user_id).where(UserRole.role == Role.ADMIN).limit(1)
    ).first()
    if exists:
        return None
    config = settings()
    given = config.admin_password.get_secret_value() if config.admin_password else None
    password = given or generate_password()
    user = create_user(config.admin_username, password, {Role.ADMIN}, must_change_password=True)
    return FirstAdmin(user=user, generated_password=None if given else password)


def set_display_prefs(
    user: User, *, time_zone: str | None = None, units: str | None = None
) -> None:
    """Set the time zone (an IANA name such as "Europe/Berlin") and/or the units ("km" or
    "mi") the user reads pages, command output and calendar files in; ``None`` leaves a
    value as it is. Refuses an unknown zone or unit, naming the field. Commits (refused:
    rolled back)."""
    with transaction():
        if time_zone is not None:
            zone = time_zone.strip()
            if not is_time_zone(zone):
                raise InvalidInput(
                    f"Unknown time zone “{zone[:64]}”: use a name such as Europe/Berlin, "
                    "America/New_York or UTC.",
                    field="time_zone",
                )
            user.time_zone = zone
        if units is not None:
            if units not in UNITS:
                raise InvalidInput("Units must be km (kilometres) or mi (miles).", field="units")
            user.units = units
