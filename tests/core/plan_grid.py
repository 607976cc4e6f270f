"""Runners for the plan-limit grid (issue #15 item 11), shared by bench/plan_grid.py and
tests/core/test_plan_grid.py: ``GridRunner`` (JSON-able values, so a counterexample is
reproduced from its printed line) and its ``inputs`` as the app's ``plans.actions.generate``
would make them; ``systematic`` (every level × age band × training days × race × plan
length × history) and ``random_runner`` (any runner the app takes)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from dataclasses import asdict, dataclass
from typing import Any, Final

from smartrunning.science.history import HistoryState
from smartrunning.science.plans import (
    CSVersion,
    DatedParameters,
    HRZonesVersion,
    PlanInputs,
    plan_start,
)
from smartrunning.science.plans.intensity import EASY_RUN_FRACTION, runner_vdot
from smartrunning.science.plans.limits import MIN_SESSIONS
from smartrunning.science.response import K_VDOT_PER_LOAD, ResponseParams
from smartrunning.science.zones import HRZoneModel
from tests.core.plan_inputs import DISTANCES, default_library, default_schema

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
    sessions = rng.choice([None, None, None, rng.randint(max(MIN_SESSIONS, n - 2), n)])
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
