"""Our session figures beside the device's own totals, and why they differ (issue #16).

Four figures are compared with the totals the watch wrote into the file: distance (within
1 % or 5 m), timer time (1 % or 2 s), average and maximum heart rate (1 bpm). Where one
disagrees, the session carries a note for a person with both values and the reason, from
what the file itself shows (samples left out, timer events, moving-only averages, the
watch's own laps): ``device_figure_notes``. ``science.analysis`` calls it with the file's
``SourceInfo``; the agreement bench and tests use ``DEVICE_FIGURES`` and ``figure_agrees``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Protocol

__all__ = ["DEVICE_FIGURES", "DeviceFigure", "DeviceSource", "device_figure_notes", "figure_agrees"]


class DeviceSource(Protocol):
    """What the notes read of a file's session (``science.analysis.SourceInfo``)."""

    @property
    def timer_time_s(self) -> float | None: ...
    @property
    def notes(self) -> tuple[str, ...]: ...
    @property
    def device_distance_m(self) -> float | None: ...
    @property
    def device_timer_time_s(self) -> float | None: ...
    @property
    def device_avg_hr_bpm(self) -> float | None: ...
    @property
    def device_max_hr_bpm(self) -> float | None: ...
    @property
    def device_laps_avg_hr_bpm(self) -> float | None: ...


@dataclass(frozen=True)
class DeviceFigure:
    """One of the four figures compared with the device's own session totals (issue #16)."""

    key: str
    label: str
    """How its note on the session starts, for a person."""
    attribute: str
    """Ours: the attribute of ``SessionAnalysis`` (and of the stored session)."""
    total: str
    """The device's: the field of ``DeviceTotals``."""

    def ours(self, session: Any) -> float | None:
        value = getattr(session, self.attribute)
        return None if value is None else float(value)

    def device(self, totals: Any) -> float | None:
        value = getattr(totals, self.total)
        if value is None or (self.key in ("avg_hr", "max_hr") and not value):
            return None  # a heart rate of 0 is "not measured"
        return float(value)


DEVICE_FIGURES: Final = (
    DeviceFigure("distance", "Distance", "distance_m", "total_distance_m"),
    DeviceFigure("timer", "Timer time", "timer_time_s", "total_timer_time_s"),
    DeviceFigure("avg_hr", "Average heart rate", "avg_hr_bpm", "avg_heart_rate_bpm"),
    DeviceFigure("max_hr", "Maximum heart rate", "max_hr_bpm", "max_heart_rate_bpm"),
)
"""Distance within 1 % or 5 m, timer time within 1 % or 2 s, heart rates within 1 bpm."""


def figure_agrees(key: str, ours: float | None, device: float) -> bool:
    """Whether our figure ``key`` agrees with the device's (tolerances: ``DEVICE_FIGURES``)."""
    if ours is None:
        return False
    if key == "distance":
        return abs(ours - device) <= max(0.01 * device, 5.0)
    if key == "timer":
        return abs(ours - device) <= max(0.01 * device, 2.0)
    return abs(ours - device) <= 1.0


def _device_figures(source: DeviceSource) -> dict[str, float | None]:
    return {
        "distance": source.device_distance_m,
        "timer": source.device_timer_time_s,
        "avg_hr": source.device_avg_hr_bpm or None,
        "max_hr": source.device_max_hr_bpm or None,
    }


def device_figure_notes(
    ours: dict[str, float | None],
    source: DeviceSource,
    *,
    moving_avg_hr_bpm: float | None,
    samples_span_s: float,
) -> list[str]:
    """A note, for a person, for each figure where ours and the device's disagree: both
    values and why (the rules below; each note starts with the figure's ``label``)."""
    device = _device_figures(source)
    notes = []
    for figure in DEVICE_FIGURES:
        theirs, value = device[figure.key], ours[figure.key]
        if theirs is None or figure_agrees(figure.key, value, theirs):
            continue
        why = _disagreement(figure.key, value, theirs, source, moving_avg_hr_bpm, samples_span_s)
        notes.append(f"{figure.label}: {why}")
    return notes


def _disagreement(
    key: str,
    ours: float | None,
    theirs: float,
    source: DeviceSource,
    moving_hr: float | None,
    span_s: float,
) -> str:
    if key == "distance":
        if ours is None:
            return f"the watch says {_length(theirs)}; the file's samples carry no distance."
        left_out = any("were left out" in note for note in source.notes)
        why = (
            "it leaves out the samples the file could not place in time (see the note above)"
            if left_out and ours < theirs
            else "it is the distance the file's own samples cover"
        )
        return f"the watch says {_length(theirs)}, ours is {_length(ours)}: {why}."
    if key == "timer":
        basis = (
            "from the file's start and stop events"
            if source.timer_time_s is not None
            else "from the samples (the file has no timer events)"
        )
        if ours is not None and abs(span_s - theirs) <= 2.0 < abs(ours - theirs):
            return (
                f"the watch says {_clock(theirs)}, counted to its last sample; its own stop "
                f"event is {abs(ours - span_s):.0f} s later, and ours, {_clock(ours)}, is "
                f"{basis}."
            )
        return f"the watch says {_clock(theirs)}, ours is {_clock(ours or 0.0)}, {basis}."
    if ours is None:
        return f"the watch says {theirs:.0f} bpm; the file holds no heart rate sample."
    if key == "max_hr":
        if ours < theirs:
            return (
                f"the watch's {theirs:.0f} bpm is in none of the file's samples; ours is "
                f"the highest recorded ({ours:.0f} bpm)."
            )
        return (
            f"the watch says {theirs:.0f} bpm, below a recorded sample of {ours:.0f} bpm; "
            "ours is the highest recorded."
        )
    laps = source.device_laps_avg_hr_bpm
    if moving_hr is not None and abs(moving_hr - theirs) <= 1.0:
        return (
            f"the watch's {theirs:.0f} bpm is averaged only while moving "
            f"({moving_hr:.1f} bpm); ours, {ours:.1f} bpm, is over the timer time, as "
            f"Garmin's watches count it (differs by {abs(ours - theirs):.0f} bpm)."
        )
    if laps is not None and abs(laps - theirs) > 1.0:
        return (
            f"the watch's session average ({theirs:.0f} bpm) disagrees with its own laps "
            f"({laps:.1f} bpm, weighted by their timer time); ours is {ours:.1f} bpm, "
            "from the samples over the timer time."
        )
    if laps is not None:
        return (
            f"the watch says {theirs:.0f} bpm, as its laps do ({laps:.1f} bpm), but its own "
            f"heart-rate samples over the timer time average {ours:.1f} bpm; ours is from "
            "the samples."
        )
    return (
        f"the watch says {theirs:.0f} bpm, ours is {ours:.1f} bpm, from the file's samples "
        f"over the timer time (differs by {abs(ours - theirs):.0f} bpm)."
    )


def _length(metres: float) -> str:
    return f"{metres:.0f} m" if metres < 1000 else f"{metres / 1000:.2f} km"


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
