"""``workouts …``: import ZWO files and ZIPs into the library, list it, show and export a
workout.

With ``--json``, ``list`` and ``show`` print the workouts' shapes (``workouts.schemas``)
with the API's field names and values, less what depends on who asks (``can_edit``: the
CLI acts for no user); ``show --runner`` adds ``resolved`` as the API's
``GET /api/workouts/ID?runner_id=`` does.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import click
from flask.cli import AppGroup

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.models import User
from smartrunning.athletes.models import Runner
from smartrunning.platform import clock, display
from smartrunning.platform.cli_output import (
    emit,
    json_option,
)
from smartrunning.platform.db import db
from smartrunning.platform.formatting import format_duration, format_pace_seconds, pace_label
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import imports as workout_imports
from smartrunning.workouts import schemas as workout_schemas
from smartrunning.workouts import summaries as workout_summaries
from smartrunning.workouts import targets as workout_targets
from smartrunning.workouts.schemas import WorkoutSummary, WorkoutTargets

__all__ = ["register"]

workouts_group = AppGroup("workouts", help="The workout library: import, list, show, export.")
_TAKEN = (".zwo", ".zip")
_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _files(paths: tuple[Path, ...]) -> list[tuple[str, Path]]:
    """Files given, and the .zwo/.zip files under folders given (by path)."""
    found: list[tuple[str, Path]] = []
    for path in paths:
        if path.is_file():
            found.append((path.name, path))
            continue
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                file = Path(root) / name
                if file.suffix.lower() in _TAKEN:
                    found.append((str(file.relative_to(path.parent)), file))
    return found


def _owner(username: str | None) -> User | None:
    if username is None:
        return None
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    if not workout_services.can_create(user):
        raise click.ClickException(f"{username} is not a coach or an admin.")
    return user


@workouts_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--owner", default=None, help="User name of the coach or admin who owns them.")
@json_option
def import_command(paths: tuple[Path, ...], owner: str | None, as_json: bool) -> None:
    """Import .zwo files and ZIP archives of them (folders: every .zwo/.zip inside).

    Each file is reported: imported, duplicate (already in the library), skipped or
    failed with the reason (and the line). Exits with status 1 when a file failed; the
    others are imported all the same.
    """
    user = _owner(owner)
    files = _files(paths)
    if not files:
        raise click.ClickException("No .zwo or .zip files found.")
    report = workout_imports.import_files(
        [(name, path.read_bytes()) for name, path in files], by=user
    )
    lines = [
        f"{r.status:9} {r.name}"
        + (f": {r.workout_name}" if r.workout_name else "")
        + (f" ({r.message})" if r.message else "")
        for r in report.results
    ]
    counts = report.counts
    lines.append(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    emit(report.as_dict(), as_json, "\n".join(lines))
    if report.failed:
        raise SystemExit(1)


@workouts_group.command("list")
@click.option("--search", default="", help="Text in the name or description.")
@click.option("--tag", default="", help="Only workouts with this tag (e.g. kind:tempo).")
@click.option("--sport", type=click.Choice(["run", "bike"]), default=None)
@json_option
def list_command(search: str, tag: str, sport: str | None, as_json: bool) -> None:
    """The library by name (not archived workouts)."""
    where = workout_services.WorkoutFilter(search=search, tag=tag, sport=sport or "")
    items: list[WorkoutSummary] = []
    page_number = 1
    while True:
        page = workout_services.list_workouts(
            where, page=page_number, page_size=workout_services.MAX_PAGE_SIZE
        )
        items.extend(workout_schemas.workout_summary(w) for w in page.items)
        if page_number >= page.pages:
            break
        page_number += 1
    lines = [f"{i.id:>5}  {i.sport:4}  {(i.kind or '-'):12}  {i.name}{_length(i)}" for i in items]
    lines.append(f"{len(items)} workouts")
    emit(
        {"workouts": [i.for_anyone() for i in items], "total": len(items)},
        as_json,
        "\n".join(lines),
    )


def _length(summary: WorkoutSummary) -> str:
    return (f"  [{format_duration(summary.time_steps_s)}]" if summary.time_steps_s else "") + (
        f"  [{display.distance(summary.distance_steps_m, 2)}]" if summary.distance_steps_m else ""
    )


def _runner(runner_id: int) -> Runner:
    runner = db.session.get(Runner, runner_id)
    if runner is None:
        raise click.ClickException(f"No runner {runner_id}.")
    return runner


def _pair(values: list[float] | None, show: Callable[[float], str]) -> str:
    if values is None:
        return ""
    low, high = (show(v) for v in values)
    return low if low == high else f"{low}–{high}"


def _step_lines(targets: WorkoutTargets) -> list[str]:
    """A row per step (an interval block's on and off parts apart): its length, share of
    CS (FTP), and with a runner their paces and heart rates; then the totals."""
    units = display.current().units
    lines = []
    for row in targets.steps:
        extent = row["extent"]
        length = (
            display.distance(extent["value"], 2)
            if extent["unit"] == "m"
            else format_duration(extent["value"])
        )
        repeat = f"{row['repeat']} × " if row["repeat"] > 1 else ""
        share = _pair(row["intensity"], lambda f: f"{f * 100:.0f}")
        pace = _pair(row["pace_range_s_per_km"], lambda s: format_pace_seconds(s, units))
        hr = _pair(row["hr_bpm"], lambda b: f"{b:.0f}")
        lines.append(
            f"  {row['step_index'] + 1:>2} {row['kind']:9} {repeat}{length}"
            + (f"  {share} %" if share else "")
            + (f"  {pace} {pace_label(units)}" if pace else "")
            + (f"  HR {hr}" if hr else "")
        )
    load = targets.estimated_load
    total = [
        format_duration(targets.total_duration_s) if targets.total_duration_s else None,
        display.distance(targets.total_distance_m, 2) if targets.total_distance_m else None,
        None if load is None else f"load {load:.0f}",
    ]
    known = ", ".join(t for t in total if t)
    lines.append(f"  total {known}" if known else "  total: give --runner (distance steps)")
    return lines


@workouts_group.command("show")
@click.argument("workout_id", type=int)
@click.option(
    "--runner", "runner_id", type=int, default=None, help="Its paces and heart rates for a runner."
)
@click.option("--on", type=_DATE, default=None, help="The runner's values of this date (today).")
@json_option
def show_command(
    workout_id: int, runner_id: int | None, on: dt.datetime | None, as_json: bool
) -> None:
    """Show one workout (archived ones too): its details and steps; with --runner, its
    paces and heart rates for that runner with their values of --on."""
    workout = workout_services.get_workout(workout_id, include_archived=True)
    detail = workout_schemas.workout_detail(workout)
    data = detail.for_anyone()
    owner = "default library" if detail.is_default else f"by {detail.owner or 'no one'}"
    lines = [
        f"Workout {detail.id}: {detail.name} ({detail.sport}, {detail.kind or 'no kind'}, "
        f"{owner}{', archived' if detail.archived else ''})",
        f"  {detail.step_count} steps{_length(detail)}",
    ]
    if detail.tags:
        lines.append(f"  tags: {', '.join(detail.tags)}")
    if detail.description:
        lines.append(f"  {detail.description}")
    runner = None if runner_id is None else _runner(runner_id)
    resolution = workout_targets.resolve_for_runner(
        workout, runner, on.date() if on else clock.today()
    )
    targets = workout_summaries.workout_targets(resolution)
    if runner is not None:
        data["resolved"] = targets.as_dict()
        cs = f", CS {display.pace(targets.cs_mps)}" if targets.cs_mps else ""
        lines.append(f"For {runner.name} (runner {runner.id}) on {targets.on}{cs}:")
    lines.extend(_step_lines(targets))
    emit(data, as_json, "\n".join(lines))


@workouts_group.command("export")
@click.argument("workout_id", type=int)
@click.option("--format", "kind", type=click.Choice(["zwo", "fit"]), default="zwo")
@click.option(
    "--runner",
    "runner_id",
    type=int,
    default=None,
    help="FIT: targets for runner; ZWO: pace targets as fractions of their CS.",
)
@click.option("--on", type=_DATE, default=None, help="Date (today).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(
    workout_id: int, kind: str, runner_id: int | None, on: dt.datetime | None, output: Path
) -> None:
    """Write a workout as a ZWO file, or as a FIT workout with a runner's targets.

    A ZWO file holds fractions only: with ``--runner`` its pace targets are fractions of
    that runner's CS on ``--on``; without, of the reference CS (5:00/km) as stored.
    """
    workout = workout_services.get_workout(workout_id, include_archived=True)
    if kind == "zwo" and runner_id is None:
        data = workout.zwo.encode("utf-8")
    else:
        if runner_id is None:
            raise click.ClickException("--runner is needed for a FIT workout.")
        runner = _runner(runner_id)
        day = on.date() if on else clock.today()
        content = workout_services.structure(workout)
        if kind == "zwo":
            data = workout_targets.zwo_for_runner(content, runner, day)
        else:
            data = workout_targets.fit_for_runner(content, runner, day)
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data)} bytes).")


def register(group: AppGroup) -> None:
    group.add_command(workouts_group)
