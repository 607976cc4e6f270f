"""``plan …``: list plan templates (``plan templates``, or ``plan schemas`` as before),
generate a plan for a runner (printed, or saved),
delete a plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from flask.cli import AppGroup

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar as plan_calendar
from smartrunning.plans import calendar_edits, freshness, plan_schemas
from smartrunning.plans import schemas as plan_shapes
from smartrunning.plans import stored as plan_json
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.plans.schemas import PlanDayShape
from smartrunning.platform import clock, display
from smartrunning.platform.cli_output import (
    emit,
    json_option,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import ServiceError
from smartrunning.platform.formatting import format_duration
from smartrunning.science import plans as sp

__all__ = ["register"]

plan_group = AppGroup(
    "plan",
    help="Training plans: templates, generation, the calendar and its edits, deletion.",
)


@plan_group.command("schemas")
@json_option
def schemas_command(as_json: bool) -> None:
    """List the plan templates (also ``plan templates``)."""
    items = [plan_shapes.plan_template_shape(row) for row in plan_schemas.list_schemas()]
    text = "\n".join(f"{i.name}  ({i.weeks} weeks)" for i in items) or "No plan templates."
    emit({"schemas": [i.as_dict() for i in items]}, as_json, text)


plan_group.add_command(schemas_command, "templates")


def _unsaved_plan(
    runner: Runner,
    schema_name: str,
    distance_m: float,
    plan: sp.Plan,
    ids: dict[str, int],
    basis: dict[str, Any],
) -> Plan:
    """A generated plan as it would be stored, kept out of the database (no ids)."""
    return Plan(
        runner_id=runner.id,
        schema_name=schema_name,
        race_date=plan.race_date,
        race_distance_m=distance_m,
        weeks=len(plan.weeks),
        start_date=plan.start,
        generated_at=clock.now(),
        warnings=plan_services.plan_warnings(runner, plan),
        projection={**plan_json.projection_json(plan), "basis": basis},
        days=[plan_services.day_row(d, ids) for d in plan.days],
    )


@plan_group.command("generate")
@click.option("--runner", "runner_id", type=int, required=True, help="Runner id.")
@click.option("--schema", "schema_name", required=True, help="Plan schema name.")
@click.option("--race-date", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--distance-m", type=float, required=True, help="Race distance, metres.")
@click.option("--weeks", type=click.IntRange(1, 52), default=None, help="Preparation weeks.")
@click.option("--save", is_flag=True, help="Store the plan for the runner.")
@json_option
def generate_command(
    runner_id: int,
    schema_name: str,
    race_date: dt.datetime,
    distance_m: float,
    weeks: int | None,
    save: bool,
    as_json: bool,
) -> None:
    """Generate a plan toward a race: days, weekly totals, projection and warnings."""
    runner = db.session.get(Runner, runner_id) if 0 < runner_id <= 2**31 - 1 else None
    if runner is None:
        raise click.ClickException(f"No runner {runner_id}.")
    request = plan_services.GenerateRequest(
        race_date.date(), distance_m, weeks, today=clock.today()
    )
    try:
        schema_row = plan_schemas.schema_by_name(schema_name)
        if save:
            row = plan_services.create_plan(runner, schema_row, request, created_by=None)
        else:
            basis: dict[str, Any] = {}
            plan, ids = plan_services.generate(runner, schema_row, request, basis)
            row = _unsaved_plan(runner, schema_row.name, distance_m, plan, ids, basis)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    shown = plan_shapes.plan_detail(row, clock.today())
    projection = shown.projection
    lines = [f"{shown.schema_name} for {runner.name}, race {shown.race_date}"]
    for week in projection["weeks"]:
        lines.append(
            f"week {week['index'] + 1} {week['start']} {week['block']}: "
            f"{week['sessions']} sessions, {format_duration(week['duration_s'])}, "
            f"{display.distance(week['distance_m'])}, load {week['load']:.0f}"
        )
    lines.append(f"race-day form {projection['race_day_form']:+.1f}")
    lines.append(plan_json.taper_text(projection.get("taper")))
    lines += [part["text"] for part in (projection.get("basis") or {}).values()]
    lines += [f"warning: {w.message}" for w in shown.warnings]
    emit(shown.as_dict(), as_json, "\n".join(lines))


@plan_group.command("delete")
@click.argument("plan_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
def delete_command(plan_id: int, yes: bool, as_json: bool) -> None:
    """Delete a plan with its days (linked sessions stay)."""
    try:
        plan = plan_services.plan_by_id(plan_id)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    if not yes and not as_json:
        click.confirm(
            f"Delete plan {plan_id} ({plan.schema_name}, race {plan.race_date}) of "
            f"{plan.runner.name}?",
            abort=True,
        )
    plan_services.remove_plan(plan)
    emit({"deleted": plan_id}, as_json, f"Deleted plan {plan_id}.")


def _plan_arg(plan_id: int) -> Any:
    try:
        return plan_services.plan_by_id(plan_id)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None


def _day_arg(plan: Any, day_id: int) -> Any:
    day = next((d for d in plan.days if d.id == day_id), None)
    if day is None:
        raise click.ClickException(f"Plan {plan.id} has no day {day_id}.")
    return day


def _edited(run: Any) -> Any:
    """Run one calendar edit (its action commits, or keeps nothing): a clear error when
    it is refused."""
    try:
        return run()
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None


def _day_text(day: PlanDayShape) -> str:
    skipped = f" (skipped: {day.skipped_reason})" if day.skipped_reason else ""
    return (
        f"{day.date} {day.workout_name}, {format_duration(day.duration_s)}, "
        f"{display.distance(day.distance_m)}, load {day.load:.0f}{skipped}"
    )


def _emit_day(day: PlanDay, as_json: bool, words: str) -> None:
    shown = plan_shapes.plan_day_shape(day)
    emit(shown.as_dict(), as_json, words + _day_text(shown))


DATE = click.DateTime(["%Y-%m-%d"])


@plan_group.command("calendar")
@click.argument("plan_id", type=int)
@click.option("--from", "first", type=DATE, default=None, help="First day (default: today).")
@click.option("--to", "last", type=DATE, default=None, help="Last day (default: 4 weeks on).")
@json_option
def calendar_command(
    plan_id: int, first: dt.datetime | None, last: dt.datetime | None, as_json: bool
) -> None:
    """A plan's calendar by week: planned and done per day, unplanned sessions, the
    weeks' totals planned and done and their compliance."""
    plan = _plan_arg(plan_id)
    start = first.date() if first else clock.today()
    if not 2 <= start.year <= 9998 or (last is not None and not 2 <= last.year <= 9998):
        raise click.ClickException("The dates must be within years 2 to 9998.")
    end = last.date() if last else start + dt.timedelta(days=27)
    if end < start or (end - start).days > 400:
        raise click.ClickException("--to must be from --from to 400 days after.")
    weeks = plan_calendar.calendar_shapes(
        plan_calendar.weeks_between(plan, start, end, clock.today())
    )
    lines = []
    for week in weeks:
        planned, done = week.planned, week.done
        lines.append(
            f"week of {week.start}: planned {format_duration(planned.duration_s)}, "
            f"{display.distance(planned.distance_m)}, load {planned.load:.0f}; done "
            f"{format_duration(done.duration_s)}, {display.distance(done.distance_m)}, "
            f"load {done.load:.0f} ({plan_calendar.COMPLIANCE_WORDS[week.compliance]})"
        )
        for day in week.days:
            if day.planned is not None:
                lines.append("  " + _day_text(day.planned))
            lines += [
                f"  {day.date} unplanned {s.sport}, {format_duration(s.duration_s)}"
                for s in day.unplanned
            ]
    emit({"weeks": [w.as_dict() for w in weeks]}, as_json, "\n".join(lines))


