"""Analysis of one session: the science modules applied with the parameters of its day.

``analyse(records, source, limits, params)`` is the one place that turns a session's records into
what is stored: statistics (``science.stats``), best efforts (``science.bests``, running
only), TRIMP/HRSS/rTSS and the chosen load (``science.load``), zone times in the HR and
pace zones valid that day, and the versions of every algorithm involved. It is pure and
deterministic: the import and every later recomputation call it on the same records
(read back losslessly from Parquet), so a value never depends on when it was computed.

The analysis has two parts. The *base* depends only on the records, the file and the
configured limits: statistics, splits, laps, best efforts, and the weighted histograms of
heart rate and speed that the second part needs. The *parameter-dependent* part (zone
times in the HR and pace zones of the day, TRIMP/HRSS/rTSS, the chosen load) is computed
from those histograms alone (:func:`apply_params`): exact for heart rate (every distinct
value with its seconds), speed to 0.01 m/s. So when a new personal best changes the
critical speed, or a coach edits HRmax, the chronological recomputation updates every
later session without reading its records again.

Three totals are counted the way the device counts them, so that ours agree with the
device's own (SPEC §3, issue #4 item 10), each from the file's data, never copied:

- **timer time** from the file's timer start/stop events (``DecodedSession.timer_time_s``):
  pauses and auto-pauses left out, gaps between sparse records counted; records only
  (Σ capped Δt, ``science.stats``) when the events do not describe the segment;
- **distance**: FIT record distance counts from the segment's start, so what the first
  record already shows was covered before it and is added to the distance between the
  first and last records (unless it is implausibly large for the time since the start:
  a counter that does not restart);
- **average heart rate** over timer time with heart rate interpolated linearly between
  records: devices average their 1 Hz readings, and with sparse "smart" recording
  (a record every few seconds) the value of the record ending a gap is not the value of
  the whole gap (trapezoidal rule; on 1 Hz records it equals the plain time average).

What an analysis takes besides the records, all passed in: ``SourceInfo`` (what the FIT
file says beyond the records: sport, laps, timer time from its events), the validation
``Limits`` (``science.streams``; the application configures them) and ``AnalysisParams``
(the runner's parameters valid on the session's day, reduced to what analysis uses; their
``fingerprint`` tells whether a stored analysis used the same).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from smartrunning.science import bests as bests_science
from smartrunning.science import load as load_science
from smartrunning.science import stats as stats_science
from smartrunning.science import streams as streams_science
from smartrunning.science.device_figures import device_figure_notes
from smartrunning.science.distances import STANDARD_DISTANCES
from smartrunning.science.fit import DecodedSession
from smartrunning.science.records import FloatArray, Records
from smartrunning.science.sports import SPEED_SPORTS, is_running
from smartrunning.science.streams import BoolArray, Limits, Streams
from smartrunning.science.zones import ZoneSet, ZoneTimes, time_in_zones

__all__ = [
    "ANALYSIS_VERSION",
    "AnalysisParams",
    "ParamInputs",
    "ParamValues",
    "SessionAnalysis",
    "SourceInfo",
    "analyse",
    "apply_params",
    "current_versions",
    "interpolated_mean_hr",
    "json_safe",
    "limits_json",
]

ANALYSIS_VERSION: Final = 3
"""Bump when this module changes a stored value (timer, distance, average HR, JSON shape)."""

_COUNTER_RESTART_MPS: Final = 15.0
_DISTANCE_KEYS: Final = {round(d.distance_m, 1): d.key for d in STANDARD_DISTANCES}


def current_versions() -> dict[str, int]:
    """The algorithm versions a fresh analysis carries (compared to find stale values)."""
    return {
        "streams": streams_science.ALGORITHM_VERSION,
        "stats": stats_science.ALGORITHM_VERSION,
        "bests": bests_science.ALGORITHM_VERSION,
        "load": load_science.ALGORITHM_VERSION,
        "analysis": ANALYSIS_VERSION,
    }


@dataclass(frozen=True)
class SourceInfo:
    """What analysis needs from the file besides the records (stored with the session).

    Fields after ``timer_time_s`` came with issue #16 and default to "not known", so a
    stored form without them reads back as before.
    """

    sport: str
    sub_sport: str | None
    start_time: dt.datetime
    lap_starts_s: tuple[float, ...]
    """Lap start times, Unix seconds."""
    timer_time_s: float | None
    """From the file's timer events, else the device's total (``DecodedSession``)."""
    swimming_s: tuple[tuple[float, float], ...] = ()
    """Active pool lengths, (start, end) Unix seconds: heart rate is averaged over them."""
    device_avg_hr_bpm: float | None = None
    device_max_hr_bpm: float | None = None
    device_ascent_m: float | None = None
    device_descent_m: float | None = None
    notes: tuple[str, ...] = ()
    """What decoding changed, for a person (``DecodedSession.notes``)."""
    device_distance_m: float | None = None
    device_timer_time_s: float | None = None
    device_laps_avg_hr_bpm: float | None = None
    """The device's lap averages weighted by the laps' timer time (its own cross-check)."""

    @classmethod
    def from_decoded(cls, session: DecodedSession, start_time: dt.datetime) -> SourceInfo:
        totals = session.totals
        return cls(
            sport=session.sport,
            sub_sport=session.sub_sport,
            start_time=start_time,
            lap_starts_s=tuple(
                lap.start_time.timestamp() for lap in session.laps if lap.start_time is not None
            ),
            timer_time_s=session.timer_time_s,
            swimming_s=session.swimming_s,
            device_avg_hr_bpm=totals.avg_heart_rate_bpm if totals else None,
            device_max_hr_bpm=totals.max_heart_rate_bpm if totals else None,
            device_ascent_m=totals.total_ascent_m if totals else None,
            device_descent_m=totals.total_descent_m if totals else None,
            notes=session.notes,
            device_distance_m=totals.total_distance_m if totals else None,
            device_timer_time_s=totals.total_timer_time_s if totals else None,
            device_laps_avg_hr_bpm=_laps_avg_hr(session),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "sport": self.sport,
            "sub_sport": self.sub_sport,
            "start_time": self.start_time.isoformat(),
            "lap_starts_s": list(self.lap_starts_s),
            "timer_time_s": self.timer_time_s,
            "swimming_s": [list(pair) for pair in self.swimming_s],
            "device_avg_hr_bpm": self.device_avg_hr_bpm,
            "device_max_hr_bpm": self.device_max_hr_bpm,
            "device_ascent_m": self.device_ascent_m,
            "device_descent_m": self.device_descent_m,
            "notes": list(self.notes),
            "device_distance_m": self.device_distance_m,
            "device_timer_time_s": self.device_timer_time_s,
            "device_laps_avg_hr_bpm": self.device_laps_avg_hr_bpm,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceInfo:
        return cls(
            sport=data["sport"],
            sub_sport=data["sub_sport"],
            start_time=dt.datetime.fromisoformat(data["start_time"]),
            lap_starts_s=tuple(data["lap_starts_s"]),
            timer_time_s=data["timer_time_s"],
            swimming_s=tuple((float(a), float(b)) for a, b in data.get("swimming_s", ())),
            device_avg_hr_bpm=data.get("device_avg_hr_bpm"),
            device_max_hr_bpm=data.get("device_max_hr_bpm"),
            device_ascent_m=data.get("device_ascent_m"),
            device_descent_m=data.get("device_descent_m"),
            notes=tuple(data.get("notes", ())),
            device_distance_m=data.get("device_distance_m"),
            device_timer_time_s=data.get("device_timer_time_s"),
            device_laps_avg_hr_bpm=data.get("device_laps_avg_hr_bpm"),
        )


@dataclass(frozen=True)
class AnalysisParams:
    """The runner's parameters valid on the session's day, as analysis uses them.

    ``limits`` are the configured limits, part of the fingerprint so that changing them
    counts as a change of parameters.
    """

    hrmax_bpm: float
    hrrest_bpm: float | None
    """The runner's resting HR, or ``defaults.RESTING_HR_FOR_LOAD_BPM`` (then
    ``hrrest_default``) so heart-rate loads exist before one is entered."""
    threshold_hr_bpm: float | None
    hr_zones: ZoneSet
    pace_zones: ZoneSet
    cs_mps: float
    load_model: load_science.LoadPreference
    sex: load_science.Sex
    limits: Limits
    hrrest_default: bool = False

    def as_json(self) -> dict[str, Any]:
        return dict(
            json_safe(
                {
                    "hrmax_bpm": self.hrmax_bpm,
                    "hrrest_bpm": self.hrrest_bpm,
                    "hrrest_default": self.hrrest_default,
                    "threshold_hr_bpm": self.threshold_hr_bpm,
                    "hr_zone_edges_bpm": list(self.hr_zones.edges),
                    "pace_zone_edges_mps": list(self.pace_zones.edges),
                    "cs_mps": self.cs_mps,
                    "load_model": self.load_model,
                    "sex": self.sex,
                    "limits": limits_json(self.limits),
                }
            )
        )

    def fingerprint(self) -> str:
        """sha256 of the canonical JSON: equal exactly when the analysis would be equal."""
        text = json.dumps(self.as_json(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ParamInputs:
    """What the parameter-dependent values are computed from (stored as JSON).

    Histograms are (value, seconds) pairs over capped Δt: heart rate over timer time (for
    TRIMP) and over moving time (HR zones), speed rounded to 0.01 m/s over moving time
    (pace zones); ``no_hr_moving_s`` is moving time without heart rate.
    """

    hr_timer: tuple[tuple[float, float], ...]
    hr_moving: tuple[tuple[float, float], ...]
    no_hr_moving_s: float
    speed_moving: tuple[tuple[float, float], ...]
    timer_time_s: float
    normalised_graded_speed_mps: float | None
    speed_sport: bool
    limits: dict[str, float]
    """The configured limits the streams were cleaned with (a change re-analyses)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "hr_timer": list(map(list, self.hr_timer)),
            "hr_moving": list(map(list, self.hr_moving)),
            "no_hr_moving_s": self.no_hr_moving_s,
            "speed_moving": list(map(list, self.speed_moving)),
            "timer_time_s": self.timer_time_s,
            "normalised_graded_speed_mps": self.normalised_graded_speed_mps,
            "speed_sport": self.speed_sport,
            "limits": self.limits,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParamInputs:
        def pairs(key: str) -> tuple[tuple[float, float], ...]:
            return tuple([(float(v), float(t)) for v, t in data[key]])

        return cls(
            hr_timer=pairs("hr_timer"),
            hr_moving=pairs("hr_moving"),
            no_hr_moving_s=float(data["no_hr_moving_s"]),
            speed_moving=pairs("speed_moving"),
            timer_time_s=float(data["timer_time_s"]),
            normalised_graded_speed_mps=data["normalised_graded_speed_mps"],
            speed_sport=bool(data["speed_sport"]),
            limits=dict(data["limits"]),
        )


