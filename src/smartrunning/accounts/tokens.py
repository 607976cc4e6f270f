"""Personal API tokens: create (shown once), authenticate, list and revoke."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa

from smartrunning.accounts.models import ApiToken, User
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.errors import (
    InvalidInput,
    NotFound,
)
from smartrunning.platform.transactions import transaction

__all__ = [
    "PREFIX",
    "authenticate_token",
    "create_token",
    "is_live",
    "revoke_token",
    "revoke_token_of",
    "tokens_of",
]

PREFIX = "srt_"
MAX_TOKENS_PER_USER = 20
#: Writing last_used_at on every request would turn reads into writes; once a minute will do.
_TOUCH_INTERVAL = dt.timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the token itself (shown only now).
    Commits (refused: rolled back)."""
    with transaction():
        clean = " ".join(name.split())
        if not 1 <= len(clean) <= 80:
            raise InvalidInput("Token name: 1–80 characters.", field="name")
        active = [t for t in tokens_of(user) if is_live(t)]
        if len(active) >= MAX_TOKENS_PER_USER:
            raise InvalidInput(
                f"At most {MAX_TOKENS_PER_USER} active tokens; revoke one first.", field="name"
            )
        token = PREFIX + secrets.token_urlsafe(32)
        row = ApiToken(
            user_id=user.id,
            name=clean,
            token_hash=_hash(token),
            prefix=token[:10],
            password_version=user.password_version or 0,
        )
        db.session.add(row)
        db.session.flush()
    return row, token


def authenticate_token(token: str) -> User | None:
    """The active user owning this unrevoked token made under their current password,
    else None."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = db.session.execute(
        sa.select(ApiToken).where(ApiToken.token_hash == _hash(token))
    ).scalar_one_or_none()
    if row is None or not is_live(row) or not row.user.is_active:
        return None
    now = now_utc()
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_INTERVAL:
        with transaction():
            row.last_used_at = now
    return row.user


def is_live(row: ApiToken) -> bool:
    """Not revoked, and made under the owner's current password (a change or reset since
    ends a token for good: the version only grows)."""
    return row.revoked_at is None and row.password_version == (row.user.password_version or 0)


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.execute(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        ).scalars()
    )


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens (another user's token is NotFound)."""
    return revoke_token_of(user, token_id)


def revoke_token_of(owner: User, token_id: int) -> ApiToken:
    """Revoke ``owner``'s token ``token_id``: the owner on their settings page, an admin on
    the owner's page (the caller checks the role). Another user's token is NotFound.
    Commits."""
    with transaction():
        row = db.session.get(ApiToken, token_id)
        if row is None or row.user_id != owner.id:
            raise NotFound("No such token.")
        if row.revoked_at is None:
            row.revoked_at = now_utc()
    return row
