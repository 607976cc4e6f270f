"""A runner's response model (fitted or population fitness-fatigue parameters), read-only.

Same access as the profile: another runner's id answers 404.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from smartrunning.athletes.policy import get_runner_or_404
from smartrunning.athletes.response_model import response_json, response_model
from smartrunning.platform import clock

__all__ = ["blp"]

blp = Blueprint(
    "api_response_model",
    __name__,
    url_prefix="/api/runners",
    description="The runner's fitted fitness-fatigue response model",
)


class ResponseModelOut(Schema):
    fitted = fields.Bool(metadata={"description": "the runner's own parameters, else population"})
    reason = fields.Str(metadata={"description": "why fitted or why not, in words"})
    summary = fields.Str(metadata={"description": "one line for people"})
    parameters = fields.Dict(
        keys=fields.Str(),
        values=fields.Float(),
        metadata={"description": "p0_vdot; k1, k2 in VDOT per unit of daily load; tau1_d, tau2_d"},
    )
    intervals = fields.Dict(
        keys=fields.Str(),
        values=fields.List(fields.Float(), allow_none=True),
        metadata={"description": "95 % bootstrap intervals of k1, k2, tau1_d, tau2_d (fitted)"},
    )
    performances = fields.Int()
    span_d = fields.Int()
    rmse_vdot = fields.Float(allow_none=True)
    r2 = fields.Float(allow_none=True)
    held_out_rmse_vdot = fields.Dict(
        keys=fields.Str(),
        values=fields.Float(),
        allow_none=True,
        metadata={"description": "cross-validated RMSE: fitted, population, null (no training)"},
    )
    source_offsets_vdot = fields.Dict(keys=fields.Str(), values=fields.Float())


@blp.route("/<int:runner_id>/response-model")
class ResponseModel(MethodView):
    @blp.response(200, ResponseModelOut)
    def get(self, runner_id: int) -> dict[str, Any]:
        """Fitness-fatigue parameters fitted to the runner's performances, or the population
        values and why (science.response)."""
        runner = get_runner_or_404(runner_id)
        return response_json(response_model(runner, clock.today()))
