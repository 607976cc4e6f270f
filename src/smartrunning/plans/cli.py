"""``plan …``: list plan schemas, generate a plan for a runner (printed, or saved),
delete a plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from flask.cli import AppGroup

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.plans import stored as plan_json
from smartrunning.platform import clock
from smartrunning.platform.cli_output import (
    emit,
    json_option,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import ServiceError
from smartrunning.platform.formatting import format_duration

__all__ = ["register"]

plan_group = AppGroup("plan", help="Training plans: schemas, generation, deletion.")


@plan_group.command("schemas")
@json_option
def schemas_command(as_json: bool) -> None:
    """List the plan schemas."""
    rows = plan_schemas.list_schemas()
    items = []
    for row in rows:
        schema = plan_schemas.parse_row(row)
        items.append(
            {
                "id": row.id,
                "name": row.name,
                "is_default": row.is_default,
                "weeks": schema.total_weeks,
                "race_distance_m": row.body.get("race_distance_m"),
                "description": row.body.get("description", ""),
            }
        )
    text = "\n".join(f"{i['name']}  ({i['weeks']} weeks)" for i in items) or "No plan schemas."
    emit({"schemas": items}, as_json, text)


def _days(row: Any) -> list[dict[str, Any]]:
    return [
        {
            "date": d.date,
            "week": d.week,
            "kind": d.kind,
            "workout": d.workout_name,
            "workout_id": d.workout_id,
            "duration_s": round(d.duration_s, 1),
            "distance_m": round(d.distance_m, 1),
            "load": round(d.load, 1),
            "targets": d.targets,
        }
        for d in row
    ]


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
            row = plan_services.save_plan(runner, schema_row, request, created_by=None)
            db.session.commit()
            days = _days(row.days)
            projection, warnings, plan_id = row.projection, row.warnings, row.id
        else:
            plan, ids = plan_services.generate(runner, schema_row, request)
            days = _days(plan_services.day_row(d, ids) for d in plan.days)
            projection = plan_json.projection_json(plan)
            warnings = plan_json.warnings_json(plan)
            plan_id = None
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    weeks_out = projection["weeks"]
    result = {
        "plan_id": plan_id,
        "runner_id": runner.id,
        "schema": schema_row.name,
        "race_date": race_date.date(),
        "race_distance_m": distance_m,
        "days": days,
        "weeks": weeks_out,
        "projection": projection["days"],
        "race_day_form": projection["race_day_form"],
        "predicted_race_time_s": projection["predicted_race_time_s"],
        "warnings": warnings,
    }
    lines = [f"{schema_row.name} for {runner.name}, race {race_date.date()}"]
    for week in weeks_out:
        lines.append(
            f"week {week['index'] + 1} {week['start']} {week['block']}: "
            f"{week['sessions']} sessions, {format_duration(week['duration_s'])}, "
            f"{week['distance_m'] / 1000:.1f} km, load {week['load']:.0f}"
        )
    lines.append(f"race-day form {projection['race_day_form']:+.1f}")
    lines += [f"warning: {w['message']}" for w in warnings]
    emit(result, as_json, "\n".join(lines))


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
    plan_services.delete_plan(plan)
    db.session.commit()
    emit({"deleted": plan_id}, as_json, f"Deleted plan {plan_id}.")


def register(group: AppGroup) -> None:
    group.add_command(plan_group)
