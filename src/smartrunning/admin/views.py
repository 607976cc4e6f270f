"""Admin pages: users, roles, password resets, deactivation, coach assignments."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from smartrunning.accounts import actions as accounts
from smartrunning.accounts import tokens as token_services
from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.accounts.policy import (
    get_user_or_404,
    require_role,
    this_user,
)
from smartrunning.admin import actions as admin_actions
from smartrunning.admin.forms import (
    AssignmentForm,
    CreateUserForm,
    RolesForm,
)
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes.models import (
    CoachAssignment,
    Runner,
)
from smartrunning.platform import display
from smartrunning.platform.context import settings
from smartrunning.platform.db import db
from smartrunning.platform.errors import ServiceError
from smartrunning.platform.queue import get_queue
from smartrunning.sessions import import_reports, quotas

__all__ = ["bp"]

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
@require_role(Role.ADMIN)
def _admins_only() -> None:
    """Every admin page is for admins only."""


def _assignment_form() -> AssignmentForm:
    form = AssignmentForm()
    runners = db.session.execute(sa.select(Runner).order_by(sa.func.lower(Runner.name))).scalars()
    form.runner_id.choices = [SelectChoice(str(r.id), r.name) for r in runners]
    form.coach_id.choices = [
        SelectChoice(str(c.id), c.username) for c in athlete_services.coaches()
    ]
    return form


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    users = db.session.execute(sa.select(User).order_by(User.username)).scalars().all()
    runners_by_user = {
        r.user_id: r
        for r in db.session.execute(sa.select(Runner).where(Runner.user_id.is_not(None))).scalars()
    }
    assignments = (
        db.session.execute(
            sa.select(CoachAssignment)
            .options(selectinload(CoachAssignment.coach), selectinload(CoachAssignment.runner))
            .join(Runner)
            .order_by(sa.func.lower(Runner.name))
        )
        .scalars()
        .all()
    )
    queue = get_queue()
    try:
        queue_health = {"backend": queue.backend, "pending": queue.huey.pending_count(), "ok": True}
    except Exception as exc:  # e.g. Redis unreachable: show it, do not fail the page
        queue_health = {"backend": queue.backend, "error": type(exc).__name__, "ok": False}
    runner_names = {
        row.id: row.name for row in db.session.execute(sa.select(Runner.id, Runner.name))
    }
    return render_template(
        "admin/dashboard.html",
        users=users,
        runners_by_user=runners_by_user,
        assignments=assignments,
        assign_form=_assignment_form(),
        jobs=import_reports.list_jobs(None, limit=20),
        runner_names=runner_names,
        queue=queue_health,
        storage=sorted(quotas.usage_by_runner().items(), key=lambda item: -item[1]),
        runner_quota=settings().storage_quota_runner_mb * quotas.MB,
    )


def _create_form() -> CreateUserForm:
    form = CreateUserForm()
    form.coach_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(c.id), c.username) for c in athlete_services.coaches()
    ]
    return form


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> ResponseReturnValue:
    form = _create_form()
    if form.validate_on_submit():
        try:
            user, password = admin_actions.create_account(
                form.username.data or "",
                form.password.data,
                form.roles.data or [],
                display_name=form.display_name.data or "",
                birth_date=form.birth_date.data,
                sex=form.sex.data or "x",
                coach_id=int(form.coach_id.data) if form.coach_id.data else None,
                by=this_user(),
                today=display.today(),
            )
        except ServiceError as exc:
            field = getattr(form, exc.field or "username", form.username)
            field.errors = [*field.errors, exc.message]
        else:
            return render_template("admin/user_created.html", user=user, password=password)
    return render_template("admin/user_new.html", form=form)


@bp.get("/users/<int:user_id>")
def user_detail(user_id: int) -> ResponseReturnValue:
    user = get_user_or_404(user_id)
    roles_form = RolesForm(roles=[r.value for r in user.roles])
    runner = athlete_services.runner_for_user(user)
    return render_template(
        "admin/user_detail.html",
        user=user,
        roles_form=roles_form,
        runner=runner,
        tokens=token_services.tokens_of(user),
        is_live=token_services.is_live,
    )


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
def user_token_revoke(user_id: int, token_id: int) -> ResponseReturnValue:
    """Revoke another user's API token (a leaked script, a user who left)."""
    user = get_user_or_404(user_id)
    try:
        row = token_services.revoke_token_of(user, token_id)
    except ServiceError:
        abort(404)
    flash(f"Token “{row.name}” of {user.username} revoked.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/roles")
def user_roles(user_id: int) -> ResponseReturnValue:
    user = get_user_or_404(user_id)
    form = RolesForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        accounts.set_roles(user, accounts.parse_roles(form.roles.data or []), acting=this_user())
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(f"Roles of {user.username} saved.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/password")
def user_reset_password(user_id: int) -> ResponseReturnValue:
    user = get_user_or_404(user_id)
    password = accounts.reset_password(user)
    return render_template("admin/user_created.html", user=user, password=password, reset=True)


@bp.post("/users/<int:user_id>/active")
def user_active(user_id: int) -> ResponseReturnValue:
    user = get_user_or_404(user_id)
    active = request.form.get("active") == "1"
    try:
        accounts.set_active(user, active, acting=this_user())
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        state = "reactivated" if active else "deactivated; their data is kept"
        flash(f"{user.username} was {state}.", "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


_MAX_ID = 2**31 - 1


def _form_id(name: str) -> int:
    """An id from the form, 0 (found nowhere) when not one a primary key can hold."""
    value = request.form.get(name, type=int) or 0
    return value if 0 < value <= _MAX_ID else 0


def _assignment_pair() -> tuple[Runner, User]:
    runner = db.session.get(Runner, _form_id("runner_id"))
    coach = db.session.get(User, _form_id("coach_id"))
    if runner is None or coach is None:
        abort(404)
    return runner, coach


@bp.post("/assignments")
def assignment_add() -> ResponseReturnValue:
    form = _assignment_form()
    if not form.validate_on_submit():
        abort(400)
    runner, coach = _assignment_pair()
    try:
        admin_actions.assign_coach(runner, coach)
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(f"{runner.name} is now coached by {coach.username}.", "success")
    return redirect(url_for("admin.dashboard"))


@bp.post("/assignments/remove")
def assignment_remove() -> ResponseReturnValue:
    runner, coach = _assignment_pair()
    rotated = admin_actions.unassign_coach(runner, coach)  # feed addresses the coach saw end
    flash(f"{coach.username} no longer coaches {runner.name}.", "success")
    if rotated:
        flash(f"{runner.name}'s calendar feeds have new addresses: subscribe again.", "info")
    return redirect(url_for("admin.dashboard"))
