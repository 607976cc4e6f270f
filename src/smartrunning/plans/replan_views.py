"""Re-plan pages (``plans.replan``): the proposal page of a plan (the pending proposal's
per-week diff with its reasons, the weeks to take, Accept and Reject; earlier proposals),
the Re-plan button, and the panel the plan page includes (``replan_pending`` in
templates).

Whoever sees the runner reads; the runner's coaches and admins make and decide (a runner
403); another runner's plan answers 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from smartrunning.accounts.policy import this_user
from smartrunning.plans import actions as plan_services
from smartrunning.plans import replan
from smartrunning.plans.models import Plan
from smartrunning.plans.replan_models import ReplanProposal
from smartrunning.platform import display
from smartrunning.platform.errors import NotFound, ServiceError

__all__ = ["bp"]

bp = Blueprint("plan_replan", __name__, template_folder="templates")


def _plan_or_404(plan_id: int) -> Plan:
    try:
        return plan_services.visible_plan(this_user(), plan_id)
    except NotFound:
        abort(404)


def _require_plan(plan: Plan) -> None:
    if not plan_services.can_plan(this_user(), plan.runner):
        abort(403)


def _proposal_or_404(plan: Plan, proposal_id: int) -> ReplanProposal:
    try:
        return replan.proposal_of(plan, proposal_id)
    except NotFound:
        abort(404)


@bp.app_template_global()
def replan_pending(plan: Plan) -> ReplanProposal | None:
    """The plan's proposal awaiting a decision (for the plan page's panel)."""
    return replan.pending(plan, display.today())


def _back(plan: Plan) -> ResponseReturnValue:
    return redirect(url_for("plan_replan.replan_page", plan_id=plan.id)), 303


@bp.get("/plans/<int:plan_id>/replan")
def replan_page(plan_id: int) -> ResponseReturnValue:
    plan = _plan_or_404(plan_id)
    pending = replan.pending(plan, display.today())
    return render_template(
        "plans/replan.html",
        plan=plan,
        runner=plan.runner,
        pending=pending,
        history=[p for p in replan.proposals(plan) if p is not pending][:10],
        can_plan=plan_services.can_plan(this_user(), plan.runner),
        tab="plans",
    )


@bp.post("/plans/<int:plan_id>/replan")
def make_replan(plan_id: int) -> ResponseReturnValue:
    plan = _plan_or_404(plan_id)
    _require_plan(plan)
    try:
        outcome = replan.propose(plan, display.today(), by=this_user())
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _back(plan)
    flash(outcome.message, "success" if outcome.proposal else "info")
    return _back(plan)


@bp.post("/plans/<int:plan_id>/replan/<int:proposal_id>/accept")
def accept_replan(plan_id: int, proposal_id: int) -> ResponseReturnValue:
    plan = _plan_or_404(plan_id)
    _require_plan(plan)
    row = _proposal_or_404(plan, proposal_id)
    raw = request.form.getlist("weeks")
    try:
        weeks = [int(w) for w in raw] if raw or request.form.get("choose") else None
        changed = replan.accept(row, this_user(), display.today(), weeks)
    except ValueError:
        flash("Weeks are numbers.", "danger")
        return _back(plan)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _back(plan)
    flash(f"Re-plan accepted: {changed} day(s) changed; the runner is told.", "success")
    return _back(plan)


@bp.post("/plans/<int:plan_id>/replan/<int:proposal_id>/reject")
def reject_replan(plan_id: int, proposal_id: int) -> ResponseReturnValue:
    plan = _plan_or_404(plan_id)
    _require_plan(plan)
    row = _proposal_or_404(plan, proposal_id)
    try:
        replan.reject(row, this_user(), display.today())
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _back(plan)
    flash("Re-plan rejected: the plan stays as it is.", "success")
    return _back(plan)
