"""The user's own settings: time zone and units, password and personal API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from smartrunning.accounts import actions as accounts
from smartrunning.accounts import tokens as token_services
from smartrunning.accounts.forms import PreferencesForm
from smartrunning.accounts.policy import this_user
from smartrunning.platform.errors import (
    InvalidInput,
    NotFound,
    ServiceError,
)
from smartrunning.platform.formatting import time_zone_names

__all__ = ["bp"]

bp = Blueprint("settings", __name__, url_prefix="/settings", template_folder="templates")


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=80)])


def _preferences_form() -> PreferencesForm:
    user = this_user()
    return PreferencesForm(
        formdata=None, data={"time_zone": user.time_zone or "UTC", "units": user.units}
    )


@bp.post("/preferences")
def preferences() -> ResponseReturnValue:
    """Set the time zone and units; a bad value is refused with a message on the page."""
    user = this_user()
    form = PreferencesForm()
    if form.validate_on_submit():
        try:
            accounts.set_display_prefs(
                user, time_zone=form.time_zone.data or "", units=form.units.data or ""
            )
        except InvalidInput as exc:
            field = getattr(form, exc.field or "time_zone", form.time_zone)
            field.errors = [*field.errors, exc.message]
        else:
            flash("Your time zone and units are saved.", "success")
            return redirect(url_for("settings.tokens"))
    return _tokens_page(preferences_form=form)


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> ResponseReturnValue:
    """The settings page: time zone and units; the user's tokens, and creating one
    (shown once)."""
    return _tokens_page()


def _tokens_page(preferences_form: PreferencesForm | None = None) -> str:
    user = this_user()
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        try:
            row, secret = token_services.create_token(user, form.name.data or "")
        except ServiceError as exc:
            form.name.errors = [*form.name.errors, exc.message]
        else:
            created = {"name": row.name, "token": secret}
            form = TokenForm(formdata=None)
    return render_template(
        "settings/tokens.html",
        form=form,
        preferences_form=preferences_form or _preferences_form(),
        time_zones=time_zone_names(),
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
    flash(f"Token “{row.name}” revoked.", "success")
    return redirect(url_for("settings.tokens"))
