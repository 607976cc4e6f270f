"""The coach's roster: the start page per role, the athletes dashboard, and deleting a
runner with all their data."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from smartrunning.accounts.models import Role
from smartrunning.accounts.policy import require_role, this_user
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.forms import DeleteRunnerForm
from smartrunning.athletes.policy import get_runner_or_404, may_delete_runner
from smartrunning.coaching import actions as coaching_actions
from smartrunning.coaching import attention, runner_home
from smartrunning.feedback.models import RPE_WORDS, Feeling
from smartrunning.plans import calendar as plan_calendar
from smartrunning.plans.models import Plan
from smartrunning.platform import display
from smartrunning.platform.db import db
from smartrunning.platform.errors import Conflict
from smartrunning.platform.security import safe_next
from smartrunning.sessions import recent
from smartrunning.sessions.models import ImportJob, TrainingSession

__all__ = ["bp"]

bp = Blueprint("coaching", __name__, template_folder="templates")


@bp.get("/")
def index() -> ResponseReturnValue:
    """The start page: the dashboard for coaches; for runners their day (today's and
    tomorrow's workout, the week, the latest session: ``runner_home``) or the wizard they
    left."""
    user = this_user()
    if user.has_role(Role.COACH):
        return redirect(url_for("coaching.dashboard"))
    runner = athlete_services.runner_for_user(user)
    if runner is not None and runner.onboarding_step is not None:
        return redirect(url_for("wizard.resume", runner_id=runner.id))
    if runner is not None:
        today = display.today()
        coaching_actions.link_new_sessions(runner, today)  # so that the week counts them
        home = runner_home.runner_home(runner, today)
        return render_template(
            "coaching/runner_home.html",
            home=home,
            kinds=plan_calendar.KIND_LABELS,
            compliance_words=plan_calendar.COMPLIANCE_WORDS,
            feelings=list(Feeling),
            rpe_words=RPE_WORDS,
        )
    return render_template("auth/no_profile.html")


@bp.get("/athletes")
@require_role(Role.COACH)
def dashboard() -> ResponseReturnValue:
    rows = athlete_services.athlete_rows(this_user())
    day = display.today()  # the coach's day, in their time zone
    params = parameter_services.parameters_for([row.runner for row in rows], day)
    recent_rows = recent.recent_training([row.runner.id for row in rows], day)
    status = attention.statuses(this_user(), [row.runner.id for row in rows], day)
    rows = sorted(rows, key=lambda row: -status[row.runner.id].score)
    return render_template(
        "coaching/dashboard.html",
        rows=rows,
        params=params,
        recent=recent_rows,
        status=status,
        today=day,
    )


@bp.get("/athletes/<int:runner_id>/open")
@require_role(Role.COACH)
def open_athlete(runner_id: int) -> ResponseReturnValue:
    """From the dashboard: note that the coach looked now, and go to the day in question
    (``to``, a path of this site) or the athlete's page."""
    runner = get_runner_or_404(runner_id)
    coaching_actions.mark_seen(this_user(), runner.id)
    target = safe_next(request.args.get("to"))
    return redirect(target or url_for("athletes.runner_detail", runner_id=runner.id))


@bp.route("/runners/<int:runner_id>/delete", methods=["GET", "POST"])
def runner_delete(runner_id: int) -> ResponseReturnValue:
    """Delete a runner and all their data, after typing their name (coaches and admins)."""
    runner = get_runner_or_404(runner_id)
    if not may_delete_runner(runner):
        abort(403)
    form = DeleteRunnerForm()
    if form.validate_on_submit():
        typed = " ".join((form.confirm_name.data or "").split())
        if typed != runner.name:
            form.confirm_name.errors = [f"Type the name exactly as shown: {runner.name}"]
        else:
            try:
                deleted = coaching_actions.delete_runner(runner)
            except Conflict as exc:
                form.confirm_name.errors = [exc.message]
            else:
                flash(
                    f"{deleted.name} was deleted with {deleted.sessions} sessions and all "
                    "their files, bests, parameters, history and plans.",
                    "success",
                )
                return redirect(url_for("coaching.dashboard"))
    counts = {
        "sessions": _count(TrainingSession.id, TrainingSession.runner_id == runner.id),
        "imports": _count(ImportJob.id, ImportJob.runner_id == runner.id),
        "plans": _count(Plan.id, Plan.runner_id == runner.id),
    }
    status = 200 if request.method == "GET" or not form.errors else 422
    return render_template(
        "coaching/runner_delete.html", runner=runner, form=form, counts=counts
    ), status


def _count(column: Any, condition: Any) -> int:
    return int(db.session.execute(sa.select(sa.func.count(column)).where(condition)).scalar_one())
