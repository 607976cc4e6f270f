"""Write ZWO workout files (Zwift's XML format): ``write_zwo(Workout) -> bytes``.

``zwo.read_zwo`` of what is written gives the same ``Workout``, and writing that again gives
the same bytes. Attributes and metadata the reader kept are written back unchanged; the
format is in SCIENCE.md ("ZWO workout files"). Each value is written in the form it was
read: a ranged ``SteadyState`` as ``PowerLow``/``PowerHigh``, ramped intervals as
``PowerOnLow``/``PowerOnHigh`` and ``PowerOffLow``/``PowerOffHigh``, a tag given as element
text as text.
"""

from __future__ import annotations

from smartrunning.science.workouts import (
    Attributes,
    Free,
    Intervals,
    Ramp,
    Steady,
    Step,
    Target,
    TextEvent,
    Workout,
    step_units,
)
from smartrunning.science.zwo_format import (
    INTERPRETED,
    METADATA_ELEMENTS,
    OFF_DURATION_TYPE,
    RAMP_ELEMENTS,
    TARGET_ATTRIBUTES,
    XML_NAME,
)

__all__ = ["write_zwo"]


def _escape_text(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _format_number(number: float) -> str:
    value = float(number)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _open_tag(tag: str, known: list[tuple[str, str]], extra: Attributes) -> str:
    for name, _ in extra:
        if not XML_NAME.fullmatch(name) or name.lower() in INTERPRETED[tag]:
            raise ValueError(f"attribute {name!r} cannot be written on <{tag}>")
    attributes = "".join(
        f' {name}="{_escape_attribute(value)}"' for name, value in [*known, *extra]
    )
    return f"<{tag}{attributes}"


def _event_xml(event: TextEvent, indent: str) -> str:
    offset_name = "distoffset" if event.offset.is_distance else "timeoffset"
    known = [(offset_name, _format_number(event.offset.value)), ("message", event.message)]
    return f"{indent}{_open_tag('textevent', known, event.attributes)}/>"


def _interval_power(part: str, start: float, end: float | None) -> list[tuple[str, str]]:
    if end is None:
        return [(f"{part}Power", _format_number(start))]
    return [(f"Power{part}Low", _format_number(start)), (f"Power{part}High", _format_number(end))]


def _target(part: str, target: Target | None) -> list[tuple[str, str]]:
    if target is None:
        return []
    value = f"{target.kind}:{_format_number(target.low)}-{_format_number(target.high)}"
    return [(TARGET_ATTRIBUTES[part], value)]


def _tag_xml(tag: str, as_text: bool) -> str:
    if as_text:
        return f"    <tag>{_escape_text(tag)}</tag>"
    return f'    <tag name="{_escape_attribute(tag)}"/>'


def _step_xml(step: Step, mark_distance: bool) -> str:
    tag: str
    known: list[tuple[str, str]]
    if isinstance(step, Intervals):
        tag = "IntervalsT"
        known = [
            ("Repeat", str(step.repeat)),
            ("OnDuration", _format_number(step.on.value)),
            ("OffDuration", _format_number(step.off.value)),
            *_interval_power("On", step.on_intensity, step.on_intensity_end),
            *_interval_power("Off", step.off_intensity, step.off_intensity_end),
            *_target("on", step.on_target),
            *_target("off", step.off_target),
        ]
        if step.off.unit != step.on.unit:
            known.append((OFF_DURATION_TYPE, "distance" if step.off.is_distance else "time"))
    else:
        known = [("Duration", _format_number(step.extent.value))]
        if isinstance(step, Steady):
            tag = "SteadyState"
            if step.target_range is None:
                known.append(("Power", _format_number(step.intensity)))
                known.extend(_target("step", step.target))
            else:
                known.append(("PowerLow", _format_number(step.target_range[0])))
                known.append(("PowerHigh", _format_number(step.target_range[1])))
        elif isinstance(step, Ramp):
            tag = RAMP_ELEMENTS[step.kind]
            known.append(("PowerLow", _format_number(step.intensity_start)))
            known.append(("PowerHigh", _format_number(step.intensity_end)))
        elif isinstance(step, Free):
            tag = "FreeRide"
        else:
            tag = "MaxEffort"
    first_unit = step.on.unit if isinstance(step, Intervals) else step.extent.unit
    if mark_distance and first_unit == "m":
        known.append(("durationType", "distance"))
    head = "    " + _open_tag(tag, known, step.attributes)
    if not step.events:
        return head + "/>"
    inner = "\n".join(_event_xml(event, "      ") for event in step.events)
    return f"{head}>\n{inner}\n    </{tag}>"


def write_zwo(workout: Workout) -> bytes:
    """Serialise a workout as a ZWO file (UTF-8, indented).

    Raises ``ValueError`` for a kept attribute or metadata element that cannot be written
    back (a name the format interprets itself, or not an XML name).
    """
    all_distance = all(step_units(step) == {"m"} for step in workout.steps)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<workout_file>",
        f"  <author>{_escape_text(workout.author)}</author>",
        f"  <name>{_escape_text(workout.name)}</name>",
        f"  <description>{_escape_text(workout.description)}</description>",
        f"  <sportType>{workout.sport}</sportType>",
    ]
    if all_distance:
        lines.append("  <durationType>distance</durationType>")
    if workout.tags:
        lines.append("  <tags>")
        lines.extend(_tag_xml(tag, tag in workout.text_tags) for tag in workout.tags)
        lines.append("  </tags>")
    for tag, value in workout.metadata:
        if tag.lower() not in METADATA_ELEMENTS:
            raise ValueError(f"metadata element <{tag}> cannot be written")
        lines.append(f"  <{tag}>{_escape_text(value)}</{tag}>")
    lines.append("  <workout>")
    lines.extend(_step_xml(step, mark_distance=not all_distance) for step in workout.steps)
    lines.extend(_event_xml(event, "    ") for event in workout.events)
    lines.append("  </workout>")
    lines.append("</workout_file>")
    return ("\n".join(lines) + "\n").encode("utf-8")
