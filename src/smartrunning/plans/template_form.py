"""A plan template as a form: its fields as the text people type, to and from the JSON
``science.plans.parse_schema`` reads.

The form is the template's JSON spelt out field by field, with shares and fractions in
per cent (a progression of 0.06 is "6"). Conversions go through ``Decimal`` so a value
survives form → JSON → form (and JSON → form → JSON) exactly. A field that cannot be
read (text in a number field) goes into the JSON as typed, so the one validator of the
JSON path reports it; ``field_errors`` then puts every problem beside its field, in the
form's units.

Field names: ``name``, ``description``, ``race_distance_m``, ``max_ramp``, ``max_weekly``,
``min_weekly``, ``blocks-<i>-<field>`` and ``blocks-<i>-pattern-<j>-<field>``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from smartrunning.science.plans.schema import (
    BLOCK_FIELDS,
    BLOCK_KINDS,
    MAX_HARD_SESSIONS,
    MAX_RAMP_RANGE,
    MAX_SESSIONS,
    MAX_WEEKLY_LOAD,
    MAX_WEEKS,
    PROGRESSION_RANGE,
    RECOVERY_DROP_RANGE,
    TAPER_REDUCTION_RANGE,
    WEIGHT_TOLERANCE,
    WORKOUT_KINDS,
)

__all__ = [
    "BLOCK_KIND_NAMES",
    "MAX_BLOCKS",
    "WORKOUT_KIND_NAMES",
    "BlockForm",
    "SessionForm",
    "TemplateForm",
    "apply_action",
    "field_errors",
    "form_from_post",
    "form_from_template",
    "post_fields",
    "share_total",
    "shares_off",
    "template_from_form",
    "total_weeks",
]

MAX_BLOCKS: Final = MAX_WEEKS
"""Every block lasts a week at least, so no template holds more blocks than weeks."""
MAX_TEXT: Final = 5000
"""Longest text kept from one field (a description); longer is cut, the validator then
sees what was kept."""

BLOCK_KIND_NAMES: Final[dict[str, str]] = {
    "base": "Base",
    "build": "Build",
    "peak": "Peak",
    "recovery": "Recovery",
    "taper": "Taper",
}
WORKOUT_KIND_NAMES: Final[dict[str, str]] = {
    "easy": "Easy run",
    "recovery": "Recovery run",
    "long": "Long run",
    "progression": "Progression run",
    "tempo": "Tempo",
    "threshold": "Threshold",
    "vo2max": "VO2max intervals",
    "hills": "Hills",
    "strides": "Strides",
    "race-pace": "Race pace",
}
assert set(BLOCK_KIND_NAMES) == set(BLOCK_KINDS)
assert set(WORKOUT_KIND_NAMES) == set(WORKOUT_KINDS)

_BLOCK_FIELDS: Final = (
    "name",
    "kind",
    "weeks",
    "progression",
    "recovery_every",
    "recovery_drop",
    "reduction",
)
_SESSION_FIELDS: Final = ("slot", "kind", "weight", "workout")
_BLOCK_KEY: Final = re.compile(r"blocks-(\d{1,4})-([a-z_]+)")
_SESSION_KEY: Final = re.compile(r"blocks-(\d{1,4})-pattern-(\d{1,4})-([a-z_]+)")
_INTEGER: Final = re.compile(r"[+-]?\d{1,9}")


@dataclass
class SessionForm:
    """One session of a block's week pattern, as typed."""

    slot: str = ""
    kind: str = "easy"
    weight: str = ""
    hard: bool = False
    workout: str = ""


@dataclass
class BlockForm:
    """One block, as typed; the fields its kind does not take are kept but not saved."""

    name: str = ""
    kind: str = "build"
    weeks: str = ""
    progression: str = ""
    recovery_every: str = ""
    recovery_drop: str = ""
    reduction: str = ""
    pattern: list[SessionForm] = field(default_factory=list)


@dataclass
class TemplateForm:
    """A whole template, as typed; ``problems``: what the form itself found (too many
    blocks or sessions), as (field, message)."""

    name: str = ""
    description: str = ""
    race_distance_m: str = ""
    max_ramp: str = ""
    max_weekly: str = ""
    min_weekly: str = ""
    blocks: list[BlockForm] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


