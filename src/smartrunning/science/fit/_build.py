"""From a library-neutral :class:`RawFit` to our :class:`DecodedFile`: the same for all decoders.

Steps: name the file type and device; put device-relative times on a clock
(:data:`TimeBasis`); put records in time order; cut them into one segment per session
message (multisport legs, chained activities); convert each segment to ``Records`` in SI
units; attach laps and the device's totals.

Timer time: the activity timer runs from a timer ``start`` event to the next ``stop``,
``stop_all``, ``stop_disable`` or ``stop_disable_all`` (FIT profile, ``event_type``); a
segment's timer time is the running time inside it (see ``DecodedSession.timer_time_s``).

Segmenting: sessions sorted by start time; a record belongs to the last session that
started at or before it (so a record exactly at a leg's start opens that leg); records
before the first session's start go to the first session. A file without session messages
(a crashed device) is one segment whose sport comes from its ``sport`` message, else
``generic``. Laps are attached the same way, by their start time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import numpy as np

from smartrunning.science.fit._adapters import RawFit, Row
from smartrunning.science.fit._header import RELATIVE_TIME_LIMIT_S, FileId
from smartrunning.science.fit._profile import name_of, product_name
from smartrunning.science.fit.model import (
    FOOT_SPORTS,
    DecodedFile,
    DecodedLap,
    DecodedSession,
    DeviceInfo,
    DeviceTotals,
    TimeBasis,
)
from smartrunning.science.records import FloatArray, Records

__all__ = ["build"]

_ACTIVITY = 4


def build(raw: RawFit, *, chained_files: int, fallback_reason: str | None) -> DecodedFile:
    """Assemble the :class:`DecodedFile` for what ``raw.decoder`` read."""
    file_type = _file_type(raw.file_ids)
    device = _device(raw.file_ids)
    if not raw.is_activity:
        return DecodedFile(
            file_type, raw.decoder, fallback_reason, (), device, "utc", chained_files
        )
    shift, basis = _clock(raw)
    record = {k: _shifted(v, shift) if k == "timestamp" else v for k, v in raw.record.items()}
    record = _time_ordered(record)
    sessions = sorted((_shift_row(s, shift) for s in raw.sessions), key=_sort_key)
    laps = sorted((_shift_row(lap, shift) for lap in raw.laps), key=_sort_key)
    if not sessions:
        sessions = [{k: v for k, v in raw.sports[0].items()} if raw.sports else {}]
    n_records = len(next(iter(record.values()))) if record else 0
    ts = record.get("timestamp", np.full(n_records, np.nan))
    starts = np.array([_start(s) for s in sessions])
    cuts = np.searchsorted(ts, starts[1:], side="left")
    bounds = [0, *(int(c) for c in cuts), n_records]
    lap_owner = _owner(starts, np.array([_start(lap) for lap in laps]))
    running = _timer_intervals(_shift_row(e, shift) for e in raw.timer_events)
    decoded = tuple(
        _session(
            session,
            {k: v[bounds[i] : bounds[i + 1]] for k, v in record.items()},
            tuple(_lap(lap) for lap, owner in zip(laps, lap_owner, strict=True) if owner == i),
            has_totals=bool(raw.sessions),
            running=running,
            next_start=float(starts[i + 1]) if i + 1 < len(starts) else np.inf,
        )
        for i, session in enumerate(sessions)
    )
    offset = _utc_offset(raw) if basis == "utc" else None
    return DecodedFile(
        file_type, raw.decoder, fallback_reason, decoded, device, basis, chained_files, offset
    )


def _file_type(file_ids: tuple[FileId, ...]) -> str:
    if any(f.type == _ACTIVITY for f in file_ids):
        return "activity"
    if not file_ids or file_ids[0].type is None:
        return "unknown"
    return name_of("file", file_ids[0].type) or "unknown"


def _device(file_ids: tuple[FileId, ...]) -> DeviceInfo | None:
    for f in file_ids:
        if f.manufacturer is not None or f.product is not None or f.serial_number is not None:
            return DeviceInfo(
                manufacturer=name_of("manufacturer", f.manufacturer),
                product=product_name(f.manufacturer, f.product),
                serial_number=f.serial_number,
            )
    return None


def _clock(raw: RawFit) -> tuple[float, TimeBasis]:
    """The shift that puts device-relative times on the local clock, and the time basis."""
    ts = raw.record.get("timestamp")
    relative = ts is not None and bool(np.any(ts < RELATIVE_TIME_LIMIT_S))
    relative = relative or any(_start(s) < RELATIVE_TIME_LIMIT_S for s in raw.sessions)
    if not relative:
        return 0.0, "utc"
    for activity in raw.activities:
        t, local = activity.get("timestamp"), activity.get("local_timestamp")
        if t is not None and local is not None and t < RELATIVE_TIME_LIMIT_S <= local:
            return local - t, "local"
    return 0.0, "device"


def _shifted(values: FloatArray, shift: float) -> FloatArray:
    if shift == 0.0:
        return values
    return np.where(values < RELATIVE_TIME_LIMIT_S, values + shift, values)


def _shift_row(row: Row, shift: float) -> Row:
    out = dict(row)
    for key in ("start_time", "timestamp"):
        if key in out and out[key] < RELATIVE_TIME_LIMIT_S:
            out[key] += shift
    return out


def _time_ordered(record: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Records sorted by time (stable) when the device wrote a few out of order."""
    ts = record.get("timestamp")
    if ts is None or len(ts) < 2 or bool(np.all(ts[1:] >= ts[:-1])):
        return record
    order = np.argsort(ts, kind="stable")
    return {k: v[order] for k, v in record.items()}


