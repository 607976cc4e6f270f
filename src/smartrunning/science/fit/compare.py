"""Compare two decodings of the same file, column by column, at one FIT encoding step.

Used by the differential tests and ``bench/decoders.py``: two libraries agree on a column
when every sample is missing in both or differs by at most one LSB of the field that holds
it (libraries differ in float32 paths and rounding, e.g. 8.154 vs 8.155 m/s).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from smartrunning.science.fit.model import DecodedFile, DeviceTotals
from smartrunning.science.records import COLUMNS, FloatArray, Records

__all__ = ["COLUMN_LSB", "TOTALS_LSB", "column_disagreements", "file_disagreements"]

COLUMN_LSB: Mapping[str, float] = {
    "timestamp_s": 1.0,
    "elapsed_s": 1.0,
    "distance_m": 0.01,
    "speed_mps": 0.001,
    "heart_rate_bpm": 1.0,
    "cadence_spm": 2.0 / 128,  # fractional_cadence: 1/128 stride/min
    "altitude_m": 0.2,
    "latitude_deg": 180.0 / 2**31,
    "longitude_deg": 180.0 / 2**31,
    "power_w": 1.0,
}
"""One encoding step of each ``Records`` column, in its SI unit."""

TOTALS_LSB: Mapping[str, float] = {
    "total_distance_m": 0.01,
    "total_timer_time_s": 0.001,
    "total_elapsed_time_s": 0.001,
    "avg_heart_rate_bpm": 1.0,
    "max_heart_rate_bpm": 1.0,
    "total_ascent_m": 1.0,
    "total_descent_m": 1.0,
    "avg_speed_mps": 0.001,
    "max_speed_mps": 0.001,
    "total_calories_kcal": 1.0,
}


def _within(a: FloatArray, b: FloatArray, lsb: float) -> npt.NDArray[np.bool_]:
    both_missing = np.isnan(a) & np.isnan(b)
    close = np.abs(a - b) <= lsb * (1 + 1e-6) + 1e-9
    return np.asarray(both_missing | close, dtype=np.bool_)


def column_disagreements(a: Records, b: Records) -> dict[str, int]:
    """Per column, how many samples differ by more than one LSB (or are missing in one).

    Records of different lengths disagree in every column, by the longer length.
    """
    if len(a) != len(b):
        return {name: max(len(a), len(b)) for name in COLUMNS}
    out = {}
    for name in COLUMNS:
        bad = int(np.count_nonzero(~_within(getattr(a, name), getattr(b, name), COLUMN_LSB[name])))
        if bad:
            out[name] = bad
    return out


def file_disagreements(a: DecodedFile, b: DecodedFile) -> dict[str, int]:
    """Everything two decodings of one file disagree on, as ``{what: count}`` (empty: agree).

    Keys: ``file_type``, ``utc_offset_s``, ``sessions`` (segment count),
    ``session[i].sport`` / ``.sub_sport`` / ``.start_time`` / ``.timer_time_s`` / ``.laps`` /
    ``.totals.<field>``, and the record columns summed over sessions (``distance_m`` …).
    """
    out: dict[str, int] = {}
    if a.file_type != b.file_type:
        out["file_type"] = 1
    if a.utc_offset_s != b.utc_offset_s:
        out["utc_offset_s"] = 1
    if len(a.sessions) != len(b.sessions):
        out["sessions"] = abs(len(a.sessions) - len(b.sessions))
        return out
    for i, (sa, sb) in enumerate(zip(a.sessions, b.sessions, strict=True)):
        for attr in ("sport", "sub_sport", "start_time", "timer_time_s"):
            if getattr(sa, attr) != getattr(sb, attr):
                out[f"session[{i}].{attr}"] = 1
        if len(sa.laps) != len(sb.laps):
            out[f"session[{i}].laps"] = 1
        for name, count in _totals_disagreements(sa.totals, sb.totals).items():
            out[f"session[{i}].totals.{name}"] = count
        for name, count in column_disagreements(sa.records, sb.records).items():
            out[name] = out.get(name, 0) + count
    return out


def _totals_disagreements(a: DeviceTotals | None, b: DeviceTotals | None) -> dict[str, int]:
    if a is None or b is None:
        return {} if a is b else {"present": 1}
    out = {}
    for name, lsb in TOTALS_LSB.items():
        va, vb = getattr(a, name), getattr(b, name)
        if (va is None) != (vb is None) or (
            va is not None and vb is not None and abs(va - vb) > lsb * (1 + 1e-6)
        ):
            out[name] = 1
    return out
