"""Personal bests, the critical-speed versions they produce, and race predictions.

Every change to a runner's bests refits CS/D′ chronologically from the earliest changed
date: one version per date on which the bests changed, each fitted to the bests valid on
that date (SCIENCE.md "Critical speed and D′"). Manual CS versions are left alone.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from smartrunning.accounts.models import User
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import (
    BestSource,
    ParameterKey,
    ParameterSource,
    ParameterVersion,
    PersonalBest,
    Runner,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import (
    Conflict,
    InvalidInput,
    NotFound,
)
from smartrunning.science import defaults
from smartrunning.science.critical_speed import (
    CriticalSpeed,
    CriticalSpeedResult,
    Effort,
    fit_critical_speed,
)
from smartrunning.science.distances import STANDARD_DISTANCES
from smartrunning.science.predictions import PredictionRow, prediction_table

__all__ = [
    "TimelineEntry",
    "add_personal_best",
    "best_efforts_on",
    "current_fit",
    "delete_fitted_versions",
    "delete_personal_best",
    "effective_date",
    "fit_critical_speed_on",
    "fit_report",
    "parse_time",
    "predictions_on",
    "refresh_critical_speed",
    "timeline",
]

#: Faster than the men's world records is impossible; slower than walking is not a best.
MAX_SPEED_MPS = 10.5
MIN_SPEED_MPS = 1.0
MAX_DISTANCE_M = 250_000.0


def parse_time(text: str) -> float:
    """Seconds from "1234.5", "m:ss" or "h:mm:ss"; InvalidInput when malformed."""
    parts = text.strip().split(":")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise InvalidInput(f"Time {text!r}: use seconds, m:ss or h:mm:ss.", field="time") from None
    if not 1 <= len(numbers) <= 3 or not all(math.isfinite(n) and n >= 0 for n in numbers):
        raise InvalidInput(f"Time {text!r}: use seconds, m:ss or h:mm:ss.", field="time")
    if len(numbers) > 1 and any(n >= 60 for n in numbers[1:]):
        raise InvalidInput(f"Time {text!r}: minutes and seconds must be below 60.", field="time")
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


def _check_best(
    runner: Runner, distance_m: float, time_s: float, date: dt.date, today: dt.date
) -> None:
    if not 0 < distance_m <= MAX_DISTANCE_M:
        raise InvalidInput("Distance must be above 0 and at most 250 km.", field="distance_m")
    if not (math.isfinite(time_s) and time_s > 0):
        raise InvalidInput("Time must be positive.", field="time")
    speed = distance_m / time_s
    if speed > MAX_SPEED_MPS:
        raise InvalidInput(
            f"{distance_m:g} m in {time_s:g} s is faster than humanly possible ({speed:.1f} m/s).",
            field="time",
        )
    if speed < MIN_SPEED_MPS:
        raise InvalidInput(
            f"{distance_m:g} m in {time_s:g} s is slower than walking.", field="time"
        )
    if date > today:
        raise InvalidInput("A personal best cannot be in the future.", field="date")
    if date < runner.birth_date:
        raise InvalidInput("A personal best cannot be before the birth date.", field="date")


def add_personal_best(
    runner: Runner,
    distance_m: float,
    time_s: float,
    date: dt.date,
    *,
    by: User | None,
    today: dt.date,
    event_name: str = "",
) -> PersonalBest:
    """Add a manual best; refit CS from its date on."""
    _check_best(runner, distance_m, time_s, date, today)
    best = PersonalBest(
        runner_id=runner.id,
        distance_m=distance_m,
        time_s=time_s,
        date=date,
        event_name=event_name.strip()[:120],
        source=BestSource.MANUAL,
        created_by_id=by.id if by else None,
    )
    db.session.add(best)
    db.session.flush()
    refresh_critical_speed(runner, date, by=by)
    return best


def delete_personal_best(runner: Runner, best_id: int, *, by: User | None) -> None:
    """Delete a manual best and refit CS from its date. A best found in a session follows
    that session (the chronological recomputation finds it again): ``Conflict``."""
    best = db.session.get(PersonalBest, best_id)
    if best is None or best.runner_id != runner.id:
        raise NotFound("No such personal best.")
    if best.source is BestSource.SESSION:
        raise Conflict(
            f"This best was run in session {best.session_id} on {best.date.isoformat()}: it "
            "follows that session. Delete the session to remove it.",
            field="best",
        )
    date = best.date
    db.session.delete(best)
    db.session.flush()
    refresh_critical_speed(runner, date, by=by)


def _all_bests(runner: Runner) -> list[PersonalBest]:
    return list(
        db.session.execute(
            sa.select(PersonalBest)
            .where(PersonalBest.runner_id == runner.id)
            .order_by(PersonalBest.date, PersonalBest.id)
        ).scalars()
    )


def _effort(best: PersonalBest) -> Effort:
    return Effort(distance_m=best.distance_m, time_s=best.time_s, date=best.date, id=best.id)


def best_efforts_on(runner: Runner, day: dt.date) -> list[Effort]:
    """The personal best per distance valid on ``day`` (fastest entry dated ≤ day)."""
    fastest: dict[float, PersonalBest] = {}
    for best in _all_bests(runner):
        if best.date > day:
            continue
        key = round(best.distance_m, 1)
        if key not in fastest or best.time_s < fastest[key].time_s:
            fastest[key] = best
    return [_effort(b) for b in sorted(fastest.values(), key=lambda b: b.distance_m)]


def effective_date(best: PersonalBest) -> dt.date:
    """The first day a best counts for critical speed.

    A manual best counts from its date. A best found in a session counts from the next
    day, so that a session's own efforts never change the parameters it is analysed with
    (its pace zones and rTSS use the CS valid before it); every session of the same day
    is analysed with the same values, whatever order they were uploaded in.
    """
    if best.source is BestSource.SESSION:
        return best.date + dt.timedelta(days=1)
    return best.date


def fit_critical_speed_on(
    runner: Runner, day: dt.date, bests: list[PersonalBest], *, by: User | None
) -> ParameterVersion | None:
    """Add the CS/D′ version fitted on ``day`` to the ``bests`` counting by then, if any."""
    efforts = [_effort(b) for b in bests if effective_date(b) <= day]
    fallback = parameter_services.parameters_on(runner, day).cs
    result = fit_critical_speed(efforts, as_of=day, fallback=fallback)
    if not result.fitted:
        return None
    version = ParameterVersion(
        runner_id=runner.id,
        key=ParameterKey.CRITICAL_SPEED,
        valid_from=day,
        value={"cs_mps": result.cs_mps, "d_prime_m": result.d_prime_m},
        source=ParameterSource.FORMULA,
        details=fit_report(result),
        note="fitted to personal bests",
        created_by_id=by.id if by else None,
    )
    db.session.add(version)
    db.session.flush()
    return version


_DELETE_FITTED = (
    sa.delete(ParameterVersion)
    .where(
        ParameterVersion.runner_id == sa.bindparam("runner"),
        ParameterVersion.key == ParameterKey.CRITICAL_SPEED,
        ParameterVersion.source == ParameterSource.FORMULA,
        ParameterVersion.valid_from >= sa.bindparam("from_date"),
    )
    .execution_options(synchronize_session="fetch")
)
"""Built once: every import's recomputation runs it (building a statement costs more than
running it)."""


def delete_fitted_versions(runner: Runner, from_date: dt.date) -> None:
    """Remove the fitted CS/D′ versions valid from ``from_date`` on (to be refitted)."""
    db.session.execute(_DELETE_FITTED, {"runner": runner.id, "from_date": from_date})


def refresh_critical_speed(runner: Runner, from_date: dt.date, *, by: User | None) -> None:
    """Refit CS/D′ for every date on or after ``from_date`` on which the bests changed.

    Fitted versions (source ``formula``) from ``from_date`` on are replaced; a date whose
    fit is insufficient gets no version, so the previous value stays valid. Bests count
    from their ``effective_date`` (a session's from the next day).
    """
    delete_fitted_versions(runner, from_date)
    bests = _all_bests(runner)
    dates = sorted({effective_date(b) for b in bests if effective_date(b) >= from_date})
    for day in dates:
        fit_critical_speed_on(runner, day, bests, by=by)
    parameter_services.request_recompute(runner, from_date, "personal bests changed")


def fit_report(result: CriticalSpeedResult) -> dict[str, Any]:
    """The fit as JSON: values, quality, the efforts used and excluded, warnings."""

    def effort(e: Effort) -> dict[str, Any]:
        return {
            "id": e.id,
            "distance_m": e.distance_m,
            "time_s": e.time_s,
            "date": e.date.isoformat(),
        }

    return {
        "status": result.status.value,
        "cs_mps": result.cs_mps,
        "d_prime_m": result.d_prime_m,
        "r_squared": result.r_squared,
        "see_m": result.see_m,
        "window_s": list(result.window_s),
        "used": [effort(e) for e in result.used],
        "excluded": [
            {**effort(x.effort), "reason": x.reason.value, "message": x.message}
            for x in result.excluded
        ],
        "warnings": [{"code": w.code.value, "message": w.message} for w in result.warnings],
    }


def current_fit(runner: Runner, day: dt.date) -> CriticalSpeedResult:
    """The fit on ``day`` as it would be computed now (for reports and previews)."""
    fallback = _fallback_before(runner, day)
    return fit_critical_speed(best_efforts_on(runner, day), as_of=day, fallback=fallback)


def _fallback_before(runner: Runner, day: dt.date) -> CriticalSpeed:
    value = parameter_services.parameters_on(runner, day).critical_speed
    return value.value if isinstance(value.value, CriticalSpeed) else defaults.CRITICAL_SPEED


def predictions_on(runner: Runner, day: dt.date) -> tuple[PredictionRow, ...]:
    """Race predictions from the CS/D′ and bests valid on ``day``, each with its model."""
    params = parameter_services.parameters_on(runner, day)
    cs = params.cs if params.critical_speed.source is not ParameterSource.DEFAULT else None
    return prediction_table(best_efforts_on(runner, day), cs)


@dataclass(frozen=True)
class TimelineEntry:
    best: PersonalBest
    label: str
    is_record: bool  # faster than every earlier entry at this distance


def timeline(runner: Runner) -> dict[float, list[TimelineEntry]]:
    """Per distance, every entry in date order, marking those that set a new best."""
    labels = {round(d.distance_m, 1): d.label for d in STANDARD_DISTANCES}
    result: dict[float, list[TimelineEntry]] = {}
    for best in _all_bests(runner):
        key = round(best.distance_m, 1)
        entries = result.setdefault(key, [])
        record = all(best.time_s < e.best.time_s for e in entries)
        label = labels.get(key, f"{best.distance_m:g} m")
        entries.append(TimelineEntry(best, label, record))
    return dict(sorted(result.items()))
