"""Parameter values: parsing and validating raw input, and their stored JSON form.

Raw values come from forms, the API and the CLI; ``parse_value`` turns them into typed
values (numbers, ``CriticalSpeed``, zone models, ``HistoryParams``) or raises
``InvalidInput`` naming the field. ``encode_value``/``decode_value`` map typed values to
and from the JSON kept in ``parameter_versions.value``.
"""

from __future__ import annotations

import math
from typing import Any

from smartrunning.athletes.models import ParameterKey
from smartrunning.platform.errors import InvalidInput
from smartrunning.science.critical_speed import CriticalSpeed
from smartrunning.science.history import HistoryParams
from smartrunning.science.zones import HRZoneModel, PaceZoneModel, ZoneMethod, ZoneValidationError

__all__ = ["LOAD_MODELS", "decode_value", "encode_value", "parse_value"]

LOAD_MODELS = ("auto", "rtss", "hrss", "trimp", "srpe")


def _number(raw: Any, name: str, low: float, high: float) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be a number.", field=name) from None
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidInput(f"{name} must be between {low:g} and {high:g}.", field=name)
    return value


def parse_value(key: ParameterKey, raw: Any) -> Any:
    """Validate a raw value (form, JSON or CLI) for ``key``; return the typed value.

    New HR zones must reach HRmax: the threshold HR (the bottom of the top zone) and the
    time above the zones read nonsense otherwise (three zones ending at 80 % made threshold
    HR 70 % of HRmax). Sets stored before this rule still read (``decode_value``)."""
    try:
        value = _parse_value(key, raw)
    except ZoneValidationError as exc:
        raise InvalidInput(str(exc), field=key.value) from None
    if isinstance(value, HRZoneModel) and value.upper_fractions[-1] < 1.0:
        top = len(value.upper_fractions)
        raise InvalidInput(
            f"Zone {top} (the top zone) must reach HRmax: an upper bound of 100 % or more, "
            f"got {value.upper_fractions[-1] * 100:g} %.",
            field=key.value,
        )
    return value


def _parse_value(key: ParameterKey, raw: Any) -> Any:
    if key is ParameterKey.HRMAX:
        return _number(raw, key.value, 100, 240)
    if key is ParameterKey.HRREST:
        return _number(raw, key.value, 25, 120)
    if key is ParameterKey.WEIGHT:
        return _number(raw, key.value, 20, 250)
    if key is ParameterKey.THRESHOLD_HR:
        return _number(raw, key.value, 80, 230)
    if key is ParameterKey.LOAD_MODEL:
        if raw not in LOAD_MODELS:
            raise InvalidInput(
                f"load_model must be one of {', '.join(LOAD_MODELS)}.", field=key.value
            )
        return raw
    if key is ParameterKey.CRITICAL_SPEED:
        data = _mapping(raw, key)
        return CriticalSpeed(
            cs_mps=_number(data.get("cs_mps"), "cs_mps", 1.0, 7.0),
            d_prime_m=_number(data.get("d_prime_m"), "d_prime_m", 0, 1000),
        )
    if key is ParameterKey.HR_ZONES:
        data = _mapping(raw, key)
        try:
            method = ZoneMethod(data.get("method", ZoneMethod.PERCENT_HRMAX.value))
        except ValueError:
            raise InvalidInput(
                "hr_zones.method must be percent_hrmax or percent_hrr.", field=key.value
            ) from None
        uppers = tuple(_number(u, "hr_zones upper bound", 0, 1.1) for u in data.get("uppers", ()))
        start = _number(data.get("start", 0.5), "hr_zones start", 0, 1.1)
        return HRZoneModel(method, start, uppers)
    if key is ParameterKey.PACE_ZONES:
        data = _mapping(raw, key)
        uppers = tuple(
            math.inf if u is None else _number(u, "pace_zones upper bound", 0, 3)
            for u in data.get("uppers", ())
        )
        return PaceZoneModel(upper_fractions=uppers)
    if key is ParameterKey.FITNESS_FATIGUE:
        data = _mapping(raw, key)
        try:
            return HistoryParams(
                fitness_tau_d=_number(data.get("tau1", 42), "tau1", 1, 200),
                fatigue_tau_d=_number(data.get("tau2", 7), "tau2", 1, 100),
                performance_k1=_number(data.get("k1", 1), "k1", 0, 10),
                performance_k2=_number(data.get("k2", 2), "k2", 0, 10),
                performance_tau1_d=_number(data.get("tau1", 42), "tau1", 1, 200),
                performance_tau2_d=_number(data.get("tau2", 7), "tau2", 1, 100),
            )
        except ValueError as exc:
            raise InvalidInput(str(exc), field=key.value) from None
    raise AssertionError(f"unhandled parameter {key!r}")


def _mapping(raw: Any, key: ParameterKey) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InvalidInput(f"{key.value} must be an object.", field=key.value)
    return raw


def encode_value(key: ParameterKey, value: Any) -> Any:
    """The JSON form stored in the database and shown by the API and CLI."""
    if isinstance(value, CriticalSpeed):
        return {"cs_mps": value.cs_mps, "d_prime_m": value.d_prime_m}
    if isinstance(value, HRZoneModel):
        return {
            "method": value.method.value,
            "start": value.start_fraction,
            "uppers": list(value.upper_fractions),
        }
    if isinstance(value, PaceZoneModel):
        return {"uppers": [None if math.isinf(u) else u for u in value.upper_fractions]}
    if isinstance(value, HistoryParams):
        return {
            "k1": value.performance_k1,
            "k2": value.performance_k2,
            "tau1": value.fitness_tau_d,
            "tau2": value.fatigue_tau_d,
        }
    return value


def decode_value(key: ParameterKey, stored: Any) -> Any:
    return stored if key in _SCALARS else _parse_value(key, stored)


_SCALARS = frozenset(
    {
        ParameterKey.HRMAX,
        ParameterKey.HRREST,
        ParameterKey.WEIGHT,
        ParameterKey.THRESHOLD_HR,
        ParameterKey.LOAD_MODEL,
    }
)
