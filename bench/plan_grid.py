"""Every limit on every plan of a grid of runners (issue #15 item 11): do generated plans
keep SCIENCE.md "Targets and limits" for all the runners the app takes?

    .venv/bin/python -m bench.plan_grid [--runners N] [--seed S] [--random R] [--show K]
    .venv/bin/python -m bench.plan_grid --replay '{"schema": "10k", ...}'

Pure core, no database. The runners:

- systematic: every level (``LEVELS``: CS, D′ and weekly running of a beginner, a
  recreational, a trained and an advanced runner) × age band (``AGES``: HRmax by HUNT,
  211 − 0.64 · age; 50 or older the 2:1 cycle, as the app's ``MASTERS_AGE``) × training days
  3–7 (``DAYS``, long run on Sunday) × race (5 km, 10 km, half marathon, marathon on their
  default templates) × plan weeks (``WEEKS``: from 3, all but one week taper for the
  marathon, to 24; None is the template's own length) × history: four steady weeks at the
  level's weekly running ("history"), or none at all ("none": no recent load, CTL 0, a
  beginner, as the app's ``runner_profile`` makes them);
- random (``--random``, default 1000): any CS 2.5–5.4 m/s, D′, age 16–85, 3–7 training days
  of the week with any long-run day, fewer sessions than days at times, 1–30 weeks, a race
  of any weekday and of a distance around its template's (0.6–1.5 ×), history steady,
  tired or fresh, stated on the profile only (CTL 0) or none, at times a measured LTHR, a
  VDOT from races, a CS change during the plan and a fitted response model.

``--runners N`` takes N of them: the whole systematic grid and then random ones, or, when
N is smaller than the grid, a seeded sample of it. Every runner is reproducible: its inputs
are printed as JSON, and ``--replay`` generates that runner's plan again and prints what
it breaks.

Each plan is checked by ``tests.core.plan_checks.limit_breaks`` (every limit of
"Targets and limits", the taper by ``science.plans.limits.taper_over_limits``); and, for
information, ``science.plans.limits.over_limits`` on every session without the checker's
3 % slack (the limits are applied to the week's distance before load moves into easy
running). Prints the plans generated, CPU per plan (generation and checks), and for each
limit the number of plans that break it with the first ``--show`` counterexamples. Exits 1
if any limit is broken (or the generator raised).
"""

from __future__ import annotations

import sys
from pathlib import Path

if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import contextlib
import datetime as dt
import itertools
import json
import multiprocessing
import random
import time
import traceback
from dataclasses import asdict, dataclass
from typing import Any, Final

from tests.core.plan_checks import LIMITS, limit_breaks
from tests.core.plan_inputs import DISTANCES, default_library, default_schema

from smartrunning.science.history import HistoryState
from smartrunning.science.plans import (
    CSVersion,
    DatedParameters,
    HRZonesVersion,
    Plan,
    PlanInputs,
    generate_plan,
    plan_start,
)
from smartrunning.science.plans.intensity import EASY_RUN_FRACTION, runner_vdot
from smartrunning.science.plans.limits import over_limits, session_limits
from smartrunning.science.response import K_VDOT_PER_LOAD, ResponseParams
from smartrunning.science.zones import HRZoneModel

RACE_DAY: Final = dt.date(2027, 4, 25)  # a Sunday
SINCE: Final = dt.date(2020, 1, 1)

LEVELS: Final = {
    # name: (CS m/s, D′ m, weekly running h)
    "beginner": (2.8, 120.0, 1.5),  # 5 km in ~31 min
    "recreational": (3.4, 170.0, 3.0),  # ~25 min
    "trained": (4.0, 210.0, 5.0),  # ~21 min
    "advanced": (4.6, 260.0, 8.0),  # ~18 min
}
AGES: Final = (35, 50, 70)
DAYS: Final = {
    3: (1, 3, 6),
    4: (1, 3, 5, 6),
    5: (1, 2, 3, 5, 6),
    6: (0, 1, 2, 3, 5, 6),
    7: (0, 1, 2, 3, 4, 5, 6),
}
WEEKS: Final = (3, 6, None, 16, 24)
HISTORIES: Final = ("history", "none")
MASTERS_AGE: Final = 50  # plans.actions.MASTERS_AGE
BEGINNER_WEEKLY_H: Final = 2.0  # plans.actions.BEGINNER_WEEKLY_S
ERROR: Final = "generator raised"
STRICT: Final = "limits.over_limits without slack (information)"


