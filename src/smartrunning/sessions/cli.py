"""``sessions list|show|delete``, ``history`` and ``recompute``.

With ``--json``, lists print one JSON object per line (per session, per day, per week,
per runner); ``sessions show`` prints one object. Units are SI (m, s, m/s, bpm).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from smartrunning.athletes.models import Runner
from smartrunning.platform import clock, context, display
from smartrunning.platform.cli_output import (
    emit,
    json_option,
    to_jsonable,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import NotFound
from smartrunning.sessions import actions as session_services
from smartrunning.sessions import history as history_services
from smartrunning.sessions import recompute
from smartrunning.sessions import schemas as session_schemas
from smartrunning.sessions.models import TrainingSession

__all__ = ["register"]

sessions_group = AppGroup("sessions", help="Sessions: list, show, delete.")
_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _runner(runner_id: int) -> Runner:
    runner = db.session.get(Runner, runner_id)
    if runner is None:
        raise click.ClickException(f"No runner {runner_id}.")
    return runner


def _line(data: dict[str, Any]) -> None:
    click.echo(json.dumps(to_jsonable(data), ensure_ascii=False))


def _hms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _num(value: float | None, fmt: str = ".0f") -> str:
    return "-" if value is None else format(value, fmt)


@sessions_group.command("list")
@click.option("--runner", "runner_id", type=int, required=True, help="The runner's id.")
@click.option("--sport", default=None, help="Only this sport (running, cycling …).")
@click.option("--from", "date_from", type=_DATE, default=None, help="First day, YYYY-MM-DD.")
@click.option("--to", "date_to", type=_DATE, default=None, help="Last day, YYYY-MM-DD.")
@click.option("--sort", type=click.Choice(sorted(session_services.SORTS)), default="start_time")
@click.option("--asc", is_flag=True, help="Oldest (smallest) first.")
@click.option("--page", type=click.IntRange(min=1), default=None, help="Only this page.")
@click.option("--page-size", type=click.IntRange(1, 200), default=50, show_default=True)
@json_option
def list_command(
    runner_id: int,
    sport: str | None,
    date_from: dt.datetime | None,
    date_to: dt.datetime | None,
    sort: str,
    asc: bool,
    page: int | None,
    page_size: int,
    as_json: bool,
) -> None:
    """List a runner's sessions (all of them, or one --page); --json: one object per line."""
    runner = _runner(runner_id)
    number = page or 1
    while True:
        result = session_services.list_sessions(
            runner,
            sport=sport,
            date_from=date_from.date() if date_from else None,
            date_to=date_to.date() if date_to else None,
            sort=sort,
            direction="asc" if asc else "desc",
            page=number,
            page_size=page_size,
        )
        for s in map(session_schemas.session_summary, result.items):
            if as_json:
                _line(s.as_dict())
            else:
                click.echo(
                    f"{s.id:>6}  {display.moment(s.start_time)}  {s.sport_label:<18} "
                    f"{display.distance(s.distance_m, 2):>10}  {_hms(s.timer_time_s)}  "
                    f"HR {_num(s.avg_hr)}  load {_num(s.load)}"
                    + ("  HELD for review" if s.held else "")
                )
        if page is not None or number >= result.pages:
            break
        number += 1
    if not as_json and result.total == 0:
        click.echo("No sessions.")


@sessions_group.command("show")
@click.argument("session_id", type=int)
@json_option
def show_command(session_id: int, as_json: bool) -> None:
    """Show one session: totals, loads, zone times, splits, laps, best efforts, device totals."""
    session = db.session.get(TrainingSession, session_id)
    if session is None:
        raise click.ClickException(f"No session {session_id}.")
    data = session_schemas.session_detail(session)
    loads = data.loads
    lines = [
        f"Session {data.id}: {data.sport} on {data.local_date} (runner {data.runner_id})",
        f"  distance {display.distance(data.distance_m, 2)}, "
        f"timer {_hms(data.timer_time_s)}, "
        f"moving {_hms(data.moving_time_s)}, elapsed {_hms(data.elapsed_time_s)}",
        f"  HR avg {_num(data.avg_hr)} max {_num(data.max_hr)}, "
        f"ascent {_num(data.elevation_gain_m)} m",
        f"  load {_num(loads['chosen'], '.1f')} ({loads['model']}); TRIMP "
        f"{_num(loads['trimp'], '.1f')}, HRSS {_num(loads['hrss'], '.1f')}, "
        f"rTSS {_num(loads['rtss'], '.1f')}",
    ]
    if data.held:
        lines.append("  HELD for review (confirm with `sessions confirm ID`):")
    for flag in data.flags if data.held else []:
        lines.append(f"    {flag['reason']}")
    for effort in data.best_efforts:
        mark = "  PB" if effort["personal_best_id"] else ""
        lines.append(f"  best {effort['label']:>13}: {_hms(effort['time_s'])}{mark}")
    emit(data.as_dict(), as_json, "\n".join(lines))


@sessions_group.command("confirm")
@click.argument("session_id", type=int)
@json_option
def confirm_command(session_id: int, as_json: bool) -> None:
    """Confirm a session held for review (values no runner produces): it counts again for
    bests, loads and history."""
    try:
        confirmed = session_services.confirm_session(None, session_id)
    except NotFound:
        raise click.ClickException(f"No session {session_id}.") from None
    message = (
        f"Confirmed session {session_id}."
        if confirmed
        else f"Session {session_id} was not held for review; nothing to confirm."
    )
    emit({"session_id": session_id, "confirmed": confirmed}, as_json, message)


