"""Plan schemas: the templates plans are generated from, and the rules they obey.

A schema is an ordered list of blocks (base, build, peak, recovery, then one taper, last),
each lasting some weeks, with a load progression and a week pattern: the sessions of a
week, each naming a kind of workout (or one workout), its share of the week's load and
whether it is a hard session. A load cap bounds every week. SCIENCE.md, "Plan
generation": progression +5 to +8 % a week (0 to 10 % accepted, so a peak block may
hold), a recovery week of −25 to −35 % every 3rd or 4th week, a taper of −40 to −60 %.

``PlanSchema`` checks itself on construction and raises one ``SchemaError`` listing every
problem with a JSON-pointer path (``/blocks/2/pattern/0/weight``), so one built in code
obeys the same rules as one read by ``parse.parse_schema``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, NamedTuple, get_args

__all__ = [
    "BLOCK_FIELDS",
    "BLOCK_KINDS",
    "LONG_SLOT",
    "MAX_HARD_SESSIONS",
    "WORKOUT_KINDS",
    "Block",
    "BlockHead",
    "BlockKind",
    "LoadCap",
    "PatternSlot",
    "PlanSchema",
    "Problem",
    "SchemaError",
    "WorkoutKind",
    "block_problems",
    "header_problems",
    "order_problems",
    "schema_problems",
]

BlockKind = Literal["base", "build", "peak", "recovery", "taper"]
WorkoutKind = Literal[
    "easy",
    "recovery",
    "long",
    "progression",
    "tempo",
    "threshold",
    "vo2max",
    "hills",
    "strides",
    "race-pace",
]
BLOCK_KINDS: Final[tuple[BlockKind, ...]] = get_args(BlockKind)
WORKOUT_KINDS: Final[tuple[WorkoutKind, ...]] = get_args(WorkoutKind)
"""The ``kind:`` tags of the workout library."""

LONG_SLOT: Final = "long"
"""The slot name reserved for the long run: it goes on the runner's long-run day."""
MAX_HARD_SESSIONS: Final = 3
"""Seven days hold at most three hard sessions without two on consecutive days."""
MAX_WEEKS: Final = 52
MAX_SESSIONS: Final = 7
WEIGHT_TOLERANCE: Final = 0.01
PROGRESSION_RANGE: Final = (0.0, 0.10)
RECOVERY_EVERY: Final = (3, 4)
RECOVERY_DROP_RANGE: Final = (0.25, 0.35)
TAPER_REDUCTION_RANGE: Final = (0.40, 0.60)
MAX_RAMP_RANGE: Final = (0.01, 0.25)
MAX_WEEKLY_LOAD: Final = 5000.0
"""Sanity bound on the absolute weekly cap (rTSS-like units; elite weeks are ~1000)."""

_PROGRESSING: Final = frozenset({"base", "build", "peak"})
BLOCK_FIELDS: Final[dict[str, frozenset[str]]] = {
    "base": frozenset({"progression", "recovery_every", "recovery_drop"}),
    "build": frozenset({"progression", "recovery_every", "recovery_drop"}),
    "peak": frozenset({"progression", "recovery_every", "recovery_drop"}),
    "recovery": frozenset({"recovery_drop"}),
    "taper": frozenset({"reduction"}),
}
"""The optional fields each block kind takes (all required for that kind)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a schema: where (a JSON pointer) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message}"


class SchemaError(ValueError):
    """An invalid plan schema; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid plan schema: " + "; ".join(str(p) for p in self.problems))