def _start(row: Row) -> float:
    """A session's or lap's start: ``start_time``, else end ``timestamp`` − elapsed."""
    if "start_time" in row:
        return row["start_time"]
    if "timestamp" in row and "total_elapsed_time" in row:
        return row["timestamp"] - row["total_elapsed_time"]
    return np.nan


def _sort_key(row: Row) -> float:
    start = _start(row)
    return start if np.isfinite(start) else np.inf


def _owner(starts: FloatArray, times: FloatArray) -> list[int]:
    """Index of the segment each time falls in (see module docstring)."""
    if len(starts) <= 1:
        return [0] * len(times)
    return [
        int(i)
        for i in np.clip(np.searchsorted(starts, times, side="right") - 1, 0, len(starts) - 1)
    ]


_TIMER_START = 0
_TIMER_STOPS = frozenset({1, 4, 8, 9})  # stop, stop_all, stop_disable, stop_disable_all
_TIMER_START_SLACK_S = 2.0
_MAX_UTC_OFFSET_S = 14 * 3600
_OFFSET_STEP_S = 900


def _timer_intervals(events: Iterable[Row]) -> tuple[tuple[float, float], ...]:
    """(start, stop) Unix seconds of each stretch the timer ran; an unstopped one runs on."""
    intervals = []
    running: float | None = None
    for event in sorted(events, key=lambda e: e["timestamp"]):
        kind = int(event["event_type"])
        if kind == _TIMER_START and running is None:
            running = event["timestamp"]
        elif kind in _TIMER_STOPS and running is not None:
            intervals.append((running, event["timestamp"]))
            running = None
    if running is not None:
        intervals.append((running, np.inf))
    return tuple(intervals)


def _timer_time(
    running: tuple[tuple[float, float], ...],
    start: float | None,
    next_start: float,
    last_record: float | None,
) -> float | None:
    """Timer running time from ``start`` to the next segment's start (None: not covered).

    Only the file's own events and segment starts are used, never the device's totals. A
    timer never stopped (a crashed device) counts up to the segment's last record.
    """
    if start is None or not np.isfinite(start):
        return None
    if not any(a <= start + _TIMER_START_SLACK_S and b > start for a, b in running):
        return None
    total = 0.0
    for a, b in running:
        stop = b if np.isfinite(b) else (last_record if last_record is not None else a)
        total += max(0.0, min(stop, next_start) - max(a, start))
    return float(total)


