"""Sessions pages: upload with live progress, the import report, list, detail, history."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from smartrunning.accounts.policy import this_user
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.policy import get_runner_or_404
from smartrunning.platform import display
from smartrunning.platform.errors import (
    NotFound,
    ServiceError,
)
from smartrunning.platform.jsonio import script_json
from smartrunning.platform.undo import confirm_page, confirmed, flash_undo, undo_window_words
from smartrunning.sessions import actions as session_services
from smartrunning.sessions import history as history_services
from smartrunning.sessions import import_reports, quotas, recent, uploads
from smartrunning.sessions import schemas as session_schemas

__all__ = ["bp", "parse_list_query"]

bp = Blueprint("sessions", __name__, template_folder="templates")

#: How each load model counts a session, in words (the history page says which applies).
LOAD_MODEL_WORDS = {
    "auto": "each session's rTSS (pace), else HRSS, else TRIMP (heart rate)",
    "rtss": "each session's rTSS (pace), else HRSS, else TRIMP",
    "hrss": "each session's HRSS (heart rate), else rTSS, else TRIMP",
    "trimp": "each session's TRIMP (heart rate), else rTSS, else HRSS",
    "srpe": (
        "session RPE (RPE × minutes ÷ 4.2: an hour at RPE 7 = 100) for every session the "
        "runner rated; a session not rated counts its rTSS, else HRSS, else TRIMP"
    ),
}


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        abort(400, description=f"{name} must be a date YYYY-MM-DD.")


def parse_list_query(args: Any) -> dict[str, Any]:
    """Filters and paging of the sessions list from query arguments (pages and API)."""
    return {
        "sport": args.get("sport") or None,
        "date_from": _date(args.get("from"), "from"),
        "date_to": _date(args.get("to"), "to"),
        "sort": args.get("sort", "start_time"),
        "direction": args.get("dir", "desc"),
        "page": args.get("page", 1, type=int) or 1,
        "page_size": args.get("page_size", 25, type=int) or 25,
    }


@bp.get("/runners/<int:runner_id>/sessions")
def session_list(runner_id: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    query = parse_list_query(request.args)
    try:
        page = session_services.list_sessions(runner, **query)
    except ServiceError as exc:
        abort(400, description=exc.message)
    return render_template(
        "sessions/list.html",
        runner=runner,
        page=page,
        rows=[session_schemas.session_summary(s) for s in page.items],
        query=query,
        sports=session_services.sports(runner),
        args=request.args.to_dict(),
    )


@bp.route("/runners/<int:runner_id>/upload", methods=["GET", "POST"])
def upload(runner_id: int) -> ResponseReturnValue:
    """Many .fit files and ZIPs at once; the job runs on the queue."""
    runner = get_runner_or_404(runner_id)
    user = this_user()
    if request.method == "GET":
        jobs = import_reports.list_jobs([runner.id], limit=10)
        return render_template(
            "sessions/upload.html",
            runner=runner,
            jobs=jobs,
            runner_usage=quotas.runner_usage(runner),
            user_usage=quotas.user_usage(user),
        )
    try:
        # Before the body is read: a refused upload stores nothing.
        quotas.check_upload(runner, user, request.content_length or 0)
        files = [f for f in request.files.getlist("files") if f.filename]
        job = uploads.create_import(
            runner, [(f.filename or "upload", f.stream) for f in files], by=user
        )
    except ServiceError as exc:
        if request.accept_mimetypes.best == "application/json":
            return jsonify(
                {"error": {"code": "invalid", "message": exc.message, "details": {}}}
            ), 422
        flash(exc.message, "danger")
        return redirect(url_for("sessions.upload", runner_id=runner.id))
    job_url = url_for("sessions.job", job_id=job.id)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(
            {
                "job_id": job.id,
                "job_url": job_url,
                "status_url": url_for("api_jobs.JobById", job_id=job.id),
            }
        ), 202
    return redirect(job_url)


@bp.get("/jobs/<int:job_id>")
def job(job_id: int) -> ResponseReturnValue:
    """The per-file report of an import, updated live while it runs."""
    try:
        row = import_reports.visible_job(this_user(), job_id)
    except NotFound:
        abort(404)
    report = import_reports.job_report(row)
    runner = get_runner_or_404(row.runner_id)
    return render_template(
        "sessions/job.html",
        runner=runner,
        report=report,
        status_url=url_for("api_jobs.JobById", job_id=job_id),
    )


@bp.get("/sessions/<int:session_id>")
def detail(session_id: int) -> ResponseReturnValue:
    try:
        session = session_services.visible_session(this_user(), session_id)
    except NotFound:
        abort(404)
    runner = get_runner_or_404(session.runner_id)
    data = session_schemas.session_detail(session)
    charts = {
        "zones": data.zone_times,
        "hr_zone_bounds": (data.params or {}).get("hr_zones"),
    }
    return render_template(
        "sessions/detail.html",
        runner=runner,
        s=data,
        chart_json=script_json(charts),
        charts_url=url_for(
            "sessions.charts", session_id=session.id, v=_charts_tag(session.records_sha256)
        ),
    )


def _charts_tag(records_sha256: str) -> str:
    return f"{records_sha256[:16]}-{session_services.CHARTS_VERSION}"


@functools.lru_cache(maxsize=64)
def _charts_body(records_sha256: str) -> bytes:
    """The charts' JSON, kept for the last 64 records read by this process (~110 kB each
    for an hour at 1 Hz): records are stored under their hash and never change, and a
    session's page and charts are usually looked at several times in a row, by the runner
    and the coach. Building it reads and reduces the records (~10 ms)."""
    return script_json(session_services.charts_of_records(records_sha256)).encode()


@bp.get("/sessions/<int:session_id>/charts.json")
def charts(session_id: int) -> ResponseReturnValue:
    """The series and route of the detail page's charts, fetched by the page.

    They depend only on the stored records (content-addressed), so the answer carries an
    ETag of their hash and may be cached by the browser: a second visit costs nothing, and
    the page itself stays light. The ``v`` query argument names that tag, so a session
    whose records change gets a new URL.
    """
    try:
        session = session_services.visible_session(this_user(), session_id)
    except NotFound:
        abort(404)
    tag = _charts_tag(session.records_sha256)
    if request.if_none_match.contains(tag):
        response = make_response("", 304)
    else:
        response = make_response(
            _charts_body(session.records_sha256),
            200,
            {"Content-Type": "application/json"},
        )
    response.set_etag(tag)
    response.cache_control.private = True
    response.cache_control.max_age = 7 * 24 * 3600
    return response


@bp.post("/sessions/<int:session_id>/analyse")
def analyse(session_id: int) -> ResponseReturnValue:
    try:
        result = session_services.reanalyse_session(this_user(), session_id)
    except NotFound:
        abort(404)
    flash(
        f"Analysed again; {result.reanalysed + result.updated} session(s) and "
        f"{result.history_days} day(s) of history brought up to date.",
        "success",
    )
    return redirect(url_for("sessions.detail", session_id=session_id))


@bp.post("/sessions/<int:session_id>/confirm")
def confirm(session_id: int) -> ResponseReturnValue:
    """Confirm a session held for review: it counts again for bests, loads and history."""
    try:
        confirmed = session_services.confirm_session(this_user(), session_id)
    except NotFound:
        abort(404)
    if confirmed:
        flash("Confirmed; bests, loads and history now count this session.", "success")
    else:
        flash("This session was not held for review; nothing to confirm.", "info")
    return redirect(url_for("sessions.detail", session_id=session_id))


@bp.get("/sessions/<int:session_id>/delete")
def delete_confirm(session_id: int) -> ResponseReturnValue:
    """Ask before deleting (the step without JavaScript)."""
    try:
        session = session_services.visible_session(this_user(), session_id)
    except NotFound:
        abort(404)
    title = session_schemas.session_summary(session).title
    return confirm_page(
        title="Delete this session?",
        question=f"Delete “{title}” ({session.local_date.isoformat()})?",
        details=[
            "Its bests, critical speed, loads and history are recomputed without it.",
            f"You can undo this for {undo_window_words()}; after that it is gone for good.",
        ],
        action=url_for("sessions.delete", session_id=session_id),
        cancel_url=url_for("sessions.detail", session_id=session_id),
        button="Delete session",
    )


@bp.post("/sessions/<int:session_id>/delete")
def delete(session_id: int) -> ResponseReturnValue:
    try:
        session = session_services.visible_session(this_user(), session_id)
    except NotFound:
        abort(404)
    if not confirmed():
        return redirect(url_for("sessions.delete_confirm", session_id=session_id))
    runner_id = session.runner_id
    session_services.delete_session(this_user(), session_id)  # commits with the recomputation
    flash_undo(
        "Session deleted; bests, critical speed and history were recomputed without it.",
        url_for("sessions.restore", session_id=session_id),
    )
    return redirect(url_for("sessions.session_list", runner_id=runner_id))


@bp.post("/sessions/<int:session_id>/restore")
def restore(session_id: int) -> ResponseReturnValue:
    """Undo a deletion within the undo window (404 after it, or for another's session)."""
    try:
        session_services.restore_session_by_id(session_id, user=this_user())
    except NotFound:
        abort(404)
    flash("Session restored; bests, critical speed and history were recomputed.", "success")
    return redirect(url_for("sessions.detail", session_id=session_id))


@bp.post("/sessions/<int:session_id>/performance")
def performance(session_id: int) -> ResponseReturnValue:
    """Mark the session as a race, a time trial or training (recomputes from its day)."""
    try:
        kind = session_services.parse_performance(request.form.get("performance"))
        session_services.mark_performance(this_user(), session_id, kind)
    except NotFound:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        label = session_services.PERFORMANCE_LABELS[kind].lower()
        flash(f"Marked as {label}; bests and critical speed recomputed.", "success")
    return redirect(url_for("sessions.detail", session_id=session_id))


HISTORY_RANGES: dict[str, tuple[str, int | None]] = {
    "3m": ("3 months", 91),
    "6m": ("6 months", 182),
    "1y": ("1 year", 365),
    "all": ("All", None),
}
"""The history page's periods (label, days before today); years of an imported archive
would otherwise squeeze this season into a few pixels."""


@bp.get("/runners/<int:runner_id>/history")
def history(runner_id: int) -> ResponseReturnValue:
    """Fitness, fatigue and form over a period (default the last year, and on to the race
    day of the runner's plans), and weekly volume."""
    runner = get_runner_or_404(runner_id)
    period = request.args.get("range", "1y")
    if period not in HISTORY_RANGES:
        abort(400, description=f"range must be one of {', '.join(HISTORY_RANGES)}.")
    today = display.today()
    span = HISTORY_RANGES[period][1]
    start = today - dt.timedelta(days=span) if span is not None else None
    plans = history_services.plan_source()
    end = plans.projection_end(runner, today) if plans is not None else today
    end = min(end, history_services.latest_day(today))
    days = history_services.daily_series(
        runner, date_from=start, date_to=end, today=today, plans=plans
    )
    monday = start - dt.timedelta(days=start.weekday()) if start is not None else None
    weeks = [w.as_dict() for w in history_services.weekly_volume(runner, date_from=monday)]
    now = next((d for d in days if d["day"] == today), days[-1] if days else None)
    last_session = recent.last_session_day(runner)
    return render_template(
        "sessions/history.html",
        runner=runner,
        days=days,
        now=now,
        today=today,
        race_day=days[-1] if days and end > today else None,
        weeks=weeks,
        period=period,
        periods=HISTORY_RANGES,
        last_session=last_session,
        quiet=last_session is not None and start is not None and last_session < start,
        chart_json=script_json({"days": days, "weeks": weeks, "today": today}),
        load_model=LOAD_MODEL_WORDS.get(
            parameter_services.parameters_on(runner, today).load_model.value, ""
        ),
    )
