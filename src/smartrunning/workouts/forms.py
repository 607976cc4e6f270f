"""Forms of the workout pages: the editor's fields and the ZWO/ZIP upload."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length

from smartrunning.workouts.structure import MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS

__all__ = ["ImportForm", "WorkoutForm"]


class WorkoutForm(FlaskForm):
    """Name, sport and text fields; ``steps`` is the step editor's JSON (validated by
    ``workouts.structure.structure_from_json``, not here)."""

    name = StringField("Name", validators=[Length(max=MAX_NAME_CHARS)])
    sport = SelectField(
        "Sport", choices=[SelectChoice("run", "Running"), SelectChoice("bike", "Cycling")]
    )
    author = StringField("Author", validators=[Length(max=MAX_NAME_CHARS)])
    tags = StringField("Tags", validators=[Length(max=5000)])
    description = TextAreaField("Description", validators=[Length(max=MAX_DESCRIPTION_CHARS)])
    steps = HiddenField("Steps")


class ImportForm(FlaskForm):
    files = MultipleFileField("ZWO files or ZIP archives")
