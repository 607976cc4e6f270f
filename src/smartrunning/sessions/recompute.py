"""Chronological recomputation: sessions in date order, whatever the upload order.

From the earliest changed day (``AnalysisState.dirty_from``, pending
``RecomputeRequest`` rows, or a day asked for), :func:`recompute_runner` walks the
runner's sessions in date order (their local day, then start time), under the runner's
analysis lock:

1. What the walk will redo is undone first: personal bests found in sessions from that
   day on, and the CS/D′ versions fitted to bests from that day on (those valid from the
   next day when only sessions changed, as a session's bests count from the next day).
2. Day by day: the CS/D′ versions due that day are fitted first (to every best counting
   by then: ``athletes.bests.effective_date``), then each session of the day is brought
   up to date with the parameters valid that day (``parameters_on``): fully re-analysed
   from its stored records when an algorithm version or a configured limit changed,
   otherwise only its zone times and loads, from its stored histograms, when the
   parameters differ from those it was analysed with.
3. A running session's best effort (unless the session is held for review: values no
   runner produces) that is faster than the personal best valid before
   it (manual bests dated up to its day, and bests of earlier sessions) becomes a
   personal best (source ``session``, linked to the session and the effort's offsets),
   and a CS/D′ refit is due the next day.

The rule that keeps a session's own bests from changing its own analysis: a best found
in a session counts for critical speed from the *next* day (``effective_date``), so a
session, and every session of the same day, is analysed with the CS that held before
that day. The result depends only on the set of sessions and manual entries, never on
the order they arrived in (a property test imports shuffled orders).

4. The daily history is recomputed from the earliest changed day, continuing from the
   stored state of the day before (``sessions.history.rebuild_from``).

Deleting a session marks its day dirty: the same walk then removes what it caused.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import undefer

from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import (
    BestSource,
    ParameterKey,
    ParameterVersion,
    PersonalBest,
    RecomputeRequest,
    Runner,
)
from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.gc import paused_gc
from smartrunning.science.analysis import (
    AnalysisParams,
    ParamInputs,
    SourceInfo,
    analyse,
    apply_params,
    current_versions,
    limits_json,
)
from smartrunning.sessions import history as history_services
from smartrunning.sessions.analysis_inputs import analysis_params, configured_limits
from smartrunning.sessions.analysis_state import (
    lock_runner,
    mark_clean,
    recoverable_commit,
)
from smartrunning.sessions.models import (
    AnalysisState,
    HistoryDay,
    ImportJob,
    JobStatus,
    TrainingSession,
)
from smartrunning.sessions.parquet import records_from_parquet

__all__ = [
    "RecomputeResult",
    "recompute_locked",
    "recompute_runner",
    "runners_needing_recompute",
    "set_load_without_own",
    "stale_from",
]

_LOAD_WITHOUT_OWN: Final = "smartrunning.load_without_own"


def set_load_without_own(app: Flask, source: Callable[[int], float | None]) -> None:
    """Where a session whose analysis finds no load (no usable heart rate, no pace) gets
    one: the feedback feature's session RPE, which sits above this one and is handed in by
    the app. ``source(session_id)`` answers the load or None."""
    app.extensions[_LOAD_WITHOUT_OWN] = source


_FASTER_BY_S: Final = 1e-6


@dataclass
class RecomputeResult:
    """What a recomputation did (``from_date`` None: nothing was stale)."""

    runner_id: int
    from_date: dt.date | None
    sessions: int = 0
    reanalysed: int = 0
    updated: int = 0
    personal_bests: int = 0
    cs_versions: int = 0
    history_days: int = 0
    requests: int = 0
    new_bests: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "runner_id": self.runner_id,
            "from_date": self.from_date,
            "sessions": self.sessions,
            "reanalysed": self.reanalysed,
            "updated": self.updated,
            "personal_bests": self.personal_bests,
            "cs_versions": self.cs_versions,
            "history_days": self.history_days,
            "requests": self.requests,
        }


def stale_from(runner: Runner) -> dt.date | None:
    """The earliest day with a value made by an older algorithm (sessions or history)."""
    v = current_versions()
    session_day = db.session.execute(
        sa.select(sa.func.min(TrainingSession.local_date)).where(
            TrainingSession.runner_id == runner.id,
            sa.or_(
                TrainingSession.streams_version < v["streams"],
                TrainingSession.stats_version < v["stats"],
                TrainingSession.bests_version < v["bests"],
                TrainingSession.load_version < v["load"],
                TrainingSession.analysis_version < v["analysis"],
            ),
        )
    ).scalar_one()
    history_day = db.session.execute(
        sa.select(sa.func.min(HistoryDay.day)).where(
            HistoryDay.runner_id == runner.id,
            HistoryDay.version < history_services.HISTORY_VERSION,
        )
    ).scalar_one()
    days = [d for d in (session_day, history_day) if d is not None]
    return min(days) if days else None


def runners_needing_recompute(*, skip_importing: bool = False) -> list[int]:
    """Runners with a dirty day or a pending recompute request (three small queries).

    ``skip_importing`` leaves out runners with an import job still open: the job's
    completion recomputes them once, instead of again and again while files arrive.
    """
    dirty = set(
        db.session.execute(
            sa.select(AnalysisState.runner_id).where(AnalysisState.dirty_from.is_not(None))
        ).scalars()
    )
    requested = set(
        db.session.execute(
            sa.select(RecomputeRequest.runner_id).where(RecomputeRequest.done_at.is_(None))
        ).scalars()
    )
    busy: set[int] = set()
    if skip_importing:
        busy = set(
            db.session.execute(
                sa.select(ImportJob.runner_id).where(ImportJob.status != JobStatus.DONE)
            ).scalars()
        )
    return sorted((dirty | requested) - busy)


# The statements of every recomputation, built once (a one-file upload recomputes its
# runner, and building a statement costs more than running it).
_REQUESTS = sa.select(RecomputeRequest).where(
    RecomputeRequest.runner_id == sa.bindparam("runner"), RecomputeRequest.done_at.is_(None)
)
_DELETE_SESSION_BESTS = (
    sa.delete(PersonalBest)
    .where(
        PersonalBest.runner_id == sa.bindparam("runner"),
        PersonalBest.source == BestSource.SESSION,
        PersonalBest.date >= sa.bindparam("start"),
    )
    .execution_options(synchronize_session="fetch")
)
_BESTS = (
    sa.select(PersonalBest)
    .where(PersonalBest.runner_id == sa.bindparam("runner"))
    .order_by(PersonalBest.date, PersonalBest.id)
)
_SESSIONS_FROM = (
    sa.select(TrainingSession)
    .where(
        TrainingSession.runner_id == sa.bindparam("runner"),
        TrainingSession.local_date >= sa.bindparam("start"),
    )
    .order_by(TrainingSession.local_date, TrainingSession.start_time, TrainingSession.id)
    .options(
        undefer(TrainingSession.best_efforts),
        undefer(TrainingSession.param_inputs),
        undefer(TrainingSession.params),
    )
)
_VERSION_DAYS = sa.select(
    ParameterVersion.valid_from, ParameterVersion.key, ParameterVersion.automatic
).where(ParameterVersion.runner_id == sa.bindparam("runner"))


def recompute_runner(
    runner: Runner, *, from_date: dt.date | None = None, include_stale: bool = False
) -> RecomputeResult:
    """Bring the runner's derived values up to date (see the module docstring); commits."""
    recoverable_commit()
    dirty = lock_runner(runner.id)
    result = recompute_locked(runner, dirty, from_date=from_date, include_stale=include_stale)
    db.session.commit()
    return result


