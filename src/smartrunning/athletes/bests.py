"""Personal bests, the critical-speed versions they produce, and race predictions.

Every best says what it was (``BestKind``: race, time trial, training effort) and whether
it anchors CS (``anchor``, with its ``evidence``): entered races and time trials, and the
main effort of a session marked as one, are anchors; a training effort is one only when
maximal by heart rate (``science.bests.maximal_by_heart_rate``), at most one per session
(the longest: shorter bests inside it were paced for it). SCIENCE.md, "Which efforts
anchor CS".

Every change to a runner's bests refits CS/D′ chronologically from the earliest changed
date: one version per date on which the bests changed (``anchor_fit``): fitted to the
anchors valid on that date (``fit_critical_speed(strict=True)``: two sessions at least,
refused when off by more than 2 % or with D′ outside 50–500 m, the previous value kept);
without two anchors in the model's window, estimated from the best recent VDOT
(``predictions.critical_speed_from_vdot``). Measured beats fitted: while a CS a person
entered (or accepted) is in force, the fit becomes a suggestion instead of a version
(``suggestions``). Only automatic versions are ever replaced.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from smartrunning.accounts.models import User
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import suggestions
from smartrunning.athletes.models import (
    BestKind,
    BestSource,
    ParameterKey,
    ParameterSource,
    ParameterVersion,
    PersonalBest,
    Runner,
)
from smartrunning.platform import context, display
from smartrunning.platform.db import db, now_utc
from smartrunning.platform.errors import (
    Conflict,
    InvalidInput,
    NotFound,
)
from smartrunning.platform.softdelete import INCLUDE_DELETED
from smartrunning.platform.transactions import transaction
from smartrunning.science import defaults
from smartrunning.science.bests import maximal_by_heart_rate
from smartrunning.science.critical_speed import (
    OLD_EFFORT_DAYS,
    CriticalSpeed,
    CriticalSpeedResult,
    Effort,
    FitStatus,
    WarningCode,
    fit_critical_speed,
)
from smartrunning.science.distances import STANDARD_DISTANCES
from smartrunning.science.predictions import (
    PredictionRow,
    VdotEstimate,
    best_vdot,
    critical_speed_from_vdot,
    prediction_table,
)

__all__ = [
    "KIND_LABELS",
    "AnchorFit",
    "EffortClass",
    "TimelineEntry",
    "add_personal_best",
    "anchor_fit",
    "best_efforts_on",
    "classify_session_efforts",
    "cs_basis",
    "current_fit",
    "delete_fitted_versions",
    "delete_personal_best",
    "effective_date",
    "fit_critical_speed_on",
    "fit_report",
    "parse_time",
    "personal_bests_on",
    "prediction_efforts",
    "predictions_on",
    "purge_deleted_bests",
    "refresh_critical_speed",
    "restore_personal_best",
    "save_personal_best",
    "timeline",
]

KIND_LABELS = {
    BestKind.RACE: "Race",
    BestKind.TIME_TRIAL: "Time trial",
    BestKind.TRAINING: "Training effort",
}

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
    check_effort(distance_m, time_s, date, today)
    if date < runner.birth_date:
        raise InvalidInput("A personal best cannot be before the birth date.", field="date")


def check_effort(distance_m: float, time_s: float, date: dt.date, today: dt.date) -> None:
    """InvalidInput unless ``distance_m`` in ``time_s`` on ``date`` is a performance a
    person could have run (distance, a speed between walking and the fastest human, not in
    the future)."""
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


def add_personal_best(
    runner: Runner,
    distance_m: float,
    time_s: float,
    date: dt.date,
    *,
    by: User | None,
    today: dt.date,
    event_name: str = "",
    kind: BestKind = BestKind.RACE,
) -> PersonalBest:
    """Add an entered result (a race or time trial anchors CS; a training effort does
    not); refit CS from its date on."""
    _check_best(runner, distance_m, time_s, date, today)
    anchor = kind is not BestKind.TRAINING
    best = PersonalBest(
        runner_id=runner.id,
        distance_m=distance_m,
        time_s=time_s,
        date=date,
        event_name=event_name.strip()[:120],
        source=BestSource.MANUAL,
        created_by_id=by.id if by else None,
        kind=kind,
        anchor=anchor,
        evidence=(
            f"entered as a {KIND_LABELS[kind].lower()}"
            if anchor
            else "entered as a training effort: not in the fit"
        ),
    )
    db.session.add(best)
    db.session.flush()
    refresh_critical_speed(runner, date, by=by)
    return best


def save_personal_best(
    runner: Runner,
    distance_m: float,
    time_s: float,
    date: dt.date,
    *,
    by: User | None,
    today: dt.date,
    event_name: str = "",
    kind: BestKind = BestKind.RACE,
) -> PersonalBest:
    """``add_personal_best`` as an action of its own (pages, API, CLI): commits the
    result and the refitted CS, or rolls back and raises what refused it."""
    with transaction():
        return add_personal_best(
            runner,
            distance_m,
            time_s,
            date,
            by=by,
            today=today,
            event_name=event_name,
            kind=kind,
        )


def delete_personal_best(runner: Runner, best_id: int, *, by: User | None) -> PersonalBest:
    """Delete a manual best softly and refit CS from its date: it is left out everywhere,
    restorable with :func:`restore_personal_best` for ``UNDO_WINDOW_S``, then purged
    (:func:`purge_deleted_bests`). A best found in a session follows that session (the
    chronological recomputation finds it again): ``Conflict``. Commits (refused: rolled
    back)."""
    with transaction():
        best = db.session.get(PersonalBest, best_id) if 0 < best_id <= 2**31 - 1 else None
        if best is None or best.runner_id != runner.id or best.deleted_at is not None:
            raise NotFound("No such personal best.")
        if best.source is BestSource.SESSION:
            raise Conflict(
                f"This best was run in session {best.session_id} on {best.date.isoformat()}: "
                "it follows that session. Delete the session to remove it.",
                field="best",
            )
        best.deleted_at = now_utc()
        db.session.flush()
        refresh_critical_speed(runner, best.date, by=by)
    return best


def _undo_window() -> dt.timedelta:
    return dt.timedelta(seconds=context.settings().undo_window_s)


def restore_personal_best(runner: Runner, best_id: int, *, by: User | None) -> PersonalBest:
    """Restore a manual best deleted within the undo window and refit CS from its date;
    ``NotFound`` when it was not deleted, is past the window or purged, or is another
    runner's. Commits (refused: rolled back)."""
    with transaction():
        best = None
        if 0 < best_id <= 2**31 - 1:
            best = db.session.execute(
                sa.select(PersonalBest)
                .where(
                    PersonalBest.id == best_id,
                    PersonalBest.runner_id == runner.id,
                    PersonalBest.deleted_at.is_not(None),
                )
                .execution_options(**{INCLUDE_DELETED: True})
            ).scalar_one_or_none()
        if best is None or best.deleted_at is None or best.deleted_at + _undo_window() < now_utc():
            raise NotFound("No such deleted personal best (the time to undo may have passed).")
        best.deleted_at = None
        db.session.flush()
        refresh_critical_speed(runner, best.date, by=by)
    return best


