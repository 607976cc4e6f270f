"""Plan pages. Views parse, authorise, call one service and answer. Who may do what:
everyone who sees a runner sees their plans (another runner's plan answers 404); coaches
of the runner and admins generate, edit, regenerate and delete (403 otherwise: a runner
may not delete the plan their coach made for them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from smartrunning.accounts.policy import this_user
from smartrunning.athletes.models import Runner
from smartrunning.athletes.policy import get_runner_or_404
from smartrunning.plans import actions as plan_services
from smartrunning.plans import calendar as plan_calendar
from smartrunning.plans import calendar_edits, freshness, plan_schemas
from smartrunning.plans import compliance as plan_compliance
from smartrunning.plans import exports as plan_exports
from smartrunning.plans import projection as plan_projection
from smartrunning.plans.models import (
    Plan,
    PlanDay,
)
from smartrunning.platform import display, guard
from smartrunning.platform.db import now_utc
from smartrunning.platform.errors import (
    InvalidInput,
    NotFound,
    ServiceError,
)
from smartrunning.platform.jsonio import script_json
from smartrunning.science.zwo import read_zwo
from smartrunning.sessions.models import TrainingSession
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import targets as workout_targets

__all__ = ["bp"]

bp = Blueprint("plans", __name__, template_folder="templates")


def _plan_or_404(plan_id: int) -> Plan:
    try:
        return plan_services.visible_plan(this_user(), plan_id)
    except NotFound:
        abort(404)


def _day_or_404(plan: Plan, day_id: int) -> PlanDay:
    try:
        return plan_services.visible_day(this_user(), plan, day_id)
    except NotFound:
        abort(404)


def _require_plan(runner: Runner) -> None:
    if not plan_services.can_plan(this_user(), runner):
        abort(403)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday(raw: str, message: str, field: str) -> int:
    if not (raw.isdigit() and int(raw) <= 6):
        raise InvalidInput(message, field=field)
    return int(raw)


def _form_days(form: Any) -> tuple[frozenset[int], int, int]:
    """Training days, long-run day and sessions a week from the form; ``InvalidInput``
    (naming the field) when one is missing or malformed."""
    days = frozenset(
        _weekday(raw, "Training days are weekdays (Monday to Sunday).", "training_days")
        for raw in form.getlist("training_days")
    )
    if not days:
        raise InvalidInput("Choose at least one training day.", field="training_days")
    long_day = _weekday(
        form.get("long_run_day", "").strip(), "Choose the long-run day.", "long_run_day"
    )
    if long_day not in days:
        raise InvalidInput(
            f"The long-run day ({WEEKDAYS[long_day]}) must be one of the training days.",
            field="long_run_day",
        )
    raw = form.get("sessions_per_week", "").strip()
    if not (raw.isdigit() and 1 <= int(raw) <= 7):
        raise InvalidInput(
            "Sessions a week must be a whole number from 1 to 7.", field="sessions_per_week"
        )
    return days, long_day, int(raw)


def _form_request(form: Any) -> plan_services.GenerateRequest:
    """A generation request from form fields; ``ValueError`` when the schema, date,
    distance or weeks is malformed, ``InvalidInput`` for the training days."""
    weeks = form.get("weeks", "").strip()
    race_date = dt.date.fromisoformat(form.get("race_date", "").strip())
    distance = float(form.get("distance_m", "").strip())
    days, long_day, sessions = _form_days(form)
    return plan_services.GenerateRequest(
        race_date=race_date,
        race_distance_m=distance,
        weeks=int(weeks) if weeks else None,
        training_days=days,
        long_run_day=long_day,
        sessions_per_week=sessions,
        today=display.today(),  # the coach's day
    )


def _form_values(runner: Runner, form: Any) -> dict[str, Any]:
    """What the generation form shows: the submitted values, else the runner's profile."""
    if request.method == "POST":
        return {
            "days": set(form.getlist("training_days")),
            "long_run_day": form.get("long_run_day", ""),
            "sessions_per_week": form.get("sessions_per_week", ""),
        }
    return {
        "days": {c for c in runner.training_weekdays if c.isdigit()},
        "long_run_day": str(runner.long_run_weekday),
        "sessions_per_week": str(runner.sessions_per_week),
    }