@dataclass(frozen=True)
class ParamValues:
    """The parameter-dependent values of a session, with the parameters they used."""

    zones: dict[str, Any]
    loads: load_science.SessionLoads
    chosen: load_science.ChosenLoad | None
    params: dict[str, Any]
    params_hash: str

    @classmethod
    def pending(cls) -> ParamValues:
        """Not computed yet: the chronological recomputation fills them in (hash "")."""
        return cls({}, load_science.SessionLoads(None, None, None), None, {}, "")

    def columns(self) -> dict[str, Any]:
        return {
            "zones": self.zones,
            "trimp": self.loads.trimp,
            "hrss": self.loads.hrss,
            "rtss": self.loads.rtss,
            "load": self.chosen.value if self.chosen else None,
            "load_model": self.chosen.model if self.chosen else None,
            "params": self.params,
            "params_hash": self.params_hash,
        }


@dataclass(frozen=True)
class SessionAnalysis:
    """Everything stored about a session's analysis: the base and the parameter values."""

    distance_m: float
    elapsed_time_s: float
    timer_time_s: float
    moving_time_s: float
    avg_speed_mps: float | None
    avg_hr_bpm: float | None
    max_hr_bpm: float | None
    elevation_gain_m: float | None
    stats: dict[str, Any]
    best_efforts: list[dict[str, Any]]
    inputs: ParamInputs
    values: ParamValues
    versions: dict[str, int]

    def columns(self) -> dict[str, Any]:
        """The ``TrainingSession`` columns this analysis sets."""
        v = self.versions
        return {
            "distance_m": self.distance_m,
            "elapsed_time_s": self.elapsed_time_s,
            "timer_time_s": self.timer_time_s,
            "moving_time_s": self.moving_time_s,
            "avg_speed_mps": self.avg_speed_mps,
            "avg_hr_bpm": self.avg_hr_bpm,
            "max_hr_bpm": self.max_hr_bpm,
            "elevation_gain_m": self.elevation_gain_m,
            "stats": self.stats,
            "best_efforts": self.best_efforts,
            "param_inputs": self.inputs.as_json(),
            "streams_version": v["streams"],
            "stats_version": v["stats"],
            "bests_version": v["bests"],
            "load_version": v["load"],
            "analysis_version": v["analysis"],
            **self.values.columns(),
        }


