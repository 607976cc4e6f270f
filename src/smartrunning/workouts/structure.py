"""A workout's structure as JSON (the step editor and the API) and as ZWO text, validated.

The JSON form mirrors ``science.workouts``: durations in seconds (``unit`` "s") or metres
("m"), intensities as fractions of CS for running and of FTP for cycling (1.0 = 100 %)::

    {"name": "Tempo 20 min", "sport": "run", "description": "", "author": "",
     "tags": ["kind:tempo"],
     "steps": [
       {"type": "warmup", "duration": 600, "unit": "s", "intensity_start": 0.6,
        "intensity_end": 0.8},
       {"type": "steady", "duration": 1200, "unit": "s", "intensity": 0.9},
       {"type": "intervals", "repeat": 5, "on_duration": 1000, "off_duration": 400,
        "unit": "m", "on_intensity": 1.08, "off_intensity": 0.65},
       {"type": "free", "duration": 300, "unit": "s"},
       {"type": "max", "duration": 10, "unit": "s"}]}

``type`` is one of steady, warmup, ramp, cooldown, intervals, free, max. A steady step may
hold a band instead of one value: ``intensity_low`` and ``intensity_high`` (ZWO
``SteadyState PowerLow PowerHigh``; its ``intensity`` is then the middle, given on output
and ignored on input). Intervals may ramp: ``on_intensity_end`` / ``off_intensity_end``
(ZWO ``PowerOnHigh`` / ``PowerOffHigh``; the start is ``on_intensity`` / ``off_intensity``).
A steady step, and an interval block's on and off part, may aim at a pace or a heart rate
instead of a fraction of CS: ``"target": {"kind": "pace", "low": 225, "high": 230}``
(fastest and slowest pace, seconds per km, or "3:45" text) or ``{"kind": "hr", "low": 0.65,
"high": 0.79}`` (fractions of HRmax); intervals use ``on_target`` and ``off_target``. The
step's ``intensity`` may then be left out: it becomes the target's estimate fraction
(``science.workouts.target_intensity``: a pace over the reference CS of 5:00/km, a heart
rate by Daniels' bands); given, it is kept (what a file said). On output it is always there.
An interval's parts may have their own units: ``on_unit`` and ``off_unit`` ("s" or "m";
each defaults to ``unit``; output gives all three, ``unit`` being the on part's).
``text_tags`` lists the tags a ZWO file gave as element text, written back that way. What ZWO files
carry beyond that (text events, kept attributes such as ``pace``, Zwift's metadata) rides
along as ``events``, ``attributes`` and ``metadata``, so editing a workout keeps them.
Every error is an ``InvalidInput`` naming the field (``steps.2.intensity``) and, for the
editor, the step number.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, cast

from smartrunning.platform.errors import InvalidInput
from smartrunning.science import workouts as sw
from smartrunning.science.zwo import ZwoError, read_zwo, write_zwo

__all__ = [
    "MAX_NAME_CHARS",
    "MAX_TAGS",
    "MAX_TAG_CHARS",
    "STEP_TYPES",
    "check_for_library",
    "for_library",
    "parse_zwo",
    "structure_from_json",
    "structure_to_json",
    "zwo_text",
]

STEP_TYPES: Final = ("steady", "warmup", "ramp", "cooldown", "intervals", "free", "max")
MAX_NAME_CHARS: Final = 200
MAX_TAG_CHARS: Final = 100
MAX_TAGS: Final = 50
MAX_KIND_CHARS: Final = 40
MAX_DESCRIPTION_CHARS: Final = 20_000


def _fail(message: str, field: str) -> InvalidInput:
    return InvalidInput(message, field=field)


def _number(data: Mapping[str, Any], key: str, where: str, label: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(f"{label}: {key.replace('_', ' ')} must be a number.", f"{where}.{key}")
    if not math.isfinite(value):
        raise _fail(f"{label}: {key.replace('_', ' ')} must be finite.", f"{where}.{key}")
    return float(value)


def _extent(
    data: Mapping[str, Any],
    key: str,
    unit: Any,
    where: str,
    label: str,
    *,
    unit_key: str = "unit",
) -> sw.Extent:
    value = _number(data, key, where, label)
    if unit not in ("s", "m"):
        raise _fail(f"{label}: unit must be 's' (time) or 'm' (distance).", f"{where}.{unit_key}")
    unit = cast("sw.ExtentUnit", unit)
    if value <= 0 and key != "off_duration":
        raise _fail(f"{label}: {key.replace('_', ' ')} must be above 0.", f"{where}.{key}")
    limit = sw.MAX_EXTENT[unit]
    if value < 0 or value > limit:
        what = "24 h" if unit == "s" else "1000 km"
        raise _fail(f"{label}: {key.replace('_', ' ')} must be at most {what}.", f"{where}.{key}")
    return sw.Extent(value, unit)


def _intensity(
    data: Mapping[str, Any], key: str, where: str, label: str, *, distance: bool
) -> float:
    value = _number(data, key, where, label)
    low = sw.MIN_DISTANCE_INTENSITY if distance else 0.0
    if not low <= value <= sw.MAX_INTENSITY:
        raise _fail(
            f"{label}: {key.replace('_', ' ')} must be between {low * 100:g} % and "
            f"{sw.MAX_INTENSITY * 100:g} % (given as a fraction, 1.0 = 100 %).",
            f"{where}.{key}",
        )
    return value


_PACE_TEXT: Final = re.compile(r"\s*(\d{1,2}):([0-5]\d)\s*(?:/\s*km)?\s*")


def _pace_value(value: Any, field: str, label: str) -> float:
    if isinstance(value, str):
        match = _PACE_TEXT.fullmatch(value)
        if match is None:
            raise _fail(f"{label}: write a pace as minutes:seconds, e.g. 4:05.", field)
        return int(match.group(1)) * 60.0 + int(match.group(2))
    if not _finite(value):
        raise _fail(f"{label}: write a pace as minutes:seconds, e.g. 4:05.", field)
    return float(value)


def _finite(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def _target(data: Mapping[str, Any], key: str, where: str, label: str) -> sw.Target | None:
    raw = data.get(key)
    if raw is None:
        return None
    field = f"{where}.{key}"
    if not isinstance(raw, Mapping) or raw.get("kind") not in ("pace", "hr", "cs"):
        raise _fail(f"{label}: a target is an object with kind pace, hr or cs.", field)
    if raw["kind"] == "cs":
        return None
    if raw["kind"] == "pace":
        low = _pace_value(raw.get("low"), f"{field}.low", label)
        high = _pace_value(raw.get("high", raw.get("low")), f"{field}.high", label)
        low, high = min(low, high), max(low, high)
        if not sw.MIN_PACE_S_PER_KM <= low <= high <= sw.MAX_PACE_S_PER_KM:
            raise _fail(
                f"{label}: a pace must be between 1:00 and 30:00 per km (1:37 and 48:17 /mi).",
                field,
            )
        return sw.Target("pace", low, high)
    values = []
    for end in ("low", "high"):
        value = raw.get(end, raw.get("low"))
        if not _finite(value):
            raise _fail(f"{label}: heart rate must be a number (% of HRmax).", f"{field}.{end}")
        values.append(float(value))
    low, high = min(values), max(values)
    if not sw.MIN_HR_FRACTION <= low <= high <= sw.MAX_HR_FRACTION:
        raise _fail(
            f"{label}: heart rate must be between {sw.MIN_HR_FRACTION * 100:g} % and "
            f"{sw.MAX_HR_FRACTION * 100:g} % of maximum heart rate.",
            field,
        )
    return sw.Target("hr", low, high)


def _aimed(
    data: Mapping[str, Any],
    key: str,
    target: sw.Target | None,
    where: str,
    label: str,
    *,
    distance: bool,
) -> float:
    """The intensity of a part: as given, or (left out) its target's estimate fraction."""
    if target is not None and data.get(key) is None:
        return sw.target_intensity(target)
    return _intensity(data, key, where, label, distance=distance)


