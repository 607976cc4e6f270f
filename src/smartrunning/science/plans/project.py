"""Projected fitness, fatigue and form over a plan, and the warnings they raise.

SCIENCE.md, "Plan generation": run the fitness-fatigue model forward over the planned
loads (``history.daily_history``, from the runner's state the day before the plan), report
race-day form and the largest weekly ramp, and warn outside the configured ranges.

- Race-day form is form going into race day: CTL − ATL at the end of the day before.
- The lowest acceptable race-day form is ``PlanLimits.race_form_low`` of the fitness on
  the eve of the race (+5, or less for a runner of low fitness).
- A week's CTL ramp is CTL at the end of the week minus CTL at the end of the week
  before (for the first week, the starting CTL); the plan's ramp is the largest one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from smartrunning.science.history import (
    WEEK_D,
    DailyHistory,
    HistoryParams,
    HistoryState,
    daily_history,
    daily_loads,
)
from smartrunning.science.plans.model import PlanLimits, PlanWarning, ProjectedDay, WarningCode

__all__ = ["Projection", "eve_ctl", "project"]


@dataclass(frozen=True, slots=True)
class Projection:
    """The projected days, each week's end CTL and ramp, race-day form and warnings."""

    days: tuple[ProjectedDay, ...]
    week_ctl: tuple[float, ...]
    week_ramps: tuple[float, ...]
    race_day_form: float
    max_ctl_ramp: float
    warnings: tuple[PlanWarning, ...]


def _warnings(
    ramps: Sequence[float], race_form: float, eve_ctl: float, limits: PlanLimits
) -> tuple[PlanWarning, ...]:
    out: list[PlanWarning] = []
    steep = [index + 1 for index, ramp in enumerate(ramps) if ramp > limits.max_ctl_ramp]
    if steep:
        weeks = ", ".join(str(week) for week in steep)
        out.append(
            PlanWarning(
                WarningCode.CTL_RAMP,
                f"fitness rises by more than {limits.max_ctl_ramp:g} a week in week(s) "
                f"{weeks} (largest +{max(ramps):.1f})",
            )
        )
    low, high = limits.race_form_low(eve_ctl), limits.race_form[1]
    if race_form < low:
        out.append(
            PlanWarning(
                WarningCode.RACE_FORM_LOW,
                f"race-day form {race_form:+.1f} is below {low:+.1f}: the runner may arrive "
                "tired; lengthen or deepen the taper",
            )
        )
    elif race_form > high:
        out.append(
            PlanWarning(
                WarningCode.RACE_FORM_HIGH,
                f"race-day form {race_form:+.1f} is above {high:+.1f}: the taper may cost "
                "fitness; shorten or soften it",
            )
        )
    return tuple(out)


def eve_ctl(days: Sequence[ProjectedDay], state: HistoryState) -> float:
    """Fitness at the end of the day before the last projected day (the race)."""
    return days[-2].ctl if len(days) >= 2 else state.ctl


def project(
    start: dt.date,
    weeks: int,
    sessions: Sequence[tuple[dt.date, float]],
    state: HistoryState,
    params: HistoryParams,
    limits: PlanLimits,
) -> Projection:
    """Project ``weeks`` whole weeks from ``start``; ``sessions`` are (date, load) pairs."""
    last = start + dt.timedelta(days=WEEK_D * weeks - 1)
    loads = daily_loads([d for d, _ in sessions], [load for _, load in sessions], start, last)
    history: DailyHistory = daily_history(loads, start, params=params, start=state)
    ctl = [float(v) for v in history.ctl]
    days = tuple(
        ProjectedDay(
            history.day(i),
            float(history.load[i]),
            ctl[i],
            float(history.atl[i]),
            float(history.form[i]),
        )
        for i in range(len(history))
    )
    week_ctl = tuple(ctl[WEEK_D * (week + 1) - 1] for week in range(weeks))
    before = (state.ctl, *week_ctl[:-1])
    ramps = tuple(end - begin for end, begin in zip(week_ctl, before, strict=True))
    race_form = days[-1].form
    return Projection(
        days=days,
        week_ctl=week_ctl,
        week_ramps=ramps,
        race_day_form=race_form,
        max_ctl_ramp=max(ramps),
        warnings=_warnings(ramps, race_form, eve_ctl(days, state), limits),
    )
