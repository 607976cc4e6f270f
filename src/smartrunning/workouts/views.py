"""Workout library pages. Views parse, authorise (``workouts.policy``), call one action
and answer; the rules of who may do what are in ``workouts.actions``. The library and a
workout's page show its :class:`~smartrunning.workouts.schemas.WorkoutSummary`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from smartrunning.accounts.policy import this_user
from smartrunning.platform import display, jsonio
from smartrunning.platform.errors import (
    InvalidInput,
    ServiceError,
)
from smartrunning.platform.jsonio import script_json
from smartrunning.science import defaults
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import imports as workout_imports
from smartrunning.workouts import schemas as workout_schemas
from smartrunning.workouts import summaries as workout_summaries
from smartrunning.workouts import targets as workout_targets
from smartrunning.workouts.forms import (
    ImportForm,
    WorkoutForm,
)
from smartrunning.workouts.models import Workout
from smartrunning.workouts.policy import (
    chosen_runner,
    get_workout_or_404,
    require_create,
    require_edit,
    runner_choices,
)
from smartrunning.workouts.structure import (
    structure_from_json,
    structure_to_json,
)

__all__ = ["bp"]

bp = Blueprint("workouts", __name__, url_prefix="/workouts", template_folder="templates")

PAGE_SIZE = 20


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(400)
    return int(raw)


def _date_arg(name: str) -> dt.date:
    raw = request.args.get(name, "").strip()
    if not raw:
        return display.today()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        abort(400)


@bp.get("")
def library() -> ResponseReturnValue:
    where = workout_services.WorkoutFilter(
        search=request.args.get("q", "")[:200],
        tag=request.args.get("tag", "")[:100],
        sport=request.args.get("sport", "") if request.args.get("sport") in ("run", "bike") else "",
    )
    page = workout_services.list_workouts(where, page=_int_arg("page") or 1, page_size=PAGE_SIZE)
    user = this_user()
    return render_template(
        "workouts/library.html",
        page=page,
        where=where,
        items=[workout_schemas.workout_summary(w, user) for w in page.items],
        tags=workout_services.tag_counts(),
        can_create=workout_services.can_create(user),
    )


@bp.get("/<int:workout_id>")
def detail(workout_id: int) -> ResponseReturnValue:
    workout = get_workout_or_404(workout_id)
    choices = runner_choices()
    runner = chosen_runner(_int_arg("runner_id"), choices)
    day = _date_arg("on")
    try:
        resolution = workout_targets.resolve_for_runner(workout, runner, day)
    except InvalidInput as exc:
        flash(exc.message, "danger")
        runner, day = None, display.today()
        resolution = workout_targets.resolve_for_runner(workout, None, day)
    chart = workout_summaries.chart_json(resolution, defaults.CRITICAL_SPEED.cs_mps)
    user = this_user()
    info = workout_schemas.workout_summary(workout, user)
    return render_template(
        "workouts/detail.html",
        workout=workout,
        info=info,
        resolution=resolution,
        resolved=resolution.resolved,
        choices=choices,
        runner=runner,
        day=day,
        chart_json=script_json(chart),
        can_edit=info.can_edit,
        can_create=workout_services.can_create(user),
    )


def _editor(form: WorkoutForm, steps: Any, workout: Workout | None, error: str = "") -> str:
    return render_template(
        "workouts/editor.html",
        form=form,
        workout=workout,
        error=error,
        editor_json=script_json(
            {"steps": steps, "preview_url": url_for("api_workouts.WorkoutPreview")}
        ),
    )


def _submitted(form: WorkoutForm, keep_from: Workout | None) -> tuple[Any, Any]:
    """The editor's fields as the JSON form, and the steps as posted (to show again)."""
    try:
        steps = jsonio.loads(form.steps.data or "[]")
    except ValueError:
        steps = None
    data: dict[str, Any] = {
        "name": form.name.data or "",
        "sport": form.sport.data,
        "author": form.author.data or "",
        "description": form.description.data or "",
        "tags": (form.tags.data or "").split(","),
        "steps": steps,
    }
    if keep_from is not None:
        # What the editor does not show (workout-level text events, Zwift metadata, the
        # form each tag was written in) stays.
        kept = structure_to_json(workout_services.structure(keep_from))
        data |= {key: kept[key] for key in ("events", "metadata", "text_tags") if key in kept}
    return data, steps if isinstance(steps, list) else []


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    require_create()
    form = WorkoutForm()
    if not form.is_submitted():
        form.tags.data = "kind:easy"
        first = {"type": "warmup", "duration": 600, "unit": "s"}
        return _editor(form, [first | {"intensity_start": 0.6, "intensity_end": 0.75}], None)
    data, steps = _submitted(form, None)
    if not form.validate():
        return _editor(form, steps, None, "Check the fields below."), 422
    try:
        content = structure_from_json(data)
        workout = workout_services.create_workout(content, by=this_user())
    except InvalidInput as exc:
        return _editor(form, steps, None, exc.message), 422
    flash(f"Workout “{workout.name}” created.", "success")
    return redirect(url_for("workouts.detail", workout_id=workout.id))