def analyse(
    records: Records, source: SourceInfo, limits: Limits, params: AnalysisParams | None = None
) -> SessionAnalysis:
    """Analyse one session (see the module docstring for the three device-style totals).

    Without ``params`` only the base is computed; the parameter values are left pending
    (``ParamValues.pending``) for the chronological recomputation, which knows the
    parameters valid on the session's day once earlier sessions have been walked.
    """
    s = streams_science.clean_streams(records, limits)
    speed_sport = source.sport in SPEED_SPORTS
    first_ts = float(records.timestamp_s[0])
    stats = stats_science.session_stats(
        s, lap_starts_elapsed_s=[t - first_ts for t in source.lap_starts_s]
    )
    notes = list(source.notes)
    timer = source.timer_time_s
    if timer is None:
        timer = _records_timer(records, stats)
        notes.append("Timer time is counted from the samples (no timer events, no total).")
    distance = stats.distance_m + _distance_before_first_record(records, source.start_time)
    efforts = bests_science.best_efforts(s) if is_running(source.sport) else ()
    inputs = _inputs(s, timer, stats.normalised_graded_speed_mps, speed_sport, limits)
    avg_hr = _mean_hr(s, records, source.swimming_s)
    max_hr = stats.max_hr_bpm
    extra: dict[str, Any] = {"records_avg_hr_bpm": avg_hr, "records_max_hr_bpm": max_hr}
    interval = sparse_interval_s(records)
    if interval is not None:
        device = _device_hr(source, limits)
        if device is not None:
            avg_hr, max_hr = device
            notes.append(
                f"Recorded every {interval:g} s (smart recording): average and maximum heart "
                f"rate are the watch's own ({avg_hr:g} / {max_hr:g} bpm); from the samples "
                f"{_bpm(extra['records_avg_hr_bpm'])} / {_bpm(extra['records_max_hr_bpm'])}."
            )
    gain, loss = stats.elevation_gain_m, stats.elevation_loss_m
    extra["records_elevation_gain_m"], extra["records_elevation_loss_m"] = gain, loss
    if _plausible_ascent(source.device_ascent_m, distance):
        gain = source.device_ascent_m
        if _plausible_ascent(source.device_descent_m, distance):
            loss = source.device_descent_m
        notes.append("Elevation gain and loss are the watch's own.")
    ours = {"distance": distance, "timer": timer, "avg_hr": avg_hr, "max_hr": max_hr}
    notes += device_figure_notes(
        ours,
        source,
        moving_avg_hr_bpm=_moving_mean_hr(s),
        samples_span_s=float(records.timestamp_s[-1] - records.timestamp_s[0]),
    )
    extra["notes"] = notes
    return SessionAnalysis(
        distance_m=distance,
        elapsed_time_s=stats.elapsed_time_s,
        timer_time_s=timer,
        moving_time_s=stats.moving_time_s,
        avg_speed_mps=distance / timer if timer > 0 else None,
        avg_hr_bpm=avg_hr,
        max_hr_bpm=max_hr,
        elevation_gain_m=gain,
        stats={**_stats_json(stats, distance, timer, gain, loss), **json_safe(extra)},
        best_efforts=[_effort_json(e) for e in efforts],
        inputs=inputs,
        values=ParamValues.pending() if params is None else apply_params(inputs, params),
        versions=current_versions(),
    )


