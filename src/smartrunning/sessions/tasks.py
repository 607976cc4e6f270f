"""The tasks the workers run. Each takes ids and calls one service."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

from huey import crontab

from smartrunning.platform.queue import Queue
from smartrunning.sessions import actions as session_services
from smartrunning.sessions import import_recovery, jobs

__all__ = ["register"]


def register(queue: Queue) -> None:
    @queue.task("ping")
    def ping() -> dict[str, object]:
        """Answer with the worker's host and pid: proof that a worker is consuming."""
        return {"pong": True, "host": socket.gethostname(), "pid": os.getpid()}

    # The import tasks return nothing: Huey keeps a task's result until it is read, and
    # nobody reads these (a row of the queue's store, and a write, for every task).

    @queue.task("import_files")
    def import_files(file_ids: list[int]) -> None:
        """Process these files of import jobs (claimed atomically; see ``jobs``).

        In a worker told to stop (SIGTERM), files it has not started go back to the queue
        at once: those of a task taken as the stop came, and those it still holds when
        the processing returns early (an archive stops between two batches of entries).
        """
        if queue.stopping():
            jobs.enqueue_files(file_ids)
            return
        result = jobs.run_files(file_ids)
        if queue.stopping():
            claimed = result["claimed"]
            assert isinstance(claimed, list)
            jobs.enqueue_files(import_recovery.hand_back(claimed))

    @queue.task("complete_jobs")
    def complete_jobs(job_ids: list[int]) -> None:
        """Complete import jobs whose files are all done (the recomputation runs here)."""
        jobs.complete_jobs(job_ids)

    sweep = queue.task("sweep_imports")(jobs.sweep_and_resume)

    @queue.huey.on_startup("resume_imports")
    def resume_imports() -> None:
        """A starting worker resumes what dead workers left (claims, jobs to complete)."""
        sweep()

    queue.huey.periodic_task(crontab(minute="*"), name="maintenance")(
        _in_app(queue, jobs.maintenance)
    )
    queue.huey.periodic_task(crontab(minute="*/5"), name="purge_deleted")(
        _in_app(queue, session_services.purge_deleted)
    )


def _in_app(queue: Queue, fn: Callable[[], dict[str, object]]) -> Callable[[], dict[str, object]]:
    """``fn`` run inside the app context (for Huey's periodic tasks)."""
    app = queue.app

    def run() -> dict[str, object]:
        with app.app_context():
            return fn()

    run.__name__ = fn.__name__
    return run
