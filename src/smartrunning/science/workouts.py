"""Structured workouts: the step model behind ZWO files, the library, plans and charts.

A workout is a sequence of steps. Each step lasts an ``Extent``: seconds of time or metres
of distance. Intensities are fractions (1.0 = 100 %): of critical speed (CS) for running,
of FTP for cycling, as in ZWO files (SCIENCE.md, "ZWO workout files").

Estimates for a runner take CS in m/s (for a bike workout, pass any reference speed; bike
workouts rarely have distance steps, and time steps need no speed):

- at intensity I the runner moves at I · CS;
- a time step of t s at constant I covers t · I · CS metres; a distance step of D m lasts
  D / (I · CS) seconds;
- a ramp changes intensity linearly over its own measure: over time for a time step, over
  distance for a distance step. A time ramp a → b covers t · CS · (a + b) / 2 metres; a
  distance ramp lasts ∫ dx / v(x) = D · ln(b / a) / ((b − a) · CS) seconds;
- free-run and max-effort steps have no target; estimates assume ``FREE_INTENSITY`` and
  ``MAX_EFFORT_INTENSITY``.

Target kinds (``Target``): a steady step or an interval block's on or off part may be aimed
at a **pace** range (s/km) or a **heart-rate** range (fractions of HRmax) instead of a
fraction of CS. Its ``intensity`` is then the fraction estimates use when no runner is
given (the pace's speed over ``REFERENCE_CS_MPS``, ``target_intensity``); given a runner's
CS, estimates run a pace target at its own speed (the middle of its range), so a distance step
at 3:45–3:50/km lasts what that pace takes whatever the reference was. A heart-rate target
keeps its estimate intensity (``hr_intensity``: Daniels' %HRmax bands mapped to fractions
of CS; an estimate for time, distance and load only, never shown as a pace).

Interval blocks may measure their on and off parts in different units (6 × 800 m on,
90 s off).

Estimated load (rTSS-like, SCIENCE.md "Training load of a session": rTSS = hours · IF² · 100,
100 = one hour at CS): Σ over steps of hours · IF² · 100 with IF the step's intensity. A
ramp uses the time-average of IF²: (a² + ab + b²) / 3 for a time ramp; for a distance ramp
∫ I² dt = ∫ I(x) / CS dx = D · (a + b) / (2 · CS). The plan is an estimate of the workout
as prescribed, not the normalised graded speed of a run. For a bike workout the same sum
is Coggan's TSS with IF = fraction of FTP.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Final, Literal, NamedTuple, assert_never

__all__ = [
    "FREE_INTENSITY",
    "MAX_EFFORT_INTENSITY",
    "MAX_EXTENT",
    "MAX_INTENSITY",
    "MAX_REPEAT",
    "MAX_SEGMENTS",
    "MAX_STEPS",
    "MIN_DISTANCE_INTENSITY",
    "REFERENCE_CS_MPS",
    "Attributes",
    "Extent",
    "ExtentUnit",
    "Free",
    "Intervals",
    "MaxEffort",
    "Ramp",
    "RampKind",
    "Segment",
    "SegmentKind",
    "Sport",
    "Steady",
    "Step",
    "Target",
    "TargetKind",
    "TextEvent",
    "Workout",
    "hr_intensity",
    "step_unit",
    "step_units",
    "target_intensity",
]

Sport = Literal["run", "bike"]
ExtentUnit = Literal["s", "m"]
RampKind = Literal["warmup", "ramp", "cooldown"]
SegmentKind = Literal["warmup", "ramp", "cooldown", "steady", "on", "off", "free", "max"]
Attributes = tuple[tuple[str, str], ...]
TargetKind = Literal["pace", "hr"]

MAX_INTENSITY: Final = 5.0
"""Largest intensity fraction accepted; catches percentages written as fractions (75)."""
MIN_DISTANCE_INTENSITY: Final = 0.1
"""Smallest intensity of a distance step: its time is distance / (intensity · CS)."""
MAX_EXTENT: Final[dict[ExtentUnit, float]] = {"s": 86_400.0, "m": 1_000_000.0}
"""Longest single extent: one day, or 1000 km."""
MAX_REPEAT: Final = 500
MAX_STEPS: Final = 1000
MAX_SEGMENTS: Final = 2000
"""Most segments a workout unrolls to (an interval block counts each on and off): bounds
what charts and watch files hold (1000 blocks × 500 repeats made a 33 MB page)."""
FREE_INTENSITY: Final = 0.75
"""Assumed intensity of a free-run step for estimates: self-paced easy running."""
MAX_EFFORT_INTENSITY: Final = 1.25
"""Assumed intensity of a max-effort step for estimates: about stride speed."""

MIN_PACE_S_PER_KM: Final = 60.0
"""Fastest pace a target may give (1:00/km, 60 km/h: catches a pace typed in minutes)."""
MAX_PACE_S_PER_KM: Final = 1800.0
"""Slowest pace a target may give (30:00/km, a slow walk)."""
MIN_HR_FRACTION: Final = 0.3
MAX_HR_FRACTION: Final = 1.0
REFERENCE_CS_MPS: Final = 3.33
"""CS a pace target is expressed against when no runner's CS is known: the app's default
CS (``defaults.CRITICAL_SPEED``, 5:00/km; not imported, ``defaults`` imports this module),
which charts without a runner use too. The fraction written to ZWO and used by runner-less
estimates."""
_HR_TO_CS: Final = ((0.5, 0.6), (0.72, 0.75), (0.85, 0.86), (0.9, 0.97), (0.99, 1.08), (1.0, 1.1))
"""(fraction of HRmax, fraction of CS) points for ``hr_intensity``: the middles of Daniels'
%HRmax bands (easy 65–79 %, marathon 80–90 %, threshold 88–92 %, interval 98–100 %)
against the middles of the CS fractions of the same intensities (easy ~0.75, marathon
~0.86, threshold ~0.97, interval ~1.08), linear in between."""

_SECONDS_PER_HOUR: Final = 3600.0
# XML 1.0 cannot carry other control characters or U+FFFE/U+FFFF, even escaped.
_NOT_XML_CHAR: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _check_text(value: str, what: str) -> None:
    bad = _NOT_XML_CHAR.search(value)
    if bad is not None:
        raise ValueError(f"{what} contains a character that is not allowed: {bad.group()!r}")


def _check_attributes(attributes: Attributes, what: str) -> None:
    for name, value in attributes:
        _check_text(name, f"{what} attribute name")
        _check_text(value, f"{what} attribute {name}")


def _check_intensity(value: float, what: str, *, minimum: float = 0.0) -> None:
    if not (math.isfinite(value) and minimum <= value <= MAX_INTENSITY):
        raise ValueError(
            f"{what} must be a fraction between {minimum:g} and {MAX_INTENSITY:g} "
            f"(1.0 = 100 %), got {value!r}"
        )


@dataclass(frozen=True, slots=True)
class Extent:
    """How long something lasts: ``value`` seconds (``unit="s"``) or metres (``"m"``)."""

    value: float
    unit: ExtentUnit = "s"

    def __post_init__(self) -> None:
        if self.unit not in MAX_EXTENT:
            raise ValueError(f"extent unit must be 's' or 'm', got {self.unit!r}")
        limit = MAX_EXTENT[self.unit]
        if not math.isfinite(self.value):
            raise ValueError(f"extent must be a finite number, got {self.value!r}")
        if self.value < 0.0:
            raise ValueError(f"extent must not be negative, got {self.value!r}")
        if self.value > limit:
            raise ValueError(f"extent must be at most {limit:g} {self.unit}, got {self.value!r}")

    @property
    def is_distance(self) -> bool:
        return self.unit == "m"


def _check_step_extent(extent: Extent, what: str) -> None:
    if extent.value <= 0.0:
        raise ValueError(f"{what} must be positive, got {extent.value!r}")


@dataclass(frozen=True, slots=True)
class Target:
    """What a step or part aims at when it is not a fraction of CS.

    ``kind`` "pace": ``low`` and ``high`` are the fastest and slowest pace, s/km
    (equal for one pace); "hr": the lowest and highest heart rate as fractions of HRmax.
    """

    kind: TargetKind
    low: float
    high: float

    def __post_init__(self) -> None:
        if self.kind == "pace":
            bounds, what = (MIN_PACE_S_PER_KM, MAX_PACE_S_PER_KM), "pace"
        elif self.kind == "hr":
            bounds, what = (MIN_HR_FRACTION, MAX_HR_FRACTION), "heart rate"
        else:
            raise ValueError(f"target kind must be 'pace' or 'hr', got {self.kind!r}")
        for value in (self.low, self.high):
            if isinstance(value, bool) or not (
                math.isfinite(value) and bounds[0] <= value <= bounds[1]
            ):
                raise ValueError(f"{what} target must be between {bounds[0]:g} and {bounds[1]:g}")
        if self.low > self.high:
            raise ValueError(f"{what} target: the first value must not be above the second")

    @property
    def speed_mps(self) -> float | None:
        """The middle of a pace range as a speed (m/s); None for a heart-rate target."""
        if self.kind != "pace":
            return None
        return (1000.0 / self.low + 1000.0 / self.high) / 2.0


def hr_intensity(low: float, high: float) -> float:
    """The CS fraction estimates use for a heart-rate range (``_HR_TO_CS``)."""
    middle = (low + high) / 2.0
    points = _HR_TO_CS
    if middle <= points[0][0]:
        return points[0][1]
    for (h0, c0), (h1, c1) in itertools.pairwise(points):
        if middle <= h1:
            return c0 + (c1 - c0) * (middle - h0) / (h1 - h0)
    return points[-1][1]


def target_intensity(target: Target, cs_mps: float = REFERENCE_CS_MPS) -> float:
    """The fraction of ``cs_mps`` a target stands for, within the model's limits: a pace's
    middle speed over ``cs_mps``; a heart-rate range's ``hr_intensity``."""
    speed = target.speed_mps
    value = hr_intensity(target.low, target.high) if speed is None else speed / cs_mps
    return min(max(value, MIN_DISTANCE_INTENSITY), MAX_INTENSITY)


