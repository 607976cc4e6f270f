"""Weekly re-planning (issue #20 item 4): the remaining weeks of a plan re-planned from
what the runner actually did, and the diff a coach reads.

The weeks up to the cut-off (the first plan week after the day of the re-plan) never
change. Each remaining week's load (``replan_loads``) is its planned load, lowered by the
lowest of these caps; the loads run in order, so a lowered week feeds the caps after it:

- return after a break (Daniels, *Daniels' Running Formula*, 3rd ed., "Training breaks":
  the book's categories, chapter and table not re-checked here): up to 5 days off,
  resume the load as before (no lowering); 6 to 28
  days off, a return period as long as the break, its first half at 50 % and its second
  half at 75 % of the load. A week's days off are its missed share × 7, rounded (the
  re-plan sees weeks, not days; a week missed outright is 7 days off, consecutive
  missed weeks add up); each re-planned week takes the mean share of its seven days in
  the return period, of the load before the break (Daniels' "previous load": the last
  week before the break as done, or bridged over partly missed weeks; never above the
  week's plan). Being absolute, it does not compound when a re-plan is accepted and the
  weeks are re-planned again. Past 28 days off (his longer categories also lower VDOT)
  the weeks are held at ``FLOOR_SHARE`` of that load and the coach is told to generate
  the plan again.
- growth: at most (1 + ``MAX_WEEKLY_GROWTH``) × the higher of the two weeks before it;
- acute:chronic: at most ``MAX_ACWR`` × the mean of the four weeks before it, a safety
  bound (Gabbett, BJSM 2016: keep the ratio ≤ 1.3, injury risk climbs past 1.5);
- extra running: a week done more than ``EXTRA_TOLERANCE`` over its plan gives back the
  part of its load above ``MAX_ACWR`` × the mean of the four weeks before it (the part
  past Gabbett's safe ratio; at most the extra over plan, at most ``MAX_EXTRA_SHARE``
  of the next week) in the next week, once: the weeks after it are capped as if it had
  not been lowered. Extra running within the ratio gives nothing back (the acute:chronic
  cap of the next weeks already counts it);
- shape: a week planned easier than the one before (a recovery week, the taper) stays
  as much easier than the week before as planned, when that week was lowered by the
  growth or acute:chronic caps (a return week already takes its share of its own plan).

For the growth and acute:chronic caps, a week missed wholly or in part, and a week of a
return period, counts at the higher of what was done and the load before the miss:
the return rule is what lowers the weeks after a break, and a missed week must not also
drag the four-week mean for a month (the compounding this replaces had weeks 5 and 6
27-34 % under plan after one missed week). These are the plan's own limits
(``layout.week_loads``: growth ≤ 10 % a week over the higher of the two weeks before,
acute:chronic ≤ 1.3), and a week never goes above its plan: missed sessions are not made
up, the plan builds back toward its weeks at its own growth rate from the load before the
break. Weeks before the plan count at its first week's planned load, as the generator
laid them out, so a runner who follows the plan meets every cap. A week within
``MIN_CHANGE`` of its plan is left as it is (watch and pace noise); no week goes below
``FLOOR_SHARE`` of its plan (after weeks without running the coach is told to review the
plan instead).

Running over plan (``running_over``): when the last ``OVER_WEEKS`` or more plan weeks
done each ran at least ``OVER_SHARE`` over their plan, the coach is told so in words,
whatever the re-plan proposes (often nothing, once the runner's chronic load has caught
up and the extra running no longer passes the acute:chronic ratio). It changes no load:
the rules above stay as they are; whether the plan is too easy for the runner, or the
runner is over-reaching, is the coach's call (Gabbett 2016: the ratio is a safety bound,
not a judgement of the plan).

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
    "OVER_SHARE",
    "OVER_WEEKS",
    "DayLoad",
    "PastWeek",
    "WeekLoad",
    "WeekSummary",
    "day_targets",
    "replan_loads",
    "return_share",
    "running_over",
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
OVER_SHARE: Final = 0.20
"""A week done at least 20 % over its plan counts as running over it (the compliance
colours' green ends at 120 %)."""
OVER_WEEKS: Final = 2
"""Running over plan for this many weeks in a row, the last ones done, is told to the coach."""
WEEK_D: Final = 7
BREAK_DAYS: Final = 6
"""Daniels: up to 5 days off, resume as before; from 6 days, a return period."""
MAX_RETURN_DAYS: Final = 28
"""Daniels' return rule below covers breaks of 6 to 28 days."""
RETURN_SHARES: Final = (0.5, 0.75)
"""The load over the first and the second half of the return period (Daniels)."""


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


def _past_reason(week: PastWeek) -> str | None:
    if week.planned is None or week.planned <= 0:
        return None
    pct = _pct(week.actual, week.planned)
    if abs(pct) < MIN_CHANGE * 100:
        return None
    side = "over" if pct > 0 else "under"
    return f"week {week.number} was {abs(pct):.0f} % {side} plan"


def days_off(week: PastWeek) -> int:
    """A week's days off: its missed share × 7, rounded (module doc)."""
    if week.planned is None or week.planned <= 0:
        return 0
    return round(WEEK_D * min(1.0, max(0.0, 1.0 - week.actual / week.planned)))


def return_share(break_d: int, first_d: int) -> float:
    """The mean share of the load before the break over the seven days from day
    ``first_d`` (0: the first day back) of the return after ``break_d`` days off
    (Daniels, module doc): 1 for
    breaks up to 5 days, else 50 % over the first half of ``break_d`` days, 75 % over the
    second, 100 % after; ``FLOOR_SHARE`` within ``break_d`` days of a break over 28 days.
    E.g. 7 days off: the next week 3.5 × 0.5 + 3.5 × 0.75 = 4.375 / 7 = 62.5 %."""
    if break_d < BREAK_DAYS:
        return 1.0
    total = 0.0
    for day in range(first_d, first_d + WEEK_D):
        for half in (0, 1):  # half days: a 7-day break's halves are 3.5 days each
            t = day + half / 2
            if t >= break_d:
                total += 0.5
            elif break_d > MAX_RETURN_DAYS:
                total += 0.5 * FLOOR_SHARE
            else:
                total += 0.5 * RETURN_SHARES[0 if t < break_d / 2 else 1]
    return total / WEEK_D


def running_over(past: Sequence[PastWeek]) -> str | None:
    """The coach's note when the last plan weeks done ran persistently over plan (module
    doc): the weeks at least ``OVER_SHARE`` over, in a row up to the last one done, when
    they are ``OVER_WEEKS`` or more; None otherwise. E.g. "weeks 3–5 ran 38 %, 41 % and
    40 % over plan (20 % or more over for 2 weeks or more): …" (one figure when all are
    alike, the range past three weeks)."""
    streak: list[PastWeek] = []
    for week in reversed(past):
        if week.planned is None or week.planned <= 0:
            break
        if week.actual < week.planned * (1.0 + OVER_SHARE):
            break
        streak.append(week)
    if len(streak) < OVER_WEEKS:
        return None
    streak.reverse()
    pcts = [round(_pct(w.actual, w.planned or 0.0)) for w in streak]
    if len(set(pcts)) == 1:
        shares = f"{pcts[0]} % over plan each"
    elif len(pcts) <= 3:
        shares = ", ".join(f"{p} %" for p in pcts[:-1]) + f" and {pcts[-1]} % over plan"
    else:
        shares = f"{min(pcts)}–{max(pcts)} % over plan"
    return (
        f"weeks {streak[0].number}–{streak[-1].number} ran {shares} "
        f"({OVER_SHARE * 100:.0f} % or more over for {OVER_WEEKS} weeks or more): the "
        "re-plan does not raise the plan to match, and takes off only what passes "
        f"{MAX_ACWR:g} × the four weeks before; check with the runner whether the plan is "
        "too easy for them or they are doing too much"
    )


class _Caps:
    """The loads the growth and acute:chronic caps read (module doc), and the break."""

    def __init__(self, first_planned: float) -> None:
        self.capped: list[float] = []
        self.break_d = 0
        self.since_break_d = 0
        self.before_break = first_planned

    def returning(self) -> bool:
        return self.break_d >= BREAK_DAYS and self.since_break_d < self.break_d

    def add(self, load: float, off: int) -> None:
        """A week's load (done or re-planned) with its days off."""
        level = self.capped[-1] if self.capped else self.before_break
        if off >= BREAK_DAYS:
            if self.since_break_d > 0 or self.break_d == 0:  # a new break, not one going on
                self.before_break, self.break_d = level, 0
            self.break_d += off
            self.since_break_d = 0
            self.capped.append(max(load, self.before_break))
            return
        if self.returning():
            self.capped.append(max(load, self.before_break))
        else:
            self.capped.append(max(load, level) if off > 0 else load)
        self.since_break_d += WEEK_D

    def growth(self) -> float:
        return (1.0 + MAX_WEEKLY_GROWTH) * max(self.capped[-2:])

    def chronic(self, skip_last: int = 0) -> float:
        weeks = self.capped[: len(self.capped) - skip_last][-CHRONIC_WEEKS:]
        return sum(weeks) / len(weeks) if weeks else 0.0


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
    caps_of = _Caps(first_planned)
    for week in past:
        caps_of.add(first_planned if week.planned is None else week.actual, days_off(week))
    last = past[-1]
    headline = [r for r in (_past_reason(last),) if r]
    if form is not None and headline:
        rounded = round(form)
        headline.append(f"form is {rounded:+d}".replace("-", "−") if rounded else "form is 0")
    out: list[WeekLoad] = []
    previous_plan = last.planned if last.planned is not None else first_planned
    previous_ratio = 1.0  # the week before's load / plan from the growth/acwr/shape caps
    for offset, plan in enumerate(planned):
        number = first_number + offset
        growth_base = max(caps_of.capped[-2:])
        chronic = caps_of.chronic()
        caps: list[tuple[float, str, str]] = [
            (
                caps_of.growth(),
                "growth",
                f"at most +{MAX_WEEKLY_GROWTH * 100:.0f} % over the higher of the two weeks "
                f"before ({growth_base:.0f})",
            ),
        ]
        if chronic > 0:
            caps.append(
                (
                    MAX_ACWR * chronic,
                    "acwr",
                    f"at most {MAX_ACWR:g} × the last {CHRONIC_WEEKS} weeks' mean "
                    f"({chronic:.0f}, acute:chronic)",
                )
            )
        if caps_of.returning():
            share = return_share(caps_of.break_d, caps_of.since_break_d)
            long_break = caps_of.break_d > MAX_RETURN_DAYS
            caps.append(
                (
                    share * caps_of.before_break,
                    "return",
                    f"back after {caps_of.break_d} days off: {share * 100:.0f} % of the load "
                    f"before the break ({caps_of.before_break:.0f}) "
                    + (
                        "(over 28 days: generate the plan again)"
                        if long_break
                        else "(Daniels: 50 % then 75 % of the load over as many days as the break)"
                    ),
                )
            )
        if offset == 0 and last.planned and last.actual > last.planned * (1 + EXTRA_TOLERANCE):
            before = caps_of.chronic(skip_last=1)
            extra = last.actual - last.planned
            back = min(extra, last.actual - MAX_ACWR * before) if before > 0 else extra
            if back > 0:
                caps.append(
                    (
                        plan - min(back, MAX_EXTRA_SHARE * plan),
                        "extra",
                        f"{back:.0f} rTSS of week {last.number} was above {MAX_ACWR:g} × "
                        f"its four weeks before ({before:.0f}, acute:chronic; Gabbett 2016) "
                        "and comes off this week",
                    )
                )
        if offset > 0 and plan < previous_plan and previous_plan > 0 and previous_ratio < 1:
            caps.append(
                (
                    plan * previous_ratio,
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
            elif offset > 0 and rule in ("growth", "acwr", "shape"):
                lead = ["built back from the load before"]
            reasons = (*lead, why)
        out.append(WeekLoad(number, plan, load, rule, reasons))
        capped = load
        if rule == "extra":  # a one-off give-back: the weeks after build on the week without it
            capped = max(load, min([plan, *(c[0] for c in caps if c[1] != "extra")]))
        previous_ratio = capped / plan if plan > 0 and rule in ("growth", "acwr", "shape") else 1.0
        caps_of.add(capped, 0)
        previous_plan = plan
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
