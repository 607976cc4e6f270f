"""Write FIT activity files with known answers, through Garmin's ``garmin-fit-sdk`` Encoder.

For tests and benchmarks (the app writes only workout files: ``science.fit.encode_workout``):
what :func:`encode_activity` writes is :func:`quantize` of the records given (the values on
the FIT field grids), laps as :func:`auto_laps` and session totals as :func:`device_totals`,
so a decoder can be checked exactly against them. :func:`wrap_fit` frames raw message bytes
as a FIT file, to build damaged variants (zero header CRC, truncated messages, chained
files) from a good file.

The field grids (FIT profile scale, offset): timestamp 1 s; distance 0.01 m;
enhanced_speed 0.001 m/s; enhanced_altitude 0.2 m (offset 500 m); heart rate 1 bpm;
cadence 1 stride/min + fractional_cadence 1/128 stride/min (so 1/64 step/min);
position 1 semicircle = 180/2³¹ degrees; power 1 W.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
from garmin_fit_sdk import Encoder, Profile

from smartrunning.science.fit import DecodedLap, DeviceTotals
from smartrunning.science.fit._header import FIT_EPOCH_S, crc16
from smartrunning.science.records import FloatArray, Records

__all__ = [
    "Segment",
    "SessionSpec",
    "auto_laps",
    "device_totals",
    "encode_activity",
    "encode_custom",
    "quantize",
    "wrap_fit",
]

_SEMICIRCLES_PER_DEG = 2**31 / 180.0
_UINT16_BASE_TYPE = 0x84  # what devices write in field_description.fit_base_type_id


@dataclass(frozen=True, slots=True)
class Segment:
    """One sport segment to write (a multisport file has several).

    ``records`` are SI values (NaN: the field is not written for that sample);
    ``lap_distance_m`` auto-laps (``None``: one lap); ``developer_fields`` writes a
    Connect IQ-style uint16 developer field per name, one value per record (NaN: absent).
    """

    records: Records
    sport: str = "running"
    sub_sport: str = "generic"
    lap_distance_m: float | None = 1000.0
    developer_fields: Mapping[str, FloatArray] = field(default_factory=dict)
    pool_length_unit: str | None = None
    """A pool swim's ``display_measure`` (``metric`` or ``statute``); not written if None."""


def quantize(records: Records) -> Records:
    """The records as a FIT file stores them: each column rounded to its field's grid.

    Timestamps to whole seconds, elapsed recomputed; cadence to 1/64 step/min.
    """
    ts = np.round(records.timestamp_s)
    strides = np.round(records.cadence_spm / 2 * 128) / 128
    return Records(
        timestamp_s=ts,
        elapsed_s=ts - ts[0] if len(ts) else ts,
        distance_m=np.round(records.distance_m * 100) / 100,
        speed_mps=np.round(records.speed_mps * 1000) / 1000,
        heart_rate_bpm=np.round(records.heart_rate_bpm),
        cadence_spm=strides * 2,
        altitude_m=np.round((records.altitude_m + 500) * 5) / 5 - 500,
        latitude_deg=np.round(records.latitude_deg * _SEMICIRCLES_PER_DEG) / _SEMICIRCLES_PER_DEG,
        longitude_deg=np.round(records.longitude_deg * _SEMICIRCLES_PER_DEG) / _SEMICIRCLES_PER_DEG,
        power_w=np.round(records.power_w),
    )


def device_totals(records: Records) -> DeviceTotals:
    """The session totals :func:`encode_activity` writes for quantized ``records``.

    Timer time = elapsed time (no pauses); ascent/descent = sums of altitude rises/falls,
    whole metres; calories ≈ 1 kcal per kg per km for 70 kg.
    """
    ts = records.timestamp_s
    elapsed = float(ts[-1] - ts[0])
    distance = _agg(records.distance_m, "max", 100)
    alt = records.altitude_m[np.isfinite(records.altitude_m)]
    steps = np.diff(alt)
    return DeviceTotals(
        total_distance_m=distance,
        total_timer_time_s=elapsed,
        total_elapsed_time_s=elapsed,
        avg_heart_rate_bpm=_agg(records.heart_rate_bpm, "mean", 1),
        max_heart_rate_bpm=_agg(records.heart_rate_bpm, "max", 1),
        total_ascent_m=float(round(steps[steps > 0].sum())) if len(alt) else None,
        total_descent_m=float(round(-steps[steps < 0].sum())) if len(alt) else None,
        avg_speed_mps=_q(distance / elapsed, 1000) if distance is not None and elapsed else None,
        max_speed_mps=_agg(records.speed_mps, "max", 1000),
        total_calories_kcal=float(round(distance / 1000 * 70)) if distance is not None else None,
    )


