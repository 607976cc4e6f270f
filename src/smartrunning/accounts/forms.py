"""Login and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

__all__ = ["ChangePasswordForm", "LoginForm", "PreferencesForm"]


class LoginForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()
    #: Filled by the browser (static/js/timezone.js); taken as the user's time zone at
    #: login while they have chosen none.
    browser_time_zone = HiddenField(render_kw={"data-browser-time-zone": ""})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=1024)]
    )
    password = PasswordField("New password", validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )


class PreferencesForm(FlaskForm):
    """Time zone and units; checked by ``accounts.actions.set_display_prefs``."""

    time_zone = StringField(
        "Time zone",
        validators=[DataRequired(message="Enter a time zone."), Length(max=64)],
        render_kw={"list": "time-zones", "autocomplete": "off"},
    )
    units = SelectField(
        "Distances and paces",
        choices=[
            SelectChoice("km", "Kilometres (/km, km/h)"),
            SelectChoice("mi", "Miles (/mi, mph)"),
        ],
        validate_choice=False,
    )
