"""The onboarding wizard: basics, heart rate, personal bests, training; a login for coaches.

Every step saves when submitted, so leaving mid-way keeps what was entered; the runner's
``onboarding_step`` says where to resume. A runner who has not finished is brought back
here after login (see ``coaching.index``).
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from smartrunning.accounts.models import Role
from smartrunning.accounts.policy import this_user
from smartrunning.athletes import onboarding, profile_basis, profiles
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.forms import (
    LOAD_MODEL_CHOICES,
    BasicsForm,
    BestsForm,
    HeartRateForm,
    LoginStepForm,
    TrainingForm,
)
from smartrunning.athletes.models import (
    ParameterSource,
    Runner,
)
from smartrunning.athletes.policy import get_runner_or_404
from smartrunning.platform import clock
from smartrunning.platform.errors import ServiceError
from smartrunning.science.defaults import WEEKDAY_NAMES
from smartrunning.science.heart_rate import estimate_hrmax

__all__ = ["bp"]

bp = Blueprint("wizard", __name__, template_folder="templates")

LOAD_MODEL_LABELS = {choice.value: choice.label for choice in LOAD_MODEL_CHOICES}
STEPS = ("Basics", "Heart rate", "Personal bests", "Training", "Login")


def _steps_for(runner: Runner | None) -> int:
    """4 steps; a coach or admin setting up an athlete without a login gets step 5."""
    user = this_user()
    if user.has_role(Role.COACH) and (runner is None or runner.user_id is None):
        return 5
    return 4


def _error(form: object, exc: ServiceError, default: str, as_of: str | None = None) -> None:
    """Show ``exc`` at its field; a parameter's date (``valid_from``) at the step's ``as_of``."""
    name = as_of if as_of is not None and exc.field == "valid_from" else exc.field
    field = getattr(form, name or default, None) or getattr(form, default)
    field.errors = [*field.errors, exc.message]


def _next(runner: Runner, step: int) -> ResponseReturnValue:
    """Where to go once step ``step`` is saved (its action moved the runner on)."""
    if step < _steps_for(runner):
        return redirect(url_for("wizard.step", runner_id=runner.id, step=step + 1))
    flash(f"{runner.name}'s profile is complete.", "success")
    return redirect(url_for("athletes.runner_detail", runner_id=runner.id))


def _render(runner: Runner | None, step: int, form: object, **extra: object) -> str:
    return render_template(
        f"athletes/wizard_{step}.html",
        runner=runner,
        step=step,
        steps=STEPS[: _steps_for(runner)],
        form=form,
        today=clock.today(),
        **extra,
    )


@bp.route("/runners/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    """Step 1 for a new athlete (coaches and admins)."""
    if not this_user().has_role(Role.COACH):
        abort(403)
    form = BasicsForm()
    if form.validate_on_submit():
        assert form.birth_date.data is not None
        try:
            runner = onboarding.start_runner(
                form.name.data or "",
                form.birth_date.data,
                form.sex.data or "",
                form.weight_kg.data,
                form.weight_as_of.data,
                by=this_user(),
                today=clock.today(),
            )
        except ServiceError as exc:
            _error(form, exc, "name", "weight_as_of")
        else:
            return _next(runner, 1)
    if form.weight_as_of.data is None:
        form.weight_as_of.data = clock.today()
    return _render(None, 1, form)


@bp.get("/runners/<int:runner_id>/setup")
def resume(runner_id: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    step = runner.onboarding_step or 1
    return redirect(url_for("wizard.step", runner_id=runner.id, step=step))


@bp.route("/runners/<int:runner_id>/setup/<int:step>", methods=["GET", "POST"])
def step(runner_id: int, step: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    if not 1 <= step <= _steps_for(runner):
        abort(404)
    handler = {1: _basics, 2: _heart_rate, 3: _bests, 4: _training, 5: _login}[step]
    return handler(runner)


def _as_of(runner: Runner, valued: parameter_services.Valued) -> dt.date:
    """The date a step's "as of" field starts at: the stored version's, else the runner's
    first day (``_first_day``)."""
    return valued.valid_from or _first_day(runner)


def _first_day(runner: Runner) -> dt.date:
    """Where a value entered in the wizard starts by default: the runner's first session
    (so history imported before the wizard is analysed with it), else today. The field
    asks; any date from birth to today is taken."""
    today = clock.today()
    first = profile_basis.first_session_day(runner)
    if first is None or not runner.birth_date <= first <= today:
        return today
    return first


def _basics(runner: Runner) -> ResponseReturnValue:
    weight = parameter_services.parameters_on(runner, clock.today()).weight
    form = BasicsForm(
        obj=runner,
        data={
            "weight_kg": weight.value,
            "weight_as_of": _as_of(runner, weight),
            "sex": runner.sex.value,
        },
    )
    if form.validate_on_submit():
        assert form.birth_date.data is not None
        try:
            onboarding.save_basics(
                runner,
                form.name.data or "",
                form.birth_date.data,
                form.sex.data or "",
                form.weight_kg.data,
                form.weight_as_of.data,
                by=this_user(),
                today=clock.today(),
            )
        except ServiceError as exc:
            _error(form, exc, "name", "weight_as_of")
        else:
            return _next(runner, 1)
    return _render(runner, 1, form)


def _heart_rate(runner: Runner) -> ResponseReturnValue:
    params = parameter_services.parameters_on(runner, clock.today())
    model = params.hr_zone_model.value
    measured = params.hrmax.source is ParameterSource.MEASURED
    defaults = {
        "hrmax_bpm": params.hrmax_bpm if measured else None,
        "hrrest_bpm": params.hrrest_bpm,
        "method": model.method.value,
        "start_pct": round(model.start_fraction * 100, 1),
        "valid_from": _as_of(runner, params.hrmax) if measured else _first_day(runner),
        **{f"z{i + 1}": round(u * 100, 1) for i, u in enumerate(model.upper_fractions[:5])},
    }
    form = HeartRateForm(data=defaults)
    if form.validate_on_submit():
        assert form.valid_from.data is not None
        try:
            onboarding.save_heart_rate(
                runner,
                form.hrmax_bpm.data,
                form.hrrest_bpm.data,
                {
                    "method": form.method.data,
                    "start": (form.start_pct.data or 0) / 100,
                    "uppers": form.uppers(),
                },
                model,
                form.valid_from.data,
                by=this_user(),
                today=clock.today(),
            )
        except ServiceError as exc:
            _error(
                form,
                exc,
                "hrmax_bpm"
                if exc.field == "hrmax_bpm"
                else ("hrrest_bpm" if exc.field == "hrrest_bpm" else "z1"),
                "valid_from",
            )
        else:
            return _next(runner, 2)
    estimate = estimate_hrmax(runner.birth_date, clock.today()).hrmax_bpm
    return _render(runner, 2, form, params=params, s_hrmax=estimate, zones=params.hr_zones.zones)


def _bests(runner: Runner) -> ResponseReturnValue:
    form = BestsForm()
    if form.validate_on_submit():
        try:
            added = onboarding.save_bests(
                runner,
                [
                    onboarding.BestEntry(
                        entry.form.distance_m.data,
                        entry.form.time.data,
                        entry.form.date.data,
                        entry.form.event_name.data or "",
                    )
                    for entry in form.entries.entries
                ],
                by=this_user(),
                today=clock.today(),
            )
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            if added:
                flash(f"{added} personal best(s) added.", "success")
            return _next(runner, 3)
    timeline = profiles.best_timeline(runner)
    return _render(runner, 3, form, timeline=timeline)


def _training(runner: Runner) -> ResponseReturnValue:
    params = parameter_services.parameters_on(runner, clock.today())
    ff = params.fitness_fatigue.value
    form = TrainingForm(
        data={
            "training_weekdays": list(runner.training_weekdays),
            "long_run_weekday": str(runner.long_run_weekday),
            "sessions_per_week": runner.sessions_per_week,
            "weekly_running_min": runner.weekly_running_min,
            "load_model": params.load_model.value,
            "k1": ff.performance_k1,
            "k2": ff.performance_k2,
            "tau1": ff.fitness_tau_d,
            "tau2": ff.fatigue_tau_d,
            "as_of": _training_as_of(runner, params),
            "notes": runner.notes,
        }
    )
    if form.validate_on_submit():
        try:
            onboarding.save_training(
                runner,
                onboarding.TrainingEntry(
                    weekdays={int(d) for d in form.training_weekdays.data or []},
                    long_run_weekday=int(form.long_run_weekday.data or 0),
                    sessions_per_week=form.sessions_per_week.data or 0,
                    notes=form.notes.data or "",
                    weekly_running_min=form.weekly_running_min.data,
                    load_model=form.load_model.data,
                    fitness_fatigue={
                        "k1": form.k1.data,
                        "k2": form.k2.data,
                        "tau1": form.tau1.data,
                        "tau2": form.tau2.data,
                    },
                    as_of=form.as_of.data or clock.today(),
                ),
                params,
                _training_as_of(runner, params),
                by=this_user(),
                today=clock.today(),
            )
        except ServiceError as exc:
            _error(form, exc, "training_weekdays", "as_of")
        else:
            return _next(runner, 4)
    return _render(
        runner,
        4,
        form,
        weekday_names=WEEKDAY_NAMES,
        review=_review(runner, params),
        level=profile_basis.level(runner, clock.today()),
    )


def _training_as_of(runner: Runner, params: parameter_services.Parameters) -> dt.date:
    """The training step's date: its latest version entered by a person, else the
    runner's first day (``_first_day``)."""
    days = [
        v.valid_from
        for v in (params.load_model, params.fitness_fatigue)
        if v.valid_from is not None and not v.automatic
    ]
    return max(days) if days else _first_day(runner)