def weekly_load(hours: float) -> float:
    """rTSS of ``hours`` of easy running (as ``plans.actions`` scores stated running)."""
    return hours * EASY_RUN_FRACTION**2 * 100.0


@dataclass(frozen=True)
class GridRunner:
    """One runner of the grid, as JSON-able values (``inputs`` builds the plan's inputs)."""

    schema: str
    level: str
    cs_mps: float
    d_prime_m: float
    age: int
    days: tuple[int, ...]
    long_day: int
    history: str  # "history", "tired", "fresh", "stated" or "none"
    weekly_h: float
    weeks: int | None = None
    sessions: int | None = None  # None: one a training day
    race_km: float | None = None  # None: the template's distance
    race_shift_d: int = 0  # the race this many days after RACE_DAY (another weekday)
    lthr: bool = False
    vdot_factor: float | None = None  # a VDOT from races, × the CS model's
    cs_change: tuple[int, float] | None = None  # (days after the start, CS factor)
    response: tuple[float, float, float, float] | None = None  # k1, k2 (× K), τ₁, τ₂

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @staticmethod
    def from_json(text: str) -> GridRunner:
        raw: dict[str, Any] = json.loads(text)
        raw["days"] = tuple(raw["days"])
        for key in ("cs_change", "response"):
            if raw.get(key) is not None:
                raw[key] = tuple(raw[key])
        return GridRunner(**raw)

    def inputs(self) -> PlanInputs:
        race = RACE_DAY + dt.timedelta(days=self.race_shift_d)
        schema = default_schema(self.schema)
        hrmax = 211.0 - 0.64 * self.age  # HUNT
        vdot = None
        if self.vdot_factor is not None:
            vdot = runner_vdot(self.cs_mps, self.d_prime_m) * self.vdot_factor
        cs = [CSVersion(SINCE, self.cs_mps, self.d_prime_m, vdot=vdot)]
        if self.cs_change is not None:
            after, factor = self.cs_change
            start = plan_start(race, self.weeks or schema.total_weeks)
            cs.append(
                CSVersion(
                    start + dt.timedelta(days=after),
                    self.cs_mps * factor,
                    self.d_prime_m,
                    vdot=None if vdot is None else vdot * factor,
                )
            )
        zones = HRZonesVersion(
            SINCE, HRZoneModel().resolve(hrmax), hrmax, 0.9 * hrmax if self.lthr else None
        )
        load = weekly_load(self.weekly_h)
        if self.history in ("history", "tired", "fresh"):
            ctl = load / 7.0
            atl = {"history": ctl, "tired": 1.4 * ctl, "fresh": 0.6 * ctl}[self.history]
            state = HistoryState(ctl, atl, 0.0, 0.0, (ctl,) * 7, (ctl,) * 7)
            recent: float | None = load
            beginner = self.weekly_h < BEGINNER_WEEKLY_H
        else:
            state = HistoryState(0.0, 0.0, 0.0, 0.0, (0.0,) * 7, (0.0,) * 7)
            recent = load if self.history == "stated" else None
            beginner = self.history == "none" or self.weekly_h < BEGINNER_WEEKLY_H
        response = None
        if self.response is not None:
            k1, k2, tau1, tau2 = self.response
            response = ResponseParams(0.0, k1 * K_VDOT_PER_LOAD, k2 * K_VDOT_PER_LOAD, tau1, tau2)
        distance = DISTANCES[self.schema] if self.race_km is None else self.race_km * 1000.0
        return PlanInputs(
            schema=schema,
            race_date=race,
            race_distance_m=distance,
            training_days=frozenset(self.days),
            long_run_day=self.long_day,
            sessions_per_week=self.sessions or len(self.days),
            start_state=state,
            parameters=DatedParameters(cs=tuple(cs), hr_zones=(zones,)),
            library=default_library(),
            weeks=self.weeks,
            recent_weekly_load=recent,
            beginner=beginner,
            recovery_every=3 if self.age >= MASTERS_AGE else None,
            response=response,
        )


