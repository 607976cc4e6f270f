"""Read and write ZWO workout files (Zwift's XML format).

``read_zwo(bytes) -> Workout`` is here; ``write_zwo(Workout) -> bytes`` lives in
``zwo_write`` (re-exported here) and the names both use in ``zwo_format``. Reading what
was written gives the same ``Workout``. The format and the tolerant rules are in
SCIENCE.md ("ZWO workout files"):

- Parsing goes through defusedxml's SAX driver with DTDs, entity declarations and external
  references refused, so billion-laughs and external-entity files fail before anything
  is expanded or fetched.
- ``Power`` overrides ``PowerLow``/``PowerHigh``; a ``SteadyState`` with only a range is a
  ranged step (``Steady.target_range``; estimates take its middle); ``Warmup``/``Ramp``/
  ``Cooldown`` go from ``PowerLow`` (start) to ``PowerHigh`` (end), either way up;
  ``IntervalsT`` takes ``OnPower``/``OffPower``, or the ramps ``PowerOnLow`` →
  ``PowerOnHigh`` and ``PowerOffLow`` → ``PowerOffHigh`` (``OnPower`` wins over both);
- tags are ``<tag name="…"/>`` or ``<tag>…</tag>`` (``Workout.text_tags``), each written
  back in the form read; ``FreeRide`` and ``Freeride`` (any case) are the same; a missing
  ``Repeat`` is 1; ``textevent`` may sit in a step or directly in ``<workout>``.
- Durations are seconds, or metres when ``durationType`` is ``distance``: as an element
  under ``<workout_file>`` (as the zwiftworkout.com editor writes it), an attribute of
  ``<workout_file>``, or an attribute of one step (which wins).
- Attributes the model does not interpret (``pace``, ``units``, ``Cadence`` …) are kept in
  the step's ``attributes`` and written back unchanged; nothing depends on them.
- A missing ``sportType`` means bike, as in Zwift. Bike intensities stay fractions of FTP.
- Zwift's descriptive top-level elements (``category``, ``subcategory`` …) are kept in
  ``Workout.metadata``; ``ftpOverride`` (watts instead of fractions) is refused.

Anything else (unknown elements, malformed numbers, broken XML) raises ``ZwoError``, whose
message starts with the line number. ZIP archives of ZWO files: ``zwo_zip.read_zip``.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from typing import Final
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, ErrorHandler
from xml.sax.xmlreader import AttributesImpl, InputSource, Locator

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.expatreader import create_parser

from smartrunning.science.workouts import (
    Attributes,
    Extent,
    ExtentUnit,
    Free,
    Intervals,
    MaxEffort,
    Ramp,
    Sport,
    Steady,
    Step,
    Target,
    TextEvent,
    Workout,
)
from smartrunning.science.zwo_format import (
    DURATION_TYPE,
    METADATA_ELEMENTS,
    OFF_DURATION_TYPE,
    RAMP_KINDS,
    STEP_KEYS,
    TARGET_ATTRIBUTES,
    TEXT_ELEMENTS,
)
from smartrunning.science.zwo_write import write_zwo

__all__ = [
    "MAX_ZWO_BYTES",
    "ZwoError",
    "read_zwo",
    "write_zwo",
]

MAX_ZWO_BYTES: Final = 1024 * 1024
"""Largest ZWO file read; real ones are a few kilobytes."""
_MAX_ELEMENTS: Final = 20_000

_NUMBER: Final = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class ZwoError(ValueError):
    """A ZWO file (or ZIP of them) that cannot be read; ``line`` is 1-based when known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason if line is None else f"line {line}: {reason}")


# --- XML to a small tree with line numbers ---------------------------------------------


@dataclass(slots=True)
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.tag.lower()


