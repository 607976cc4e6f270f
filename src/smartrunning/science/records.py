"""The record table of one activity segment: equal-length columns in SI units.

This is the contract between decoding (``science.fit``) and analysis (``science.stats``,
``science.bests``, ``science.load``): decoders produce it, analysis consumes it, and the
store writes it to Parquet column by column.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

__all__ = ["COLUMNS", "FloatArray", "Records"]


@dataclass(frozen=True, slots=True)
class Records:
    """Per-sample columns of one session; every array has the same length.

    Missing values are NaN, never zero. Samples are in time order.

    - ``timestamp_s``: Unix time, seconds (UTC).
    - ``elapsed_s``: seconds since the first sample.
    - ``distance_m``: cumulative distance, metres.
    - ``speed_mps``: instantaneous speed, m/s.
    - ``heart_rate_bpm``: beats per minute.
    - ``cadence_spm``: running cadence in steps per minute (FIT stores strides per
      minute; decoding doubles it and adds the fractional part).
    - ``altitude_m``: metres above sea level.
    - ``latitude_deg`` / ``longitude_deg``: WGS84 degrees.
    - ``power_w``: watts, when the device recorded power.
    """

    timestamp_s: FloatArray
    elapsed_s: FloatArray
    distance_m: FloatArray
    speed_mps: FloatArray
    heart_rate_bpm: FloatArray
    cadence_spm: FloatArray
    altitude_m: FloatArray
    latitude_deg: FloatArray
    longitude_deg: FloatArray
    power_w: FloatArray

    def __post_init__(self) -> None:
        lengths = {name: len(getattr(self, name)) for name in COLUMNS}
        if len(set(lengths.values())) > 1:
            raise ValueError(f"record columns differ in length: {lengths}")

    def __len__(self) -> int:
        return len(self.timestamp_s)

    @classmethod
    def from_columns(cls, n: int, **columns: npt.ArrayLike) -> Records:
        """Build from the given columns; absent columns become all-NaN of length ``n``."""
        unknown = set(columns) - set(COLUMNS)
        if unknown:
            raise ValueError(f"unknown record columns: {sorted(unknown)}")
        values: dict[str, FloatArray] = {}
        for name in COLUMNS:
            given = columns.get(name)
            values[name] = (
                np.full(n, np.nan) if given is None else np.asarray(given, dtype=np.float64)
            )
        return cls(**values)


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(Records))
