"""A session's records as a Parquet file (zstd), losslessly, and back.

Columns (SPEC §3): ``timestamp`` (UTC, milliseconds), ``elapsed_s``, ``distance_m``,
``speed_mps``, ``heart_rate_bpm``, ``cadence_spm``, ``altitude_m``, ``latitude_deg``,
``longitude_deg`` and ``power_w`` (only when the device recorded power), float64 with
nulls where the sample has no value. Reading gives back the very ``Records`` that were
written, so a recomputation from storage equals the analysis done at import.

Encodings: byte-stream-split for the floats and delta for the timestamps, then zstd
(level 1): measured on a 1 h run, half the time of plain zstd for ~10 % more bytes.
"""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from smartrunning.science.records import COLUMNS, FloatArray, Records

__all__ = ["records_from_parquet", "records_to_parquet"]

_FLOAT_COLUMNS = tuple(c for c in COLUMNS if c != "timestamp_s")
_OPTIONAL = frozenset({"power_w"})


def records_to_parquet(records: Records) -> bytes:
    """Parquet bytes (zstd) of ``records``; NaN becomes null."""
    ts = records.timestamp_s
    ms = np.round(ts * 1000.0)
    arrays: dict[str, pa.Array] = {
        "timestamp": pa.array(ms.astype(np.int64), type=pa.int64(), mask=~np.isfinite(ts)).cast(
            pa.timestamp("ms", tz="UTC")
        ),
    }
    for name in _FLOAT_COLUMNS:
        values: FloatArray = getattr(records, name)
        missing = ~np.isfinite(values)
        if name in _OPTIONAL and missing.all():
            continue
        arrays[name] = pa.array(values, type=pa.float64(), mask=missing)
    sink = io.BytesIO()
    encodings = dict.fromkeys(arrays, "BYTE_STREAM_SPLIT")
    encodings["timestamp"] = "DELTA_BINARY_PACKED"
    pq.write_table(
        pa.table(arrays),
        sink,
        compression="zstd",
        compression_level=1,
        use_dictionary=False,
        write_statistics=False,
        column_encoding=encodings,
    )
    return sink.getvalue()


def records_from_parquet(data: bytes) -> Records:
    """The ``Records`` written by :func:`records_to_parquet` (absent columns all NaN)."""
    table = pq.read_table(io.BytesIO(data))
    n = table.num_rows
    columns: dict[str, FloatArray] = {}
    if "timestamp" in table.column_names:
        ms = pc.cast(table.column("timestamp"), pa.int64())
        columns["timestamp_s"] = _floats(ms) / 1000.0
    for name in _FLOAT_COLUMNS:
        if name in table.column_names:
            columns[name] = _floats(table.column(name))
    return Records.from_columns(n, **columns)


def _floats(column: pa.ChunkedArray) -> FloatArray:
    filled = pc.fill_null(pc.cast(column, pa.float64()), np.nan)
    return np.asarray(filled.to_numpy(), dtype=np.float64)