class _TreeBuilder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: _Node | None = None
        self._stack: list[_Node] = []
        self._locator: Locator | None = None
        self._count = 0

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX API)
        self._locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802
        line = (self._locator.getLineNumber() if self._locator is not None else None) or 0
        self._count += 1
        if self._count > _MAX_ELEMENTS:
            raise ZwoError(f"too many elements (more than {_MAX_ELEMENTS})", line)
        node = _Node(name, dict(attrs.items()), line)
        if self._stack:
            self._stack[-1].children.append(node)
        else:
            self.root = node
        self._stack.append(node)

    def endElement(self, name: str) -> None:  # noqa: N802
        self._stack.pop()

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1].text.append(content)


def _parse_tree(data: bytes) -> _Node:
    builder = _TreeBuilder()
    parser = create_parser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setContentHandler(builder)
    parser.setErrorHandler(ErrorHandler())
    source = InputSource()
    source.setByteStream(io.BytesIO(data))
    try:
        parser.parse(source)
    except SAXParseException as exc:
        raise ZwoError(f"not well-formed XML: {exc.getMessage()}", exc.getLineNumber()) from None
    except DTDForbidden:
        raise ZwoError(
            "a DTD (<!DOCTYPE …>) is not allowed in a ZWO file", parser.getLineNumber()
        ) from None
    except EntitiesForbidden:
        raise ZwoError("entity declarations are not allowed", parser.getLineNumber()) from None
    except ExternalReferenceForbidden:
        raise ZwoError("external references are not allowed", parser.getLineNumber()) from None
    except (LookupError, ValueError) as exc:  # after defusedxml's, which are ValueErrors
        # expat looks the declared encoding up: an unknown name is a LookupError, a
        # multi-byte one (UTF-7, UTF-32) a ValueError.
        raise ZwoError(f"unsupported encoding: {exc}", 1) from None
    if builder.root is None:
        raise ZwoError("empty document")
    return builder.root


# --- tree to Workout --------------------------------------------------------------------


def _number(node: _Node, name: str, raw: str) -> float:
    text = raw.strip()
    value = float(text) if _NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise ZwoError(f"<{node.tag}> {name} must be a number, got {raw!r}", node.line)
    return value


class _Attrs:
    """A node's attributes, looked up case-insensitively; what is not taken is kept."""

    def __init__(self, node: _Node) -> None:
        self.node = node
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in node.attrs.items():
            key = name.lower()
            if key in self._items:
                other = self._items[key][0]
                raise ZwoError(f"<{node.tag}> has both {other} and {name}", node.line)
            self._items[key] = (name, value)

    def take(self, name: str) -> str | None:
        item = self._items.pop(name.lower(), None)
        return None if item is None else item[1]

    def number(self, name: str) -> float | None:
        raw = self.take(name)
        return None if raw is None else _number(self.node, name, raw)

    def required(self, name: str) -> float:
        value = self.number(name)
        if value is None:
            raise ZwoError(f"<{self.node.tag}> needs a {name} attribute", self.node.line)
        return value

    def rest(self) -> Attributes:
        return tuple(self._items.values())


def _unit(node: _Node, raw: str | None, default: ExtentUnit) -> ExtentUnit:
    if raw is None:
        return default
    value = raw.strip().lower()
    if value == "time":
        return "s"
    if value == "distance":
        return "m"
    raise ZwoError(f"durationType must be 'time' or 'distance', got {raw!r}", node.line)


def _extent(node: _Node, name: str, value: float, unit: ExtentUnit) -> Extent:
    try:
        return Extent(value, unit)
    except ValueError as exc:
        raise ZwoError(f"<{node.tag}> {name}: {exc}", node.line) from None


def _no_children(node: _Node) -> None:
    if node.children:
        child = node.children[0]
        raise ZwoError(f"unexpected <{child.tag}> inside <{node.tag}>", child.line)


def _leaf_text(node: _Node) -> str:
    _no_children(node)
    return "".join(node.text).strip()


def _text_event(node: _Node) -> TextEvent:
    _no_children(node)
    attrs = _Attrs(node)
    seconds = attrs.number("timeoffset")
    metres = attrs.number("distoffset")
    if seconds is not None and metres is not None:
        raise ZwoError(f"<{node.tag}> has both timeoffset and distoffset", node.line)
    if seconds is not None:
        offset = _extent(node, "timeoffset", seconds, "s")
    elif metres is not None:
        offset = _extent(node, "distoffset", metres, "m")
    else:
        raise ZwoError(f"<{node.tag}> needs a timeoffset attribute", node.line)
    message = attrs.take("message") or ""
    return TextEvent(offset, message, attrs.rest())


