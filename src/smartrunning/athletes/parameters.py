"""Dated parameters: the values valid on a date, new versions, and their history.

Each parameter is a time series of versions (``valid_from``, value, source). The value
valid on day d is the version of that key with the latest ``valid_from`` ≤ d (on the
same day, the one recorded last). Missing keys fall back to estimates and defaults from
``science.defaults``, so every screen works for a new runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import defer

from smartrunning.accounts.models import User
from smartrunning.athletes.models import (
    ParameterKey,
    ParameterSource,
    ParameterVersion,
    RecomputeRequest,
    Runner,
)
from smartrunning.athletes.parameter_values import (
    LOAD_MODELS,
    decode_value,
    encode_value,
    parse_value,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.transactions import transaction
from smartrunning.science import defaults
from smartrunning.science.critical_speed import CriticalSpeed
from smartrunning.science.heart_rate import estimate_hrmax
from smartrunning.science.zones import (
    HRZoneModel,
    PaceZoneModel,
    ZoneMethod,
    ZoneSet,
    threshold_hr_bpm,
)

__all__ = [
    "LOAD_MODELS",
    "MAX_AGE_YEARS",
    "Parameters",
    "Valued",
    "decode_value",
    "delete_automatic_versions",
    "encode_value",
    "history",
    "parameters_for",
    "parameters_on",
    "parse_value",
    "request_recompute",
    "save_parameters",
    "set_parameter",
]


MAX_AGE_YEARS = 150
"""The latest day parameters are given for, in years after the birth date: beyond it the
age-based estimates leave their meaning (HRmax from age turns negative near 330 years)."""


@dataclass(frozen=True)
class Valued:
    """A parameter value with where it came from and since when it holds."""

    value: Any
    source: ParameterSource
    valid_from: dt.date | None  # None: a default or estimate, not a stored version
    version_id: int | None = None
    automatic: bool = False
    """Made by the CS fit (replaced by every refit), not entered or accepted by a person."""


@dataclass(frozen=True)
class Parameters:
    """Everything valid for one runner on ``day``, defaults filled in."""

    day: dt.date
    hrmax: Valued
    hrrest: Valued
    weight: Valued
    hr_zone_model: Valued
    pace_zone_model: Valued
    critical_speed: Valued
    threshold_hr: Valued
    load_model: Valued
    fitness_fatigue: Valued

    @property
    def hrmax_bpm(self) -> float:
        return float(self.hrmax.value)

    @property
    def hrrest_bpm(self) -> float | None:
        return None if self.hrrest.value is None else float(self.hrrest.value)

    @property
    def cs(self) -> CriticalSpeed:
        value = self.critical_speed.value
        assert isinstance(value, CriticalSpeed)
        return value

    @property
    def hr_zones(self) -> ZoneSet:
        model = self.hr_zone_model.value
        assert isinstance(model, HRZoneModel)
        return _hr_zones(model, self.hrmax_bpm, self.hrrest_bpm)

    @property
    def pace_zones(self) -> ZoneSet:
        model = self.pace_zone_model.value
        assert isinstance(model, PaceZoneModel)
        return model.resolve(self.cs.cs_mps)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: each parameter with its value, source and valid_from."""
        return {
            key: {
                "value": encode_value(param_key, valued.value),
                "source": valued.source.value,
                "valid_from": valued.valid_from,
            }
            for key, param_key, valued in self._items()
        }

    def _items(self) -> list[tuple[str, ParameterKey, Valued]]:
        return [
            ("hrmax_bpm", ParameterKey.HRMAX, self.hrmax),
            ("hrrest_bpm", ParameterKey.HRREST, self.hrrest),
            ("weight_kg", ParameterKey.WEIGHT, self.weight),
            ("hr_zones", ParameterKey.HR_ZONES, self.hr_zone_model),
            ("pace_zones", ParameterKey.PACE_ZONES, self.pace_zone_model),
            ("critical_speed", ParameterKey.CRITICAL_SPEED, self.critical_speed),
            ("threshold_hr_bpm", ParameterKey.THRESHOLD_HR, self.threshold_hr),
            ("load_model", ParameterKey.LOAD_MODEL, self.load_model),
            ("fitness_fatigue", ParameterKey.FITNESS_FATIGUE, self.fitness_fatigue),
        ]


@lru_cache(maxsize=4096)
def _hr_zones(model: HRZoneModel, hrmax_bpm: float, hrrest_bpm: float | None) -> ZoneSet:
    """The zones of ``model`` in bpm, kept per (model, HRmax, HRrest): many runners share
    the default model and a handful of values, and list pages resolve one set per runner.
    Models and zone sets are frozen, so sharing one is safe."""
    if model.method is ZoneMethod.PERCENT_HRR and hrrest_bpm is None:
        # Heart-rate reserve needs a resting HR; until one exists use %HRmax bounds.
        model = HRZoneModel(
            ZoneMethod.PERCENT_HRMAX, model.start_fraction, model.upper_fractions, model.names
        )
    return model.resolve(hrmax_bpm, hrrest_bpm)


