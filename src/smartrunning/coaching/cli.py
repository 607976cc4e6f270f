"""``runner delete``: a runner with all their data, from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from smartrunning.athletes.cli import runner_or_fail
from smartrunning.coaching import actions as coaching_actions
from smartrunning.platform.cli_output import emit, json_option

__all__ = ["register"]


@click.command("delete")
@with_appcontext
@click.argument("runner_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
def delete_command(runner_id: int, yes: bool, as_json: bool) -> None:
    """Delete a runner with all their sessions, files, bests, parameters, history and plans."""
    runner = runner_or_fail(runner_id)
    if not yes:
        click.confirm(f"Delete runner {runner.id} ({runner.name}) and all their data?", abort=True)
    deleted = coaching_actions.delete_runner(runner)
    emit(
        deleted.as_dict(),
        as_json,
        f"Deleted runner {deleted.runner_id} ({deleted.name}): {deleted.sessions} sessions, "
        f"{deleted.import_jobs} imports, {deleted.blobs_deleted} stored files.",
    )


def register(group: AppGroup) -> None:
    """Add ``delete`` to the ``runner`` group."""
    group.add_command(delete_command)