@bp.route("/<int:workout_id>/edit", methods=["GET", "POST"])
def edit(workout_id: int) -> ResponseReturnValue:
    workout = get_workout_or_404(workout_id)
    require_edit(workout)
    content = workout_services.structure(workout)
    if request.method == "GET":
        form = WorkoutForm(
            data={
                "name": content.name,
                "sport": content.sport,
                "author": content.author,
                "description": content.description,
                "tags": ", ".join(content.tags),
            }
        )
        return _editor(form, structure_to_json(content)["steps"], workout)
    form = WorkoutForm()
    data, steps = _submitted(form, workout)
    if not form.validate():
        return _editor(form, steps, workout, "Check the fields below."), 422
    try:
        workout_services.update_workout(workout, structure_from_json(data))
    except InvalidInput as exc:
        return _editor(form, steps, workout, exc.message), 422
    flash("Workout saved.", "success")
    return redirect(url_for("workouts.detail", workout_id=workout.id))


@bp.post("/<int:workout_id>/delete")
def delete(workout_id: int) -> ResponseReturnValue:
    workout = get_workout_or_404(workout_id)
    require_edit(workout)
    name = workout.name
    result = workout_services.delete_workout(workout)
    if result == "archived":
        flash(f"“{name}” was removed from the library (kept for what uses it).", "success")
    else:
        flash(f"“{name}” was deleted.", "success")
    return redirect(url_for("workouts.library"))


@bp.post("/<int:workout_id>/copy")
def copy(workout_id: int) -> ResponseReturnValue:
    workout = get_workout_or_404(workout_id)
    require_create()
    try:
        duplicate = workout_services.copy_workout(workout, by=this_user())
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("workouts.detail", workout_id=workout.id))
    flash("Copied: edit your copy as you like.", "success")
    return redirect(url_for("workouts.edit", workout_id=duplicate.id))


@bp.route("/import", methods=["GET", "POST"])
def import_files() -> ResponseReturnValue:
    require_create()
    form = ImportForm()
    if not form.is_submitted():
        return render_template("workouts/import.html", form=form, report=None)
    if not form.validate():
        return render_template("workouts/import.html", form=form, report=None), 400
    uploads = [f for f in request.files.getlist("files") if f and f.filename]
    if not uploads:
        flash("Choose one or more .zwo files or .zip archives.", "danger")
        return render_template("workouts/import.html", form=form, report=None), 422
    files = [(f.filename or "upload", f.read()) for f in uploads]
    report = workout_imports.import_files(files, by=this_user())
    return render_template("workouts/import.html", form=ImportForm(), report=report)


@bp.get("/<int:workout_id>/download.zwo")
def download_zwo(workout_id: int) -> ResponseReturnValue:
    """The stored ZWO; with ``runner_id``, pace targets as fractions of that runner's CS on
    ``on`` (``targets.zwo_for_runner``)."""
    workout = get_workout_or_404(workout_id)
    name = workout_services.download_name(workout, "zwo")
    runner_id = _int_arg("runner_id")
    if runner_id is None:
        return _attachment(workout.zwo.encode("utf-8"), "application/xml", name)
    runner = chosen_runner(runner_id, [])
    assert runner is not None  # an id given: the runner or 404
    try:
        data = workout_targets.zwo_for_runner(
            workout_services.structure(workout), runner, _date_arg("on")
        )
    except InvalidInput:
        abort(400)
    return _attachment(data, "application/xml", name)


@bp.get("/<int:workout_id>/download.fit")
def download_fit(workout_id: int) -> ResponseReturnValue:
    workout = get_workout_or_404(workout_id)
    runner = chosen_runner(_int_arg("runner_id"), runner_choices())
    if runner is None:
        abort(404)
    try:
        data = workout_targets.fit_for_runner(
            workout_services.structure(workout), runner, _date_arg("on")
        )
    except InvalidInput:
        abort(400)
    name = workout_services.download_name(workout, "fit")
    return _attachment(data, "application/vnd.ant.fit", name)


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
