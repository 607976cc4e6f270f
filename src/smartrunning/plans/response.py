"""A runner's fitted response model from their stored data (``science.response``).

The inputs: the daily loads of the history (``sessions`` ``HistoryDay``, rest days 0) from
the first stored day to ``today``; the performances, each on the VDOT scale with its source:

- races and time trials (personal-best entries of those kinds, 1500 m to the marathon);
- CS versions entered as measured or fitted from two or more anchors, except one dated on
  the day of a race or the day after (that race seen again through the CS fit); versions
  estimated from one effort's VDOT are that effort again and are left out;
- the steady-run index of running sessions outdoors (not held for review, not races or
  time trials), with the HRmax and HRrest valid on the session's day (no index without a
  resting heart rate: the heart-rate reserve needs one).

The app hands this module to the athletes feature (``athletes.response_model``), which
sits below the history and cannot read it itself.

**Stored, not fitted per view.** A fit takes up to a few seconds (its cross-validation and
bootstrap), so :func:`response_fit` keeps the last one per runner (``response_models``) with
a fingerprint of what it read: the source of ``science.response`` and its rule, the first
day, the daily loads up to the last performance and the performances (date, value, source).
A read gathers the inputs (queries, no fit), and fits again only when the fingerprint
differs: a session, a best or a parameter that changes an input, or a new version of the
fit. Loads after the last performance are left out of the fit and of the fingerprint: a
performance on day d depends only on the loads before d (``science.response``), so the
result is the same as with them, and a day passing or a session after the last performance
with no index of its own keeps the stored fit.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import inspect
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import (
    BestKind,
    ParameterKey,
    ParameterSource,
    PersonalBest,
    Runner,
)
from smartrunning.plans.models import StoredResponseModel
from smartrunning.platform.db import db, now_utc
from smartrunning.science import response as response_science
from smartrunning.science.critical_speed import CriticalSpeed
from smartrunning.science.heart_rate import estimate_hrmax
from smartrunning.science.predictions import VDOT_DISTANCE_RANGE_M
from smartrunning.science.response import (
    Interval,
    Performance,
    PerformanceSource,
    ResponseFit,
    ResponseParams,
    SufficiencyRule,
    critical_speed_performance,
    fit_response,
    race_performance,
    session_index,
)
from smartrunning.science.sports import is_running
from smartrunning.sessions.models import HistoryDay, TrainingSession

__all__ = [
    "FITS",
    "fingerprint",
    "fit_from_json",
    "fit_json",
    "fresh_fit",
    "plan_response",
    "response_fit",
    "response_inputs",
]

_CS_SOURCES = frozenset({ParameterSource.MEASURED, ParameterSource.FORMULA})


def _loads(runner: Runner, today: dt.date) -> tuple[dt.date, np.ndarray]:
    rows = db.session.execute(
        sa.select(HistoryDay.day, HistoryDay.load)
        .where(HistoryDay.runner_id == runner.id, HistoryDay.day <= today)
        .order_by(HistoryDay.day)
    ).all()
    if not rows:
        return today, np.zeros(0)
    first = rows[0].day
    loads = np.zeros((today - first).days + 1)
    for row in rows:
        loads[(row.day - first).days] = max(float(row.load), 0.0)
    return first, loads


def _races(runner: Runner, today: dt.date) -> list[Performance]:
    low, high = VDOT_DISTANCE_RANGE_M
    bests = db.session.execute(
        sa.select(PersonalBest)
        .where(
            PersonalBest.runner_id == runner.id,
            PersonalBest.kind.in_([BestKind.RACE, BestKind.TIME_TRIAL]),
            PersonalBest.date <= today,
            PersonalBest.distance_m >= low - 0.5,
            PersonalBest.distance_m <= high + 0.5,
        )
        .order_by(PersonalBest.date, PersonalBest.id)
    ).scalars()
    kind_words = {BestKind.RACE: "race", BestKind.TIME_TRIAL: "time trial"}
    return [
        race_performance(
            b.distance_m,
            b.time_s,
            b.date,
            f"{kind_words.get(b.kind, 'race')} {b.distance_m:g} m in {b.time_s:.0f} s",
        )
        for b in bests
    ]


def _cs_versions(runner: Runner, today: dt.date, race_days: set[dt.date]) -> list[Performance]:
    out = []
    for version in parameter_services.history(runner, ParameterKey.CRITICAL_SPEED):
        if version.valid_from > today or version.source not in _CS_SOURCES:
            continue
        if {version.valid_from, version.valid_from - dt.timedelta(days=1)} & race_days:
            continue
        cs = CriticalSpeed(float(version.value["cs_mps"]), float(version.value["d_prime_m"]))
        label = f"critical speed {cs.cs_mps:.2f} m/s ({version.source.value})"
        out.append(critical_speed_performance(cs, version.valid_from, label))
    return out


class _Dated:
    """A parameter's versions by date: the value valid on a day, else ``default(day)`` (as
    ``athletes.parameters`` resolves it, without its queries per day)."""

    def __init__(
        self, runner: Runner, key: ParameterKey, default: Callable[[dt.date], float | None]
    ) -> None:
        versions = parameter_services.history(runner, key)
        self.days = [v.valid_from for v in versions]
        self.values = [v.value for v in versions]
        self.default = default

    def on(self, day: dt.date) -> float | None:
        at = bisect.bisect_right(self.days, day) - 1
        value: Any = self.values[at] if at >= 0 else self.default(day)
        return None if value is None else float(value)


def _session_index(runner: Runner, today: dt.date) -> list[Performance]:
    hrmax = _Dated(
        runner,
        ParameterKey.HRMAX,
        lambda day: round(estimate_hrmax(runner.birth_date, day).hrmax_bpm, 1),
    )
    hrrest = _Dated(runner, ParameterKey.HRREST, lambda day: None)
    stats = TrainingSession.stats
    # Only the columns the index reads, the two values of ``stats`` taken out by the
    # database: decoding every session's whole ``stats`` took ~2 s for ten years of runs.
    sessions = db.session.execute(
        sa.select(
            TrainingSession.local_date,
            TrainingSession.sport,
            TrainingSession.avg_speed_mps,
            TrainingSession.avg_hr_bpm,
            TrainingSession.moving_time_s,
            stats["grade_adjusted_speed_mps"].as_float().label("gas"),
            stats["aerobic_decoupling_pct"].as_float().label("decoupling"),
        )
        .where(
            TrainingSession.runner_id == runner.id,
            TrainingSession.held.is_(False),
            TrainingSession.treadmill.is_(False),
            TrainingSession.performance == BestKind.TRAINING,
            TrainingSession.local_date <= today,
            TrainingSession.avg_hr_bpm.is_not(None),
        )
        .order_by(TrainingSession.local_date, TrainingSession.id)
    ).all()
    out = []
    for s in sessions:
        if not is_running(s.sport):
            continue
        speed = s.gas or s.avg_speed_mps
        high, low = hrmax.on(s.local_date), hrrest.on(s.local_date)
        if speed is None or s.avg_hr_bpm is None or high is None or low is None:
            continue
        value = session_index(
            float(speed),
            float(s.avg_hr_bpm),
            low,
            high,
            float(s.moving_time_s),
            s.decoupling,
        )
        if value is not None:
            label = f"steady run of {s.moving_time_s / 60:.0f} min"
            out.append(Performance(s.local_date, value, PerformanceSource.SESSION_INDEX, label))
    return out


def response_inputs(
    runner: Runner, today: dt.date
) -> tuple[dt.date, np.ndarray, list[Performance]]:
    """First day, daily loads from it to ``today`` and the performances (module docstring)."""
    first, loads = _loads(runner, today)
    races = _races(runner, today)
    performances = [
        *races,
        *_cs_versions(runner, today, {p.date for p in races}),
        *_session_index(runner, today),
    ]
    return first, loads, sorted(performances, key=lambda p: p.date)


class _FitCounter:
    """How many fits this process ran (tests and ``bench/`` read it: a stored fit reused
    leaves it unchanged)."""

    def __init__(self) -> None:
        self.count = 0


FITS = _FitCounter()

_SCIENCE = hashlib.sha256(
    (inspect.getsource(response_science) + repr(SufficiencyRule())).encode()
).digest()
"""The fit's own version: its source and sufficiency rule (a change to either refits)."""


