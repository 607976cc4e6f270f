"""A training session as pages, the API and the CLI show it: one typed shape each for the
list (:class:`SessionSummary`) and for one session (:class:`SessionDetail`); and a week of
the history's volume (:class:`WeekVolume`).

The field names are the API's (``avg_hr``, not the model's ``avg_hr_bpm``); units are SI.
:func:`session_summary` and :func:`session_detail`, here, build them from the model; the API
serialises them with :data:`SessionOut` and :data:`SessionDetailOut`, derived from the same
fields; the CLI prints :meth:`~smartrunning.platform.shapes.Shape.as_dict` with ``--json``
and reads the attributes for its table, as the pages' templates do.

An import job's progress and per-file results (:class:`JobReport`, built by
``sessions.import_reports``): the API's :data:`JobOut` and :data:`JobSummaryOut` (the list,
without the files) are derived from it; the upload and job pages, the admin dashboard and
the ``import`` command read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final, TypedDict

import sqlalchemy as sa
from sqlalchemy.orm import undefer

from smartrunning.athletes.models import PersonalBest
from smartrunning.platform.db import db
from smartrunning.platform.shapes import NOT_IN_API, Shape, doc, schema_of
from smartrunning.science.distances import STANDARD_DISTANCES
from smartrunning.science.sports import session_title, sport_display
from smartrunning.sessions.models import JobStatus, TrainingSession

__all__ = [
    "JobOut",
    "JobReport",
    "JobSummaryOut",
    "Loads",
    "SessionDetail",
    "SessionDetailOut",
    "SessionOut",
    "SessionSummary",
    "Versions",
    "WeekOut",
    "WeekVolume",
    "session_detail",
    "session_summary",
]


@dataclass(frozen=True, slots=True)
class SessionSummary(Shape):
    """The list columns of a session."""

    id: int
    runner_id: int
    sport: str = field(metadata=doc("FIT sport (running, cycling, swimming …)"))
    sub_sport: str | None
    sport_label: str = field(metadata=doc("the sport in words: Pool swimming …"))
    title: str = field(metadata=doc("time of day and sport: Morning swim …"))
    treadmill: bool
    start_time: dt.datetime
    local_date: dt.date
    # The API has always documented the four totals as possibly null.
    distance_m: float = field(metadata=doc(nullable=True))
    timer_time_s: float = field(metadata=doc(nullable=True))
    moving_time_s: float = field(metadata=doc(nullable=True))
    elapsed_time_s: float = field(metadata=doc(nullable=True))
    avg_speed_mps: float | None
    avg_hr: float | None
    max_hr: float | None
    elevation_gain_m: float | None
    load: float | None
    load_model: str | None
    performance: str = field(
        metadata=doc(
            "race, time_trial or training: a race or time trial's main effort "
            "anchors critical speed (POST /api/sessions/{id}/performance)"
        )
    )
    held: bool = field(
        metadata=doc(
            "Values no runner produces (see flags): kept out of bests, loads "
            "and history until confirmed (POST /api/sessions/{id}/confirm)"
        )
    )
    flags: list[dict[str, Any]] = field(metadata=doc("[{code, reason}]"))


class Loads(TypedDict):
    """A session's load by each model, and the one counted (``chosen``, by ``model``)."""

    trimp: float | None
    hrss: float | None
    rtss: float | None
    chosen: float | None
    model: str | None


class Versions(TypedDict):
    """The versions of the algorithms a session was analysed with."""

    streams: int
    stats: int
    bests: int
    load: int
    analysis: int


@dataclass(frozen=True, slots=True)
class SessionDetail(SessionSummary):
    """Everything about one session: summary, loads, zone times, splits, laps, best
    efforts (with their personal best's id), device totals, and the parameters and
    algorithm versions it was analysed with."""

    end_time: dt.datetime = field(metadata=doc(nullable=True))
    utc_offset_s: int | None = field(metadata=NOT_IN_API)
    counts_for_bests: bool
    loads: Loads
    zone_times: dict[str, Any]
    splits: list[dict[str, Any]]
    laps: list[dict[str, Any]]
    mile_splits: list[dict[str, Any]] = field(metadata=NOT_IN_API)
    stats: dict[str, Any]
    best_efforts: list[dict[str, Any]]
    device_totals: dict[str, Any] | None
    device: dict[str, Any] | None
    decoder: str = field(metadata=doc(nullable=True))
    record_count: int = field(metadata=doc(nullable=True))
    params: dict[str, Any] = field(metadata=doc(nullable=True))
    versions: Versions
    import_file_id: int | None = field(metadata=NOT_IN_API)
    confirmed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class WeekVolume(Shape):
    """A week's totals (ISO week starting on Monday ``week``), held sessions left out; running
    distance apart."""

    week: dt.date
    sessions: int
    distance_m: float
    timer_time_s: float
    load: float
    running_distance_m: float