@dataclass(frozen=True, slots=True)
class TextEvent:
    """A message shown at ``offset`` from the start of its step (or of the workout when
    it is not inside a step). ``attributes``: other ZWO attributes, kept as read."""

    offset: Extent
    message: str
    attributes: Attributes = ()

    def __post_init__(self) -> None:
        _check_text(self.message, "text event message")
        _check_attributes(self.attributes, "text event")


@dataclass(frozen=True, slots=True)
class Steady:
    """Constant intensity for ``extent`` (ZWO ``SteadyState``).

    ``attributes`` holds the ZWO attributes the model does not interpret (``pace``,
    ``units``, ``Cadence`` …), in file order; they are written back unchanged.

    ``target_range``: a target band (low, high) instead of one value, as Zwift's own files
    give it (``SteadyState PowerLow PowerHigh`` without ``Power``); the athlete holds
    anywhere inside it. ``intensity`` is then its middle, which estimates use; build one
    with :meth:`ranged`.

    ``target``: a pace or heart-rate target instead of a fraction of CS (module doc);
    ``intensity`` is then its estimate fraction, and ``target_range`` is None.
    """

    extent: Extent
    intensity: float
    events: tuple[TextEvent, ...] = ()
    attributes: Attributes = ()
    target_range: tuple[float, float] | None = None
    target: Target | None = None

    def __post_init__(self) -> None:
        _check_step_extent(self.extent, "steady duration")
        minimum = MIN_DISTANCE_INTENSITY if self.extent.is_distance else 0.0
        if self.target_range is not None:
            low, high = self.target_range
            _check_intensity(low, "steady range low", minimum=minimum)
            _check_intensity(high, "steady range high", minimum=minimum)
        _check_intensity(self.intensity, "steady intensity", minimum=minimum)
        if self.target_range is not None and not math.isclose(
            self.intensity, sum(self.target_range) / 2.0, rel_tol=1e-9, abs_tol=1e-12
        ):
            raise ValueError("a ranged steady step's intensity is the middle of its range")
        if self.target is not None and self.target_range is not None:
            raise ValueError("a steady step has a pace or heart-rate target or a range, not both")
        _check_attributes(self.attributes, "steady")

    @classmethod
    def ranged(
        cls,
        extent: Extent,
        low: float,
        high: float,
        events: tuple[TextEvent, ...] = (),
        attributes: Attributes = (),
    ) -> Steady:
        """A steady step with the target band ``low`` … ``high`` (kept in that order)."""
        return cls(extent, (low + high) / 2.0, events, attributes, (low, high))


