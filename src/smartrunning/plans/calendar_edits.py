"""Edits made on a plan's calendar: add a library workout to any day (a rest day
included), move a day (onto a planned day: the two swap), copy a week over another, skip a
day with a reason (and undo it), mark a day done or partly done (and undo it).

Every edit marks the days it touches ``edited`` and records the dates it empties
(``Plan.emptied_dates``), so regenerating keeps both (``actions.regenerate``). One planned
day per date: adding to a planned day replaces its workout. The race day keeps its race:
it is not moved, copied over or replaced. Who may: ``can_edit_calendar`` (the runner's
coaches and admins) for adding, moving and copying; ``can_skip`` (whoever sees the
runner: the runner too) for skipping and marking.

Each edit is an action: it checks, writes and commits, or rolls its writes back and raises
again (``platform.transactions``); a mark made with ``by`` (the user who made it) tells the
runner's coaches in the same transaction, their e-mails queued once it commits.
"""

from __future__ import annotations

import datetime as dt

from smartrunning.accounts.models import User
from smartrunning.athletes import rules
from smartrunning.athletes.models import Runner
from smartrunning.athletes.rules import can
from smartrunning.notifications import hooks
from smartrunning.plans import actions as plan_services
from smartrunning.plans import freshness
from smartrunning.plans.compliance import link_sessions
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.transactions import transaction
from smartrunning.science.plans.generate import RACE_KIND

__all__ = [
    "ADDED_SLOT",
    "MARKS",
    "MAX_MARK_DISTANCE_M",
    "MAX_MARK_DURATION_S",
    "MAX_REASON_CHARS",
    "add_workout",
    "can_edit_calendar",
    "can_skip",
    "copy_week",
    "day_on",
    "mark_day",
    "move_day",
    "skip_day",
    "tell_coaches",
    "unmark_day",
    "unskip_day",
    "week_start",
]

MAX_REASON_CHARS = 500
MARKS = ("done", "partly", "skipped")
"""A runner's marks on a planned day: done, partly done, skipped (``skip_day``)."""
MAX_MARK_DURATION_S = 24 * 3600.0
MAX_MARK_DISTANCE_M = 500_000.0
ADDED_SLOT = "added"
"""The slot of a day added on the calendar (generated days name their schema's slot)."""


def can_edit_calendar(user: User, runner: Runner) -> bool:
    """Adding, moving and copying: the runner's coaches and admins (as ``can_plan``)."""
    return plan_services.can_plan(user, runner)


def can_skip(user: User, runner: Runner) -> bool:
    """Skipping a day with a reason: whoever sees the runner, the runner included."""
    return can(user, runner, "view")


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def day_on(plan: Plan, date: dt.date) -> PlanDay | None:
    """The plan's day on ``date`` (one a date), if any."""
    return next((d for d in plan.days if d.date == date), None)


def _check_date(plan: Plan, date: dt.date, field: str) -> None:
    if not plan.start_date <= date <= plan.race_date:
        raise InvalidInput(
            f"{date.isoformat()} is outside the plan: choose a day from "
            f"{plan.start_date.isoformat()} to the race on {plan.race_date.isoformat()}.",
            field=field,
        )