def systematic() -> list[GridRunner]:
    """Every level × age × training days × race × weeks × history (module doc)."""
    out = []
    for level, age, n, schema, weeks, history in itertools.product(
        LEVELS, AGES, DAYS, DISTANCES, WEEKS, HISTORIES
    ):
        cs, d_prime, hours = LEVELS[level]
        out.append(GridRunner(schema, level, cs, d_prime, age, DAYS[n], 6, history, hours, weeks))
    return out


def random_runner(rng: random.Random) -> GridRunner:
    """A runner of any kind the app takes (module doc)."""
    schema = rng.choice(list(DISTANCES))
    cs = round(rng.uniform(2.5, 5.4), 3)
    level = "random"
    d_prime = round(rng.uniform(60.0, 350.0), 1)
    n = rng.randint(3, 7)
    days = tuple(sorted(rng.sample(range(7), n)))
    history = rng.choice(["history", "history", "tired", "fresh", "stated", "none"])
    weekly_h = round(rng.uniform(0.3, 12.0) * cs / 4.0, 2)
    weeks = rng.choice([None, rng.randint(1, 30)])
    sessions = rng.choice([None, None, None, rng.randint(max(1, n - 2), n)])
    race_km = None
    if rng.random() < 0.3:
        race_km = round(DISTANCES[schema] / 1000.0 * rng.uniform(0.6, 1.5), 2)
    cs_change = None
    if rng.random() < 0.25:
        cs_change = (rng.randint(0, 7 * (weeks or 10)), round(rng.uniform(0.94, 1.06), 3))
    response = None
    if rng.random() < 0.25:
        response = (
            round(rng.uniform(0.3, 3.0), 3),
            round(rng.uniform(0.5, 6.0), 3),
            round(rng.uniform(20.0, 60.0), 1),
            round(rng.uniform(3.0, 15.0), 1),
        )
    return GridRunner(
        schema,
        level,
        cs,
        d_prime,
        rng.randint(16, 85),
        days,
        rng.choice(days),
        history,
        weekly_h,
        weeks,
        sessions,
        race_km,
        rng.randint(-3, 3),
        rng.random() < 0.3,
        round(rng.uniform(0.93, 1.05), 3) if rng.random() < 0.3 else None,
        cs_change,
        response,
    )


def runners(count: int | None, seed: int, extra: int) -> list[GridRunner]:
    rng = random.Random(seed)
    grid = systematic()
    total = len(grid) + extra if count is None else count
    if total < len(grid):
        return rng.sample(grid, total)
    return grid + [random_runner(rng) for _ in range(total - len(grid))]


def strict_breaks(plan: Plan, inputs: PlanInputs) -> list[str]:
    """``limits.over_limits`` on every session, without the checker's slack."""
    out = []
    for week in plan.weeks:
        limits = session_limits(week.distance_m)
        for day in plan.days:
            if day.week == week.index and not day.is_race:
                params = inputs.parameters(day.date)
                for what in over_limits(day.workout, params, day.speed_mps, limits):
                    out.append(f"{day.date} {day.workout.name}: {what}")
    return out


Outcome = tuple[GridRunner, list[tuple[str, str]], float, float]
"""(runner, [(limit, what)], generation CPU s, check CPU s); generation < 0: it raised."""