# Numbers: text <-> JSON values.


def _show_decimal(value: Decimal) -> str:
    value = value.normalize()
    if value.is_zero():
        return "-0" if value.is_signed() else "0"
    return format(value, "f") if -30 < value.adjusted() < 30 else str(value)


def _show(value: object, *, percent: bool = False) -> str:
    """A JSON value as the form shows it (per cent when ``percent``)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value if isinstance(value, str) else str(value)
    if isinstance(value, float) and value != value:  # NaN: shown as is
        return "nan"
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:  # pragma: no cover - repr of a float is always a Decimal
        return str(value)
    if not number.is_finite():
        return str(value)
    return _show_decimal(number * 100 if percent else number)


def _number(text: str, *, percent: bool = False) -> float | str:
    """The float typed in ``text`` (a fraction when ``percent``), else ``text`` itself."""
    raw = text.strip()
    if not raw or len(raw) > 400:
        return text
    try:
        number = Decimal(raw.replace(",", ".") if raw.count(",") == 1 else raw)
    except InvalidOperation:
        return text
    value = float(number / 100 if percent else number) if number.is_finite() else math.inf
    return value if math.isfinite(value) else text


def _integer(text: str) -> int | str:
    raw = text.strip()
    return int(raw) if _INTEGER.fullmatch(raw) else text


# JSON -> form.


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def form_from_template(data: object) -> TemplateForm:
    """The form of a template's JSON (valid or not: values of the wrong type are shown as
    text, unknown keys dropped)."""
    obj: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
    load = obj.get("load")
    load = load if isinstance(load, Mapping) else {}
    raw_blocks = obj.get("blocks")
    blocks = raw_blocks if isinstance(raw_blocks, list) else []
    return TemplateForm(
        name=_text(obj.get("name")),
        description=_text(obj.get("description")),
        race_distance_m=_show(obj.get("race_distance_m")),
        max_ramp=_show(load.get("max_ramp"), percent=True),
        max_weekly=_show(load.get("max_weekly")),
        min_weekly=_show(load.get("min_weekly")),
        blocks=[_block_form(b) for b in blocks[:MAX_BLOCKS]],
    )


def _block_form(value: object) -> BlockForm:
    obj: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
    raw_pattern = obj.get("pattern")
    pattern = raw_pattern if isinstance(raw_pattern, list) else []
    return BlockForm(
        name=_text(obj.get("name")),
        kind=_text(obj.get("kind")),
        weeks=_show(obj.get("weeks")),
        progression=_show(obj.get("progression"), percent=True),
        recovery_every=_show(obj.get("recovery_every")),
        recovery_drop=_show(obj.get("recovery_drop"), percent=True),
        reduction=_show(obj.get("reduction"), percent=True),
        pattern=[_session_form(s) for s in pattern[:MAX_SESSIONS]],
    )


def _session_form(value: object) -> SessionForm:
    obj: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
    return SessionForm(
        slot=_text(obj.get("slot")),
        kind=_text(obj.get("kind")),
        weight=_show(obj.get("weight"), percent=True),
        hard=obj.get("hard") is True,
        workout=_text(obj.get("workout")),
    )


# Posted fields -> form.


def form_from_post(fields: Mapping[str, str]) -> TemplateForm:
    """The form as posted: blocks and sessions in the order of their indices (gaps
    closed); beyond ``MAX_BLOCKS`` blocks or ``MAX_SESSIONS`` sessions a block, the rest
    is dropped with a problem saying so."""

    def text(key: str) -> str:
        return str(fields.get(key, ""))[:MAX_TEXT]

    block_values: dict[int, dict[str, str]] = {}
    session_values: dict[int, dict[int, dict[str, str]]] = {}
    for key in fields:
        if m := _SESSION_KEY.fullmatch(key):
            i, j, name = int(m[1]), int(m[2]), m[3]
            if name in (*_SESSION_FIELDS, "hard"):
                session_values.setdefault(i, {}).setdefault(j, {})[name] = text(key)
        elif m := _BLOCK_KEY.fullmatch(key):
            i, name = int(m[1]), m[2]
            if name in _BLOCK_FIELDS:
                block_values.setdefault(i, {})[name] = text(key)
    form = TemplateForm(
        name=text("name"),
        description=text("description").replace("\r\n", "\n"),
        race_distance_m=text("race_distance_m"),
        max_ramp=text("max_ramp"),
        max_weekly=text("max_weekly"),
        min_weekly=text("min_weekly"),
    )
    indices = sorted(set(block_values) | set(session_values))
    if len(indices) > MAX_BLOCKS:
        form.problems.append(
            (
                "blocks",
                f"A plan template holds at most {MAX_BLOCKS} blocks; the rest are left out.",
            )
        )
    for n, i in enumerate(indices[:MAX_BLOCKS]):
        values = block_values.get(i, {})
        block = BlockForm(
            name=values.get("name", ""),
            kind=values.get("kind", ""),
            weeks=values.get("weeks", ""),
            progression=values.get("progression", ""),
            recovery_every=values.get("recovery_every", ""),
            recovery_drop=values.get("recovery_drop", ""),
            reduction=values.get("reduction", ""),
        )
        sessions = session_values.get(i, {})
        order = sorted(sessions)
        if len(order) > MAX_SESSIONS:
            form.problems.append(
                (
                    f"blocks-{n}-pattern",
                    f"A week holds at most {MAX_SESSIONS} sessions; the rest are left out.",
                )
            )
        for j in order[:MAX_SESSIONS]:
            s = sessions[j]
            block.pattern.append(
                SessionForm(
                    slot=s.get("slot", ""),
                    kind=s.get("kind", ""),
                    weight=s.get("weight", ""),
                    hard=bool(s.get("hard")),
                    workout=s.get("workout", ""),
                )
            )
        form.blocks.append(block)
    return form


def post_fields(form: TemplateForm) -> dict[str, str]:
    """The fields the page posts for ``form`` (a hard session's box only when ticked)."""
    out = {
        "name": form.name,
        "description": form.description,
        "race_distance_m": form.race_distance_m,
        "max_ramp": form.max_ramp,
        "max_weekly": form.max_weekly,
        "min_weekly": form.min_weekly,
    }
    for i, block in enumerate(form.blocks):
        for name in _BLOCK_FIELDS:
            out[f"blocks-{i}-{name}"] = getattr(block, name)
        for j, session in enumerate(block.pattern):
            at = f"blocks-{i}-pattern-{j}"
            for name in _SESSION_FIELDS:
                out[f"{at}-{name}"] = getattr(session, name)
            if session.hard:
                out[f"{at}-hard"] = "1"
    return out


# Form -> JSON.


def template_from_form(form: TemplateForm) -> dict[str, Any]:
    """The template's JSON from the form: numbers read, a block's fields limited to those
    its kind takes, empty optional fields left out; unreadable values kept as typed."""
    out: dict[str, Any] = {"name": form.name}
    if form.description:
        out["description"] = form.description
    if form.race_distance_m.strip():
        out["race_distance_m"] = _number(form.race_distance_m)
    out["load"] = {
        "max_ramp": _number(form.max_ramp, percent=True),
        "max_weekly": _number(form.max_weekly),
        "min_weekly": _number(form.min_weekly),
    }
    out["blocks"] = [_block_json(block) for block in form.blocks]
    return out


def _block_json(block: BlockForm) -> dict[str, Any]:
    out: dict[str, Any] = {"name": block.name, "kind": block.kind, "weeks": _integer(block.weeks)}
    takes = BLOCK_FIELDS.get(block.kind, frozenset())
    if "progression" in takes:
        out["progression"] = _number(block.progression, percent=True)
    if "recovery_every" in takes:
        out["recovery_every"] = _integer(block.recovery_every)
    if "recovery_drop" in takes:
        out["recovery_drop"] = _number(block.recovery_drop, percent=True)
    if "reduction" in takes:
        out["reduction"] = _number(block.reduction, percent=True)
    out["pattern"] = [_session_json(s) for s in block.pattern]
    return out


def _session_json(session: SessionForm) -> dict[str, Any]:
    out: dict[str, Any] = {
        "slot": session.slot,
        "kind": session.kind,
        "weight": _number(session.weight, percent=True),
        "hard": session.hard,
    }
    if session.workout.strip():
        out["workout"] = session.workout
    return out


def share_total(block: BlockForm) -> str:
    """The sum of a week's shares that can be read, in per cent, for display."""
    shares = [_number(s.weight) for s in block.pattern]
    total = sum((Decimal(repr(v)) for v in shares if isinstance(v, float)), Decimal(0))
    if not total.is_finite() or abs(total) >= Decimal("1e15"):  # quantize would raise
        return "?"
    return _show_decimal(total.quantize(Decimal("0.1")))


def shares_off(block: BlockForm) -> bool:
    """Whether a week's readable shares miss 100 % by more than the validator allows."""
    shares = [_number(s.weight, percent=True) for s in block.pattern]
    total = math.fsum(v for v in shares if isinstance(v, float))
    return abs(total - 1.0) > WEIGHT_TOLERANCE


def total_weeks(form: TemplateForm) -> int:
    """Weeks of the blocks whose length can be read."""
    lengths = [_integer(b.weeks) for b in form.blocks]
    return sum(n for n in lengths if isinstance(n, int) and 0 < n <= MAX_WEEKS)


# Add, remove and move blocks and sessions (the form's buttons; no JavaScript needed).


def _unique(base: str, taken: set[str]) -> str:
    n = 1
    while f"{base} {n}" in taken:
        n += 1
    return f"{base} {n}"


def _move(items: list[Any], index: int, step: int) -> None:
    to = index + step
    if 0 <= index < len(items) and 0 <= to < len(items):
        items[index], items[to] = items[to], items[index]


def apply_action(form: TemplateForm, action: str) -> str:
    """Apply one button's ``action`` (``add-block``, ``remove-block-2``, ``up-block-2``,
    ``down-block-2``, ``add-session-2``, ``remove-session-2-1``, ``up-session-2-1``,
    ``down-session-2-1``) to ``form``; returns the anchor of the part changed ("" when the
    action is unknown or out of range, which changes nothing)."""
    parts = action.split("-")
    numbers = [int(p) for p in parts[2:] if p.isdigit() and len(p) <= 4]
    if len(parts) < 2 or len(numbers) != len(parts) - 2:
        return ""
    verb, what = parts[0], parts[1]
    blocks = form.blocks
    if (verb, what, numbers) == ("add", "block", []):
        if len(blocks) >= MAX_BLOCKS:
            return ""
        last = blocks[-1] if blocks else None
        at = len(blocks) - 1 if last is not None and last.kind == "taper" else len(blocks)
        model = blocks[at - 1] if at > 0 else None
        new = BlockForm(
            name=_unique("Block", {b.name for b in blocks}),
            kind="build",
            weeks="2",
            progression="6",
            recovery_every="4",
            recovery_drop="30",
            reduction="50",
            pattern=[SessionForm(**vars(s)) for s in model.pattern] if model else [],
        )
        blocks.insert(max(at, 0), new)
        return f"block-{max(at, 0)}"
    if not numbers or not 0 <= numbers[0] < len(blocks):
        return ""
    i = numbers[0]
    if what == "block" and len(numbers) == 1:
        if verb == "remove":
            del blocks[i]
            return "blocks"
        if verb in ("up", "down"):
            _move(blocks, i, -1 if verb == "up" else 1)
            return "blocks"
        return ""
    if what != "session":
        return ""
    pattern = blocks[i].pattern
    if verb == "add" and len(numbers) == 1:
        if len(pattern) >= MAX_SESSIONS:
            return ""
        pattern.append(
            SessionForm(
                slot=_unique("session", {s.slot for s in pattern}), kind="easy", weight="10"
            )
        )
        return f"block-{i}"
    if len(numbers) != 2 or not 0 <= numbers[1] < len(pattern):
        return ""
    j = numbers[1]
    if verb == "remove":
        del pattern[j]
    elif verb in ("up", "down"):
        _move(pattern, j, -1 if verb == "up" else 1)
    else:
        return ""
    return f"block-{i}"


# Problems (JSON pointers) -> messages beside fields.


def _pct(bounds: tuple[float, float]) -> str:
    return f"{bounds[0] * 100:g} to {bounds[1] * 100:g} %"


_WORDS: Final[dict[str, str]] = {
    "progression": f"Enter a weekly growth from {_pct(PROGRESSION_RANGE)}.",
    "recovery_every": "Choose a recovery week every 3rd or 4th week.",
    "recovery_drop": f"Enter a recovery-week drop from {_pct(RECOVERY_DROP_RANGE)}.",
    "reduction": f"Enter a taper reduction from {_pct(TAPER_REDUCTION_RANGE)} of the peak load.",
    "max_ramp": f"Enter a largest weekly rise from {_pct(MAX_RAMP_RANGE)}.",
    "max_weekly": f"Enter a weekly load cap from 1 to {MAX_WEEKLY_LOAD:g}.",
    "min_weekly": "Enter a first-week floor above 0, at most the weekly cap.",
    "weight": "Enter a share above 0 and at most 100 %.",
    "race_distance_m": "Enter a race distance in metres above 0, or leave it empty.",
    "weeks": f"Enter a whole number of weeks from 1 to {MAX_WEEKS}.",
}
_NUMERIC: Final = frozenset(_WORDS)
_WHOLE: Final = frozenset({"weeks", "recovery_every"})
_SUM: Final = re.compile(r"weights must sum to 1 .*got (\S+)")


def _field_name(pointer: str) -> str:
    """The form field a JSON pointer names (``/blocks/2/pattern/1/weight`` →
    ``blocks-2-pattern-1-weight``, ``/load/max_ramp`` → ``max_ramp``)."""
    parts = [p for p in pointer.split("/") if p]
    if parts[:1] == ["load"]:
        parts = parts[1:] or ["max_ramp"]
    return "-".join(parts) or "_"


def _readable(name: str, typed: str) -> bool:
    """Whether ``typed`` reads as the number field ``name`` takes."""
    if name in _WHOLE:
        return isinstance(_integer(typed), int)
    return isinstance(_number(typed), float)


def _message(pointer: str, message: str, typed: str | None) -> str:
    """A problem in the form's words and units."""
    last = pointer.rsplit("/", 1)[-1]
    if message.startswith("unknown key"):
        return "This field is not part of a plan template."
    if last in _NUMERIC:
        if typed is not None and not typed.strip():
            return "Required. " + _WORDS[last]
        if typed is not None and not _readable(last, typed):
            whole = "whole " if last in _WHOLE else ""
            return f"Enter a {whole}number, not {typed[:40]!r}."
        if last == "min_weekly" and "exceed" in message:
            return "The first-week floor must not be above the weekly cap."
        return _WORDS[last]
    if last == "kind" and message.startswith("unknown"):
        return "Choose a kind from the list."
    if last in ("name", "slot") and message == "must not be empty":
        return "Give it a name."
    if last == "workout":
        return "Leave it empty or name a library workout."
    if last == "pattern":
        if m := _SUM.search(message):
            got = float(m[1]) * 100
            return (
                f"The shares add up to {got:.0f} %; they must add up to 100 % "
                f"(±{WEIGHT_TOLERANCE * 100:g})."
            )
        if message.startswith("at most"):
            return (
                f"At most {MAX_HARD_SESSIONS} hard sessions a week: more cannot avoid hard "
                "days back to back."
            )
        if message.startswith("needs"):
            return f"A week needs 1 to {MAX_SESSIONS} sessions."
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _typed(form: TemplateForm, name: str) -> str | None:
    """What was typed in field ``name``, if it is a field of ``form``."""
    parts = name.split("-")
    try:
        if len(parts) == 1:
            value = getattr(form, parts[0], None)
        elif len(parts) == 3 and parts[0] == "blocks":
            value = getattr(form.blocks[int(parts[1])], parts[2], None)
        elif len(parts) == 5 and parts[2] == "pattern":
            value = getattr(form.blocks[int(parts[1])].pattern[int(parts[3])], parts[4], None)
        else:
            return None
    except (IndexError, ValueError):
        return None
    return value if isinstance(value, str) else None


def field_errors(form: TemplateForm, problems: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Each problem (JSON pointer, validator message) as words under its form field name;
    the block list's own problems under ``blocks``, a week's under ``blocks-<i>-pattern``,
    the form's own (``form.problems``) where they were found."""
    out: dict[str, list[str]] = {}
    for name, message in form.problems:
        out.setdefault(name, []).append(message)
    for pointer, message in problems:
        name = _field_name(pointer)
        words = _message(pointer, message, _typed(form, name))
        if words not in out.get(name, []):
            out.setdefault(name, []).append(words)
    return out
