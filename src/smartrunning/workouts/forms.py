"""Forms of the workout pages: the editor's fields and the ZWO/ZIP upload."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

__all__ = ["ImportForm", "WorkoutForm"]


class WorkoutForm(FlaskForm):
    """Name, sport and text fields; ``steps`` is the step editor's JSON (validated by
    ``services.workout_json.structure_from_json``, not here)."""

    name = StringField("Name", validators=[Length(max=200)])
    sport = SelectField(
        "Sport", choices=[SelectChoice("run", "Running"), SelectChoice("bike", "Cycling")]
    )
    author = StringField("Author", validators=[Length(max=200)])
    tags = StringField("Tags", validators=[Length(max=5000)])
    description = TextAreaField("Description", validators=[Length(max=20_000)])
    steps = HiddenField("Steps")


class ImportForm(FlaskForm):
    files = MultipleFileField("ZWO files or ZIP archives")