@plan_group.command("add-workout")
@click.argument("plan_id", type=int)
@click.option("--date", "date", type=DATE, required=True, help="The day (YYYY-MM-DD).")
@click.option("--workout", "workout_id", type=int, required=True, help="Library workout id.")
@json_option
def add_workout_command(plan_id: int, date: dt.datetime, workout_id: int, as_json: bool) -> None:
    """Put a library workout on a day (a rest day included; on a planned day it replaces
    the workout); the day is kept as edited when the plan is regenerated."""
    plan = _plan_arg(plan_id)
    day = _edited(lambda: calendar_edits.add_workout(plan, date.date(), workout_id))
    _emit_day(day, as_json, "Added: ")


@plan_group.command("move-day")
@click.argument("plan_id", type=int)
@click.argument("day_id", type=int)
@click.option("--to", "to", type=DATE, required=True, help="The new date (YYYY-MM-DD).")
@json_option
def move_day_command(plan_id: int, day_id: int, to: dt.datetime, as_json: bool) -> None:
    """Move a plan day to another date (a day planned there takes its old date)."""
    plan = _plan_arg(plan_id)
    day = _day_arg(plan, day_id)
    _edited(lambda: calendar_edits.move_day(plan, day, to.date()))
    _emit_day(day, as_json, "Moved: ")


