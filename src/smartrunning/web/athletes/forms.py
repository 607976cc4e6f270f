"""Forms for runners."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

__all__ = ["SEX_CHOICES", "RunnerForm"]

SEX_CHOICES = [
    SelectChoice("f", "Female"),
    SelectChoice("m", "Male"),
    SelectChoice("x", "Unspecified"),
]


class RunnerForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    birth_date = DateField("Birth date", validators=[DataRequired()])
    sex = SelectField("Sex", choices=SEX_CHOICES, validators=[DataRequired()])
