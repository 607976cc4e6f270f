"""Admin forms: users, roles, assignments."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from smartrunning.accounts.models import Role
from smartrunning.athletes.forms import SEX_CHOICES

__all__ = ["AssignmentForm", "CreateUserForm", "RolesForm"]

ROLE_CHOICES = [SelectChoice(r.value, r.value.capitalize()) for r in Role]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CreateUserForm(FlaskForm):
    username = StringField("User name", validators=[DataRequired(), Length(max=64)])
    display_name = StringField("Full name", validators=[Optional(), Length(max=120)])
    roles = MultiCheckboxField("Roles", choices=ROLE_CHOICES, validate_choice=False)
    password = PasswordField("Temporary password", validators=[Optional(), Length(max=1024)])
    birth_date = DateField("Birth date (runners)", validators=[Optional()])
    sex = SelectField("Sex (runners)", choices=SEX_CHOICES, validators=[Optional()])
    coach_id = SelectField("Coach (runners)", choices=[], validate_choice=False)


class RolesForm(FlaskForm):
    roles = MultiCheckboxField("Roles", choices=ROLE_CHOICES, validate_choice=False)


class AssignmentForm(FlaskForm):
    runner_id = SelectField("Runner", choices=[], validate_choice=False)
    coach_id = SelectField("Coach", choices=[], validate_choice=False)
