"""A file's final outcome in its import job: status, reason, sessions, by which version.

Every step of an import ends a file here: an upload refused at once (``uploads``), an
archive expanded or refused (``archives``), a FIT file imported, a duplicate, not an
activity or failed (``ingest``, ``duplicates``), a file the workers stopped on too often
(``import_recovery``).
"""

from __future__ import annotations

from typing import Any, Final

from smartrunning.platform.db import now_utc
from smartrunning.sessions.models import FileStatus, ImportFile

__all__ = ["INGEST_VERSION", "Outcome", "finish_file", "outcome_values"]

INGEST_VERSION: Final = 2
"""Bump when decoding or segmenting changes what a file becomes; ``reprocess`` re-runs
files imported by an older version. 2: values no runner produces flag a session (held),
overlaps keep the fuller recording, ``.fit.gz`` is read."""


class Outcome(Exception):
    """Ends processing a file early with its final status.

    ``refused``: the bytes are not kept (too large, not a FIT file, a gzip bomb): they can
    never become a session, so they take no space in the blob store or the quotas.
    """

    def __init__(
        self,
        status: FileStatus,
        reason: str,
        session_ids: list[int] | None = None,
        *,
        refused: bool = False,
    ):
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.session_ids = session_ids or []
        self.decoder: str | None = None
        self.refused = refused


def outcome_values(
    status: FileStatus,
    reason: str = "",
    session_ids: list[int] | None = None,
    decoder: str | None = None,
) -> dict[str, Any]:
    """The columns of a file's final outcome: what :func:`finish_file` sets on a row, and
    what a batch writes for all its files in one statement."""
    return {
        "status": status,
        "reason": reason[:2000],
        "session_ids": list(session_ids or []),
        "decoder": decoder,
        "ingest_version": INGEST_VERSION,
        "processed_at": now_utc(),
    }


def finish_file(
    file: ImportFile,
    status: FileStatus,
    reason: str = "",
    session_ids: list[int] | None = None,
    decoder: str | None = None,
) -> None:
    """Record the final outcome of a file (the caller commits)."""
    for name, value in outcome_values(status, reason, session_ids, decoder).items():
        setattr(file, name, value)