SPARSE_INTERVAL_S: Final = 1.5
"""Records further apart than this (median) are sparse ("smart") recording: the device
averaged its 1 Hz readings, which the file does not hold (Garmin, "Data Recording")."""
MAX_ASCENT_PER_M: Final = 0.5
"""A device ascent above half the distance covered (a 50 % mean grade) is implausible."""


def _laps_avg_hr(session: DecodedSession) -> float | None:
    """The device's lap averages weighted by timer time (``None`` without such laps)."""
    pairs = [
        (lap.avg_heart_rate_bpm, lap.total_timer_time_s)
        for lap in session.laps
        if lap.avg_heart_rate_bpm and lap.total_timer_time_s
    ]
    weight = sum(w for _, w in pairs)
    if not pairs or weight <= 0:
        return None
    return sum(hr * w for hr, w in pairs) / weight


def _moving_mean_hr(s: Streams) -> float | None:
    """The plain mean of the heart-rate samples while moving (as some devices average)."""
    hr = s.heart_rate_bpm[s.moving]
    hr = hr[np.isfinite(hr)]
    return float(hr.mean()) if len(hr) else None


def sparse_interval_s(records: Records) -> float | None:
    """The median record interval where recording is sparse (> 1.5 s), else ``None``."""
    ts = records.timestamp_s[np.isfinite(records.timestamp_s)]
    if len(ts) < 3:
        return None
    step = np.diff(ts)
    step = step[step > 0]
    if not len(step):
        return None
    median = float(np.median(step))
    return median if median > SPARSE_INTERVAL_S else None


