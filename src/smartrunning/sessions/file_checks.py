"""What a file is, by its first bytes or its name, and why one is refused at once.

Uploads (``uploads``), an archive's entries (``archives``) and the files a worker imports
(``ingest``) are judged by the same rules: a ZIP or gzip by its first bytes
(:data:`HEAD_BYTES`), a folder's file or an archive's entry by its name
(:func:`kind_by_name`), and a file that can never be a FIT activity (empty, above
``MAX_FIT_FILE_MB``, no FIT or gzip header: :func:`refusal`) is refused with its reason,
its bytes not kept.
"""

from __future__ import annotations

from typing import Final

from smartrunning.platform import context
from smartrunning.sessions.models import FileKind

__all__ = ["HEAD_BYTES", "MB", "is_gzip", "is_zip", "kind_by_name", "refusal", "too_large"]

MB: Final = 1024 * 1024
HEAD_BYTES: Final = 14
"""Bytes of a file's start that :func:`refusal`, :func:`is_zip` and :func:`is_gzip` look at."""
_ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06")
_GZIP_MAGIC: Final = b"\x1f\x8b"
_FIT_SIGNATURE: Final = b".FIT"


def is_zip(head: bytes) -> bool:
    """Whether bytes starting with ``head`` are a ZIP archive (local header or empty ZIP)."""
    return head[:4] in _ZIP_MAGIC


def is_gzip(head: bytes) -> bool:
    """Whether bytes starting with ``head`` are gzip-compressed (``.fit.gz``, as Strava
    exports activities)."""
    return head[:2] == _GZIP_MAGIC


def kind_by_name(filename: str) -> FileKind:
    """By its name, as a folder's files and an archive's entries are judged: a FIT file
    (``.fit``, or ``.fit.gz`` as Strava exports them), a ZIP, or other (not imported)."""
    lower = filename.lower()
    if lower.endswith((".fit", ".fit.gz")):
        return FileKind.FIT
    if lower.endswith(".zip"):
        return FileKind.ARCHIVE
    return FileKind.OTHER


def too_large(size: int, what: str = "file") -> str:
    """The reason of a file above ``MAX_FIT_FILE_MB``."""
    limit_mb = context.settings().max_fit_file_mb
    return f"{what} too large: {size / MB:.1f} MB, above MAX_FIT_FILE_MB = {limit_mb:g}; not kept"


def refusal(head: bytes, size: int) -> str | None:
    """Why a file starting with ``head``, ``size`` bytes long, can never be a FIT activity
    (empty, above ``MAX_FIT_FILE_MB``, no FIT header), or None. Refused bytes are not kept.

    A file with a FIT header that fails to decode is not refused here: it fails with the
    decoder's reason and is kept, for ``reprocess`` to try again with a better decoder.
    """
    if size == 0:
        return "empty file; not kept"
    if size > context.settings().max_fit_file_mb * MB:
        return too_large(size)
    if is_gzip(head):
        return None
    if len(head) < 12 or head[8:12] != _FIT_SIGNATURE:
        return "not a FIT file: no FIT header (12 or 14 bytes ending in '.FIT'); not kept"
    return None
