"""Personal API tokens: only a hash is stored; the token is shown once at creation."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartrunning.store.accounts import User
from smartrunning.store.db import UTCDateTime, db, now_utc

__all__ = ["ApiToken"]


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

    user: Mapped[User] = relationship()