def _fit_inputs(first: dt.date, loads: np.ndarray, performances: list[Performance]) -> np.ndarray:
    """The loads the fit reads: up to the last performance (the loads after it change
    nothing, module docstring)."""
    last = max(((p.date - first).days for p in performances), default=0)
    return loads[: max(0, min(len(loads), last))]


def fingerprint(first: dt.date, loads: np.ndarray, performances: list[Performance]) -> str:
    """A hash of the fit's version and of what it reads (``_fit_inputs``'s loads)."""
    digest = hashlib.sha256(_SCIENCE)
    digest.update(struct.pack("<q", first.toordinal()))
    digest.update(np.ascontiguousarray(loads, dtype="<f8").tobytes())
    for p in performances:
        digest.update(struct.pack("<qd", p.date.toordinal(), p.value))
        digest.update(p.source.value.encode() + b"\0")
    return digest.hexdigest()


def fit_json(fit: ResponseFit) -> dict[str, Any]:
    """The fit as stored (every field; floats round-trip exactly through JSON)."""
    p = fit.params
    return {
        "fitted": fit.fitted,
        "reason": fit.reason,
        "params": [p.p0, p.k1, p.k2, p.tau1_d, p.tau2_d],
        "n": fit.n,
        "span_d": fit.span_d,
        "rmse": fit.rmse,
        "r2": fit.r2,
        "cv_rmse": fit.cv_rmse,
        "intervals": {k: [v.low, v.high] for k, v in fit.intervals.items()},
        "offsets": {s.value: v for s, v in fit.offsets.items()},
        "samples": [[q.p0, q.k1, q.k2, q.tau1_d, q.tau2_d] for q in fit.samples],
    }


