"""Weekly re-planning (issue #20 item 4): propose, accept (all weeks or some), reject.

A proposal (``replan_build.draft``; rules in ``science.plans.replan``) re-plans the weeks
after the current one from what the runner did; it is stored and the plan stays as it is
until a coach accepts it. Made on demand (a coach, the API, the CLI) or by the queue's
hourly job for plans whose week ends that day in the runner's time zone, at 21:xx
there (``propose_due``). A newer proposal, or a
plan regenerated or edited since it was made (its days from the cut-off differ), makes a
pending proposal ``superseded``. When the last weeks ran persistently over plan
(``science.plans.replan.running_over``) the message says so, with or without a change,
and the queue's job tells the coaches even when nothing changes. Accepting applies the
proposed days of the chosen weeks (days already past are left) and projects the plan's
fitness and form again (``replan_build.reproject``) in one transaction, and tells the
runner; rejecting keeps the plan. Each action owns its transaction (``platform.transactions``).

Who may: a proposal is read by whoever sees the runner; made, accepted and rejected by
the runner's coaches and admins (``actions.can_plan``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from smartrunning.accounts.models import User
from smartrunning.athletes import rules
from smartrunning.athletes.models import Runner
from smartrunning.notifications import hooks
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.plans.replan_build import draft, fingerprint, reproject
from smartrunning.plans.replan_models import ReplanProposal
from smartrunning.platform import display
from smartrunning.platform.db import db, now_utc
from smartrunning.platform.errors import Conflict, InvalidInput, NotFound, ServiceError
from smartrunning.platform.formatting import to_zone
from smartrunning.platform.transactions import transaction

__all__ = [
    "NotAllowed",
    "Outcome",
    "accept",
    "as_json",
    "pending",
    "proposal_of",
    "proposals",
    "propose",
    "propose_due",
    "propose_due_on",
    "reject",
    "runner_zone",
]

MAX_ID = 2**31 - 1


class NotAllowed(ServiceError):
    """The user sees the runner but may not change their plan."""

    status = 403


class Outcome:
    """What ``propose`` did: ``proposal`` the stored proposal, or None with ``message``
    (the plan needs no change)."""

    def __init__(self, proposal: ReplanProposal | None, message: str) -> None:
        self.proposal = proposal
        self.message = message


def _may_plan(user: User | None, plan: Plan) -> None:
    if user is not None and not rules.can(user, plan.runner, "coach"):
        raise NotAllowed("Coaches of this runner and admins only.")


def _stale(row: ReplanProposal, plan: Plan, today: dt.date) -> bool:
    """A pending proposal whose days are all past, or made on other days than the plan's."""
    past = all(dt.date.fromisoformat(d["date"]) <= today for d in row.days)
    return past or row.fingerprint != fingerprint(plan, row.cut_date)


def _open_rows(plan: Plan) -> list[ReplanProposal]:
    return list(
        db.session.execute(
            sa.select(ReplanProposal).where(
                ReplanProposal.plan_id == plan.id, ReplanProposal.status == "proposed"
            )
        ).scalars()
    )


def _supersede(rows: Sequence[ReplanProposal]) -> None:
    for row in rows:
        row.status = "superseded"
        row.decided_at = now_utc()


def _supersede_stale(plan: Plan, today: dt.date) -> None:
    _supersede([r for r in _open_rows(plan) if _stale(r, plan, today)])


def propose(plan: Plan, today: dt.date, *, by: User | None) -> Outcome:
    """Re-plan ``plan``'s remaining weeks as of ``today`` and store the proposal when some
    week changes (a pending one is superseded). ``by``: the coach (None: the queue)."""
    _may_plan(by, plan)
    with transaction():
        made = draft(plan, today)
        _supersede(_open_rows(plan))  # a newer proposal (or none needed) replaces them
        over = made.basis.get("over_plan")
        note = f" Running over plan: {over}." if over else ""
        if not made.weeks:
            if over and by is None:
                hooks.running_over_plan(
                    rules.coach_ids(plan.runner_id),
                    plan.runner.name,
                    over,
                    f"/plans/{plan.id}/replan#over-{made.cut.isoformat()}",
                )
            return Outcome(
                None,
                f"No change needed: the weeks from {made.cut.isoformat()} fit what was done "
                f"(form {format(made.basis['form'], '+.0f').replace('-', '−')})." + note,
            )
        row = ReplanProposal(
            plan=plan,
            created_by=by,
            cut_date=made.cut,
            fingerprint=made.fingerprint,
            basis=made.basis,
            weeks=made.weeks,
            days=made.days,
            status="proposed",
        )
        db.session.add(row)
        db.session.flush()
        if by is None:
            hooks.replan_proposed(
                rules.coach_ids(plan.runner_id),
                plan.runner.name,
                made.weeks[0]["text"] + (f"\nRunning over plan: {over}." if over else ""),
                f"/plans/{plan.id}/replan#proposal-{row.id}",
            )
        count = len(made.weeks)
        weeks = "1 week" if count == 1 else f"{count} weeks"
        return Outcome(
            row,
            f"Proposed: {weeks} changed from {made.cut.isoformat()}; "
            "nothing changes until a coach accepts." + note,
        )


