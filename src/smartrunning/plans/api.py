"""Plan schemas and training plans over the API (same access as the pages): schemas for
coaches and admins; a runner's plans for whoever sees the runner; generation, day edits
and deletion for the runner's coaches and admins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from smartrunning.accounts.policy import this_user
from smartrunning.athletes.policy import get_runner_or_404
from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar as plan_calendar
from smartrunning.plans import calendar_edits, plan_schemas
from smartrunning.plans.models import (
    Plan,
    PlanDay,
    PlanSchemaRow,
)
from smartrunning.plans.schemas import (
    CalendarWeekOut,
    PlanDayOut,
    PlanOut,
    PlanSchemaOut,
    PlanSummaryOut,
    RefreshOut,
    plan_day_shape,
    plan_detail,
    plan_summary,
    plan_template_shape,
    refresh_shape,
)
from smartrunning.platform import clock
from smartrunning.platform.errors import (
    NotFound,
)

__all__ = ["blp"]

blp = Blueprint("api_plans", __name__, url_prefix="/api", description="Training plans")

MAX_ID = 2**31 - 1


class PlanSchemaIn(Schema):
    body = fields.Dict(required=True, metadata={"description": "the plan schema's JSON"})


class PlanGenerateIn(Schema):
    schema_id = fields.Int(required=True, validate=validate.Range(1, MAX_ID))
    race_date = fields.Date(required=True)
    distance_m = fields.Float(required=True, validate=validate.Range(1, 400_000))
    weeks = fields.Int(load_default=None, validate=validate.Range(1, 52))
    training_days = fields.List(
        fields.Int(validate=validate.Range(0, 6)),
        load_default=None,
        validate=validate.Length(1, 7),
    )
    long_run_day = fields.Int(load_default=None, validate=validate.Range(0, 6))
    sessions_per_week = fields.Int(load_default=None, validate=validate.Range(1, 7))


class PlanDayIn(Schema):
    workout_id = fields.Int(load_default=None, validate=validate.Range(1, MAX_ID))
    duration_s = fields.Float(load_default=None, validate=validate.Range(60, 12 * 3600))
    notes = fields.Str(load_default=None, validate=validate.Length(max=4000))


def _require_schemas() -> None:
    if not plan_schemas.can_write_schemas(this_user()):
        abort(403, message="Coaches and admins only.")


def _schema(schema_id: int) -> PlanSchemaRow:
    try:
        return plan_schemas.get_schema(schema_id)
    except NotFound:
        abort(404, message="No such plan template.")
        raise  # abort raised


def _plan(plan_id: int) -> Plan:
    try:
        return plan_services.visible_plan(this_user(), plan_id)
    except NotFound:
        abort(404, message="No such plan.")
        raise  # abort raised


@blp.route("/plan-schemas")
class Schemas(MethodView):
    @blp.response(200, PlanSchemaOut(many=True))
    def get(self) -> Any:
        """Every plan schema, by name (coaches and admins)."""
        _require_schemas()
        return [plan_template_shape(r) for r in plan_schemas.list_schemas()]

    @blp.arguments(PlanSchemaIn)
    @blp.response(201, PlanSchemaOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a schema; a 422 lists every problem with its JSON pointer."""
        _require_schemas()
        row = plan_services.save_template(data["body"], owner=this_user())
        return plan_template_shape(row)


@blp.route("/plan-schemas/<int:schema_id>")
class SchemaById(MethodView):
    @blp.response(200, PlanSchemaOut)
    def get(self, schema_id: int) -> Any:
        _require_schemas()
        return plan_template_shape(_schema(schema_id))

    @blp.arguments(PlanSchemaIn)
    @blp.response(200, PlanSchemaOut)
    def put(self, data: dict[str, Any], schema_id: int) -> Any:
        """Replace a schema (admins any, coaches their own)."""
        _require_schemas()
        row = _schema(schema_id)
        if not plan_schemas.can_edit_schema(this_user(), row):
            abort(403, message="Only its owner or an admin edits this plan template.")
        plan_services.save_template(data["body"], owner=this_user(), row=row)
        return plan_template_shape(row)


@blp.route("/runners/<int:runner_id>/plans")
class RunnerPlans(MethodView):
    @blp.response(200, PlanSummaryOut(many=True))
    def get(self, runner_id: int) -> Any:
        """The runner's plans, latest race first."""
        return [
            plan_summary(p) for p in plan_services.plans_for_runner(get_runner_or_404(runner_id))
        ]

    @blp.arguments(PlanGenerateIn)
    @blp.response(201, PlanOut)
    def post(self, data: dict[str, Any], runner_id: int) -> Any:
        """Generate and store a plan (the runner's coaches and admins). Training days,
        long-run day and sessions a week default to the runner's profile."""
        runner = get_runner_or_404(runner_id)
        if not plan_services.can_plan(this_user(), runner):
            abort(403, message="Coaches of this runner and admins only.")
        schema = _schema(data["schema_id"])
        days = data["training_days"]
        request = plan_services.GenerateRequest(
            race_date=data["race_date"],
            race_distance_m=data["distance_m"],
            weeks=data["weeks"],
            training_days=None if days is None else frozenset(days),
            long_run_day=data["long_run_day"],
            sessions_per_week=data["sessions_per_week"],
            today=clock.today(),
        )
        plan = plan_services.create_plan(runner, schema, request, created_by=this_user())
        return plan_detail(plan, clock.today())


