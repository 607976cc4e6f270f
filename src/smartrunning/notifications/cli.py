"""``notifications``: a user's inbox and choices from the command line, and sending the
e-mails still waiting (after a queue was lost)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from smartrunning.accounts.models import User
from smartrunning.notifications import actions, schemas
from smartrunning.notifications.models import Notification, NotificationKind
from smartrunning.platform.cli_output import emit, json_option
from smartrunning.platform.db import db
from smartrunning.platform.queue import get_queue

__all__ = ["register"]

group = AppGroup("notifications", help="Users' notifications and e-mails.")


def _user(username: str) -> User:
    user = db.session.execute(sa.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


@group.command("list")
@with_appcontext
@click.option("--user", "username", required=True, help="The user's name.")
@click.option("--unread", is_flag=True, help="Only unread ones.")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@json_option
def list_command(username: str, unread: bool, limit: int, as_json: bool) -> None:
    """A user's notifications, newest first."""
    user = _user(username)
    rows = db.session.execute(
        actions.inbox(user.id, unread_only=unread)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).scalars()
    items = [schemas.notification_shape(row) for row in rows]
    lines = [
        f"{'*' if n.read_at is None else ' '} {n.id:>6}  {n.created_at:%Y-%m-%d %H:%M}  {n.title}"
        for n in items
    ]
    emit(
        {
            "user": user.username,
            "unread": actions.unread_count(user.id),
            "items": [n.as_dict() for n in items],
        },
        as_json,
        "\n".join(lines) or "No notifications.",
    )


@group.command("read")
@with_appcontext
@click.option("--user", "username", required=True, help="The user's name.")
@click.argument("notification_id", type=int, required=False)
@json_option
def read_command(username: str, notification_id: int | None, as_json: bool) -> None:
    """Mark one notification read, or all of the user's without an id."""
    user = _user(username)
    if notification_id is None:
        count = actions.mark_all_read(user.id)
    else:
        actions.mark_read(user.id, notification_id)
        count = 1
    emit({"marked_read": count}, as_json, f"{count} marked read.")


@group.command("choose")
@with_appcontext
@click.option("--user", "username", required=True, help="The user's name.")
@click.option("--email", "address", help="Where e-mails go; an empty value: none.")
@click.option("--kind", help="A kind: " + ", ".join(k.value for k in NotificationKind))
@click.option("--in-app/--no-in-app", default=None, help="In the inbox (with --kind).")
@click.option("--by-email/--no-email", default=None, help="By e-mail (with --kind).")
@json_option
def choose_command(
    username: str,
    address: str | None,
    kind: str | None,
    in_app: bool | None,
    by_email: bool | None,
    as_json: bool,
) -> None:
    """Show or change a user's e-mail address and how they get each kind."""
    user = _user(username)
    if kind is None and (in_app is not None or by_email is not None):
        if address is not None:
            actions.valid_email_address(address)  # a bad address is reported first
        raise click.UsageError("--in-app and --by-email need --kind.")
    actions.save_choices(
        user.id, address=address, choices=[(kind, in_app, by_email)] if kind is not None else []
    )
    choices = actions.choices_for(user.id)
    data = {
        "user": user.username,
        "email": actions.email_address(user.id),
        "choices": [c.as_dict() for c in choices],
    }
    lines = [f"e-mail: {data['email'] or '(none)'}"] + [
        f"{c.kind.label}: {'inbox' if c.in_app else '-'} / {'e-mail' if c.email else '-'}"
        for c in choices
    ]
    emit(data, as_json, "\n".join(lines))


@group.command("resend")
@with_appcontext
@json_option
def resend_command(as_json: bool) -> None:
    """Queue every e-mail still waiting to be sent (e.g. after the queue was emptied)."""
    ids = actions.pending_outbox_ids()
    task = get_queue().tasks["send_email"]
    for outbox_id in ids:
        task(outbox_id)
    emit({"queued": len(ids)}, as_json, f"{len(ids)} e-mails queued.")


def register(main: click.Group) -> None:
    main.add_command(group)
