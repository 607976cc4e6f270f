"""``backup`` and ``restore``: the whole database (and so every stored file) in one file."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from smartrunning.admin import backup as backup_services
from smartrunning.platform.cli_output import (
    emit,
    json_option,
)
from smartrunning.platform.db import MIGRATIONS_DIR

__all__ = ["register"]


@click.command("backup")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def backup_command(file: Path, as_json: bool) -> None:
    """Write the database, uploads included, to FILE (a new ZIP)."""
    report = backup_services.backup(file)
    total = sum(report.rows.values())
    emit(
        {"file": str(report.path), "revision": report.revision, "rows": report.rows},
        as_json,
        f"Backed up {total} rows of {len(report.rows)} tables to {report.path}.",
    )


@click.command("restore")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def restore_command(file: Path, as_json: bool) -> None:
    """Restore FILE into a new, empty database (migrated here first)."""
    upgrade(directory=str(MIGRATIONS_DIR))
    report = backup_services.restore(file)
    total = sum(report.rows.values())
    emit(
        {"file": str(report.path), "revision": report.revision, "rows": report.rows},
        as_json,
        f"Restored {total} rows of {len(report.rows)} tables from {report.path}.",
    )


def register(group: AppGroup) -> None:
    group.add_command(backup_command)
    group.add_command(restore_command)
