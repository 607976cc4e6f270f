"""``runner …`` commands."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from smartrunning.cli.output import emit, json_option
from smartrunning.services import accounts
from smartrunning.services import athletes as athlete_services
from smartrunning.services.errors import ServiceError
from smartrunning.store import Runner, User, db

__all__ = ["register"]

runner_group = AppGroup("runner", help="Runners: create and inspect.")


def runner_data(runner: Runner) -> dict[str, object]:
    return {
        "id": runner.id,
        "name": runner.name,
        "birth_date": runner.birth_date,
        "sex": runner.sex,
        "user": runner.user.username if runner.user else None,
        "coaches": sorted(a.coach.username for a in runner.coach_rows),
    }


@runner_group.command("create")
@click.option("--name", required=True)
@click.option(
    "--birth-date", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD"
)
@click.option("--sex", required=True, type=click.Choice(["f", "m", "x"]))
@click.option("--coach", default=None, help="User name of the coach to assign.")
@click.option("--user", "username", default=None, help="User name of the runner's own login.")
@json_option
def create_command(
    name: str,
    birth_date: dt.datetime,
    sex: str,
    coach: str | None,
    username: str | None,
    as_json: bool,
) -> None:
    """Create a runner; prints it (with --json, as JSON with its id)."""
    coach_user = _user_or_fail(coach) if coach else None
    own_user = _user_or_fail(username) if username else None
    try:
        runner = athlete_services.create_runner(
            name,
            birth_date.date(),
            athlete_services.parse_sex(sex),
            created_by=None,
            today=dt.datetime.now(dt.UTC).date(),
            user=own_user,
            coach=coach_user,
        )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    emit(runner_data(runner), as_json, f"Created runner {runner.id}: {runner.name}.")


def _user_or_fail(username: str) -> User:
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    return user


def register(group: AppGroup) -> None:
    group.add_command(runner_group)