@dataclass(frozen=True, slots=True)
class Ramp:
    """Intensity changing linearly from ``intensity_start`` to ``intensity_end``.

    ZWO ``Warmup``, ``Ramp`` and ``Cooldown``; ZWO calls the start ``PowerLow`` and the end
    ``PowerHigh`` even when the ramp goes down, as a cooldown usually does.
    """

    kind: RampKind
    extent: Extent
    intensity_start: float
    intensity_end: float
    events: tuple[TextEvent, ...] = ()
    attributes: Attributes = ()

    def __post_init__(self) -> None:
        if self.kind not in ("warmup", "ramp", "cooldown"):
            raise ValueError(f"ramp kind must be warmup, ramp or cooldown, got {self.kind!r}")
        _check_step_extent(self.extent, f"{self.kind} duration")
        minimum = MIN_DISTANCE_INTENSITY if self.extent.is_distance else 0.0
        _check_intensity(self.intensity_start, f"{self.kind} start intensity", minimum=minimum)
        _check_intensity(self.intensity_end, f"{self.kind} end intensity", minimum=minimum)
        _check_attributes(self.attributes, self.kind)


@dataclass(frozen=True, slots=True)
class Intervals:
    """``repeat`` × (``on`` at ``on_intensity``, then ``off`` at ``off_intensity``).

    ZWO ``IntervalsT``. ``on`` and ``off`` may have different units (800 m on, 90 s off;
    ZWO has one duration type per element, so the writer marks the off part's own,
    ``zwo_format.OFF_DURATION_TYPE``). ``off`` may be zero (back-to-back efforts).
    ``on_target``/``off_target``: a pace or heart-rate target for the part (module doc),
    whose ``*_intensity`` is then its estimate fraction; not with a ramped part.

    Ramped intervals (Zwift's ``PowerOnLow``/``PowerOnHigh``, ``PowerOffLow``/
    ``PowerOffHigh``): each on (off) part goes linearly from ``on_intensity``
    (``off_intensity``) to ``on_intensity_end`` (``off_intensity_end``), like a ``Ramp``;
    ``None`` means constant (``OnPower``/``OffPower``).
    """

    repeat: int
    on: Extent
    off: Extent
    on_intensity: float
    off_intensity: float
    events: tuple[TextEvent, ...] = ()
    attributes: Attributes = ()
    on_intensity_end: float | None = None
    off_intensity_end: float | None = None
    on_target: Target | None = None
    off_target: Target | None = None

    def __post_init__(self) -> None:
        if isinstance(self.repeat, bool) or not 1 <= self.repeat <= MAX_REPEAT:
            raise ValueError(f"repeat must be between 1 and {MAX_REPEAT}, got {self.repeat!r}")
        _check_step_extent(self.on, "on duration")
        on_minimum = MIN_DISTANCE_INTENSITY if self.on.is_distance else 0.0
        off_minimum = MIN_DISTANCE_INTENSITY if self.off.is_distance else 0.0
        _check_intensity(self.on_intensity, "on intensity", minimum=on_minimum)
        _check_intensity(self.off_intensity, "off intensity", minimum=off_minimum)
        if self.on_intensity_end is not None:
            _check_intensity(self.on_intensity_end, "on end intensity", minimum=on_minimum)
        if self.off_intensity_end is not None:
            _check_intensity(self.off_intensity_end, "off end intensity", minimum=off_minimum)
        if self.on_target is not None and self.on_intensity_end is not None:
            raise ValueError("a ramped on part cannot have a pace or heart-rate target")
        if self.off_target is not None and self.off_intensity_end is not None:
            raise ValueError("a ramped off part cannot have a pace or heart-rate target")
        _check_attributes(self.attributes, "intervals")

    @property
    def on_ends(self) -> tuple[float, float]:
        """Intensity at the start and the end of each on part (equal unless ramped)."""
        end = self.on_intensity if self.on_intensity_end is None else self.on_intensity_end
        return (self.on_intensity, end)

    @property
    def off_ends(self) -> tuple[float, float]:
        """Intensity at the start and the end of each off part (equal unless ramped)."""
        end = self.off_intensity if self.off_intensity_end is None else self.off_intensity_end
        return (self.off_intensity, end)


