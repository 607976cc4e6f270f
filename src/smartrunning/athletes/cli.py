"""``runner …`` commands."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click
from flask.cli import AppGroup

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import User
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import profiles
from smartrunning.athletes import schemas as athlete_schemas
from smartrunning.athletes import suggestions as suggestion_services
from smartrunning.athletes.models import (
    BestKind,
    ParameterKey,
    ParameterSource,
    Runner,
)
from smartrunning.platform import clock, display
from smartrunning.platform.cli_output import (
    emit,
    json_option,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import ServiceError
from smartrunning.platform.formatting import (
    format_duration,
)

__all__ = ["register"]

runner_group = AppGroup("runner", help="Runners: create, inspect, update and delete.")


def runner_data(runner: Runner) -> dict[str, object]:
    """The API's runner, and ``user``: the user name of the runner's own login."""
    return {
        **athlete_schemas.runner_shape(runner).as_dict(),
        "user": runner.user.username if runner.user else None,
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
    runner = athlete_services.save_new_runner(
        name,
        birth_date.date(),
        athlete_services.parse_sex(sex),
        created_by=None,
        today=clock.today(),
        user=own_user,
        coach=coach_user,
    )
    emit(runner_data(runner), as_json, f"Created runner {runner.id}: {runner.name}.")


@runner_group.command("update")
@click.argument("runner_id", type=int)
@click.option("--name", default=None)
@click.option(
    "--birth-date", default=None, type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD"
)
@click.option("--sex", default=None, type=click.Choice(["f", "m", "x"]))
@json_option
def update_command(
    runner_id: int,
    name: str | None,
    birth_date: dt.datetime | None,
    sex: str | None,
    as_json: bool,
) -> None:
    """Change a runner's name, birth date or sex (a new birth date or sex recomputes their
    sessions at the next `smartrunning recompute` or worker maintenance)."""
    runner = runner_or_fail(runner_id)
    athlete_services.save_basics(
        runner,
        name if name is not None else runner.name,
        birth_date.date() if birth_date else runner.birth_date,
        athlete_services.parse_sex(sex) if sex else runner.sex,
        today=clock.today(),
    )
    emit(runner_data(runner), as_json, f"Updated runner {runner.id}: {runner.name}.")


def runner_or_fail(runner_id: int) -> Runner:
    runner = db.session.get(Runner, runner_id)
    if runner is None:
        raise click.ClickException(f"No runner {runner_id}.")
    return runner


@runner_group.command("show")
@click.argument("runner_id", type=int)
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Show the values valid on this date (default: today).",
)
@json_option
def show_command(runner_id: int, day: dt.datetime | None, as_json: bool) -> None:
    """Profile, parameters valid today with sources, bests, CS/D′ report, predictions."""
    runner = runner_or_fail(runner_id)
    summary = profiles.profile_summary(runner, day.date() if day else clock.today())
    emit(summary, as_json, _summary_text(summary))


def _summary_text(summary: dict[str, Any]) -> str:
    params = summary["parameters"]
    cs = params["critical_speed"]["value"]
    lines = [
        f"{summary['name']} (runner {summary['id']}), {summary['age_years']} years, "
        f"sex {summary['sex']}",
        f"HRmax {params['hrmax_bpm']['value']} bpm ({params['hrmax_bpm']['source']}), "
        f"resting HR {params['hrrest_bpm']['value'] or '–'}",
        f"CS {cs['cs_mps']:.2f} m/s ({display.pace(cs['cs_mps'])}), "
        f"D′ {cs['d_prime_m']:.0f} m ({params['critical_speed']['source']})",
        "HR zones: "
        + ", ".join(
            f"Z{z['number']} {z['lower']:.0f}–{z['upper'] or 0:.0f}" for z in summary["hr_zones"]
        ),
        "Personal bests: "
        + (
            ", ".join(
                f"{b['distance_m']:g} m {format_duration(b['time_s'])} ({b['date']})"
                for b in summary["personal_bests"]
            )
            or "none"
        ),
    ]
    for row in summary["predictions"]:
        times = [
            f"{m}: {format_duration(row[m]['time_s']) if row[m]['time_s'] else '–'}"
            for m in ("critical_speed", "riegel", "vdot")
        ]
        lines.append(f"  {row['label']:<14} " + "  ".join(times))
    return "\n".join(lines)


pb_group = AppGroup("pb", help="Personal bests: add, delete and restore manual entries.")


@pb_group.command("add")
@click.argument("runner_id", type=int)
@click.option("--distance-m", type=float, required=True, help="Distance in metres.")
@click.option("--time", "time_text", required=True, help="Seconds, m:ss or h:mm:ss.")
@click.option(
    "--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), required=True, help="YYYY-MM-DD"
)
@click.option("--event", default="", help="Event name.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in BestKind]),
    default=BestKind.RACE.value,
    show_default=True,
    help="Races and time trials anchor CS; a training effort does not.",
)
@json_option
def pb_add_command(
    runner_id: int,
    distance_m: float,
    time_text: str,
    date: dt.datetime,
    event: str,
    kind: str,
    as_json: bool,
) -> None:
    """Add a result (race, time trial or training effort); CS/D′ is refitted from its date on."""
    runner = runner_or_fail(runner_id)
    best = best_services.save_personal_best(
        runner,
        distance_m,
        best_services.parse_time(time_text),
        date.date(),
        by=None,
        today=clock.today(),
        event_name=event,
        kind=BestKind(kind),
    )
    cs = parameter_services.parameters_on(runner, clock.today()).critical_speed
    data = {
        **athlete_schemas.best_shape(best, is_record=True).as_dict(),
        "runner_id": runner.id,
        "critical_speed": {
            "value": parameter_services.encode_value(ParameterKey.CRITICAL_SPEED, cs.value),
            "source": cs.source.value,
            "valid_from": cs.valid_from,
        },
    }
    emit(
        data,
        as_json,
        f"Added {best.distance_m:g} m in {format_duration(best.time_s)} on {best.date}.",
    )


cs_group = AppGroup("cs", help="Critical speed: what it rests on, suggestions to decide.")


@cs_group.command("suggestions")
@click.argument("runner_id", type=int)
@json_option
def cs_suggestions_command(runner_id: int, as_json: bool) -> None:
    """Open CS suggestions (fits made while an entered value is in force), newest first."""
    runner = runner_or_fail(runner_id)
    rows = [
        suggestion_services.suggestion_json(s) for s in suggestion_services.open_suggestions(runner)
    ]
    basis = best_services.cs_basis(runner, clock.today())
    text = [f"Critical speed: {basis['message']}"]
    text += [
        f"  #{r['id']} from {r['valid_from']}: {r['value']['cs_mps']:.3f} m/s "
        f"({display.pace(r['value']['cs_mps'])}), D′ {r['value']['d_prime_m']:.0f} m "
        f"({r['source']}): {r['note']}"
        for r in rows
    ] or ["  no open suggestions"]
    emit({"runner_id": runner.id, "basis": basis, "suggestions": rows}, as_json, "\n".join(text))


@cs_group.command("accept")
@click.argument("runner_id", type=int)
@click.argument("suggestion_id", type=int)
@json_option
def cs_accept_command(runner_id: int, suggestion_id: int, as_json: bool) -> None:
    """Make a suggestion the critical speed from its date (older open ones are dismissed)."""
    runner = runner_or_fail(runner_id)
    version = suggestion_services.accept_suggestion(
        runner, suggestion_id, by=None, today=clock.today()
    )
    data = {"runner_id": runner.id, "valid_from": version.valid_from, "value": version.value}
    emit(data, as_json, f"Accepted suggestion {suggestion_id}: CS from {version.valid_from}.")


@cs_group.command("dismiss")
@click.argument("runner_id", type=int)
@click.argument("suggestion_id", type=int)
@json_option
def cs_dismiss_command(runner_id: int, suggestion_id: int, as_json: bool) -> None:
    """Keep the entered critical speed: dismiss a suggestion (and older open ones)."""
    runner = runner_or_fail(runner_id)
    suggestion_services.dismiss_suggestion(runner, suggestion_id, by=None)
    data = {"runner_id": runner.id, "dismissed": suggestion_id}
    emit(data, as_json, f"Dismissed suggestion {suggestion_id}.")


params_group = AppGroup("params", help="Dated parameters.")


@params_group.command("set")
@click.argument("runner_id", type=int)
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="The date the values start to hold (YYYY-MM-DD).",
)
@click.option(
    "--source",
    type=click.Choice([s.value for s in ParameterSource]),
    default="measured",
    show_default=True,
)
@click.argument("assignments", nargs=-1, required=True)
@json_option
def params_set_command(
    runner_id: int, day: dt.datetime, source: str, assignments: tuple[str, ...], as_json: bool
) -> None:
    """Set parameters from a date: key=value … (JSON values for zones, CS, model).

    Keys: hrmax_bpm, hrrest_bpm, weight_kg, threshold_hr_bpm, load_model,
    critical_speed='{"cs_mps": 4.0, "d_prime_m": 200}',
    hr_zones='{"method": "percent_hrr", "start": 0.5, "uppers": [0.6, 0.7, 0.8, 0.9, 1.0]}',
    pace_zones='{"uppers": [0.8, 0.87, 0.95, 1.05, 1.19, null]}',
    fitness_fatigue='{"k1": 1, "k2": 2, "tau1": 42, "tau2": 7}'.
    """
    runner = runner_or_fail(runner_id)
    versions = parameter_services.save_parameters(
        runner,
        (_parse_assignment(assignment) for assignment in assignments),
        day.date(),
        source=ParameterSource(source),
        by=None,
        today=clock.today(),
    )
    data = {
        "runner_id": runner.id,
        "valid_from": day.date(),
        "set": {v.key.value: v.value for v in versions},
    }
    emit(data, as_json, f"Set {', '.join(data['set'])} from {day.date()}.")  # type: ignore[arg-type]


def _parse_assignment(text: str) -> tuple[ParameterKey, Any]:
    if "=" not in text:
        raise ServiceError(f"{text!r}: use key=value.")
    name, raw = text.split("=", 1)
    try:
        key = ParameterKey(name.strip())
    except ValueError:
        valid = ", ".join(k.value for k in ParameterKey)
        raise ServiceError(f"Unknown parameter {name!r}; valid: {valid}.") from None
    value: Any = raw.strip()
    if value[:1] in "{[" or key.value in {
        "critical_speed",
        "hr_zones",
        "pace_zones",
        "fitness_fatigue",
    }:
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ServiceError(f"{name}: not valid JSON ({exc.msg}).") from None
    return key, value


def _user_or_fail(username: str) -> User:
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    return user


def register(group: AppGroup) -> None:
    group.add_command(runner_group)
    group.add_command(pb_group)
    group.add_command(params_group)
    group.add_command(cs_group)


@pb_group.command("delete")
@click.argument("runner_id", type=int)
@click.argument("best_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@json_option
def pb_delete_command(runner_id: int, best_id: int, yes: bool, as_json: bool) -> None:
    """Delete a manual result; CS/D′ is refitted. Restorable for UNDO_WINDOW_S."""
    runner = runner_or_fail(runner_id)
    if not yes and not as_json:
        click.confirm(f"Delete personal best {best_id} of runner {runner_id}?", abort=True)
    try:
        best_services.delete_personal_best(runner, best_id, by=None)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    emit(
        {"deleted": best_id, "runner_id": runner.id},
        as_json,
        f"Deleted personal best {best_id}; 'pb restore {runner_id} {best_id}' brings it back.",
    )


@pb_group.command("restore")
@click.argument("runner_id", type=int)
@click.argument("best_id", type=int)
@json_option
def pb_restore_command(runner_id: int, best_id: int, as_json: bool) -> None:
    """Restore a result deleted within the undo window; CS/D′ is refitted."""
    runner = runner_or_fail(runner_id)
    try:
        best_services.restore_personal_best(runner, best_id, by=None)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    emit(
        {"restored": best_id, "runner_id": runner.id}, as_json, f"Restored personal best {best_id}."
    )
