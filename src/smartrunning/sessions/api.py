"""Sessions, imports and history over the API (same access as the pages)."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from flask_smorest.pagination import PaginationParameters
from marshmallow import Schema, fields, validate

from smartrunning.accounts.policy import this_user
from smartrunning.athletes.policy import get_runner_or_404
from smartrunning.platform import clock
from smartrunning.platform.errors import (
    NotFound,
)
from smartrunning.platform.jsonio import json_response
from smartrunning.platform.pagination import MAX_PAGE_SIZE
from smartrunning.sessions import actions as session_services
from smartrunning.sessions import history as history_services
from smartrunning.sessions import import_reports, quotas, uploads
from smartrunning.sessions import schemas as session_schemas
from smartrunning.sessions.schemas import (
    JobOut,
    JobReport,
    JobSummaryOut,
    SessionDetail,
    SessionDetailOut,
    SessionOut,
    SessionSummary,
    WeekOut,
)

__all__ = ["blp", "jobs_blp"]

blp = Blueprint(
    "api_sessions", __name__, url_prefix="/api", description="Training sessions from FIT files"
)
jobs_blp = Blueprint(
    "api_jobs",
    __name__,
    url_prefix="/api/jobs",
    description="Import jobs: progress and per-file results",
)


class SessionQuery(Schema):
    sport = fields.Str(load_default=None)
    date_from = fields.Date(load_default=None, data_key="from")
    date_to = fields.Date(load_default=None, data_key="to")
    sort = fields.Str(
        load_default="start_time", validate=validate.OneOf(list(session_services.SORTS))
    )
    direction = fields.Str(
        load_default="desc", data_key="dir", validate=validate.OneOf(["asc", "desc"])
    )


class UploadOut(Schema):
    job_id = fields.Int()
    status_url = fields.Str()


def _series() -> fields.List:
    return fields.List(fields.Float(allow_none=True))


class SeriesOut(Schema):
    """Bucket means (``null`` where a bucket has no value), all lists of ``points`` items."""

    points = fields.Int()
    elapsed_s = _series()
    distance_m = _series()
    speed_mps = _series()
    pace_s_per_km = _series()
    heart_rate_bpm = _series()
    cadence_spm = _series()
    altitude_m = _series()
    power_w = _series()


class HistoryQuery(Schema):
    date_from = fields.Date(load_default=None, data_key="from")
    date_to = fields.Date(load_default=None, data_key="to")


class DayOut(Schema):
    day = fields.Date()
    load_value = fields.Float(attribute="load", data_key="load", allow_none=True)
    ctl = fields.Float(allow_none=True)
    atl = fields.Float(allow_none=True)
    form = fields.Float(allow_none=True)
    performance = fields.Float(allow_none=True)
    ramp = fields.Float(allow_none=True)
    monotony = fields.Float(allow_none=True)
    strain = fields.Float(allow_none=True)
    projected = fields.Bool(
        metadata={
            "description": "After the last session: rest days to today, then the planned load"
        }
    )


class HistoryOut(Schema):
    days = fields.List(fields.Nested(DayOut))
    weeks = fields.List(fields.Nested(WeekOut))


def _session(session_id: int) -> Any:
    try:
        return session_services.visible_session(this_user(), session_id)
    except NotFound:
        abort(404, message="No such session.")


@blp.route("/runners/<int:runner_id>/sessions")
class RunnerSessions(MethodView):
    @blp.arguments(SessionQuery, location="query")
    @blp.response(200, SessionOut(many=True))
    @blp.paginate(page_size=50, max_page_size=MAX_PAGE_SIZE)
    def get(
        self, query: dict[str, Any], runner_id: int, pagination_parameters: PaginationParameters
    ) -> list[SessionSummary]:
        """A page of the runner's sessions, sorted and filtered by sport and date; totals in
        the ``X-Pagination`` header."""
        runner = get_runner_or_404(runner_id)
        page = session_services.list_sessions(
            runner,
            **query,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        return [session_schemas.session_summary(s) for s in page.into(pagination_parameters)]

    @blp.response(202, UploadOut)
    @blp.doc(
        requestBody={
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            }
                        },
                    }
                }
            }
        }
    )
    def post(self, runner_id: int) -> dict[str, Any]:
        """Upload .fit files and ZIPs (multipart field ``files``); answers with the job."""
        runner = get_runner_or_404(runner_id)
        quotas.check_upload(runner, this_user(), request.content_length or 0)
        files = [f for f in request.files.getlist("files") if f.filename]
        job = uploads.create_import(
            runner,
            [(f.filename or "upload", f.stream) for f in files],
            by=this_user(),
            source="api",
        )
        return {"job_id": job.id, "status_url": url_for("api_jobs.JobById", job_id=job.id)}


@blp.route("/sessions/<int:session_id>")
class SessionById(MethodView):
    @blp.response(200, SessionDetailOut)
    def get(self, session_id: int) -> SessionDetail:
        """One session: totals, loads, zone times, splits, laps, best efforts, device totals."""
        return session_schemas.session_detail(_session(session_id))

    @blp.response(204)
    def delete(self, session_id: int) -> None:
        """Delete a session and undo what it caused (bests, CS versions, loads, history).
        It can be restored (``POST …/restore``) for ``UNDO_WINDOW_S`` (default 600 s), then
        it is purged for good."""
        session_services.delete_session(this_user(), session_id)  # commits with the recompute


@blp.route("/sessions/<int:session_id>/restore")
class SessionRestore(MethodView):
    @blp.response(200, SessionDetailOut)
    def post(self, session_id: int) -> SessionDetail:
        """Restore a session deleted within the undo window and recompute from its day;
        404 after the window (purged) or for a session the caller may not see."""
        session_services.restore_session_by_id(session_id, user=this_user())  # commits
        return session_schemas.session_detail(_session(session_id))


@blp.route("/sessions/<int:session_id>/analyse")
class SessionAnalyse(MethodView):
    @blp.response(200, SessionDetailOut)
    def post(self, session_id: int) -> SessionDetail:
        """Analyse the session again from its stored records with the parameters valid on its
        date, and recompute what follows (bests, critical speed, later loads, history)."""
        session = _session(session_id)
        session_services.reanalyse_session(this_user(), session.id)
        return session_schemas.session_detail(_session(session_id))


@blp.route("/sessions/<int:session_id>/confirm")
class SessionConfirm(MethodView):
    @blp.response(200, SessionDetailOut)
    def post(self, session_id: int) -> SessionDetail:
        """Confirm a session held for review (values no runner produces: ``flags``): it counts
        again for bests, loads and history, recomputed from its day. A session that is not
        held is left as it is."""
        try:
            session_services.confirm_session(this_user(), session_id)
        except NotFound:
            abort(404, message="No such session.")
        return session_schemas.session_detail(_session(session_id))


class PerformanceIn(Schema):
    performance = fields.Str(
        required=True, validate=validate.OneOf(["race", "time_trial", "training"])
    )


@blp.route("/sessions/<int:session_id>/performance")
class SessionPerformance(MethodView):
    @blp.arguments(PerformanceIn)
    @blp.response(200, SessionDetailOut)
    def post(self, data: dict[str, Any], session_id: int) -> SessionDetail:
        """Mark the whole session as a race, a time trial or training; its bests, the critical
        speed and what follows are recomputed from its day."""
        try:
            session_services.mark_performance(
                this_user(),
                session_id,
                session_services.parse_performance(data["performance"]),
            )
        except NotFound:
            abort(404, message="No such session.")
        return session_schemas.session_detail(_session(session_id))


@blp.route("/sessions/<int:session_id>/series")
class SessionSeries(MethodView):
    @blp.response(200, SeriesOut)
    def get(self, session_id: int) -> dict[str, Any]:
        """Pace, HR, cadence, altitude and power over time and distance (≤ 600 points)."""
        return session_services.session_series(_session(session_id))


@blp.route("/runners/<int:runner_id>/history")
class RunnerHistory(MethodView):
    @blp.arguments(HistoryQuery, location="query")
    @blp.response(200, HistoryOut)
    def get(self, query: dict[str, Any], runner_id: int) -> Response:
        """Daily load, fitness, fatigue, form and performance; weekly volume. With ``to``
        after today, the days to come are projected over the runner's plans."""
        runner = get_runner_or_404(runner_id)
        body = {
            "days": history_services.daily_series(
                runner, **query, today=clock.today(), plans=history_services.plan_source()
            ),
            "weeks": [w.as_dict() for w in history_services.weekly_volume(runner, **query)],
        }
        # The rows already have HistoryOut's shape (its keys, plain numbers, dates), which
        # a test checks against the schema's own dump; skipping that dump halves the CPU of
        # a year of days (~4,000 values through marshmallow's fields).
        return json_response(body)


class JobsQuery(Schema):
    limit = fields.Int(load_default=20, validate=validate.Range(1, 200))


@blp.route("/runners/<int:runner_id>/jobs")
class RunnerJobs(MethodView):
    @blp.arguments(JobsQuery, location="query")
    @blp.response(200, JobSummaryOut(many=True))
    def get(self, query: dict[str, Any], runner_id: int) -> list[JobReport]:
        """The runner's latest imports, newest first, with their progress (no per-file
        results: ``/api/jobs/{id}`` has them)."""
        runner = get_runner_or_404(runner_id)
        return import_reports.list_jobs([runner.id], limit=query["limit"])


@jobs_blp.route("/<int:job_id>")
class JobById(MethodView):
    @jobs_blp.response(200, JobOut)
    def get(self, job_id: int) -> JobReport:
        """An import's status, progress and per-file results."""
        try:
            job = import_reports.visible_job(this_user(), job_id)
        except NotFound:
            abort(404, message="No such import job.")
        return import_reports.job_report(job)