def _intervals(attrs: _Attrs, unit: ExtentUnit, events: tuple[TextEvent, ...]) -> Intervals:
    node = attrs.node
    repeat = attrs.number("Repeat")
    if repeat is None:
        repeat = 1.0
    if not repeat.is_integer():
        raise ZwoError(f"<{node.tag}> Repeat must be a whole number, got {repeat!r}", node.line)
    off_unit = _unit(node, attrs.take(OFF_DURATION_TYPE), unit)
    on = _extent(node, "OnDuration", attrs.required("OnDuration"), unit)
    off = _extent(node, "OffDuration", attrs.required("OffDuration"), off_unit)
    on_power, on_end = _interval_power(attrs, "On")
    off_power, off_end = _interval_power(attrs, "Off")
    on_target = _target(attrs, "on")
    off_target = _target(attrs, "off")
    return Intervals(
        int(repeat),
        on,
        off,
        on_power,
        off_power,
        events,
        attrs.rest(),
        on_end,
        off_end,
        on_target,
        off_target,
    )


def _target(attrs: _Attrs, part: str) -> Target | None:
    """Our pace or heart-rate target attribute (``zwo_format.TARGET_ATTRIBUTES``)."""
    raw = attrs.take(TARGET_ATTRIBUTES[part])
    if raw is None:
        return None
    kind, _, values = raw.strip().partition(":")
    low, _, high = values.partition("-")
    if kind not in ("pace", "hr") or not _NUMBER.fullmatch(low) or not _NUMBER.fullmatch(high):
        node = attrs.node
        raise ZwoError(
            f"<{node.tag}> {TARGET_ATTRIBUTES[part]} must read pace:low-high or hr:low-high",
            node.line,
        )
    return Target(kind, float(low), float(high))  # type: ignore[arg-type]


def _interval_power(attrs: _Attrs, part: str) -> tuple[float, float | None]:
    """``OnPower`` (constant), else ``PowerOnLow`` → ``PowerOnHigh`` (a ramp); likewise Off."""
    power = attrs.number(f"{part}Power")
    low = attrs.number(f"Power{part}Low")
    high = attrs.number(f"Power{part}High")
    if power is not None:
        return power, None
    if low is None or high is None:
        node = attrs.node
        raise ZwoError(
            f"<{node.tag}> needs a {part}Power attribute (or Power{part}Low and Power{part}High)",
            node.line,
        )
    return low, high


def _powered(attrs: _Attrs, extent: Extent, events: tuple[TextEvent, ...]) -> Steady | Ramp:
    node = attrs.node
    power = attrs.number("Power")
    low = attrs.number("PowerLow")
    high = attrs.number("PowerHigh")
    if node.key == "steadystate":
        target = _target(attrs, "step")
        if power is not None:
            return Steady(extent, power, events, attrs.rest(), target=target)
        if target is not None:
            raise ZwoError(f"<{node.tag}> with a target needs a Power attribute", node.line)
        if low is None or high is None:
            raise ZwoError(
                f"<{node.tag}> needs a Power attribute (or PowerLow and PowerHigh)", node.line
            )
        return Steady.ranged(extent, low, high, events, attrs.rest())
    if power is not None:
        low = high = power
    if low is None or high is None:
        raise ZwoError(f"<{node.tag}> needs PowerLow and PowerHigh attributes", node.line)
    return Ramp(RAMP_KINDS[node.key], extent, low, high, events, attrs.rest())


