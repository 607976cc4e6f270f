"""Backtest of the fitted response model against the population model, Riegel and VDOT.

    .venv/bin/python bench/backtest_response.py [--runners 30] [--seed 1] [--no-index]

A generated cohort: each runner has known Banister parameters (τ₁ 25–55 d, τ₂ 4–12 d, k₁
around the population's on the VDOT scale, k₂/k₁ 1.5–3, p₀ 35–55 VDOT), two years of
training (a weekly pattern, 4-week blocks with a recovery week, a season, a few weeks
off each year, sickness breaks, the runner's own volume) and races every 5–10 weeks at 5 km,
10 km or the half marathon, whose VDOT is the model's on race day plus noise (SD 0.7 VDOT,
~1.5 % of speed). With the index (default) each runner also has a steady-run index every
week (the model's value − 2 ± 1 VDOT for the runner, SD 1.5).

For every race after the runner's first, each model predicts its time from what came
before race day only:

- fitted: ``science.response.fit_response`` on the loads and performances before the race
  (its result as used: the runner's own parameters when the rule lets it fit, else the
  population values with p₀ fitted);
- population: k₁ = 1, k₂ = 2, τ₁ = 42, τ₂ = 7 on the same scale, p₀ fitted to the same data;
- Riegel and VDOT from the last race before it (``science.predictions``).

Prints the mean absolute error of the predicted time (%), its RMSE in VDOT, and for how many
predictions the fit was used, whatever the figures are.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py shares its name with a standard-library package; run as a script, this
# folder comes first on sys.path and would shadow it (see bench/http.py).
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    del sys.path[0]

import argparse
import datetime as dt
import math
import time
from dataclasses import dataclass

import numpy as np

from smartrunning.science.predictions import riegel_time_s, vdot, vdot_time_s
from smartrunning.science.response import (
    K_VDOT_PER_LOAD,
    Performance,
    PerformanceSource,
    ResponseParams,
    SufficiencyRule,
    fit_response,
    predict,
)

DAY0 = dt.date(2023, 1, 2)
DAYS = 730
RACE_DISTANCES_M = (5000.0, 10000.0, 21097.5)
RACE_SD_VDOT = 0.7
INDEX_SD_VDOT = 1.5
_WEEK = np.array([0.0, 1.0, 0.7, 1.2, 0.0, 0.8, 1.8])


@dataclass(frozen=True)
class Race:
    date: dt.date
    distance_m: float
    time_s: float

    @property
    def vdot(self) -> float:
        return vdot(self.distance_m, self.time_s)


@dataclass(frozen=True)
class Runner:
    params: ResponseParams
    loads: np.ndarray
    races: list[Race]
    index: list[Performance]


def make_runner(rng: np.random.Generator, with_index: bool) -> Runner:
    k1 = K_VDOT_PER_LOAD * float(rng.lognormal(0.0, 0.3))
    params = ResponseParams(
        p0=float(rng.uniform(35.0, 55.0)),
        k1=k1,
        k2=k1 * float(rng.uniform(1.5, 3.0)),
        tau1_d=float(rng.uniform(25.0, 55.0)),
        tau2_d=float(rng.uniform(4.0, 12.0)),
    )
    d = np.arange(DAYS)
    volume = float(rng.uniform(25.0, 60.0))  # rTSS on an ordinary day
    block = np.where(d // 7 % 4 == 3, 0.65, 0.8 + 0.1 * (d // 7 % 4))
    season = 0.8 + 0.3 * np.sin(d / 120.0 + rng.uniform(0, 2 * math.pi))
    off_start = int(rng.integers(300, 335))
    off = np.where((d % 365 >= off_start) & (d % 365 < off_start + 28), 0.2, 1.0)
    loads = volume * _WEEK[d % 7] * block * season * off * rng.uniform(0.6, 1.4, DAYS)
    for _ in range(int(rng.integers(0, 3))):  # a sickness or injury break
        start = int(rng.integers(0, DAYS - 14))
        loads[start : start + int(rng.integers(5, 15))] = 0.0
    races = []
    day = int(rng.integers(60, 100))
    while day < DAYS:
        distance = float(rng.choice(RACE_DISTANCES_M))
        date = DAY0 + dt.timedelta(days=day)
        level = float(predict(params, loads, DAY0, [date])[0]) + rng.normal(0.0, RACE_SD_VDOT)
        races.append(Race(date, distance, vdot_time_s(level, distance)))
        loads[day] += 120.0 if distance > 15000 else 70.0  # the race itself
        day += int(rng.integers(35, 71))
    index = []
    if with_index:
        bias = -2.0 + float(rng.normal(0.0, 1.0))
        days = [DAY0 + dt.timedelta(days=k) for k in range(30, DAYS, 7)]
        values = predict(params, loads, DAY0, days) + bias
        values = values + rng.normal(0.0, INDEX_SD_VDOT, len(days))
        index = [
            Performance(day, float(v), PerformanceSource.SESSION_INDEX)
            for day, v in zip(days, values, strict=True)
        ]
    return Runner(params, loads, races, index)


def run(n_runners: int, seed: int, with_index: bool) -> None:
    rng = np.random.default_rng(seed)
    rule = SufficiencyRule(bootstrap=0)
    errors: dict[str, list[float]] = {m: [] for m in ("fitted", "population", "riegel", "vdot")}
    vdot_errors: dict[str, list[float]] = {m: [] for m in errors}
    used = 0
    fitted_errors: dict[str, list[float]] = {"fitted": [], "population": []}
    started = time.perf_counter()
    n_fits = 0
    for _ in range(n_runners):
        runner = make_runner(rng, with_index)
        for i, race in enumerate(runner.races[1:], start=1):
            before = [
                Performance(r.date, r.vdot, PerformanceSource.RACE) for r in runner.races[:i]
            ] + [p for p in runner.index if p.date < race.date]
            cut = (race.date - DAY0).days
            fit = fit_response(runner.loads[:cut], DAY0, before, rule)
            n_fits += 1
            population = fit_response(
                runner.loads[:cut], DAY0, before, SufficiencyRule(min_performances=10**9)
            )
            last = runner.races[i - 1]
            predicted_vdot = {
                "fitted": _race_vdot(fit.params, runner, race),
                "population": _race_vdot(population.params, runner, race),
                "riegel": vdot(
                    race.distance_m,
                    riegel_time_s(last.time_s, last.distance_m, race.distance_m),
                ),
                "vdot": last.vdot,
            }
            for model, level in predicted_vdot.items():
                time_s = vdot_time_s(level, race.distance_m)
                errors[model].append(abs(time_s - race.time_s) / race.time_s * 100.0)
                vdot_errors[model].append(level - race.vdot)
            if fit.fitted:
                used += 1
                fitted_errors["fitted"].append(errors["fitted"][-1])
                fitted_errors["population"].append(errors["population"][-1])
    elapsed = time.perf_counter() - started
    n = len(errors["fitted"])
    print(
        f"cohort: {n_runners} runners, seed {seed}, "
        f"{'races and a weekly steady-run index' if with_index else 'races only'}; "
        f"{n} races predicted from what came before them ({elapsed:.1f} s, "
        f"{elapsed / max(n_fits, 1) * 1000:.0f} ms a fit with its cross-validation)"
    )
    print(f"{'model':<12}{'MAE time %':>12}{'RMSE VDOT':>12}{'bias VDOT':>12}")
    for model in errors:
        mae = float(np.mean(errors[model]))
        rmse = float(math.sqrt(np.mean(np.square(vdot_errors[model]))))
        bias = float(np.mean(vdot_errors[model]))
        print(f"{model:<12}{mae:>12.2f}{rmse:>12.2f}{bias:>12.2f}")
    print(f"the fit was used for {used} of {n} predictions (else the population values)")
    if used:
        print(
            f"  on those {used}: fitted MAE {np.mean(fitted_errors['fitted']):.2f} %, "
            f"population {np.mean(fitted_errors['population']):.2f} %"
        )


def _race_vdot(params: ResponseParams, runner: Runner, race: Race) -> float:
    """The model's race-day VDOT from the loads before it. Races are the reference source
    whenever there is one, so their predictions carry no offset."""
    cut = (race.date - DAY0).days
    return float(predict(params, runner.loads[:cut], DAY0, [race.date])[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-index", action="store_true", help="races only")
    args = parser.parse_args()
    run(args.runners, args.seed, with_index=not args.no_index)


if __name__ == "__main__":
    main()