@plan_group.command("copy-week")
@click.argument("plan_id", type=int)
@click.option("--from", "source", type=DATE, required=True, help="A day of the week to copy.")
@click.option("--to", "target", type=DATE, required=True, help="A day of the week to replace.")
@json_option
def copy_week_command(
    plan_id: int, source: dt.datetime, target: dt.datetime, as_json: bool
) -> None:
    """Make the week of --to a copy of the week of --from (the race day stays)."""
    plan = _plan_arg(plan_id)
    days = _edited(lambda: calendar_edits.copy_week(plan, source.date(), target.date()))
    shown = [plan_shapes.plan_day_shape(d) for d in days]
    text = "\n".join(["Copied:"] + ["  " + _day_text(d) for d in shown])
    emit({"days": [d.as_dict() for d in shown]}, as_json, text)


@plan_group.command("skip-day")
@click.argument("plan_id", type=int)
@click.argument("day_id", type=int)
@click.option("--reason", default=None, help="Why the day is skipped.")
@click.option("--undo", is_flag=True, help="Plan a skipped day again.")
@json_option
def skip_day_command(
    plan_id: int, day_id: int, reason: str | None, undo: bool, as_json: bool
) -> None:
    """Skip a plan day with a reason, or (--undo) plan it again."""
    plan = _plan_arg(plan_id)
    day = _day_arg(plan, day_id)
    if undo:
        _edited(lambda: calendar_edits.unskip_day(day))
    elif reason is None:
        raise click.ClickException("Give --reason (why the day is skipped) or --undo.")
    else:
        _edited(lambda: calendar_edits.skip_day(day, reason))
    _emit_day(day, as_json, "Planned again: " if undo else "Skipped: ")


@plan_group.command("mark-day")
@click.argument("plan_id", type=int)
@click.argument("day_id", type=int)
@click.option(
    "--mark", type=click.Choice(calendar_edits.MARKS), default=None, help="done, partly or skipped."
)
@click.option("--reason", default=None, help="Why (needed for partly and skipped).")
@click.option("--minutes", type=float, default=None, help="How long was run (done, partly).")
@click.option("--km", type=float, default=None, help="How far was run, km (done, partly).")
@click.option("--undo", is_flag=True, help="Take the mark off.")
@json_option
def mark_day_command(
    plan_id: int,
    day_id: int,
    mark: str | None,
    reason: str | None,
    minutes: float | None,
    km: float | None,
    undo: bool,
    as_json: bool,
) -> None:
    """Mark a plan day done, partly done or skipped, or (--undo) take the mark off."""
    plan = _plan_arg(plan_id)
    day = _day_arg(plan, day_id)
    if undo:
        _edited(lambda: calendar_edits.unmark_day(day))
    elif mark is None:
        raise click.ClickException("Give --mark (done, partly or skipped) or --undo.")
    else:
        seconds = None if minutes is None else minutes * 60
        metres = None if km is None else km * 1000
        _edited(lambda: calendar_edits.mark_day(day, mark, reason, seconds, metres))
    words = "Mark taken off: " if undo else f"Marked {mark}: "
    _emit_day(day, as_json, words)


@plan_group.command("refresh-targets")
@click.argument("plan_id", type=int)
@json_option
def refresh_targets_command(plan_id: int, as_json: bool) -> None:
    """Resolve a plan's targets from today on against the runner's parameters of each day
    (after a new critical speed or new zones); says which parameters had changed."""
    plan = _plan_arg(plan_id)
    today = clock.today()
    before = freshness.staleness(plan, today)
    changed = plan_services.refresh_plan_targets(plan, today)
    text = f"Plan {plan_id}: {changed} day(s) with new targets."
    if before.stale:
        text += "\n" + "\n".join(f"  {c.label} from {c.valid_from}" for c in before.changes)
    emit(plan_shapes.refresh_shape(plan, changed, today).as_dict(), as_json, text)


def register(group: AppGroup) -> None:
    group.add_command(plan_group)