SessionOut = schema_of(SessionSummary, name="SessionOut")
SessionDetailOut = schema_of(SessionDetail, name="SessionDetailOut")
WeekOut = schema_of(WeekVolume, name="WeekOut")


@dataclass(frozen=True, slots=True)
class JobReport(Shape):
    """A job's progress and, optionally, its per-file results."""

    id: int
    runner_id: int
    status: JobStatus
    source: str
    # The API has always documented both times as plain strings.
    created_at: dt.datetime = field(metadata=doc(as_text=True))
    finished_at: dt.datetime | None = field(metadata=doc(as_text=True))
    files_total: int
    files_done: int
    by_status: dict[str, int]
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return self.status is JobStatus.DONE


JobOut = schema_of(JobReport, name="JobOut")


class JobSummaryOut(JobOut):  # type: ignore[misc,valid-type]
    # A job in a list: no per-file results.
    class Meta:
        exclude = ("files",)


_LABELS: Final = {round(d.distance_m, 1): d.label for d in STANDARD_DISTANCES}


def session_summary(s: TrainingSession) -> SessionSummary:
    """The list columns of a session (summary columns only: no further query)."""
    return SessionSummary(
        id=s.id,
        runner_id=s.runner_id,
        sport=s.sport,
        sub_sport=s.sub_sport,
        sport_label=sport_display(s.sport, s.sub_sport).label,
        title=session_title(s.sport, s.sub_sport, s.start_time, s.utc_offset_s),
        treadmill=s.treadmill,
        start_time=s.start_time,
        local_date=s.local_date,
        distance_m=s.distance_m,
        timer_time_s=s.timer_time_s,
        moving_time_s=s.moving_time_s,
        elapsed_time_s=s.elapsed_time_s,
        avg_speed_mps=s.avg_speed_mps,
        avg_hr=s.avg_hr_bpm,
        max_hr=s.max_hr_bpm,
        elevation_gain_m=s.elevation_gain_m,
        load=s.load,
        load_model=s.load_model,
        performance=s.performance.value,
        held=s.held,
        flags=s.flags or [],
    )


def session_detail(s: TrainingSession) -> SessionDetail:
    """Everything about one session (three queries): summary, loads, zone times, splits,
    laps, best efforts (marked when they are personal bests), device totals and the
    parameters and algorithm versions it was analysed with."""
    row = db.session.execute(
        sa.select(TrainingSession)
        .where(TrainingSession.id == s.id)
        .options(
            undefer(TrainingSession.stats),
            undefer(TrainingSession.best_efforts),
            undefer(TrainingSession.zones),
            undefer(TrainingSession.params),
            undefer(TrainingSession.device_totals),
        )
    ).scalar_one()
    pbs = {
        round(b.distance_m, 1): b.id
        for b in db.session.execute(
            sa.select(PersonalBest).where(PersonalBest.session_id == row.id)
        ).scalars()
    }
    efforts = [
        {
            **e,
            "label": _LABELS.get(round(e["distance_m"], 1), f"{e['distance_m']:g} m"),
            "personal_best_id": pbs.get(round(e["distance_m"], 1)),
        }
        for e in row.best_efforts or []
    ]
    stats = dict(row.stats or {})
    zones = row.zones or {}
    return SessionDetail(
        **session_summary(row).as_dict(),
        end_time=row.end_time,
        utc_offset_s=row.utc_offset_s,
        counts_for_bests=row.counts_for_bests,
        loads=Loads(
            trimp=row.trimp, hrss=row.hrss, rtss=row.rtss, chosen=row.load, model=row.load_model
        ),
        zone_times={"hr": zones.get("hr"), "pace": zones.get("pace")},
        splits=stats.pop("splits", []),
        laps=stats.pop("laps", []),
        mile_splits=stats.pop("mile_splits", []),
        stats=stats,
        best_efforts=efforts,
        device_totals=row.device_totals,
        device=row.device,
        decoder=row.decoder,
        record_count=row.record_count,
        params=row.params,
        versions=Versions(
            streams=row.streams_version,
            stats=row.stats_version,
            bests=row.bests_version,
            load=row.load_version,
            analysis=row.analysis_version,
        ),
        import_file_id=row.import_file_id,
        confirmed_at=row.confirmed_at,
    )