def proposals(plan: Plan) -> list[ReplanProposal]:
    """The plan's proposals, newest first."""
    return list(
        db.session.execute(
            sa.select(ReplanProposal)
            .where(ReplanProposal.plan_id == plan.id)
            .order_by(ReplanProposal.id.desc())
        ).scalars()
    )


def pending(plan: Plan, today: dt.date) -> ReplanProposal | None:
    """The plan's proposal awaiting a decision, if any (stale ones superseded first, in a
    transaction of their own; nothing written, and one query, when none is stale)."""
    rows = _open_rows(plan)
    stale = [r for r in rows if _stale(r, plan, today)]
    if stale:
        with transaction():
            _supersede(stale)
    return next((r for r in sorted(rows, key=lambda r: -r.id) if r not in stale), None)


def proposal_of(plan: Plan, proposal_id: int) -> ReplanProposal:
    """Proposal ``proposal_id`` of ``plan``; ``NotFound`` otherwise."""
    row = db.session.get(ReplanProposal, proposal_id) if 0 < proposal_id <= MAX_ID else None
    if row is None or row.plan_id != plan.id:
        raise NotFound("No such re-plan proposal.")
    return row


def _open(row: ReplanProposal, today: dt.date) -> None:
    _supersede_stale(row.plan, today)
    if row.status != "proposed":
        raise Conflict(f"This proposal was already {row.status}.", field="proposal_id")


def _chosen(row: ReplanProposal, weeks: Sequence[int] | None) -> list[int]:
    offered = [int(w["week"]) for w in row.weeks]
    if weeks is None:
        return offered
    chosen = sorted(set(weeks))
    wrong = [w for w in chosen if w not in offered]
    if not chosen or wrong:
        raise InvalidInput(
            f"Choose weeks among those proposed ({', '.join(map(str, offered))}); "
            + (f"not {', '.join(map(str, wrong))}." if wrong else "none chosen."),
            field="weeks",
        )
    return chosen


def accept(
    row: ReplanProposal, user: User | None, today: dt.date, weeks: Sequence[int] | None = None
) -> int:
    """Apply the proposal's days of ``weeks`` (None: all) that are still ahead; tell the
    runner. Returns how many days changed. ``user`` None: the command line."""
    _may_plan(user, row.plan)
    with transaction():
        _open(row, today)
        chosen = _chosen(row, weeks)
        plan_days = {d.id: d for d in row.plan.days}
        changed = 0
        for item in row.days:
            day = plan_days.get(int(item["day_id"]))
            if day is None or item["week"] not in chosen or day.date <= today:
                continue
            _apply(day, item["after"], row)
            changed += 1
        if changed:
            reproject(row.plan)
        row.status = "accepted"
        row.accepted_weeks = chosen
        row.decided_by = user
        row.decided_at = now_utc()
        db.session.flush()
        texts = [w["text"] for w in row.weeks if w["week"] in chosen]
        if row.plan.runner.user_id is not None and texts:
            hooks.plan_replanned(
                [row.plan.runner.user_id], row.plan.runner.name, "\n".join(texts),
                f"/plans/{row.plan_id}/calendar",
            )  # fmt: skip
        return changed


