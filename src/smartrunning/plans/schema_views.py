"""Plan-schema pages: the list (everyone logged in), and the JSON editor for coaches and
admins, validated with every problem listed by its JSON pointer."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from smartrunning.accounts.policy import this_user
from smartrunning.plans import plan_schemas
from smartrunning.plans.models import PlanSchemaRow
from smartrunning.platform.db import db
from smartrunning.platform.errors import (
    NotFound,
    ServiceError,
)

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


def _editor(row: PlanSchemaRow | None, text: str) -> ResponseReturnValue:
    user = this_user()
    problems: list[tuple[str, str]] = []
    error = ""
    status = 200
    if request.method == "POST":
        text = request.form.get("body", "")
        try:
            saved = plan_schemas.save_schema(text, owner=user, row=row)
        except plan_schemas.InvalidSchema as exc:
            problems = exc.problems
            status = 400
        except ServiceError as exc:
            error = exc.message
            status = 400
        else:
            db.session.commit()
            flash(f"Schema {saved.name!r} saved.", "success")
            return redirect(url_for("plan_schemas.schema_list"))
        db.session.rollback()
    return render_template(
        "plans/schema_editor.html",
        row=row,
        text=text,
        problems=problems,
        error=error,
        can_edit=row is None or plan_schemas.can_edit_schema(user, row),
    ), status


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