@dataclass(frozen=True, slots=True)
class Free:
    """No target: the athlete chooses (ZWO ``FreeRide``/``Freeride``)."""

    extent: Extent
    events: tuple[TextEvent, ...] = ()
    attributes: Attributes = ()

    def __post_init__(self) -> None:
        _check_step_extent(self.extent, "free duration")
        _check_attributes(self.attributes, "free")


@dataclass(frozen=True, slots=True)
class MaxEffort:
    """As hard as possible for ``extent`` (ZWO ``MaxEffort``)."""

    extent: Extent
    events: tuple[TextEvent, ...] = ()
    attributes: Attributes = ()

    def __post_init__(self) -> None:
        _check_step_extent(self.extent, "max-effort duration")
        _check_attributes(self.attributes, "max effort")


Step = Steady | Ramp | Intervals | Free | MaxEffort


def step_unit(step: Step) -> ExtentUnit:
    """What the step is measured in: ``"s"`` (time) or ``"m"`` (distance); for an interval
    block, its on part's (``step_units`` gives both)."""
    return step.on.unit if isinstance(step, Intervals) else step.extent.unit


def step_units(step: Step) -> frozenset[ExtentUnit]:
    """Every unit the step is measured in (an interval block's on and off parts)."""
    if isinstance(step, Intervals):
        return frozenset({step.on.unit, step.off.unit})
    return frozenset({step.extent.unit})