def _step(node: _Node, default_unit: ExtentUnit) -> Step:
    events: list[TextEvent] = []
    for child in node.children:
        if child.key != "textevent":
            raise ZwoError(f"unexpected <{child.tag}> inside <{node.tag}>", child.line)
        events.append(_text_event(child))
    attrs = _Attrs(node)
    unit = _unit(node, attrs.take("durationType"), default_unit)
    try:
        if node.key == "intervalst":
            return _intervals(attrs, unit, tuple(events))
        extent = _extent(node, "Duration", attrs.required("Duration"), unit)
        if node.key == "freeride":
            return Free(extent, tuple(events), attrs.rest())
        if node.key == "maxeffort":
            return MaxEffort(extent, tuple(events), attrs.rest())
        return _powered(attrs, extent, tuple(events))
    except ZwoError:
        raise
    except ValueError as exc:
        raise ZwoError(f"<{node.tag}>: {exc}", node.line) from None


def _sport(node: _Node) -> Sport:
    value = _leaf_text(node).lower()
    if value in ("", "bike"):
        return "bike"
    if value == "run":
        return "run"
    raise ZwoError(f"sportType must be 'run' or 'bike', got {value!r}", node.line)


def _tags(node: _Node) -> list[tuple[str, bool]]:
    """Each tag with whether it was element text: ``<tag name="x"/>`` or ``<tag>x</tag>``."""
    tags: list[tuple[str, bool]] = []
    for child in node.children:
        if child.key != "tag":
            raise ZwoError(f"unexpected <{child.tag}> inside <{node.tag}>", child.line)
        text = _leaf_text(child)
        name = (_Attrs(child).take("name") or "").strip()
        if name:
            tags.append((name, False))
        elif text:
            tags.append((text, True))
    return tags


def _workout(root: _Node) -> Workout:
    if root.tag != "workout_file":
        raise ZwoError(
            f"not a ZWO file: the root element is <{root.tag}>, not <workout_file>", root.line
        )
    texts: dict[str, str] = {}
    tags: list[tuple[str, bool]] = []
    metadata: list[tuple[str, str]] = []
    workout_node: _Node | None = None
    unit = _unit(root, _Attrs(root).take("durationType"), "s")
    for child in root.children:
        key = child.key
        if key in texts or (key == "workout" and workout_node is not None):
            raise ZwoError(f"<{child.tag}> is given twice", child.line)
        if key == "sporttype":
            texts[key] = _sport(child)
        elif key == DURATION_TYPE:
            texts[key] = _leaf_text(child)
            unit = _unit(child, texts[key], unit)
        elif key in TEXT_ELEMENTS:
            texts[key] = _leaf_text(child)
        elif key == "tags":
            tags.extend(_tags(child))
        elif key == "workout":
            workout_node = child
        elif key in METADATA_ELEMENTS:
            metadata.append((child.tag, _leaf_text(child)))
        elif key == "ftpoverride":
            raise ZwoError("ftpOverride (fixed-watt workouts) is not supported", child.line)
        else:
            raise ZwoError(f"unknown element <{child.tag}> in <workout_file>", child.line)
    if workout_node is None:
        raise ZwoError("no <workout> element", root.line)
    steps: list[Step] = []
    events: list[TextEvent] = []
    for child in workout_node.children:
        if child.key == "textevent":
            events.append(_text_event(child))
        elif child.key in STEP_KEYS:
            steps.append(_step(child, unit))
        else:
            raise ZwoError(f"unknown element <{child.tag}> in <workout>", child.line)
    try:
        return Workout(
            name=texts.get("name", ""),
            sport="run" if texts.get("sporttype") == "run" else "bike",
            steps=tuple(steps),
            author=texts.get("author", ""),
            description=texts.get("description", ""),
            tags=tuple(name for name, _ in tags),
            events=tuple(events),
            metadata=tuple(metadata),
            text_tags=tuple(dict.fromkeys(name for name, as_text in tags if as_text)),
        )
    except ValueError as exc:
        raise ZwoError(str(exc), workout_node.line) from None


def read_zwo(data: bytes) -> Workout:
    """Parse one ZWO file; raises ``ZwoError`` (with the line) for anything it cannot read."""
    if len(data) > MAX_ZWO_BYTES:
        raise ZwoError(f"file too large ({len(data)} bytes; the limit is {MAX_ZWO_BYTES})")
    return _workout(_parse_tree(data))
