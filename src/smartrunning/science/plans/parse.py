"""Plan schemas from and to JSON-like data (the shipped files, the editor, the API).

``parse_schema`` reads an allow-listed dict: unknown keys are errors, every value is
type-checked, and the rules of ``schema.schema_problems`` run on every part that could be
read, so one ``SchemaError`` lists everything to fix, each with a JSON-pointer path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final, cast

from smartrunning.science.plans.schema import (
    BLOCK_FIELDS,
    Block,
    BlockHead,
    BlockKind,
    LoadCap,
    PatternSlot,
    PlanSchema,
    Problem,
    SchemaError,
    WorkoutKind,
    block_problems,
    header_problems,
    order_problems,
)

__all__ = ["parse_schema", "schema_to_dict"]

_TOP_KEYS: Final = frozenset({"name", "description", "race_distance_m", "load", "blocks"})
_LOAD_KEYS: Final = frozenset({"max_ramp", "max_weekly", "min_weekly"})
_SLOT_KEYS: Final = frozenset({"slot", "kind", "weight", "hard", "workout"})
_BLOCK_COMMON: Final = frozenset({"name", "kind", "weeks", "pattern"})


class _Missing:
    """Marks a value that could not be read (its problem is already recorded)."""


_MISSING: Final = _Missing()


class _Reader:
    """Reads typed values out of JSON-like data, recording a ``Problem`` per bad value."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> _Missing:
        self.problems.append(Problem(path, message))
        return _MISSING

    def mapping(self, value: object, path: str, allowed: Iterable[str]) -> Mapping[str, object]:
        if not isinstance(value, Mapping):
            self.fail(path, f"must be an object, got {type(value).__name__}")
            return {}
        known = frozenset(allowed)
        for key in value:
            if key not in known:
                self.fail(
                    f"{path}/{key}", "unknown key; expected one of " + ", ".join(sorted(known))
                )
        return value

    def field(self, obj: Mapping[str, object], key: str, path: str, *, required: bool) -> object:
        if key in obj:
            return obj[key]
        return self.fail(f"{path}/{key}", "is required") if required else None

    def string(
        self, obj: Mapping[str, object], key: str, path: str, *, required: bool = True
    ) -> str | _Missing | None:
        value = self.field(obj, key, path, required=required)
        if value is None or isinstance(value, (str, _Missing)):
            return value
        return self.fail(f"{path}/{key}", f"must be a string, got {type(value).__name__}")

    def number(
        self, obj: Mapping[str, object], key: str, path: str, *, required: bool = True
    ) -> float | _Missing | None:
        value = self.field(obj, key, path, required=required)
        if value is None or isinstance(value, _Missing):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.fail(f"{path}/{key}", f"must be a number, got {type(value).__name__}")
        return float(value)

    def integer(
        self, obj: Mapping[str, object], key: str, path: str, *, required: bool = True
    ) -> int | _Missing | None:
        value = self.field(obj, key, path, required=required)
        if value is None or isinstance(value, _Missing):
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            return self.fail(f"{path}/{key}", f"must be a whole number, got {value!r}")
        return value

    def boolean(self, obj: Mapping[str, object], key: str, path: str) -> bool | _Missing:
        value = self.field(obj, key, path, required=True)
        if isinstance(value, (bool, _Missing)):
            return value
        return self.fail(f"{path}/{key}", f"must be true or false, got {value!r}")

    def array(self, obj: Mapping[str, object], key: str, path: str) -> Sequence[object]:
        value = self.field(obj, key, path, required=True)
        if isinstance(value, _Missing):
            return ()
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            self.fail(f"{path}/{key}", f"must be a list, got {type(value).__name__}")
            return ()
        return value


def _read_slot(r: _Reader, value: object, path: str) -> PatternSlot | None:
    obj = r.mapping(value, path, _SLOT_KEYS)
    if not isinstance(value, Mapping):
        return None
    slot = r.string(obj, "slot", path)
    kind = r.string(obj, "kind", path)
    weight = r.number(obj, "weight", path)
    hard = r.boolean(obj, "hard", path)
    workout = r.string(obj, "workout", path, required=False)
    if (
        isinstance(slot, str)
        and isinstance(kind, str)
        and isinstance(weight, float)
        and isinstance(hard, bool)
        and not isinstance(workout, _Missing)
    ):
        # An unknown kind is kept so that the rule check names it.
        return PatternSlot(slot, cast(WorkoutKind, kind), weight, hard, workout)
    return None


def _read_block(r: _Reader, value: object, path: str) -> Block | None:
    kind_hint = value.get("kind") if isinstance(value, Mapping) else None
    extra = BLOCK_FIELDS.get(kind_hint, frozenset()) if isinstance(kind_hint, str) else None
    allowed = _BLOCK_COMMON | (
        extra if extra is not None else frozenset().union(*BLOCK_FIELDS.values())
    )
    obj = r.mapping(value, path, allowed)
    if not isinstance(value, Mapping):
        return None
    name = r.string(obj, "name", path)
    kind = r.string(obj, "kind", path)
    weeks = r.integer(obj, "weeks", path)
    fields = extra if extra is not None else frozenset()
    progression = r.number(obj, "progression", path, required="progression" in fields)
    every = r.integer(obj, "recovery_every", path, required="recovery_every" in fields)
    drop = r.number(obj, "recovery_drop", path, required="recovery_drop" in fields)
    reduction = r.number(obj, "reduction", path, required="reduction" in fields)
    slots = [
        _read_slot(r, entry, f"{path}/pattern/{i}")
        for i, entry in enumerate(r.array(obj, "pattern", path))
    ]
    pattern = tuple(slot for slot in slots if slot is not None)
    optional = (progression, every, drop, reduction)
    if (
        not (isinstance(name, str) and isinstance(kind, str) and isinstance(weeks, int))
        or any(isinstance(v, _Missing) for v in optional)
        or len(pattern) != len(slots)
    ):
        return None
    # An unknown kind is kept so that the rule check names it.
    return Block(
        name=name,
        kind=cast(BlockKind, kind),
        weeks=weeks,
        pattern=pattern,
        progression=progression if isinstance(progression, float) else 0.0,
        recovery_every=every if isinstance(every, int) else None,
        recovery_drop=drop if isinstance(drop, float) else 0.0,
        reduction=reduction if isinstance(reduction, float) else 0.0,
    )


