"""``import`` and ``reprocess``: FIT files (``.fit``, ``.fit.gz``), folders and ZIPs (a
Garmin or Strava export) into sessions.

How the work runs (``--via``):

- ``auto`` (default): the job goes to the queue, as uploads from the browser do, and
  the command waits with a progress bar. If no worker has claimed a file after
  ``WORKER_WAIT_S`` seconds (none is running), the command processes the job itself.
  Claims make this safe: a worker that wakes up later only takes files still pending.
- ``queue``: the queue only; waits as long as it takes (``--no-wait``: print the job and
  return at once).
- ``inline``: in this process, no worker needed.

With ``--json`` the command prints one JSON object per file:
``{"file", "status": "imported|duplicate|not_activity|failed", "reason", "session_ids"}``
(entries of an archive that are neither FIT files nor ZIPs are ``not_activity`` with the
reason "skipped: …").
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Final

import click
from flask.cli import AppGroup, with_appcontext

from smartrunning.athletes.models import Runner
from smartrunning.platform.cli_output import (
    emit,
    json_option,
    to_jsonable,
)
from smartrunning.platform.db import db
from smartrunning.sessions import import_reports, uploads
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions.models import (
    FileKind,
    FileStatus,
    ImportFile,
    ImportJob,
)

__all__ = ["register"]

WORKER_WAIT_S: Final = 15.0
_POLL_S: Final = 0.3
_VIA = click.Choice(["auto", "queue", "inline"])


def _runner(runner_id: int) -> Runner:
    runner = db.session.get(Runner, runner_id)
    if runner is None:
        raise click.ClickException(f"No runner {runner_id}.")
    return runner


class _Progress:
    """A one-line progress bar on a terminal's stderr; silent otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.shown = False

    def __call__(self, report: import_reports.JobReport) -> None:
        if not self.enabled:
            return
        total = max(report.files_total, 1)
        width = 30
        filled = int(width * report.files_done / total)
        state = "analysing" if report.status.value == "analysing" else "files"
        click.echo(
            f"\r[{'#' * filled}{'-' * (width - filled)}] {report.files_done}/"
            f"{report.files_total} {state}   ",
            nl=False,
            err=True,
        )
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("", err=True)


def _wait(job_id: int, via: str, progress: _Progress) -> None:
    """Wait for the queue to finish the job; in ``auto`` mode, take over if no worker."""
    started = time.monotonic()
    first_pending: int | None = None
    claimed = False
    while True:
        job = import_reports.reread_job(job_id)  # as other processes committed it
        report = import_reports.job_report(job, with_files=False)
        progress(report)
        if report.done:
            return
        pending = report.by_status.get(FileStatus.PENDING.value, 0)
        first_pending = pending if first_pending is None else first_pending
        claimed = (
            claimed
            or pending < first_pending
            or report.by_status.get(FileStatus.PROCESSING.value, 0) > 0
            or job.status.value == "analysing"
        )
        if via == "auto" and not claimed and time.monotonic() - started > WORKER_WAIT_S:
            click.echo(
                f"No worker took the job within {WORKER_WAIT_S:g} s; importing here.", err=True
            )
            import_jobs.run_inline(job_id, progress=progress)
            return
        time.sleep(_POLL_S)


def file_line(row: dict[str, Any]) -> dict[str, Any]:
    """A file's result as the --json line: skipped entries read as not_activity."""
    status, reason = row["status"], row["reason"]
    if status == FileStatus.SKIPPED.value:
        status, reason = FileStatus.NOT_ACTIVITY.value, f"skipped: {reason}"
    return {
        "file": row["file"],
        "status": status,
        "reason": reason,
        "session_ids": row["session_ids"],
    }


def print_files(rows: list[dict[str, Any]], as_json: bool) -> None:
    shown = [
        r
        for r in rows
        if not (r["kind"] == FileKind.ARCHIVE.value and r["status"] == FileStatus.EXPANDED.value)
    ]
    counts: dict[str, int] = {}
    for row in shown:
        line = file_line(row)
        counts[line["status"]] = counts.get(line["status"], 0) + 1
        if as_json:
            click.echo(json.dumps(to_jsonable(line), ensure_ascii=False))
        else:
            ids = (
                f" → session {', '.join(map(str, line['session_ids']))}"
                if line["session_ids"]
                else ""
            )
            why = f": {line['reason']}" if line["reason"] else ""
            click.echo(f"{line['status']:<12} {line['file']}{ids}{why}")
    if not as_json:
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        click.echo(f"{len(shown)} files: {summary or 'none'}.")


@click.command("import")
@with_appcontext
@click.option("--runner", "runner_id", type=int, required=True, help="The runner's id.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--via", type=_VIA, default="auto", show_default=True, help="Who does the work.")
@click.option("--no-wait", is_flag=True, help="Queue the job, print its id and return.")
@json_option
def import_command(
    runner_id: int, paths: tuple[Path, ...], via: str, no_wait: bool, as_json: bool
) -> None:
    """Import FIT files, folders and ZIPs (e.g. a Garmin data export) for a runner.

    Every file is kept, even one that fails; each gets a status and a reason. With --json,
    one JSON object per file: {"file", "status", "reason", "session_ids"}.
    """
    runner = _runner(runner_id)
    files, skipped = uploads.folder_files(paths)
    inline = via == "inline"
    job = uploads.create_import(
        runner,
        files,
        skipped=skipped,
        by=None,
        source="cli",
        require_files=False,
        queue=not inline,  # queued once committed, or run here below
    )
    job_id = job.id
    progress = _Progress(enabled=not as_json)
    try:
        if inline:
            import_jobs.run_inline(job_id, progress=progress)
        else:
            if no_wait:
                emit({"job_id": job_id}, as_json, f"Queued import job {job_id}.")
                return
            _wait(job_id, via, progress)
    finally:
        progress.close()
    report = import_reports.job_report(db.session.get_one(ImportJob, job_id))
    print_files(report.files, as_json)


@click.command("reprocess")
@with_appcontext
@click.option("--runner", "runner_id", type=int, default=None, help="Only this runner.")
@click.option("--via", type=_VIA, default="auto", show_default=True, help="Who does the work.")
@json_option
def reprocess_command(runner_id: int | None, via: str, as_json: bool) -> None:
    """Run failed files again, and files imported by an older version of the importer.

    Their raw bytes were kept; results replace the old ones in their import jobs.
    """
    runner = _runner(runner_id) if runner_id is not None else None
    inline = via == "inline"
    ids, jobs = import_jobs.reprocess(runner, queue=not inline)
    if not ids:
        if not as_json:
            click.echo("Nothing to reprocess.")
        return
    progress = _Progress(enabled=not as_json)
    try:
        for job_id in jobs:
            if inline:
                import_jobs.run_inline(job_id, progress=progress)
            else:
                _wait(job_id, via, progress)
    finally:
        progress.close()
    rows = [
        import_reports.file_report(row)
        for row in db.session.execute(
            db.select(ImportFile).where(ImportFile.id.in_(ids)).order_by(ImportFile.id)
        ).scalars()
    ]
    print_files(rows, as_json)


def register(group: AppGroup) -> None:
    group.add_command(import_command)
    group.add_command(reprocess_command)
