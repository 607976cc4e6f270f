"""Storage quotas: how many bytes of uploads a runner's imports, and a user's, keep.

Uploads are kept as blobs (``ImportFile.sha256``) so a file can be reprocessed; each
distinct blob counts once per runner and once per uploader, whatever the number of jobs
that named it. A file that failed but is kept (a damaged FIT file, for ``reprocess``)
counts; a refused one (no FIT file, too large, a gzip bomb) keeps no bytes and counts
nothing (``file_checks.refusal``). The limits (``STORAGE_QUOTA_RUNNER_MB``,
``STORAGE_QUOTA_USER_MB``; 0 for none) are checked before an upload is read, against the
request's declared length, so a refused upload stores nothing. Admins have no per-user
quota (restores, bulk imports).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from smartrunning.accounts.models import Role, User
from smartrunning.athletes.models import Runner
from smartrunning.platform import context
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.sessions.models import ImportFile, ImportJob

__all__ = ["MB", "Usage", "check_upload", "runner_usage", "usage_by_runner", "user_usage"]

MB = 1_000_000


@dataclass(frozen=True)
class Usage:
    """Bytes kept against a limit (``limit_bytes`` 0: no limit)."""

    used_bytes: int
    limit_bytes: int

    @property
    def limited(self) -> bool:
        return self.limit_bytes > 0

    def fits(self, more_bytes: int) -> bool:
        return not self.limited or self.used_bytes + more_bytes <= self.limit_bytes


def _kept_bytes(where: sa.ColumnElement[bool]) -> int:
    blobs = (
        sa.select(ImportFile.sha256, sa.func.max(ImportFile.size_bytes).label("size"))
        .join(ImportJob, ImportJob.id == ImportFile.job_id)
        .where(where, ImportFile.sha256.is_not(None))
        .group_by(ImportFile.sha256)
        .subquery()
    )
    total = db.session.execute(sa.select(sa.func.sum(blobs.c.size))).scalar_one()
    return int(total or 0)


def runner_usage(runner: Runner) -> Usage:
    limit = int(context.settings().storage_quota_runner_mb * MB)
    return Usage(_kept_bytes(ImportJob.runner_id == runner.id), limit)


def user_usage(user: User) -> Usage:
    limit = 0 if user.has_role(Role.ADMIN) else int(context.settings().storage_quota_user_mb * MB)
    return Usage(_kept_bytes(ImportJob.created_by_id == user.id), limit)


def usage_by_runner() -> dict[int, int]:
    """Bytes kept per runner id (the admin dashboard), in one query."""
    blobs = (
        sa.select(
            ImportJob.runner_id,
            ImportFile.sha256,
            sa.func.max(ImportFile.size_bytes).label("size"),
        )
        .join(ImportJob, ImportJob.id == ImportFile.job_id)
        .where(ImportFile.sha256.is_not(None))
        .group_by(ImportJob.runner_id, ImportFile.sha256)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(blobs.c.runner_id, sa.func.sum(blobs.c.size)).group_by(blobs.c.runner_id)
    )
    return {int(runner_id): int(total or 0) for runner_id, total in rows}


def check_upload(runner: Runner, user: User, incoming_bytes: int) -> None:
    """Refuse an upload of ``incoming_bytes`` (the request's length, an upper bound of what
    it keeps) that would take the runner or the uploader past their quota.

    Raises:
        InvalidInput: saying which quota, how much is used and what is left.
    """
    for whose, usage in (("this runner's", runner_usage(runner)), ("your", user_usage(user))):
        if not usage.fits(incoming_bytes):
            left = max(0, usage.limit_bytes - usage.used_bytes)
            raise InvalidInput(
                f"The upload would exceed {whose} storage quota: "
                f"{usage.used_bytes / MB:.1f} of {usage.limit_bytes / MB:g} MB used, "
                f"{left / MB:.1f} MB left. Delete old imports or ask an admin.",
                field="files",
            )