def _review(
    runner: Runner, params: parameter_services.Parameters
) -> list[tuple[str, str, dt.date | None]]:
    """What the wizard stored, each with the date it holds from (None: not stored, a
    default or an estimate): shown on the last step."""
    rows: list[tuple[str, str, dt.date | None]] = []
    if params.weight.value is not None:
        rows.append(("Weight", f"{float(params.weight.value):.1f} kg", params.weight.valid_from))
    rows.append(
        (
            "Maximum heart rate",
            f"{params.hrmax_bpm:.0f} bpm ({params.hrmax.source.value})",
            params.hrmax.valid_from,
        )
    )
    if params.hrrest_bpm is not None:
        rows.append(
            ("Resting heart rate", f"{params.hrrest_bpm:.0f} bpm", params.hrrest.valid_from)
        )
    rows.append(("Heart-rate zones", "as on step 2", params.hr_zone_model.valid_from))
    rows.append(
        (
            "Training-load model",
            LOAD_MODEL_LABELS.get(str(params.load_model.value), str(params.load_model.value)),
            params.load_model.valid_from,
        )
    )
    ff = params.fitness_fatigue.value
    rows.append(
        (
            "Fitness-fatigue values",
            f"k₁ {ff.performance_k1:g}, k₂ {ff.performance_k2:g}, "
            f"τ₁ {ff.fitness_tau_d:g} d, τ₂ {ff.fatigue_tau_d:g} d",
            params.fitness_fatigue.valid_from,
        )
    )
    return rows


def _login(runner: Runner) -> ResponseReturnValue:
    if runner.user_id is not None:
        return redirect(url_for("athletes.runner_detail", runner_id=runner.id))
    form = LoginStepForm()
    if form.validate_on_submit():
        try:
            user, password = onboarding.save_login(runner, form.username.data or "", by=this_user())
        except ServiceError as exc:
            _error(form, exc, "username")
        else:
            return render_template(
                "athletes/wizard_done.html", runner=runner, user=user, password=password
            )
    return _render(runner, 5, form)
