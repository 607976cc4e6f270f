"""One week's sessions: which weekdays, which pattern entry on each, and the hard-day rule.

SCIENCE.md, "Plan generation": sessions only on the runner's training days, the long run
on the long-run day, hard sessions not on consecutive days. Weekdays are 0 = Monday …
6 = Sunday (``datetime.date.weekday``). The week repeats, so Sunday and Monday count as
consecutive. Every choice is deterministic; the rules, in order:

1. Days: with as many sessions as training days, every training day. With fewer, the
   long-run day plus the other training days that spread the sessions most evenly (the
   sorted gaps between session days, smallest first, as large as possible), ties to the
   earliest days.
2. Sessions: the pattern lists them in priority order. With fewer session days than
   entries, entries are dropped from the end (never the long run); with more, easy
   fillers are added, each weighted like the pattern's lightest easy entry. Weights are
   then rescaled to sum to 1.
3. At most ``quality_limit`` hard (quality) sessions a week (SCIENCE.md "Quality
   sessions"): the ones beyond it, lowest priority first, become easy runs. The long run
   goes on the long-run day. Hard sessions take the set of free days that
   (a) has no two hard days adjacent, the long run included when it is hard, and no hard
   day the day before the long run (an easy or rest day comes before it);
   (b) keeps hard days off the day after the long run where possible;
   (c) spreads hard days most; ties to the earliest days. When no such set exists for
   every hard session, the lowest-priority hard sessions are downgraded to easy runs
   (``downgraded``) until one does.
4. In the order of the week starting the day after the long run, hard sessions (in
   priority order) fill the hard days and the other sessions fill the remaining days;
   the session the day before the long run becomes a recovery run.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from smartrunning.science.plans.schema import LONG_SLOT, PatternSlot, WorkoutKind

__all__ = [
    "EASY_KIND",
    "Session",
    "adjacent",
    "quality_limit",
    "session_days",
    "week_sessions",
]

RECOVERY_KIND: Final[WorkoutKind] = "recovery"
EASY_KIND: Final[WorkoutKind] = "easy"
"""What a downgraded hard session or a filler session becomes."""
_DAYS: Final = 7


@dataclass(frozen=True, slots=True)
class Session:
    """A session of the week on ``weekday``; ``weight`` is its share of the week's load."""

    weekday: int
    slot: str
    kind: WorkoutKind
    weight: float
    hard: bool
    workout: str | None = None
    downgraded: bool = False


def quality_limit(training_days: int, beginner: bool = False) -> int:
    """Quality (hard) sessions a week: one at three training days or fewer or for a
    beginner, two at four to six, three at seven (Daniels' Running Formula: one or two
    "Q" days a week, three only for runners training every day; SCIENCE.md "Quality
    sessions")."""
    if training_days <= 3 or beginner:
        return 1
    if training_days <= 6:
        return 2
    return 3


def adjacent(a: int, b: int) -> bool:
    """Whether weekdays ``a`` and ``b`` are consecutive in a repeating week."""
    return (a - b) % _DAYS in (1, _DAYS - 1)


def _gaps(days: Sequence[int]) -> tuple[int, ...]:
    """Sorted circular gaps between sorted weekdays (a single day has one gap of 7)."""
    ordered = sorted(days)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    gaps.append(ordered[0] + _DAYS - ordered[-1])
    return tuple(sorted(gaps))


def _check_days(training_days: Collection[int], long_day: int) -> None:
    if not training_days or any(not 0 <= d < _DAYS for d in training_days):
        raise ValueError(f"training days must be weekdays 0–6, got {sorted(training_days)}")
    if long_day not in training_days:
        raise ValueError(f"the long-run day {long_day} is not a training day")


def session_days(training_days: Collection[int], long_day: int, count: int) -> tuple[int, ...]:
    """The weekdays that hold ``count`` sessions (rule 1 of the module doc), ascending."""
    _check_days(training_days, long_day)
    if count < 1:
        raise ValueError(f"at least one session a week, got {count}")
    days = sorted(set(training_days))
    if count >= len(days):
        return tuple(days)
    others = [d for d in days if d != long_day]
    best: tuple[int, ...] = ()
    best_key: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    for chosen in itertools.combinations(others, count - 1):
        candidate = tuple(sorted((long_day, *chosen)))
        key = (_gaps(candidate), tuple(-d for d in candidate))
        if best_key is None or key > best_key:
            best, best_key = candidate, key
    return best