def _device_hr(source: SourceInfo, limits: Limits) -> tuple[float, float] | None:
    avg, top = source.device_avg_hr_bpm, source.device_max_hr_bpm
    if avg is None or top is None:
        return None
    if not limits.hr_min_bpm <= avg <= top <= limits.hr_max_bpm:
        return None
    return float(avg), float(top)


def _bpm(value: Any) -> str:
    return "none" if value is None else f"{value:.0f} bpm"


def _plausible_ascent(value: float | None, distance_m: float) -> bool:
    """The device's ascent (or descent): written, ≥ 0, ≤ ``MAX_ASCENT_PER_M`` × distance
    (+ 100 m for short or stationary sessions). 0 is taken as written."""
    if value is None or not math.isfinite(value) or value < 0:
        return False
    return value <= MAX_ASCENT_PER_M * distance_m + 100.0


def _records_timer(records: Records, stats: stats_science.SessionStats) -> float:
    """The last resort: Σ capped Δt of the records (pauses longer than ``dt_cap_s`` left
    out). Not the moving time: that would make a slow walker's timer depend on the
    configured moving speed."""
    del records
    return stats.timer_time_s


def _mean_hr(
    s: Streams, records: Records, swimming_s: tuple[tuple[float, float], ...]
) -> float | None:
    """:func:`interpolated_mean_hr`; over the active lengths only for a pool swim."""
    if not swimming_s:
        return interpolated_mean_hr(s)
    ts = records.timestamp_s
    inside = np.zeros(len(ts), dtype=np.bool_)
    for start, end in swimming_s:
        inside |= (ts >= start) & (ts <= end)
    return interpolated_mean_hr(s, inside)