def purge_deleted_bests() -> int:
    """Delete for good the bests deleted longer than ``UNDO_WINDOW_S`` ago; the caller
    commits. Returns how many went."""
    cutoff = now_utc() - _undo_window()
    result = db.session.execute(
        sa.delete(PersonalBest)
        .where(PersonalBest.deleted_at.is_not(None), PersonalBest.deleted_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _all_bests(runner: Runner) -> list[PersonalBest]:
    return list(
        db.session.execute(
            sa.select(PersonalBest)
            .where(PersonalBest.runner_id == runner.id)
            .order_by(PersonalBest.date, PersonalBest.id)
        ).scalars()
    )


def _effort(best: PersonalBest) -> Effort:
    source = f"session {best.session_id}" if best.session_id is not None else f"entry {best.id}"
    return Effort(
        distance_m=best.distance_m, time_s=best.time_s, date=best.date, id=best.id, source=source
    )


@dataclass(frozen=True)
class EffortClass:
    """What one best effort of a session is: its kind, whether it anchors CS, and why."""

    kind: BestKind
    anchor: bool
    evidence: str
    mean_hr_bpm: float | None


def classify_session_efforts(
    efforts: list[dict[str, Any]],
    performance: BestKind,
    hrmax_bpm: float,
    threshold_hr_bpm: float | None,
) -> list[EffortClass]:
    """The class of each of a session's best efforts (stored JSON, ``science.analysis``),
    in order. In a session marked as a race or time trial, its longest effort is the
    result; in a training session, each effort maximal by heart rate qualifies, and the
    longest of them is the anchor. Shorter efforts inside the anchor were paced for it and
    are not maximal for their own distance (SCIENCE.md, "Which efforts anchor CS")."""
    lengths = [float(e["distance_m"]) for e in efforts]
    if performance is not BestKind.TRAINING:
        longest = max(lengths, default=0.0)
        label = KIND_LABELS[performance].lower()
        return [
            EffortClass(performance, True, f"the {label}'s result", _hr(e))
            if float(e["distance_m"]) == longest
            else EffortClass(
                BestKind.TRAINING, False, f"part of a longer {label}: not in the fit", _hr(e)
            )
            for e in efforts
        ]
    judged = [
        maximal_by_heart_rate(
            _hr(e),
            float(e.get("hr_coverage") or 0.0),
            hrmax_bpm,
            threshold_hr_bpm if threshold_hr_bpm is not None else 0.0,
            float(e["time_s"]),
        )
        for e in efforts
    ]
    longest = max((d for d, (ok, _) in zip(lengths, judged, strict=True) if ok), default=-1.0)
    classes = []
    for effort, distance, (ok, why) in zip(efforts, lengths, judged, strict=True):
        if ok and distance != longest:
            why = "maximal by heart rate but part of a longer maximal effort: not in the fit"
        classes.append(EffortClass(BestKind.TRAINING, ok and distance == longest, why, _hr(effort)))
    return classes


def _hr(effort: dict[str, Any]) -> float | None:
    value = effort.get("mean_hr_bpm")
    return None if value is None else float(value)


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


def personal_bests_on(runner: Runner, day: dt.date) -> list[PersonalBest]:
    """Per distance, the personal best valid on ``day`` and, when that is a training effort
    the fit leaves out, the fastest anchor too; by distance, then time."""
    fastest: dict[float, PersonalBest] = {}
    anchors: dict[float, PersonalBest] = {}
    for best in _all_bests(runner):
        if best.date > day:
            continue
        key = round(best.distance_m, 1)
        for table, counts in ((fastest, True), (anchors, best.anchor)):
            if counts and (key not in table or best.time_s < table[key].time_s):
                table[key] = best
    rows = {b.id: b for b in [*fastest.values(), *anchors.values()]}
    return sorted(rows.values(), key=lambda b: (b.distance_m, b.time_s))


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


@dataclass(frozen=True)
class AnchorFit:
    """CS/D′ on a day from the anchors: the strict fit, and the VDOT estimate used when
    the fit had too few anchors (``estimate`` None otherwise, or without a recent one)."""

    fit: CriticalSpeedResult
    estimate: VdotEstimate | None
    anchors: int

    @property
    def value(self) -> CriticalSpeed | None:
        if self.fit.fitted:
            return self.fit.value
        return self.estimate.value if self.estimate is not None else None

    @property
    def source(self) -> ParameterSource:
        return ParameterSource.FORMULA if self.fit.fitted else ParameterSource.ESTIMATED

    @property
    def status(self) -> str:
        """fitted, estimated, refused (``fit`` says why), or none (no anchor to use)."""
        if self.fit.fitted:
            return "fitted"
        if self.estimate is not None:
            return "estimated"
        if self.fit.status in (FitStatus.REFUSED, FitStatus.INVALID):
            return "refused"
        return "none"

    def note(self) -> str:
        if self.fit.fitted:
            return f"fitted to {len(self.fit.used)} races, time trials or maximal efforts"
        if self.estimate is not None:
            e = self.estimate.source
            return (
                f"estimated from VDOT {self.estimate.vdot:.1f} ({e.distance_m:g} m in "
                f"{e.time_s:.0f} s on {e.date.isoformat()})"
            )
        return self.fit.warnings[-1].message if self.fit.warnings else "no anchor"

    def report(self) -> dict[str, Any]:
        report = fit_report(self.fit)
        report["basis"] = self.status
        report["anchors"] = self.anchors
        report["note"] = self.note()
        if self.estimate is not None:
            est = self.estimate
            report["estimate"] = {
                "vdot": est.vdot,
                "cs_mps": est.value.cs_mps,
                "d_prime_m": est.value.d_prime_m,
                "source": _effort_json(est.source),
                "equivalents": [_effort_json(e) for e in est.equivalents],
                "method": "VDOT-equivalent times at 1500, 3000 and 5000 m (Daniels & Gilbert), "
                "fitted to D = CS · t + D′",
            }
        return report


def anchor_fit(
    anchors: list[Effort], day: dt.date, fallback: CriticalSpeed, *, has_previous: bool = True
) -> AnchorFit:
    """The CS/D′ the anchors valid on ``day`` give (module docstring): the strict fit, or,
    when it has too few anchors in its window or sessions, the estimate from the best VDOT
    of the last ``OLD_EFFORT_DAYS`` days. A refused fit keeps the previous value; with no
    previous value (``has_previous`` False: only the population default) the estimate
    stands in, since the default is only for a runner with no performance. A fit refused
    because a longer race beat it takes the estimate too: that race is the evidence, and
    the previous value rests on the same non-maximal efforts."""
    current = [a for a in anchors if a.date <= day]
    fit = fit_critical_speed(current, as_of=day, fallback=fallback, strict=True)
    estimate = None
    beaten = WarningCode.BEATEN_BY_LONGER in fit.warning_codes
    if fit.status is FitStatus.INSUFFICIENT or (not fit.fitted and not has_previous) or beaten:
        recent = [a for a in current if (day - a.date).days <= OLD_EFFORT_DAYS]
        best = best_vdot(recent)
        if best is not None:
            try:
                estimate = _estimate_from_vdot(best[0])
            except ValueError:
                estimate = None
    return AnchorFit(fit, estimate, len(current))


_estimate_from_vdot = functools.lru_cache(maxsize=1024)(critical_speed_from_vdot)
"""``critical_speed_from_vdot`` remembered per effort: every fit of a recomputation that
falls back on the estimate asks it again for the same best effort (a one-file upload
fits its day, and the estimate solves three equations numerically each time); the value
depends on the effort alone and is immutable."""


def _anchors(bests: list[PersonalBest], day: dt.date) -> list[Effort]:
    return [_effort(b) for b in bests if b.anchor and effective_date(b) <= day]


def fit_critical_speed_on(
    runner: Runner,
    day: dt.date,
    bests: list[PersonalBest],
    *,
    by: User | None,
    params: parameter_services.Parameters | None = None,
) -> ParameterVersion | None:
    """Add the CS/D′ version the anchors among ``bests`` give on ``day`` (``anchor_fit``),
    or, while a value a person entered is in force, offer it as a suggestion. Returns the
    version added, if any. ``params``: the runner's parameters on ``day`` when the caller
    has them (the chronological recomputation), else read."""
    if params is None:
        params = parameter_services.parameters_on(runner, day)
    has_previous = params.critical_speed.version_id is not None
    result = anchor_fit(_anchors(bests, day), day, params.cs, has_previous=has_previous)
    value = result.value
    if value is None:
        return None
    encoded = {"cs_mps": value.cs_mps, "d_prime_m": value.d_prime_m}
    in_force = params.critical_speed
    if in_force.version_id is not None and not in_force.automatic:
        suggestions.suggest(
            runner, day, encoded, source=result.source, details=result.report(), note=result.note()
        )
        return None
    if (
        in_force.automatic
        and in_force.source is result.source is ParameterSource.ESTIMATED
        and _same(params.cs, value)
    ):
        return None  # e.g. a slower race: the estimate from the best VDOT does not change
    version = ParameterVersion(
        runner_id=runner.id,
        key=ParameterKey.CRITICAL_SPEED,
        valid_from=day,
        value=encoded,
        source=result.source,
        details=result.report(),
        note=result.note()[:200],
        created_by_id=by.id if by else None,
        automatic=True,
    )
    db.session.add(version)
    db.session.flush()
    return version


def _same(a: CriticalSpeed, b: CriticalSpeed) -> bool:
    return abs(a.cs_mps - b.cs_mps) < 1e-9 and abs(a.d_prime_m - b.d_prime_m) < 1e-6


def delete_fitted_versions(runner: Runner, from_date: dt.date, *, versions: bool = True) -> None:
    """Remove the automatic CS/D′ versions and the open suggestions valid from
    ``from_date`` on (to be refitted). ``versions`` False: the caller knows there is no
    such version (the suggestions alone are deleted)."""
    if versions:
        parameter_services.delete_automatic_versions(runner, ParameterKey.CRITICAL_SPEED, from_date)
    suggestions.delete_open(runner, from_date)


def refresh_critical_speed(runner: Runner, from_date: dt.date, *, by: User | None) -> None:
    """Refit CS/D′ for every date on or after ``from_date`` on which the bests changed.

    Automatic versions (and open suggestions) from ``from_date`` on are replaced; a date
    whose fit is refused or has nothing to fit gets no version, so the previous value stays
    valid. Bests count from their ``effective_date`` (a session's from the next day).
    """
    delete_fitted_versions(runner, from_date)
    bests = _all_bests(runner)
    dates = sorted({effective_date(b) for b in bests if effective_date(b) >= from_date})
    for day in dates:
        fit_critical_speed_on(runner, day, bests, by=by)
    parameter_services.request_recompute(runner, from_date, "personal bests changed")


def _effort_json(e: Effort) -> dict[str, Any]:
    return {
        "id": e.id,
        "distance_m": e.distance_m,
        "time_s": e.time_s,
        "date": e.date.isoformat(),
    }


def fit_report(result: CriticalSpeedResult) -> dict[str, Any]:
    """The fit as JSON: values, quality, the efforts used and excluded, warnings."""
    effort = _effort_json

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


def current_fit(runner: Runner, day: dt.date) -> AnchorFit:
    """The anchor fit on ``day`` as it would be computed now (for reports and previews)."""
    valued = parameter_services.parameters_on(runner, day).critical_speed
    fallback = _fallback_before(runner, day)
    has_previous = valued.version_id is not None
    return anchor_fit(_anchors(_all_bests(runner), day), day, fallback, has_previous=has_previous)


def cs_basis(runner: Runner, day: dt.date) -> dict[str, Any]:
    """What the CS valid on ``day`` rests on, for people: ``basis`` is measured (entered as
    measured), accepted (another value a person entered, or a suggestion accepted), fitted,
    estimated (from VDOT), or default (the population value: no race, time trial or maximal
    effort yet), with a sentence saying so."""
    valued = parameter_services.parameters_on(runner, day).critical_speed
    if valued.source is ParameterSource.DEFAULT:
        basis = "default"
        message = (
            f"Population default ({display.pace(defaults.CRITICAL_SPEED.cs_mps)}): no race, "
            "time trial or maximal effort yet. "
            "Enter a recent race result, or mark an uploaded race, so paces fit this runner."
        )
    elif not valued.automatic and valued.source is ParameterSource.MEASURED:
        basis = "measured"
        message = f"Entered as measured, valid from {valued.valid_from}; fits become suggestions."
    elif not valued.automatic:
        basis = "accepted"
        message = (
            f"A {valued.source.value} value a person entered or accepted, valid from "
            f"{valued.valid_from}; later fits become suggestions."
        )
    elif valued.source is ParameterSource.ESTIMATED:
        basis = "estimated"
        message = "Estimated from the best recent race's VDOT (Daniels & Gilbert)."
    else:
        basis = "fitted"
        message = "Fitted to races, time trials and maximal efforts."
    return {"basis": basis, "message": message, "source": valued.source.value}


def _fallback_before(runner: Runner, day: dt.date) -> CriticalSpeed:
    value = parameter_services.parameters_on(runner, day).critical_speed
    return value.value if isinstance(value.value, CriticalSpeed) else defaults.CRITICAL_SPEED


def predictions_on(runner: Runner, day: dt.date) -> tuple[PredictionRow, ...]:
    """Race predictions from the CS/D′ and bests valid on ``day``, each with its model."""
    params = parameter_services.parameters_on(runner, day)
    cs = params.cs if params.critical_speed.source is not ParameterSource.DEFAULT else None
    return prediction_table(prediction_efforts(runner, day), cs)


def prediction_efforts(runner: Runner, day: dt.date) -> list[Effort]:
    """What Riegel and VDOT predict from: the fastest anchor per distance valid on ``day``
    (a training effort that was not maximal would predict too slow a race); the personal
    bests when there is no anchor yet."""
    bests = [b for b in _all_bests(runner) if b.date <= day]
    anchors = [b for b in bests if b.anchor]
    fastest: dict[float, PersonalBest] = {}
    for best in anchors or bests:
        key = round(best.distance_m, 1)
        if key not in fastest or best.time_s < fastest[key].time_s:
            fastest[key] = best
    return [_effort(b) for b in sorted(fastest.values(), key=lambda b: b.distance_m)]


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
