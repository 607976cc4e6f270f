"""Weekly re-planning (issue #20 item 4): the remaining weeks of a plan re-planned from
what the runner actually did, and the diff a coach reads.

The weeks up to the cut-off (the first plan week after the day of the re-plan) never
change. Each remaining week's load (``replan_loads``) is its planned load, lowered by the
first of these rules that binds; the loads run in order, so a lowered week lowers the
caps of the weeks after it:

- growth: at most (1 + ``MAX_WEEKLY_GROWTH``) × the higher of the two weeks before it
  (actual loads for weeks done, re-planned loads after);
- acute:chronic: at most ``MAX_ACWR`` × the mean of the four weeks before it;
- extra running: a week done more than ``EXTRA_TOLERANCE`` over its plan gives the
  excess back in the next week (at most ``MAX_EXTRA_SHARE`` of that week), once: the
  weeks after it are capped as if it had not been lowered;
- shape: a week planned easier than the one before (a recovery week, the taper) stays
  as much easier than the re-planned week before as planned.

These are the plan's own limits (``layout.week_loads``: growth ≤ 10 % a week over the
higher of the two weeks before, acute:chronic ≤ 1.3; Gabbett, BJSM 2016), applied to what
was done, and a week never goes above its plan: missed load is not made up, the plan
builds back toward its weeks at the growth cap. Weeks before the plan count at its
first week's planned load, as the generator laid them out, so a runner who follows the
plan meets every cap. A week within ``MIN_CHANGE`` of its plan is left as it is (watch
and pace noise); no week goes below ``FLOOR_SHARE`` of its plan (after weeks without
running the coach is told to review the plan instead).

Each changed week's load is shared over its days (``day_targets``) in proportion to
their planned loads; the days that stay (before the cut-off, edited by a coach, marked,
with a linked session, the race) keep theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from smartrunning.science.plans.layout import CHRONIC_WEEKS, MAX_ACWR, MAX_WEEKLY_GROWTH

__all__ = [
    "DayLoad",
    "PastWeek",
    "WeekLoad",
    "WeekSummary",
    "day_targets",
    "replan_loads",
    "week_text",
]

EXTRA_TOLERANCE: Final = 0.10
"""A week done more than 10 % over its plan counts as extra running (the compliance
colours call up to 120 % good; we take half of that margin)."""
MAX_EXTRA_SHARE: Final = 0.5
"""The extra given back takes at most half of the next week."""
MIN_CHANGE: Final = 0.05
"""A week re-planned within 5 % of its plan keeps its plan."""
FLOOR_SHARE: Final = 0.4
"""No week is re-planned below 40 % of its plan."""


@dataclass(frozen=True, slots=True)
class PastWeek:
    """A plan week done (or before the plan: ``planned`` None); loads in rTSS units."""

    number: int
    planned: float | None
    actual: float


@dataclass(frozen=True, slots=True)
class WeekLoad:
    """A remaining week: its plan, its re-planned load and why (empty: unchanged)."""

    number: int
    planned: float
    load: float
    rule: str
    reasons: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.load != self.planned


def _pct(value: float, of: float) -> float:
    return 0.0 if of <= 0 else (value / of - 1.0) * 100.0


def _history(past: Sequence[PastWeek], first_planned: float) -> list[float]:
    """Actual loads, oldest first; weeks before the plan at its first week's plan."""
    return [first_planned if w.planned is None else w.actual for w in past]


def _past_reason(week: PastWeek) -> str | None:
    if week.planned is None or week.planned <= 0:
        return None
    pct = _pct(week.actual, week.planned)
    if abs(pct) < MIN_CHANGE * 100:
        return None
    side = "over" if pct > 0 else "under"
    return f"week {week.number} was {abs(pct):.0f} % {side} plan"


