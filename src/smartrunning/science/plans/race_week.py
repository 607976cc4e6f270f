"""Easing the race week so the runner arrives fresh (step 5 of ``generate``).

While the race-day form projected over the target loads is under
``PlanLimits.race_form_low`` + ``RACE_FORM_MARGIN``, the race week's sessions are eased in
steps of 10 % down to 30 % (never under their shortest), then rest days are made from the
day before the race backwards (one session kept), then the last three days before the
race week hand up to 40 % of their load to the start of their week. Only target loads
are used (not the runner's speed), so a CS change mid-plan changes nothing before its
date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Final

from smartrunning.science.plans.days import Draft
from smartrunning.science.plans.kinds import load_bounds
from smartrunning.science.plans.layout import WEEK_DAYS
from smartrunning.science.plans.model import PlanInputs
from smartrunning.science.plans.project import eve_ctl, project

__all__ = ["RACE_FORM_MARGIN", "ease_race_week"]

RACE_FORM_MARGIN: Final = 0.5
"""Race-week easing aims this far above the lowest acceptable race-day form."""
EASE_STEP: Final = 0.1
EASE_STEPS: Final = 7
"""The race week is eased in steps of 10 % of its share, down to 30 %."""
EASE_WEEKEND_DAYS: Final = 3
EASE_WEEKEND_STEPS: Final = 4
"""Then the last three days before the race week, down to 60 %."""


def _target_form(
    drafts: list[Draft], inputs: PlanInputs, start: dt.date, weeks: int
) -> tuple[float, float]:
    """Race-day form and race-eve fitness projected over the drafts' target loads."""
    projection = project(
        start,
        weeks,
        [(d.date, d.target_load) for d in drafts],
        inputs.start_state,
        inputs.history_params,
        inputs.limits,
    )
    return projection.race_day_form, eve_ctl(projection.days, inputs.start_state)


def ease_race_week(
    drafts: list[Draft], inputs: PlanInputs, start: dt.date, weeks: int, tag: str
) -> list[Draft]:
    """The race week eased until the runner arrives fresh, as the module doc says."""
    form, ctl = _target_form(drafts, inputs, start, weeks)
    if form >= inputs.limits.race_form_low(ctl) + RACE_FORM_MARGIN:
        return drafts
    week_start = inputs.race_date - dt.timedelta(days=WEEK_DAYS - 1)
    before = [d for d in drafts if d.date < week_start]
    race_week = [d for d in drafts if d.date >= week_start]
    trials: list[list[Draft]] = []
    for step in range(1, EASE_STEPS + 1):
        factor = 1.0 - EASE_STEP * step
        note = f"race week eased to {factor:.0%} of its share so the runner arrives fresh"
        trials.append(
            [
                replace(
                    d,
                    target_load=max(
                        d.target_load * factor,
                        min(d.target_load, load_bounds(d.session.kind, tag)[0]),
                    ),
                    notes=(*d.notes, note),
                )
                for d in race_week
            ]
        )
    shortest = trials[-1]
    for kept in range(len(shortest) - 1, 0, -1):  # then rest days nearest the race
        trials.append(shortest[:kept])
    eased = race_week
    for eased in trials:
        form, ctl = _target_form([*before, *eased], inputs, start, weeks)
        if form >= inputs.limits.race_form_low(ctl) + RACE_FORM_MARGIN:
            return [*before, *eased]
    # Still tired: the last days before the race week (its long run) hand load to the
    # start of that week, which keeps its total.
    weekend = week_start - dt.timedelta(days=EASE_WEEKEND_DAYS)
    monday = week_start - dt.timedelta(days=WEEK_DAYS)
    early = [d for d in before if monday <= d.date < weekend]
    last = before
    for step in range(1, EASE_WEEKEND_STEPS + 1):
        if not early:
            break
        last = _front_load(before, weekend, monday, 1.0 - EASE_STEP * step, tag)
        form, ctl = _target_form([*last, *eased], inputs, start, weeks)
        if form >= inputs.limits.race_form_low(ctl) + RACE_FORM_MARGIN:
            break
    return [*last, *eased]


def _front_load(
    drafts: list[Draft], weekend: dt.date, monday: dt.date, factor: float, tag: str
) -> list[Draft]:
    """The days from ``weekend`` on eased to ``factor``, the load moved to the days of
    the same week before them (in proportion, within their longest)."""
    moved = 0.0
    out: list[Draft] = []
    for d in drafts:
        if d.date >= weekend:
            target = max(
                d.target_load * factor, min(d.target_load, load_bounds(d.session.kind, tag)[0])
            )
            moved += d.target_load - target
            note = f"eased to {factor:.0%} of its share so the runner arrives fresh"
            d = replace(d, target_load=target, notes=(*d.notes, note))
        out.append(d)
    early = [i for i, d in enumerate(out) if monday <= d.date < weekend]
    room = {i: load_bounds(out[i].session.kind, tag)[1] - out[i].target_load for i in early}
    total_room = sum(r for r in room.values() if r > 0)
    if total_room <= 0:
        return drafts
    share = min(1.0, moved / total_room)
    for i, r in room.items():
        if r > 0:
            out[i] = replace(out[i], target_load=out[i].target_load + r * share)
    left = moved - total_room * share
    if left > 1e-9:
        return drafts  # the week cannot keep its total: leave it as it was
    return out