def _fit_pattern(pattern: Sequence[PatternSlot], count: int) -> list[PatternSlot]:
    """Rule 2: drop from the end (keeping the long run) or add easy fillers; rescale."""
    entries = list(pattern)
    if len(entries) > count:
        long = [e for e in entries if e.slot == LONG_SLOT][:count]
        others = [e for e in entries if e.slot != LONG_SLOT][: count - len(long)]
        kept = {id(e) for e in (*long, *others)}
        entries = [e for e in entries if id(e) in kept]
    easy = [e.weight for e in entries if not e.hard] or [e.weight for e in entries]
    filler = min(easy)
    names = {e.slot for e in entries}
    number = 1
    while len(entries) < count:
        while f"easy-extra-{number}" in names:
            number += 1
        entries.append(PatternSlot(f"easy-extra-{number}", EASY_KIND, filler, False))
        names.add(f"easy-extra-{number}")
    total = sum(e.weight for e in entries)
    return [PatternSlot(e.slot, e.kind, e.weight / total, e.hard, e.workout) for e in entries]


def _no_adjacent(days: Iterable[int]) -> bool:
    return not any(adjacent(a, b) for a, b in itertools.combinations(days, 2))


def _hard_days(
    free: Sequence[int], count: int, long_day: int | None, long_hard: bool
) -> tuple[int, ...] | None:
    """Rule 3: the best ``count`` hard days among ``free``, or None when none fits."""
    fixed = (long_day,) if long_day is not None and long_hard else ()
    best: tuple[int, ...] | None = None
    best_key: tuple[int, int, tuple[int, ...]] | None = None
    for chosen in itertools.combinations(free, count):
        hard = (*fixed, *chosen)
        if not _no_adjacent(hard):
            continue
        if long_day is not None and (long_day - 1) % _DAYS in chosen:
            continue
        if long_day is None or long_hard or not chosen:
            off_long = 2
        else:
            off_long = min(
                2, min(min((d - long_day) % _DAYS, (long_day - d) % _DAYS) for d in chosen)
            )
        spread = min(_gaps(hard)) if len(hard) > 1 else _DAYS
        key = (off_long, spread, tuple(-d for d in chosen))
        if best_key is None or key > best_key:
            best, best_key = chosen, key
    return best


def week_sessions(
    pattern: Sequence[PatternSlot],
    training_days: Collection[int],
    long_day: int,
    sessions_per_week: int,
    max_hard: int = 7,
) -> tuple[Session, ...]:
    """The week's sessions by weekday, following the module doc's rules; weights sum to 1.
    ``max_hard``: the week's quality limit (``quality_limit``)."""
    days = session_days(training_days, long_day, sessions_per_week)
    entries = _fit_pattern(pattern, len(days))
    long = next((e for e in entries if e.slot == LONG_SLOT), None)
    others = [e for e in entries if e is not long]
    free = [d for d in days if long is None or d != long_day]
    hard = [e for e in others if e.hard]
    count = min(len(hard), max_hard)
    chosen = _hard_days(free, count, long_day if long else None, bool(long and long.hard))
    while chosen is None:
        count -= 1
        chosen = _hard_days(free, count, long_day if long else None, bool(long and long.hard))
    start = long_day + 1

    def week_order(day: int) -> int:
        return (day - start) % _DAYS

    placed: list[Session] = []
    if long is not None:
        placed.append(Session(long_day, long.slot, long.kind, long.weight, long.hard, long.workout))
    kept_hard = hard[:count]
    for day, entry in zip(sorted(chosen, key=week_order), kept_hard, strict=True):
        placed.append(Session(day, entry.slot, entry.kind, entry.weight, True, entry.workout))
    rest_days = sorted((d for d in free if d not in chosen), key=week_order)
    rest = [e for e in others if not e.hard or e not in kept_hard]
    for day, entry in zip(rest_days, rest, strict=True):
        if entry.hard:
            placed.append(Session(day, entry.slot, EASY_KIND, entry.weight, False, None, True))
        else:
            placed.append(Session(day, entry.slot, entry.kind, entry.weight, False, entry.workout))
    if long is not None:
        # An easy or rest day before the long run (SCIENCE.md "Quality sessions"): the
        # session the day before is a recovery run, whatever the pattern put there.
        before = (long_day - 1) % _DAYS
        placed = [
            replace(s, kind=RECOVERY_KIND, workout=None)
            if s.weekday == before and not s.hard and s.slot != LONG_SLOT
            else s
            for s in placed
        ]
    return tuple(sorted(placed, key=lambda s: s.weekday))
