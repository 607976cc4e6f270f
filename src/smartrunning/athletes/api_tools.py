"""Stateless calculators behind the wizard's live previews: zones and a CS/D′ fit.

They read no runner's data, so any logged-in user may call them.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from smartrunning.athletes import bests as best_services
from smartrunning.athletes.profiles import zones_json
from smartrunning.athletes.schemas import ZoneOut
from smartrunning.platform import clock
from smartrunning.science import defaults
from smartrunning.science.critical_speed import Effort
from smartrunning.science.heart_rate import age_years, estimate_hrmax
from smartrunning.science.predictions import prediction_table
from smartrunning.science.zones import HRZoneModel, ZoneMethod, ZoneValidationError

__all__ = ["blp"]

blp = Blueprint(
    "api_tools",
    __name__,
    url_prefix="/api/tools",
    description="Calculators for previews (no stored data)",
)


class HrZonesIn(Schema):
    birth_date = fields.Date(required=True)
    hrmax_bpm = fields.Float(load_default=None, allow_none=True, validate=validate.Range(100, 240))
    hrrest_bpm = fields.Float(load_default=None, allow_none=True, validate=validate.Range(25, 120))
    method = fields.Str(
        load_default="percent_hrmax", validate=validate.OneOf([m.value for m in ZoneMethod])
    )
    start = fields.Float(load_default=0.5, validate=validate.Range(0, 1.1))
    uppers = fields.List(
        fields.Float(validate=validate.Range(0, 1.1)),
        validate=validate.Length(3, 7),
        load_default=None,
    )


class HrZonesOut(Schema):
    hrmax_bpm = fields.Float()
    hrmax_source = fields.Str()
    zones = fields.List(fields.Nested(ZoneOut))


class EffortIn(Schema):
    distance_m = fields.Float(required=True, validate=validate.Range(1, 250_000))
    time = fields.Str(required=True, metadata={"description": "seconds, m:ss or h:mm:ss"})
    date = fields.Date(required=True)


class CriticalSpeedIn(Schema):
    efforts = fields.List(fields.Nested(EffortIn), required=True, validate=validate.Length(1, 50))


class CriticalSpeedOut(Schema):
    fit = fields.Dict()
    predictions = fields.List(fields.Dict())


@blp.route("/hr-zones")
class HrZones(MethodView):
    @blp.arguments(HrZonesIn)
    @blp.response(200, HrZonesOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Heart-rate zones in bpm for the given HRmax (or the HUNT estimate) and percentages."""
        born = data["birth_date"]
        if born > clock.today() or not 5 <= age_years(born, clock.today()) <= 120:
            abort(
                422,
                message="The birth date must give an age of 5 to 120 years.",
                errors={"json": {"birth_date": ["implausible"]}},
            )
        hrmax = data["hrmax_bpm"]
        source = "measured"
        if hrmax is None:
            hrmax = round(estimate_hrmax(data["birth_date"], clock.today()).hrmax_bpm, 1)
            source = "estimated (HUNT)"
        uppers = data["uppers"] or defaults.HR_ZONES.upper_fractions
        try:
            model = HRZoneModel(ZoneMethod(data["method"]), data["start"], tuple(uppers))
            zones = model.resolve(hrmax, data["hrrest_bpm"])
        except (ZoneValidationError, ValueError) as exc:
            abort(422, message=str(exc))
        return {"hrmax_bpm": hrmax, "hrmax_source": source, "zones": zones_json(zones)}


@blp.route("/critical-speed")
class CriticalSpeedPreview(MethodView):
    @blp.arguments(CriticalSpeedIn)
    @blp.response(200, CriticalSpeedOut)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """CS/D′ the given races would give on the profile (each its own race: the anchor
        fit, else the estimate from the best VDOT; ``fit.basis`` says which), and the
        predictions of the standard distances."""
        efforts = [
            Effort(e["distance_m"], best_services.parse_time(e["time"]), e["date"], source=i)
            for i, e in enumerate(data["efforts"])
        ]
        for effort in efforts:
            best_services.check_effort(effort.distance_m, effort.time_s, effort.date, clock.today())
        result = best_services.anchor_fit(
            efforts, clock.today(), defaults.CRITICAL_SPEED, has_previous=False
        )
        rows = prediction_table(efforts, result.value)
        predictions = [
            {
                "label": r.distance.label,
                "distance_m": r.distance.distance_m,
                **{p.model.value: {"time_s": p.time_s, "note": p.note} for p in r.predictions},
            }
            for r in rows
        ]
        return {"fit": result.report(), "predictions": predictions}
