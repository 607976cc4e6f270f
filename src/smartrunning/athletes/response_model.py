"""The runner's response model (fitness-fatigue parameters) as the profile, API and CLI show it.

The fit needs the training history, which lives in a feature above this one; the app hands
in where it comes from (``set_response_source``; ``plans.response`` in the app), as it does
the plans' load for the history. Read-only: nothing here changes a plan or a parameter.
The app's source keeps the last fit per runner and fits again only when its inputs change
(``plans.response``), so a page view reads the stored fit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, cast

from flask import Flask, current_app

from smartrunning.athletes.models import Runner
from smartrunning.science.response import PerformanceSource, ResponseFit

__all__ = [
    "ResponseSource",
    "describe",
    "response_json",
    "response_model",
    "set_response_source",
]

_KEY = "smartrunning.response_source"
_SOURCE_WORDS = {
    PerformanceSource.RACE: "races and time trials",
    PerformanceSource.CRITICAL_SPEED: "critical-speed versions",
    PerformanceSource.SESSION_INDEX: "steady runs",
}


class ResponseSource(Protocol):
    def response_fit(self, runner: Runner, today: dt.date) -> ResponseFit:
        """The runner's response model on ``today`` (fitted, or population with why)."""
        ...


def set_response_source(app: Flask, source: ResponseSource) -> None:
    """Fit response models with ``source`` in ``app``."""
    app.extensions[_KEY] = source


def response_model(runner: Runner, today: dt.date) -> ResponseFit:
    """The runner's response model on ``today`` from the app's source."""
    source = cast("ResponseSource | None", current_app.extensions.get(_KEY))
    if source is None:
        raise RuntimeError("the app set no response source (set_response_source)")
    return source.response_fit(runner, today)


def _interval(fit: ResponseFit, name: str) -> list[float] | None:
    interval = fit.intervals.get(name)
    return None if interval is None else [interval.low, interval.high]


def response_json(fit: ResponseFit) -> dict[str, Any]:
    """The fit for the API and ``--json``: parameters (k in VDOT per unit of daily load,
    τ in days, p₀ in VDOT), their 95 % bootstrap intervals, quality and the reason."""
    p = fit.params
    return {
        "fitted": fit.fitted,
        "reason": fit.reason,
        "summary": describe(fit),
        "parameters": {
            "p0_vdot": p.p0,
            "k1": p.k1,
            "k2": p.k2,
            "tau1_d": p.tau1_d,
            "tau2_d": p.tau2_d,
        },
        "intervals": {name: _interval(fit, name) for name in ("k1", "k2", "tau1_d", "tau2_d")},
        "performances": fit.n,
        "span_d": fit.span_d,
        "rmse_vdot": fit.rmse,
        "r2": fit.r2,
        "held_out_rmse_vdot": fit.cv_rmse,
        "source_offsets_vdot": {s.value: v for s, v in fit.offsets.items()},
    }


def describe(fit: ResponseFit) -> str:
    """One line for people: "fitted (τ1 = 38 d [31–47], …)" or "population values: why"."""
    p = fit.params
    if not fit.fitted:
        return f"population values (τ1 = 42 d, τ2 = 7 d, k2 = 2 × k1): {fit.reason}"

    def with_interval(name: str, value: float, unit: str) -> str:
        interval = fit.intervals.get(name)
        band = "" if interval is None else f" [{interval.low:.0f}–{interval.high:.0f}]"
        return f"{value:.0f} {unit}{band}"

    ratio = p.k2 / p.k1
    sources = ", ".join(_SOURCE_WORDS[s] for s in PerformanceSource if s in fit.offsets)
    rmse = "" if fit.rmse is None else f", RMSE {fit.rmse:.2f} VDOT"
    return (
        f"fitted (τ1 = {with_interval('tau1_d', p.tau1_d, 'd')}, "
        f"τ2 = {with_interval('tau2_d', p.tau2_d, 'd')}, k2 = {ratio:.1f} × k1, "
        f"from {fit.n} performances over {fit.span_d} days{rmse})"
        + (f"; with offsets for {sources}" if sources else "")
    )
