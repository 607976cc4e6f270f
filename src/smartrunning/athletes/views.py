"""The athletes dashboard (coaches and admins), the runner's profile page and its edits."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from smartrunning.accounts.models import Role
from smartrunning.accounts.policy import (
    this_user,
)
from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import profile_basis, profiles
from smartrunning.athletes import suggestions as suggestion_services
from smartrunning.athletes.forms import (
    BestForm,
    ParameterForm,
)
from smartrunning.athletes.models import (
    BestKind,
    BestSource,
    ParameterKey,
    ParameterSource,
    PersonalBest,
    Runner,
)
from smartrunning.athletes.policy import (
    get_runner_or_404,
    may_delete_runner,
    may_edit_parameter,
)
from smartrunning.athletes.response_model import response_json, response_model
from smartrunning.platform import clock, display
from smartrunning.platform.db import db
from smartrunning.platform.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    ServiceError,
)
from smartrunning.platform.formatting import format_race_time
from smartrunning.platform.jsonio import script_json
from smartrunning.platform.undo import confirm_page, confirmed, flash_undo, undo_window_words

__all__ = ["bp"]

bp = Blueprint("athletes", __name__, template_folder="templates")


def is_coaching() -> bool:
    return this_user().has_role(Role.COACH)


@bp.get("/runners/<int:runner_id>")
def runner_detail(runner_id: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    summary = profiles.profile_summary(runner, clock.today())
    history = {
        key.value: profiles.parameter_history(runner, key)
        for key in (
            ParameterKey.HRMAX,
            ParameterKey.HRREST,
            ParameterKey.WEIGHT,
            ParameterKey.HR_ZONES,
            ParameterKey.CRITICAL_SPEED,
        )
    }
    timeline = profiles.best_timeline(runner)
    zone_dates = sorted(
        {v["valid_from"] for key in ("hrmax_bpm", "hrrest_bpm", "hr_zones") for v in history[key]}
        | {clock.today()}
    )
    zones_over_time = [
        {
            "x": day,
            "uppers": [
                z.upper for z in parameter_services.parameters_on(runner, day).hr_zones.zones
            ],
        }
        for day in zone_dates
    ]
    chart_data = {
        "zones": zones_over_time,
        "hrmax": [{"x": v["valid_from"], "y": v["value"]} for v in history["hrmax_bpm"]],
        "cs": [
            {"x": v["valid_from"], "y": v["value"]["cs_mps"], "d": v["value"]["d_prime_m"]}
            for v in history["critical_speed"]
        ],
        "bests": {
            entries[0].label: [
                {"x": e.best.date, "y": e.best.time_s * 1000 / e.best.distance_m} for e in entries
            ]
            for entries in timeline.values()
        },
        "today": display.today(),
    }
    return render_template(
        "athletes/runner_detail.html",
        runner=runner,
        s=summary,
        history=history,
        timeline=timeline,
        chart_json=script_json(chart_data),
        parameter_form=ParameterForm(data={"valid_from": display.today()}),
        best_form=BestForm(data={"date": display.today()}),
        kind_labels=best_services.KIND_LABELS,
        can_edit_all=is_coaching(),
        can_delete=may_delete_runner(runner),
        response=response_json(response_model(runner, clock.today())),
        hr_source=profile_basis.hr_source(runner, clock.today()),
    )


def _parameter_value(
    runner: Runner, key: str, value: float, valid_from: dt.date
) -> tuple[ParameterKey, Any]:
    """The stored key and value of one field of the form; CS or D′ alone keeps the other
    of the pair as it was on ``valid_from`` (not as it is today)."""
    if key in ("cs_mps", "d_prime_m"):
        cs = parameter_services.parameters_on(runner, valid_from).cs
        data = {"cs_mps": cs.cs_mps, "d_prime_m": cs.d_prime_m, key: value}
        return ParameterKey.CRITICAL_SPEED, data
    return ParameterKey(key), value


@bp.post("/runners/<int:runner_id>/parameters")
def parameter_add(runner_id: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    form = ParameterForm()
    if not form.validate_on_submit():
        for field, errors in form.errors.items():
            flash(f"{getattr(form, field).label.text}: {' '.join(errors)}", "danger")
        return redirect(url_for("athletes.runner_detail", runner_id=runner.id, _anchor="params"))
    if not may_edit_parameter(
        form.key.data if form.key.data not in ("cs_mps", "d_prime_m") else "critical_speed"
    ):
        abort(403)
    assert form.valid_from.data is not None
    assert form.value.data is not None
    try:
        parameter_services.save_parameters(
            runner,
            [_parameter_value(runner, form.key.data, form.value.data, form.valid_from.data)],
            form.valid_from.data,
            source=ParameterSource.MEASURED,
            by=this_user(),
            today=display.today(),
            note=form.note.data or "",
        )
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(
            f"Saved from {form.valid_from.data.isoformat()}; sessions from that date on "
            "will be recomputed.",
            "success",
        )
    return redirect(url_for("athletes.runner_detail", runner_id=runner.id, _anchor="params"))


def _number(text: str | None) -> float | None:
    """A finite number from a form field, else ``None``."""
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@bp.post("/runners/<int:runner_id>/bests")
def best_add(runner_id: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    form = BestForm(meta={"csrf": True})
    distance = _number(form.distance_m.data)
    if (
        not form.validate_on_submit()
        or distance is None
        or not form.time.data
        or form.date.data is None
    ):
        flash("Give a distance, a time and a date.", "danger")
        return redirect(url_for("athletes.runner_detail", runner_id=runner.id, _anchor="bests"))
    try:
        best_services.save_personal_best(
            runner,
            distance,
            best_services.parse_time(form.time.data),
            form.date.data,
            by=this_user(),
            today=display.today(),
            event_name=form.event_name.data or "",
            kind=_kind(form.kind.data),
        )
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash("Result added; critical speed refitted.", "success")
    return redirect(url_for("athletes.runner_detail", runner_id=runner.id, _anchor="bests"))


@bp.get("/runners/<int:runner_id>/bests/<int:best_id>/delete")
def best_delete_confirm(runner_id: int, best_id: int) -> ResponseReturnValue:
    """Ask before deleting a result (the step without JavaScript)."""
    runner = get_runner_or_404(runner_id)
    best = db.session.get(PersonalBest, best_id) if 0 < best_id <= 2**31 - 1 else None
    if best is None or best.runner_id != runner.id or best.deleted_at is not None:
        abort(404)
    back = url_for("athletes.runner_detail", runner_id=runner.id, _anchor="bests")
    if best.source is BestSource.SESSION:  # it follows its session: refused, with why
        return best_delete(runner_id, best_id)
    return confirm_page(
        title="Delete this result?",
        question=(
            f"Delete {best.distance_m:g} m in {format_race_time(best.time_s)} on "
            f"{best.date.isoformat()}{' (' + best.event_name + ')' if best.event_name else ''}?"
        ),
        details=[
            "Critical speed is refitted without it.",
            f"You can undo this for {undo_window_words()}; after that it is gone for good.",
        ],
        action=url_for("athletes.best_delete", runner_id=runner.id, best_id=best_id),
        cancel_url=back,
        button="Delete result",
    )


@bp.post("/runners/<int:runner_id>/bests/<int:best_id>/delete")
def best_delete(runner_id: int, best_id: int) -> ResponseReturnValue:
    runner = get_runner_or_404(runner_id)
    back = url_for("athletes.runner_detail", runner_id=runner.id, _anchor="bests")
    best = db.session.get(PersonalBest, best_id) if 0 < best_id <= 2**31 - 1 else None
    if best is None or best.runner_id != runner.id or best.deleted_at is not None:
        abort(404)
    if not confirmed() and best.source is not BestSource.SESSION:
        return redirect(
            url_for("athletes.best_delete_confirm", runner_id=runner.id, best_id=best_id)
        )
    try:
        best_services.delete_personal_best(runner, best_id, by=this_user())
    except NotFound:
        abort(404)
    except Conflict as exc:
        flash(exc.message, "danger")
        return redirect(back)
    flash_undo(
        "Personal best deleted; critical speed refitted.",
        url_for("athletes.best_restore", runner_id=runner.id, best_id=best_id),
    )
    return redirect(back)


@bp.post("/runners/<int:runner_id>/bests/<int:best_id>/restore")
def best_restore(runner_id: int, best_id: int) -> ResponseReturnValue:
    """Undo a deletion within the undo window (404 after it, or for another's runner)."""
    runner = get_runner_or_404(runner_id)
    try:
        best_services.restore_personal_best(runner, best_id, by=this_user())
    except NotFound:
        abort(404)
    flash("Personal best restored; critical speed refitted.", "success")
    return redirect(url_for("athletes.runner_detail", runner_id=runner.id, _anchor="bests"))


def _kind(text: str | None) -> BestKind:
    try:
        return BestKind(text or BestKind.RACE.value)
    except ValueError:
        raise InvalidInput("Say whether it was a race, a time trial or training.") from None


def _decide(runner_id: int, suggestion_id: int, accept: bool) -> ResponseReturnValue:
    """Accept or dismiss a CS suggestion: a coach's decision, as setting CS is."""
    runner = get_runner_or_404(runner_id)
    if not may_edit_parameter(ParameterKey.CRITICAL_SPEED.value):
        abort(403)
    try:
        if accept:
            version = suggestion_services.accept_suggestion(
                runner, suggestion_id, by=this_user(), today=clock.today()
            )
            message = (
                f"Critical speed {version.value['cs_mps']:.2f} m/s accepted from "
                f"{version.valid_from.isoformat()}; sessions from then on will be recomputed."
            )
        else:
            suggestion_services.dismiss_suggestion(runner, suggestion_id, by=this_user())
            message = "Suggestion dismissed; the entered critical speed stays."
    except NotFound:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(message, "success")
    return redirect(url_for("athletes.runner_detail", runner_id=runner.id))


@bp.post("/runners/<int:runner_id>/cs-suggestions/<int:suggestion_id>/accept")
def suggestion_accept(runner_id: int, suggestion_id: int) -> ResponseReturnValue:
    return _decide(runner_id, suggestion_id, accept=True)


@bp.post("/runners/<int:runner_id>/cs-suggestions/<int:suggestion_id>/dismiss")
def suggestion_dismiss(runner_id: int, suggestion_id: int) -> ResponseReturnValue:
    return _decide(runner_id, suggestion_id, accept=False)
