"""The athletes dashboard (coaches and admins) and the runner page."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import selectinload

from smartrunning.services import athletes as athlete_services
from smartrunning.services.errors import ServiceError
from smartrunning.store import CoachAssignment, Role, Runner, db
from smartrunning.web.access import get_runner_or_404, require_role, this_user
from smartrunning.web.athletes.forms import RunnerForm

__all__ = ["bp"]

bp = Blueprint("athletes", __name__, template_folder="templates")


@bp.get("/athletes")
@require_role(Role.COACH)
def dashboard() -> ResponseReturnValue:
    query = (
        athlete_services.visible_runners_query(this_user())
        .options(
            selectinload(Runner.coach_rows).selectinload(CoachAssignment.coach),
            selectinload(Runner.user),
        )
        .order_by(sa.func.lower(Runner.name))
    )
    runners = db.session.execute(query).scalars().all()
    return render_template("athletes/dashboard.html", runners=runners)


@bp.route("/runners/new", methods=["GET", "POST"])
@require_role(Role.COACH)
def runner_new() -> ResponseReturnValue:
    form = RunnerForm()
    if form.validate_on_submit():
        assert form.birth_date.data is not None
        try:
            runner = athlete_services.create_runner(
                form.name.data or "",
                form.birth_date.data,
                athlete_services.parse_sex(form.sex.data or ""),
                created_by=this_user(),
                today=dt.datetime.now(dt.UTC).date(),
            )
        except ServiceError as exc:
            field = getattr(form, exc.field or "name", form.name)
            field.errors = [*field.errors, exc.message]
        else:
            db.session.commit()
            flash(f"{runner.name} was added.", "success")
            return redirect(url_for("athletes.runner_detail", runner_id=runner.id))
    return render_template("athletes/runner_new.html", form=form)


@bp.get("/runners/<int:runner_id>")
def runner_detail(runner_id: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    return render_template("athletes/runner_detail.html", runner=runner)
