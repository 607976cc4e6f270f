"""Plan-template pages (a template is a "plan schema" in the code and the API): the list,
the form editor and the JSON editor for experts, for coaches and admins (a coach edits
their own). Both editors save through ``actions.save_template`` (``plan_schemas.save_schema``,
the one validator);
"Edit as JSON" and "Edit as form" carry unsaved changes from one to the other."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from smartrunning.accounts.policy import this_user
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas, template_form
from smartrunning.plans.models import PlanSchemaRow
from smartrunning.platform import jsonio
from smartrunning.platform.db import db
from smartrunning.platform.errors import (
    Conflict,
    NotFound,
    ServiceError,
)
from smartrunning.workouts.models import Workout

__all__ = ["bp"]

bp = Blueprint("plan_schemas", __name__, template_folder="templates")


def _schema_or_404(schema_id: int) -> PlanSchemaRow:
    try:
        return plan_schemas.get_schema(schema_id) if 0 < schema_id <= 2**31 - 1 else abort(404)
    except NotFound:
        abort(404)


def _require_writer() -> None:
    if not plan_schemas.can_write_schemas(this_user()):
        abort(403)


@bp.get("/plans/schemas")
def schema_list() -> ResponseReturnValue:
    _require_writer()
    user = this_user()
    rows = plan_schemas.list_schemas()
    return render_template(
        "plans/schemas.html",
        rows=rows,
        weeks={r.id: plan_schemas.parse_row(r).total_weeks for r in rows},
        can_write=plan_schemas.can_write_schemas(user),
        can_edit={r.id: plan_schemas.can_edit_schema(user, r) for r in rows},
    )


def _json_page(
    row: PlanSchemaRow | None,
    text: str,
    *,
    problems: list[tuple[str, str]] | None = None,
    error: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "plans/schema_editor.html",
        row=row,
        text=text,
        problems=problems or [],
        error=error,
        can_edit=row is None or plan_schemas.can_edit_schema(this_user(), row),
    ), status


def _editor(row: PlanSchemaRow | None, text: str) -> ResponseReturnValue:
    user = this_user()
    problems: list[tuple[str, str]] = []
    error = ""
    status = 200
    if request.method == "POST":
        text = request.form.get("body", "")
        try:
            saved = plan_services.save_template(text, owner=user, row=row)
        except plan_schemas.InvalidSchema as exc:
            problems = exc.problems
            status = 400
        except ServiceError as exc:
            error = exc.message
            status = 400
        else:
            flash(f"Plan template {saved.name!r} saved.", "success")
            return redirect(url_for("plan_schemas.schema_list"))
    return _json_page(row, text, problems=problems, error=error, status=status)


@bp.route("/plans/schemas/new", methods=["GET", "POST"])
def schema_new() -> ResponseReturnValue:
    _require_writer()
    source = request.args.get("copy", "")
    text = ""
    if source.isdigit():
        original = _schema_or_404(int(source))
        body = dict(original.body)
        body["name"] = f"{original.name} (copy)"
        text = json.dumps(body, indent=2, ensure_ascii=False)
    return _editor(None, text)


@bp.route("/plans/schemas/<int:schema_id>", methods=["GET", "POST"])
def schema_edit(schema_id: int) -> ResponseReturnValue:
    _require_writer()
    row = _schema_or_404(schema_id)
    if request.method == "POST" and not plan_schemas.can_edit_schema(this_user(), row):
        abort(403)
    return _editor(row, json.dumps(row.body, indent=2, ensure_ascii=False))


STARTER: dict[str, Any] = {
    "name": "",
    "load": {"max_ramp": 0.1, "max_weekly": 700, "min_weekly": 100},
    "blocks": [
        {
            "name": "Base",
            "kind": "base",
            "weeks": 4,
            "progression": 0.06,
            "recovery_every": 4,
            "recovery_drop": 0.3,
            "pattern": [
                {"slot": "long", "kind": "long", "weight": 0.3, "hard": False},
                {"slot": "easy", "kind": "easy", "weight": 0.4, "hard": False},
                {"slot": "tempo", "kind": "tempo", "weight": 0.3, "hard": True},
            ],
        },
        {
            "name": "Taper",
            "kind": "taper",
            "weeks": 2,
            "reduction": 0.5,
            "pattern": [
                {"slot": "long", "kind": "long", "weight": 0.3, "hard": False},
                {"slot": "easy", "kind": "easy", "weight": 0.4, "hard": False},
                {"slot": "tempo", "kind": "tempo", "weight": 0.3, "hard": True},
            ],
        },
    ],
}
"""What a new template's form starts from: a base block and a taper to change."""


