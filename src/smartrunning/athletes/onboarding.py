"""The onboarding wizard's writes: one action per step (``athletes.wizard`` shows them).

Each step saves what was entered and moves the runner's ``onboarding_step`` on in one
transaction (``platform.transactions``): committed together, or, when anything is
refused, nothing of the step is kept and the refusal is raised for the page to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from smartrunning.accounts.models import User
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import ParameterKey, ParameterSource, Runner
from smartrunning.platform.errors import ServiceError
from smartrunning.platform.transactions import transaction

__all__ = [
    "BestEntry",
    "TrainingEntry",
    "save_basics",
    "save_bests",
    "save_heart_rate",
    "save_login",
    "save_training",
    "start_runner",
]


def start_runner(
    name: str,
    birth_date: dt.date,
    sex: str,
    weight_kg: float | None,
    weight_as_of: dt.date | None,
    *,
    by: User,
    today: dt.date,
) -> Runner:
    """Step 1 for a new athlete: the runner (assigned to ``by``, a coach) and their
    weight; the wizard continues at step 2."""
    with transaction():
        runner = athlete_services.create_runner(
            name,
            birth_date,
            athlete_services.parse_sex(sex),
            created_by=by,
            today=today,
        )
        _save_weight(runner, weight_kg, weight_as_of, by=by, today=today)
        athlete_services.advance_onboarding(runner, 1)
    return runner


def save_basics(
    runner: Runner,
    name: str,
    birth_date: dt.date,
    sex: str,
    weight_kg: float | None,
    weight_as_of: dt.date | None,
    *,
    by: User,
    today: dt.date,
) -> None:
    """Step 1 again: name, birth date, sex and weight."""
    with transaction():
        athlete_services.update_basics(
            runner, name, birth_date, athlete_services.parse_sex(sex), today=today
        )
        _save_weight(runner, weight_kg, weight_as_of, by=by, today=today)
        athlete_services.advance_onboarding(runner, 1)


def _save_weight(
    runner: Runner, weight: float | None, as_of: dt.date | None, *, by: User, today: dt.date
) -> None:
    """A new weight version from ``as_of`` (today when not given) unless the same weight
    already holds then (the date is checked by ``set_parameter``: not in the future, not
    before the birth date)."""
    if weight is None:
        return
    day = as_of or today
    if runner.birth_date <= day <= today:
        held = parameter_services.parameters_on(runner, day).weight
        same = held.value is not None and abs(float(held.value) - weight) <= 1e-9
        if same and held.valid_from == day:
            return
    parameter_services.set_parameter(
        runner,
        ParameterKey.WEIGHT,
        weight,
        day,
        source=ParameterSource.MEASURED,
        by=by,
        today=today,
    )


def save_heart_rate(
    runner: Runner,
    hrmax_bpm: float | None,
    hrrest_bpm: float | None,
    zones: dict[str, Any],
    current_zones: Any,
    valid_from: dt.date,
    *,
    by: User,
    today: dt.date,
) -> None:
    """Step 2: measured HRmax and resting HR when given, and the zones (``zones``, stored
    as a formula) when they differ from the model in force (``current_zones``)."""
    with transaction():
        if hrmax_bpm is not None:
            parameter_services.set_parameter(
                runner,
                ParameterKey.HRMAX,
                hrmax_bpm,
                valid_from,
                source=ParameterSource.MEASURED,
                by=by,
                today=today,
            )
        if hrrest_bpm is not None:
            parameter_services.set_parameter(
                runner,
                ParameterKey.HRREST,
                hrrest_bpm,
                valid_from,
                source=ParameterSource.MEASURED,
                by=by,
                today=today,
            )
        if parameter_services.encode_value(ParameterKey.HR_ZONES, current_zones) != zones:
            parameter_services.set_parameter(
                runner,
                ParameterKey.HR_ZONES,
                zones,
                valid_from,
                source=ParameterSource.FORMULA,
                by=by,
                today=today,
            )
        athlete_services.advance_onboarding(runner, 2)


@dataclass(frozen=True)
class BestEntry:
    """One row of step 3 as entered (a row with neither distance nor time is skipped)."""

    distance_m: str | None
    time: str | None
    date: dt.date | None
    event_name: str


def save_bests(runner: Runner, entries: list[BestEntry], *, by: User, today: dt.date) -> int:
    """Step 3: the results entered, each refused with its row number; returns how many
    were added."""
    with transaction():
        added = 0
        for number, entry in enumerate(entries, start=1):
            if not entry.distance_m and not entry.time:
                continue
            if not entry.distance_m or not entry.time or entry.date is None:
                raise ServiceError(f"Row {number}: give a distance, a time and a date.")
            try:
                best_services.add_personal_best(
                    runner,
                    float(entry.distance_m),
                    best_services.parse_time(entry.time),
                    entry.date,
                    by=by,
                    today=today,
                    event_name=entry.event_name,
                )
            except ServiceError as exc:
                raise ServiceError(f"Row {number}: {exc.message}") from exc
            added += 1
        athlete_services.advance_onboarding(runner, 3)
    return added


@dataclass(frozen=True)
class TrainingEntry:
    """Step 4 as entered."""

    weekdays: set[int]
    long_run_weekday: int
    sessions_per_week: int
    notes: str
    weekly_running_min: int | None
    load_model: str | None
    fitness_fatigue: dict[str, float | None]
    as_of: dt.date


def save_training(
    runner: Runner,
    entry: TrainingEntry,
    params: parameter_services.Parameters,
    previous_as_of: dt.date,
    *,
    by: User,
    today: dt.date,
) -> None:
    """Step 4: the schedule, and the load model and fitness-fatigue values from
    ``entry.as_of`` when they changed, or when a stored one is re-dated (``as_of`` other
    than ``previous_as_of``, the date the step showed); ``params``: the values in force."""
    with transaction():
        athlete_services.update_schedule(
            runner,
            entry.weekdays,
            entry.long_run_weekday,
            entry.sessions_per_week,
            entry.notes,
            entry.weekly_running_min,
        )
        day = entry.as_of
        moved = day != previous_as_of  # the runner gave another date: values re-dated
        if entry.load_model != params.load_model.value or (
            moved and params.load_model.valid_from is not None
        ):
            parameter_services.set_parameter(
                runner,
                ParameterKey.LOAD_MODEL,
                entry.load_model,
                day,
                source=ParameterSource.MEASURED,
                by=by,
                today=today,
            )
        current = parameter_services.encode_value(
            ParameterKey.FITNESS_FATIGUE, params.fitness_fatigue.value
        )
        if entry.fitness_fatigue != current or (
            moved and params.fitness_fatigue.valid_from is not None
        ):
            parameter_services.set_parameter(
                runner,
                ParameterKey.FITNESS_FATIGUE,
                entry.fitness_fatigue,
                day,
                source=ParameterSource.MEASURED,
                by=by,
                today=today,
            )
        athlete_services.advance_onboarding(runner, 4)


def save_login(runner: Runner, username: str, *, by: User) -> tuple[User, str]:
    """Step 5 (coaches, for an athlete without a login): the login, with a temporary
    password returned once; the profile is then complete."""
    with transaction():
        user, password = athlete_services.create_login(runner, username, by=by)
        athlete_services.advance_onboarding(runner, 5)
    return user, password
