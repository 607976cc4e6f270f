"""``init`` (migrate, first admin, default data) and ``worker``."""

from __future__ import annotations

import gc
import sys
import time
from typing import Final

import click
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from smartrunning.accounts import actions as accounts
from smartrunning.plans import plan_schemas
from smartrunning.platform.cli_output import (
    emit,
    json_option,
)
from smartrunning.platform.db import MIGRATIONS_DIR, db
from smartrunning.platform.health import migration_state
from smartrunning.platform.queue import WORKER_STOP_TIMEOUT_S, get_queue
from smartrunning.workouts import imports as workout_imports

__all__ = ["register"]

MIGRATION_POLL_S: Final = 5
"""How often a worker waiting for the database's migrations looks again."""


@click.command("init")
@with_appcontext
@json_option
def init_command(as_json: bool) -> None:
    """Migrate the database, create the first admin and load default data (idempotent)."""
    upgrade(directory=str(MIGRATIONS_DIR))
    first = accounts.ensure_first_admin()
    db.session.commit()
    workouts = workout_imports.load_default_library()
    db.session.commit()
    schemas_added = plan_schemas.load_default_schemas()
    db.session.commit()
    result: dict[str, object] = {
        "migrated": True,
        "admin_created": first is not None,
        "default_workouts_added": workouts.imported,
        "default_schemas_added": schemas_added,
    }
    lines = ["Database is up to date."]
    if workouts.imported:
        lines.append(f"Loaded {workouts.imported} default workouts into the library.")
    if schemas_added:
        lines.append(f"Loaded {schemas_added} default plan schemas.")
    if first is not None:
        result["admin_username"] = first.user.username
        lines.append(f"Created the first admin: {first.user.username}")
        if first.generated_password:
            result["admin_password"] = first.generated_password
            lines.append(
                f"Its generated password (shown only now): {first.generated_password}\n"
                "It must be changed at first login."
            )
        else:
            lines.append("Its password is SMARTRUNNING_ADMIN_PASSWORD; change it at first login.")
    emit(result, as_json, "\n".join(lines))


@click.command("worker")
@with_appcontext
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(1, 64),
    default=None,
    help="Concurrent tasks in this process (default: QUEUE_WORKERS).",
)
@click.option(
    "--worker-type", type=click.Choice(["thread", "process"]), default="thread", show_default=True
)
def worker_command(workers: int | None, worker_type: str) -> None:
    """Run a queue worker (any number of them, on any machine sharing the queue).

    SIGTERM stops it gracefully: no new task is taken, running ones finish or hand their
    files back (up to WORKER_STOP_TIMEOUT_S), so nothing waits for the stale-claim sweep. SIGINT
    stops it at once.
    """
    from flask import current_app

    queue = get_queue()
    count = workers or current_app.extensions["smartrunning.settings"].queue_workers
    _wait_for_migrations()
    click.echo(f"Worker consuming the {queue.backend} queue with {count} {worker_type}(s).")
    sys.stdout.flush()  # seen at once in logs, even if the worker is killed later
    # An idle worker polls the SQLite queue every 0.1 s: Huey's default backs off to 10 s,
    # so a new upload could wait that long, and even a 1 s ceiling added ~0.5 s to every
    # job on average. A poll is one indexed SELECT on a small file (~0.1 % of a core).
    # Redis blocks on the list instead of polling.
    consumer = queue.huey.create_consumer(
        workers=count,
        worker_type=worker_type,
        initial_delay=0.1,
        backoff=1.0,
        max_delay=0.1,
        graceful_signal="TERM",
        shutdown_timeout=WORKER_STOP_TIMEOUT_S,
    )
    queue.stop_with(consumer.stop_flag)
    # Start-up objects (the app, SQLAlchemy's mappers, the FIT profile) never die: leave
    # them out of the cyclic collector's full passes, which otherwise walk them per batch.
    gc.freeze()
    consumer.run()


def _wait_for_migrations() -> None:
    """Wait until the database is at this code's schema (or a newer one).

    Kubernetes starts a release's workers beside its migration job, and compose starts them
    beside ``init``: a worker of new code must not run tasks on the old schema, nor fail
    while the database server is still starting.
    """
    while True:
        try:
            state: str = migration_state()
        except Exception as exc:  # the database server may still be starting
            db.session.rollback()
            state = f"unreachable ({type(exc).__name__})"
        if state == "ok":
            return
        click.echo(f"Waiting for the database: {state}; `smartrunning init` migrates it.")
        sys.stdout.flush()
        time.sleep(MIGRATION_POLL_S)


def register(group: AppGroup) -> None:
    group.add_command(init_command)
    group.add_command(worker_command)