def auto_laps(records: Records, lap_distance_m: float | None) -> tuple[DecodedLap, ...]:
    """Laps split every ``lap_distance_m`` of (quantized) distance, as written to the file."""
    n = len(records)
    if lap_distance_m is None or not np.isfinite(records.distance_m).any():
        lap_of = np.zeros(n, dtype=np.int64)
    else:
        dist = np.nan_to_num(np.fmax.accumulate(np.nan_to_num(records.distance_m, nan=0.0)))
        lap_of = (dist // lap_distance_m).astype(np.int64)
    laps = []
    for lap in np.unique(lap_of):
        idx = np.flatnonzero(lap_of == lap)
        first, last = idx[0], min(idx[-1] + 1, n - 1)
        seg = slice(idx[0], idx[-1] + 1)
        hr = records.heart_rate_bpm[seg]
        elapsed = float(records.timestamp_s[last] - records.timestamp_s[first])
        d = records.distance_m
        laps.append(
            DecodedLap(
                start_time=datetime.fromtimestamp(float(records.timestamp_s[first]), UTC),
                total_elapsed_time_s=elapsed,
                total_timer_time_s=elapsed,
                total_distance_m=_q(float(d[last] - d[first]), 100)
                if np.isfinite(d[[first, last]]).all()
                else None,
                avg_heart_rate_bpm=_agg(hr, "mean", 1),
                max_heart_rate_bpm=_agg(hr, "max", 1),
            )
        )
    return tuple(laps)


def encode_activity(
    segments: Sequence[Segment],
    *,
    serial_number: int = 3_141_592_653,
    product: int = 1,
    write_sessions: bool = True,
) -> bytes:
    """Write an activity file: one session per segment (several make a multisport file).

    Records are written as :func:`quantize` gives them; ``enhanced_speed`` and
    ``enhanced_altitude`` carry speed and altitude. ``write_sessions=False`` leaves out the
    lap, session and activity messages (like a file from a device that crashed).
    """
    qs = [quantize(s.records) for s in segments]
    t0 = next((float(q.timestamp_s[0]) for q in qs if len(q)), float(FIT_EPOCH_S))
    encoder = Encoder()
    _write(
        encoder,
        "file_id",
        type="activity",
        manufacturer="development",
        product=product,
        serial_number=serial_number,
        time_created=_fit_time(t0),
    )
    dev_keys = _add_developer_fields(encoder, segments)
    if dev_keys:
        _write(encoder, "developer_data_id", developer_data_index=0, application_id=list(range(16)))
        for key, name in enumerate(dev_keys):
            _write(
                encoder,
                "field_description",
                developer_data_index=0,
                field_definition_number=key,
                fit_base_type_id=_UINT16_BASE_TYPE,
                field_name=name,
            )
    _write(encoder, "event", timestamp=_fit_time(t0), event="timer", event_type="start")
    lap_index = 0
    t_end = t0
    for index, (seg, q) in enumerate(zip(segments, qs, strict=True)):
        _write_records(encoder, q, seg.developer_fields, dev_keys)
        if not len(q) or not write_sessions:
            continue
        laps = auto_laps(q, seg.lap_distance_m)
        for i, lap in enumerate(laps):
            start = lap.start_time.timestamp() if lap.start_time else t0
            _write(
                encoder,
                "lap",
                message_index=lap_index + i,
                timestamp=_fit_time(start + (lap.total_elapsed_time_s or 0)),
                start_time=_fit_time(start),
                total_elapsed_time=lap.total_elapsed_time_s,
                total_timer_time=lap.total_timer_time_s,
                total_distance=lap.total_distance_m,
                avg_heart_rate=lap.avg_heart_rate_bpm,
                max_heart_rate=lap.max_heart_rate_bpm,
                event="lap",
                event_type="stop",
                sport=seg.sport,
                sub_sport=seg.sub_sport,
            )
        totals = device_totals(q)
        start, t_end = float(q.timestamp_s[0]), float(q.timestamp_s[-1])
        _write(
            encoder,
            "session",
            message_index=index,
            timestamp=_fit_time(t_end),
            start_time=_fit_time(start),
            sport=seg.sport,
            sub_sport=seg.sub_sport,
            pool_length_unit=seg.pool_length_unit,
            total_elapsed_time=totals.total_elapsed_time_s,
            total_timer_time=totals.total_timer_time_s,
            total_distance=totals.total_distance_m,
            total_calories=totals.total_calories_kcal,
            avg_heart_rate=totals.avg_heart_rate_bpm,
            max_heart_rate=totals.max_heart_rate_bpm,
            total_ascent=totals.total_ascent_m,
            total_descent=totals.total_descent_m,
            enhanced_avg_speed=totals.avg_speed_mps,
            enhanced_max_speed=totals.max_speed_mps,
            first_lap_index=lap_index,
            num_laps=len(laps),
            event="session",
            event_type="stop",
            trigger="activity_end",
        )
        lap_index += len(laps)
    _write(encoder, "event", timestamp=_fit_time(t_end), event="timer", event_type="stop_all")
    if write_sessions:
        _write(
            encoder,
            "activity",
            timestamp=_fit_time(t_end),
            num_sessions=len(segments),
            type="manual",
            event="activity",
            event_type="stop",
            local_timestamp=_fit_time(t_end),
        )
    return bytes(encoder.close())


@dataclass(frozen=True, slots=True)
class SessionSpec:
    """A session message as :func:`encode_custom` writes it: what the device claims."""

    start_s: float
    end_s: float
    totals: DeviceTotals
    sport: str = "running"
    sub_sport: str = "generic"


def encode_custom(
    records: Records,
    sessions: Sequence[SessionSpec],
    timer: Sequence[tuple[float, str]],
) -> bytes:
    """A file with records written in the order given (times as they are: jumps and all),
    timer events ``(unix time, "start" | "stop_all")`` and the session messages given,
    for the hostile files of the agreement test. The records are quantized as
    :func:`encode_activity` writes them; no laps."""
    q = quantize(records)
    finite = q.timestamp_s[np.isfinite(q.timestamp_s)]
    t0 = float(finite.min()) if len(finite) else float(sessions[0].start_s)
    encoder = Encoder()
    _write(
        encoder,
        "file_id",
        type="activity",
        manufacturer="development",
        product=1,
        serial_number=27_182_818,
        time_created=_fit_time(t0),
    )
    events = sorted(timer)
    if events and events[0][1] == "start":
        _write(
            encoder, "event", timestamp=_fit_time(events[0][0]), event="timer", event_type="start"
        )
        events = events[1:]
    _write_records(encoder, q, {}, [])
    for when, kind in events:
        _write(encoder, "event", timestamp=_fit_time(when), event="timer", event_type=kind)
    for index, spec in enumerate(sessions):
        t = spec.totals
        _write(
            encoder,
            "session",
            message_index=index,
            timestamp=_fit_time(spec.end_s),
            start_time=_fit_time(spec.start_s),
            sport=spec.sport,
            sub_sport=spec.sub_sport,
            total_elapsed_time=t.total_elapsed_time_s,
            total_timer_time=t.total_timer_time_s,
            total_distance=t.total_distance_m,
            avg_heart_rate=t.avg_heart_rate_bpm,
            max_heart_rate=t.max_heart_rate_bpm,
            total_ascent=t.total_ascent_m,
            total_descent=t.total_descent_m,
            event="session",
            event_type="stop",
            trigger="activity_end",
        )
    end = max(spec.end_s for spec in sessions)
    _write(
        encoder,
        "activity",
        timestamp=_fit_time(end),
        num_sessions=len(sessions),
        type="manual",
        event="activity",
        event_type="stop",
        local_timestamp=_fit_time(end),
    )
    return bytes(encoder.close())


def wrap_fit(
    data_section: bytes, *, header_size: Literal[12, 14] = 14, zero_header_crc: bool = False
) -> bytes:
    """Frame FIT message bytes as a file: header (12 or 14 bytes) + data + file CRC.

    With ``zero_header_crc`` a 14-byte header stores CRC 0x0000 ("not computed", as older
    Garmin devices write); the file CRC still covers the header and the data.
    """
    header = bytearray(struct.pack("<BBHI4s", header_size, 0x20, 21218, len(data_section), b".FIT"))
    if header_size == 14:
        header += struct.pack("<H", 0 if zero_header_crc else crc16(bytes(header)))
    body = bytes(header) + data_section
    return body + struct.pack("<H", crc16(body))


def _agg(values: FloatArray, how: Literal["mean", "max"], per_unit: int) -> float | None:
    """Mean or maximum of the finite values on a ``1/per_unit`` grid; ``None`` if none."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return None
    return _q(float(finite.mean() if how == "mean" else finite.max()), per_unit)


def _q(value: float, per_unit: int) -> float | None:
    """``value`` rounded to a grid of ``1/per_unit`` (as an integer field stores it)."""
    if not np.isfinite(value):
        return None
    return float(round(value * per_unit)) / per_unit


def _fit_time(unix_s: float) -> int:
    return round(unix_s) - FIT_EPOCH_S


def _write(encoder: Encoder, message: str, **fields: Any) -> None:
    mesg_num = Profile["mesg_num"][message.upper()]
    encoder.write_mesg({"mesg_num": mesg_num, **{k: v for k, v in fields.items() if v is not None}})


def _add_developer_fields(encoder: Encoder, segments: Sequence[Segment]) -> list[str]:
    names = sorted({name for s in segments for name in s.developer_fields})
    for key, name in enumerate(names):
        encoder.add_developer_field(
            key,
            {"developer_data_index": 0, "application_id": list(range(16))},
            {
                "developer_data_index": 0,
                "field_definition_number": key,
                "fit_base_type_id": _UINT16_BASE_TYPE,
                "field_name": name,
            },
        )
    return names


def _write_records(
    encoder: Encoder, q: Records, developer: Mapping[str, FloatArray], dev_keys: list[str]
) -> None:
    strides = q.cadence_spm / 2
    cadence = np.floor(strides)
    columns: dict[str, Any] = {
        "timestamp": q.timestamp_s - FIT_EPOCH_S,
        "position_lat": np.round(q.latitude_deg * _SEMICIRCLES_PER_DEG),
        "position_long": np.round(q.longitude_deg * _SEMICIRCLES_PER_DEG),
        "distance": q.distance_m,
        "enhanced_speed": q.speed_mps,
        "enhanced_altitude": q.altitude_m,
        "heart_rate": q.heart_rate_bpm,
        "cadence": cadence,
        "fractional_cadence": strides - cadence,
        "power": q.power_w,
    }
    lists = {name: _as_list(values) for name, values in columns.items()}
    int_fields = {"timestamp", "position_lat", "position_long", "heart_rate", "cadence", "power"}
    dev_lists = {dev_keys.index(name): _as_list(values) for name, values in developer.items()}
    for i in range(len(q)):
        mesg: dict[str, Any] = {"mesg_num": 20}
        for name, values in lists.items():
            v = values[i]
            if v is not None:
                mesg[name] = int(v) if name in int_fields else v
        dev = {key: int(v) for key, values in dev_lists.items() if (v := values[i]) is not None}
        if dev:
            mesg["developer_fields"] = dev
        encoder.write_mesg(mesg)


def _as_list(values: FloatArray) -> list[float | None]:
    return [None if not np.isfinite(v) else float(v) for v in np.asarray(values, dtype=float)]
