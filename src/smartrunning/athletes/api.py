"""A runner's profile, dated parameters, personal bests and predictions.

Same access as the pages: another runner's id answers 404; a runner changes only the
parameters the profile lets a runner change (403 otherwise).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from smartrunning.accounts.policy import this_user
from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import profile_basis, profiles
from smartrunning.athletes import schemas as athlete_schemas
from smartrunning.athletes import suggestions as suggestion_services
from smartrunning.athletes.models import (
    BestKind,
    ParameterKey,
    ParameterSource,
)
from smartrunning.athletes.policy import (
    get_runner_or_404,
    may_edit_parameter,
)
from smartrunning.athletes.schemas import BestOut, BestShape, ZoneOut
from smartrunning.platform import clock
from smartrunning.platform.errors import (
    Conflict,
    NotFound,
)

__all__ = ["blp"]

blp = Blueprint(
    "api_athletes",
    __name__,
    url_prefix="/api/runners",
    description="Profiles, dated parameters, personal bests, predictions",
)


class OnQuery(Schema):
    on = fields.Date(load_default=None, metadata={"description": "default: today"})


class ParameterIn(Schema):
    key = fields.Str(required=True, validate=validate.OneOf([k.value for k in ParameterKey]))
    value = fields.Raw(required=True, metadata={"description": "number, string or object"})
    valid_from = fields.Date(required=True)
    source = fields.Str(
        load_default="measured", validate=validate.OneOf([s.value for s in ParameterSource])
    )
    note = fields.Str(load_default="", validate=validate.Length(max=200))


class VersionOut(Schema):
    id = fields.Int()
    valid_from = fields.Date()
    value = fields.Raw()
    source = fields.Str()
    details = fields.Raw(allow_none=True)
    note = fields.Str()
    created_at = fields.AwareDateTime()


class BestIn(Schema):
    distance_m = fields.Float(required=True, validate=validate.Range(1, 250_000))
    time = fields.Str(required=True, metadata={"description": "seconds, m:ss or h:mm:ss"})
    date = fields.Date(required=True)
    event_name = fields.Str(load_default="", validate=validate.Length(max=120))
    kind = fields.Str(
        load_default="race",
        validate=validate.OneOf([k.value for k in BestKind]),
        metadata={"description": "race, time_trial (anchor CS) or training (does not)"},
    )


class SuggestionOut(Schema):
    """A fitted or estimated CS offered while a value a person entered is in force."""

    id = fields.Int()
    key = fields.Str()
    valid_from = fields.Date()
    value = fields.Raw()
    source = fields.Str()
    note = fields.Str()
    details = fields.Raw(allow_none=True, metadata={"description": "the evidence: fit report"})
    status = fields.Str()
    created_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)


class ValuedOut(Schema):
    value = fields.Raw(allow_none=True)
    source = fields.Str()
    valid_from = fields.Date(allow_none=True)


class ParametersOut(Schema):
    """Each parameter valid on the date: its value, source and first valid day."""

    hrmax_bpm = fields.Nested(ValuedOut)
    hrrest_bpm = fields.Nested(ValuedOut)
    weight_kg = fields.Nested(ValuedOut)
    hr_zones = fields.Nested(ValuedOut)
    pace_zones = fields.Nested(ValuedOut)
    critical_speed = fields.Nested(ValuedOut)
    threshold_hr_bpm = fields.Nested(ValuedOut)
    load_model = fields.Nested(ValuedOut)
    fitness_fatigue = fields.Nested(ValuedOut)


class PredictionOut(Schema):
    model = fields.Str()
    time_s = fields.Float(allow_none=True)
    note = fields.Str()
    unavailable = fields.Str(allow_none=True)


class PredictionRowOut(Schema):
    distance = fields.Str()
    label = fields.Str()
    distance_m = fields.Float()
    critical_speed = fields.Nested(PredictionOut)
    riegel = fields.Nested(PredictionOut)
    vdot = fields.Nested(PredictionOut)


class ProfileOut(Schema):
    id = fields.Int()
    name = fields.Str()
    birth_date = fields.Date()
    age_years = fields.Int()
    sex = fields.Str()
    user = fields.Str(allow_none=True)
    coaches = fields.List(fields.Str())
    training_weekdays = fields.List(fields.Int())
    long_run_weekday = fields.Int()
    sessions_per_week = fields.Int()
    weekly_running_min = fields.Int(
        allow_none=True,
        metadata={"description": "current weekly running the runner states (minutes)"},
    )
    notes = fields.Str()
    profile_complete = fields.Bool()
    onboarding_step = fields.Int(allow_none=True)
    as_of = fields.Date()
    parameters = fields.Nested(ParametersOut)
    hrmax_estimate = fields.Dict()
    hr_zones = fields.List(fields.Nested(ZoneOut))
    pace_zones = fields.List(fields.Nested(ZoneOut))
    personal_bests = fields.List(fields.Dict())
    critical_speed = fields.Dict(metadata={"description": "current value, fit report, versions"})
    predictions = fields.List(fields.Nested(PredictionRowOut))
    hr_source = fields.Dict(
        metadata={
            "description": "where a plan starting the day after ``as_of`` takes heart rates "
            "from: source ('own line', 'Daniels' or 'Friel'), text, R², segments, runs"
        }
    )


def _on(query: dict[str, Any], runner: Any) -> dt.date:
    """The ``on`` date asked for (default today); not before the runner was born."""
    day: dt.date = query["on"] or clock.today()
    if day < runner.birth_date:
        abort(
            422,
            message="The date is before the runner's birth date.",
            errors={"query": {"on": ["before the birth date"]}},
        )
    return day


@blp.route("/<int:runner_id>/profile")
class Profile(MethodView):
    @blp.arguments(OnQuery, location="query")
    @blp.response(200, ProfileOut)
    def get(self, query: dict[str, Any], runner_id: int) -> dict[str, Any]:
        """Profile, parameters valid on a date (with sources), zones, bests, CS, predictions."""
        runner = get_runner_or_404(runner_id)
        day = _on(query, runner)
        return {
            **profiles.profile_summary(runner, day),
            "hr_source": profile_basis.hr_source(runner, day),
        }


@blp.route("/<int:runner_id>/parameters")
class Parameters(MethodView):
    @blp.arguments(OnQuery, location="query")
    @blp.response(200, ParametersOut)
    def get(self, query: dict[str, Any], runner_id: int) -> dict[str, Any]:
        """The values valid on a date (default today), each with its source and valid_from."""
        runner = get_runner_or_404(runner_id)
        return parameter_services.parameters_on(runner, _on(query, runner)).as_dict()

    @blp.arguments(ParameterIn)
    @blp.response(201, VersionOut)
    def post(self, data: dict[str, Any], runner_id: int) -> Any:
        """Add a version of a parameter from a date (sessions from then on are recomputed)."""
        runner = get_runner_or_404(runner_id)
        if not may_edit_parameter(data["key"]):
            abort(403, message="Critical speed, pace zones and threshold HR are set by a coach.")
        (version,) = parameter_services.save_parameters(
            runner,
            [(ParameterKey(data["key"]), data["value"])],
            data["valid_from"],
            source=ParameterSource(data["source"]),
            by=this_user(),
            today=clock.today(),
            note=data["note"],
        )
        return version


@blp.route("/<int:runner_id>/parameters/<string:key>")
class ParameterHistory(MethodView):
    @blp.response(200, VersionOut(many=True))
    def get(self, runner_id: int, key: str) -> list[Any]:
        """Every version of one parameter, oldest first."""
        runner = get_runner_or_404(runner_id)
        try:
            parameter_key = ParameterKey(key)
        except ValueError:
            abort(404, message=f"No parameter {key!r}.")
        return parameter_services.history(runner, parameter_key)


@blp.route("/<int:runner_id>/bests")
class Bests(MethodView):
    @blp.response(200, BestOut(many=True))
    def get(self, runner_id: int) -> list[BestShape]:
        """Every personal-best entry by distance and date, marking new records."""
        runner = get_runner_or_404(runner_id)
        return [row.best for rows in profiles.best_timeline(runner).values() for row in rows]

    @blp.arguments(BestIn)
    @blp.response(201, BestOut)
    def post(self, data: dict[str, Any], runner_id: int) -> BestShape:
        """Add a manual personal best; CS/D′ is refitted from its date on."""
        runner = get_runner_or_404(runner_id)
        best = best_services.save_personal_best(
            runner,
            data["distance_m"],
            best_services.parse_time(data["time"]),
            data["date"],
            by=this_user(),
            today=clock.today(),
            event_name=data["event_name"],
            kind=BestKind(data["kind"]),
        )
        return athlete_schemas.best_shape(best, is_record=True)


@blp.route("/<int:runner_id>/cs-suggestions")
class Suggestions(MethodView):
    @blp.response(200, SuggestionOut(many=True))
    def get(self, runner_id: int) -> list[dict[str, Any]]:
        """Open critical-speed suggestions, newest first, each with its evidence."""
        runner = get_runner_or_404(runner_id)
        return [
            suggestion_services.suggestion_json(s)
            for s in suggestion_services.open_suggestions(runner)
        ]


def _may_decide() -> None:
    if not may_edit_parameter(ParameterKey.CRITICAL_SPEED.value):
        abort(403, message="Critical speed is set by a coach.")


@blp.route("/<int:runner_id>/cs-suggestions/<int:suggestion_id>/accept")
class SuggestionAccept(MethodView):
    @blp.response(201, VersionOut)
    def post(self, runner_id: int, suggestion_id: int) -> Any:
        """Make the suggestion the critical speed from its date (older open ones are
        dismissed); 409 when already decided."""
        runner = get_runner_or_404(runner_id)
        _may_decide()
        try:
            version = suggestion_services.accept_suggestion(
                runner, suggestion_id, by=this_user(), today=clock.today()
            )
        except NotFound:
            abort(404, message="No such suggestion.")
        except Conflict as exc:
            abort(409, message=exc.message)
        return version


@blp.route("/<int:runner_id>/cs-suggestions/<int:suggestion_id>/dismiss")
class SuggestionDismiss(MethodView):
    @blp.response(204)
    def post(self, runner_id: int, suggestion_id: int) -> None:
        """Keep the entered critical speed; the suggestion (and older open ones) are
        dismissed; 409 when already decided."""
        runner = get_runner_or_404(runner_id)
        _may_decide()
        try:
            suggestion_services.dismiss_suggestion(runner, suggestion_id, by=this_user())
        except NotFound:
            abort(404, message="No such suggestion.")
        except Conflict as exc:
            abort(409, message=exc.message)


@blp.route("/<int:runner_id>/bests/<int:best_id>")
class BestById(MethodView):
    @blp.response(204)
    def delete(self, runner_id: int, best_id: int) -> None:
        """Delete a manual personal best; CS/D′ is refitted from its date on. A best run in
        a session follows that session: refused (409)."""
        runner = get_runner_or_404(runner_id)
        try:
            best_services.delete_personal_best(runner, best_id, by=this_user())
        except NotFound:
            abort(404, message="No such personal best.")
        except Conflict as exc:
            abort(409, message=exc.message)


@blp.route("/<int:runner_id>/bests/<int:best_id>/restore")
class BestRestore(MethodView):
    @blp.response(204)
    def post(self, runner_id: int, best_id: int) -> None:
        """Restore a manual personal best deleted within the undo window (``UNDO_WINDOW_S``,
        default 600 s); CS/D′ is refitted. 404 after the window or for another's runner."""
        runner = get_runner_or_404(runner_id)
        try:
            best_services.restore_personal_best(runner, best_id, by=this_user())
        except NotFound:
            abort(404, message="No such deleted personal best.")


@blp.route("/<int:runner_id>/predictions")
class Predictions(MethodView):
    @blp.arguments(OnQuery, location="query")
    @blp.response(200, PredictionRowOut(many=True))
    def get(self, query: dict[str, Any], runner_id: int) -> list[dict[str, Any]]:
        """Race predictions for the standard distances, each labelled with its model."""
        runner = get_runner_or_404(runner_id)
        return profiles.predictions_json(runner, _on(query, runner))
