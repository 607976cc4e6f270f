"""The ``smartrunning`` command line. Every command that reports data accepts ``--json``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup, NoAppException

from smartrunning.config import ConfigError

__all__ = ["main"]


def _create_app() -> Flask:
    from smartrunning.web import create_app

    try:
        return create_app()
    except ConfigError as exc:
        # Flask prints a NoAppException as one clear line (even under --help), where any
        # other error while loading the app would come with a traceback.
        raise NoAppException(str(exc)) from exc


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """SmartRunning: training platform for running coaches and their athletes.

    Configuration comes from environment variables and ./.env (see .env.example).
    The instance folder is ./instance unless SMARTRUNNING_INSTANCE says otherwise.
    """


def _register() -> None:
    from smartrunning.cli import (
        backup,
        imports,
        plans,
        runners,
        serve,
        sessions,
        setup,
        users,
        workouts,
    )

    for module in (setup, users, runners, serve, imports, sessions, backup, workouts, plans):
        module.register(main)


_register()
