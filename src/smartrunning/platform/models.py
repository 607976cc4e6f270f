"""Blobs kept in the database: raw uploads and record tables, addressed by their sha256.

One backup of the database holds everything. A blob up to ``CHUNK_BYTES`` lives in its
row; a larger one (a ZIP upload) is split into ``blob_chunks`` so that it can be written
and read as a stream without holding it in memory. Nothing references this table by
foreign key: rows elsewhere name a blob by its sha256, so the store can move to object
storage later (``platform.blobs.BlobStore``) without a schema change elsewhere.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from smartrunning.platform.db import (
    UTCDateTime,
    db,
    now_utc,
)

__all__ = ["CHUNK_BYTES", "Blob", "BlobChunk"]

CHUNK_BYTES = 4 * 1024 * 1024
"""Largest blob stored inline, and the size of each chunk of a larger one."""


class Blob(db.Model):  # type: ignore[name-defined]
    """Bytes by content: ``data`` inline (small), or ``chunk_count`` rows of ``blob_chunks``."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    chunk_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=now_utc)


class BlobChunk(db.Model):  # type: ignore[name-defined]
    """Part ``seq`` (from 0) of a large blob; every part but the last is ``CHUNK_BYTES`` long."""

    __tablename__ = "blob_chunks"

    sha256: Mapped[str] = mapped_column(
        sa.ForeignKey("blobs.sha256", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
