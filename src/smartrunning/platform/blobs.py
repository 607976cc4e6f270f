"""The blob store: raw uploads and record tables by sha256, in the database by default.

``BlobStore`` is the interface the rest of the code uses (``put``, ``put_file``, ``get``,
``open``, ``delete``, ``exists``), so an object store (S3 and the like) can replace the
database later without touching callers. ``DatabaseBlobStore`` keeps a blob up to
``CHUNK_BYTES`` in one row and splits a larger one into chunks, written and read as a
stream: a 1 GB ZIP never has to fit in memory, and ``open`` gives a seekable file that
``zipfile`` reads entry by entry.

Writes join the caller's transaction (``db.session``); the caller commits.
"""

from __future__ import annotations

import hashlib
import io
from typing import BinaryIO, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.errors import NotFound
from smartrunning.platform.models import (
    CHUNK_BYTES,
    Blob,
    BlobChunk,
)

__all__ = ["BlobReader", "BlobStore", "DatabaseBlobStore", "blob_store", "sha256_of"]

_READ_BYTES = 1024 * 1024


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BlobStore(Protocol):
    """Content-addressed bytes. ``put`` of bytes already stored is a no-op."""

    def put(self, data: bytes) -> str:
        """Store ``data``; return its sha256 (hex)."""

    def put_many(self, blobs: list[bytes]) -> list[str]:
        """Store each of ``blobs`` (as ``put`` does, in fewer round trips); their sha256s."""

    def put_file(self, stream: BinaryIO) -> tuple[str, int]:
        """Store a seekable binary file from its current position; return (sha256, size)."""

    def get(self, sha256: str) -> bytes:
        """The bytes; ``NotFound`` when absent."""

    def get_many(self, shas: list[str]) -> dict[str, bytes]:
        """The bytes of those of ``shas`` that are stored (in fewer round trips than
        ``get``); a store may leave out any (large ones), which callers then ``get``."""

    def open(self, sha256: str) -> BinaryIO:
        """A seekable, read-only file over the blob, loading one chunk at a time."""

    def exists(self, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None:
        """Remove the blob (callers make sure nothing names it any more)."""


class DatabaseBlobStore:
    """``BlobStore`` on the ``blobs``/``blob_chunks`` tables (see ``store.blobs``)."""

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        if len(data) <= CHUNK_BYTES:
            row = {"sha256": digest, "size_bytes": len(data), "data": data, "chunk_count": 0}
            db.session.execute(_insert_ignoring_duplicates().values(created_at=now_utc(), **row))
            return digest
        if not self.exists(digest):
            self._write_chunks(digest, io.BytesIO(data), len(data))
        return digest

    def put_many(self, blobs: list[bytes]) -> list[str]:
        digests = [sha256_of(data) for data in blobs]
        now = now_utc()
        rows = {
            digest: {
                "sha256": digest,
                "size_bytes": len(data),
                "data": data,
                "chunk_count": 0,
                "created_at": now,
            }
            for digest, data in zip(digests, blobs, strict=True)
            if len(data) <= CHUNK_BYTES
        }
        if rows:  # one INSERT … ON CONFLICT DO NOTHING, executed for every row
            db.session.execute(_insert_ignoring_duplicates(), list(rows.values()))
        for digest, data in zip(digests, blobs, strict=True):
            if len(data) > CHUNK_BYTES and not self.exists(digest):
                self._write_chunks(digest, io.BytesIO(data), len(data))
        return digests

    def put_file(self, stream: BinaryIO) -> tuple[str, int]:
        start = stream.tell()
        digest = hashlib.sha256()
        size = 0
        while block := stream.read(_READ_BYTES):
            digest.update(block)
            size += len(block)
        sha = digest.hexdigest()
        if self.exists(sha):
            return sha, size
        stream.seek(start)
        if size <= CHUNK_BYTES:
            row = {"sha256": sha, "size_bytes": size, "data": stream.read(size), "chunk_count": 0}
            db.session.execute(_insert_ignoring_duplicates().values(created_at=now_utc(), **row))
        else:
            # The same bytes stored at once by another transaction: its blob stands.
            try:
                with db.session.begin_nested():
                    self._write_chunks(sha, stream, size)
            except IntegrityError:
                pass
        return sha, size

    def _write_chunks(self, sha: str, stream: BinaryIO, size: int) -> None:
        count = (size + CHUNK_BYTES - 1) // CHUNK_BYTES
        db.session.add(Blob(sha256=sha, size_bytes=size, data=None, chunk_count=count))
        db.session.flush()
        for seq in range(count):
            chunk = stream.read(CHUNK_BYTES)
            db.session.execute(sa.insert(BlobChunk).values(sha256=sha, seq=seq, data=chunk))

    def _row(self, sha256: str) -> tuple[int, bytes | None, int]:
        row = db.session.execute(
            sa.select(Blob.size_bytes, Blob.data, Blob.chunk_count).where(Blob.sha256 == sha256)
        ).one_or_none()
        if row is None:
            raise NotFound(f"No blob {sha256}.")
        return int(row[0]), row[1], int(row[2])

    def get(self, sha256: str) -> bytes:
        _size, data, count = self._row(sha256)
        if data is not None:
            return bytes(data)
        return b"".join(self._chunk(sha256, seq) for seq in range(count))

    def get_many(self, shas: list[str]) -> dict[str, bytes]:
        if not shas:
            return {}
        rows = db.session.execute(
            sa.select(Blob.sha256, Blob.data).where(
                Blob.sha256.in_(sorted(set(shas))), Blob.data.is_not(None)
            )
        ).all()
        return {sha: bytes(data) for sha, data in rows if data is not None}

    def _chunk(self, sha256: str, seq: int) -> bytes:
        data = db.session.execute(
            sa.select(BlobChunk.data).where(BlobChunk.sha256 == sha256, BlobChunk.seq == seq)
        ).scalar_one()
        return bytes(data)

    def open(self, sha256: str) -> BinaryIO:
        size, data, _count = self._row(sha256)
        if data is not None:
            return io.BytesIO(bytes(data))
        return io.BufferedReader(BlobReader(self, sha256, size), buffer_size=64 * 1024)

    def exists(self, sha256: str) -> bool:
        return (
            db.session.execute(sa.select(Blob.sha256).where(Blob.sha256 == sha256)).first()
            is not None
        )

    def delete(self, sha256: str) -> None:
        db.session.execute(sa.delete(BlobChunk).where(BlobChunk.sha256 == sha256))
        db.session.execute(sa.delete(Blob).where(Blob.sha256 == sha256))


def _insert_ignoring_duplicates() -> sa.Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` into ``blobs`` (the same bytes are one blob)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(Blob).on_conflict_do_nothing(index_elements=["sha256"])
    return sqlite.insert(Blob).on_conflict_do_nothing(index_elements=["sha256"])


class BlobReader(io.RawIOBase):
    """A seekable raw file over a chunked blob, keeping one chunk in memory."""

    def __init__(self, store: DatabaseBlobStore, sha256: str, size: int) -> None:
        self._store = store
        self._sha = sha256
        self._size = size
        self._pos = 0
        self._seq = -1
        self._data = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._pos >= self._size:
            return 0
        seq, within = divmod(self._pos, CHUNK_BYTES)
        if seq != self._seq:
            self._data = self._store._chunk(self._sha, seq)
            self._seq = seq
        piece = self._data[within : within + len(buffer)]
        buffer[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)


_DEFAULT = DatabaseBlobStore()


def blob_store() -> BlobStore:
    """The configured blob store (the database; object storage would be chosen here)."""
    return _DEFAULT
