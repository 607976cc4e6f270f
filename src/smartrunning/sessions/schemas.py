"""A training session as pages, the API and the CLI show it: one typed shape each for the
list (:class:`SessionSummary`) and for one session (:class:`SessionDetail`); and a week of
the history's volume (:class:`WeekVolume`).

The field names are the API's (``avg_hr``, not the model's ``avg_hr_bpm``); units are SI.
``sessions.actions`` builds them from the model (:func:`~smartrunning.sessions.actions.
session_summary`, :func:`~smartrunning.sessions.actions.session_detail`); the API
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
from typing import Any, TypedDict

from smartrunning.platform.shapes import NOT_IN_API, Shape, doc, schema_of
from smartrunning.sessions.models import JobStatus

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
