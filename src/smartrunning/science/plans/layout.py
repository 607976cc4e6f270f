"""Weeks of a plan: blocks laid backwards from race day, and each week's target load.

SCIENCE.md, "Plan generation". Plan weeks are seven days ending on race day, so the last
week ends with the race and the plan starts on ``race_date − 7 · weeks + 1``.

Block lengths (``block_weeks``):

- the taper keeps its schema length; only a plan shorter than the taper is all taper;
- the other blocks share the remaining weeks R in proportion to their schema lengths, by
  largest remainder with at least one week each: block b's ideal share is
  R · weeks_b / Σ weeks; each block gets max(1, ⌊ideal⌋); while the total is over R one
  week comes off the block most above its ideal (among blocks of 2 weeks or more), while
  under R one week goes to the block most below it; ties go to the earlier block;
- when R is smaller than the number of blocks, the blocks nearest the race keep one week
  each and the earlier ones are dropped (laid backwards from race day).

Weekly loads (``week_loads``, rTSS-like units, 100 = one hour at CS):

- week 0 starts at the runner's current weekly load: the mean of the last four weeks'
  actual load (``PlanInputs.recent_weekly_load``; 7 · CTL when not given), raised to the
  schema's ``min_weekly`` (a runner with no history starts at the schema's base) and to
  the load that holds the first week's fewest runs at their shortest
  (``days.fewest_runs``: a lighter week plans fewer runs, not a bigger load), but never above
  (1 + ``MAX_WEEKLY_GROWTH``) × the current load when there is one (the growth cap first:
  a floor never beats it), capped at ``max_weekly``;
- a build week grows the last build week's load by its block's progression, capped at
  ``max_weekly``, at (1 + ``max_ramp``, never above ``MAX_WEEKLY_GROWTH`` = 10 %) × the
  higher of the two weeks before it, at ``MAX_ACWR`` (1.3) × the mean of the four weeks
  before it (the acute:chronic ratio; the weeks before the plan count at the start load;
  Gabbett, BJSM 2016; Nielsen et al., JOSPT 2014) and at the block's capacity: what its
  week's sessions carry at their longest sensible lengths (``days.session_capacity``),
  so a runner with few training days is not asked for more than their days hold (the
  first week too);
- every ``recovery_every``-th week (the block's, or the plan's override, e.g. 3 for the
  2:1 cycle of masters runners; counted over build weeks since the last recovery,
  across blocks) is a recovery week at the last build load (or the next week's block
  capacity, when lower) × (1 − ``recovery_drop``),
  except a week followed by a recovery block or the taper, which are easier already;
- a recovery block's weeks are all recovery weeks;
- taper week j of n: peak × (1 − r_j), r_j stepping evenly from 0.8 to 1.2 × the
  schema's reduction (``taper_reduction``; one week: the reduction), so the taper as a
  whole is at peak × (1 − reduction) on average — Bosquet et al. (MSSE 2007) found
  −41 to −60 % of volume over the taper best, the schemas use 45–55 % — where
  peak × (1 − reduction · j / n) had left a 2–3 week taper at only 33–38 %; the
  intensity of the sessions is kept. The peak is the load
  of the week before the taper (or the start load when there is none): always a build
  week (no recovery week, no recovery block just before the taper), so at the top of the
  progression in any sane schema, and the taper never rises above the week before it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from smartrunning.science.plans.schema import PlanSchema

__all__ = [
    "WEEK_DAYS", "WeekOutline", "block_weeks", "current_load", "plan_start", "start_load",
    "taper_reduction", "week_loads",
]  # fmt: skip

WEEK_DAYS: Final = 7
MAX_WEEKLY_GROWTH: Final = 0.10
"""Weekly load grows by at most 10 % (SCIENCE.md "Volume"), whatever the schema says."""
MAX_ACWR: Final = 1.3
"""A week's load is at most 1.3 × the mean of the four weeks before it (Gabbett 2016)."""
CHRONIC_WEEKS: Final = 4
MAX_TAPER_REDUCTION: Final = 0.5
"""The taper's load comes down by at most half: with the sessions' intensity kept, the
distance run falls further than the load (by 5–15 points in the shipped schemas), and
Bosquet's range for volume ends at −60 %."""
TAPER_SPREAD: Final = 0.2
"""Taper weeks step from 80 % to 120 % of the taper's reduction (mean: the reduction)."""
MIN_HISTORY_LOAD: Final = 10.0
"""A current weekly load below this (≈ 17 min of easy running) is no history: the schema's
floor stands instead of the 10 % growth cap (our choice)."""


@dataclass(frozen=True, slots=True)
class WeekOutline:
    """Week ``index`` (0 = the first) of ``schema.blocks[block_index]``; ``load`` its target."""

    index: int
    block_index: int
    recovery: bool
    load: float


def taper_reduction(reduction: float, week: int, weeks: int) -> float:
    """Taper week ``week`` (1 … ``weeks``)'s reduction from the peak: ``reduction`` over
    the taper as a whole (Bosquet et al. 2007: −41 to −60 % of volume), stepping from
    (1 − ``TAPER_SPREAD``) × to (1 + ``TAPER_SPREAD``) × it (progressive; one week: all of it)."""
    reduction = min(reduction, MAX_TAPER_REDUCTION)
    if weeks <= 1:
        return reduction
    return reduction * (1.0 + TAPER_SPREAD * (2 * week - weeks - 1) / (weeks - 1))


def plan_start(race_date: dt.date, weeks: int) -> dt.date:
    """The first day of a plan of ``weeks`` whole weeks ending on ``race_date``."""
    if weeks < 1:
        raise ValueError(f"a plan needs at least one week, got {weeks}")
    return race_date - dt.timedelta(days=WEEK_DAYS * weeks - 1)


