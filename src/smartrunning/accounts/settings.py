"""The user's own settings: password and personal API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from smartrunning.accounts import tokens as token_services
from smartrunning.accounts.policy import this_user
from smartrunning.platform.db import db
from smartrunning.platform.errors import (
    NotFound,
    ServiceError,
)

__all__ = ["bp"]

bp = Blueprint("settings", __name__, url_prefix="/settings", template_folder="templates")


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=80)])


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> ResponseReturnValue:
    """List the user's tokens; create one (shown once)."""
    user = this_user()
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        try:
            row, secret = token_services.create_token(user, form.name.data or "")
        except ServiceError as exc:
            form.name.errors = [*form.name.errors, exc.message]
        else:
            db.session.commit()
            created = {"name": row.name, "token": secret}
            form = TokenForm(formdata=None)
    return render_template(
        "settings/tokens.html",
        form=form,
        tokens=token_services.tokens_of(user),
        created=created,
        is_live=token_services.is_live,
    )


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int) -> ResponseReturnValue:
    try:
        row = token_services.revoke_token(this_user(), token_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(f"Token “{row.name}” revoked.", "success")
    return redirect(url_for("settings.tokens"))
