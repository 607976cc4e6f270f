"""Workouts for a runner on a date: resolved targets and the FIT workout file for a watch.

The runner's parameters valid on the date (``athletes.parameters.parameters_on``: CS,
pace-zone model, HR zones, defaults and estimates filled in) feed the pure resolution in
``science.workout_targets`` and the FIT encoder in ``science.fit``; plans use the same
``day_parameters`` for each planned day, so targets agree everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from smartrunning.athletes.models import ParameterSource, Runner
from smartrunning.athletes.parameters import (
    Parameters,
    parameters_on,
)
from smartrunning.platform.errors import InvalidInput
from smartrunning.science import workouts as sw
from smartrunning.science.fit import encode_workout
from smartrunning.science.plans.targets import DayParameters
from smartrunning.science.workout_targets import ResolvedWorkout, resolve_workout
from smartrunning.science.zones import PaceZoneModel
from smartrunning.science.zwo import write_zwo
from smartrunning.workouts.actions import structure
from smartrunning.workouts.models import Workout

__all__ = [
    "Resolution",
    "day_parameters",
    "fit_for_runner",
    "resolve_for_runner",
    "resolve_structure",
    "zwo_for_runner",
]


@dataclass(frozen=True)
class Resolution:
    """A workout resolved for ``runner`` on ``day`` (both None: not for anyone), with the
    parameters used (``parameters`` None without a runner)."""

    runner: Runner | None
    day: dt.date | None
    parameters: Parameters | None
    resolved: ResolvedWorkout


def day_parameters(params: Parameters) -> DayParameters:
    """What targets need from a runner's ``Parameters`` of one day."""
    model = params.pace_zone_model.value
    assert isinstance(model, PaceZoneModel)
    measured = params.threshold_hr.source == ParameterSource.MEASURED
    return DayParameters(
        cs_mps=params.cs.cs_mps,
        d_prime_m=params.cs.d_prime_m,
        hr_zones=params.hr_zones,
        pace_zones=model,
        hrmax_bpm=params.hrmax_bpm,
        lthr_bpm=float(params.threshold_hr.value) if measured else None,
    )


def resolve_structure(content: sw.Workout, runner: Runner | None, day: dt.date) -> Resolution:
    """Any structure (a library workout, or a plan's scaled copy) for ``runner`` on ``day``."""
    if runner is None:
        return Resolution(None, None, None, resolve_workout(content))
    if day < runner.birth_date:
        raise InvalidInput("The date is before the runner's birth date.", field="on")
    params = parameters_on(runner, day)
    return Resolution(runner, day, params, resolve_workout(content, day_parameters(params)))


def resolve_for_runner(workout: Workout, runner: Runner | None, day: dt.date) -> Resolution:
    """The library workout's paces, HR ranges, totals and load for ``runner`` on ``day``."""
    return resolve_structure(structure(workout), runner, day)


def fit_for_runner(content: sw.Workout, runner: Runner, day: dt.date) -> bytes:
    """A FIT workout file with the runner's speed and HR targets valid on ``day``."""
    if day < runner.birth_date:
        raise InvalidInput("The date is before the runner's birth date.", field="on")
    params = day_parameters(parameters_on(runner, day))
    return encode_workout(content, day=params)


def zwo_for_runner(content: sw.Workout, runner: Runner, day: dt.date) -> bytes:
    """A ZWO file whose pace targets are fractions of the runner's CS valid on ``day``.

    ZWO holds fractions only (Zwift reads ``Power``), so a pace target (``science.workouts``
    ``Target``) is written as its speed over this runner's CS (``Workout.at_cs``); the pace
    itself rides along in our ``SrTarget`` attributes. Without a runner the library's stored
    file is the export: its fractions are of the reference CS (``REFERENCE_CS_MPS``, the
    app's default CS, 5:00/km). Heart-rate targets keep their estimate fraction either way;
    %CS steps are unchanged.
    """
    if day < runner.birth_date:
        raise InvalidInput("The date is before the runner's birth date.", field="on")
    cs = day_parameters(parameters_on(runner, day)).cs_mps
    return write_zwo(content if cs is None or content.sport != "run" else content.at_cs(cs))