def check_one(runner: GridRunner) -> Outcome:
    inputs = runner.inputs()
    t0 = time.process_time()
    try:
        plan = generate_plan(inputs)
    except Exception as exc:  # every failure is a finding
        last = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        return runner, [(ERROR, f"{type(exc).__name__}: {exc} ({where})")], -1.0, 0.0
    t1 = time.process_time()
    breaks = limit_breaks(plan, inputs)
    strict = strict_breaks(plan, inputs)
    if strict:
        breaks.append((STRICT, "; ".join(strict)))
    return runner, breaks, t1 - t0, time.process_time() - t1


def run(
    grid: list[GridRunner], jobs: int, progress: bool
) -> tuple[dict[str, list[tuple[GridRunner, str]]], float, float, int]:
    """(limit: [(runner, what)] in the grid's order, generation CPU s, check CPU s, plans
    generated), over ``jobs`` processes."""
    found: dict[str, list[tuple[GridRunner, str]]] = {k: [] for k in (*LIMITS, ERROR, STRICT)}
    generating = checking = 0.0
    plans = 0
    with multiprocessing.Pool(jobs) if jobs > 1 else contextlib.nullcontext() as pool:
        outcomes = pool.imap(check_one, grid, chunksize=8) if pool else map(check_one, grid)
        for i, (runner, breaks, gen_s, check_s) in enumerate(outcomes):
            if gen_s >= 0:
                plans += 1
                generating += gen_s
                checking += check_s
            for name in dict.fromkeys(name for name, _what in breaks):
                what = "; ".join(w for n, w in breaks if n == name)
                found[name].append((runner, what))
            if progress and (i + 1) % 250 == 0:
                broken = sum(len(v) for k, v in found.items() if k != STRICT)
                print(f"  … {i + 1} runners, {broken} breaks", file=sys.stderr, flush=True)
    return found, generating, checking, plans


def report(found: dict[str, list[tuple[GridRunner, str]]], show: int) -> bool:
    """Prints the table and the first ``show`` counterexamples; True when any is broken."""
    width = max(len(k) for k in found)
    print(f"\n{'limit':<{width}}  plans breaking it")
    for name, hits in found.items():
        print(f"{name:<{width}}  {len(hits)}")
    broken = False
    for name, hits in found.items():
        if not hits:
            continue
        broken = broken or name != STRICT
        print(f"\n{name}: {len(hits)} plans; the first {min(show, len(hits))}:")
        for runner, what in hits[:show]:
            print(f"  {runner.to_json()}")
            print(f"    {what[:600]}")
    return broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runners", type=int, default=None, help="runners in all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--random", type=int, default=1000, help="random runners after the grid")
    parser.add_argument("--show", type=int, default=3, help="counterexamples shown per limit")
    parser.add_argument("--replay", help="one runner's JSON as printed")
    parser.add_argument("--jobs", type=int, default=1, help="processes (CPU is per plan)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.replay:
        grid = [GridRunner.from_json(args.replay)]
    else:
        grid = runners(args.runners, args.seed, args.random)
    size = len(systematic())
    print(
        f"plan grid: seed {args.seed}, {len(grid)} runners "
        f"(systematic grid {size}: {len(LEVELS)} levels × {len(AGES)} ages × {len(DAYS)} "
        f"training-day counts × {len(DISTANCES)} races × {len(WEEKS)} lengths × "
        f"{len(HISTORIES)} histories)"
    )
    wall = time.perf_counter()
    found, generating, checking, plans = run(grid, args.jobs, not args.quiet)
    wall = time.perf_counter() - wall
    print(f"plans generated: {plans} of {len(grid)} runners ({len(found[ERROR])} raised)")
    if plans:
        print(
            f"CPU per plan: {generating / plans:.3f} s generating, {checking / plans:.4f} s "
            f"checking; wall {wall:.0f} s in all"
        )
    return 1 if report(found, args.show) else 0


if __name__ == "__main__":
    sys.exit(main())