def replan_loads(
    past: Sequence[PastWeek],
    planned: Sequence[float],
    first_number: int,
    form: float | None = None,
) -> list[WeekLoad]:
    """The remaining weeks' loads (``planned``: their plan, from week ``first_number``)
    after ``past`` (the weeks done, oldest first, at least the last one of the plan);
    ``form``: the runner's form (CTL − ATL) at the cut-off, for the reasons."""
    if not past:
        raise ValueError("a re-plan needs at least one week done")
    in_plan = [w for w in past if w.planned is not None]
    first_planned = (in_plan[0].planned or 0.0) if in_plan else 0.0
    history = _history(past, first_planned)
    last = past[-1]
    headline = [r for r in (_past_reason(last),) if r]
    if form is not None and headline:
        rounded = round(form)
        headline.append(f"form is {rounded:+d}".replace("-", "−") if rounded else "form is 0")
    out: list[WeekLoad] = []
    previous_plan = last.planned if last.planned is not None else first_planned
    previous_load = history[-1]
    for offset, plan in enumerate(planned):
        number = first_number + offset
        caps: list[tuple[float, str, str]] = [
            (
                (1.0 + MAX_WEEKLY_GROWTH) * max(history[-2:]),
                "growth",
                f"at most +{MAX_WEEKLY_GROWTH * 100:.0f} % over the higher of the two weeks before "
                f"({max(history[-2:]):.0f})",
            ),
            (
                MAX_ACWR * sum(history[-CHRONIC_WEEKS:]) / len(history[-CHRONIC_WEEKS:]),
                "acwr",
                f"at most {MAX_ACWR:g} × the last {len(history[-CHRONIC_WEEKS:])} weeks' mean "
                f"({sum(history[-CHRONIC_WEEKS:]) / len(history[-CHRONIC_WEEKS:]):.0f}, "
                "acute:chronic)",
            ),
        ]
        if offset == 0 and last.planned and last.actual > last.planned * (1 + EXTRA_TOLERANCE):
            extra = last.actual - last.planned
            caps.append(
                (
                    plan - min(extra, MAX_EXTRA_SHARE * plan),
                    "extra",
                    f"the extra {extra:.0f} rTSS of week {last.number} comes off this week",
                )
            )
        if offset > 0 and plan < previous_plan and previous_plan > 0:
            caps.append(
                (
                    plan * previous_load / previous_plan,
                    "shape",
                    "kept as much easier than the week before as planned",
                )
            )
        load, rule, why = min(caps, key=lambda c: c[0])
        reasons: tuple[str, ...] = ()
        if load >= plan * (1.0 - MIN_CHANGE):
            load, rule = plan, ""
        else:
            floor = FLOOR_SHARE * plan
            if load < floor:
                load, why = (
                    floor,
                    f"{why}; held at {FLOOR_SHARE * 100:.0f} % of plan: review the plan",
                )
            lead = headline if offset == 0 else ["missed load is not made up"]
            if rule == "extra":
                lead = [r for r in headline if "over" in r or "form" in r]
            reasons = (*lead, why)
        out.append(WeekLoad(number, plan, load, rule, reasons))
        if rule == "extra":  # a one-off give-back: the weeks after build on the week without it
            load = max(load, min([plan, *(c[0] for c in caps if c[1] != "extra")]))
        history.append(load)
        previous_plan, previous_load = plan, load
    return out


@dataclass(frozen=True, slots=True)
class DayLoad:
    """A planned day for ``day_targets``: ``fixed`` days keep their load."""

    date: dt.date
    week: int
    load: float
    fixed: bool


def day_targets(
    days: Sequence[DayLoad], cut: dt.date, week_loads: Mapping[int, float]
) -> dict[int, float]:
    """New loads by index into ``days`` for the days that change: in each week of
    ``week_loads`` (by plan week), the days on or after ``cut`` that are not fixed share
    the week's new load less what the fixed (and earlier) days keep, in proportion to their
    planned loads. A week whose free days cannot take it (none, or nothing left) keeps
    its days."""
    out: dict[int, float] = {}
    for week, target in week_loads.items():
        members = [i for i, d in enumerate(days) if d.week == week]
        free = [i for i in members if days[i].date >= cut and not days[i].fixed]
        kept = sum(days[i].load for i in members if i not in free)
        planned_free = sum(days[i].load for i in free)
        room = target - kept
        if not free or planned_free <= 0 or room <= 0:
            continue
        factor = room / planned_free
        for i in free:
            out[i] = days[i].load * factor
    return out


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """What a coach compares of a week: load, distance m, time s, long run m, quality
    sessions (their workouts' names)."""

    load: float
    distance_m: float
    duration_s: float
    long_run_m: float
    quality: tuple[str, ...]


def _km(metres: float) -> str:
    return f"{metres / 1000:.0f}" if metres >= 10_000 else f"{metres / 1000:.1f}"


def _hm(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def week_text(number: int, before: WeekSummary, after: WeekSummary, reasons: Sequence[str]) -> str:
    """One line for the coach, e.g. "week 7: −18 % load (410 → 336), 62 → 51 km,
    5:40 → 4:39, long run 28 → 24 km, because week 6 was 40 % under plan, form is −22"."""
    parts = [
        f"week {number}: {_pct(after.load, before.load):+.0f} % load "
        f"({before.load:.0f} → {after.load:.0f})".replace("-", "−"),
        f"{_km(before.distance_m)} → {_km(after.distance_m)} km",
        f"{_hm(before.duration_s)} → {_hm(after.duration_s)}",
    ]
    if before.long_run_m > 0 or after.long_run_m > 0:
        parts.append(f"long run {_km(before.long_run_m)} → {_km(after.long_run_m)} km")
    changed = [(a, b) for a, b in zip(before.quality, after.quality, strict=False) if a != b]
    parts.extend(f"{a} → {b}" for a, b in changed)
    text = ", ".join(parts)
    return f"{text}, because {', '.join(reasons)}" if reasons else text