def _apply(day: PlanDay, after: dict[str, Any], row: ReplanProposal) -> None:
    """The day as proposed; a day proposed as a rest day is removed (a rest day has no
    row); a day made the kind below (``replan_build.demotion``) takes its kind too."""
    if after.get("rest"):
        row.plan.days.remove(day)
        db.session.delete(day)
        return
    day.kind = after["kind"]
    day.slot = after["slot"]
    day.hard = after["hard"]
    day.workout_name = after["workout_name"]
    day.duration_s = after["duration_s"]
    day.distance_m = after["distance_m"]
    day.load = after["load"]
    day.zwo = after["zwo"]
    day.targets = after["targets"]
    note = f"Re-planned {row.created_at:%d %b %Y} (proposal {row.id})."
    day.notes = f"{day.notes}\n{note}".strip() if day.notes else note


def reject(row: ReplanProposal, user: User | None, today: dt.date) -> None:
    """Keep the plan as it is; the proposal is rejected."""
    _may_plan(user, row.plan)
    with transaction():
        _open(row, today)
        row.status = "rejected"
        row.decided_by = user
        row.decided_at = now_utc()


DUE_HOUR = 21
"""The queue's job proposes at 21:xx in the runner's zone on their week's last day."""


def runner_zone(runner: Runner) -> str:
    """The time zone a runner's week ends in: their own login's display zone, else their
    first coach's (a runner without a login is read by the coach), else UTC
    (``display.prefs_of``)."""
    user = runner.user
    if user is None:
        coach = min(rules.coach_ids(runner.id), default=None)
        user = db.session.get(User, coach) if coach is not None else None
    return display.prefs_of(user).time_zone if user is not None else "UTC"


def propose_due(
    now: dt.datetime, limit: int | None = None, *, hour: int | None = DUE_HOUR
) -> tuple[int, int]:
    """The queue's job (hourly): for every plan whose week ends on the runner's local day
    at ``now`` (``runner_zone``; the race not yet run, a week left after it) and, when
    ``hour`` is given, whose local hour is ``hour`` (each plan once a week, at the end of
    its runner's Sunday), a proposal made on that local day; returns (plans looked at,
    proposals made). ``hour`` None: every plan whose week ends on its runner's local day
    (the ``due`` command)."""
    utc = to_zone(now).date()  # local days are within a day of it (UTC-12 to UTC+14)
    days = (utc - dt.timedelta(days=1), utc + dt.timedelta(days=1))
    return _propose_due(lambda zone: to_zone(now, zone), days, limit, hour)


def propose_due_on(day: dt.date, limit: int | None = None) -> tuple[int, int]:
    """As ``propose_due`` for plans whose week ends on ``day`` (each runner's local day)."""
    noon = dt.datetime.combine(day, dt.time(12, 0))
    return _propose_due(lambda _zone: noon, (day, day), limit, None)


def _propose_due(
    local_now: Callable[[str], dt.datetime],
    days: tuple[dt.date, dt.date],
    limit: int | None,
    hour: int | None,
) -> tuple[int, int]:
    earliest, latest = days
    query = (
        sa.select(Plan)
        .where(Plan.start_date <= latest, Plan.race_date > earliest + dt.timedelta(days=1))
        .order_by(Plan.id)
    )
    seen = made = 0
    zones: dict[int, str] = {}
    for plan in db.session.execute(query).scalars():
        if plan.runner_id not in zones:
            zones[plan.runner_id] = runner_zone(plan.runner)
        local = local_now(zones[plan.runner_id])
        today = local.date()
        if hour is not None and local.hour != hour:
            continue
        if not (plan.start_date <= today and plan.race_date > today + dt.timedelta(days=1)):
            continue
        if (today - plan.start_date).days % 7 != 6:
            continue
        seen += 1
        if propose(plan, today, by=None).proposal is not None:
            made += 1
        if limit is not None and seen >= limit:
            break
    return seen, made


def as_json(row: ReplanProposal) -> dict[str, Any]:
    """The proposal for the API and the CLI (days without their ZWO and targets)."""
    return {
        "id": row.id,
        "plan_id": row.plan_id,
        "status": row.status,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by.username if row.created_by else None,
        "cut_date": row.cut_date.isoformat(),
        "basis": row.basis,
        "weeks": row.weeks,
        "days": [
            {**d, "after": {k: v for k, v in d["after"].items() if k not in ("zwo", "targets")}}
            for d in row.days
        ],
        "accepted_weeks": row.accepted_weeks,
        "decided_by": row.decided_by.username if row.decided_by else None,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
    }