def _at(intensity: float, target: Target | None, cs_mps: float | None) -> float:
    """``intensity``, or a pace target's own speed as a fraction of ``cs_mps``."""
    if target is None or cs_mps is None or target.speed_mps is None:
        return intensity
    return target_intensity(target, cs_mps)


class Segment(NamedTuple):
    """One piece of the flattened timeline, for charts: seconds from the start and the
    intensity at its start and end (equal unless a ramp). ``step_index`` points into
    ``Workout.steps``; free and max-effort pieces carry the assumed intensities."""

    start_s: float
    end_s: float
    intensity_start: float
    intensity_end: float
    kind: SegmentKind
    step_index: int


class _Piece(NamedTuple):
    extent: Extent
    start: float
    end: float
    kind: SegmentKind


def _pieces(step: Step, cs_mps: float | None = None) -> Iterator[_Piece]:
    if isinstance(step, Steady):
        value = _at(step.intensity, step.target, cs_mps)
        yield _Piece(step.extent, value, value, "steady")
    elif isinstance(step, Ramp):
        yield _Piece(step.extent, step.intensity_start, step.intensity_end, step.kind)
    elif isinstance(step, Intervals):
        on, off = step.on_ends, step.off_ends
        if step.on_target is not None:
            on = (_at(on[0], step.on_target, cs_mps),) * 2
        if step.off_target is not None:
            off = (_at(off[0], step.off_target, cs_mps),) * 2
        for _ in range(step.repeat):
            yield _Piece(step.on, on[0], on[1], "on")
            if step.off.value > 0.0:
                yield _Piece(step.off, off[0], off[1], "off")
    elif isinstance(step, Free):
        yield _Piece(step.extent, FREE_INTENSITY, FREE_INTENSITY, "free")
    elif isinstance(step, MaxEffort):
        yield _Piece(step.extent, MAX_EFFORT_INTENSITY, MAX_EFFORT_INTENSITY, "max")
    else:
        assert_never(step)


def _speed_needed(cs_mps: float | None) -> float:
    if cs_mps is None:
        raise ValueError("a distance step needs a speed: pass cs_mps")
    if not (math.isfinite(cs_mps) and cs_mps > 0.0):
        raise ValueError(f"cs_mps must be a positive speed, got {cs_mps!r}")
    return cs_mps


def _piece_seconds(piece: _Piece, cs_mps: float | None) -> float:
    if not piece.extent.is_distance:
        return piece.extent.value
    speed = _speed_needed(cs_mps)
    a, b = piece.start, piece.end
    if math.isclose(a, b, rel_tol=1e-9):
        return piece.extent.value / (a * speed)
    return piece.extent.value * math.log(b / a) / ((b - a) * speed)


def _piece_metres(piece: _Piece, cs_mps: float) -> float:
    if piece.extent.is_distance:
        return piece.extent.value
    return piece.extent.value * _speed_needed(cs_mps) * (piece.start + piece.end) / 2.0


def _piece_load(piece: _Piece, cs_mps: float | None) -> float:
    a, b = piece.start, piece.end
    if piece.extent.is_distance:
        if_squared_seconds = piece.extent.value * (a + b) / (2.0 * _speed_needed(cs_mps))
    else:
        if_squared_seconds = piece.extent.value * (a * a + a * b + b * b) / 3.0
    return if_squared_seconds / _SECONDS_PER_HOUR * 100.0


def _check_whole(steps: tuple[Step, ...]) -> None:
    """The whole workout within ``MAX_SEGMENTS`` and ``MAX_EXTENT`` (time steps and
    distance steps each), repetitions counted, without unrolling them."""
    segments = 0
    totals: dict[ExtentUnit, float] = {"s": 0.0, "m": 0.0}
    for step in steps:
        if isinstance(step, Intervals):
            segments += step.repeat * (2 if step.off.value > 0.0 else 1)
            totals[step.on.unit] += step.repeat * step.on.value
            totals[step.off.unit] += step.repeat * step.off.value
        else:
            segments += 1
            totals[step.extent.unit] += step.extent.value
    if segments > MAX_SEGMENTS:
        raise ValueError(
            f"a workout unrolls to at most {MAX_SEGMENTS} segments (each repetition counted), "
            f"got {segments}"
        )
    if totals["s"] > MAX_EXTENT["s"]:
        raise ValueError(
            f"a workout's timed steps last at most 24 h, got {totals['s'] / 3600:.0f} h"
        )
    if totals["m"] > MAX_EXTENT["m"]:
        raise ValueError(
            f"a workout's distance steps cover at most 1000 km, got {totals['m'] / 1000:.0f} km"
        )


