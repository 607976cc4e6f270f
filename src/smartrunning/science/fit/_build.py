"""From a library-neutral :class:`RawFit` to our :class:`DecodedFile`: the same for all decoders.

Steps: name the file type and device; put device-relative times on a clock
(:data:`TimeBasis`); merge the heart rate of ``hr`` messages into the records (``_hr``, as
garmin-fit-sdk's ``merge_heart_rates``; files with dates only); put records in time order;
cut them into one segment per session message (multisport legs, chained activities);
convert each segment to ``Records`` in SI units; attach laps and the device's totals.

The activity timer runs from a timer ``start`` event to the next ``stop``, ``stop_all``,
``stop_disable`` or ``stop_disable_all`` (FIT profile, ``event_type``).

Segmenting (issue #16): sessions sorted by start time; the session's own start and end
bound its records. A session takes the records from its start to its end (``timestamp``
or start + elapsed, the later), with a slack of ``BOUND_SLACK_S`` after the end (not
reaching into the next session) and before the first session's start. A record stamped
exactly at a leg's end, where the next leg starts, belongs to both legs: it ends the one
(its distance is that leg's last) and opens the other, as the SDK's leg totals count it.
Records outside every session, and within a session any stretch more than
``TIME_JUMP_S`` away from its largest stretch (a clock jumping years or weeks ahead), are
left out with a note on the session (``DecodedSession.notes``). Where a session's times
hold fewer than two of its records, it keeps the records from its start to the next
session's start (the rule before). A file without session messages (a crashed device) is
one segment whose sport comes from its ``sport`` message, else ``generic``. Laps are
attached by their start time.

Timer time (``DecodedSession.timer_time_s``): from the timer events, cut at the session's
end; where the events do not cover the session, the device's own total
(``total_timer_time``, when not longer than the session); else ``None`` and analysis
falls back to the records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from smartrunning.science.fit._adapters import RawFit, Row
from smartrunning.science.fit._header import RELATIVE_TIME_LIMIT_S, FileId
from smartrunning.science.fit._hr import merge_heart_rates
from smartrunning.science.fit._profile import name_of, product_name
from smartrunning.science.fit.model import (
    FOOT_SPORTS,
    DecodedFile,
    DecodedLap,
    DecodedSession,
    DeviceInfo,
    DeviceTotals,
    TimeBasis,
    TimerSource,
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
    merged = raw.heart_rates is not None and shift == 0.0 and "timestamp" in record
    if merged and raw.heart_rates is not None:
        n = len(record["timestamp"])
        own = record.get("heart_rate", np.full(n, np.nan))
        record["heart_rate"] = merge_heart_rates(record["timestamp"], own, *raw.heart_rates)
    record = _time_ordered(record)
    sessions = sorted((_shift_row(s, shift) for s in raw.sessions), key=_sort_key)
    laps = sorted((_shift_row(lap, shift) for lap in raw.laps), key=_sort_key)
    if not sessions:
        sessions = [{k: v for k, v in raw.sports[0].items()} if raw.sports else {}]
    n_records = len(next(iter(record.values()))) if record else 0
    ts = record.get("timestamp", np.full(n_records, np.nan))
    starts = np.array([_start(s) for s in sessions])
    ends = np.array([_end(s) for s in sessions])
    spans = _spans(ts, starts, ends, _elapsed_start(sessions[0]))
    lap_owner = _owner(starts, np.array([_start(lap) for lap in laps]))
    running = _timer_intervals(_shift_row(e, shift) for e in raw.timer_events)
    lengths = [_shift_row(length, shift) for length in raw.lengths]
    length_owner = _owner(starts, np.array([_start(length) for length in lengths]))
    decoded = tuple(
        _session(
            session,
            {k: v[span.rows] for k, v in record.items()},
            tuple(_lap(lap) for lap, owner in zip(laps, lap_owner, strict=True) if owner == i),
            has_totals=bool(raw.sessions),
            running=running,
            stop_at=span.stop_at,
            notes=(*span.notes, _HR_MERGED) if merged else span.notes,
            swimming=_swimming(lengths, length_owner, i),
        )
        for i, (session, span) in enumerate(zip(sessions, spans, strict=True))
    )
    offset = _utc_offset(raw) if basis == "utc" else None
    return DecodedFile(
        file_type, raw.decoder, fallback_reason, decoded, device, basis, chained_files, offset
    )


_HR_MERGED = (
    "Heart rate comes from the chest strap's stored readings, merged in as Garmin's FIT SDK does."
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


def _end(row: Row) -> float:
    """A session's end: its ``timestamp`` where later than its start, else start + elapsed
    (some devices stamp the session at its start: a Zwift file); start + elapsed too where
    the ``timestamp`` lies more than ``TIME_JUMP_S`` beyond it (a clock that jumped before
    the session was written). NaN if neither is known."""
    start = _start(row)
    stamp = row.get("timestamp", np.nan)
    elapsed = row.get("total_elapsed_time", np.nan)
    by_elapsed = start + elapsed
    jumped = np.isfinite(by_elapsed) and stamp > by_elapsed + TIME_JUMP_S
    if np.isfinite(stamp) and stamp > start and not jumped:
        return float(stamp)
    return float(by_elapsed) if np.isfinite(by_elapsed) else np.nan


def _elapsed_start(row: Row) -> float:
    """End ``timestamp`` − elapsed time (NaN where not written)."""
    if "timestamp" in row and "total_elapsed_time" in row:
        return row["timestamp"] - row["total_elapsed_time"]
    return np.nan


BOUND_SLACK_S = 60.0
BOUND_SLACK_FRACTION = 0.02
"""Records up to max(60 s, 2 % of the session's length) after a session's end (and before
the first session's start) still belong to it: devices stamp the session a little before
their last record (a Zwift file: the session ends 20 s before its last record)."""
TIME_JUMP_S = 86_400.0
"""Records more than a day apart belong to different stretches of time: a session keeps
its largest stretch (a clock that jumps years or weeks ahead and back, issue #16)."""


@dataclass(frozen=True, slots=True)
class _Span:
    rows: npt.NDArray[np.intp]
    """Indices of the session's records, in time order."""
    stop_at: float
    """Where the session's timer is cut: its end, the next session's start, or the end of
    its records when a time jump was cut off."""
    notes: tuple[str, ...]


def _spans(ts: FloatArray, starts: FloatArray, ends: FloatArray, first_start: float) -> list[_Span]:
    """The records of each session: those between its own start and end (module docstring).

    ``first_start``: the first session's end − elapsed, when earlier than its start_time.
    """
    n = len(starts)
    out = []
    taken = np.zeros(len(ts), dtype=np.bool_)
    for i in range(n):
        start, end = float(starts[i]), float(ends[i])
        next_start = float(starts[i + 1]) if i + 1 < n and np.isfinite(starts[i + 1]) else np.inf
        slack = BOUND_SLACK_S
        if np.isfinite(start) and np.isfinite(end):
            slack = max(BOUND_SLACK_S, BOUND_SLACK_FRACTION * (end - start))
        lower = start
        if i == 0:  # a first session may start before its start_time says (fenix 2)
            lower = float(np.fmin(start, first_start)) - slack
        if np.isfinite(end):
            # the record at a leg's end is shared with the next leg when the device
            # stamped the next leg's start there (SDK leg totals count it in both)
            upper = max(end, min(end + slack, np.nextafter(next_start, -np.inf)))
        else:
            upper = np.nextafter(next_start, -np.inf) if np.isfinite(next_start) else np.inf
        lower = -np.inf if not np.isfinite(lower) else lower
        inside = (ts >= lower) & (ts <= upper)
        # the old rule (from this start to the next start): when the session's own times
        # do not describe its records at all, they are kept as before
        old = (ts >= (start if i > 0 and np.isfinite(start) else -np.inf)) & (ts < next_start)
        notes: list[str] = []
        if np.count_nonzero(inside) < 2 <= np.count_nonzero(old):
            inside = old
            upper = next_start
        else:
            outside = int(np.count_nonzero(old & ~inside & ~taken))
            if outside:
                notes.append(
                    f"{outside} sample(s) dated outside the session "
                    f"({_when(lower)} to {_when(upper)}) were left out."
                )
        rows = np.flatnonzero(inside)
        taken[rows] = True
        rows, jumped = _largest_stretch(rows, ts)
        stop_at = min(end, next_start) if np.isfinite(end) else next_start
        if jumped:
            notes.append(
                f"{jumped} sample(s) more than a day away from the rest (the watch's clock "
                "jumped) were left out."
            )
            stop_at = min(stop_at, float(ts[rows[-1]]))
        out.append(_Span(rows, stop_at, tuple(notes)))
    return out


def _largest_stretch(
    rows: npt.NDArray[np.intp], ts: FloatArray
) -> tuple[npt.NDArray[np.intp], int]:
    """The rows of the largest stretch without a gap over ``TIME_JUMP_S`` (ties: the first),
    and how many rows were left out."""
    if len(rows) < 2:
        return rows, 0
    t = ts[rows]
    finite = np.isfinite(t)
    if not finite.all():
        return rows, 0
    breaks = np.flatnonzero(np.diff(t) > TIME_JUMP_S) + 1
    if not len(breaks):
        return rows, 0
    pieces = np.split(rows, breaks)
    best = max(pieces, key=len)  # max keeps the first of equal lengths
    return best, len(rows) - len(best)


def _when(unix_s: float) -> str:
    if not np.isfinite(unix_s):
        return "…"
    return datetime.fromtimestamp(unix_s, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


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
_MAX_UTC_OFFSET_S = 14 * 3600
_OFFSET_STEP_S = 900


def _timer_intervals(events: Iterable[Row]) -> tuple[tuple[float, float], ...]:
    """(start, stop) Unix seconds of each stretch the timer ran; an unstopped one runs on.

    A stop before any start (FR70-era devices do not write the first start) ran from
    the beginning: its stretch starts at −∞ and is cut at the session's start.
    """
    intervals: list[tuple[float, float]] = []
    running: float | None = None
    for event in sorted(events, key=lambda e: e["timestamp"]):
        kind = int(event["event_type"])
        if kind == _TIMER_START and running is None:
            running = event["timestamp"]
        elif kind in _TIMER_STOPS and running is None and not intervals:
            intervals.append((-np.inf, event["timestamp"]))
        elif kind in _TIMER_STOPS and running is not None:
            intervals.append((running, event["timestamp"]))
            running = None
    if running is not None:
        intervals.append((running, np.inf))
    return tuple(intervals)


def _timer_time(
    running: tuple[tuple[float, float], ...],
    start: float | None,
    stop_at: float,
    last_record: float | None,
) -> float | None:
    """Timer running time from ``start`` to ``stop_at`` (None: the events do not cover it).

    ``stop_at`` is the session's own end (or the next session's start): a stop event long
    after the session ended adds nothing. The events describe the session when a running
    stretch overlaps it. A timer never stopped (a crashed device) counts up to the
    session's last record. Only the file's own events and session times are used.
    """
    if start is None or not np.isfinite(start):
        return None
    if not any(a < stop_at and b > start for a, b in running):
        return None
    total = 0.0
    for a, b in running:
        stop = b if np.isfinite(b) else (last_record if last_record is not None else a)
        total += max(0.0, min(stop, stop_at) - max(a, start))
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
    stop_at: float,
    notes: tuple[str, ...],
    swimming: tuple[tuple[float, float], ...],
) -> DecodedSession:
    sport = name_of("sport", row.get("sport")) or "generic"
    records = _records(columns, foot=sport in FOOT_SPORTS)
    summary = _summary_records(row, laps, records) if has_totals else None
    if summary is not None:
        records = summary
        notes = (*notes, _SUMMARY_ONLY)
    start = row.get("start_time")
    if start is None and len(records) and np.isfinite(records.timestamp_s[0]):
        start = float(records.timestamp_s[0])
    ts = records.timestamp_s
    last = float(np.nanmax(ts)) if len(ts) and np.isfinite(ts).any() else None
    totals = _totals(row) if has_totals else None
    timer = _timer_time(running, start, stop_at, last)
    timer_source: TimerSource | None = "events" if timer is not None else None
    if timer is None and totals is not None and _plausible_timer(totals, start, stop_at):
        timer, timer_source = totals.total_timer_time_s, "device"
        notes = (*notes, "Timer time is the watch's own total (the file has no timer events).")
    return DecodedSession(
        sport=sport,
        sub_sport=name_of("sub_sport", row.get("sub_sport")),
        start_time=_datetime(start),
        records=records,
        laps=laps,
        totals=totals,
        timer_time_s=timer,
        timer_source=timer_source,
        notes=notes,
        swimming_s=swimming,
    )


_ACTIVE_LENGTH = 1


def _swimming(lengths: list[Row], owner: list[int], index: int) -> tuple[tuple[float, float], ...]:
    """(start, end) Unix seconds of the session's active pool lengths (rests left out)."""
    out = []
    for length, i in zip(lengths, owner, strict=True):
        start = _start(length)
        if i != index or length.get("length_type") != _ACTIVE_LENGTH or not np.isfinite(start):
            continue
        end = start + length["total_elapsed_time"] if "total_elapsed_time" in length else np.nan
        if np.isfinite(end) and end >= start:
            out.append((float(start), float(end)))
    return tuple(out)


_SUMMARY_ONLY = (
    "Summary only: the samples carry no usable times, so the session is built from the "
    "watch's session and lap summaries (a point at each lap's start and end)."
)


def _summary_records(row: Row, laps: tuple[DecodedLap, ...], records: Records) -> Records | None:
    """Records made of the session's laps (or of the session alone) when its own records
    have fewer than two timed samples but the session says when it started and how long
    and far it went: one sample at the start and one at each lap's end, with the
    cumulative distance and the lap's average heart rate. ``None`` where the records are
    usable or the session does not say enough."""
    timed = np.count_nonzero(np.isfinite(records.timestamp_s))
    start = row.get("start_time")
    elapsed = row.get("total_elapsed_time")
    if timed >= 2 or start is None or elapsed is None or elapsed <= 0:
        return None
    times, distances, hrs = [float(start)], [0.0], [np.nan]
    distance = 0.0
    for lap in laps:
        if lap.start_time is None or lap.total_elapsed_time_s is None:
            continue
        end = lap.start_time.timestamp() + lap.total_elapsed_time_s
        if not times[-1] < end <= start + elapsed + BOUND_SLACK_S:
            continue
        distance += lap.total_distance_m or 0.0
        times.append(end)
        distances.append(distance)
        hrs.append(np.nan if lap.avg_heart_rate_bpm is None else lap.avg_heart_rate_bpm)
    if len(times) < 2:
        total = row.get("total_distance")
        times.append(float(start + elapsed))
        distances.append(float(total) if total is not None else np.nan)
        hrs.append(row.get("avg_heart_rate", np.nan))
    ts = np.asarray(times)
    return Records.from_columns(
        len(ts), timestamp_s=ts, elapsed_s=ts - ts[0], distance_m=distances, heart_rate_bpm=hrs
    )


def _plausible_timer(totals: DeviceTotals, start: float | None, stop_at: float) -> bool:
    """The device's timer total, when written, positive and not longer than the session."""
    value = totals.total_timer_time_s
    if value is None or not np.isfinite(value) or value <= 0:
        return False
    if start is not None and np.isfinite(start) and np.isfinite(stop_at):
        return value <= stop_at - start + BOUND_SLACK_S
    return True


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
        pool_length_unit=name_of("display_measure", row.get("pool_length_unit")),
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
