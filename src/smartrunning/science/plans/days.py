"""The plan's calendar before workouts are chosen: sessions on dates, hard days apart.

Each block's week (``week.week_sessions``) repeats over the block's weeks; a session's
target load is its weight × its week's load (``layout``); the session that would fall on
race day gives way to the race and its weight goes to the week's other sessions, so the
race week's training keeps the taper's load (issue #15: dropping it, with the long run on
race day, had the race week 59–69 % below the peak, deeper than Bosquet's −41 to −60 %).

Across weeks (the last day of one block next to the first of the next, or the day before
the race) hard days are kept apart too (SCIENCE.md, "Plan generation"): of two hard days
in a row the later becomes an easy run, unless it is the long run, when the earlier does;
the session the day before the race becomes an easy run with strides (a coach keeps
race week sharp: strides at Daniels' R pace the day before, ``paces``); a hard one there,
when race week holds no other quality session, moves to an easy day of race week two
days or more before the race that has no hard day or long run next to it, where there is
one (Bosquet 2007: the taper keeps its intensity), and a race week left with no quality
session (its day is race day) has its latest easy run with strides; a long run 1–5 days
before the race is an easy run (``_race_week_long_run``); the session the day
before a long run becomes a recovery run (SCIENCE.md "Quality sessions": an easy or rest
day before the long run; the issue's masters runner had 100 and 117 min on consecutive
days).

Sharing a week's load (``share_week_loads``), so that each session can be scaled to its
target within its sensible length (``kinds.duration_bounds`` / ``load_bounds``):

1. The long run's share is raised toward the race's long-run goal
   (``kinds.LONG_RUN_GOAL_S``, e.g. 2 h 30 for the marathon): the plan's biggest week
   gives it at least goal / peak load of the week, at most ``MAX_LONG_SHARE``; every week
   uses the same share, so the long run grows with the weekly load. The other sessions
   give up the difference in proportion. (A low-volume marathon plan still reaches a
   2 h long run; a high-volume one keeps the pattern's weights.)
2. A week lighter than its sessions at their shortest gives up sessions, easy ones
   before hard ones, the end of the pattern first, never the long run, never below
   ``limits.MIN_SESSIONS`` runs, and never more quality sessions than
   ``week.quality_limit`` allows the runs left (a hard session goes first when an easy
   one would leave too many); their load goes to the others, the dropped days are rest
   days. This is how a plan from little or no recent running starts: a coach gives a
   runner starting from nothing fewer runs in the first weeks, not a bigger first week
   (``layout`` starts the plan high enough for the week's fewest runs only,
   ``fewest_runs``), and the runs come back as the weekly load grows. The week's first
   day says so ("4 runs this week, not 7: ..."); build weeks raise ``LIGHT_WEEKS``,
   recovery weeks do not; taper weeks keep 80 % of their sessions and drop silently.
3. The targets are moved into their bounds with the week's sum kept: a day above its
   longest (a long run past 3 h) hands the excess to the other days in proportion to
   their targets, a day under its shortest takes from them. When the week is beyond
   every bound, the days stay in proportion to their bounds and are clipped when scaled
   (``LOAD_CLIPPED``, raised by ``generate``).

Everything here depends on kinds, weights and loads only, not on the runner's speed, so
a CS version starting mid-plan changes nothing before its date.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from smartrunning.science.plans.kinds import LONG_RUN_GOAL_S, load_bounds, nominal_load
from smartrunning.science.plans.layout import WEEK_DAYS, WeekOutline, current_load
from smartrunning.science.plans.limits import MIN_SESSIONS, TAPER_FREQUENCY
from smartrunning.science.plans.model import PlanInputs, PlanWarning, WarningCode
from smartrunning.science.plans.schema import LONG_SLOT, PatternSlot
from smartrunning.science.plans.week import EASY_KIND, Session, quality_limit, week_sessions

__all__ = [
    "Draft",
    "WarningLog",
    "block_layouts",
    "downgrade",
    "draft_days",
    "fewest_runs",
    "separate_hard_days",
    "session_capacity",
    "session_floor",
    "share_week_loads",
    "week_ranges",
]


MAX_LONG_SHARE: Final = 0.30
"""The long run takes at most this share of a week when raised toward its goal (Daniels:
a long run of at most ~30 % of the week; SCIENCE.md "Long run")."""
RECOVERY_KIND: Final = "recovery"
"""What the session the day before a long run becomes (an easy or rest day before it)."""
RACE_EVE_KIND: Final = "strides"
"""What a hard session the day before the race becomes: an easy run with strides."""


class WarningLog:
    """Collects warnings, each once, in the order first raised. The same message raised
    under several codes or for several weeks is one line (the first code), ending with
    the weeks it affects when they were given (``add(..., week=i)``, 0-based)."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[WarningCode, set[int]]] = {}

    def add(self, code: WarningCode, message: str, week: int | None = None) -> None:
        _code, weeks = self._items.setdefault(message, (code, set()))
        if week is not None:
            weeks.add(week)

    def extend(self, warnings: tuple[PlanWarning, ...]) -> None:
        for warning in warnings:
            self.add(warning.code, warning.message)

    def all(self) -> tuple[PlanWarning, ...]:
        return tuple(
            PlanWarning(code, message + _weeks_text(weeks))
            for message, (code, weeks) in self._items.items()
        )


