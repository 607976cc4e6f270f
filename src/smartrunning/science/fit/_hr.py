"""Heart rate stored in ``hr`` messages, merged into the records as garmin-fit-sdk does.

Chest straps that store heart rate while the watch cannot receive it (HRM-Swim, HRM-Pro,
HRM-Tri) hand it over after the activity as ``hr`` messages: beat-rate samples
(``filtered_bpm``) with their times (``event_timestamp``, 1/1024 s; after an anchor message
that holds the full value and a ``timestamp``, later messages carry 8 samples each in
``event_timestamp_12``, twelve bits apiece, accumulated). The records then carry no heart
rate, or the wrist's.

Source: Garmin FIT SDK (Python, 21.218), ``hr_mesg_utils.expand_heart_rates`` and
``merge_heart_rates`` (FIT Protocol Licence), ported here to read what any of our decoders
gives: samples expanded in 250 ms steps, the previous value carried over gaps of up to
5 s; each record then takes the rounded mean of the samples in (previous record, record]
(a record at the same second as the one before it takes the second before it too). A
record the samples do not reach keeps its own value. Where the messages are
inconsistent (no anchor, counts that differ, times going back), the SDK raises; here the
merge is skipped and the records keep their own heart rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from smartrunning.science.records import FloatArray

__all__ = ["HR_MESSAGE", "expand_heart_rates", "merge_heart_rates"]

HR_MESSAGE = 132
"""FIT global message number of ``hr``."""
_SCALE = 1024.0
_BITS = 12
_ROLLOVER_S = 0x400000
_GAP_STEP_S = 0.25
_GAP_MAX_STEPS = 20


class _Inconsistent(ValueError):
    pass


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, bytes | bytearray | list | tuple):
        return list(value)
    return [value]


def _twelve_bit_values(packed: list[int]) -> list[int]:
    """The 12-bit values packed little-endian into ``event_timestamp_12``'s bytes."""
    whole = int.from_bytes(bytes(int(b) & 0xFF for b in packed), "little")
    return [(whole >> (_BITS * k)) & 0xFFF for k in range(len(packed) * 8 // _BITS)]


def expand_heart_rates(rows: Iterable[Mapping[str, Any]]) -> tuple[FloatArray, FloatArray]:
    """(time, bpm) samples of ``hr`` messages, expanded like the SDK's ``expand_heart_rates``.

    ``rows``: each message's ``timestamp`` (Unix seconds, only on anchor messages),
    ``fractional_timestamp`` (s), ``event_timestamp`` (s, a value or list) or
    ``event_timestamp_12`` (the packed bytes), and ``filtered_bpm`` (a value or list).
    Empty arrays when the messages are inconsistent.
    """
    try:
        times, bpms = _expand(rows)
    except _Inconsistent:
        return np.empty(0), np.empty(0)
    return np.asarray(times, dtype=np.float64), np.asarray(bpms, dtype=np.float64)


def _expand(rows: Iterable[Mapping[str, Any]]) -> tuple[list[float], list[float]]:
    anchor_time: float | None = None
    anchor_event = 0.0
    accumulated: int | None = None
    last: int | None = None
    times: list[float] = []
    bpms: list[float] = []
    for row in rows:
        bpm = [float(b) for b in _as_list(row.get("filtered_bpm"))]
        packed = _as_list(row.get("event_timestamp_12"))
        if packed:
            events = []
            for twelve in _twelve_bit_values(packed)[: len(bpm)]:
                if accumulated is None or last is None:
                    accumulated = last = twelve
                accumulated += (twelve - last) & 0xFFF
                last = twelve
                events.append(accumulated / _SCALE)
        else:
            events = [float(e) for e in _as_list(row.get("event_timestamp"))]
            if events:
                accumulated = last = round(events[-1] * _SCALE)
        stamp = row.get("timestamp")
        if stamp is not None and np.isfinite(stamp):
            anchor_time = float(stamp) + float(row.get("fractional_timestamp") or 0.0)
            if len(events) != 1:
                raise _Inconsistent("an anchor hr message needs one event_timestamp")
            anchor_event = events[0]
        if anchor_time is None or len(events) != len(bpm):
            raise _Inconsistent("hr samples without an anchor, or counts that differ")
        for event, value in zip(events, bpm, strict=True):
            if event < anchor_event:
                if anchor_event - event <= _ROLLOVER_S:
                    raise _Inconsistent("hr event times going back")
                event += _ROLLOVER_S
            current = anchor_time + (event - anchor_event)
            if times:
                previous_time, previous_bpm = times[-1], bpms[-1]
                gap_ms = abs(current - previous_time) * 1000.0
                step = 1
                while gap_ms > _GAP_STEP_S * 1000.0 and step <= _GAP_MAX_STEPS:
                    times.append(previous_time + _GAP_STEP_S * step)
                    bpms.append(previous_bpm)
                    gap_ms -= _GAP_STEP_S * 1000.0
                    step += 1
            times.append(current)
            bpms.append(value)
    return times, bpms


def merge_heart_rates(
    record_times: FloatArray, record_hr: FloatArray, hr_times: FloatArray, hr_bpm: FloatArray
) -> FloatArray:
    """Record heart rate with the ``hr`` samples merged in (the SDK's ``merge_heart_rates``).

    ``record_times`` in file order (Unix seconds); returns a new heart-rate column.
    """
    out = np.array(record_hr, dtype=np.float64, copy=True)
    n_hr = len(hr_times)
    if not n_hr or not len(record_times):
        return out
    samples_t = hr_times.tolist()
    samples_b = hr_bpm.tolist()
    index = 0
    range_start: float | None = None
    for i, end in enumerate(np.asarray(record_times, dtype=np.float64).tolist()):
        if not np.isfinite(end):
            continue
        total = 0.0
        count = 0
        if range_start is None:
            range_start = end
        if range_start == end:
            range_start -= 1
            index = index - 1 if index >= 1 else 0
        while index < n_hr:
            t = samples_t[index]
            if range_start < t <= end:
                total += samples_b[index]
                count += 1
            elif t > end:
                if count:
                    out[i] = int(total / count + 0.5)
                range_start = end
                break
            index += 1
    return out