def recompute_locked(
    runner: Runner,
    dirty: dt.date | None,
    *,
    from_date: dt.date | None = None,
    include_stale: bool = False,
) -> RecomputeResult:
    """:func:`recompute_runner` in the caller's transaction, which holds the runner's lock
    (``dirty``: the stale day ``lock_runner`` returned) and commits: the import of a job's
    last files completes the job in the transaction that writes them."""
    requests = list(db.session.execute(_REQUESTS, {"runner": runner.id}).scalars())
    starts = [r.from_date for r in requests]
    if from_date is not None:
        starts.append(from_date)
    if include_stale and (stale := stale_from(runner)) is not None:
        starts.append(stale)
    if not starts and dirty is None:
        return RecomputeResult(runner.id, None)
    start = min([*starts, dirty] if dirty is not None else starts)
    # Changed sessions alone (``dirty_from``) leave the CS/D′ versions valid on their first
    # day as they are: a session's bests count from the next day (``effective_date``), so
    # those versions rest on earlier bests only. A request, an asked day or an older
    # algorithm starting on the same day refits that day too.
    refit_from = start if start in starts else start + dt.timedelta(days=1)
    with paused_gc():
        result = _Walk(runner, start, refit_from).run()
        result.history_days = history_services.rebuild_from(runner, start)
    result.requests = len(requests)
    now = now_utc()
    for request in requests:
        request.done_at = now
    mark_clean(runner.id)
    return result