def apply_params(inputs: ParamInputs, params: AnalysisParams) -> ParamValues:
    """Zone times and loads under ``params``, from the histograms alone (SCIENCE.md).

    Zone times follow ``zones.time_in_zones`` ([lower, upper), top zone open); TRIMP,
    HRSS and rTSS follow ``load.session_loads`` (TRIMP summed per distinct heart rate,
    which is the per-sample sum regrouped); the chosen load ``load.choose_load``.
    """
    hr_values, hr_seconds = _columns(inputs.hr_moving)
    hr_times = time_in_zones(hr_values, hr_seconds, params.hr_zones)
    hr_times = ZoneTimes(
        hr_times.below_s, hr_times.zones_s, hr_times.no_zone_s + inputs.no_hr_moving_s
    )
    pace = None
    if inputs.speed_sport:
        speeds, speed_seconds = _columns(inputs.speed_moving)
        pace = _zones_json(
            time_in_zones(speeds, speed_seconds, params.pace_zones), params.pace_zones
        )
    timer_values, timer_seconds = _columns(inputs.hr_timer)
    loads = load_science.session_loads(
        timer_values,
        timer_seconds,
        timer_time_s=inputs.timer_time_s,
        normalised_graded_speed_mps=(
            inputs.normalised_graded_speed_mps if inputs.speed_sport else None
        ),
        params=load_science.LoadParams(
            sex=params.sex,
            rest_hr_bpm=params.hrrest_bpm,
            max_hr_bpm=params.hrmax_bpm,
            threshold_hr_bpm=params.threshold_hr_bpm,
            critical_speed_mps=params.cs_mps,
        ),
    )
    return ParamValues(
        zones={"hr": _zones_json(hr_times, params.hr_zones), "pace": pace},
        loads=loads,
        chosen=load_science.choose_load(loads, params.load_model),
        params=params.as_json(),
        params_hash=params.fingerprint(),
    )


def _columns(pairs: tuple[tuple[float, float], ...]) -> tuple[FloatArray, FloatArray]:
    if not pairs:
        return np.empty(0), np.empty(0)
    table = np.asarray(pairs, dtype=np.float64)
    return table[:, 0], table[:, 1]


