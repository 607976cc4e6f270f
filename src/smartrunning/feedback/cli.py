"""``feedback``: RPE and comments from the command line, acting as a named user (the same
rules as the pages: ``--as`` must see the runner)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from smartrunning.accounts.models import User
from smartrunning.feedback import actions, schemas
from smartrunning.feedback.models import Feeling
from smartrunning.platform.cli_output import emit, json_option
from smartrunning.platform.db import db

__all__ = ["register"]

group = AppGroup("feedback", help="Session RPE and comments on sessions and planned days.")


def _user(username: str) -> User:
    user = db.session.execute(sa.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    return user


def _subject(user: User, session_id: int | None, day_id: int | None) -> actions.Subject:
    if (session_id is None) == (day_id is None):
        raise click.UsageError("Give exactly one of --session and --day.")
    if session_id is not None:
        return actions.session_subject(user, session_id)[0]
    assert day_id is not None
    return actions.plan_day_subject(user, day_id)[0]


@group.command("rpe")
@with_appcontext
@click.argument("session_id", type=int)
@click.option("--as", "username", required=True, help="The runner's user name.")
@click.option("--rpe", type=click.IntRange(1, 10), help="1 (very easy) … 10 (maximal).")
@click.option("--feeling", type=click.Choice([f.value for f in Feeling]))
@click.option("--comment", default="", help="A comment for the thread.")
@json_option
def rpe_command(
    session_id: int,
    username: str,
    rpe: int | None,
    feeling: str | None,
    comment: str,
    as_json: bool,
) -> None:
    """Give a session's RPE and feeling (the runner's own session)."""
    row = actions.set_session_feedback(
        _user(username), session_id, rpe=rpe, feeling=feeling, comment=comment
    )
    data = schemas.feedback_shape(row, session_id)
    load = data.srpe_load
    emit(
        data.as_dict(),
        as_json,
        f"Session {session_id}: RPE {data.rpe or '–'}, feeling {data.feeling or '–'}"
        + (f", session-RPE load {load:.0f}" if load is not None else ""),
    )


@group.command("comments")
@with_appcontext
@click.option("--as", "username", required=True, help="Read as this user.")
@click.option("--session", "session_id", type=int)
@click.option("--day", "day_id", type=int, help="A planned day's id.")
@json_option
def comments_command(
    username: str, session_id: int | None, day_id: int | None, as_json: bool
) -> None:
    """The comments of a session or planned day that the user may read."""
    user = _user(username)
    subject = _subject(user, session_id, day_id)
    rows = actions.thread(user, subject)
    authors = actions.authors_of(rows)
    items = [schemas.comment_shape(r, authors) for r in rows]
    lines = [
        f"{c.created_at:%Y-%m-%d %H:%M} {c.author}{' (private)' if c.private else ''}: {c.body}"
        for c in items
    ]
    emit(
        {"subject": subject.thread_key, "comments": [c.as_dict() for c in items]},
        as_json,
        "\n".join(lines) or "No comments.",
    )


@group.command("comment")
@with_appcontext
@click.option("--as", "username", required=True, help="Write as this user.")
@click.option("--session", "session_id", type=int)
@click.option("--day", "day_id", type=int, help="A planned day's id.")
@click.option("--text", required=True)
@click.option("--private", is_flag=True, help="A coaches' note the runner never sees.")
@json_option
def comment_command(
    username: str,
    session_id: int | None,
    day_id: int | None,
    text: str,
    private: bool,
    as_json: bool,
) -> None:
    """Comment on a session or a planned day."""
    user = _user(username)
    row = actions.add_comment(user, _subject(user, session_id, day_id), text, private=private)
    data = schemas.comment_shape(row, actions.authors_of([row]))
    emit(data.as_dict(), as_json, f"Comment {row.id} posted.")


def register(main: click.Group) -> None:
    main.add_command(group)
