"""User accounts, their roles, and personal API tokens (only a hash is stored; a token is
shown once at creation)."""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartrunning.platform.db import (
    UTCDateTime,
    db,
    now_utc,
    value_enum,
)

__all__ = ["ApiToken", "Role", "User", "UserRole"]


class Role(StrEnum):
    """Roles in increasing strength; a user holding several acts with the strongest."""

    RUNNER = "runner"
    COACH = "coach"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class User(db.Model):  # type: ignore[name-defined]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: Counts password changes and resets; a token made under an older one is dead.
    password_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Counts logouts; a session cookie from before the latest is dead.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    #: IANA time zone the user reads times in (pages, CLI text, calendar files); the API
    #: stays UTC. Empty until chosen: read as UTC, and the browser's zone is taken at the
    #: next login.
    time_zone: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    #: "km" or "mi": the unit of running and cycling distances and paces on pages; the
    #: API stays SI.
    units: Mapped[str] = mapped_column(sa.String(2), default="km", server_default="km")

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(row.role for row in self.role_rows)

    @property
    def role(self) -> Role | None:
        """The strongest role held, or None for a user with no role."""
        held = self.roles
        return max(held, key=lambda r: r.rank) if held else None

    def has_role(self, role: Role) -> bool:
        """True when the strongest role is at least ``role``."""
        strongest = self.role
        return strongest is not None and strongest.rank >= role.rank

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """``<id>.<session fingerprint>``: the session cookie's user, which a password
        change (by the user or an admin's reset) or a logout makes stale, so every
        other session of the old password, and a cookie copied before logout, ends."""
        return f"{self.id}.{self.password_fingerprint}"

    @property
    def password_fingerprint(self) -> str:
        """16 hex digits of the SHA-256 of the password hash (itself salted) and the
        session version."""
        version = self.session_version or 0
        # Version 0 fingerprints the hash alone, as before versions: no one is logged out
        # by the upgrade.
        material = f"{self.password_hash}:{version}" if version else self.password_hash
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r}>"


class UserRole(db.Model):  # type: ignore[name-defined]
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(
        value_enum(Role, "role"),
        primary_key=True,
    )

    user: Mapped[User] = relationship(back_populates="role_rows")


class ApiToken(db.Model):  # type: ignore[name-defined]
    """A token acts as its owner, with the owner's access and no more."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    #: SHA-256 of the token, hex. Tokens carry 256 random bits, so a fast hash suffices.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters, so the owner can tell tokens apart.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    #: The owner's ``password_version`` when the token was made: a password change or
    #: reset since ends it (for good: the version never goes back).
    password_version: Mapped[int] = mapped_column(default=0, server_default="0")

    user: Mapped[User] = relationship()
