"""Clean per-sample streams from a ``Records`` table: the shared input of stats and bests.

Conventions used by every derived module:

- Sample ``k`` owns the interval (t[k−1], t[k]] that ends at it; sample 0 owns nothing.
  Its values (speed, heart rate, cadence) stand for that interval, as FIT records are
  written at the end of what they describe.
- Δt is capped (``Limits.dt_cap_s``) so that a pause, which leaves a gap in the records,
  does not count as running (SCIENCE.md, "Streams and session statistics").
- Missing values stay NaN and are never averaged in.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from smartrunning.science.records import FloatArray, Records

__all__ = [
    "ALGORITHM_VERSION",
    "BoolArray",
    "Limits",
    "Smoothing",
    "Streams",
    "clean_heart_rate",
    "clean_streams",
    "cumulative_distance",
    "grade",
    "remove_altitude_spikes",
    "remove_distance_spikes",
    "smooth_altitude",
    "time_deltas",
]

ALGORITHM_VERSION: Final = 2
"""Bump when cleaning changes; values derived from streams (stats, bests, load) go stale."""

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Limits:
    """Validation limits from configuration (SPEC.md §3; SCIENCE.md defaults)."""

    hr_min_bpm: float = 30.0
    hr_max_bpm: float = 220.0
    moving_speed_min_mps: float = 0.5
    """Moving means speed ≥ this; pace is only reported above it."""
    gps_jump_speed_mps: float = 12.0
    """An interval whose implied speed exceeds this is a GPS jump."""
    dt_cap_s: float = 10.0
    """Longest interval counted as timer or moving time."""

    def __post_init__(self) -> None:
        if not 0 < self.hr_min_bpm < self.hr_max_bpm:
            raise ValueError("need 0 < hr_min_bpm < hr_max_bpm")
        if self.moving_speed_min_mps <= 0 or self.gps_jump_speed_mps <= 0:
            raise ValueError("speed limits must be positive")
        if self.dt_cap_s <= 0:
            raise ValueError("dt_cap_s must be positive")


@dataclass(frozen=True, slots=True)
class Smoothing:
    """Altitude smoothing, elevation hysteresis and grade window (SCIENCE.md)."""

    altitude_window_s: float = 10.0
    """Width of the centred moving average of altitude, seconds."""
    elevation_hysteresis_m: float = 1.0
    """Width of the dead band: climbs and dips smaller than this add nothing.

    With the 10 s average, 1 m came closest to the device totals of the barometric files in
    shared/data/fit (−3 % to −18 %); 2–3 m without averaging over- or undershot by up
    to 2×, and 2 m with it undershot by 12–30 %. Flat 1 m white noise gains < 10 m/h.
    """
    grade_window_m: float = 40.0
    """Distance over which grade is measured (centred), metres."""

    def __post_init__(self) -> None:
        if self.altitude_window_s < 0 or self.elevation_hysteresis_m < 0:
            raise ValueError("smoothing widths must be non-negative")
        if self.grade_window_m <= 0:
            raise ValueError("grade_window_m must be positive")


@dataclass(frozen=True, slots=True)
class Streams:
    """Cleaned per-sample columns, all of the records' length.

    - ``elapsed_s``: seconds since the first sample (wall clock).
    - ``dt_s``: capped Δt of the interval ending at each sample (0 for sample 0).
    - ``moving``: the interval ending at the sample was moving.
    - ``speed_mps``: device speed, or Δdistance/Δt where the device gave none.
    - ``distance_m``: cumulative distance from 0 as recorded (the device's total).
    - ``jump``: the interval ending at the sample is a GPS jump.
    - ``clean_distance_m``: cumulative distance with GPS jumps removed (for bests).
    - ``heart_rate_bpm``: NaN outside the valid range.
    - ``cadence_spm``: steps per minute, NaN where missing.
    - ``altitude_m``: smoothed altitude, gaps filled; all NaN when none was recorded.
    - ``grade``: rise over run from smoothed altitude, clamped to ±0.45; 0 without altitude.
    - ``limits``, ``smoothing``: the parameters the streams were cleaned with.
    """

    elapsed_s: FloatArray
    dt_s: FloatArray
    moving: BoolArray
    speed_mps: FloatArray
    distance_m: FloatArray
    jump: BoolArray
    clean_distance_m: FloatArray
    heart_rate_bpm: FloatArray
    cadence_spm: FloatArray
    altitude_m: FloatArray
    grade: FloatArray
    limits: Limits
    smoothing: Smoothing

    def __len__(self) -> int:
        return len(self.elapsed_s)


MAX_GRADE: Final = 0.45
"""Grades beyond ±45 % are clamped (SCIENCE.md, after Minetti et al. 2002)."""


def clean_heart_rate(heart_rate_bpm: FloatArray, limits: Limits) -> FloatArray:
    """Heart rate with values outside [hr_min_bpm, hr_max_bpm] set to NaN (SCIENCE.md)."""
    hr = np.asarray(heart_rate_bpm, dtype=np.float64)
    valid = (hr >= limits.hr_min_bpm) & (hr <= limits.hr_max_bpm)
    return np.where(valid, hr, np.nan)


def _elapsed(records: Records) -> FloatArray:
    source = records.elapsed_s
    if not np.isfinite(source).any():
        source = records.timestamp_s
    finite = np.isfinite(source)
    if not finite.any():
        raise ValueError("records have neither elapsed time nor timestamps")
    idx = np.arange(len(source))
    # A clock that steps back would make negative intervals; hold it instead.
    filled = np.maximum.accumulate(np.interp(idx, idx[finite], source[finite]))
    out: FloatArray = filled - filled[0]
    return out


def time_deltas(elapsed_s: FloatArray, limits: Limits) -> FloatArray:
    """Δt of the interval ending at each sample, clipped to [0, dt_cap_s]; 0 for sample 0.

    The cap keeps pauses out of timer and moving time (SCIENCE.md, "Streams").
    """
    dt = np.diff(elapsed_s, prepend=elapsed_s[:1])
    return np.clip(dt, 0.0, limits.dt_cap_s)


def cumulative_distance(
    distance_m: FloatArray, elapsed_s: FloatArray, limits: Limits
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Recorded and jump-free cumulative distance from 0, and the jump mask.

    Spikes are removed first (``remove_distance_spikes``); increments are taken between
    consecutive samples that have a distance; negative increments (a restarted counter)
    count as 0. An increment whose implied speed
    Δd/Δt exceeds ``gps_jump_speed_mps`` is a GPS jump (SCIENCE.md, "Best efforts") and
    adds nothing to the clean distance. Returns ``(distance_m, clean_distance_m, jump)``.
    """
    n = len(distance_m)
    distance_m = remove_distance_spikes(distance_m, elapsed_s)
    has = np.flatnonzero(np.isfinite(distance_m))
    inc = np.zeros(n)
    jump = np.zeros(n, dtype=np.bool_)
    if len(has) >= 2:
        step = np.maximum(np.diff(distance_m[has]), 0.0)
        span = np.diff(elapsed_s[has])
        with np.errstate(divide="ignore", invalid="ignore"):
            implied = np.where(step > 0, step / span, 0.0)
        inc[has[1:]] = step
        jump[has[1:]] = implied > limits.gps_jump_speed_mps
    total = np.cumsum(inc)
    clean = np.cumsum(np.where(jump, 0.0, inc))
    return total, clean, jump


SPIKE_WINDOW_S: Final = 60.0
"""How far back a drop in the distance stream reaches (see ``remove_distance_spikes``)."""


def remove_distance_spikes(distance_m: FloatArray, elapsed_s: FloatArray) -> FloatArray:
    """The distance stream with spikes taken out: where it drops, every sample of the
    ``SPIKE_WINDOW_S`` before the drop that stands above the value it drops to is lowered to
    it. A glitch up and back (+197 m, then −179 m) so adds only what the stream kept (18 m),
    where counting rises and ignoring drops added the whole 197 m. A drop reaching further
    back is a counter that restarted: left as it is (its drop counts 0, as before).
    """
    d = np.asarray(distance_m, dtype=np.float64)
    has = np.flatnonzero(np.isfinite(d))
    if len(has) < 3:
        return d
    values = d[has]
    drops = np.flatnonzero(np.diff(values) < 0) + 1
    if not len(drops):
        return d
    times = elapsed_s[has]
    for m in drops.tolist():
        first = int(np.searchsorted(times, times[m] - SPIKE_WINDOW_S, side="left"))
        if first > 0 and values[first - 1] > values[m]:
            continue  # reaches further back than the window: a restarted counter
        np.minimum(values[first:m], values[m], out=values[first:m])
    out = d.copy()
    out[has] = values
    return out


def _moving_average(values: FloatArray, axis: FloatArray, width: float) -> FloatArray:
    """Mean of the samples within ±width/2 of each sample along a non-decreasing axis."""
    lo = np.searchsorted(axis, axis - width / 2, side="left")
    hi = np.searchsorted(axis, axis + width / 2, side="right")
    csum = np.concatenate(([0.0], np.cumsum(values)))
    mean: FloatArray = (csum[hi] - csum[lo]) / (hi - lo)
    return mean


ALTITUDE_SPIKE_M: Final = 25.0
ALTITUDE_SPIKE_WINDOW: Final = 31
"""An altitude more than 25 m from the median of the 31 samples around it is a spike."""


def remove_altitude_spikes(altitude_m: FloatArray) -> FloatArray:
    """Altitude with spikes set to NaN (then filled like gaps): a Hampel-style filter, a
    sample more than ``ALTITUDE_SPIKE_M`` from the median of the ``ALTITUDE_SPIKE_WINDOW``
    samples centred on it (a GPS altitude jumping 120 m for a few seconds at the start).
    Climbing 25 m within 15 samples either side takes a grade no run or ride holds."""
    a = np.asarray(altitude_m, dtype=np.float64)
    half = ALTITUDE_SPIKE_WINDOW // 2
    if np.count_nonzero(np.isfinite(a)) < ALTITUDE_SPIKE_WINDOW:
        return a
    padded = np.pad(a, half, mode="reflect")
    windows = np.lib.stride_tricks.sliding_window_view(padded, ALTITUDE_SPIKE_WINDOW)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows
        median = np.nanmedian(windows, axis=1)
    spike = np.abs(a - median) > ALTITUDE_SPIKE_M
    return np.where(spike, np.nan, a)


def smooth_altitude(altitude_m: FloatArray, elapsed_s: FloatArray, window_s: float) -> FloatArray:
    """Altitude with spikes removed (``remove_altitude_spikes``) and gaps interpolated in
    time, then a centred moving average (SCIENCE.md).

    All NaN when no altitude was recorded.
    """
    altitude_m = remove_altitude_spikes(altitude_m)
    finite = np.isfinite(altitude_m)
    if not finite.any():
        return np.full(len(altitude_m), np.nan)
    filled = np.interp(elapsed_s, elapsed_s[finite], altitude_m[finite])
    if window_s == 0:
        return filled
    return _moving_average(filled, elapsed_s, window_s)


def grade(distance_m: FloatArray, altitude_m: FloatArray, window_m: float) -> FloatArray:
    """Grade (rise/run) at each sample over a centred distance window, clamped to ±0.45.

    Uses the samples nearest ``window_m / 2`` behind and ahead along the cumulative
    distance; where they span less than half the window (stopped, or the very start)
    the grade is 0. Clamp per Minetti et al., *J Appl Physiol* 2002 (SCIENCE.md).
    """
    n = len(distance_m)
    if n == 0 or not np.isfinite(altitude_m).all():
        return np.zeros(n)
    lo = np.searchsorted(distance_m, distance_m - window_m / 2, side="left")
    hi = np.searchsorted(distance_m, distance_m + window_m / 2, side="right") - 1
    run = distance_m[hi] - distance_m[lo]
    rise = altitude_m[hi] - altitude_m[lo]
    ok = run >= window_m / 2
    g = np.where(ok, rise / np.where(ok, run, 1.0), 0.0)
    return np.clip(g, -MAX_GRADE, MAX_GRADE)


def _speed(records: Records, distance_m: FloatArray, elapsed_s: FloatArray) -> FloatArray:
    speed = np.where(records.speed_mps >= 0, records.speed_mps, np.nan)
    missing = np.isnan(speed)
    if missing.any():
        step = np.diff(distance_m, prepend=distance_m[:1])
        span = np.diff(elapsed_s, prepend=elapsed_s[:1])
        with np.errstate(divide="ignore", invalid="ignore"):
            derived = np.where(span > 0, step / span, np.nan)
        speed = np.where(missing, derived, speed)
    return speed


def clean_streams(
    records: Records, limits: Limits | None = None, smoothing: Smoothing | None = None
) -> Streams:
    """Clean ``records`` into ``Streams`` (SCIENCE.md, "Streams and session statistics").

    Heart rate outside the valid range becomes NaN; Δt is capped; moving means speed ≥
    ``moving_speed_min_mps``; GPS jumps are found by implied speed; altitude is smoothed
    and grade taken from it. Without any recorded distance, distance is integrated from
    speed over capped Δt (a treadmill or foot-pod file).
    """
    limits = limits or Limits()
    smoothing = smoothing or Smoothing()
    if len(records) == 0:
        raise ValueError("no records")
    elapsed = _elapsed(records)
    dt = time_deltas(elapsed, limits)
    distance_raw = records.distance_m
    if not np.isfinite(distance_raw).any():
        step = np.nan_to_num(np.where(records.speed_mps >= 0, records.speed_mps, 0.0)) * dt
        distance_raw = np.cumsum(step)
    distance, clean, jump = cumulative_distance(distance_raw, elapsed, limits)
    speed = _speed(records, distance, elapsed)
    altitude = smooth_altitude(records.altitude_m, elapsed, smoothing.altitude_window_s)
    cadence = np.where(records.cadence_spm >= 0, records.cadence_spm, np.nan)
    return Streams(
        elapsed_s=elapsed,
        dt_s=dt,
        moving=speed >= limits.moving_speed_min_mps,
        speed_mps=speed,
        distance_m=distance,
        jump=jump,
        clean_distance_m=clean,
        heart_rate_bpm=clean_heart_rate(records.heart_rate_bpm, limits),
        cadence_spm=cadence,
        altitude_m=altitude,
        grade=grade(clean, altitude, smoothing.grade_window_m),
        limits=limits,
        smoothing=smoothing,
    )
