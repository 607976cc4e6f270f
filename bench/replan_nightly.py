"""The nightly re-plan of 1,000 runners' plans on one worker (issue #20 item 4, item 6).

    .venv/bin/python -m bench.replan_nightly [--runners 1000]

Builds the app on a fresh SQLite database and makes ``--runners`` runners, each with a
5 km best (so a CS), four weeks of easy running before the plan (225, 281 or 338 rTSS a
week), and an 8-week 10 km plan (the app's ``save_plan`` for the first few; the others a
copy of one of them, so the data is made in seconds rather than generating 1,000 plans,
which is not what is measured). A
third of the runners follow their plan for its first two weeks, a third miss week 2, a
third run 40 % over it. Then, on the last day of week 2, the queue's job
(``plans.replan.propose_due_on``, one process, one thread, each proposal its own
transaction) runs over all of them, and the script prints the runners per second, the
total time and how many proposals were made, with one proposal's diff of each kind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import tempfile
import time
from pathlib import Path

from tests.database import sqlite_template
from tests.plans.replan_data import make_plan, rebuild, run_week
from tests.settings import make_settings

from smartrunning.app import create_app
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes import bests as best_services
from smartrunning.athletes.models import Runner, Sex
from smartrunning.plans import replan
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.plans.replan_models import ReplanProposal
from smartrunning.platform.db import db

START = dt.date(2026, 3, 2)
WEEKS = 8
RACE = START + dt.timedelta(days=7 * WEEKS - 1)
TODAY = START + dt.timedelta(days=13)  # the last day of week 2
KINDS = ("follows", "misses week 2", "40 % over")
TEMPLATES = 3
DAY_FIELDS = (
    "date", "week", "kind", "slot", "hard", "workout_id", "workout_name", "zwo", "duration_s",
    "distance_m", "load", "targets", "notes",
)  # fmt: skip


def _copy(plan: Plan, runner: Runner) -> Plan:
    row = Plan(
        runner=runner,
        schema_name=plan.schema_name,
        schema_body=plan.schema_body,
        race_date=plan.race_date,
        race_distance_m=plan.race_distance_m,
        weeks=plan.weeks,
        start_date=plan.start_date,
        ics_token=f"bench-{runner.id}",
        warnings=plan.warnings,
        projection=plan.projection,
        generated_at=plan.generated_at,
    )
    row.days = [PlanDay(**{f: getattr(d, f) for f in DAY_FIELDS}) for d in plan.days]
    db.session.add(row)
    return row


def _history(runner: Runner, scale: float) -> None:
    for w in range(4, 0, -1):
        loads = [scale * x for x in (45, 0, 55, 0, 50, 75, 0)]
        run_week(runner.id, START - dt.timedelta(days=7 * w), loads)
    rebuild(runner, START - dt.timedelta(days=28))


def _sessions(runner: Runner, plan: Plan, kind: str) -> None:
    for week in range(2):
        loads = [0.0] * 7
        for day in plan.days:
            if day.week == week:
                loads[(day.date - START).days % 7] += day.load
        factor = 0.0 if (kind == KINDS[1] and week == 1) else 1.4 if kind == KINDS[2] else 1.0
        run_week(runner.id, START + dt.timedelta(days=7 * week), [x * factor for x in loads])
    rebuild(runner, START)


def build(count: int) -> dict[int, str]:
    """The runners, their plans and sessions; the kind of each plan by id."""
    kinds: dict[int, str] = {}
    templates: list[Plan] = []
    for i in range(count):
        runner = athlete_services.create_runner(
            f"Runner {i}", dt.date(1985, 1, 1) + dt.timedelta(days=37 * (i % 300)),
            Sex.FEMALE if i % 2 else Sex.MALE, created_by=None, today=START,
            onboarding_step=None,
        )  # fmt: skip
        db.session.flush()
        five_k = (20 + (i % 12)) * 60.0
        best_services.add_personal_best(
            runner, 5000.0, five_k, START - dt.timedelta(days=40), by=None, today=START
        )
        _history(runner, 1.0 + 0.25 * (i % TEMPLATES))  # 225, 281, 338 a week
        if len(templates) < TEMPLATES:
            plan = make_plan(runner, RACE, WEEKS, START - dt.timedelta(days=1))
            templates.append(plan)
        else:
            plan = _copy(templates[i % TEMPLATES], runner)
        db.session.flush()
        kind = KINDS[i % len(KINDS)]
        _sessions(runner, plan, kind)
        kinds[plan.id] = kind
        if i % 100 == 99:
            db.session.commit()
            print(f"  {i + 1} runners made", flush=True)
    db.session.commit()
    return kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runners", type=int, default=1000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        template = sqlite_template(base / "db")
        app = create_app(make_settings(base / "instance", template.url_for(base)))
        with app.app_context():
            began = time.perf_counter()
            kinds = build(args.runners)
            made_s = time.perf_counter() - began
            print(f"data: {args.runners} runners, plans and sessions made in {made_s:.1f} s")
        with app.app_context():
            began = time.perf_counter()
            seen, made = replan.propose_due_on(TODAY)
            total = time.perf_counter() - began
            rows = list(db.session.query(ReplanProposal).order_by(ReplanProposal.id))
            by_kind: dict[str, int] = {}
            shown: set[str] = set()
            for row in rows:
                kind = kinds[row.plan_id]
                by_kind[kind] = by_kind.get(kind, 0) + 1
                if kind not in shown:
                    shown.add(kind)
                    print(f"--- a runner who {kind}: proposal {row.id}")
                    for week in row.weeks:
                        print(f"    {week['text']}")
        print(
            f"nightly re-plan: {seen} plans at a week's end, {made} proposals "
            f"({', '.join(f'{k}: {n}' for k, n in sorted(by_kind.items()))}); "
            f"{total:.1f} s in all, {seen / total:.1f} runners/s, "
            f"{1000 * total / max(seen, 1):.0f} ms a runner (SQLite, one worker)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
