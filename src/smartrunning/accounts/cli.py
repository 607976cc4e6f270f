"""``create-user``, ``set-password`` and ``preferences`` (time zone and units); ``--json``
prints the user as the API's ``/api/me`` shows them (``accounts.schemas.user_shape``), with
``must_change_password`` (and, from ``create-user``, a generated ``password``)."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.schemas import user_shape
from smartrunning.platform.cli_output import (
    emit,
    json_option,
)

__all__ = ["register"]


@click.command("create-user")
@with_appcontext
@click.option("--username", required=True, help="Lower-case user name.")
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    help="admin, coach or runner; repeat for several.",
)
@click.option(
    "--password", default=None, help="Temporary password (generated and printed when omitted)."
)
@click.option("--display-name", default="", help="Full name shown in pages.")
@json_option
def create_user_command(
    username: str, roles: tuple[str, ...], password: str | None, display_name: str, as_json: bool
) -> None:
    """Create an account; its owner must change the password at first login."""
    generated = password is None
    secret = password or accounts.generate_password()
    user = accounts.save_new_user(
        username, secret, accounts.parse_roles(roles), display_name=display_name
    )
    shape = user_shape(user)
    data = shape.as_dict()
    text = f"Created {user.username} ({', '.join(shape.roles)})."
    if generated:
        data["password"] = secret
        text += f"\nTemporary password (shown only now): {secret}"
    emit(data, as_json, text)


@click.command("set-password")
@with_appcontext
@click.argument("username")
@click.option("--password", default=None, help="New password (prompted for when omitted).")
@click.option(
    "--must-change/--no-must-change",
    default=True,
    show_default=True,
    help="Require a change at the next login.",
)
@json_option
def set_password_command(
    username: str, password: str | None, must_change: bool, as_json: bool
) -> None:
    """Set a user's password (e.g. for an admin who is locked out)."""
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    accounts.set_password(user, password, must_change=must_change)
    emit(
        {"username": user.username, "must_change_password": must_change},
        as_json,
        f"Password of {user.username} set."
        + (" It must be changed at the next login." if must_change else ""),
    )


@click.command("preferences")
@with_appcontext
@click.argument("username")
@click.option("--time-zone", default=None, help="IANA time zone, e.g. Europe/Berlin or UTC.")
@click.option("--units", default=None, help="km or mi: the unit of running and cycling figures.")
@json_option
def preferences_command(
    username: str, time_zone: str | None, units: str | None, as_json: bool
) -> None:
    """Show or set the time zone and units a user reads pages, command output and calendar
    files in (the API stays SI and UTC)."""
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    if time_zone is not None or units is not None:
        accounts.set_display_prefs(user, time_zone=time_zone, units=units)
    shape = user_shape(user)
    word = {"km": "kilometres", "mi": "miles"}[shape.units]
    emit(shape.as_dict(), as_json, f"{user.username}: time zone {shape.time_zone}, {word}.")


def register(group: AppGroup) -> None:
    group.add_command(create_user_command)
    group.add_command(set_password_command)
    group.add_command(preferences_command)
