"""Deleting a runner and everything that is theirs, blobs included.

The database cascades from ``runners`` to sessions, bests, parameter versions, history,
imports and plans. Blobs are addressed by content and named by rows rather than foreign
keys (``store.blobs``), so they are collected here: a blob the runner's rows named goes
once no other row names it (the same file uploaded for two runners is one blob).

A runner whose import is still running is not deleted: the worker would be left writing
rows for a runner that no longer exists. Their login, if any and if it is only a
runner's, is deactivated rather than deleted, so an admin can still see who it was.

:func:`remove_runner` is the step (it flushes); ``coaching.actions.delete_runner`` is the
action that commits it.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.athletes.models import Runner
from smartrunning.coaching.schemas import DeletedRunner
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db
from smartrunning.platform.errors import Conflict
from smartrunning.platform.softdelete import INCLUDE_DELETED
from smartrunning.sessions.models import (
    ImportFile,
    ImportJob,
    JobStatus,
    TrainingSession,
)

__all__ = ["remove_runner", "unreferenced"]


def remove_runner(runner: Runner) -> DeletedRunner:
    """Delete ``runner`` with all their data, blobs included; flushes, the caller commits
    (``coaching.actions.delete_runner``).

    Raises:
        Conflict: an import of theirs is still queued or running (nothing deleted).
    """
    open_jobs = db.session.execute(
        sa.select(sa.func.count(ImportJob.id)).where(
            ImportJob.runner_id == runner.id, ImportJob.status != JobStatus.DONE
        )
    ).scalar_one()
    if open_jobs:
        raise Conflict(
            "An import for this runner is still running; delete the runner once it has finished."
        )
    job_ids = sa.select(ImportJob.id).where(ImportJob.runner_id == runner.id)
    raw = db.session.execute(
        sa.select(ImportFile.sha256).where(
            ImportFile.job_id.in_(job_ids), ImportFile.sha256.is_not(None)
        )
    ).scalars()
    candidates = {sha for sha in raw if sha is not None} | set(
        db.session.execute(
            sa.select(TrainingSession.records_sha256)
            .where(TrainingSession.runner_id == runner.id)
            .execution_options(**{INCLUDE_DELETED: True})
        ).scalars()
    )
    sessions = db.session.execute(
        sa.select(sa.func.count(TrainingSession.id)).where(TrainingSession.runner_id == runner.id)
    ).scalar_one()
    jobs = db.session.execute(
        sa.select(sa.func.count()).select_from(job_ids.subquery())
    ).scalar_one()
    login = _deactivate_runner_login(runner)
    result = DeletedRunner(runner.id, runner.name, sessions, jobs, 0, login)
    # Core deletes: the database's ON DELETE CASCADE removes the rest in one statement
    # each, instead of the ORM loading every dependent row first.
    db.session.execute(sa.delete(Runner).where(Runner.id == runner.id))
    db.session.expunge(runner)
    gone = unreferenced(candidates)
    store = blob_store()
    for sha in sorted(gone):
        store.delete(sha)
    db.session.flush()
    return dataclasses.replace(result, blobs_deleted=len(gone))


def unreferenced(candidates: set[str]) -> set[str]:
    """Those of ``candidates`` that no import file or session names any more."""
    if not candidates:
        return set()
    named: set[str | None] = set()
    ordered = sorted(candidates)
    for i in range(0, len(ordered), 500):  # bounded IN lists
        chunk = ordered[i : i + 500]
        named |= set(
            db.session.execute(sa.select(ImportFile.sha256).where(ImportFile.sha256.in_(chunk)))
            .scalars()
            .all()
        )
        named |= set(
            db.session.execute(
                sa.select(TrainingSession.records_sha256)
                .where(TrainingSession.records_sha256.in_(chunk))
                .execution_options(**{INCLUDE_DELETED: True})
            )
            .scalars()
            .all()
        )
    return {sha for sha in candidates if sha not in named}


def _deactivate_runner_login(runner: Runner) -> str | None:
    if runner.user_id is None:
        return None
    user = db.session.get(User, runner.user_id)
    if user is None or user.roles - {Role.RUNNER}:
        return None  # a coach's or admin's own profile: the account stays as it is
    user.is_active = False
    return user.username