def _head(value: object) -> BlockHead | None:
    """A block's name, kind and weeks when all three have the right type."""
    if not isinstance(value, Mapping):
        return None
    name, kind, weeks = value.get("name"), value.get("kind"), value.get("weeks")
    if isinstance(name, str) and isinstance(kind, str) and type(weeks) is int:
        return BlockHead(name, kind, weeks)
    return None


def parse_schema(data: object) -> PlanSchema:
    """A ``PlanSchema`` from JSON-like data; ``SchemaError`` listing every problem.

    Shape and type problems come first, then the rule problems (``schema_problems``) of
    every part that could be read, so one pass shows the author everything to fix.
    """
    r = _Reader()
    obj = r.mapping(data, "", _TOP_KEYS)
    if not isinstance(data, Mapping):
        raise SchemaError(r.problems)
    name = r.string(obj, "name", "")
    description = r.string(obj, "description", "", required=False)
    distance = r.number(obj, "race_distance_m", "", required=False)
    raw_load = r.field(obj, "load", "", required=True)
    max_ramp: float | _Missing | None = _MISSING
    max_weekly: float | _Missing | None = _MISSING
    min_weekly: float | _Missing | None = _MISSING
    if not isinstance(raw_load, _Missing):
        load = r.mapping(raw_load, "/load", _LOAD_KEYS)
        if isinstance(raw_load, Mapping):
            max_ramp = r.number(load, "max_ramp", "/load")
            max_weekly = r.number(load, "max_weekly", "/load")
            min_weekly = r.number(load, "min_weekly", "/load")
    raw_blocks = r.array(obj, "blocks", "")
    blocks = [_read_block(r, raw, f"/blocks/{i}") for i, raw in enumerate(raw_blocks)]
    problems = list(r.problems)
    for index, block in enumerate(blocks):
        if block is not None:
            problems.extend(block_problems(block, f"/blocks/{index}"))
    read = [block for block in blocks if block is not None]
    heads = [_head(raw) for raw in raw_blocks]
    known = [head for head in heads if head is not None]
    if known and len(known) == len(heads):
        problems.extend(order_problems(known))
    elif not raw_blocks and isinstance(obj.get("blocks"), list):
        problems.append(Problem("/blocks", "needs at least one block"))
    cap = None
    if (
        isinstance(max_ramp, float)
        and isinstance(max_weekly, float)
        and isinstance(min_weekly, float)
    ):
        cap = LoadCap(max_ramp, max_weekly, min_weekly)
    problems.extend(
        header_problems(
            name if isinstance(name, str) else None,
            distance if isinstance(distance, float) else None,
            cap,
        )
    )
    if problems or not isinstance(name, str) or cap is None:
        raise SchemaError(problems)
    return PlanSchema(
        name=name,
        blocks=tuple(read),
        load_cap=cap,
        description=description if isinstance(description, str) else "",
        race_distance_m=distance if isinstance(distance, float) else None,
    )


def _slot_to_dict(entry: PatternSlot) -> dict[str, object]:
    out: dict[str, object] = {
        "slot": entry.slot,
        "kind": entry.kind,
        "weight": entry.weight,
        "hard": entry.hard,
    }
    if entry.workout is not None:
        out["workout"] = entry.workout
    return out


def _block_to_dict(block: Block) -> dict[str, object]:
    out: dict[str, object] = {"name": block.name, "kind": block.kind, "weeks": block.weeks}
    fields = BLOCK_FIELDS[block.kind]
    if "progression" in fields:
        out["progression"] = block.progression
    if "recovery_every" in fields:
        out["recovery_every"] = block.recovery_every
    if "recovery_drop" in fields:
        out["recovery_drop"] = block.recovery_drop
    if "reduction" in fields:
        out["reduction"] = block.reduction
    out["pattern"] = [_slot_to_dict(entry) for entry in block.pattern]
    return out


def schema_to_dict(schema: PlanSchema) -> dict[str, object]:
    """The schema as JSON-ready data; ``parse_schema`` of it gives ``schema`` back."""
    out: dict[str, object] = {"name": schema.name}
    if schema.description:
        out["description"] = schema.description
    if schema.race_distance_m is not None:
        out["race_distance_m"] = schema.race_distance_m
    cap = schema.load_cap
    out["load"] = {
        "max_ramp": cap.max_ramp,
        "max_weekly": cap.max_weekly,
        "min_weekly": cap.min_weekly,
    }
    out["blocks"] = [_block_to_dict(block) for block in schema.blocks]
    return out