@bp.route("/runners/<int:runner_id>/plans", methods=["GET", "POST"])
def runner_plans(runner_id: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    can_plan = plan_services.can_plan(this_user(), runner)
    schemas = plan_schemas.list_schemas()
    status = 200
    errors: dict[str, str] = {}
    if request.method == "POST":
        _require_plan(runner)
        try:
            schema_row = plan_schemas.get_schema(int(request.form.get("schema_id", "")))
            plan = plan_services.create_plan(
                runner, schema_row, _form_request(request.form), created_by=this_user()
            )
        except ServiceError as exc:
            errors[exc.field or "_"] = exc.message
            flash(exc.message, "danger")
            status = 400
        except (ValueError, OverflowError):
            flash("Check the plan template, race date, distance and weeks.", "danger")
            status = 400
        else:
            flash("Plan generated.", "success")
            return redirect(url_for("plans.plan_detail", plan_id=plan.id))
    return render_template(
        "plans/runner_plans.html",
        runner=runner,
        tab="plans",
        plans=plan_services.plans_for_runner(runner),
        schemas=schemas,
        can_plan=can_plan,
        form=request.form,
        values=_form_values(runner, request.form),
        weekdays=WEEKDAYS,
        errors=errors,
    ), status


_CALENDAR_MARGIN = dt.timedelta(days=366)
"""How far before its start and after its race day a plan's calendar may be paged: far
enough to compare, and never to the ends of the calendar, where the next month or the
previous Monday does not exist."""

VIEWS = ("month", "week", "season")


def _calendar_day(raw: str, default: dt.date, plan: Plan, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw) if raw else default
    except ValueError:
        abort(400, description=f"{name} must be a date (YYYY-MM-DD).")
    if not plan.start_date - _CALENDAR_MARGIN <= day <= plan.race_date + _CALENDAR_MARGIN:
        abort(400, description=f"{name} must be within a year of the plan.")
    return day


def _parse_month(raw: str, default: dt.date, plan: Plan) -> dt.date:
    return _calendar_day(raw + "-01" if raw else "", default, plan, "month").replace(day=1)


def _parse_week(raw: str, default: dt.date, plan: Plan) -> dt.date:
    day = _calendar_day(raw, default, plan, "week")
    return day - dt.timedelta(days=day.weekday())


def _optional_day(raw: str) -> dt.date | None:
    """A date to prefill a form with; nothing for anything else."""
    try:
        return dt.date.fromisoformat(raw[:10]) if raw else None
    except ValueError:
        return None


def _render_plan(plan: Plan, status: int = 200, **shown: Any) -> ResponseReturnValue:
    """The plan page: its header, projection and calendar (``view``: month, week or
    season; ``week``/``month``: which; ``add``: the date the add form starts on)."""
    args = {**request.args, **shown}
    done: list[TrainingSession] | None = plan_compliance.running_sessions(plan)
    plan_services.link_new_sessions(plan, done)  # sessions imported since the last visit
    today = display.today()  # the reader's day: which day the calendar marks Today
    focus = min(max(today, plan.start_date), plan.race_date)
    # An old link names a week only: that week's view.
    view = args.get("view") or ("week" if args.get("week") else "month")
    if view not in VIEWS:
        view = "month"
    month = _parse_month(str(args.get("month", ""))[:7], focus, plan)
    week_start = _parse_week(str(args.get("week", ""))[:10], focus, plan)
    user = this_user()
    can_edit = calendar_edits.can_edit_calendar(user, plan.runner)
    chart = {"days": plan.projection.get("days", []), "race_date": plan.race_date.isoformat()}
    weeks: list[plan_calendar.CalendarWeek] = []
    if view == "week":
        weeks = plan_calendar.weeks_between(plan, week_start, week_start, today)
    elif view == "month":
        weeks = plan_calendar.month_weeks(plan, month, today)
    return render_template(
        "plans/plan.html",
        plan=plan,
        runner=plan.runner,
        tab="plans",
        view=view,
        today=today,
        timedelta=dt.timedelta,
        month=month,
        prev_month=(month - dt.timedelta(days=1)).replace(day=1),
        next_month=(month + dt.timedelta(days=32)).replace(day=1),
        week_start=week_start,
        prev_week=week_start - dt.timedelta(days=7),
        next_week=week_start + dt.timedelta(days=7),
        weeks=weeks,
        season=plan_calendar.season(plan, today) if view == "season" else [],
        outlook=plan_projection.race_day_outlook(plan, today),
        kinds=plan_calendar.KIND_LABELS,
        compliance_words=plan_calendar.COMPLIANCE_WORDS,
        can_plan=plan_services.can_plan(user, plan.runner),
        staleness=freshness.staleness(plan, today),
        can_edit=can_edit,
        can_skip=calendar_edits.can_skip(user, plan.runner),
        library=_library_by_kind() if can_edit else [],
        add_date=_optional_day(str(args.get("add", ""))) or focus,
        chart_json=script_json(chart),
        ics_url=url_for("plans.ics_feed", token=plan.ics_token, _external=True),
    ), status


def _library_by_kind() -> list[tuple[str, list[tuple[int, str]]]]:
    """The running library for the add form: (kind in words, [(id, name)]) by kind, the
    workouts without a kind last."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for workout_id, workout in workout_services.running_library():
        kind = next((t[5:] for t in workout.tags if t.startswith("kind:")), "")
        label = plan_calendar.KIND_LABELS.get(kind, kind.capitalize() or "Other")
        groups.setdefault(label, []).append((workout_id, workout.name))
    order = list(plan_calendar.KIND_LABELS.values())
    return sorted(
        groups.items(), key=lambda g: (order.index(g[0]) if g[0] in order else len(order), g[0])
    )


@bp.get("/plans/<int:plan_id>")
def plan_detail(plan_id: int) -> ResponseReturnValue:
    return _render_plan(_plan_or_404(plan_id))


def _form_date(name: str) -> dt.date:
    raw = request.form.get(name, "").strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"Choose a date (YYYY-MM-DD), not {raw[:40]!r}.", field=name) from None


def _form_id(name: str, message: str) -> int:
    raw = request.form.get(name, "").strip()
    if not raw.isdigit():
        raise InvalidInput(message, field=name)
    return int(raw)


def _calendar_edit(plan: Plan, edit: Any, done: str) -> ResponseReturnValue:
    """Run one calendar edit (``edit()`` reads the form, calls its action and returns the
    date to show): go back to the calendar there (303), or show the calendar with the
    error (400)."""
    view = request.form.get("view", "month")
    view = view if view in VIEWS else "month"
    try:
        shown: dt.date = edit()
    except ServiceError as exc:
        flash(exc.message, "danger")
        return _render_plan(plan, 400, view=view)
    flash(done, "success")
    target = url_for(
        "plans.plan_detail",
        plan_id=plan.id,
        view=view,
        week=shown.isoformat(),
        month=shown.strftime("%Y-%m"),
    )
    return redirect(target + "#calendar"), 303


def _require_edit(plan: Plan) -> None:
    if not calendar_edits.can_edit_calendar(this_user(), plan.runner):
        abort(403)


@bp.post("/plans/<int:plan_id>/calendar/add")
def calendar_add(plan_id: int) -> ResponseReturnValue:
    """Put a library workout on a day (a rest day included): coaches and admins."""
    plan = _plan_or_404(plan_id)
    _require_edit(plan)

    def edit() -> dt.date:
        date = _form_date("date")
        workout_id = _form_id("workout_id", "Choose a workout of the library.")
        return calendar_edits.add_workout(plan, date, workout_id).date

    return _calendar_edit(plan, edit, "Workout added.")


@bp.post("/plans/<int:plan_id>/days/<int:day_id>/move")
def move_day(plan_id: int, day_id: int) -> ResponseReturnValue:
    """Move a day to another date (swapping with a day planned there)."""
    plan = _plan_or_404(plan_id)
    day = _day_or_404(plan, day_id)
    _require_edit(plan)
    return _calendar_edit(
        plan, lambda: calendar_edits.move_day(plan, day, _form_date("date")).date, "Day moved."
    )


@bp.post("/plans/<int:plan_id>/weeks/copy")
def copy_week(plan_id: int) -> ResponseReturnValue:
    """Make another week a copy of a week (any day of each)."""
    plan = _plan_or_404(plan_id)
    _require_edit(plan)

    def edit() -> dt.date:
        target = _form_date("to")
        calendar_edits.copy_week(plan, _form_date("from"), target)
        return target

    return _calendar_edit(plan, edit, "Week copied.")


@bp.post("/plans/<int:plan_id>/days/<int:day_id>/skip")
def skip_day(plan_id: int, day_id: int) -> ResponseReturnValue:
    """Skip a day with a reason, or (``undo``) plan it again: whoever sees the runner."""
    plan = _plan_or_404(plan_id)
    day = _day_or_404(plan, day_id)
    if not calendar_edits.can_skip(this_user(), plan.runner):
        abort(403)
    if request.form.get("undo") == "1":
        return _calendar_edit(
            plan, lambda: calendar_edits.unskip_day(day).date, "The day is planned again."
        )
    return _calendar_edit(
        plan,
        lambda: calendar_edits.skip_day(day, request.form.get("reason", "")).date,
        "Day skipped.",
    )


MARK_WORDS = {
    "done": "Day marked done.",
    "partly": "Day marked partly done.",
    "skipped": "Day skipped.",
}


@bp.post("/plans/<int:plan_id>/days/<int:day_id>/mark")
def mark_day(plan_id: int, day_id: int) -> ResponseReturnValue:
    """Mark a day done (optionally minutes run), partly done or skipped (with a reason), or
    (``undo``) take the mark off: whoever sees the runner. ``back=home`` returns to the
    runner's home page."""
    plan = _plan_or_404(plan_id)
    day = _day_or_404(plan, day_id)
    user = this_user()
    if not calendar_edits.can_skip(user, plan.runner):
        abort(403)
    mark = request.form.get("mark", "")
    undo = request.form.get("undo") == "1"
    words = "The mark is taken off." if undo else MARK_WORDS.get(mark, "Day marked.")

    def edit() -> dt.date:
        if undo:
            return calendar_edits.unmark_day(day, by=user).date
        minutes = _form_minutes("minutes")
        seconds = None if minutes is None else minutes * 60
        return calendar_edits.mark_day(day, mark, request.form.get("reason"), seconds, by=user).date

    if request.form.get("back") != "home":
        return _calendar_edit(plan, edit, words)
    try:
        edit()
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("coaching.index")), 303
    flash(words, "success")
    return redirect(url_for("coaching.index")), 303


