"""What a re-plan proposal holds, from a stored plan and what the runner did
(``science.plans.replan`` for the rules; ``plans.replan`` stores and applies it).

The cut-off is the first plan week after ``today``: today's and earlier days never change,
nor does the rest of the current week. A week's actual load is the stored load of the
runner's sessions over its seven days (every sport, flagged values left out); a planned
day without a session that the runner marked done counts at its planned load (scaled to
the duration stated, when stated), partly done at half of it; in the current week the days
after today count as planned (today counts what is done: the daily job runs late in the
day, ``replan_tasks``). The four weeks
before the plan count as the generator laid them out (``replan`` module doc). Form is
CTL − ATL at the end of the day before the cut-off: with the runner's fitted response
model's time constants (``plans.response.response_fit``: τ₁ for fitness, τ₂ for fatigue,
over the stored daily loads) when the fit is used, else the population ones (42 and 7 d,
the stored history: ``sessions.history.state_before``); the basis says which and why
(``form_model``). k₁ and k₂ scale performance, not form (CTL − ATL weighs both alike).

A changed week's days that may change (not edited by a coach, not marked or skipped, no
linked session, not the race) are each scaled to their new load
(``scaling.scale_workout``, within their kind's duration bounds) at the day's CS, with
their targets, name, duration and distance recomputed as an edit does. A day whose new
load is under what its kind holds at its shortest (``kinds.KIND_DURATION_S``: a long run
30 min, a quality session 25, an easy run 20, a recovery run 15) becomes the kind below,
as the generator's own rules do (``science.plans.limits``: a quality session too short
becomes an easy run; ``days``: a light week gives up easy sessions): a long run or a
quality session becomes an easy run of its load at Daniels' easy pace
(``intensity.EASY_RUN_FRACTION``), named so ("Easy run 24 min (instead of the long
run)"); an easy or recovery run, or an easy run that would be under 20 min, becomes a
rest day (the day is removed when the proposal is accepted), its load shared by the
week's other re-planned days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from smartrunning.plans.basis import plan_day_parameters, stored_line
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.plans.replan_models import ReplanProposal
from smartrunning.plans.response import response_fit, response_inputs
from smartrunning.plans.stored import targets_json
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.science.history import HistoryParams, daily_history
from smartrunning.science.load import planned_rtss
from smartrunning.science.plans.intensity import EASY_RUN_FRACTION
from smartrunning.science.plans.kinds import KIND_DURATION_S, duration_bounds, race_tag
from smartrunning.science.plans.limits import EASY_KINDS
from smartrunning.science.plans.model import PlanLimits
from smartrunning.science.plans.project import project
from smartrunning.science.plans.replan import (
    DayLoad,
    PastWeek,
    WeekSummary,
    day_targets,
    replan_loads,
    running_over,
    week_text,
)
from smartrunning.science.plans.scaling import content_name, scale_workout
from smartrunning.science.plans.schema import LONG_SLOT
from smartrunning.science.plans.targets import step_targets
from smartrunning.science.workouts import Extent, Steady, Workout
from smartrunning.science.zwo import read_zwo
from smartrunning.science.zwo_write import write_zwo
from smartrunning.sessions.history import state_before
from smartrunning.sessions.models import TrainingSession

__all__ = ["Draft", "cut_date", "draft", "fingerprint", "reproject"]

PRE_PLAN_WEEKS = 4
DEFAULT_SPEED_MPS = 3.0
PARTLY_SHARE = 0.5
MIN_SHOWN = 0.02
"""A week whose rescaled days move its load by less than 2 % is left out of the proposal."""
RACE_KIND = "race"


def cut_date(plan: Plan, today: dt.date) -> dt.date:
    """The first day of the first plan week after ``today``; ``InvalidInput`` when the plan
    has not started (generate it again instead) or no week is left."""
    if today < plan.start_date:
        raise InvalidInput(
            "The plan has not started yet: nothing has been done to re-plan from; generate "
            "it again instead."
        )
    week = (today - plan.start_date).days // 7
    cut = plan.start_date + dt.timedelta(days=7 * (week + 1))
    if cut > plan.race_date:
        raise InvalidInput("The race week has begun: there are no weeks left to re-plan.")
    return cut


def fingerprint(plan: Plan, cut: dt.date) -> str:
    """A hash of the plan's days from ``cut`` on (and when it was generated): a proposal
    made on another fingerprint is superseded."""
    parts = [plan.generated_at.isoformat()]
    for day in plan.days:
        if day.date >= cut:
            parts.append(
                f"{day.id}|{day.date}|{day.load:.3f}|{day.workout_name}|{day.edited}|"
                f"{day.mark}|{day.skipped_reason is not None}"
            )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _fixed(day: PlanDay) -> bool:
    return bool(
        day.edited
        or day.mark
        or day.skipped_reason is not None
        or day.session_id is not None
        or day.kind == RACE_KIND
    )


def _daily_loads(plan: Plan, first: dt.date, last: dt.date) -> dict[dt.date, float]:
    rows = db.session.execute(
        sa.select(TrainingSession.local_date, sa.func.sum(TrainingSession.load))
        .where(
            TrainingSession.runner_id == plan.runner_id,
            TrainingSession.local_date >= first,
            TrainingSession.local_date <= last,
            TrainingSession.held.is_(False),
        )
        .group_by(TrainingSession.local_date)
    ).all()
    return {day: float(load or 0.0) for day, load in rows}


def _credited(day: PlanDay, done: dict[dt.date, float], today: dt.date) -> float:
    """What a planned day without a session counts for (module doc)."""
    if day.mark == "done":
        ratio = (
            (day.mark_duration_s / day.duration_s)
            if day.mark_duration_s and day.duration_s
            else 1.0
        )
        return day.load * ratio
    if day.mark == "partly":
        return day.load * PARTLY_SHARE
    if day.date > today and day.skipped_reason is None:
        return day.load
    return 0.0


def _past_weeks(plan: Plan, cut: dt.date, today: dt.date) -> list[PastWeek]:
    first = plan.start_date - dt.timedelta(days=7 * PRE_PLAN_WEEKS)
    done = _daily_loads(plan, first, cut - dt.timedelta(days=1))
    actual: dict[int, float] = defaultdict(float)
    planned: dict[int, float] = defaultdict(float)
    for day, load in done.items():
        actual[(day - plan.start_date).days // 7] += load
    for pday in plan.days:
        if pday.date < cut:
            planned[pday.week] += pday.load
            if pday.date not in done:
                actual[pday.week] += _credited(pday, done, today)
    cut_week = (cut - plan.start_date).days // 7
    pre = [PastWeek(w + 1, None, actual[w]) for w in range(-PRE_PLAN_WEEKS, 0)]
    return pre + [PastWeek(w + 1, planned[w], actual[w]) for w in range(cut_week)]


def _summary(days: list[dict[str, Any]]) -> WeekSummary:
    long_run = max(
        (d["distance_m"] for d in days if LONG_SLOT in (d["kind"], d.get("slot"))), default=0.0
    )
    return WeekSummary(
        load=sum(d["load"] for d in days),
        distance_m=sum(d["distance_m"] for d in days),
        duration_s=sum(d["duration_s"] for d in days),
        long_run_m=long_run,
        quality=tuple(d["workout_name"] for d in days if d["hard"]),
    )


def _values(day: PlanDay) -> dict[str, Any]:
    return {
        "kind": day.kind,
        "slot": day.slot,
        "hard": day.hard,
        "workout_name": day.workout_name,
        "duration_s": day.duration_s,
        "distance_m": day.distance_m,
        "load": day.load,
    }


EASY = "easy"
REST = "rest"


def _kind_minimum(day: PlanDay) -> tuple[str, float]:
    """The day's kind for its shortest length (a long-run slot holds a long run) and
    that length, s."""
    kind = "long" if day.slot == LONG_SLOT else day.kind
    return kind, KIND_DURATION_S.get(kind, KIND_DURATION_S[EASY])[0]


def _easy_seconds(target: float) -> float:
    """Minutes of easy running (Daniels' easy pace) that hold ``target`` rTSS."""
    return round(target / (EASY_RUN_FRACTION**2 * 100.0) * 3600.0 / 60.0) * 60.0


def demotion(day: PlanDay, target: float, speed: float) -> str | None:
    """What a day re-planned to ``target`` becomes when under its kind's shortest
    (module doc): ``EASY``, ``REST`` or None (it stays its kind)."""
    kind, shortest = _kind_minimum(day)
    content = read_zwo(day.zwo.encode("utf-8"))
    full = content.estimated_load(speed)
    seconds = content.total_duration_s(speed)
    if full <= 0 or seconds <= 0 or target * seconds / full >= shortest - 1.0:
        return None
    if kind in EASY_KINDS or _easy_seconds(target) < KIND_DURATION_S[EASY][0]:
        return REST
    return EASY


def _rest(day: PlanDay) -> dict[str, Any]:
    _kind, shortest = _kind_minimum(day)
    return {
        "kind": REST,
        "slot": day.slot,
        "hard": False,
        "workout_name": f"Rest (instead of {day.workout_name}: under its {shortest / 60:.0f} min)",
        "duration_s": 0.0,
        "distance_m": 0.0,
        "load": 0.0,
        "rest": True,
        "zwo": None,
        "targets": None,
    }


def _rescaled(day: PlanDay, target: float, tag: str, becomes: str | None = None) -> dict[str, Any]:
    """``day`` scaled to ``target`` load at its CS (module doc): its new values; ``becomes``
    ``EASY``: an easy run of that load instead."""
    if becomes == REST:
        return _rest(day)
    content = read_zwo(day.zwo.encode("utf-8"))
    line = stored_line((day.plan.projection or {}).get("basis"))
    params = plan_day_parameters(day.plan.runner, day.date, line)
    speed = params.cs_mps if params.cs_mps is not None else DEFAULT_SPEED_MPS
    if target <= 0 or content.estimated_load(speed) <= 0:
        return {**_values(day), "zwo": day.zwo, "targets": day.targets}
    kind, slot, hard = day.kind, day.slot, day.hard
    if becomes == EASY:
        was = "the long run" if day.slot == LONG_SLOT else day.workout_name
        easy = Workout(
            name="Easy run",
            sport="run",
            steps=(Steady(Extent(_easy_seconds(target)), EASY_RUN_FRACTION),),
            tags=("kind:easy",),
        )
        scaled = replace(
            easy, name=f"{content_name('Easy run', easy, speed, EASY)} (instead of {was})"
        )
        kind, slot, hard = EASY, "", False
        name = scaled.name
    else:
        scaled = scale_workout(content, target, speed, duration_bounds(day.kind, tag)).workout
        name = content_name(day.workout_name, scaled, speed, day.kind)
    return {
        "kind": kind,
        "slot": slot,
        "hard": hard,
        "workout_name": name,
        "duration_s": float(scaled.total_duration_s(speed)),
        "distance_m": float(scaled.total_distance_m(speed)),
        "load": float(planned_rtss(scaled, speed)),
        "zwo": write_zwo(scaled).decode("utf-8"),
        "targets": targets_json(step_targets(scaled, params)),
    }


def _form(plan: Plan, cut: dt.date) -> tuple[float, float, str]:
    """CTL, ATL at the end of the day before ``cut`` and the model they come from (module
    doc)."""
    eve = cut - dt.timedelta(days=1)
    fit = response_fit(plan.runner, eve, commit=False)  # the caller's transaction commits
    if fit.fitted:
        first, loads, _performances = response_inputs(plan.runner, eve)
        if len(loads):
            tau1, tau2 = fit.params.tau1_d, fit.params.tau2_d
            found = daily_history(
                loads, first, params=HistoryParams(fitness_tau_d=tau1, fatigue_tau_d=tau2)
            )
            return (
                float(found.ctl[-1]),
                float(found.atl[-1]),
                f"the runner's fitted response model (τ₁ = {tau1:.0f} d, τ₂ = {tau2:.0f} d)",
            )
    state = state_before(plan.runner, cut)
    return (
        state.ctl,
        state.atl,
        f"population constants (τ₁ = 42 d, τ₂ = 7 d): {fit.reason}",
    )


@dataclass(frozen=True)
class Draft:
    """A proposal before it is stored: ``weeks`` the per-week diff (changed weeks only),
    ``days`` the changed days before and after, ``basis`` what it rests on."""

    cut: dt.date
    fingerprint: str
    basis: dict[str, Any]
    weeks: list[dict[str, Any]]
    days: list[dict[str, Any]]


def _demotions(days: list[PlanDay], targets: dict[int, float]) -> dict[int, str]:
    """Days under their kind's shortest (module doc) and what they become; a day that
    becomes a rest day hands its target to the week's other re-planned days (in
    ``targets``, in proportion)."""
    out: dict[int, str] = {}
    for i in sorted(targets, key=lambda i: targets[i]):  # the smallest first
        day = days[i]
        line = stored_line((day.plan.projection or {}).get("basis"))
        params = plan_day_parameters(day.plan.runner, day.date, line)
        speed = params.cs_mps if params.cs_mps is not None else DEFAULT_SPEED_MPS
        found = demotion(day, targets[i], speed)
        if found is None:
            continue
        out[i] = found
        if found == REST:
            others = [j for j in targets if days[j].week == day.week and j != i and j not in out]
            total = sum(targets[j] for j in others)
            for j in others:
                targets[j] += targets[i] * targets[j] / total if total > 0 else 0.0
            targets[i] = 0.0
    return out


def _planned_before_accepted(plan: Plan, cut: dt.date, cut_week: int) -> dict[int, float]:
    """The planned load of each week from ``cut_week`` on, with the days a proposal of
    the same cut-off accepted counted as they were before it (rest days it removed
    included): the rules apply to the plan, not to the plan already re-planned on that
    day, so re-planning again after accepting changes nothing more (the extra running
    given back is taken once)."""
    rows = db.session.execute(
        sa.select(ReplanProposal)
        .where(
            ReplanProposal.plan_id == plan.id,
            ReplanProposal.cut_date == cut,
            ReplanProposal.status == "accepted",
        )
        .order_by(ReplanProposal.id)
    ).scalars()
    before: dict[int, tuple[int, float]] = {}
    for row in rows:
        for item in row.days:
            if item["week"] in (row.accepted_weeks or ()):
                before.setdefault(int(item["day_id"]), (item["week"] - 1, item["before"]["load"]))
    future: dict[int, float] = defaultdict(float)
    present = set()
    for day in plan.days:
        present.add(day.id)
        if day.week >= cut_week:
            future[day.week] += before[day.id][1] if day.id in before else day.load
    for day_id, (week, load) in before.items():
        if day_id not in present and week >= cut_week:
            future[week] += load  # a day the accepted proposal made a rest day
    return future


def draft(plan: Plan, today: dt.date) -> Draft:
    """The re-plan of ``plan``'s remaining weeks as of ``today`` (module doc)."""
    cut = cut_date(plan, today)
    past = _past_weeks(plan, cut, today)
    ctl, atl, form_model = _form(plan, cut)
    form = ctl - atl
    cut_week = (cut - plan.start_date).days // 7
    future = _planned_before_accepted(plan, cut, cut_week)
    numbers = sorted(future)
    loads = replan_loads(past, [future[w] for w in numbers], cut_week + 1, form)
    changed = {w.number - 1: w for w in loads if w.changed}
    days = list(plan.days)
    targets = day_targets(
        [DayLoad(d.date, d.week, d.load, _fixed(d)) for d in days],
        cut,
        {week: w.load for week, w in changed.items()},
    )
    tag = race_tag(plan.race_distance_m)
    becomes = _demotions(days, targets)
    after: dict[int, dict[str, Any]] = {
        i: _rescaled(days[i], t, tag, becomes.get(i)) for i, t in targets.items()
    }
    weeks: list[dict[str, Any]] = []
    for week, load in sorted(changed.items()):
        members = [i for i, d in enumerate(days) if d.week == week]
        if not any(i in after for i in members):
            continue
        before_s = _summary([_values(days[i]) for i in members])
        after_s = _summary([after.get(i) or _values(days[i]) for i in members])
        if abs(after_s.load - before_s.load) < MIN_SHOWN * before_s.load:
            continue  # its days cannot shrink further (their kinds' shortest): no change
        weeks.append(
            {
                "week": load.number,
                "rule": load.rule,
                "reasons": list(load.reasons),
                "planned_load": round(load.planned, 1),
                "target_load": round(load.load, 1),
                "before": _summary_json(before_s),
                "after": _summary_json(after_s),
                "quality_changed": [
                    [a, b]
                    for a, b in zip(before_s.quality, after_s.quality, strict=False)
                    if a != b
                ],
                "text": week_text(load.number, before_s, after_s, load.reasons),
            }
        )
    kept = {w["week"] - 1 for w in weeks}
    changed_days = [
        {
            "day_id": days[i].id,
            "date": days[i].date.isoformat(),
            "week": days[i].week + 1,
            "before": _values(days[i]),
            "after": values,
        }
        for i, values in sorted(after.items())
        if days[i].week in kept
    ]
    basis = {
        "today": today.isoformat(),
        "form": round(form, 1),
        "ctl": round(ctl, 1),
        "atl": round(atl, 1),
        "form_model": form_model,
        "weeks_done": [
            {"week": w.number, "planned": None if w.planned is None else round(w.planned, 1),
             "actual": round(w.actual, 1)}
            for w in past
        ],
        "over_plan": running_over(past),
    }  # fmt: skip
    return Draft(cut, fingerprint(plan, cut), basis, weeks, changed_days)


def _summary_json(summary: WeekSummary) -> dict[str, Any]:
    return {
        "load": round(summary.load, 1),
        "distance_m": round(summary.distance_m),
        "duration_s": round(summary.duration_s),
        "long_run_m": round(summary.long_run_m),
        "quality": list(summary.quality),
    }


def reproject(plan: Plan) -> None:
    """The plan's stored projection (``Plan.projection``: days, weeks' loads and CTL,
    race-day form, largest ramp) again over its days' loads as they now are, from the
    runner's state before its first day and the population constants, as generated; the
    rest of it (taper, basis, predicted time) stays."""
    state = state_before(plan.runner, plan.start_date)
    days = [(d.date, d.load) for d in plan.days]
    found = project(plan.start_date, plan.weeks, days, state, HistoryParams(), PlanLimits())
    stored = dict(plan.projection or {})
    stored["days"] = [
        {"date": p.date.isoformat(), "load": p.load, "ctl": p.ctl, "atl": p.atl, "form": p.form}
        for p in found.days
    ]
    weeks = [dict(w) for w in stored.get("weeks", ())]
    for week in weeks:
        index = int(week["index"])
        members = [d for d in plan.days if d.week == index]
        week["load"] = sum(d.load for d in members)
        week["duration_s"] = sum(d.duration_s for d in members)
        week["distance_m"] = sum(d.distance_m for d in members)
        if index < len(found.week_ctl):
            week["ctl_end"] = found.week_ctl[index]
            week["ctl_ramp"] = found.week_ramps[index]
    stored["weeks"] = weeks
    stored["race_day_form"] = found.race_day_form
    stored["max_ctl_ramp"] = found.max_ctl_ramp
    plan.projection = stored