@sessions_group.command("mark")
@click.argument("session_id", type=int)
@click.option(
    "--as",
    "performance",
    type=click.Choice(["race", "time_trial", "training"]),
    required=True,
    help="What the whole session was: a race or time trial's result anchors critical speed.",
)
@json_option
def mark_command(session_id: int, performance: str, as_json: bool) -> None:
    """Mark a session as a race, a time trial or training; recomputes from its day."""
    kind = session_services.parse_performance(performance)
    changed = session_services.mark_performance(None, session_id, kind)
    label = session_services.PERFORMANCE_LABELS[kind].lower()
    data = {"session_id": session_id, "performance": kind.value, "changed": changed}
    emit(data, as_json, f"Session {session_id} marked as {label}.")


@sessions_group.command("delete")
@click.argument("session_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
def delete_command(session_id: int, yes: bool, as_json: bool) -> None:
    """Delete a session and undo what it caused (bests, CS versions, loads, history)."""
    if not yes and not as_json:
        click.confirm(f"Delete session {session_id}?", abort=True)
    try:
        session_services.delete_session_by_id(session_id)
    except NotFound:
        raise click.ClickException(f"No session {session_id}.") from None
    window = context.settings().undo_window_s
    emit(
        {"deleted": session_id, "restorable_for_s": window},
        as_json,
        f"Deleted session {session_id}; 'sessions restore {session_id}' brings it back "
        f"within {window} s.",
    )


@sessions_group.command("restore")
@click.argument("session_id", type=int)
@json_option
def restore_command(session_id: int, as_json: bool) -> None:
    """Restore a session deleted within the undo window (UNDO_WINDOW_S) and recompute."""
    try:
        session_services.restore_session_by_id(session_id)
    except NotFound as e:
        raise click.ClickException(f"Session {session_id}: {e}") from None
    emit({"restored": session_id}, as_json, f"Restored session {session_id}.")


@click.command("history")
@with_appcontext
@click.option("--runner", "runner_id", type=int, required=True, help="The runner's id.")
@click.option("--from", "date_from", type=_DATE, default=None, help="First day, YYYY-MM-DD.")
@click.option(
    "--to",
    "date_to",
    type=_DATE,
    default=None,
    help="Last day (default today, UTC); after today the runner's plans are projected.",
)
@click.option("--weekly", is_flag=True, help="Weekly volume instead of the daily history.")
@json_option
def history_command(
    runner_id: int,
    date_from: dt.datetime | None,
    date_to: dt.datetime | None,
    weekly: bool,
    as_json: bool,
) -> None:
    """Daily load, fitness (CTL), fatigue (ATL), form and performance; --json: one per day."""
    runner = _runner(runner_id)
    start = date_from.date() if date_from else None
    end = date_to.date() if date_to else clock.today()
    if weekly:
        for week in history_services.weekly_volume(runner, date_from=start, date_to=end):
            data = week.as_dict()
            if as_json:
                _line(data)
            else:
                click.echo(
                    f"{week.week}  {week.sessions:>3} sessions  "
                    f"{display.distance(week.distance_m):>9}  {_hms(week.timer_time_s)}  "
                    f"load {week.load:6.0f}"
                )
        return
    today = clock.today()
    days = history_services.daily_series(
        runner, date_from=start, date_to=end, today=today, plans=history_services.plan_source()
    )
    for day in days:
        if as_json:
            _line(day)
        else:
            click.echo(
                f"{day['day']}  load {day['load']:6.1f}  fitness {day['ctl']:6.1f}  "
                f"fatigue {day['atl']:6.1f}  form {day['form']:6.1f}"
                + ("  (projected)" if day["projected"] else "")
            )


@click.command("recompute")
@with_appcontext
@click.option("--runner", "runner_id", type=int, default=None, help="Only this runner.")
@click.option("--from", "date_from", type=_DATE, default=None, help="Recompute from this day.")
@click.option("--all", "everything", is_flag=True, help="Recompute from each first session.")
@json_option
def recompute_command(
    runner_id: int | None, date_from: dt.datetime | None, everything: bool, as_json: bool
) -> None:
    """Bring derived values up to date: stale algorithm versions, parameter changes,
    interrupted imports (or everything from a day). --json: one object per runner."""
    if runner_id is not None:
        runners = [_runner(runner_id)]
    else:
        runners = list(db.session.execute(sa.select(Runner).order_by(Runner.id)).scalars())
    for runner in runners:
        start = date_from.date() if date_from else None
        if everything:
            start = db.session.execute(
                sa.select(sa.func.min(TrainingSession.local_date)).where(
                    TrainingSession.runner_id == runner.id
                )
            ).scalar_one()
        result = recompute.recompute_runner(runner, from_date=start, include_stale=True)
        data = result.as_dict()
        if as_json:
            _line(data)
        elif result.from_date is None:
            click.echo(f"Runner {runner.id}: up to date.")
        else:
            click.echo(
                f"Runner {runner.id}: from {result.from_date}, {result.sessions} sessions "
                f"({result.reanalysed} re-analysed, {result.updated} with new parameters), "
                f"{result.personal_bests} session bests, {result.cs_versions} CS versions, "
                f"{result.history_days} history days."
            )


def register(group: AppGroup) -> None:
    group.add_command(sessions_group)
    group.add_command(history_command)
    group.add_command(recompute_command)
