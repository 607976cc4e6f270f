"""Forms for runners: the onboarding wizard, parameters and personal bests."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from smartrunning.athletes.models import ParameterKey
from smartrunning.science.defaults import WEEKDAY_NAMES
from smartrunning.science.distances import STANDARD_DISTANCES

__all__ = [
    "SEX_CHOICES",
    "BasicsForm",
    "BestForm",
    "BestsForm",
    "DeleteRunnerForm",
    "HeartRateForm",
    "LoginStepForm",
    "ParameterForm",
    "RunnerForm",
    "TrainingForm",
]

SEX_CHOICES = [
    SelectChoice("f", "Female"),
    SelectChoice("m", "Male"),
    SelectChoice("x", "Unspecified"),
]
WEEKDAY_CHOICES = [SelectChoice(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)]
DISTANCE_CHOICES = [SelectChoice("", "—")] + [
    SelectChoice(f"{d.distance_m:g}", d.label) for d in STANDARD_DISTANCES
]
LOAD_MODEL_CHOICES = [
    SelectChoice("auto", "Automatic (rTSS, else HRSS, else TRIMP)"),
    SelectChoice("rtss", "rTSS (pace)"),
    SelectChoice("hrss", "HRSS (heart rate)"),
    SelectChoice("trimp", "TRIMP (heart rate)"),
    SelectChoice(
        "srpe",
        "Session RPE (RPE × minutes ÷ 4.2: an hour at RPE 7 = 100), automatic when not rated",
    ),
]
METHOD_CHOICES = [
    SelectChoice("percent_hrmax", "% of maximum heart rate"),
    SelectChoice("percent_hrr", "% of heart-rate reserve (Karvonen)"),
]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RunnerForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    birth_date = DateField("Birth date", validators=[DataRequired()])
    sex = SelectField("Sex", choices=SEX_CHOICES, validators=[DataRequired()])


class BasicsForm(RunnerForm):
    weight_kg = FloatField("Weight (kg)", validators=[Optional(), NumberRange(20, 250)])
    weight_as_of = DateField("Weight as of", validators=[Optional()])


class HeartRateForm(FlaskForm):
    hrmax_bpm = FloatField("Measured maximum HR (bpm)", validators=[Optional()])
    hrrest_bpm = FloatField("Resting HR (bpm)", validators=[Optional()])
    method = SelectField("Zones as", choices=METHOD_CHOICES)
    start_pct = FloatField("Zone 1 starts at (%)", validators=[DataRequired()])
    z1 = FloatField("Zone 1 up to (%)", validators=[DataRequired()])
    z2 = FloatField("Zone 2 up to (%)", validators=[DataRequired()])
    z3 = FloatField("Zone 3 up to (%)", validators=[DataRequired()])
    z4 = FloatField("Zone 4 up to (%)", validators=[DataRequired()])
    z5 = FloatField("Zone 5 up to (%)", validators=[DataRequired()])
    valid_from = DateField("Valid from", validators=[DataRequired()])

    def uppers(self) -> list[float]:
        return [float(getattr(self, f"z{i}").data) / 100 for i in range(1, 6)]


class BestForm(FlaskForm):
    class Meta:
        csrf = False  # nested in BestsForm, which carries the token

    distance_m = SelectField("Distance", choices=DISTANCE_CHOICES, validate_choice=False)
    time = StringField("Time (h:mm:ss)", validators=[Optional(), Length(max=12)])
    date = DateField("Date", validators=[Optional()])
    event_name = StringField("Event", validators=[Optional(), Length(max=120)])
    kind = SelectField(
        "It was",
        choices=[
            SelectChoice("race", "a race"),
            SelectChoice("time_trial", "a time trial"),
            SelectChoice("training", "training"),
        ],
        default="race",
    )


class BestsForm(FlaskForm):
    entries = FieldList(FormField(BestForm), min_entries=4, max_entries=20)


class TrainingForm(FlaskForm):
    training_weekdays = MultiCheckboxField(
        "Training days", choices=WEEKDAY_CHOICES, validate_choice=False
    )
    long_run_weekday = SelectField("Long-run day", choices=WEEKDAY_CHOICES)
    sessions_per_week = IntegerField(
        "Sessions per week", validators=[DataRequired(), NumberRange(1, 14)]
    )
    weekly_running_min = IntegerField(
        "Current weekly running (minutes)",
        validators=[Optional(), NumberRange(0, 3000)],
        description="How much the athlete runs a week now. A plan's first week starts from it "
        "when no sessions were uploaded in the four weeks before the plan.",
    )
    load_model = SelectField("Training-load model", choices=LOAD_MODEL_CHOICES)
    k1 = FloatField("k₁ (fitness gain)", validators=[DataRequired(), NumberRange(0, 10)])
    k2 = FloatField("k₂ (fatigue gain)", validators=[DataRequired(), NumberRange(0, 10)])
    tau1 = FloatField("τ₁ fitness (days)", validators=[DataRequired(), NumberRange(1, 200)])
    tau2 = FloatField("τ₂ fatigue (days)", validators=[DataRequired(), NumberRange(1, 100)])
    as_of = DateField("Load model and fitness-fatigue values as of", validators=[Optional()])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])


class LoginStepForm(FlaskForm):
    username = StringField("User name for the athlete", validators=[DataRequired(), Length(max=64)])


class ParameterForm(FlaskForm):
    key = SelectField(
        "Parameter",
        choices=[
            SelectChoice(ParameterKey.HRMAX.value, "Maximum HR (bpm)"),
            SelectChoice(ParameterKey.HRREST.value, "Resting HR (bpm)"),
            SelectChoice(ParameterKey.WEIGHT.value, "Weight (kg)"),
            SelectChoice(ParameterKey.THRESHOLD_HR.value, "Threshold HR (bpm)"),
            SelectChoice("cs_mps", "Critical speed (m/s)"),
            SelectChoice("d_prime_m", "D′ (m)"),
        ],
    )
    value = FloatField("Value", validators=[DataRequired()])
    valid_from = DateField("Valid from", validators=[DataRequired()])
    note = StringField("Note", validators=[Optional(), Length(max=200)])


class DeleteRunnerForm(FlaskForm):
    confirm_name = StringField(
        "Type the runner's name to confirm", validators=[DataRequired(), Length(max=120)]
    )