@dataclass(frozen=True, slots=True)
class PatternSlot:
    """One session of a week pattern.

    ``slot``: its name in the pattern (``LONG_SLOT`` = the long run, placed on the long-run
    day); ``kind``: the kind of workout; ``workout``: a specific library workout to use
    instead of rotating through the kind (the kind remains the fallback); ``weight``: its
    share of the week's load; ``hard``: a hard session (never the day after another).
    """

    slot: str
    kind: WorkoutKind
    weight: float
    hard: bool
    workout: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A run of weeks with one pattern. Which fields apply depends on ``kind``:

    - base, build, peak: ``progression`` (weekly growth fraction), ``recovery_every``
      (3 or 4: every 3rd or 4th week is a recovery week) and ``recovery_drop`` (0.25–0.35);
    - recovery: every week is a recovery week, ``recovery_drop`` below the last load;
    - taper: ``reduction`` (0.40–0.60), reached linearly by the block's last week.

    The pattern lists sessions in priority order: a runner with fewer training days
    drops sessions from the end (never the long run).
    """

    name: str
    kind: BlockKind
    weeks: int
    pattern: tuple[PatternSlot, ...]
    progression: float = 0.0
    recovery_every: int | None = None
    recovery_drop: float = 0.0
    reduction: float = 0.0


@dataclass(frozen=True, slots=True)
class LoadCap:
    """Weekly load bounds, rTSS-like units (100 = one hour at CS).

    ``max_ramp``: a week's load is at most (1 + max_ramp) × the higher of the two weeks
    before it (two, so a recovery week does not hold back the week after it);
    ``max_weekly``: absolute cap; ``min_weekly`` (above 0): floor for the first week when
    the runner's fitness (7 · CTL) is lower, as for a runner with no history.
    """

    max_ramp: float
    max_weekly: float
    min_weekly: float


@dataclass(frozen=True, slots=True)
class PlanSchema:
    """A validated plan schema (see the module doc); raises ``SchemaError`` if invalid."""

    name: str
    blocks: tuple[Block, ...]
    load_cap: LoadCap
    description: str = ""
    race_distance_m: float | None = None

    def __post_init__(self) -> None:
        problems = schema_problems(self)
        if problems:
            raise SchemaError(problems)

    @property
    def total_weeks(self) -> int:
        """Weeks of the schema as written."""
        return sum(block.weeks for block in self.blocks)

    @property
    def taper(self) -> Block:
        """The taper block (always the last)."""
        return self.blocks[-1]


def _in_range(value: float, bounds: tuple[float, float]) -> bool:
    return math.isfinite(value) and bounds[0] <= value <= bounds[1]


def _pattern_problems(pattern: Sequence[PatternSlot], path: str) -> list[Problem]:
    problems: list[Problem] = []
    if not 1 <= len(pattern) <= MAX_SESSIONS:
        problems.append(Problem(path, f"needs 1 to {MAX_SESSIONS} sessions, got {len(pattern)}"))
    seen: set[str] = set()
    for index, entry in enumerate(pattern):
        at = f"{path}/{index}"
        if not entry.slot.strip():
            problems.append(Problem(f"{at}/slot", "must not be empty"))
        elif entry.slot in seen:
            problems.append(Problem(f"{at}/slot", f"slot {entry.slot!r} appears twice"))
        seen.add(entry.slot)
        if entry.kind not in WORKOUT_KINDS:
            problems.append(
                Problem(
                    f"{at}/kind",
                    f"unknown kind {entry.kind!r}; expected one of " + ", ".join(WORKOUT_KINDS),
                )
            )
        if not (math.isfinite(entry.weight) and 0.0 < entry.weight <= 1.0):
            problems.append(
                Problem(f"{at}/weight", f"must be above 0 and at most 1, got {entry.weight!r}")
            )
        if entry.workout is not None and not entry.workout.strip():
            problems.append(Problem(f"{at}/workout", "must not be empty when given"))
    total = math.fsum(entry.weight for entry in pattern)
    if pattern and math.isfinite(total) and abs(total - 1.0) > WEIGHT_TOLERANCE:
        problems.append(
            Problem(path, f"weights must sum to 1 (±{WEIGHT_TOLERANCE:g}), got {total:.3f}")
        )
    hard = sum(entry.hard for entry in pattern)
    if hard > MAX_HARD_SESSIONS:
        problems.append(
            Problem(
                path,
                f"at most {MAX_HARD_SESSIONS} hard sessions a week "
                f"(more cannot avoid back-to-back hard days), got {hard}",
            )
        )
    return problems


def block_problems(block: Block, path: str) -> list[Problem]:
    """The rules one block (at JSON pointer ``path``) breaks."""
    problems: list[Problem] = []
    if not block.name.strip():
        problems.append(Problem(f"{path}/name", "must not be empty"))
    if block.kind not in BLOCK_KINDS:
        problems.append(
            Problem(
                f"{path}/kind",
                f"unknown block kind {block.kind!r}; expected one of " + ", ".join(BLOCK_KINDS),
            )
        )
    if isinstance(block.weeks, bool) or not 1 <= block.weeks <= MAX_WEEKS:
        problems.append(
            Problem(
                f"{path}/weeks",
                f"must be a whole number from 1 to {MAX_WEEKS}, got {block.weeks!r}",
            )
        )
    progressing = block.kind in _PROGRESSING
    if progressing and not _in_range(block.progression, PROGRESSION_RANGE):
        low, high = PROGRESSION_RANGE
        problems.append(
            Problem(
                f"{path}/progression",
                f"must be from {low:g} to {high:g} "
                f"(a weekly growth fraction), got {block.progression!r}",
            )
        )
    if progressing and block.recovery_every not in RECOVERY_EVERY:
        problems.append(
            Problem(
                f"{path}/recovery_every",
                "must be 3 or 4 (every 3rd or 4th "
                f"week is a recovery week), got {block.recovery_every!r}",
            )
        )
    if (progressing or block.kind == "recovery") and not _in_range(
        block.recovery_drop, RECOVERY_DROP_RANGE
    ):
        low, high = RECOVERY_DROP_RANGE
        problems.append(
            Problem(
                f"{path}/recovery_drop",
                f"must be from {low:g} to {high:g}, got {block.recovery_drop!r}",
            )
        )
    if block.kind == "taper" and not _in_range(block.reduction, TAPER_REDUCTION_RANGE):
        low, high = TAPER_REDUCTION_RANGE
        problems.append(
            Problem(
                f"{path}/reduction",
                f"must be from {low:g} to {high:g} "
                f"(of the peak week's load), got {block.reduction!r}",
            )
        )
    problems.extend(_pattern_problems(block.pattern, f"{path}/pattern"))
    return problems


def _cap_problems(cap: LoadCap) -> list[Problem]:
    problems: list[Problem] = []
    if not _in_range(cap.max_ramp, MAX_RAMP_RANGE):
        low, high = MAX_RAMP_RANGE
        problems.append(
            Problem("/load/max_ramp", f"must be from {low:g} to {high:g}, got {cap.max_ramp!r}")
        )
    if not _in_range(cap.max_weekly, (1.0, MAX_WEEKLY_LOAD)):
        problems.append(
            Problem(
                "/load/max_weekly", f"must be from 1 to {MAX_WEEKLY_LOAD:g}, got {cap.max_weekly!r}"
            )
        )
    if not (math.isfinite(cap.min_weekly) and cap.min_weekly > 0.0):
        problems.append(Problem("/load/min_weekly", f"must be above 0, got {cap.min_weekly!r}"))
    elif math.isfinite(cap.max_weekly) and cap.min_weekly > cap.max_weekly:
        problems.append(Problem("/load/min_weekly", "must not exceed max_weekly"))
    return problems


class BlockHead(NamedTuple):
    """What the rules on the order of blocks look at."""

    name: str
    kind: str
    weeks: int


def order_problems(blocks: Sequence[BlockHead]) -> list[Problem]:
    """The rules the sequence of blocks breaks: one taper, last, after a block that is not
    a recovery block (the taper starts from the load reached); unique names; length."""
    problems: list[Problem] = []
    tapers = [index for index, block in enumerate(blocks) if block.kind == "taper"]
    if not tapers:
        problems.append(Problem("/blocks", "a taper block is missing; it must be the last block"))
    for index in tapers:
        if index != len(blocks) - 1:
            problems.append(Problem(f"/blocks/{index}/kind", "the taper must be the last block"))
    if len(blocks) - len(tapers) < 1:
        problems.append(Problem("/blocks", "needs at least one block before the taper"))
    if len(blocks) >= 2 and blocks[-2].kind == "recovery":
        index = len(blocks) - 2
        problems.append(
            Problem(f"/blocks/{index}/kind", "a recovery block cannot come just before the taper")
        )
    names: set[str] = set()
    for index, block in enumerate(blocks):
        if block.name in names:
            problems.append(Problem(f"/blocks/{index}/name", f"block {block.name!r} appears twice"))
        names.add(block.name)
    total = sum(block.weeks for block in blocks)
    if total > MAX_WEEKS:
        problems.append(Problem("/blocks", f"at most {MAX_WEEKS} weeks in all, got {total}"))
    return problems


def header_problems(name: str | None, distance: float | None, cap: LoadCap | None) -> list[Problem]:
    """The rules the top-level fields break; ``None`` skips a field that could not be read."""
    problems: list[Problem] = []
    if name is not None and not name.strip():
        problems.append(Problem("/name", "must not be empty"))
    if distance is not None and not (math.isfinite(distance) and distance > 0):
        problems.append(Problem("/race_distance_m", f"must be positive, got {distance!r}"))
    if cap is not None:
        problems.extend(_cap_problems(cap))
    return problems


def schema_problems(schema: PlanSchema) -> list[Problem]:
    """Every rule ``schema`` breaks (empty when valid); see the module doc."""
    problems = header_problems(schema.name, schema.race_distance_m, schema.load_cap)
    if not schema.blocks:
        problems.append(Problem("/blocks", "needs at least one block"))
        return problems
    for index, block in enumerate(schema.blocks):
        problems.extend(block_problems(block, f"/blocks/{index}"))
    problems.extend(order_problems([BlockHead(b.name, b.kind, b.weeks) for b in schema.blocks]))
    return problems