def _form_minutes(name: str) -> float | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput("Give the minutes as a number, e.g. 45.", field=name) from None
    if not value >= 0:
        raise InvalidInput("The minutes cannot be negative.", field=name)
    return value


@bp.post("/plans/<int:plan_id>/refresh-targets")
def refresh_targets(plan_id: int) -> ResponseReturnValue:
    """Resolve the targets from today on against the runner's parameters of each day."""
    plan = _plan_or_404(plan_id)
    _require_plan(plan.runner)
    changed = plan_services.refresh_plan_targets(plan, display.today())
    flash(f"Targets refreshed: {changed} day{'s' if changed != 1 else ''} changed.", "success")
    return redirect(url_for("plans.plan_detail", plan_id=plan_id)), 303


@bp.post("/plans/<int:plan_id>/regenerate")
def regenerate(plan_id: int) -> ResponseReturnValue:
    plan = _plan_or_404(plan_id)
    _require_plan(plan.runner)
    try:
        plan_services.regenerate_plan(
            plan, keep_edited=request.form.get("keep_edited") == "1", today=display.today()
        )
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("plans.plan_detail", plan_id=plan_id)), 303
    flash("Plan regenerated.", "success")
    return redirect(url_for("plans.plan_detail", plan_id=plan_id)), 303


