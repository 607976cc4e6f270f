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

__all__ = ["job_finished"]


def job_finished(job_id: int) -> None:
    """Notify about job ``job_id`` once it is done; commits."""
    job = db.session.get(ImportJob, job_id)
    if job is None:
        return
    runner = db.session.get_one(Runner, job.runner_id)
    counts = dict(
        db.session.execute(
            sa.select(ImportFile.status, sa.func.count(ImportFile.id))
            .where(ImportFile.job_id == job_id)
            .group_by(ImportFile.status)
        ).all()
    )
    sessions = sum(
        len(ids or [])
        for ids in db.session.execute(
            sa.select(ImportFile.session_ids).where(
                ImportFile.job_id == job_id, ImportFile.status == FileStatus.IMPORTED
            )
        ).scalars()
    )
    coaches = rules.coach_ids(runner.id)
    uploader = job.created_by_id
    if sessions:
        notifications.notify(
            coaches - {uploader} if uploader else coaches,
            NotificationKind.UPLOAD,
            f"{runner.name}: {sessions} new session{'s' if sessions != 1 else ''}",
            link=f"/runners/{runner.id}/sessions",
        )
    failed = int(counts.get(FileStatus.FAILED, 0))
    if failed:
        notifications.notify(
            {uploader} if uploader else coaches,
            NotificationKind.IMPORT_FAILED,
            f"Import for {runner.name}: {failed} file{'s' if failed != 1 else ''} failed",
            body="The report says why for each file; the files are kept for a later try.",
            link=f"/jobs/{job_id}",
        )
    db.session.commit()
