"""Running import jobs on the queue: what the tasks do, and how a job is started.

Tasks take ids and call ``services.imports``; the order of work and its guarantees are
described there. Files go to the queue in small batches (``BATCH_FILES``), so several
workers share a job and a crash loses little; an archive's entries are queued as it is
read, so processing starts before a large ZIP is fully expanded.
"""

from __future__ import annotations

import logging
from typing import Final

from smartrunning.athletes.models import Runner
from smartrunning.platform.db import db
from smartrunning.platform.queue import get_queue
from smartrunning.sessions import import_notices, import_recovery, recompute
from smartrunning.sessions import imports as import_services

__all__ = [
    "BATCH_FILES",
    "complete_jobs",
    "enqueue_files",
    "maintenance",
    "run_files",
    "submit",
    "sweep_and_resume",
]

log = logging.getLogger(__name__)

BATCH_FILES: Final = 8


def enqueue_files(file_ids: list[int]) -> None:
    """Queue ``import_files`` tasks for these files, ``BATCH_FILES`` at a time."""
    task = get_queue().tasks["import_files"]
    for i in range(0, len(file_ids), BATCH_FILES):
        task(file_ids[i : i + BATCH_FILES])


def submit(job_id: int) -> None:
    """Start a committed job on the queue (its pending files); a job with none completes."""
    pending = import_services.pending_file_ids(job_id)
    db.session.rollback()
    if pending:
        enqueue_files(pending)
    else:
        get_queue().tasks["complete_jobs"]([job_id])


def run_files(file_ids: list[int]) -> dict[str, object]:
    """Claim and process these files (those still pending), then complete finished jobs."""
    claimed = import_services.claim_files(file_ids, import_services.worker_id())
    import_services.process_claimed_files(sorted(claimed), on_batch=enqueue_files)
    if claimed:
        db.session.rollback()  # the completion starts a transaction of its own
    completed = complete_jobs(sorted(set(claimed.values())))
    return {"claimed": sorted(claimed), "completed_jobs": completed}


def complete_jobs(job_ids: list[int]) -> list[int]:
    """Complete the jobs among ``job_ids`` whose files are all done (one caller wins each)."""
    completed = []
    for job_id in job_ids:
        if import_services.finish_if_complete(job_id):
            import_services.complete_job(job_id)
            import_notices.job_finished(job_id)
            completed.append(job_id)
    return completed


def sweep_and_resume() -> dict[str, object]:
    """Recover from dead workers and start again what they left (see ``services.imports``)."""
    result = import_recovery.sweep()
    for job_id in result.jobs_with_pending:
        enqueue_files(import_services.pending_file_ids(job_id))
    db.session.rollback()
    completed = complete_jobs(result.jobs_to_complete)
    if result.released or result.failed or completed:
        log.info(
            "sweep: %d files released, %d failed, jobs resumed %s, completed %s",
            len(result.released),
            len(result.failed),
            result.jobs_with_pending,
            completed,
        )
    return {
        "released": result.released,
        "failed": result.failed,
        "resumed_jobs": result.jobs_with_pending,
        "completed_jobs": completed,
    }


def maintenance() -> dict[str, object]:
    """The periodic task: sweep, then recompute runners with stale derived values
    (parameter changes recorded by the pages, imports whose completion was interrupted)."""
    swept = sweep_and_resume()
    recomputed = []
    for runner_id in recompute.runners_needing_recompute(skip_importing=True):
        runner = db.session.get(Runner, runner_id)
        if runner is not None:
            recompute.recompute_runner(runner)
            recomputed.append(runner_id)
    return {**swept, "recomputed_runners": recomputed}
