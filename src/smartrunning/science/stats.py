"""Session statistics from cleaned streams (SCIENCE.md, "Streams and session statistics").

Everything is in SI units; a value that cannot be computed (no heart rate, no altitude,
too slow for a pace) is ``None``, never 0. Zones are given as plain edges — zone 1's
lower bound followed by every zone's upper bound, as ``zones.ZoneSet.edges`` gives them —
and counted by ``zones.time_in_zones``: [lower, upper), the top zone open-ended.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from smartrunning.science.records import FloatArray
from smartrunning.science.streams import Streams
from smartrunning.science.zones import Zone, ZoneSet, ZoneTimes, ZoneUnit, time_in_zones

__all__ = [
    "ALGORITHM_VERSION",
    "MILE_M",
    "MINETTI_C0",
    "NGS_WINDOW_S",
    "Segment",
    "SessionStats",
    "aerobic_decoupling_pct",
    "elevation_changes",
    "grade_adjusted_speed",
    "minetti_cost",
    "normalised_graded_speed",
    "session_stats",
    "zone_seconds",
]

ALGORITHM_VERSION: Final = 2
"""Bump when any statistic changes (including through ``streams.ALGORITHM_VERSION``).
2: mile splits beside the km splits."""

MILE_M: Final = 1609.344
"""One international mile in metres: the split length for readers in miles."""

_MINETTI: Final = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)
MINETTI_C0: Final = 3.6
"""Energy cost of running on the flat, J·kg⁻¹·m⁻¹ (Minetti et al. 2002)."""
NGS_WINDOW_S: Final = 30.0


@dataclass(frozen=True, slots=True)
class Segment:
    """One split (km or mile) or lap. ``index`` counts from 0; times are seconds, speeds m/s.

    ``timer_time_s`` counts capped Δt, ``moving_time_s`` only moving intervals; pace is
    from moving speed. Heart rate and cadence are time-weighted means.
    """

    index: int
    start_elapsed_s: float
    end_elapsed_s: float
    elapsed_time_s: float
    timer_time_s: float
    moving_time_s: float
    distance_m: float
    moving_speed_mps: float | None
    moving_pace_s_per_km: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    avg_cadence_spm: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None


@dataclass(frozen=True, slots=True)
class SessionStats:
    """Totals of one session; see ``session_stats`` for the definitions."""

    elapsed_time_s: float
    timer_time_s: float
    moving_time_s: float
    distance_m: float
    avg_speed_mps: float | None
    avg_pace_s_per_km: float | None
    moving_speed_mps: float | None
    moving_pace_s_per_km: float | None
    max_speed_mps: float | None
    grade_adjusted_speed_mps: float | None
    grade_adjusted_pace_s_per_km: float | None
    normalised_graded_speed_mps: float | None
    efficiency_factor: float | None
    """Normalised graded speed in m/min per bpm of average heart rate."""
    aerobic_decoupling_pct: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    avg_cadence_spm: float | None
    elevation_gain_m: float | None
    elevation_loss_m: float | None
    hr_zones: ZoneTimes | None
    pace_zones: ZoneTimes | None
    splits: tuple[Segment, ...]
    laps: tuple[Segment, ...]
    mile_splits: tuple[Segment, ...] = ()
    """Splits every mile (``MILE_M``), for readers in miles."""


def minetti_cost(grade: npt.ArrayLike) -> FloatArray:
    """Energy cost of running C(i) in J·kg⁻¹·m⁻¹ at grade i (rise/run).

    C(i) = 155.4 i⁵ − 30.4 i⁴ − 43.3 i³ + 46.3 i² + 19.5 i + 3.6 (Minetti et al.,
    *J Appl Physiol* 2002;93:1039–46), valid for |i| ≤ 0.45.
    """
    return np.asarray(np.polyval(_MINETTI, np.asarray(grade, dtype=np.float64)), dtype=np.float64)


def grade_adjusted_speed(speed_mps: FloatArray, grade: FloatArray) -> FloatArray:
    """GAS = v · C(i) / C(0): the flat speed of equal energy cost (Minetti et al. 2002)."""
    return speed_mps * minetti_cost(grade) / MINETTI_C0


def normalised_graded_speed(
    gas_mps: FloatArray, dt_s: FloatArray, window_s: float = NGS_WINDOW_S
) -> float | None:
    """Fourth-power mean of the 30 s rolling mean of grade-adjusted speed, m/s.

    Coggan's normalised-power construction applied to GAS (SCIENCE.md; TrainingPeaks'
    NGP is proprietary). The rolling mean is time-weighted over capped Δt, so pauses
    collapse; samples before the first full window are left out. ``None`` when the
    session is shorter than one window.
    """
    weight = np.where(np.isfinite(gas_mps), dt_s, 0.0)
    value = np.where(weight > 0, gas_mps, 0.0)
    axis = np.cumsum(dt_s)
    c_val = np.concatenate(([0.0], np.cumsum(value * weight)))
    c_w = np.concatenate(([0.0], np.cumsum(weight)))
    lo = np.searchsorted(axis, axis - window_s, side="right")
    hi = np.arange(1, len(axis) + 1)
    span = c_w[hi] - c_w[lo]
    full = (axis >= window_s) & (span > 0) & (weight > 0)
    if not full.any():
        return None
    rolling = (c_val[hi] - c_val[lo])[full] / span[full]
    w = weight[full]
    return float((np.sum(rolling**4 * w) / np.sum(w)) ** 0.25)


def elevation_changes(altitude_m: FloatArray, hysteresis_m: float) -> tuple[FloatArray, FloatArray]:
    """Per-sample elevation gain and loss (m, ≥ 0) after a hysteresis band.

    The altitude passes through a play (backlash) operator of width ``hysteresis_m``:
    the output moves only when the altitude leaves a band of that width around it, so
    noise and undulations smaller than the band add nothing (SCIENCE.md: hysteresis of
    2–3 m). Only turning points need the sequential update; between them the output
    follows in closed form, so the Python loop runs over extrema, not samples.
    """
    x = altitude_m
    n = len(x)
    if n == 0 or not np.isfinite(x).all():
        return np.zeros(n), np.zeros(n)
    r = hysteresis_m / 2
    step = np.diff(x)
    turning = np.flatnonzero(step[:-1] * step[1:] <= 0) + 1
    knots = np.concatenate(([0], turning, [n - 1]))
    y = float(x[0])
    trace = []
    for xv in x[knots].tolist():
        if xv - r > y:
            y = xv - r
        elif xv + r < y:
            y = xv + r
        trace.append(y)
    y_knot = np.asarray(trace)
    owner = np.searchsorted(knots, np.arange(n), side="right") - 1
    out = np.clip(y_knot[owner], x - r, x + r)
    change = np.diff(out, prepend=out[:1])
    return np.maximum(change, 0.0), np.maximum(-change, 0.0)


def zone_seconds(
    values: FloatArray, dt_s: FloatArray, edges: Sequence[float], *, unit: ZoneUnit = "bpm"
) -> ZoneTimes:
    """Seconds of ``dt_s`` per zone of ``values``; zones are [edges[z], edges[z+1]).

    Below ``edges[0]`` counts as below zone 1, above the last edge in the top zone, NaN
    as no zone: ``zones.time_in_zones`` over the zones the edges describe (SCIENCE.md,
    "Heart-rate zones" and "Pace zones from critical speed"). ``unit`` (of ``values`` and
    ``edges``) only labels the zone set; it does not change the counting.
    """
    e = np.asarray(edges, dtype=np.float64)
    bounds = list(itertools.pairwise(e.tolist())) if e.ndim == 1 else []
    # ``lower < upper`` is false for NaN, so NaN edges are refused too.
    if not bounds or not all(lower < upper for lower, upper in bounds):
        raise ValueError(f"zone edges must be at least two ascending values: {edges}")
    zones = tuple(
        Zone(number, f"Zone {number}", lower, upper)
        for number, (lower, upper) in enumerate(bounds, start=1)
    )
    return time_in_zones(values, dt_s, ZoneSet(unit, zones))


def aerobic_decoupling_pct(s: Streams) -> float | None:
    """Pa:HR decoupling in % over the moving part, split in halves of equal moving time.

    EF₁ = speed₁/HR₁, EF₂ = speed₂/HR₂, decoupling = (EF₁ − EF₂)/EF₁ · 100 (SCIENCE.md,
    after Friel). Positive when heart rate drifts up relative to speed. Speeds and heart
    rates are time-weighted means; ``None`` without heart rate in either half.
    """
    dt = np.where(s.moving, s.dt_s, 0.0)
    axis = np.cumsum(dt)
    if axis[-1] <= 0:
        return None
    first = axis <= axis[-1] / 2
    efs = []
    for half in (first, ~first):
        w = np.where(half, dt, 0.0)
        w_hr = np.where(np.isfinite(s.heart_rate_bpm), w, 0.0)
        if w.sum() <= 0 or w_hr.sum() <= 0:
            return None
        speed = np.sum(np.nan_to_num(s.speed_mps) * w) / w.sum()
        hr = np.sum(np.nan_to_num(s.heart_rate_bpm) * w_hr) / w_hr.sum()
        efs.append(speed / hr)
    return float((efs[0] - efs[1]) / efs[0] * 100.0)


def _pace(speed_mps: float | None, minimum_mps: float) -> float | None:
    if speed_mps is None or speed_mps < minimum_mps:
        return None
    return 1000.0 / speed_mps


def _ratio(num: float, den: float) -> float | None:
    return float(num / den) if den > 0 else None


def _positions(axis: FloatArray, values: FloatArray) -> FloatArray:
    """Fractional sample index at which a non-decreasing ``axis`` first reaches each value."""
    n = len(axis)
    j = np.clip(np.searchsorted(axis, values, side="left"), 1, n - 1)
    width = axis[j] - axis[j - 1]
    frac = np.where(width > 0, (values - axis[j - 1]) / np.where(width > 0, width, 1.0), 1.0)
    pos: FloatArray = np.clip(j - 1 + np.clip(frac, 0.0, 1.0), 0.0, n - 1)
    return pos


# Rows of the cumulative table used to cut splits and laps at fractional positions.
_ELAPSED, _TIMER, _MOVING, _DIST, _MDIST, _GAIN, _LOSS, _HR_W, _HR_SUM, _CAD_W, _CAD_SUM = range(11)


def _split_positions(s: Streams, total_m: float, every_m: float) -> FloatArray:
    """Fractional positions of the split boundaries every ``every_m`` metres, with the
    first and last samples."""
    marks = np.arange(every_m, total_m - 1e-6, every_m)
    return np.concatenate(([0.0], _positions(s.distance_m, marks), [len(s) - 1.0]))


def _segments(s: Streams, cum: FloatArray, positions: FloatArray) -> tuple[Segment, ...]:
    """Summaries between consecutive fractional positions (interval-proportional cuts)."""
    k = np.minimum(np.floor(positions).astype(np.int64), len(s) - 1)
    nxt = np.minimum(k + 1, len(s) - 1)
    at = cum[:, k] + (positions - k) * (cum[:, nxt] - cum[:, k])
    totals = np.diff(at, axis=1)
    has_alt = bool(np.isfinite(s.altitude_m).all())
    minimum = s.limits.moving_speed_min_mps
    out = []
    for i in range(len(positions) - 1):
        t = totals[:, i]
        hr = s.heart_rate_bpm[int(k[i]) + 1 : int(np.ceil(positions[i + 1])) + 1]
        hr = hr[np.isfinite(hr)]
        speed = _ratio(t[_MDIST], t[_MOVING])
        out.append(
            Segment(
                index=i,
                start_elapsed_s=float(at[_ELAPSED, i]),
                end_elapsed_s=float(at[_ELAPSED, i + 1]),
                elapsed_time_s=float(t[_ELAPSED]),
                timer_time_s=float(t[_TIMER]),
                moving_time_s=float(t[_MOVING]),
                distance_m=float(t[_DIST]),
                moving_speed_mps=speed,
                moving_pace_s_per_km=_pace(speed, minimum),
                avg_hr_bpm=_ratio(t[_HR_SUM], t[_HR_W]),
                max_hr_bpm=float(hr.max()) if hr.size else None,
                avg_cadence_spm=_ratio(t[_CAD_SUM], t[_CAD_W]),
                elevation_gain_m=float(t[_GAIN]) if has_alt else None,
                elevation_loss_m=float(t[_LOSS]) if has_alt else None,
            )
        )
    return tuple(out)


def session_stats(
    s: Streams,
    *,
    hr_zone_edges_bpm: Sequence[float] | None = None,
    pace_zone_edges_mps: Sequence[float] | None = None,
    lap_starts_elapsed_s: Sequence[float] = (),
    split_distance_m: float = 1000.0,
    mile_split_distance_m: float = MILE_M,
) -> SessionStats:
    """Statistics of one session from cleaned streams (SCIENCE.md).

    - Elapsed time: first to last sample. Timer time: Σ capped Δt. Moving time: Σ capped
      Δt over moving intervals.
    - Distance: as recorded (GPS jumps are only removed for best efforts). Average speed
      = distance / timer time; moving speed = moving distance / moving time; pace only
      above ``moving_speed_min_mps``.
    - Grade-adjusted speed after Minetti et al. 2002, time-weighted over moving time;
      normalised graded speed over timer time; efficiency factor = NGS (m/min) / avg HR;
      aerobic decoupling (Pa:HR).
    - Heart rate over timer time; cadence over moving time, zeros left out.
    - Elevation from smoothed altitude through a hysteresis band.
    - Zone times over moving time, per ``zone_seconds``; they sum to the moving time.
    - Splits every ``split_distance_m`` (km) and every ``mile_split_distance_m`` (mile),
      and laps starting at ``lap_starts_elapsed_s``;
      boundaries fall inside intervals, shared in proportion, so segments sum to totals.
    """
    n = len(s)
    dt = s.dt_s
    moving_dt = np.where(s.moving, dt, 0.0)
    hr_ok = np.isfinite(s.heart_rate_bpm)
    cad_ok = s.moving & (s.cadence_spm > 0)
    dist_inc = np.diff(s.distance_m, prepend=0.0)
    gain, loss = elevation_changes(s.altitude_m, s.smoothing.elevation_hysteresis_m)
    hr_w = np.where(hr_ok, dt, 0.0)
    cad_w = np.where(cad_ok, dt, 0.0)
    cum = np.vstack(
        [
            s.elapsed_s,
            np.cumsum(dt),
            np.cumsum(moving_dt),
            s.distance_m,
            np.cumsum(np.where(s.moving, dist_inc, 0.0)),
            np.cumsum(gain),
            np.cumsum(loss),
            np.cumsum(hr_w),
            np.cumsum(np.where(hr_ok, s.heart_rate_bpm, 0.0) * hr_w),
            np.cumsum(cad_w),
            np.cumsum(np.where(cad_ok, s.cadence_spm, 0.0) * cad_w),
        ]
    )
    end = cum[:, -1]
    minimum = s.limits.moving_speed_min_mps
    avg_speed = _ratio(end[_DIST], end[_TIMER])
    moving_speed = _ratio(end[_MDIST], end[_MOVING])
    valid_speed = s.speed_mps[np.isfinite(s.speed_mps) & ~s.jump]
    gas = grade_adjusted_speed(s.speed_mps, s.grade)
    gas_w = np.where(np.isfinite(gas), moving_dt, 0.0)
    gas_mean = _ratio(float(np.sum(np.nan_to_num(gas) * gas_w)), float(gas_w.sum()))
    ngs = normalised_graded_speed(gas, dt)
    avg_hr = _ratio(end[_HR_SUM], end[_HR_W])
    has_alt = bool(np.isfinite(s.altitude_m).all())
    split_pos = _split_positions(s, end[_DIST], split_distance_m)
    mile_pos = _split_positions(s, end[_DIST], mile_split_distance_m)
    laps: tuple[Segment, ...] = ()
    if len(lap_starts_elapsed_s):
        starts = np.sort(np.asarray(lap_starts_elapsed_s, dtype=np.float64))
        lap_pos = np.concatenate((_positions(s.elapsed_s, starts), [n - 1.0]))
        laps = _segments(s, cum, lap_pos)
    return SessionStats(
        elapsed_time_s=float(end[_ELAPSED]),
        timer_time_s=float(end[_TIMER]),
        moving_time_s=float(end[_MOVING]),
        distance_m=float(end[_DIST]),
        avg_speed_mps=avg_speed,
        avg_pace_s_per_km=_pace(avg_speed, minimum),
        moving_speed_mps=moving_speed,
        moving_pace_s_per_km=_pace(moving_speed, minimum),
        max_speed_mps=float(valid_speed.max()) if valid_speed.size else None,
        grade_adjusted_speed_mps=gas_mean,
        grade_adjusted_pace_s_per_km=_pace(gas_mean, minimum),
        normalised_graded_speed_mps=ngs,
        efficiency_factor=ngs * 60.0 / avg_hr if ngs is not None and avg_hr else None,
        aerobic_decoupling_pct=aerobic_decoupling_pct(s),
        avg_hr_bpm=avg_hr,
        max_hr_bpm=float(s.heart_rate_bpm[hr_ok].max()) if hr_ok.any() else None,
        avg_cadence_spm=_ratio(end[_CAD_SUM], end[_CAD_W]),
        elevation_gain_m=float(end[_GAIN]) if has_alt else None,
        elevation_loss_m=float(end[_LOSS]) if has_alt else None,
        hr_zones=None
        if hr_zone_edges_bpm is None
        else zone_seconds(s.heart_rate_bpm, moving_dt, hr_zone_edges_bpm, unit="bpm"),
        pace_zones=None
        if pace_zone_edges_mps is None
        else zone_seconds(s.speed_mps, moving_dt, pace_zone_edges_mps, unit="m/s"),
        splits=_segments(s, cum, split_pos) if n > 1 else (),
        laps=laps,
        mile_splits=_segments(s, cum, mile_pos) if n > 1 else (),
    )