class _Walk:
    """One chronological pass from ``start`` (see the module docstring, steps 1–3)."""

    def __init__(self, runner: Runner, start: dt.date, refit_from: dt.date) -> None:
        self.runner = runner
        self.start = start
        self.refit_from = refit_from
        self.limits = configured_limits()
        self.limits_json = limits_json(self.limits)
        self.versions = current_versions()
        self.params_days: tuple[dt.date, dt.date] | None = None
        self.parameters: parameter_services.Parameters | None = None
        self.params: AnalysisParams | None = None
        self.fingerprint = ""
        self.change_days: list[dt.date] = []
        self.result = RecomputeResult(runner.id, start)
        self.fit_days: set[dt.date] = set()
        self.record: dict[float, float] = {}

    def run(self) -> RecomputeResult:
        runner, start = self.runner, self.start
        params = {"runner": runner.id, "start": start}
        versions = db.session.execute(_VERSION_DAYS, params).all()
        refitted = [
            v.key is ParameterKey.CRITICAL_SPEED and v.automatic and v.valid_from >= self.refit_from
            for v in versions
        ]
        # (none when the walk starts on a new last day: no DELETE then)
        best_services.delete_fitted_versions(runner, self.refit_from, versions=any(refitted))
        self.change_days = sorted(
            {v.valid_from for v, gone in zip(versions, refitted, strict=True) if not gone}
        )
        self.bests = list(db.session.execute(_BESTS, params).scalars())
        redone = [b for b in self.bests if b.source is BestSource.SESSION and b.date >= start]
        if redone:  # (none when the walk starts on a new last day)
            db.session.execute(_DELETE_SESSION_BESTS, params)
            self.bests = [
                b for b in self.bests if not (b.source is BestSource.SESSION and b.date >= start)
            ]
        self.fit_days = {
            d for b in self.bests if (d := best_services.effective_date(b)) >= self.refit_from
        }
        for best in self.bests:
            if best.source is BestSource.SESSION or best.date < start:
                self._fold(best)
        self.manual_ahead = [
            b for b in self.bests if b.source is BestSource.MANUAL and b.date >= start
        ]
        sessions = db.session.scalars(_SESSIONS_FROM, params).all()
        day: dt.date | None = None
        for session in sessions:
            if session.local_date != day:
                day = session.local_date
                self._advance_to(day)
            self._bring_up_to_date(session, self._params_on(session.local_date))
            if session.counts_for_bests and not session.held:
                self._detect_bests(session)
            self.result.sessions += 1
        self._fit_due(None)
        db.session.flush()
        return self.result

    def _params_on(self, day: dt.date) -> AnalysisParams:
        """The parameters of ``day``, read again only when they may have changed: on a day a
        version starts (stored, or fitted during this walk) or on a birthday (estimated
        HRmax counts whole years)."""
        if self.params_days is not None and self.params is not None:
            since, until = self.params_days
            if since <= day < until:
                return self.params
        self.parameters = parameter_services.parameters_on(self.runner, day)
        self.params = analysis_params(self.parameters, self.runner.sex, self.limits)
        self.fingerprint = self.params.fingerprint()
        later = [d for d in self.change_days if d > day]
        self.params_days = (day, min([*later[:1], _next_birthday(self.runner.birth_date, day)]))
        return self.params

    def _fold(self, best: PersonalBest) -> None:
        key = round(best.distance_m, 1)
        if key not in self.record or best.time_s < self.record[key]:
            self.record[key] = best.time_s

    def _advance_to(self, day: dt.date) -> None:
        self._fit_due(day)
        while self.manual_ahead and self.manual_ahead[0].date <= day:
            self._fold(self.manual_ahead.pop(0))

    def _fit_due(self, day: dt.date | None) -> None:
        """Fit the CS/D′ versions due on or before ``day`` (all of them for None)."""
        for due in sorted(d for d in self.fit_days if day is None or d <= day):
            self.fit_days.discard(due)
            known = None  # the parameters read for the sessions, while still valid on ``due``
            if self.params_days is not None and self.params_days[0] <= due < self.params_days[1]:
                known = self.parameters
            if best_services.fit_critical_speed_on(
                self.runner, due, self.bests, by=None, params=known
            ):
                self.result.cs_versions += 1
                bisect.insort(self.change_days, due)
                if self.params_days is not None and self.params_days[0] <= due:
                    self.params_days = (self.params_days[0], min(self.params_days[1], due))

    def _bring_up_to_date(self, session: TrainingSession, params: AnalysisParams) -> None:
        stale = (
            session.streams_version != self.versions["streams"]
            or session.stats_version != self.versions["stats"]
            or session.bests_version != self.versions["bests"]
            or session.load_version != self.versions["load"]
            or session.analysis_version != self.versions["analysis"]
            or (session.param_inputs or {}).get("limits") != self.limits_json
        )
        if stale:
            records = records_from_parquet(blob_store().get(session.records_sha256))
            source = SourceInfo.from_json(session.source_info)
            analysis = analyse(records, source, self.limits, params)
            for name, value in analysis.columns().items():
                setattr(session, name, value)
            session.analysed_at = now_utc()
            self.result.reanalysed += 1
        elif session.params_hash != self.fingerprint:
            values = apply_params(ParamInputs.from_json(session.param_inputs), params)
            for name, value in values.columns().items():
                setattr(session, name, value)
            session.analysed_at = now_utc()
            self.result.updated += 1
        else:
            return
        fallback = current_app.extensions.get(_LOAD_WITHOUT_OWN)
        wanted = session.load is None or params.load_model == "srpe"
        if wanted and not session.held and fallback is not None:
            value = fallback(session.id)
            if value is not None:
                session.load, session.load_model = value, "srpe"

    def _detect_bests(self, session: TrainingSession) -> None:
        """Records, and the session's anchor even when not a record (its race result, or
        its maximal effort: ``best_services.classify_session_efforts``)."""
        found = False
        params = self._params_on(session.local_date)
        efforts = session.best_efforts or []
        classes = best_services.classify_session_efforts(
            efforts, session.performance, params.hrmax_bpm, params.threshold_hr_bpm
        )
        for effort, kind in zip(efforts, classes, strict=True):
            distance, time_s = float(effort["distance_m"]), float(effort["time_s"])
            speed = distance / time_s if time_s > 0 else 0.0
            if not best_services.MIN_SPEED_MPS <= speed <= best_services.MAX_SPEED_MPS:
                continue
            key = round(distance, 1)
            record = key not in self.record or time_s < self.record[key] - _FASTER_BY_S
            if not (record or kind.anchor):
                continue
            best = PersonalBest(
                runner_id=self.runner.id,
                distance_m=distance,
                time_s=time_s,
                date=session.local_date,
                event_name="",
                source=BestSource.SESSION,
                session_id=session.id,
                start_offset_s=float(effort["start_offset_s"]),
                end_offset_s=float(effort["end_offset_s"]),
                kind=kind.kind,
                anchor=kind.anchor,
                mean_hr_bpm=kind.mean_hr_bpm,
                evidence=kind.evidence[:200],
            )
            db.session.add(best)
            self.bests.append(best)
            self.record[key] = min(time_s, self.record.get(key, time_s))
            self.result.personal_bests += 1
            found = True
        if found:
            db.session.flush()
            self.fit_days.add(session.local_date + dt.timedelta(days=1))


def _next_birthday(birth: dt.date, day: dt.date) -> dt.date:
    """The first day after ``day`` on which the age in whole years changes."""
    for year in (day.year, day.year + 1):
        try:
            candidate = birth.replace(year=year)
        except ValueError:  # 29 February: the age changes on 1 March
            candidate = dt.date(year, 3, 1)
        if candidate > day:
            return candidate
    raise AssertionError("unreachable")
