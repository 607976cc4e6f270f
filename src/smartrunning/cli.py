"""The ``smartrunning`` command line. Every command that reports data accepts ``--json``."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup, NoAppException

from smartrunning import bootstrap
from smartrunning.accounts import cli as accounts_cli
from smartrunning.admin import cli as admin_cli
from smartrunning.app import create_app
from smartrunning.athletes import cli as athletes_cli
from smartrunning.athletes import cli_response as athletes_cli_response
from smartrunning.coaching import cli as coaching_cli
from smartrunning.feedback import cli as feedback_cli
from smartrunning.notifications import cli as notifications_cli
from smartrunning.plans import cli as plans_cli
from smartrunning.plans import cli_replan as plans_cli_replan
from smartrunning.platform import display, serve
from smartrunning.platform.config import ConfigError
from smartrunning.platform.display import DisplayPrefs
from smartrunning.platform.errors import ServiceError
from smartrunning.platform.formatting import UNITS, is_time_zone
from smartrunning.sessions import cli as sessions_cli
from smartrunning.sessions import cli_imports as sessions_cli_imports
from smartrunning.workouts import cli as workouts_cli

__all__ = ["main"]


def _create_app() -> Flask:
    try:
        return create_app()
    except ConfigError as exc:
        # Flask prints a NoAppException as one clear line (even under --help), where any
        # other error while loading the app would come with a traceback.
        raise NoAppException(str(exc)) from exc


class _Commands(FlaskGroup):
    """Every command: a service's refusal (``platform.errors``) ends it with the message
    and exit status 1, nothing of it kept (the app context's session is discarded)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ServiceError as exc:
            raise click.ClickException(exc.message) from exc


@click.group(cls=_Commands, create_app=_create_app, add_version_option=False, load_dotenv=False)
@click.option(
    "--units",
    envvar="SMARTRUNNING_UNITS",
    default="km",
    show_default=True,
    help="km or mi: distances and paces in text output (--json stays SI).",
)
@click.option(
    "--time-zone",
    envvar="SMARTRUNNING_TIME_ZONE",
    default="UTC",
    show_default=True,
    help="IANA time zone of times in text output (--json stays UTC).",
)
def main(units: str, time_zone: str) -> None:
    """SmartRunning: training platform for running coaches and their athletes.

    Configuration comes from environment variables and ./.env (see .env.example).
    The instance folder is ./instance unless SMARTRUNNING_INSTANCE says otherwise.
    """
    if units not in UNITS:
        raise click.BadParameter("km or mi", param_hint="--units")
    if not is_time_zone(time_zone):
        raise click.BadParameter(f"unknown time zone {time_zone!r}", param_hint="--time-zone")
    display.set_process_default(
        DisplayPrefs(units="mi" if units == "mi" else "km", time_zone=time_zone)
    )


def _register() -> None:
    for module in (
        bootstrap,
        accounts_cli,
        athletes_cli,
        serve,
        sessions_cli_imports,
        sessions_cli,
        admin_cli,
        workouts_cli,
        plans_cli,
        notifications_cli,
        feedback_cli,
    ):
        module.register(main)
    coaching_cli.register(athletes_cli.runner_group)
    athletes_cli_response.register(athletes_cli.runner_group)
    plans_cli_replan.register(plans_cli.plan_group)


_register()