def _utc_offset(raw: RawFit) -> float | None:
    for activity in raw.activities:
        t, local = activity.get("timestamp"), activity.get("local_timestamp")
        if t is None or local is None:
            continue
        offset = round((local - t) / _OFFSET_STEP_S) * _OFFSET_STEP_S
        if abs(offset) <= _MAX_UTC_OFFSET_S:
            return float(offset)
    return None


def _session(
    row: Row,
    columns: Mapping[str, FloatArray],
    laps: tuple[DecodedLap, ...],
    *,
    has_totals: bool,
    running: tuple[tuple[float, float], ...],
    next_start: float,
) -> DecodedSession:
    sport = name_of("sport", row.get("sport")) or "generic"
    records = _records(columns, foot=sport in FOOT_SPORTS)
    start = row.get("start_time")
    if start is None and len(records) and np.isfinite(records.timestamp_s[0]):
        start = float(records.timestamp_s[0])
    ts = records.timestamp_s
    last = float(np.nanmax(ts)) if len(ts) and np.isfinite(ts).any() else None
    return DecodedSession(
        sport=sport,
        sub_sport=name_of("sub_sport", row.get("sub_sport")),
        start_time=_datetime(start),
        records=records,
        laps=laps,
        totals=_totals(row) if has_totals else None,
        timer_time_s=_timer_time(running, start, next_start, last),
    )


def _records(columns: Mapping[str, FloatArray], *, foot: bool) -> Records:
    n = len(next(iter(columns.values()))) if columns else 0
    nan = np.full(n, np.nan)

    def col(name: str) -> FloatArray:
        return columns.get(name, nan)

    def preferred(enhanced: str, legacy: str) -> FloatArray:
        return np.where(np.isfinite(col(enhanced)), col(enhanced), col(legacy))

    ts = col("timestamp")
    hr = col("heart_rate")
    cadence = nan
    if foot:
        cadence = 2.0 * (col("cadence") + np.nan_to_num(col("fractional_cadence")))
    return Records(
        timestamp_s=ts,
        elapsed_s=ts - ts[0] if n else nan,
        distance_m=col("distance"),
        speed_mps=preferred("enhanced_speed", "speed"),
        heart_rate_bpm=np.where(hr > 0, hr, np.nan),
        cadence_spm=cadence,
        altitude_m=preferred("enhanced_altitude", "altitude"),
        latitude_deg=col("position_lat"),
        longitude_deg=col("position_long"),
        power_w=col("power"),
    )


def _totals(row: Row) -> DeviceTotals:
    return DeviceTotals(
        total_distance_m=row.get("total_distance"),
        total_timer_time_s=row.get("total_timer_time"),
        total_elapsed_time_s=row.get("total_elapsed_time"),
        avg_heart_rate_bpm=row.get("avg_heart_rate"),
        max_heart_rate_bpm=row.get("max_heart_rate"),
        total_ascent_m=row.get("total_ascent"),
        total_descent_m=row.get("total_descent"),
        avg_speed_mps=row.get("enhanced_avg_speed", row.get("avg_speed")),
        max_speed_mps=row.get("enhanced_max_speed", row.get("max_speed")),
        total_calories_kcal=row.get("total_calories"),
    )


def _lap(row: Row) -> DecodedLap:
    return DecodedLap(
        start_time=_datetime(_start(row)),
        total_elapsed_time_s=row.get("total_elapsed_time"),
        total_timer_time_s=row.get("total_timer_time"),
        total_distance_m=row.get("total_distance"),
        avg_heart_rate_bpm=row.get("avg_heart_rate"),
        max_heart_rate_bpm=row.get("max_heart_rate"),
    )


def _datetime(unix_s: float | None) -> datetime | None:
    if unix_s is None or not np.isfinite(unix_s):
        return None
    return datetime.fromtimestamp(unix_s, UTC)