def _weeks_text(weeks: set[int]) -> str:
    """The weeks as shown, e.g. " (week 3)" or " (weeks 2–4, 7)"; "" for none."""
    if not weeks:
        return ""
    runs: list[list[int]] = []
    for week in sorted(w + 1 for w in weeks):
        if runs and week == runs[-1][-1] + 1:
            runs[-1].append(week)
        else:
            runs.append([week])
    parts = [f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    label = "week" if len(weeks) == 1 else "weeks"
    return f" ({label} {', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class Draft:
    """A session before its workout is chosen."""

    date: dt.date
    week: int
    session: Session
    target_load: float
    notes: tuple[str, ...] = ()


def block_layouts(inputs: PlanInputs, out: WarningLog) -> dict[int, tuple[Session, ...]]:
    """Each block's week of sessions, with warnings about what had to give."""
    layouts: dict[int, tuple[Session, ...]] = {}
    days = len(inputs.training_days)
    if inputs.sessions_per_week > days:
        out.add(
            WarningCode.FEW_TRAINING_DAYS,
            f"{inputs.sessions_per_week} sessions a week asked for, but only {days} training "
            "days: one session a training day",
        )
    limit = quality_limit(min(days, inputs.sessions_per_week), inputs.beginner)
    for index, block in enumerate(inputs.schema.blocks):
        layout = week_sessions(
            block.pattern,
            inputs.training_days,
            inputs.long_run_day,
            inputs.sessions_per_week,
            limit,
        )
        layouts[index] = layout
        kept = {s.slot for s in layout}
        dropped = [p.slot for p in block.pattern if p.slot not in kept and p.hard]
        if dropped:
            out.add(
                WarningCode.FEW_TRAINING_DAYS,
                f"{block.name}: hard sessions {', '.join(dropped)} left out for lack of "
                "session days",
            )
        downgraded = [s.slot for s in layout if s.downgraded]
        hard_in_pattern = sum(1 for p in block.pattern if p.hard and p.slot in kept)
        if downgraded and hard_in_pattern > limit:
            who = "a beginner" if inputs.beginner else f"{min(days, inputs.sessions_per_week)} days"
            out.add(
                WarningCode.QUALITY_LIMIT,
                f"{block.name}: at most {limit} quality session(s) a week for {who} "
                f"(Daniels): {', '.join(downgraded)} become(s) easy running",
            )
        elif downgraded:
            out.add(
                WarningCode.HARD_DOWNGRADED,
                f"{block.name}: {', '.join(downgraded)} becomes an easy run, as hard days "
                "would otherwise be back to back or the day before the long run",
            )
    return layouts


def session_floor(layout: tuple[Session, ...], tag: str) -> float:
    """The smallest week that holds every session of ``layout`` at its shortest."""
    return sum(load_bounds(s.kind, tag)[0] for s in layout)


def session_capacity(layout: tuple[Session, ...], tag: str) -> float:
    """The largest week that ``layout`` holds with every session at its longest."""
    return sum(load_bounds(s.kind, tag)[1] for s in layout)


def draft_days(
    inputs: PlanInputs,
    start: dt.date,
    outlines: tuple[WeekOutline, ...],
    layouts: dict[int, tuple[Session, ...]],
) -> list[Draft]:
    drafts: list[Draft] = []
    for week in outlines:
        first = start + dt.timedelta(days=WEEK_DAYS * week.index)
        dated = [
            (first + dt.timedelta(days=(s.weekday - first.weekday()) % WEEK_DAYS), s)
            for s in layouts[week.block_index]
        ]
        kept = [(date, s) for date, s in dated if date < inputs.race_date]
        # The race week's training keeps the week's load (the taper's share) when the
        # race takes a session's day: its weight goes to the other sessions.
        total = sum(s.weight for _d, s in dated)
        left = sum(s.weight for _d, s in kept)
        scale = total / left if left > 0 and len(kept) < len(dated) else 1.0
        for date, session in kept:
            drafts.append(Draft(date, week.index, session, week.load * session.weight * scale))
    drafts.sort(key=lambda d: d.date)
    return drafts


def downgrade(draft: Draft, why: str) -> Draft:
    session = replace(draft.session, kind=EASY_KIND, hard=False, workout=None, downgraded=True)
    return replace(draft, session=session, notes=(*draft.notes, why))


def separate_hard_days(drafts: list[Draft], race_date: dt.date, out: WarningLog) -> None:
    """The rule of the module doc, in place, over drafts in date order."""
    one = dt.timedelta(days=1)
    for i in range(1, len(drafts)):
        earlier, later = drafts[i - 1], drafts[i]
        if earlier.session.hard and later.session.hard and later.date - earlier.date == one:
            if later.session.slot == LONG_SLOT:
                drafts[i - 1] = downgrade(earlier, "easy run: the next day is the long run")
            else:
                drafts[i] = downgrade(later, "easy run: the day before was a hard day")
            out.add(
                WarningCode.HARD_DOWNGRADED,
                "hard sessions on consecutive days at a block "
                "boundary were separated by downgrading one to an easy run",
            )
    _race_week_long_run(drafts, race_date)
    if drafts and drafts[-1].date == race_date - one:
        _race_eve(drafts, race_date)
    by_date = {d.date: i for i, d in enumerate(drafts)}
    for draft in list(drafts):
        if draft.session.slot != LONG_SLOT:
            continue
        found = by_date.get(draft.date - one)
        if found is None or drafts[found].session.slot == LONG_SLOT:
            continue
        before = drafts[found]
        if before.session.hard:
            before = downgrade(before, "easy run: the next day is the long run")
        if before.session.kind != RECOVERY_KIND:
            session = replace(before.session, kind=RECOVERY_KIND, workout=None)
            before = replace(
                before,
                session=session,
                notes=(*before.notes, "recovery run: the next day is the long run"),
            )
        drafts[found] = before
    _race_week_strides(drafts)


RACE_WEEK_LONG_DAYS: Final = 5
"""A long run this many days before the race or fewer becomes an easy run (our rule)."""
RACE_WEEK_EASY_SLOT: Final = "race-week-easy"


def _race_week_long_run(drafts: list[Draft], race_date: dt.date) -> None:
    """A long run 1–``RACE_WEEK_LONG_DAYS`` days before the race, in place: an easy run,
    so the day before it need not be a recovery run (our rule: a long run a few days before
    a race is no coach's, and in a race week of two or three runs the long run's 30 % of
    the week, beside a recovery run of at most 1 h before it, held the taper at 62–66 %
    below the peak, deeper than Bosquet's 60 %)."""
    for i, draft in enumerate(drafts):
        days = (race_date - draft.date).days
        if draft.session.slot == LONG_SLOT and 0 < days <= RACE_WEEK_LONG_DAYS:
            session = replace(
                draft.session, slot=RACE_WEEK_EASY_SLOT, kind=EASY_KIND, hard=False, workout=None
            )
            why = f"easy run, not a long run: the race is {days} days later"
            drafts[i] = replace(draft, session=session, notes=(*draft.notes, why))


def _race_week_strides(drafts: list[Draft]) -> None:
    """Race week (the last draft's) with no quality session and no strides besides the race
    (its quality session's day is race day, or the limits of ``week`` left none), in place:
    its latest easy run (not the long run, nor the recovery run before it) becomes an easy
    run with strides, as a coach keeps race week sharp (Bosquet 2007: intensity kept)."""
    if not drafts:
        return
    week = [i for i, d in enumerate(drafts) if d.week == drafts[-1].week]
    if any(drafts[i].session.hard or drafts[i].session.kind == RACE_EVE_KIND for i in week):
        return
    for i in reversed(week):
        draft = drafts[i]
        if (
            draft.session.kind == EASY_KIND
            and draft.session.slot != LONG_SLOT
            and draft.session.workout is None
        ):
            session = replace(draft.session, kind=RACE_EVE_KIND)
            why = "easy run and strides: race week keeps some fast running (no quality session)"
            drafts[i] = replace(draft, session=session, notes=(*draft.notes, why))
            return


def _quality_day_allowed(drafts: list[Draft], i: int, race_date: dt.date) -> bool:
    """Whether race week's quality session may move to ``drafts[i]``: an easy day two days
    or more before the race, not next to a hard day or the long run."""
    draft = drafts[i]
    if draft.session.hard or draft.session.slot == LONG_SLOT:
        return False
    if draft.session.kind not in (EASY_KIND, RECOVERY_KIND) or draft.session.workout is not None:
        return False
    if (race_date - draft.date).days < 2:
        return False
    one = dt.timedelta(days=1)
    near = {draft.date - one, draft.date + one}
    return not any(
        d.date in near and (d.session.hard or d.session.slot == LONG_SLOT) for d in drafts
    )


def _race_eve(drafts: list[Draft], race_date: dt.date) -> None:
    """The session the day before the race (the last draft), in place: an easy run with
    strides (a coach keeps sharpness in race week: strides the day before the race,
    Daniels' R pace); a quality session there moved to an easy day of race week two days
    or more before the race where the days allow one (not next to a hard day or the long
    run) and race week holds no other, so the taper keeps its intensity (Bosquet 2007)."""
    eve = drafts[-1]
    if eve.session.kind == RACE_EVE_KIND and not eve.session.hard:
        return
    week = [i for i, d in enumerate(drafts) if d.week == eve.week and i != len(drafts) - 1]
    if eve.session.hard and not any(drafts[i].session.hard for i in week):
        allowed = [i for i in week if _quality_day_allowed(drafts, i, race_date)]
        if allowed:
            # The latest such day: the session nearest where it was planned.
            k = allowed[-1]
            easy = drafts[k]
            drafts[k] = replace(
                eve,
                date=easy.date,
                session=replace(eve.session, weekday=easy.session.weekday),
                notes=(*eve.notes, "moved from the day before the race: race week keeps it"),
            )
            eve = replace(
                easy, date=eve.date, session=replace(easy.session, weekday=eve.session.weekday)
            )
    why = "easy run and strides: the next day is the race (race week keeps some fast running)"
    session = replace(
        eve.session, kind=RACE_EVE_KIND, hard=False, workout=None, downgraded=eve.session.hard
    )
    drafts[-1] = replace(eve, session=session, notes=(*eve.notes, why))


def _balance(targets: list[float], lows: list[float], highs: list[float]) -> list[float]:
    """``targets`` moved into [low, high] each with their sum kept, proportionally to
    themselves; when the sum is beyond every bound, proportional to the bounds."""
    total = sum(targets)
    if total >= sum(highs):
        scale = total / sum(highs)
        return [h * scale for h in highs]
    if total <= sum(lows):
        scale = total / sum(lows)
        return [low * scale for low in lows]
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(targets)) if i not in fixed]
        left = total - sum(fixed.values())
        weight = sum(targets[i] for i in free)
        values = {i: targets[i] * left / weight for i in free}
        over = {i: highs[i] for i, v in values.items() if v > highs[i]}
        under = {i: lows[i] for i, v in values.items() if v < lows[i]}
        excess = sum(values[i] - h for i, h in over.items())
        deficit = sum(low - values[i] for i, low in under.items())
        if not over and not under:
            return [fixed.get(i, values.get(i, 0.0)) for i in range(len(targets))]
        fixed.update(over if excess >= deficit else under)