@blp.route("/plans/<int:plan_id>")
class PlanById(MethodView):
    @blp.response(200, PlanOut)
    def get(self, plan_id: int) -> Any:
        """A plan with its days (linked sessions), projection and warnings."""
        plan = _plan(plan_id)
        plan_services.link_new_sessions(plan)
        return plan_detail(plan, clock.today())

    @blp.response(204)
    def delete(self, plan_id: int) -> Any:
        """Delete a plan with its days (the runner's coaches and admins; a runner may not
        delete the plan their coach made: 403). Linked sessions stay."""
        plan = _plan(plan_id)
        if not plan_services.can_plan(this_user(), plan.runner):
            abort(403, message="Coaches of this runner and admins only.")
        plan_services.remove_plan(plan)
        return None


@blp.route("/plans/<int:plan_id>/refresh-targets")
class RefreshTargets(MethodView):
    @blp.response(200, RefreshOut)
    def post(self, plan_id: int) -> Any:
        """Resolve the pace and HR targets of every day from today on against the runner's
        parameters valid on its date (the runner's coaches and admins). Workouts, durations
        and loads stay as planned."""
        plan = _plan(plan_id)
        if not plan_services.can_plan(this_user(), plan.runner):
            abort(403, message="Coaches of this runner and admins only.")
        changed = plan_services.refresh_plan_targets(plan, clock.today())
        return refresh_shape(plan, changed, clock.today())


@blp.route("/plans/<int:plan_id>/days/<int:day_id>")
class DayById(MethodView):
    @blp.arguments(PlanDayIn)
    @blp.response(200, PlanDayOut)
    def patch(self, data: dict[str, Any], plan_id: int, day_id: int) -> Any:
        """Change a day's workout, duration or notes; the day is marked edited."""
        plan = _plan(plan_id)
        try:
            day: PlanDay = plan_services.visible_day(this_user(), plan, day_id)
        except NotFound:
            abort(404, message="No such plan day.")
        if not plan_services.can_plan(this_user(), plan.runner):
            abort(403, message="Coaches of this runner and admins only.")
        plan_services.change_day(day, **data)
        return plan_day_shape(day)


# --- the calendar -------------------------------------------------------------------------


class CalendarQuery(Schema):
    from_date = fields.Date(
        data_key="from", load_default=None, metadata={"description": "first day (default: today)"}
    )
    to_date = fields.Date(
        data_key="to", load_default=None, metadata={"description": "last day (default: 4 weeks)"}
    )


class AddWorkoutIn(Schema):
    date = fields.Date(required=True)
    workout_id = fields.Int(required=True, validate=validate.Range(1, MAX_ID))


class MoveDayIn(Schema):
    date = fields.Date(required=True, metadata={"description": "the day's new date"})


class CopyWeekIn(Schema):
    from_date = fields.Date(
        data_key="from", required=True, metadata={"description": "a day of the week to copy"}
    )
    to_date = fields.Date(
        data_key="to", required=True, metadata={"description": "a day of the week to replace"}
    )


class SkipIn(Schema):
    reason = fields.Str(
        required=True, validate=validate.Length(max=calendar_edits.MAX_REASON_CHARS)
    )


class MarkIn(Schema):
    mark = fields.Str(required=True, validate=validate.OneOf(calendar_edits.MARKS))
    reason = fields.Str(
        load_default=None, validate=validate.Length(max=calendar_edits.MAX_REASON_CHARS)
    )
    duration_s = fields.Float(
        load_default=None, validate=validate.Range(min=0, max=calendar_edits.MAX_MARK_DURATION_S)
    )
    distance_m = fields.Float(
        load_default=None, validate=validate.Range(min=0, max=calendar_edits.MAX_MARK_DISTANCE_M)
    )


MAX_CALENDAR_DAYS = 400


def _editable(plan: Plan) -> None:
    if not calendar_edits.can_edit_calendar(this_user(), plan.runner):
        abort(403, message="Coaches of this runner and admins only.")


def _day(plan: Plan, day_id: int) -> PlanDay:
    try:
        return plan_services.visible_day(this_user(), plan, day_id)
    except NotFound:
        abort(404, message="No such plan day.")
        raise  # abort raised