def _histograms(
    values: FloatArray, *weights: FloatArray
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Per weighting, the (value, Σ weight) pairs of the finite values that carry weight.

    One sort for every weighting: a value is listed when a sample of it has a positive
    weight; its sum adds the sample weights in sample order (zeros change no sum).
    """
    finite = np.isfinite(values)
    unique, inverse = np.unique(values[finite], return_inverse=True)
    out = []
    for w in weights:
        wf = w[finite]
        present = np.bincount(inverse, weights=wf > 0, minlength=len(unique)) > 0
        sums = np.bincount(inverse, weights=wf, minlength=len(unique))
        out.append(tuple(zip(unique[present].tolist(), sums[present].tolist(), strict=True)))
    return tuple(out)


def _inputs(
    s: Streams, timer: float, ngs: float | None, speed_sport: bool, limits: Limits
) -> ParamInputs:
    moving_dt = np.where(s.moving, s.dt_s, 0.0)
    hr = s.heart_rate_bpm
    hr_timer, hr_moving = _histograms(hr, s.dt_s, moving_dt)
    speed_moving = _histograms(np.round(s.speed_mps, 2), moving_dt)[0] if speed_sport else ()
    return ParamInputs(
        hr_timer=hr_timer,
        hr_moving=hr_moving,
        no_hr_moving_s=float(moving_dt[~np.isfinite(hr)].sum()),
        speed_moving=speed_moving,
        timer_time_s=timer,
        normalised_graded_speed_mps=ngs,
        speed_sport=speed_sport,
        limits=limits_json(limits),
    )


def interpolated_mean_hr(s: Streams, within: BoolArray | None = None) -> float | None:
    """Average heart rate over capped Δt, linear between records (trapezoidal rule), bpm.

    ``within``: only the intervals ending at these samples count, each at the value of
    the record that ends it (a pool swim's active lengths: 102.1 bpm against the device's
    103 on the FIT SDK's pool swim, 102.0 with the rests' edges mixed in).
    """
    hr = s.heart_rate_bpm
    if len(hr) < 2:
        return float(hr[0]) if len(hr) == 1 and np.isfinite(hr[0]) else None
    before, after = hr[:-1], hr[1:]
    value = np.where(
        np.isfinite(before) & np.isfinite(after),
        (before + after) / 2,
        np.where(np.isfinite(after), after, before),
    )
    if within is not None:  # each interval at its own record's value (a length's edges
        value = after  # would otherwise mix in the rest before it)
    ok = np.isfinite(value)
    if within is not None:
        ok &= within[1:]
    weight = s.dt_s[1:][ok]
    if weight.sum() <= 0:
        return None
    return float(np.sum(value[ok] * weight) / weight.sum())


def _distance_before_first_record(records: Records, start: dt.datetime) -> float:
    finite = records.distance_m[np.isfinite(records.distance_m)]
    if not len(finite) or finite[0] <= 0:
        return 0.0
    since_start = max(0.0, float(records.timestamp_s[0]) - start.timestamp())
    plausible = max(50.0, _COUNTER_RESTART_MPS * (since_start + 1.0))
    return float(finite[0]) if finite[0] <= plausible else 0.0


def _zones_json(times: ZoneTimes, zones: ZoneSet) -> dict[str, Any]:
    return dict(
        json_safe(
            {
                "unit": zones.unit,
                "below_s": times.below_s,
                "no_zone_s": times.no_zone_s,
                "zones": [
                    {
                        "number": z.number,
                        "name": z.name,
                        "lower": z.lower,
                        "upper": z.upper,
                        "seconds": seconds,
                    }
                    for z, seconds in zip(zones.zones, times.zones_s, strict=True)
                ],
            }
        )
    )


def _stats_json(
    stats: stats_science.SessionStats,
    distance: float,
    timer: float,
    gain: float | None,
    loss: float | None,
) -> dict[str, Any]:
    data = {
        f.name: getattr(stats, f.name)
        for f in dataclasses.fields(stats)
        if f.name not in ("hr_zones", "pace_zones", "splits", "laps", "mile_splits")
    }
    data["records_distance_m"] = data.pop("distance_m")
    data["records_timer_time_s"] = data.pop("timer_time_s")
    data["distance_m"] = distance
    data["timer_time_s"] = timer
    data["elevation_gain_m"] = gain
    data["elevation_loss_m"] = loss
    data["splits"] = [_segment_json(seg) for seg in stats.splits]
    data["laps"] = [_segment_json(seg) for seg in stats.laps]
    data["mile_splits"] = [_segment_json(seg) for seg in stats.mile_splits]
    return dict(json_safe(data))


_SEGMENT_FIELDS: Final = tuple(f.name for f in dataclasses.fields(stats_science.Segment))


def _segment_json(segment: stats_science.Segment) -> dict[str, Any]:
    return {name: getattr(segment, name) for name in _SEGMENT_FIELDS}


def _effort_json(effort: bests_science.BestEffort) -> dict[str, Any]:
    return {
        "distance": _DISTANCE_KEYS.get(round(effort.distance_m, 1)),
        "distance_m": effort.distance_m,
        "time_s": effort.duration_s,
        "start_offset_s": effort.start_elapsed_s,
        "end_offset_s": effort.end_elapsed_s,
        "speed_mps": effort.speed_mps,
        "mean_hr_bpm": effort.mean_hr_bpm,
        "hr_coverage": effort.hr_coverage,
    }


_isfinite = math.isfinite


def json_safe(value: Any) -> Any:
    """JSON for both databases: tuples as lists, non-finite floats as None."""
    kind = type(value)  # the common exact types first (statistics hold thousands of them)
    if kind is float:
        return value if _isfinite(value) else None
    if kind is dict:
        return {str(k): json_safe(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [json_safe(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.floating | np.integer):
        return json_safe(value.item())
    return value


def limits_json(limits: Limits) -> dict[str, float]:
    """The limits as stored with an analysis (``ParamInputs.limits``, ``AnalysisParams``)."""
    return {
        "hr_min_bpm": limits.hr_min_bpm,
        "hr_max_bpm": limits.hr_max_bpm,
        "moving_speed_min_mps": limits.moving_speed_min_mps,
        "gps_jump_speed_mps": limits.gps_jump_speed_mps,
        "dt_cap_s": limits.dt_cap_s,
    }