# --- queries ------------------------------------------------------------------------------


# Built once: every import's recomputation reads the parameters of its days (building a
# statement costs more than running it). Only the version in force of each key is read
# (the latest valid from that day or before, the later id on the same day), not every
# version up to the day: a runner whose CS is refitted after each upload gathers hundreds,
# and each one-file upload read them all several times. A version's ``details`` (a CS
# fit's report) are not needed for its value.
_IN_FORCE = (
    sa.select(
        ParameterVersion.id,
        sa.func.row_number()
        .over(
            partition_by=(ParameterVersion.runner_id, ParameterVersion.key),
            order_by=(ParameterVersion.valid_from.desc(), ParameterVersion.id.desc()),
        )
        .label("rank"),
    )
    .where(
        ParameterVersion.runner_id.in_(sa.bindparam("runners", expanding=True)),
        ParameterVersion.valid_from <= sa.bindparam("day"),
    )
    .subquery()
)
_VERSIONS_ON = (
    sa.select(ParameterVersion)
    .join(_IN_FORCE, _IN_FORCE.c.id == ParameterVersion.id)
    .where(_IN_FORCE.c.rank == 1)
    .options(defer(ParameterVersion.details))
)
_HISTORY = (
    sa.select(ParameterVersion)
    .where(
        ParameterVersion.runner_id == sa.bindparam("runner"),
        ParameterVersion.key == sa.bindparam("key"),
    )
    .order_by(ParameterVersion.valid_from, ParameterVersion.id)
)


def parameters_on(runner: Runner, day: dt.date) -> Parameters:
    """The values valid on ``day`` (one query), estimates and defaults where none is stored."""
    return parameters_for([runner], day)[runner.id]


def parameters_for(runners: list[Runner], day: dt.date) -> dict[int, Parameters]:
    """``parameters_on`` for many runners in one query (list pages stay O(1) in queries).

    Raises:
        InvalidInput: ``day`` before a runner's birth or more than ``MAX_AGE_YEARS`` after.
    """
    for runner in runners:
        _check_day(runner, day)
    ids = [r.id for r in runners]
    rows = db.session.execute(_VERSIONS_ON, {"runners": ids, "day": day}).scalars()
    latest: dict[int, dict[ParameterKey, ParameterVersion]] = {i: {} for i in ids}
    for row in rows:
        latest[row.runner_id][row.key] = row  # one per key: the one in force
    return {r.id: _resolve(r, latest[r.id], day) for r in runners}


def _check_day(runner: Runner, day: dt.date) -> None:
    if day < runner.birth_date:
        raise InvalidInput("The date is before the runner's birth date.", field="on")
    if day.year - runner.birth_date.year > MAX_AGE_YEARS:
        raise InvalidInput(
            f"The date is more than {MAX_AGE_YEARS} years after the runner's birth date.",
            field="on",
        )


def _resolve(
    runner: Runner, latest: dict[ParameterKey, ParameterVersion], day: dt.date
) -> Parameters:
    def stored(key: ParameterKey) -> Valued | None:
        row = latest.get(key)
        if row is None:
            return None
        return Valued(
            decode_value(key, row.value), row.source, row.valid_from, row.id, row.automatic
        )

    hrmax = stored(ParameterKey.HRMAX) or Valued(
        round(estimate_hrmax(runner.birth_date, day).hrmax_bpm, 1), ParameterSource.ESTIMATED, None
    )
    hr_zones = stored(ParameterKey.HR_ZONES) or Valued(
        defaults.HR_ZONES, ParameterSource.DEFAULT, None
    )
    hrrest = stored(ParameterKey.HRREST) or Valued(None, ParameterSource.DEFAULT, None)
    partial = Parameters(
        day=day,
        hrmax=hrmax,
        hrrest=hrrest,
        weight=stored(ParameterKey.WEIGHT) or Valued(None, ParameterSource.DEFAULT, None),
        hr_zone_model=hr_zones,
        pace_zone_model=stored(ParameterKey.PACE_ZONES)
        or Valued(defaults.PACE_ZONES, ParameterSource.DEFAULT, None),
        critical_speed=stored(ParameterKey.CRITICAL_SPEED)
        or Valued(defaults.CRITICAL_SPEED, ParameterSource.DEFAULT, None),
        threshold_hr=Valued(None, ParameterSource.DEFAULT, None),
        load_model=stored(ParameterKey.LOAD_MODEL)
        or Valued(defaults.LOAD_MODEL, ParameterSource.DEFAULT, None),
        fitness_fatigue=stored(ParameterKey.FITNESS_FATIGUE)
        or Valued(defaults.HISTORY_PARAMS, ParameterSource.DEFAULT, None),
    )
    threshold = stored(ParameterKey.THRESHOLD_HR) or Valued(
        round(threshold_hr_bpm(partial.hr_zones), 1), ParameterSource.FORMULA, None
    )
    return Parameters(**{**partial.__dict__, "threshold_hr": threshold})


