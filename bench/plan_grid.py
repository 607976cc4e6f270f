"""Every limit on every plan of a grid of runners (issue #15 item 11): do generated plans
keep SCIENCE.md "Targets and limits" for all the runners the app takes?

    .venv/bin/python -m bench.plan_grid [--runners N] [--seed S] [--random R] [--show K]
    .venv/bin/python -m bench.plan_grid --replay '{"schema": "10k", ...}'

Pure core, no database. The runners:

- systematic (``tests.core.plan_grid``, as are the runners' inputs): every level
  (``LEVELS``: CS, D′ and weekly running of a beginner, a recreational, a trained and an
  advanced runner) × age band (``AGES``: HRmax by HUNT, 211 − 0.64 · age; 50 or older the
  2:1 cycle, as the app's ``MASTERS_AGE``) × training days 3–7 (``DAYS``, long run on
  Sunday) × race (5 km, 10 km, half marathon, marathon on their default templates) × plan
  weeks (``WEEKS``: from 3, all but one week taper for the marathon, to 24; None is the
  template's own length) × history: four steady weeks at the level's weekly running
  ("history"), or none at all ("none": no recent load, CTL 0, a beginner, as the app's
  ``runner_profile`` makes them);
- random (``--random``, default 1000): any CS 2.5–5.4 m/s, D′, age 16–85, 3–7 training days
  of the week with any long-run day, fewer sessions than days at times, 1–30 weeks, a race
  of any weekday and of a distance around its template's (0.6–1.5 ×), history steady,
  tired or fresh, stated on the profile only (CTL 0) or none, at times a measured LTHR, a
  VDOT from races, a CS change during the plan and a fitted response model.

``--runners N`` takes N of them: the whole systematic grid and then random ones, or, when
N is smaller than the grid, a seeded sample of it; they run in a seeded shuffled order, and
``--minutes M`` takes no more after M minutes (a spread of the grid all the same). Every
runner is reproducible: its inputs are printed as JSON, and ``--replay`` generates that
runner's plan again and prints what it breaks.

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
import collections
import contextlib
import multiprocessing
import random
import time
import traceback
from typing import Final

from tests.core.plan_checks import LIMITS, limit_breaks
from tests.core.plan_grid import (
    AGES,
    DAYS,
    HISTORIES,
    LEVELS,
    WEEKS,
    GridRunner,
    random_runner,
    systematic,
)
from tests.core.plan_inputs import DISTANCES

from smartrunning.science.plans import Plan, PlanInputs, generate_plan
from smartrunning.science.plans.limits import over_limits, session_limits

ERROR: Final = "generator raised"
STRICT: Final = "limits.over_limits without slack (information)"


def runners(count: int | None, seed: int, extra: int) -> list[GridRunner]:
    """The grid and ``extra`` random runners (or ``count`` in all: the grid first), in a
    seeded shuffled order, so that any first part of them spreads over the grid."""
    rng = random.Random(seed)
    grid = systematic()
    total = len(grid) + extra if count is None else count
    if total < len(grid):
        return rng.sample(grid, total)
    out = grid + [random_runner(rng) for _ in range(total - len(grid))]
    rng.shuffle(out)
    return out


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
    grid: list[GridRunner], jobs: int, progress: bool, minutes: float | None = None
) -> tuple[dict[str, list[tuple[GridRunner, str]]], float, float, int, int]:
    """(limit: [(runner, what)] in the grid's order, generation CPU s, check CPU s, plans
    generated, runners tried), over ``jobs`` processes; no runner taken after ``minutes``."""
    found: dict[str, list[tuple[GridRunner, str]]] = {k: [] for k in (*LIMITS, ERROR, STRICT)}
    generating = checking = 0.0
    plans = tried = 0
    until = None if minutes is None else time.monotonic() + 60.0 * minutes
    with multiprocessing.Pool(jobs) if jobs > 1 else contextlib.nullcontext() as pool:
        outcomes = pool.imap(check_one, grid, chunksize=4) if pool else map(check_one, grid)
        for i, (runner, breaks, gen_s, check_s) in enumerate(outcomes):
            tried = i + 1
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
            if until is not None and time.monotonic() > until:
                break  # the pool's workers end with it
    return found, generating, checking, plans, tried


def _length(runner: GridRunner) -> str:
    weeks = runner.weeks
    return "template" if weeks is None else "≤ 6 wk" if weeks <= 6 else "> 6 wk"


def spread(hits: list[GridRunner]) -> str:
    """How the runners breaking a limit spread over history, plan length, race and days."""
    parts = []
    for label, key in (
        ("history", lambda r: r.history),
        ("length", _length),
        ("race", lambda r: r.schema),
        ("days", lambda r: str(len(r.days))),
    ):
        counts = collections.Counter(key(r) for r in hits)
        parts.append(f"{label} " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
    return "; ".join(parts)


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
        print(f"  {spread([r for r, _what in hits])}")
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
    parser.add_argument("--minutes", type=float, help="take no more runners after this long")
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
    found, generating, checking, plans, tried = run(grid, args.jobs, not args.quiet, args.minutes)
    wall = time.perf_counter() - wall
    if tried < len(grid):
        print(f"stopped after {args.minutes:g} min: {tried} of the {len(grid)} runners tried")
    print(f"plans generated: {plans} of {tried} runners ({len(found[ERROR])} raised)")
    print(f"runners tried: {spread(grid[:tried])}")
    if plans:
        print(
            f"CPU per plan: {generating / plans:.3f} s generating, {checking / plans:.4f} s "
            f"checking; wall {wall:.0f} s in all"
        )
    return 1 if report(found, args.show) else 0


if __name__ == "__main__":
    sys.exit(main())