def _droppable(session: Session, priority: dict[str, int]) -> tuple[int, int]:
    """Order in which a too-light week gives up sessions: easy ones before hard ones,
    the lowest priority (the end of the pattern, fillers) first."""
    return (1 if session.hard else 0, -priority.get(session.slot, len(priority)))


def _spread(days: Sequence[int]) -> tuple[int, ...]:
    """The sorted gaps between weekdays ``days`` in a repeating week (as ``week``'s rule
    1: larger is more even)."""
    ordered = sorted(days)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    gaps.append(ordered[0] + WEEK_DAYS - ordered[-1])
    return tuple(sorted(gaps))


def _next_drop(sessions: list[Session], priority: dict[str, int], beginner: bool) -> Session | None:
    """The session a too-light (non-taper) week gives up next (module doc, rule 2): never
    the long run nor below ``MIN_SESSIONS``; easy ones first unless the runs left would
    then hold more quality sessions than ``quality_limit`` allows them, when the
    lowest-priority hard one goes."""
    candidates = [s for s in sessions if s.slot != LONG_SLOT]
    if len(sessions) <= MIN_SESSIONS or not candidates:
        return None
    hard = [s for s in candidates if s.hard]
    if len(hard) > quality_limit(len(sessions) - 1, beginner):
        return min(hard, key=lambda s: _droppable(s, priority))
    easy = [s for s in candidates if not s.hard] or candidates

    def left_spread(drop: Session) -> tuple[int, ...]:
        return _spread([s.weekday for s in sessions if s is not drop])

    # Of the easy runs, the one whose day off leaves the runs spread most evenly, then the
    # end of the pattern first.
    return max(easy, key=lambda s: (left_spread(s), tuple(-k for k in _droppable(s, priority))))


