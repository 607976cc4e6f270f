"""Import jobs as the pages, the API and the CLI show them: progress and per-file results.

Progress is counted from the file rows (one grouped query per job; two for a list of
jobs), so it is always what the files say, whichever worker moved them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from smartrunning.accounts.models import User
from smartrunning.athletes.rules import get_visible
from smartrunning.platform.db import db
from smartrunning.platform.errors import NotFound
from smartrunning.sessions.models import (
    FileStatus,
    ImportFile,
    ImportJob,
)
from smartrunning.sessions.schemas import JobReport

__all__ = [
    "JobReport",
    "file_report",
    "get_job",
    "job_report",
    "list_jobs",
    "reread_job",
    "visible_job",
]


def file_report(row: ImportFile) -> dict[str, Any]:
    return {
        "id": row.id,
        "file": row.name,
        "kind": row.kind.value,
        "status": row.status.value,
        "reason": row.reason,
        "session_ids": list(row.session_ids or []),
        "size_bytes": row.size_bytes,
        "parent_id": row.parent_id,
    }


def job_report(job: ImportJob, *, with_files: bool = True) -> JobReport:
    """Progress counted from the file rows (one grouped query) and, if asked, every file."""
    counts = dict(
        db.session.execute(
            sa.select(ImportFile.status, sa.func.count(ImportFile.id))
            .where(ImportFile.job_id == job.id)
            .group_by(ImportFile.status)
        ).all()
    )
    files: list[dict[str, Any]] = []
    if with_files:
        rows = db.session.execute(
            sa.select(ImportFile).where(ImportFile.job_id == job.id).order_by(ImportFile.id)
        ).scalars()
        files = [file_report(row) for row in rows]
    return _report(job, counts, files)


def _report(
    job: ImportJob, counts: dict[FileStatus, int], files: list[dict[str, Any]]
) -> JobReport:
    by_status = {status.value: int(n) for status, n in counts.items()}
    return JobReport(
        id=job.id,
        runner_id=job.runner_id,
        status=job.status,
        source=job.source,
        created_at=job.created_at,
        finished_at=job.finished_at,
        files_total=sum(by_status.values()),
        files_done=sum(n for s, n in counts.items() if s.is_final),
        by_status=by_status,
        files=files,
    )


def get_job(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    if job is None:
        raise NotFound("No such import job.")
    return job


def reread_job(job_id: int) -> ImportJob:
    """The job as the queue's workers last committed it, for a command waiting on them:
    ends this session's transaction (it wrote nothing since its last commit) and reads the
    job again."""
    db.session.rollback()
    return db.session.get_one(ImportJob, job_id, populate_existing=True)


def visible_job(user: User, job_id: int) -> ImportJob:
    """The job if ``user`` may see its runner; otherwise ``NotFound`` (as if absent)."""
    return get_visible(user, ImportJob, job_id, name="import job")


def list_jobs(runner_ids: list[int] | None = None, *, limit: int = 50) -> list[JobReport]:
    """The latest jobs (of these runners, or all: the admin dashboard) with their progress,
    newest first; two queries whatever the number of jobs."""
    query = sa.select(ImportJob).order_by(ImportJob.id.desc()).limit(limit)
    if runner_ids is not None:
        query = query.where(ImportJob.runner_id.in_(runner_ids))
    jobs = list(db.session.execute(query).scalars())
    counts: dict[int, dict[FileStatus, int]] = {job.id: {} for job in jobs}
    for job_id, status, n in db.session.execute(
        sa.select(ImportFile.job_id, ImportFile.status, sa.func.count(ImportFile.id))
        .where(ImportFile.job_id.in_(list(counts)))
        .group_by(ImportFile.job_id, ImportFile.status)
    ).all():
        counts[job_id][status] = int(n)
    return [_report(job, counts[job.id], []) for job in jobs]