def _week(plan: Plan, date: dt.date) -> int:
    return max(0, (date - plan.start_date).days // 7)


def _emptied(plan: Plan, date: dt.date, *, empty: bool) -> None:
    """Record (``empty``) or forget that a coach emptied ``date``; a new list, so the JSON
    column is written."""
    dates = set(plan.emptied_dates or ())
    if empty:
        dates.add(date.isoformat())
    else:
        dates.discard(date.isoformat())
    plan.emptied_dates = sorted(dates) or None


def _retarget(plan: Plan, day: PlanDay) -> None:
    """The day's pace and HR targets from the parameters valid on its (new) date: a day
    moved or copied past a change of CS or zones shows that date's targets."""
    if day.zwo:
        day.targets = freshness.day_targets(plan, day)


def _not_race(day: PlanDay | None, field: str) -> None:
    if day is not None and day.kind == RACE_KIND:
        raise InvalidInput(
            "The race day keeps its race: change the race date by generating the plan again.",
            field=field,
        )


def add_workout(plan: Plan, date: dt.date, workout_id: int) -> PlanDay:
    """Put library workout ``workout_id`` on ``date``: a new day on a rest day, or the
    planned day's workout replaced (its skip undone). ``InvalidInput`` for a date outside
    the plan, the race day, or a workout that is not a running workout of the library
    (missing or archived)."""
    with transaction():
        return _add_workout(plan, date, workout_id)


def _add_workout(plan: Plan, date: dt.date, workout_id: int) -> PlanDay:
    _check_date(plan, date, "date")
    day = day_on(plan, date)
    _not_race(day, "date")
    if day is None:
        day = PlanDay(
            date=date,
            week=_week(plan, date),
            kind="easy",
            slot=ADDED_SLOT,
            hard=False,
            workout_name="",
            zwo="",
        )
        plan.days.append(day)
    day.skipped_reason = None
    plan_services.edit_day(day, workout_id=workout_id)
    day.edited = True
    _emptied(plan, date, empty=False)
    db.session.flush()
    link_sessions(plan)
    return day


def move_day(plan: Plan, day: PlanDay, to: dt.date) -> PlanDay:
    """Move ``day`` to ``to``; a day planned there takes ``day``'s old date (they swap),
    else the old date stays empty. Linked sessions are linked again on the new dates, and
    targets follow the parameters of the new dates (durations and loads stay as planned)."""
    with transaction():
        return _move_day(plan, day, to)


def _move_day(plan: Plan, day: PlanDay, to: dt.date) -> PlanDay:
    _check_date(plan, to, "date")
    _not_race(day, "day")
    other = day_on(plan, to)
    _not_race(other, "date")
    if to == day.date:
        return day
    before = day.date
    if other is not None:
        other.date = before
        other.week = _week(plan, before)
        other.session_id = None
        other.edited = True
        _retarget(plan, other)
    else:
        _emptied(plan, before, empty=True)
    day.date = to
    day.week = _week(plan, to)
    day.session_id = None
    day.edited = True
    _retarget(plan, day)
    _emptied(plan, to, empty=False)
    db.session.flush()
    link_sessions(plan)
    return day


def _copy_into(source: PlanDay, target: PlanDay) -> None:
    for name in ("kind", "slot", "hard", "workout_id", "workout_name", "zwo", "notes", "why"):
        setattr(target, name, getattr(source, name))
    target.duration_s = source.duration_s
    target.distance_m = source.distance_m
    target.load = source.load
    target.targets = [dict(t) for t in source.targets or ()]
    target.skipped_reason = None
    target.session_id = None
    target.edited = True


def copy_week(plan: Plan, source: dt.date, target: dt.date) -> list[PlanDay]:
    """Make the week of ``target`` a copy of the week of ``source`` (any day of each
    week): each weekday takes the source's workout, or is emptied where the source rests.
    The race day is neither copied nor copied over; days beyond the plan stay as they
    are, and a source day that would land there is refused. Returns the target week's
    days."""
    with transaction():
        return _copy_week(plan, source, target)


def _copy_week(plan: Plan, source: dt.date, target: dt.date) -> list[PlanDay]:
    src, dst = week_start(source), week_start(target)
    if src == dst:
        raise InvalidInput("Choose another week to copy to.", field="to")
    pairs = [(src + dt.timedelta(days=i), dst + dt.timedelta(days=i)) for i in range(7)]
    for from_date, to_date in pairs:
        copied = day_on(plan, from_date)
        if copied is not None and copied.kind != RACE_KIND:
            _check_date(plan, to_date, "to")
    for from_date, to_date in pairs:
        copied = day_on(plan, from_date)
        if copied is not None and copied.kind == RACE_KIND:
            copied = None
        existing = day_on(plan, to_date)
        if (existing is not None and existing.kind == RACE_KIND) or not (
            plan.start_date <= to_date <= plan.race_date
        ):
            continue
        if copied is None:
            if existing is not None:
                plan.days.remove(existing)
                _emptied(plan, to_date, empty=True)
            continue
        if existing is None:
            existing = PlanDay(date=to_date, week=_week(plan, to_date))
            plan.days.append(existing)
        _copy_into(copied, existing)
        _retarget(plan, existing)
        _emptied(plan, to_date, empty=False)
    db.session.flush()
    link_sessions(plan)
    return [d for d in plan.days if dst <= d.date < dst + dt.timedelta(days=7)]


def skip_day(day: PlanDay, reason: str) -> PlanDay:
    """Mark ``day`` skipped, saying why (1–500 characters); the day stays on the calendar,
    shown as skipped, and counts in no week's planned totals."""
    with transaction():
        return _skip(day, reason)


def _skip(day: PlanDay, reason: str) -> PlanDay:
    text = " ".join(reason.split())
    if not text:
        raise InvalidInput("Say why the day is skipped.", field="reason")
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(
            f"The reason is limited to {MAX_REASON_CHARS} characters.", field="reason"
        )
    day.skipped_reason = text
    day.edited = True
    db.session.flush()
    return day


def unskip_day(day: PlanDay) -> PlanDay:
    """The day is planned again (it stays edited)."""
    with transaction():
        day.skipped_reason = None
        day.edited = True
        db.session.flush()
    return day


def _reason(reason: str | None, *, required: str | None) -> str | None:
    text = " ".join((reason or "").split())
    if not text:
        if required is not None:
            raise InvalidInput(required, field="reason")
        return None
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput(
            f"The reason is limited to {MAX_REASON_CHARS} characters.", field="reason"
        )
    return text


def _amount(value: float | None, limit: float, field: str, words: str) -> float | None:
    if value is None:
        return None
    if not value == value or value < 0 or value > limit:  # NaN, negative, absurd
        raise InvalidInput(f"The {words} must be between 0 and {limit:.0f}.", field=field)
    return float(value) or None


def mark_day(
    day: PlanDay,
    mark: str,
    reason: str | None = None,
    duration_s: float | None = None,
    distance_m: float | None = None,
    *,
    by: User | None = None,
) -> PlanDay:
    """Mark ``day`` done (optionally how long and how far, e.g. run without a watch),
    partly done (a reason required) or skipped (as ``skip_day``). A new mark replaces the
    old one; a day with a session keeps its session's compliance (``compliance``).
    ``by``: who marked it, told to the coaches when it is the runner (``tell_coaches``)."""
    with transaction():
        _mark(day, mark, reason, duration_s, distance_m)
        if by is not None:
            tell_coaches(day, day.plan.runner, by)
    return day


def _mark(
    day: PlanDay,
    mark: str,
    reason: str | None,
    duration_s: float | None,
    distance_m: float | None,
) -> PlanDay:
    if mark not in MARKS:
        raise InvalidInput("Mark the day done, partly done or skipped.", field="mark")
    if mark == "skipped":
        day.mark = day.mark_reason = None
        day.mark_duration_s = day.mark_distance_m = None
        return _skip(day, reason or "")
    text = _reason(reason, required="Say what was left out." if mark == "partly" else None)
    seconds = _amount(duration_s, MAX_MARK_DURATION_S, "duration_s", "duration in seconds")
    metres = _amount(distance_m, MAX_MARK_DISTANCE_M, "distance_m", "distance in metres")
    day.mark = mark
    day.mark_reason = text
    day.mark_duration_s = seconds
    day.mark_distance_m = metres
    day.skipped_reason = None
    day.edited = True
    db.session.flush()
    return day


def unmark_day(day: PlanDay, *, by: User | None = None) -> PlanDay:
    """Take the runner's mark (done, partly done or skipped) off the day; ``by`` as in
    ``mark_day``."""
    with transaction():
        day.mark = day.mark_reason = None
        day.mark_duration_s = day.mark_distance_m = None
        day.skipped_reason = None
        day.edited = True
        db.session.flush()
        if by is not None:
            tell_coaches(day, day.plan.runner, by)
    return day


MARK_WORDS = {"done": "done", "partly": "partly done"}


def tell_coaches(day: PlanDay, runner: Runner, by: User) -> None:
    """When the runner marked their own day, tell their coaches (a comment notice); the
    caller commits (``mark_day``, ``unmark_day``)."""
    if runner.user_id is None or by.id != runner.user_id:
        return
    if day.skipped_reason is not None:
        said = f"skipped ({day.skipped_reason})"
    elif day.mark is not None:
        said = MARK_WORDS.get(day.mark, day.mark)
        said += f" ({day.mark_reason})" if day.mark_reason else ""
    else:
        said = "mark taken off"
    hooks.day_marked(rules.coach_ids(runner.id), runner.name, day.date, said, _link(day))


def _link(day: PlanDay) -> str:
    return f"/plan-days/{day.id}/comments"