def fewest_runs(
    layout: tuple[Session, ...], pattern: Sequence[PatternSlot], beginner: bool
) -> tuple[Session, ...]:
    """``layout`` thinned as far as a too-light week may be (module doc, rule 2): the
    runs a plan's first week holds at the least; ``session_floor`` of it is the lowest
    first week (``layout.start_load``)."""
    priority = {p.slot: k for k, p in enumerate(pattern)}
    sessions = list(layout)
    while (drop := _next_drop(sessions, priority, beginner)) is not None:
        sessions.remove(drop)
    return tuple(sessions)


def _taper_droppable(draft: Draft, priority: dict[str, int]) -> tuple[int, int, int]:
    """Order in which a too-light taper week gives up sessions: easy ones before hard
    ones (intensity kept, Bosquet 2007), from the end of the pattern, the latest first
    (rest nearest the race)."""
    slot = -priority.get(draft.session.slot, len(priority))
    return (1 if draft.session.hard else 0, slot, -draft.date.toordinal())


def share_week_loads(
    drafts: list[Draft],
    outlines: tuple[WeekOutline, ...],
    inputs: PlanInputs,
    tag: str,
    out: WarningLog,
) -> list[Draft]:
    """Each week's load shared out so every session stays within its sensible length
    (``kinds.load_bounds``): the long run's share raised toward the race's long-run
    goal, sessions that would fall under their shortest length dropped in light weeks,
    then the targets balanced within the bounds (the week's sum kept). See ``generate``."""
    peak = max((w.load for w in outlines), default=0.0)
    long_goal = nominal_load("long", LONG_RUN_GOAL_S[tag])
    wanted_share = min(MAX_LONG_SHARE, long_goal / peak) if peak > 0 else 0.0
    by_week: dict[int, list[Draft]] = {}
    for draft in drafts:
        by_week.setdefault(draft.week, []).append(draft)
    result: list[Draft] = []
    thinned: list[int] = []
    body_runs: int | None = None  # the most runs a week before the taper held, when fewer
    most, full = 0, False
    for week in outlines:
        days = by_week.get(week.index, [])
        if not days:
            continue
        block = inputs.schema.blocks[week.block_index]
        priority = {p.slot: k for k, p in enumerate(block.pattern)}
        days = _raise_long_run(days, wanted_share * week.load)
        total = sum(d.target_load for d in days)
        # A taper week keeps at least 80 % of its sessions, rounded up (Bosquet 2007:
        # frequency kept; the race week's race counts as one): its volume comes down by
        # their lengths instead (three sessions keep three: with two, Daniels' shares of
        # the week could not all hold). Frequency kept means the runs the weeks before it
        # held: when every week before the taper gave up runs, a taper week has no more
        # runs (the race included) than the most they held, its easy ones going first.
        keep = 1
        taper = block.kind == "taper"
        if taper:
            race = 1 if week.index == outlines[-1].index else 0
            held = len(days) + race if body_runs is None else min(len(days) + race, body_runs)
            keep = max(1, math.ceil(TAPER_FREQUENCY * held - 1e-9) - race)
            while len(days) > max(keep, held - race):
                candidates = [d for d in days if d.session.slot != LONG_SLOT]
                if not candidates:
                    break
                gone = min(candidates, key=lambda d: _taper_droppable(d, priority))
                days = [d for d in days if d is not gone]
            days = [
                replace(d, target_load=d.target_load * total / sum(e.target_load for e in days))
                for d in days
            ]
        asked = len(days)
        while len(days) > keep:
            lows = [load_bounds(d.session.kind, tag)[0] for d in days]
            if sum(lows) <= total:
                break
            drop: Draft | None
            if taper:
                # A taper week keeps its intensity: its easy sessions go first.
                candidates = [d for d in days if d.session.slot != LONG_SLOT]
                drop = min(candidates, key=lambda d: _taper_droppable(d, priority), default=None)
            else:
                dropped = _next_drop([d.session for d in days], priority, inputs.beginner)
                drop = next((d for d in days if d.session is dropped), None)
            if drop is None:
                break
            days = [d for d in days if d is not drop]
            share = total / sum(d.target_load for d in days)
            days = [replace(d, target_load=d.target_load * share) for d in days]
        if not taper:
            # The most runs a week before the taper held (the peak's), unless one held
            # every session it was given.
            full = full or len(days) == asked
            most = max(most, len(days))
            body_runs = None if full else most
        if len(days) < asked and not taper:
            days[0] = replace(days[0], notes=(*days[0].notes, _fewer_runs_note(
                len(days), asked, week, first=week.index == outlines[0].index,
                no_history=_no_history(inputs),
            )))  # fmt: skip
            if not week.recovery:
                thinned.append(week.index)
        bounds = [load_bounds(d.session.kind, tag) for d in days]
        balanced = _balance(
            [d.target_load for d in days], [b[0] for b in bounds], [b[1] for b in bounds]
        )
        result.extend(replace(d, target_load=t) for d, t in zip(days, balanced, strict=True))
    if thinned:
        weeks = sorted(set(thinned))
        out.add(
            WarningCode.LIGHT_WEEKS,
            f"week(s) {week_ranges(weeks)} have fewer runs than asked: their load cannot hold "
            "every run at its shortest sensible length (a plan from little or no recent "
            "running starts with fewer runs, not a bigger first week); the others come back "
            "as the weekly load grows (see each week's first day)",
        )
    result.sort(key=lambda d: d.date)
    return result