def _optional_intensity(
    data: Mapping[str, Any], key: str, where: str, label: str, *, distance: bool
) -> float | None:
    if data.get(key) is None:
        return None
    return _intensity(data, key, where, label, distance=distance)


def _pairs(raw: Any, field: str) -> sw.Attributes:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(
        isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(x, str) for x in p)
        for p in raw
    ):
        raise _fail(f"{field} must be a list of [name, value] string pairs.", field)
    seen: set[str] = set()
    for name, _value in raw:
        if name.casefold() in seen:
            raise _fail(f"{field}: the attribute {name!r} is given twice.", field)
        seen.add(name.casefold())
    return tuple((str(name), str(value)) for name, value in raw)


def _events(raw: Any, field: str) -> tuple[sw.TextEvent, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(f"{field} must be a list.", field)
    events = []
    for i, item in enumerate(raw):
        where = f"{field}.{i}"
        if not isinstance(item, Mapping) or not isinstance(item.get("message", ""), str):
            raise _fail(f"{where} must be an object with offset, unit and message.", where)
        offset = _number(item, "offset", where, "Text event")
        unit = item.get("unit", "s")
        if unit not in ("s", "m") or offset < 0 or offset > sw.MAX_EXTENT[unit]:
            raise _fail("Text event: offset and unit are out of range.", where)
        attributes = _pairs(item.get("attributes"), f"{where}.attributes")
        events.append(sw.TextEvent(sw.Extent(offset, unit), item.get("message", ""), attributes))
    return tuple(events)


def _step(data: Any, index: int) -> sw.Step:
    where, label = f"steps.{index}", f"Step {index + 1}"
    if not isinstance(data, Mapping):
        raise _fail(f"{label} must be an object.", where)
    kind = data.get("type")
    if kind not in STEP_TYPES:
        raise _fail(f"{label}: type must be one of {', '.join(STEP_TYPES)}.", f"{where}.type")
    unit = data.get("unit", "s")
    if not isinstance(unit, str):
        raise _fail(f"{label}: unit must be 's' (time) or 'm' (distance).", f"{where}.unit")
    events = _events(data.get("events"), f"{where}.events")
    attributes = _pairs(data.get("attributes"), f"{where}.attributes")
    if kind == "intervals":
        repeat = data.get("repeat", 1)
        if (
            isinstance(repeat, bool)
            or not isinstance(repeat, int)
            or not 1 <= repeat <= sw.MAX_REPEAT
        ):
            raise _fail(
                f"{label}: repeat must be a whole number from 1 to {sw.MAX_REPEAT}.",
                f"{where}.repeat",
            )
        on_unit, off_unit = data.get("on_unit", unit), data.get("off_unit", unit)
        on = _extent(data, "on_duration", on_unit, where, label, unit_key="on_unit")
        off = _extent(data, "off_duration", off_unit, where, label, unit_key="off_unit")
        on_target = _target(data, "on_target", where, label)
        off_target = _target(data, "off_target", where, label)
        on_m, off_m = on.is_distance, off.is_distance
        on_end = _optional_intensity(data, "on_intensity_end", where, label, distance=on_m)
        off_end = _optional_intensity(data, "off_intensity_end", where, label, distance=off_m)
        if (on_target and on_end is not None) or (off_target and off_end is not None):
            raise _fail(f"{label}: a ramped part cannot have a pace or heart-rate target.", where)
        return sw.Intervals(
            repeat,
            on,
            off,
            _aimed(data, "on_intensity", on_target, where, label, distance=on_m),
            _aimed(data, "off_intensity", off_target, where, label, distance=off_m),
            events,
            attributes,
            on_end,
            off_end,
            on_target,
            off_target,
        )
    extent = _extent(data, "duration", unit, where, label)
    distance = extent.is_distance
    if kind == "steady":
        target = _target(data, "target", where, label)
        if target is not None:
            intensity = _aimed(data, "intensity", target, where, label, distance=distance)
            return sw.Steady(extent, intensity, events, attributes, target=target)
        if data.get("intensity_low") is not None or data.get("intensity_high") is not None:
            low = _intensity(data, "intensity_low", where, label, distance=distance)
            high = _intensity(data, "intensity_high", where, label, distance=distance)
            return sw.Steady.ranged(extent, low, high, events, attributes)
        intensity = _intensity(data, "intensity", where, label, distance=distance)
        return sw.Steady(extent, intensity, events, attributes)
    if kind in ("warmup", "ramp", "cooldown"):
        start = _intensity(data, "intensity_start", where, label, distance=distance)
        end = _intensity(data, "intensity_end", where, label, distance=distance)
        return sw.Ramp(kind, extent, start, end, events, attributes)
    if kind == "free":
        return sw.Free(extent, events, attributes)
    return sw.MaxEffort(extent, events, attributes)


def _text(data: Mapping[str, Any], key: str, limit: int) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _fail(f"{key.capitalize()} must be text.", key)
    value = value.strip()
    if len(value) > limit:
        raise _fail(f"{key.capitalize()}: at most {limit} characters.", key)
    return value


def _tags(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise _fail("Tags must be a list of text.", "tags")
    tags: list[str] = []
    for tag in (t.strip() for t in raw):
        if tag and tag not in tags:
            tags.append(tag)
    return tuple(tags)


def structure_from_json(data: Any) -> sw.Workout:
    """Validate the JSON form (module doc) into a workout fit for the library."""
    if not isinstance(data, Mapping):
        raise _fail("The workout must be a JSON object.", "workout")
    sport = data.get("sport", "run")
    if sport not in ("run", "bike"):
        raise _fail("Sport must be run or bike.", "sport")
    steps_raw = data.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        raise _fail("Add at least one step.", "steps")
    if len(steps_raw) > sw.MAX_STEPS:
        raise _fail(f"A workout has at most {sw.MAX_STEPS} steps.", "steps")
    tags = _tags(data.get("tags"))
    steps = tuple(_step(item, i) for i, item in enumerate(steps_raw))
    if sport == "bike":
        for i, step in enumerate(steps):
            targets = [getattr(step, key, None) for key in ("target", "on_target", "off_target")]
            if any(targets):
                raise _fail(
                    f"Step {i + 1}: pace and heart-rate targets are for running; a cycling "
                    "step aims at a share of FTP.",
                    f"steps.{i}",
                )
    try:
        workout = sw.Workout(
            name=_text(data, "name", MAX_NAME_CHARS),
            sport=sport,
            steps=steps,
            author=_text(data, "author", MAX_NAME_CHARS),
            description=_text(data, "description", MAX_DESCRIPTION_CHARS),
            tags=tags,
            events=_events(data.get("events"), "events"),
            metadata=_pairs(data.get("metadata"), "metadata"),
            # A tag removed in the editor takes its form with it.
            text_tags=tuple(tag for tag in _tags(data.get("text_tags")) if tag in tags),
        )
    except ValueError as exc:
        raise _fail(str(exc).capitalize() + ".", "workout") from None
    check_for_library(workout)
    return workout


def check_for_library(workout: sw.Workout) -> None:
    """What the library asks beyond a valid ZWO: a name, bounded tags, a writable file."""
    if not workout.name.strip():
        raise _fail("Give the workout a name.", "name")
    if len(workout.name) > MAX_NAME_CHARS or len(workout.author) > MAX_NAME_CHARS:
        raise _fail(f"Name and author: at most {MAX_NAME_CHARS} characters.", "name")
    if len(workout.tags) > MAX_TAGS:
        raise _fail(f"At most {MAX_TAGS} tags.", "tags")
    for tag in workout.tags:
        if len(tag) > MAX_TAG_CHARS:
            raise _fail(f"Tags: at most {MAX_TAG_CHARS} characters each.", "tags")
    if workout.kind is not None and not 0 < len(workout.kind) <= MAX_KIND_CHARS:
        raise _fail(f"The kind: tag needs a value of at most {MAX_KIND_CHARS} characters.", "tags")
    try:
        read_zwo(write_zwo(workout))
    except ValueError as exc:  # ZwoError included
        # What the library stores must read back: every page and plan reads it.
        raise _fail(f"Cannot be written as ZWO: {exc}.", "workout") from None


def parse_zwo(data: bytes, *, fallback_name: str = "") -> sw.Workout:
    """Read a ZWO file for the library; a file without a name takes ``fallback_name``.

    Raises ``InvalidInput`` whose message names the line, as ``ZwoError`` does.
    """
    try:
        workout = read_zwo(data)
    except ZwoError as exc:
        raise _fail(f"Not a valid ZWO file: {exc}", "zwo") from None
    return for_library(workout, fallback_name=fallback_name)


def for_library(workout: sw.Workout, *, fallback_name: str = "") -> sw.Workout:
    """``workout`` checked for the library, named ``fallback_name`` if it has no name."""
    if not workout.name.strip() and fallback_name.strip():
        workout = dataclasses.replace(workout, name=fallback_name.strip()[:MAX_NAME_CHARS])
    check_for_library(workout)
    return workout


def zwo_text(workout: sw.Workout) -> str:
    """The canonical ZWO text stored in the library."""
    return write_zwo(workout).decode("utf-8")


def _events_json(events: Sequence[sw.TextEvent]) -> list[dict[str, Any]]:
    return [
        {
            "offset": e.offset.value,
            "unit": e.offset.unit,
            "message": e.message,
            **({"attributes": [list(p) for p in e.attributes]} if e.attributes else {}),
        }
        for e in events
    ]


def _target_json(target: sw.Target) -> dict[str, Any]:
    return {"kind": target.kind, "low": target.low, "high": target.high}


def _step_json(step: sw.Step) -> dict[str, Any]:
    data: dict[str, Any]
    if isinstance(step, sw.Intervals):
        data = {
            "type": "intervals",
            "repeat": step.repeat,
            "on_duration": step.on.value,
            "off_duration": step.off.value,
            "unit": step.on.unit,
            "on_unit": step.on.unit,
            "off_unit": step.off.unit,
            "on_intensity": step.on_intensity,
            "off_intensity": step.off_intensity,
        }
        if step.on_target is not None:
            data["on_target"] = _target_json(step.on_target)
        if step.off_target is not None:
            data["off_target"] = _target_json(step.off_target)
        if step.on_intensity_end is not None:
            data["on_intensity_end"] = step.on_intensity_end
        if step.off_intensity_end is not None:
            data["off_intensity_end"] = step.off_intensity_end
    else:
        data = {"duration": step.extent.value, "unit": step.extent.unit}
        if isinstance(step, sw.Steady):
            data = {"type": "steady", **data, "intensity": step.intensity}
            if step.target_range is not None:
                data["intensity_low"], data["intensity_high"] = step.target_range
            if step.target is not None:
                data["target"] = _target_json(step.target)
        elif isinstance(step, sw.Ramp):
            data = {
                "type": step.kind,
                **data,
                "intensity_start": step.intensity_start,
                "intensity_end": step.intensity_end,
            }
        elif isinstance(step, sw.Free):
            data = {"type": "free", **data}
        else:
            data = {"type": "max", **data}
    if step.events:
        data["events"] = _events_json(step.events)
    if step.attributes:
        data["attributes"] = [list(p) for p in step.attributes]
    return data


def structure_to_json(workout: sw.Workout) -> dict[str, Any]:
    """The JSON form of a workout; ``structure_from_json`` of it gives it back."""
    data: dict[str, Any] = {
        "name": workout.name,
        "sport": workout.sport,
        "description": workout.description,
        "author": workout.author,
        "tags": list(workout.tags),
        "steps": [_step_json(step) for step in workout.steps],
    }
    if workout.events:
        data["events"] = _events_json(workout.events)
    if workout.metadata:
        data["metadata"] = [list(p) for p in workout.metadata]
    if workout.text_tags:
        data["text_tags"] = list(workout.text_tags)
    return data
