"""``plan replan …``: weekly re-planning from the command line (``plans.replan``).

``propose PLAN_ID``, ``show PLAN_ID [PROPOSAL_ID]``, ``accept PLAN_ID PROPOSAL_ID
[--week N]…``, ``reject PLAN_ID PROPOSAL_ID`` and ``due`` (the queue's daily job, now).
The command line acts as an administrator; ``--today`` sets the day (default: today).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from flask.cli import AppGroup, with_appcontext

from smartrunning.plans import actions as plan_services
from smartrunning.plans import replan
from smartrunning.plans.replan_models import ReplanProposal
from smartrunning.platform import clock
from smartrunning.platform.cli_output import emit, json_option

__all__ = ["register"]

replan_group = AppGroup("replan", help="Re-plan a plan's remaining weeks from what was done.")
today_option = click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="The day (YYYY-MM-DD)."
)


def _day(today: dt.datetime | None) -> dt.date:
    return today.date() if today is not None else clock.today()


def _text(row: ReplanProposal | None, message: str) -> str:
    if row is None:
        return message
    lines = [f"Proposal {row.id} ({row.status}), from {row.cut_date}: {message}"]
    lines += [f"  {w['text']}" for w in row.weeks]
    return "\n".join(lines)


def _emit(row: ReplanProposal | None, message: str, as_json: bool) -> None:
    data: dict[str, Any] = {
        "proposal": None if row is None else replan.as_json(row),
        "message": message,
    }
    emit(data, as_json, _text(row, message))


@replan_group.command("propose")
@click.argument("plan_id", type=int)
@today_option
@json_option
@with_appcontext
def propose_command(plan_id: int, today: dt.datetime | None, as_json: bool) -> None:
    """Propose the weeks after the current one, re-planned from what was done."""
    outcome = replan.propose(plan_services.plan_by_id(plan_id), _day(today), by=None)
    if outcome.proposal is None:  # as the API's 200: the message only
        emit({"message": outcome.message}, as_json, outcome.message)
        return
    _emit(outcome.proposal, outcome.message, as_json)


@replan_group.command("show")
@click.argument("plan_id", type=int)
@click.argument("proposal_id", type=int, required=False)
@today_option
@json_option
@with_appcontext
def show_command(
    plan_id: int, proposal_id: int | None, today: dt.datetime | None, as_json: bool
) -> None:
    """The pending proposal (or PROPOSAL_ID) with its per-week diff."""
    plan = plan_services.plan_by_id(plan_id)
    if proposal_id is None:
        row = replan.pending(plan, _day(today))
        _emit(row, "awaiting a decision" if row else "No proposal awaits a decision.", as_json)
    else:
        row = replan.proposal_of(plan, proposal_id)
        _emit(row, row.status, as_json)


@replan_group.command("accept")
@click.argument("plan_id", type=int)
@click.argument("proposal_id", type=int)
@click.option("--week", "weeks", type=int, multiple=True, help="A week to take (repeat).")
@today_option
@json_option
@with_appcontext
def accept_command(
    plan_id: int,
    proposal_id: int,
    weeks: tuple[int, ...],
    today: dt.datetime | None,
    as_json: bool,
) -> None:
    """Apply the proposal (all weeks, or those given with --week); the runner is told."""
    row = replan.proposal_of(plan_services.plan_by_id(plan_id), proposal_id)
    changed = replan.accept(row, None, _day(today), list(weeks) or None)
    _emit(row, f"{changed} day(s) changed.", as_json)


@replan_group.command("reject")
@click.argument("plan_id", type=int)
@click.argument("proposal_id", type=int)
@today_option
@json_option
@with_appcontext
def reject_command(
    plan_id: int, proposal_id: int, today: dt.datetime | None, as_json: bool
) -> None:
    """Keep the plan as it is."""
    row = replan.proposal_of(plan_services.plan_by_id(plan_id), proposal_id)
    replan.reject(row, None, _day(today))
    _emit(row, "Rejected: the plan stays as it is.", as_json)


@replan_group.command("due")
@today_option
@json_option
@with_appcontext
def due_command(today: dt.datetime | None, as_json: bool) -> None:
    """A proposal for every plan whose week ends today in its runner's time zone (any
    hour; ``--today``: whose week ends on that day)."""
    seen, made = (
        replan.propose_due_on(today.date())
        if today is not None
        else replan.propose_due(clock.now(), hour=None)
    )
    emit(
        {"plans": seen, "proposals": made},
        as_json,
        f"{seen} plan(s) at a week's end, {made} proposal(s) made.",
    )


def register(group: AppGroup) -> None:
    """Add ``replan`` to the ``plan`` group."""
    group.add_command(replan_group)