@bp.route("/plans/<int:plan_id>/delete", methods=["GET", "POST"])
def delete_plan(plan_id: int) -> ResponseReturnValue:
    """Confirm (GET) and delete (POST) a plan: the runner's coaches and admins only; a
    runner may not delete a plan their coach made (403)."""
    plan = _plan_or_404(plan_id)
    _require_plan(plan.runner)
    if request.method == "POST":
        runner_id = plan.runner_id
        plan_services.remove_plan(plan)
        flash("Plan deleted.", "success")
        return redirect(url_for("plans.runner_plans", runner_id=runner_id)), 303
    return render_template("plans/delete_plan.html", plan=plan, runner=plan.runner, tab="plans")


@bp.route("/plans/<int:plan_id>/days/<int:day_id>/edit", methods=["GET", "POST"])
def edit_day(plan_id: int, day_id: int) -> ResponseReturnValue:
    plan = _plan_or_404(plan_id)
    day = _day_or_404(plan, day_id)
    _require_plan(plan.runner)
    status = 200
    if request.method == "POST":
        try:
            raw_workout = request.form.get("workout_id", "").strip()
            raw_minutes = request.form.get("duration_min", "").strip()
            workout_id = int(raw_workout) if raw_workout else None
            minutes = float(raw_minutes) if raw_minutes else None
            if workout_id == day.workout_id:
                workout_id = None
            if minutes is not None and minutes == round(day.duration_s / 60):
                minutes = None  # the prefilled value, untouched
            plan_services.change_day(
                day,
                workout_id=workout_id,
                duration_s=None if minutes is None else minutes * 60,
                notes=request.form.get("notes", ""),
            )
        except (ValueError, OverflowError):
            flash("Check the workout and the duration.", "danger")
            status = 400
        except ServiceError as exc:
            flash(exc.message, "danger")
            status = 400
        else:
            flash("Day saved.", "success")
            return redirect(
                url_for("plans.plan_detail", plan_id=plan.id, view="week", week=day.date)
            )
    return render_template(
        "plans/edit_day.html",
        plan=plan,
        day=day,
        runner=plan.runner,
        library=workout_services.running_library(),
    ), status


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/plans/<int:plan_id>/days/<int:day_id>.zwo")
def day_zwo(plan_id: int, day_id: int) -> ResponseReturnValue:
    day = _day_or_404(_plan_or_404(plan_id), day_id)
    return _attachment(day.zwo.encode("utf-8"), "application/xml", f"plan-{day.date}.zwo")