def current_load(ctl: float, recent: float | None) -> float:
    """The runner's current weekly load: ``recent`` (the last four weeks' mean), 7 · CTL
    when it is not given."""
    return WEEK_DAYS * ctl if recent is None else recent


def start_load(
    schema: PlanSchema, ctl: float, sessions_floor: float = 0.0, recent: float | None = None
) -> float:
    """The first week's load: ``recent`` (the last four weeks' mean; 7 · CTL when None)
    raised to the schema's floor (and to ``sessions_floor``, the load that holds the first
    week's fewest runs at their shortest, ``days.fewest_runs``); the schema's floor never
    more than 10 % above ``recent`` when the runner has any (≥ ``MIN_HISTORY_LOAD``;
    SCIENCE.md "Volume": growth ≤ ~10 % a week, the floor does not beat it), the fewest
    runs at their shortest still held (a session is not planned shorter than its kind
    allows), then capped at the schema's cap."""
    if not (math.isfinite(ctl) and ctl >= 0.0):
        raise ValueError(f"CTL must be a finite number ≥ 0, got {ctl!r}")
    cap = schema.load_cap
    current = current_load(ctl, recent)
    raised = max(current, cap.min_weekly)
    if current >= MIN_HISTORY_LOAD:  # the 10 % growth cap first: the floor never beats it
        raised = min(raised, current * (1.0 + MAX_WEEKLY_GROWTH))
    return min(max(raised, sessions_floor), cap.max_weekly)


def _proportional(weights: Sequence[int], total: int) -> list[int]:
    """Largest remainder with at least 1 each (``total`` ≥ len(weights)); see module doc."""
    scale = total / sum(weights)
    ideal = [w * scale for w in weights]
    alloc = [max(1, math.floor(x)) for x in ideal]
    order = range(len(weights))
    while sum(alloc) > total:
        over = [i for i in order if alloc[i] > 1]
        i = max(over, key=lambda k: (alloc[k] - ideal[k], -k))
        alloc[i] -= 1
    while sum(alloc) < total:
        i = max(order, key=lambda k: (ideal[k] - alloc[k], -k))
        alloc[i] += 1
    return alloc


def block_weeks(schema: PlanSchema, weeks: int) -> tuple[int, ...]:
    """Weeks given to each block of ``schema`` in a plan of ``weeks`` (0 = dropped)."""
    if weeks < 1:
        raise ValueError(f"a plan needs at least one week, got {weeks}")
    taper = min(schema.taper.weeks, weeks)
    rest = weeks - taper
    before = [block.weeks for block in schema.blocks[:-1]]
    if rest == 0:
        return (*(0 for _ in before), taper)
    if rest < len(before):
        kept = [0] * (len(before) - rest) + [1] * rest
        return (*kept, taper)
    return (*_proportional(before, rest), taper)


def week_loads(
    schema: PlanSchema,
    lengths: Sequence[int],
    first_load: float,
    capacity: Sequence[float] | None = None,
    recovery_every: int | None = None,
) -> tuple[WeekOutline, ...]:
    """Each week's block, recovery flag and target load (see the module doc);
    ``capacity``: per block, the most its week's sessions carry (no limit when None);
    ``recovery_every``: overrides every block's (None: the schema's)."""
    if len(lengths) != len(schema.blocks):
        raise ValueError("one length per block is needed")
    limit = list(capacity) if capacity is not None else [math.inf] * len(lengths)
    blocks = [index for index, n in enumerate(lengths) for _ in range(n)]
    cap = schema.load_cap
    taper_index = len(schema.blocks) - 1
    pre_taper = [b for b in blocks if b != taper_index]
    loads: list[float] = []
    recovery: list[bool] = []
    last_build = first_load
    since_recovery = 0
    for week, block_index in enumerate(pre_taper):
        block = schema.blocks[block_index]
        every = recovery_every if recovery_every is not None else block.recovery_every
        following = blocks[week + 1] if week + 1 < len(blocks) else taper_index
        next_builds = following != taper_index and schema.blocks[following].kind != "recovery"
        if block.kind == "recovery":
            load, is_recovery = last_build * (1.0 - block.recovery_drop), True
        elif week == 0:
            load, is_recovery = min(first_load, limit[block_index]), False
        elif every is not None and since_recovery >= every - 1 and next_builds:
            # Below the next week even when that week's block carries less.
            base = min(last_build, limit[following])
            load, is_recovery = base * (1.0 - block.recovery_drop), True
        else:
            ramp_cap = (1.0 + min(cap.max_ramp, MAX_WEEKLY_GROWTH)) * max(loads[-2:])
            chronic = ([first_load] * CHRONIC_WEEKS + loads)[-CHRONIC_WEEKS:]
            load = min(
                last_build * (1.0 + block.progression),
                ramp_cap,
                MAX_ACWR * sum(chronic) / CHRONIC_WEEKS,
                cap.max_weekly,
                limit[block_index],
            )
            is_recovery = False
        if is_recovery:
            since_recovery = 0
        else:
            since_recovery += 1
            last_build = load
        loads.append(load)
        recovery.append(is_recovery)
    taper_weeks = len(blocks) - len(pre_taper)
    peak = loads[-1] if loads else first_load
    for j in range(1, taper_weeks + 1):
        loads.append(peak * (1.0 - taper_reduction(schema.taper.reduction, j, taper_weeks)))
        recovery.append(False)
    return tuple(
        WeekOutline(index, block_index, recovery[index], loads[index])
        for index, block_index in enumerate(blocks)
    )
