"""Telling people about a finished import: the runner's coaches about new sessions, and
whoever uploaded (or, for an import nobody uploaded, the coaches) about files that failed."""

from __future__ import annotations

import sqlalchemy as sa

from smartrunning.athletes import rules
from smartrunning.athletes.models import Runner
from smartrunning.notifications import actions as notifications
from smartrunning.notifications.models import NotificationKind
from smartrunning.platform.db import db
from smartrunning.sessions.models import FileStatus, ImportFile, ImportJob

__all__ = ["job_finished", "tell_finished", "tell_job_finished"]


# Built once (a watch that syncs one activity at a time finishes a job per file).
_JOB = (
    sa.select(ImportJob.created_by_id, Runner.id, Runner.name)
    .join(Runner, Runner.id == ImportJob.runner_id)
    .where(ImportJob.id == sa.bindparam("job_id"))
)
_FILES = sa.select(ImportFile.status, ImportFile.session_ids).where(
    ImportFile.job_id == sa.bindparam("job_id")
)


def job_finished(job_id: int) -> None:
    """Notify about job ``job_id`` once it is done; commits."""
    tell_job_finished(job_id)
    db.session.commit()


def tell_job_finished(job_id: int) -> None:
    """:func:`job_finished` in the caller's transaction (the caller commits)."""
    job = db.session.execute(_JOB, {"job_id": job_id}).first()
    if job is None:
        return
    uploader, runner_id, runner_name = job
    tell_finished(job_id, uploader, runner_id, runner_name)


def tell_finished(job_id: int, uploader: int | None, runner_id: int, runner_name: str) -> None:
    """:func:`tell_job_finished` when the caller knows the job's uploader and runner."""
    sessions = failed = 0
    for status, ids in db.session.execute(_FILES, {"job_id": job_id}):
        if status is FileStatus.IMPORTED:
            sessions += len(ids or [])
        elif status is FileStatus.FAILED:
            failed += 1
    coaches = rules.coach_ids(runner_id)
    if sessions:
        notifications.notify(
            coaches - {uploader} if uploader else coaches,
            NotificationKind.UPLOAD,
            f"{runner_name}: {sessions} new session{'s' if sessions != 1 else ''}",
            link=f"/runners/{runner_id}/sessions",
        )
    if failed:
        notifications.notify(
            {uploader} if uploader else coaches,
            NotificationKind.IMPORT_FAILED,
            f"Import for {runner_name}: {failed} file{'s' if failed != 1 else ''} failed",
            body="The report says why for each file; the files are kept for a later try.",
            link=f"/jobs/{job_id}",
        )
