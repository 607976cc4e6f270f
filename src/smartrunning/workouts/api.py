"""The workout library: list, get (resolved for a runner), create, update, delete, import,
export as ZWO or FIT, and a stateless preview for the step editor.

Same rules as the pages (``workouts.actions``): everyone logged in reads; coaches and
admins create; admins edit everything, coaches their own workouts; a runner resolves
workouts for themself only (another runner's id answers 404). Workouts answer in their
shapes (``workouts.schemas``), as the pages and the CLI show them.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from flask_smorest.pagination import PaginationParameters
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from smartrunning.accounts.policy import this_user
from smartrunning.platform import clock
from smartrunning.science import defaults
from smartrunning.science.workout_targets import extent_totals
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import imports as workout_imports
from smartrunning.workouts import schemas as workout_schemas
from smartrunning.workouts import summaries as workout_summaries
from smartrunning.workouts import targets as workout_targets
from smartrunning.workouts.policy import (
    chosen_runner,
    get_workout_or_404,
    require_create,
    require_edit,
    runner_choices,
)
from smartrunning.workouts.schemas import WorkoutOut, WorkoutSummaryOut
from smartrunning.workouts.structure import (
    MAX_DESCRIPTION_CHARS,
    MAX_KIND_CHARS,
    MAX_NAME_CHARS,
    MAX_TAG_CHARS,
    STEP_TYPES,
    parse_zwo,
    structure_from_json,
)

__all__ = ["blp"]

blp = Blueprint(
    "api_workouts",
    __name__,
    url_prefix="/api/workouts",
    description="The workout library (ZWO): CRUD, import, export, targets for a runner",
)


class LibraryQuery(Schema):
    q = fields.Str(load_default="", validate=validate.Length(max=MAX_NAME_CHARS))
    tag = fields.Str(load_default="", validate=validate.Length(max=MAX_TAG_CHARS))
    sport = fields.Str(load_default="", validate=validate.OneOf(["", "run", "bike"]))
    kind = fields.Str(load_default="", validate=validate.Length(max=MAX_KIND_CHARS))


class TargetsQuery(Schema):
    runner_id = fields.Int(
        load_default=None, metadata={"description": "resolve paces and HR for this runner"}
    )
    on = fields.Date(load_default=None, metadata={"description": "parameters valid on; today"})


class EventIn(Schema):
    offset = fields.Float(required=True)
    unit = fields.Str(load_default="s", validate=validate.OneOf(["s", "m"]))
    message = fields.Str(load_default="")
    attributes = fields.List(fields.List(fields.Str()), load_default=None)


class TargetIn(Schema):
    """A pace or heart-rate target instead of a fraction of CS (``cs``: none)."""

    kind = fields.Str(required=True, validate=validate.OneOf(["cs", "pace", "hr"]))
    low = fields.Raw(
        allow_none=True,
        metadata={"description": "pace: fastest, s/km or 'm:ss'; hr: lowest, fraction of HRmax"},
    )
    high = fields.Raw(
        allow_none=True,
        metadata={"description": "pace: slowest, s/km or 'm:ss'; hr: highest (fraction)"},
    )


class StepIn(Schema):
    """One step; which fields it needs depends on ``type`` (fractions: 1.0 = 100 %)."""

    type = fields.Str(required=True, validate=validate.OneOf(STEP_TYPES))
    unit = fields.Str(load_default="s", validate=validate.OneOf(["s", "m"]))
    on_unit = fields.Str(
        validate=validate.OneOf(["s", "m"]), metadata={"description": "intervals: on part's"}
    )
    off_unit = fields.Str(
        validate=validate.OneOf(["s", "m"]), metadata={"description": "intervals: off part's"}
    )
    target = fields.Nested(
        TargetIn, allow_none=True, metadata={"description": "steady: pace or HR target"}
    )
    on_target = fields.Nested(TargetIn, allow_none=True)
    off_target = fields.Nested(TargetIn, allow_none=True)
    duration = fields.Float(metadata={"description": "s or m; all but intervals"})
    intensity = fields.Float(
        allow_none=True,
        metadata={"description": "steady: fraction of CS (run)/FTP; with a target, optional"},
    )
    intensity_low = fields.Float(
        allow_none=True, metadata={"description": "steady with a band: its low end"}
    )
    intensity_high = fields.Float(
        allow_none=True, metadata={"description": "steady with a band: its high end"}
    )
    intensity_start = fields.Float(metadata={"description": "warmup, ramp, cooldown"})
    intensity_end = fields.Float()
    repeat = fields.Int(metadata={"description": "intervals"})
    on_duration = fields.Float()
    off_duration = fields.Float()
    on_intensity = fields.Float(allow_none=True)
    off_intensity = fields.Float(allow_none=True)
    on_intensity_end = fields.Float(
        allow_none=True, metadata={"description": "ramped intervals: each on part's end"}
    )
    off_intensity_end = fields.Float(
        allow_none=True, metadata={"description": "ramped intervals: each off part's end"}
    )
    events = fields.List(fields.Nested(EventIn), load_default=None)
    attributes = fields.List(fields.List(fields.Str()), load_default=None)


class WorkoutIn(Schema):
    """Either ``zwo`` (a ZWO file's text) or the structure (``name``, ``steps`` …)."""

    zwo = fields.Str(metadata={"description": "the whole ZWO file as text"})
    name = fields.Str(validate=validate.Length(max=MAX_NAME_CHARS))
    sport = fields.Str(load_default="run", validate=validate.OneOf(["run", "bike"]))
    description = fields.Str(load_default="", validate=validate.Length(max=MAX_DESCRIPTION_CHARS))
    author = fields.Str(load_default="", validate=validate.Length(max=MAX_NAME_CHARS))
    tags = fields.List(fields.Str(validate=validate.Length(max=MAX_TAG_CHARS)), load_default=list)
    steps = fields.List(fields.Nested(StepIn))
    events = fields.List(fields.Nested(EventIn), load_default=None)
    metadata = fields.List(fields.List(fields.Str()), load_default=None)
    text_tags = fields.List(
        fields.Str(validate=validate.Length(max=MAX_TAG_CHARS)),
        load_default=None,
        metadata={"description": "tags a ZWO file gave as element text"},
    )

    @validates_schema
    def _one_form(self, data: dict[str, Any], **_: Any) -> None:
        if ("zwo" in data) == ("steps" in data):
            raise ValidationError("Give either zwo or steps.", "_schema")


class PreviewIn(Schema):
    sport = fields.Str(load_default="run", validate=validate.OneOf(["run", "bike"]))
    steps = fields.List(fields.Nested(StepIn), required=True)


class DeleteOut(Schema):
    result = fields.Str(metadata={"description": "deleted, or archived (kept for its users)"})


class ImportOut(Schema):
    counts = fields.Dict(keys=fields.Str(), values=fields.Int())
    files = fields.List(fields.Dict())


class PreviewOut(Schema):
    chart = fields.Dict()
    time_steps_s = fields.Float()
    distance_steps_m = fields.Float()
    estimated_load = fields.Float(
        metadata={"description": "at the default CS for distance steps (no runner)"}
    )


def _content(data: dict[str, Any]) -> Any:
    if "zwo" in data:
        return parse_zwo(data["zwo"].encode("utf-8"))
    return structure_from_json(data)


def _file(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@blp.route("")
class Workouts(MethodView):
    @blp.arguments(LibraryQuery, location="query")
    @blp.response(200, WorkoutSummaryOut(many=True))
    @blp.paginate()
    def get(self, query: dict[str, Any], pagination_parameters: PaginationParameters) -> Any:
        """The library by name: search name and description (``q``), ``tag``, ``sport``,
        ``kind``."""
        where = workout_services.WorkoutFilter(
            search=query["q"], tag=query["tag"], sport=query["sport"], kind=query["kind"]
        )
        page = workout_services.list_workouts(
            where, page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        user = this_user()
        return [workout_schemas.workout_summary(w, user) for w in page.into(pagination_parameters)]

    @blp.arguments(WorkoutIn)
    @blp.response(201, WorkoutOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a workout (coaches and admins), from ZWO text or from steps."""
        require_create()
        content = _content(data)
        workout = workout_services.create_workout(content, by=this_user())
        return workout_schemas.workout_detail(workout, this_user())


@blp.route("/<int:workout_id>")
class WorkoutById(MethodView):
    @blp.arguments(TargetsQuery, location="query")
    @blp.response(200, WorkoutOut)
    def get(self, query: dict[str, Any], workout_id: int) -> Any:
        """One workout with its steps; with ``runner_id`` (and ``on``) its targets."""
        workout = get_workout_or_404(workout_id)
        detail = workout_schemas.workout_detail(workout, this_user())
        if query["runner_id"] is None:
            return detail
        runner = chosen_runner(query["runner_id"], [])
        resolution = workout_targets.resolve_for_runner(
            workout, runner, query["on"] or clock.today()
        )
        return {**detail.as_dict(), "resolved": workout_summaries.workout_targets(resolution)}

    @blp.arguments(WorkoutIn)
    @blp.response(200, WorkoutOut)
    def put(self, data: dict[str, Any], workout_id: int) -> Any:
        """Replace the workout's content (its owner, or an admin)."""
        workout = get_workout_or_404(workout_id)
        require_edit(workout)
        content = _content(data)
        workout_services.update_workout(workout, content)
        return workout_schemas.workout_detail(workout, this_user())

    @blp.response(200, DeleteOut)
    def delete(self, workout_id: int) -> Any:
        """Delete it; a workout something uses, or a default, is archived instead."""
        workout = get_workout_or_404(workout_id)
        require_edit(workout)
        result = workout_services.delete_workout(workout)
        return {"result": result}


@blp.route("/<int:workout_id>/zwo")
class WorkoutZwo(MethodView):
    @blp.arguments(TargetsQuery, location="query")
    @blp.response(200, content_type="application/xml")
    def get(self, query: dict[str, Any], workout_id: int) -> Response:
        """The workout as a ZWO file; with ``runner_id``, pace targets as fractions of that
        runner's CS valid on ``on`` (else of the reference CS, 5:00/km)."""
        workout = get_workout_or_404(workout_id)
        name = workout_services.download_name(workout, "zwo")
        if query["runner_id"] is None:
            return _file(workout.zwo.encode("utf-8"), "application/xml", name)
        runner = chosen_runner(query["runner_id"], [])
        assert runner is not None  # an id given: the runner or 404
        data = workout_targets.zwo_for_runner(
            workout_services.structure(workout), runner, query["on"] or clock.today()
        )
        return _file(data, "application/xml", name)


@blp.route("/<int:workout_id>/fit")
class WorkoutFit(MethodView):
    @blp.arguments(TargetsQuery, location="query")
    @blp.response(200, content_type="application/vnd.ant.fit")
    def get(self, query: dict[str, Any], workout_id: int) -> Response:
        """A FIT workout file with a runner's speed and HR targets valid on ``on``."""
        workout = get_workout_or_404(workout_id)
        runner = chosen_runner(query["runner_id"], runner_choices())
        if runner is None:
            abort(422, message="Give runner_id.", errors={"query": {"runner_id": ["required"]}})
        assert runner is not None  # flask-smorest's abort raises
        data = workout_targets.fit_for_runner(
            workout_services.structure(workout), runner, query["on"] or clock.today()
        )
        name = workout_services.download_name(workout, "fit")
        return _file(data, "application/vnd.ant.fit", name)


@blp.route("/import")
class WorkoutImport(MethodView):
    @blp.response(200, ImportOut)
    def post(self) -> Any:
        """Import ``.zwo`` files and ZIP archives (multipart ``files``): a report per file."""
        require_create()
        uploads = [f for f in request.files.getlist("files") if f and f.filename]
        if not uploads:
            abort(422, message="Send one or more files as multipart field 'files'.")
        report = workout_imports.import_files(
            [(f.filename or "upload", f.read()) for f in uploads], by=this_user()
        )
        return report.as_dict()


@blp.route("/preview")
class WorkoutPreview(MethodView):
    @blp.arguments(PreviewIn)
    @blp.response(200, PreviewOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Validate steps and chart them (nothing is stored): for the step editor."""
        content = structure_from_json({"name": "Preview", **data})
        resolution = workout_targets.resolve_structure(content, None, clock.today())
        reference = defaults.CRITICAL_SPEED.cs_mps
        totals = extent_totals(content)
        return {
            "chart": workout_summaries.chart_json(resolution, reference),
            "time_steps_s": totals["s"],
            "distance_steps_m": totals["m"],
            "estimated_load": content.estimated_load(reference),
        }
