"""The plan's calendar before workouts are chosen: sessions on dates, hard days apart.

Each block's week (``week.week_sessions``) repeats over the block's weeks; a session's
target load is its weight × its week's load (``layout``); the session that would fall on
race day gives way to the race, so the race week's sessions add up to less than its load.

Across weeks (the last day of one block next to the first of the next, or the day before
the race) hard days are kept apart too (SCIENCE.md, "Plan generation"): of two hard days
in a row the later becomes an easy run, unless it is the long run, when the earlier does;
a hard session the day before the race becomes an easy run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from smartrunning.science.plans.layout import WEEK_DAYS, WeekOutline
from smartrunning.science.plans.model import PlanInputs, PlanWarning, WarningCode
from smartrunning.science.plans.schema import LONG_SLOT
from smartrunning.science.plans.week import EASY_KIND, Session, week_sessions

__all__ = [
    "Draft",
    "WarningLog",
    "block_layouts",
    "downgrade",
    "draft_days",
    "separate_hard_days",
]


class WarningLog:
    """Collects warnings, each once, in the order first raised."""

    def __init__(self) -> None:
        self._items: dict[PlanWarning, None] = {}

    def add(self, code: WarningCode, message: str) -> None:
        self._items.setdefault(PlanWarning(code, message), None)

    def extend(self, warnings: tuple[PlanWarning, ...]) -> None:
        for warning in warnings:
            self._items.setdefault(warning, None)

    def all(self) -> tuple[PlanWarning, ...]:
        return tuple(self._items)


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
    for index, block in enumerate(inputs.schema.blocks):
        layout = week_sessions(
            block.pattern, inputs.training_days, inputs.long_run_day, inputs.sessions_per_week
        )
        layouts[index] = layout
        kept = {s.slot for s in layout}
        dropped = [p.slot for p in block.pattern if p.slot not in kept]
        if dropped:
            out.add(
                WarningCode.FEW_TRAINING_DAYS,
                f"{block.name}: sessions {', '.join(dropped)} dropped for lack of session days",
            )
        for session in layout:
            if session.downgraded:
                out.add(
                    WarningCode.HARD_DOWNGRADED,
                    f"{block.name}: {session.slot} becomes an easy run, as hard days would "
                    "otherwise be back to back on these training days",
                )
    return layouts


def draft_days(
    inputs: PlanInputs,
    start: dt.date,
    outlines: tuple[WeekOutline, ...],
    layouts: dict[int, tuple[Session, ...]],
) -> list[Draft]:
    drafts: list[Draft] = []
    for week in outlines:
        first = start + dt.timedelta(days=WEEK_DAYS * week.index)
        for session in layouts[week.block_index]:
            date = first + dt.timedelta(days=(session.weekday - first.weekday()) % WEEK_DAYS)
            if date < inputs.race_date:
                drafts.append(Draft(date, week.index, session, week.load * session.weight))
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
    if drafts and drafts[-1].session.hard and drafts[-1].date == race_date - one:
        drafts[-1] = downgrade(drafts[-1], "easy run: the next day is the race")
