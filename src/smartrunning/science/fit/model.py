"""What decoding a FIT file returns: our own frozen types, whatever library decoded it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from smartrunning.science.records import Records

__all__ = [
    "FOOT_SPORTS",
    "DecodedFile",
    "DecodedLap",
    "DecodedSession",
    "DecoderName",
    "DeviceInfo",
    "DeviceTotals",
    "TimeBasis",
    "TimerSource",
]

FOOT_SPORTS = frozenset({"running", "walking", "hiking", "generic"})
"""Sports whose FIT cadence is strides/min; decoding reports it as steps/min (× 2)."""

DecoderName = Literal["fitfast", "pyfitparsernative", "fitdecode", "garmin-fit-sdk"]
"""A FIT library the module can decode with (``garmin-fit-sdk`` is the reference)."""

TimerSource = Literal["events", "device"]
"""Where ``DecodedSession.timer_time_s`` comes from: the file's timer events, cut at the
session's end, or the device's own ``total_timer_time`` where no events cover it."""

TimeBasis = Literal["utc", "local", "device"]
"""How the file's times relate to UTC.

- ``utc``: FIT ``date_time`` values, seconds since 1989-12-31 UTC (all modern files).
- ``local``: the device wrote only relative times (FIT "system time" below 0x10000000,
  seconds since power-on; FR60/FR70-era files). They are anchored on the ``activity``
  message's ``local_timestamp``: dates and durations are right, the clock is the
  device's local time, so start times may be off by the unknown UTC offset (≤ 14 h).
- ``device``: relative times and no anchor; durations are right, dates are not (1990).
"""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """The recording device from ``file_id``: profile names where the profile knows them."""

    manufacturer: str | None
    product: str | None
    serial_number: int | None


@dataclass(frozen=True, slots=True)
class DeviceTotals:
    """The device's own session summary, kept as written (``None`` where not written).

    Units are the profile's after scale/offset: m, s, bpm, m/s, kcal.
    """

    total_distance_m: float | None
    total_timer_time_s: float | None
    total_elapsed_time_s: float | None
    avg_heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None
    total_ascent_m: float | None
    total_descent_m: float | None
    avg_speed_mps: float | None
    max_speed_mps: float | None
    total_calories_kcal: float | None
    pool_length_unit: str | None = None
    """A pool swim's unit as the device shows it: ``metric`` (metres) or ``statute``
    (yards), the FIT ``display_measure`` of the session's ``pool_length_unit``."""


@dataclass(frozen=True, slots=True)
class DecodedLap:
    """One lap message, as the device wrote it."""

    start_time: datetime | None
    total_elapsed_time_s: float | None
    total_timer_time_s: float | None
    total_distance_m: float | None
    avg_heart_rate_bpm: float | None
    max_heart_rate_bpm: float | None


@dataclass(frozen=True, slots=True)
class DecodedSession:
    """One sport segment: its sport, its start, its samples, its laps and device totals.

    - ``sport`` / ``sub_sport``: FIT profile names (``running`` / ``treadmill``, ``trail``,
      ``track``; ``walking``; ``cycling`` …); ``sub_sport`` is ``None`` when not written.
    - ``start_time``: tz-aware UTC (see :data:`TimeBasis`); ``None`` only for a file whose
      records and session carry no time at all.
    - ``records``: the samples of this segment (``Records``, SI units, elapsed from the
      segment's first sample). ``cadence_spm`` is filled for foot sports only (running,
      walking, hiking, generic), where FIT cadence is strides/min; other sports' cadence
      (cycling rpm, strokes/min) is not steps and is left NaN.
    - ``totals``: ``None`` when the file has no session message for this segment.
    - ``timer_time_s``: how long the activity timer ran during this segment, from the
      file's timer ``event`` messages (start … stop / stop_all / stop_disable), counted
      from the segment's start to its own end or the next segment's start, whichever is
      first (a stop event long after the session ended adds nothing; a timer never stopped
      counts to the last record). This is how the device counts its own timer time:
      auto-pauses and manual pauses left out, gaps between sparse records counted. Where no
      running stretch of the events overlaps the segment, the device's own
      ``total_timer_time`` when it is written and not longer than the segment
      (``timer_source`` says which); ``None`` when neither, and analysis then falls back
      to the records. FIT timestamps are whole seconds, so a value from events is exact
      to ±1 s while the device's own total has millisecond resolution.
    - ``swimming_s``: (start, end) Unix seconds of each active pool length (``length``
      messages of type active); empty where the file has none. Devices average heart rate
      over these, leaving rests out (the pool swim: 103 bpm over lengths, 97 over all).
    - ``notes``: what decoding changed, for a person (records dated outside the session
      left out, a clock jump cut off, the timer from the device's total, heart rate merged
      from ``hr`` messages).
    """

    sport: str
    sub_sport: str | None
    start_time: datetime | None
    records: Records
    laps: tuple[DecodedLap, ...]
    totals: DeviceTotals | None
    timer_time_s: float | None = None
    timer_source: TimerSource | None = None
    notes: tuple[str, ...] = ()
    swimming_s: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class DecodedFile:
    """A decoded FIT file.

    - ``file_type``: ``activity`` when any chained FIT file in it is an activity, else the
      first one's ``file_id.type`` (``settings``, ``monitoring_b``, ``workout``, ``weight``
      …), ``unknown`` without a ``file_id``. Only activities have sessions.
    - ``decoder``: the library that produced the sessions; ``fallback_reason`` says why it
      is not the first choice (``None`` when it is).
    - ``sessions``: one per sport segment (multisport: one per leg, transitions included),
      in time order, over all chained FIT files.
    - ``chained_files``: how many FIT files the bytes hold (1 for a plain file).
    - ``utc_offset_s``: the device's local time minus UTC, from the ``activity``
      message (``local_timestamp`` − ``timestamp``), rounded to 15 min; ``None`` when
      not written, implausible (beyond ±14 h) or when the times are not UTC
      (``time_basis`` other than ``utc``). It places a session on the runner's own
      calendar day.
    - ``partial``: ``None`` for a whole file; for a damaged one decoded up to the damage
      (``decode_fit(..., salvage=True)``), where the damage starts and the reason the whole
      file was refused.
    """

    file_type: str
    decoder: DecoderName
    fallback_reason: str | None
    sessions: tuple[DecodedSession, ...]
    device: DeviceInfo | None
    time_basis: TimeBasis
    chained_files: int
    utc_offset_s: float | None = None
    partial: str | None = None

    @property
    def is_activity(self) -> bool:
        """Whether this is an activity file (the only kind that becomes sessions)."""
        return self.file_type == "activity"

    @property
    def kind_in_words(self) -> str:
        """What kind of FIT file this is, for a person ("daily monitoring", "settings")."""
        return _FILE_TYPE_WORDS.get(self.file_type, self.file_type.replace("_", " "))


_FILE_TYPE_WORDS = {
    "monitoring_a": "daily monitoring",
    "monitoring_b": "daily monitoring",
    "monitoring_daily": "daily monitoring",
    "exd_configuration": "data screen configuration",
    "mfg_range_min": "manufacturer's",
    "mfg_range_max": "manufacturer's",
    "unknown": "unrecognised",
}
"""FIT ``file`` type names that do not read as words (others: underscores as spaces)."""