@dataclass(frozen=True, slots=True)
class Workout:
    """A structured workout.

    ``events``: text events outside any step, offsets from the start of the workout.
    ``metadata``: other top-level ZWO elements kept as read (``category`` …), in order.
    Tags are free text; the library marks the kind of workout with a ``kind:`` tag.
    ``text_tags``: the tags a ZWO file gave as element text (``<tag>x</tag>``) rather than
    as Zwift's ``name`` attribute (``<tag name="x"/>``), so they are written back that way.
    """

    name: str
    sport: Sport
    steps: tuple[Step, ...]
    author: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    events: tuple[TextEvent, ...] = ()
    metadata: Attributes = ()
    text_tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.sport not in ("run", "bike"):
            raise ValueError(f"sport must be 'run' or 'bike', got {self.sport!r}")
        if not self.steps:
            raise ValueError("a workout needs at least one step")
        if len(self.steps) > MAX_STEPS:
            raise ValueError(f"a workout has at most {MAX_STEPS} steps, got {len(self.steps)}")
        _check_whole(self.steps)
        _check_text(self.name, "name")
        _check_text(self.author, "author")
        _check_text(self.description, "description")
        for tag in self.tags:
            if not tag.strip():
                raise ValueError("tags must not be empty")
            _check_text(tag, "tag")
        for tag in self.text_tags:
            if tag not in self.tags:
                raise ValueError(f"text tag {tag!r} is not one of the tags")
        _check_attributes(self.metadata, "metadata")

    @property
    def kind(self) -> str | None:
        """The value of the first ``kind:`` tag (``kind:easy`` → ``"easy"``), if any."""
        for tag in self.tags:
            if tag.startswith("kind:"):
                return tag.removeprefix("kind:")
        return None

    @property
    def has_distance_steps(self) -> bool:
        """Whether any step is measured in metres (estimates then need a speed)."""
        return any("m" in step_units(step) for step in self.steps)

    def at_cs(self, cs_mps: float) -> Workout:
        """The workout with each pace target's intensity its own speed over ``cs_mps``
        (what the estimates use for that runner); the same workout without pace targets."""
        steps: list[Step] = []
        for step in self.steps:
            if isinstance(step, Steady) and step.target is not None:
                step = replace(step, intensity=_at(step.intensity, step.target, cs_mps))
            elif isinstance(step, Intervals):
                step = replace(
                    step,
                    on_intensity=_at(step.on_intensity, step.on_target, cs_mps),
                    off_intensity=_at(step.off_intensity, step.off_target, cs_mps),
                )
            steps.append(step)
        return replace(self, steps=tuple(steps))

    def total_duration_s(self, cs_mps: float | None = None) -> float:
        """Total time in seconds; ``cs_mps`` converts distance steps (see module doc)."""
        return sum(
            _piece_seconds(piece, cs_mps) for step in self.steps for piece in _pieces(step, cs_mps)
        )

    def total_distance_m(self, cs_mps: float) -> float:
        """Total distance in metres at the given CS (time steps at I · CS)."""
        return sum(
            _piece_metres(piece, cs_mps) for step in self.steps for piece in _pieces(step, cs_mps)
        )

    def estimated_load(self, cs_mps: float | None = None) -> float:
        """rTSS-like load: Σ hours · IF² · 100 over the steps (see module doc)."""
        return sum(
            _piece_load(piece, cs_mps) for step in self.steps for piece in _pieces(step, cs_mps)
        )

    def timeline(self, cs_mps: float | None = None) -> tuple[Segment, ...]:
        """The steps flattened into consecutive segments (intervals unrolled), for charts."""
        segments: list[Segment] = []
        clock = 0.0
        for index, step in enumerate(self.steps):
            for piece in _pieces(step, cs_mps):
                end = clock + _piece_seconds(piece, cs_mps)
                segments.append(Segment(clock, end, piece.start, piece.end, piece.kind, index))
                clock = end
        return tuple(segments)