def _no_history(inputs: PlanInputs) -> bool:
    """No recent running: no last four weeks' load (or none) and fitness 0."""
    return current_load(inputs.start_state.ctl, inputs.recent_weekly_load) <= 0.0


def _fewer_runs_note(
    runs: int, asked: int, week: WeekOutline, first: bool, no_history: bool
) -> str:
    """The note on the first day of a week that gives up runs (module doc, rule 2)."""
    if week.recovery:
        why = f"a recovery week's load holds {runs} runs at their shortest"
        back = "the others come back after it"
    elif first and no_history:
        why = f"a first week from no recent running holds {runs} runs at their shortest"
        back = "the others come back as the volume grows"
    else:
        why = f"this week's load holds {runs} runs at their shortest"
        back = "the others come back as the volume grows"
    return f"{runs} runs this week, not {asked}: {why}; {back}"


def _raise_long_run(days: list[Draft], wanted: float) -> list[Draft]:
    """The long run's target raised to ``wanted``, the other days lowered to keep the sum."""
    long = [d for d in days if d.session.slot == LONG_SLOT]
    if not long or len(days) == 1 or long[0].target_load >= wanted:
        return days
    total = sum(d.target_load for d in days)
    rest = total - long[0].target_load
    wanted = min(wanted, total)
    scale = (total - wanted) / rest if rest > 0 else 0.0
    return [
        replace(d, target_load=wanted if d is long[0] else d.target_load * scale)
        for d in days
        if d is long[0] or scale > 0
    ]


def week_ranges(weeks: list[int]) -> str:
    """0-based week indexes as 1-based week numbers as ranges: ``3–5, 9``."""
    parts: list[str] = []
    start = prev = weeks[0]
    for week in [*weeks[1:], None]:
        if week is not None and week == prev + 1:
            prev = week
            continue
        parts.append(f"{start + 1}" if start == prev else f"{start + 1}–{prev + 1}")
        if week is not None:
            start = prev = week
    return ", ".join(parts)