def _workout_names() -> list[str]:
    query = (
        sa.select(Workout.name)
        .where(Workout.archived_at.is_(None))
        .distinct()
        .order_by(Workout.name)
        .limit(500)
    )
    return list(db.session.execute(query).scalars())


def _form_page(
    row: PlanSchemaRow | None,
    form: template_form.TemplateForm,
    *,
    errors: dict[str, list[str]] | None = None,
    anchor: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    action = (
        url_for("plan_schemas.template_form_edit", schema_id=row.id)
        if row
        else url_for("plan_schemas.template_form_new")
    )
    return render_template(
        "plans/template_form.html",
        row=row,
        form=form,
        errors=errors or {},
        anchor=anchor,
        action=action,
        block_kinds=template_form.BLOCK_KIND_NAMES,
        workout_kinds=template_form.WORKOUT_KIND_NAMES,
        max_blocks=template_form.MAX_BLOCKS,
        max_sessions=template_form.MAX_SESSIONS,
        workout_names=_workout_names(),
        share_totals=[template_form.share_total(b) for b in form.blocks],
        share_off=[template_form.shares_off(b) for b in form.blocks],
        total_weeks=template_form.total_weeks(form),
        can_edit=row is None or plan_schemas.can_edit_schema(this_user(), row),
    ), status


def _form_post(row: PlanSchemaRow | None) -> ResponseReturnValue:
    """A post of the form: "Edit as form" from the JSON editor (``from_json``), a button
    that changes the form (``action``), "Edit as JSON", or a save."""
    if "from_json" in request.form:
        text = request.form.get("body", "")
        try:
            data = jsonio.loads(text)
        except (ValueError, RecursionError) as exc:
            return _json_page(row, text, error=f"The JSON cannot be read: {exc}", status=400)
        if not isinstance(data, dict):
            return _json_page(row, text, error="A plan template is a JSON object.", status=400)
        return _form_page(row, template_form.form_from_template(data))
    form = template_form.form_from_post(request.form)
    action = request.form.get("action", "save")
    if action == "json":
        text = json.dumps(template_form.template_from_form(form), indent=2, ensure_ascii=False)
        return _json_page(row, text)
    if action != "save":
        anchor = template_form.apply_action(form, action)
        return _form_page(row, form, anchor=anchor)
    problems: list[tuple[str, str]] = []
    try:
        # A form with problems of its own is only checked, to report the template's too.
        saved = plan_services.save_template(
            template_form.template_from_form(form),
            owner=this_user(),
            row=row,
            check_only=bool(form.problems),
        )
    except plan_schemas.InvalidSchema as exc:
        problems = exc.problems
    except Conflict as exc:
        problems = [("/name", exc.message)]
    else:
        if not form.problems:
            flash(f"Plan template {saved.name!r} saved.", "success")
            return redirect(url_for("plan_schemas.template_form_edit", schema_id=saved.id))
    errors = template_form.field_errors(form, problems)
    return _form_page(row, form, errors=errors, status=400)


@bp.route("/plans/templates/new", methods=["GET", "POST"])
def template_form_new() -> ResponseReturnValue:
    _require_writer()
    if request.method == "POST":
        return _form_post(None)
    source = request.args.get("copy", "")
    if source.isdigit():
        original = _schema_or_404(int(source))
        body = dict(original.body)
        body["name"] = f"{original.name} (copy)"
        return _form_page(None, template_form.form_from_template(body))
    return _form_page(None, template_form.form_from_template(STARTER))


@bp.route("/plans/templates/<int:schema_id>", methods=["GET", "POST"])
def template_form_edit(schema_id: int) -> ResponseReturnValue:
    _require_writer()
    row = _schema_or_404(schema_id)
    if request.method == "POST":
        if not plan_schemas.can_edit_schema(this_user(), row):
            abort(403)
        return _form_post(row)
    return _form_page(row, template_form.form_from_template(row.body))