@bp.get("/plans/<int:plan_id>/days/<int:day_id>.fit")
def day_fit(plan_id: int, day_id: int) -> ResponseReturnValue:
    plan = _plan_or_404(plan_id)
    day = _day_or_404(plan, day_id)
    try:
        data = workout_targets.fit_for_runner(read_zwo(day.zwo.encode()), plan.runner, day.date)
    except (ServiceError, ValueError):
        abort(422)
    return _attachment(data, "application/vnd.ant.fit", f"plan-{day.date}.fit")


@bp.post("/plans/<int:plan_id>/feed")
def rotate_feed(plan_id: int) -> ResponseReturnValue:
    """A new calendar feed address (whoever sees the plan sees the address, so may end
    it); calendars subscribed to the old one must subscribe again."""
    plan = _plan_or_404(plan_id)
    plan_services.renew_feed(plan)
    flash("The calendar feed has a new address; the old one no longer works.", "success")
    return redirect(url_for("plans.plan_detail", plan_id=plan.id)), 303


@bp.get("/plans/ics/<token>.ics")
@guard.public
def ics_feed(token: str) -> ResponseReturnValue:
    plan = plan_exports.plan_by_token(token)
    if plan is None:
        abort(404)
    text = plan_exports.ics_feed(plan, now_utc())
    return Response(text, mimetype="text/calendar")
