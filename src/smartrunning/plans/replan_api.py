"""Re-plan proposals through the API (``plans.replan``): make one, read the pending one or
any by id, accept (all weeks or some) or reject it.

Whoever sees the runner reads; the runner's coaches and admins make and decide (a runner
403); another runner's plan answers 404, as an unknown proposal does; a proposal already
decided answers 409, weeks not proposed 422. Making one answers 201 with the proposal,
or 200 with only the message ("No change needed: …") when no week needs a change.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from smartrunning.accounts.policy import this_user
from smartrunning.plans import actions as plan_services
from smartrunning.plans import replan
from smartrunning.platform import clock

__all__ = ["blp"]

blp = Blueprint(
    "api_plan_replan",
    __name__,
    url_prefix="/api/plans",
    description="Weekly re-planning: proposals from what the runner did",
)


class ReplanOut(Schema):
    proposal = fields.Dict(
        allow_none=True,
        metadata={
            "description": "id, status, cut_date, basis (weeks done, form), weeks (per-week "
            "diff: before/after load, distance_m, duration_s, long_run_m, quality; reasons; "
            "text), days (before/after), accepted_weeks, decided_by, decided_at"
        },
    )
    message = fields.Str()


class NoChangeOut(Schema):
    message = fields.Str(
        metadata={"description": "why no proposal was made: 'No change needed: …' with form"}
    )


class AcceptIn(Schema):
    weeks = fields.List(
        fields.Int(validate=validate.Range(min=1, max=60)),
        load_default=None,
        validate=validate.Length(max=60),
        metadata={"description": "plan weeks to take (1 = the first); omitted: all proposed"},
    )


def _out(row: replan.ReplanProposal | None, message: str) -> dict[str, Any]:
    return {"proposal": None if row is None else replan.as_json(row), "message": message}


@blp.route("/<int:plan_id>/replan")
class Replan(MethodView):
    @blp.response(200, ReplanOut)
    def get(self, plan_id: int) -> dict[str, Any]:
        """The plan's proposal awaiting a decision (``proposal`` null when none)."""
        plan = plan_services.visible_plan(this_user(), plan_id)
        row = replan.pending(plan, clock.today())
        return _out(row, "Awaiting a decision." if row else "No proposal awaits a decision.")

    @blp.response(201, ReplanOut)
    @blp.alt_response(200, schema=NoChangeOut, description="No week needs a change")
    def post(self, plan_id: int) -> Any:
        """Re-plan the weeks after the current one from what the runner did (the runner's
        coaches and admins): 201 with the proposal, or 200 with only the message when no
        week needs a change (nothing is stored; a pending proposal is superseded)."""
        plan = plan_services.visible_plan(this_user(), plan_id)
        outcome = replan.propose(plan, clock.today(), by=this_user())
        if outcome.proposal is None:
            return NoChangeOut().dump({"message": outcome.message}), 200
        return _out(outcome.proposal, outcome.message)


@blp.route("/<int:plan_id>/replan/<int:proposal_id>")
class ReplanById(MethodView):
    @blp.response(200, ReplanOut)
    def get(self, plan_id: int, proposal_id: int) -> dict[str, Any]:
        """A proposal of the plan, whatever its status."""
        plan = plan_services.visible_plan(this_user(), plan_id)
        row = replan.proposal_of(plan, proposal_id)
        return _out(row, row.status)


@blp.route("/<int:plan_id>/replan/<int:proposal_id>/accept")
class AcceptReplan(MethodView):
    @blp.arguments(AcceptIn)
    @blp.response(200, ReplanOut)
    def post(self, data: dict[str, Any], plan_id: int, proposal_id: int) -> dict[str, Any]:
        """Apply the proposed days of ``weeks`` (all when omitted) still ahead; the runner
        is told."""
        plan = plan_services.visible_plan(this_user(), plan_id)
        row = replan.proposal_of(plan, proposal_id)
        changed = replan.accept(row, this_user(), clock.today(), data["weeks"])
        return _out(row, f"{changed} day(s) changed.")


@blp.route("/<int:plan_id>/replan/<int:proposal_id>/reject")
class RejectReplan(MethodView):
    @blp.response(200, ReplanOut)
    def post(self, plan_id: int, proposal_id: int) -> dict[str, Any]:
        """Keep the plan as it is."""
        plan = plan_services.visible_plan(this_user(), plan_id)
        row = replan.proposal_of(plan, proposal_id)
        replan.reject(row, this_user(), clock.today())
        return _out(row, "Rejected: the plan stays as it is.")