@blp.route("/plans/<int:plan_id>/calendar")
class Calendar(MethodView):
    @blp.arguments(CalendarQuery, location="query")
    @blp.response(200, CalendarWeekOut(many=True))
    def get(self, query: dict[str, Any], plan_id: int) -> Any:
        """The plan's calendar by week (Monday to Sunday) from ``from`` to ``to`` (at most
        400 days): per day the planned session, the one done for it and any unplanned
        ones; per week the totals planned and done (time, distance, load) and compliance."""
        plan = _plan(plan_id)
        plan_services.link_new_sessions(plan)
        today = clock.today()
        first = query["from_date"] or today
        if not 2 <= first.year <= 9998 or not 2 <= (query["to_date"] or first).year <= 9998:
            abort(422, message="The dates must be within years 2 to 9998.")
        last = query["to_date"] or first + dt.timedelta(days=27)
        if last < first or (last - first).days > MAX_CALENDAR_DAYS:
            abort(422, message=f"'to' must be from 'from' to {MAX_CALENDAR_DAYS} days after.")
        return plan_calendar.calendar_shapes(plan_calendar.weeks_between(plan, first, last, today))


@blp.route("/plans/<int:plan_id>/days")
class Days(MethodView):
    @blp.arguments(AddWorkoutIn)
    @blp.response(201, PlanDayOut)
    def post(self, data: dict[str, Any], plan_id: int) -> Any:
        """Put a library workout on a day (a rest day included; on a planned day it
        replaces the workout). The day is marked edited (coaches and admins)."""
        plan = _plan(plan_id)
        _editable(plan)
        return plan_day_shape(calendar_edits.add_workout(plan, data["date"], data["workout_id"]))


@blp.route("/plans/<int:plan_id>/days/<int:day_id>/move")
class MoveDay(MethodView):
    @blp.arguments(MoveDayIn)
    @blp.response(200, PlanDayOut)
    def post(self, data: dict[str, Any], plan_id: int, day_id: int) -> Any:
        """Move a day to another date; a day planned there takes its old date (coaches and
        admins)."""
        plan = _plan(plan_id)
        day = _day(plan, day_id)
        _editable(plan)
        return plan_day_shape(calendar_edits.move_day(plan, day, data["date"]))


@blp.route("/plans/<int:plan_id>/weeks/copy")
class CopyWeek(MethodView):
    @blp.arguments(CopyWeekIn)
    @blp.response(200, PlanDayOut(many=True))
    def post(self, data: dict[str, Any], plan_id: int) -> Any:
        """Make the week of ``to`` a copy of the week of ``from``; returns its days
        (coaches and admins)."""
        plan = _plan(plan_id)
        _editable(plan)
        days = calendar_edits.copy_week(plan, data["from_date"], data["to_date"])
        return [plan_day_shape(d) for d in days]


def _runners_day(plan_id: int, day_id: int) -> tuple[Plan, PlanDay]:
    """The plan and its day for a change the runner may make too (skip, mark); 403 for
    anyone else who sees the plan."""
    plan = _plan(plan_id)
    day = _day(plan, day_id)
    if not calendar_edits.can_skip(this_user(), plan.runner):
        abort(403, message="You may not change this plan.")
    return plan, day


@blp.route("/plans/<int:plan_id>/days/<int:day_id>/skip")
class SkipDay(MethodView):
    @blp.arguments(SkipIn)
    @blp.response(200, PlanDayOut)
    def post(self, data: dict[str, Any], plan_id: int, day_id: int) -> Any:
        """Skip a day, saying why (whoever sees the runner, the runner too)."""
        _, day = _runners_day(plan_id, day_id)
        return plan_day_shape(calendar_edits.skip_day(day, data["reason"]))

    @blp.response(200, PlanDayOut)
    def delete(self, plan_id: int, day_id: int) -> Any:
        """Plan a skipped day again."""
        _, day = _runners_day(plan_id, day_id)
        return plan_day_shape(calendar_edits.unskip_day(day))


@blp.route("/plans/<int:plan_id>/days/<int:day_id>/mark")
class MarkDay(MethodView):
    @blp.arguments(MarkIn)
    @blp.response(200, PlanDayOut)
    def post(self, data: dict[str, Any], plan_id: int, day_id: int) -> Any:
        """Mark a day done (optionally how long and how far), partly done (why) or skipped
        (why): whoever sees the runner, the runner too."""
        _, day = _runners_day(plan_id, day_id)
        marked = calendar_edits.mark_day(
            day,
            data["mark"],
            data["reason"],
            data["duration_s"],
            data["distance_m"],
            by=this_user(),
        )
        return plan_day_shape(marked)

    @blp.response(200, PlanDayOut)
    def delete(self, plan_id: int, day_id: int) -> Any:
        """Take the mark (done, partly done or skipped) off the day."""
        _, day = _runners_day(plan_id, day_id)
        return plan_day_shape(calendar_edits.unmark_day(day))