def history(runner: Runner, key: ParameterKey) -> list[ParameterVersion]:
    """All versions of ``key``, oldest first."""
    return list(db.session.execute(_HISTORY, {"runner": runner.id, "key": key}).scalars())


# --- writes -------------------------------------------------------------------------------


def set_parameter(
    runner: Runner,
    key: ParameterKey,
    raw: Any,
    valid_from: dt.date,
    *,
    source: ParameterSource,
    by: User | None,
    today: dt.date,
    details: Any = None,
    note: str = "",
) -> ParameterVersion:
    """Record a new version of ``key`` valid from ``valid_from``.

    A version of the same key on the same day is replaced. Sessions from ``valid_from``
    on are analysed with the new value, so a recompute from that date is requested. The
    automatic (fitted) versions from ``valid_from`` on are removed: a person's value is in
    force from then on, and the recomputation offers later fits as suggestions
    (SCIENCE.md, "measured beats fitted").
    """
    if valid_from > today:
        raise InvalidInput("A parameter cannot start in the future.", field="valid_from")
    if valid_from < runner.birth_date:
        raise InvalidInput("A parameter cannot start before the birth date.", field="valid_from")
    value = parse_value(key, raw)
    if key is ParameterKey.HRREST or key is ParameterKey.HRMAX:
        _check_rest_below_max(runner, key, float(value), valid_from)
    existing = (
        db.session.execute(
            sa.select(ParameterVersion).where(
                ParameterVersion.runner_id == runner.id,
                ParameterVersion.key == key,
                ParameterVersion.valid_from == valid_from,
            )
        )
        .scalars()
        .all()
    )
    for row in existing:
        db.session.delete(row)
    delete_automatic_versions(runner, key, valid_from)
    version = ParameterVersion(
        runner_id=runner.id,
        key=key,
        valid_from=valid_from,
        value=encode_value(key, value),
        source=source,
        details=details,
        note=note[:200],
        created_by_id=by.id if by else None,
    )
    db.session.add(version)
    db.session.flush()
    request_recompute(runner, valid_from, f"{key.value} changed from {valid_from.isoformat()}")
    return version


def save_parameters(
    runner: Runner,
    values: Iterable[tuple[ParameterKey, Any]],
    valid_from: dt.date,
    *,
    source: ParameterSource,
    by: User | None,
    today: dt.date,
    note: str = "",
) -> list[ParameterVersion]:
    """``set_parameter`` for each (key, value) of ``values``, in order, as one action:
    commits them all, or rolls back and raises the first refusal (``values`` may be a
    generator that parses as it goes: its error is raised in its turn)."""
    with transaction():
        return [
            set_parameter(
                runner, key, raw, valid_from, source=source, by=by, today=today, note=note
            )
            for key, raw in values
        ]


_DELETE_AUTOMATIC = (
    sa.delete(ParameterVersion)
    .where(
        ParameterVersion.runner_id == sa.bindparam("runner"),
        ParameterVersion.key == sa.bindparam("key"),
        ParameterVersion.automatic.is_(True),
        ParameterVersion.valid_from >= sa.bindparam("from_date"),
    )
    .execution_options(synchronize_session="fetch")
)
"""Built once: every import's recomputation runs it (building a statement costs more than
running it)."""


def delete_automatic_versions(runner: Runner, key: ParameterKey, from_date: dt.date) -> None:
    """Remove the automatic versions of ``key`` valid from ``from_date`` on."""
    db.session.execute(_DELETE_AUTOMATIC, {"runner": runner.id, "key": key, "from_date": from_date})


def _check_rest_below_max(
    runner: Runner, key: ParameterKey, value: float, valid_from: dt.date
) -> None:
    """Resting HR below HRmax on every day the new value holds: from ``valid_from`` to the
    next version of the same key, at each version of the other key in between too."""
    other = ParameterKey.HRMAX if key is ParameterKey.HRREST else ParameterKey.HRREST
    until = min(
        (v.valid_from for v in history(runner, key) if v.valid_from > valid_from), default=None
    )
    days = [valid_from] + [
        v.valid_from
        for v in history(runner, other)
        if v.valid_from > valid_from and (until is None or v.valid_from < until)
    ]
    for day in days:
        params = parameters_on(runner, day)
        when = "on that date" if day == valid_from else f"from {day.isoformat()}"
        if key is ParameterKey.HRREST and value >= params.hrmax_bpm:
            raise InvalidInput(
                f"Resting HR must be below HRmax ({params.hrmax_bpm:g} bpm {when}).",
                field=key.value,
            )
        if (
            key is ParameterKey.HRMAX
            and params.hrrest_bpm is not None
            and value <= params.hrrest_bpm
        ):
            raise InvalidInput(
                f"HRmax must be above the resting HR ({params.hrrest_bpm:g} bpm {when}).",
                field=key.value,
            )


def request_recompute(runner: Runner, from_date: dt.date, reason: str) -> None:
    """Record that derived values from ``from_date`` on are stale (sessions consume it)."""
    db.session.add(RecomputeRequest(runner_id=runner.id, from_date=from_date, reason=reason[:200]))
    db.session.flush()