def fit_from_json(data: dict[str, Any]) -> ResponseFit:
    """The fit :func:`fit_json` stored."""
    return ResponseFit(
        fitted=bool(data["fitted"]),
        reason=str(data["reason"]),
        params=ResponseParams(*(float(v) for v in data["params"])),
        n=int(data["n"]),
        span_d=int(data["span_d"]),
        rmse=data["rmse"],
        r2=data["r2"],
        cv_rmse=data["cv_rmse"],
        intervals={k: Interval(float(lo), float(hi)) for k, (lo, hi) in data["intervals"].items()},
        offsets={PerformanceSource(k): float(v) for k, v in data["offsets"].items()},
        samples=tuple(ResponseParams(*(float(v) for v in q)) for q in data.get("samples", [])),
    )


def fresh_fit(runner: Runner, today: dt.date) -> ResponseFit:
    """The response model fitted now from the stored data, nothing read or written of the
    stored fit (tests and ``bench/`` compare with it)."""
    first, loads, performances = response_inputs(runner, today)
    FITS.count += 1
    return fit_response(loads, first, performances)


def response_fit(runner: Runner, today: dt.date, *, commit: bool = True) -> ResponseFit:
    """The runner's response model on ``today``: fitted where the data allow, else the
    population values with the reason (``science.response.fit_response``).

    The stored fit when its fingerprint matches the inputs; otherwise fitted, stored and
    committed (module docstring); ``commit=False`` leaves the commit to the caller's
    transaction (plan generation inside an action).
    """
    first, loads, performances = response_inputs(runner, today)
    loads = _fit_inputs(first, loads, performances)
    key = fingerprint(first, loads, performances)
    stored = db.session.get(StoredResponseModel, runner.id)
    if stored is not None and stored.fingerprint == key:
        return fit_from_json(stored.result)
    FITS.count += 1
    fit = fit_response(loads, first, performances)
    try:
        with db.session.begin_nested():
            if stored is None:
                db.session.add(
                    StoredResponseModel(runner_id=runner.id, fingerprint=key, result=fit_json(fit))
                )
            else:
                stored.fingerprint = key
                stored.result = fit_json(fit)
                stored.computed_at = now_utc()
    except IntegrityError:
        pass  # another request stored the same runner's fit at the same moment
    if commit:
        db.session.commit()
    return fit


def plan_response(
    runner: Runner, today: dt.date
) -> tuple[ResponseParams | None, tuple[ResponseParams, ...], str]:
    """What a plan's taper is chosen by (``science.plans.taper``): the runner's fitted
    parameters and their bootstrap sets when the fit is used, else None (the population
    values), with which and why in words. Stored as the fit is, committed by the caller."""
    fit = response_fit(runner, today, commit=False)
    if fit.fitted:
        return fit.params, fit.samples, f"the runner's fitted response model ({fit.reason})"
    return None, (), f"population values (k₁ = 1, k₂ = 2, τ₁ = 42 d, τ₂ = 7 d): {fit.reason}"
