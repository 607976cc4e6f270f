"""Four runners as an expert coach would try them (issue #15 "Done when"): our figures
beside the sources'.

    .venv/bin/python -m bench.four_runners [--hot-hr]

Builds the app on a fresh SQLite database, creates a beginner, a masters runner (62), a
5 km specialist and a sub-3 marathoner, each with four weeks of generated uploads (the
tests' synthetic run, ``tests.core.fitgen.synthetic_run``, its speed scaled to the runner
and its heart rate to the runner's HRmax: steady running at 75 %, 3-min reps at 88 %;
``--hot-hr`` keeps the generator's own, hotter heart rate, under which the app's "maximal
by heart rate" rule takes training reps and runs as maximal efforts) and race results
entered as personal bests,
then makes a plan toward a race for each with the app's own plan action
(``plans.actions.save_plan``, as the pages and API do) and prints, per runner:

- CS (m/s and pace) and what it rests on (``athletes.bests.cs_basis``), VDOT;
- our E/M/T/I/R paces as planned (the plan's step targets, grouped by Daniels' intensity of
  each step) beside Daniels' band for that VDOT by the project's implementation
  (``plans.intensity.speed_at_share``; E with its middle) and beside Daniels' table (SOURCE
  below); easy and long runs apart from recovery runs, and on rows of their own the jog
  recoveries between repetitions and hill repetitions (grade-adjusted effort);
- heart-rate targets per intensity as planned (bpm and % HRmax) beside Daniels' %HRmax;
- the predicted race time beside Daniels' VDOT equivalent (``predictions.vdot_time_s``) and
  Daniels' table 3.1 where hard-coded;
- the plan's weeks, peak week, long run (km, time, share of the week) against Daniels'
  30 % and the race's duration cap (Pfitzinger's marathon plans peak at 32–35 km),
  quality sessions a week against ``week.quality_limit``, the largest weekly growth,
  the taper (chosen length and depth, its volume against Bosquet et al. 2007: −41–60 %,
  sessions kept, race-day form; ``limits.taper_over_limits``), the plan's warnings;
- the limits: ``science.plans.limits.over_limits`` on every session, and the test suite's
  checker of every stated limit (``tests.core.test_plans_limits.assert_every_limit``);
- for the 5 km specialist, "a coach's measured value is never silently replaced": a measured
  CS entered, then two time trials uploaded and marked as such whose fit differs; the CS in
  force after them and the open suggestion with its evidence (``measured_is_kept``).

The plan inputs are captured by wrapping ``science.plans.generate_plan`` while the app's
action runs (no application code changed). Prints what it finds, whatever it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/http.py shares its name with a standard-library package; run as a script, this
# folder comes first on sys.path. The repository root takes its place, for tests.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

import datetime as dt
import logging
import math
import tempfile
import traceback
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import sqlalchemy as sa
from tests.core.fitgen import synthetic_run
from tests.core.fitwriter import Segment, encode_activity
from tests.core.plan_checks import assert_every_limit
from tests.database import sqlite_template
from tests.sessions.sessiondata import import_inline
from tests.settings import make_settings

import smartrunning.science.plans as sp
from smartrunning.app import create_app
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import suggestions as suggestion_services
from smartrunning.athletes.models import (
    BestKind,
    ParameterKey,
    ParameterSource,
    PersonalBest,
    Runner,
    Sex,
)
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.plans.stored import taper_json, taper_text
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.science.plans.intensity import race_speed, speed_at_share
from smartrunning.science.plans.kinds import LONG_RUN_MAX_S
from smartrunning.science.plans.limits import (
    LONG_SHARE,
    over_limits,
    session_limits,
    taper_over_limits,
)
from smartrunning.science.plans.targets import step_intensity
from smartrunning.science.plans.week import quality_limit
from smartrunning.science.predictions import vdot, vdot_time_s
from smartrunning.sessions import actions as session_actions
from smartrunning.workouts import imports as workout_imports

TODAY = dt.date(2026, 12, 7)
HOT_HR = "--hot-hr" in sys.argv[1:]
LONG_SLOT = "long"

SOURCE = (
    "Daniels' Running Formula (3rd ed.), VDOT training-pace table (per km; E as a range, "
    "I and R from the 400 m times), values as recalled for this bench, not re-checked "
    "against the book in this session"
)
DANIELS_PACES: dict[int, dict[str, str]] = {
    30: {"E": "7:27-8:14", "M": "7:03", "T": "6:24", "I": "5:55", "R": "5:40"},
    45: {"E": "5:35-6:08", "M": "5:01", "T": "4:38", "I": "4:15", "R": "4:00"},
    53: {"E": "4:52-5:23", "M": "4:17", "T": "4:02", "I": "3:43", "R": "3:30"},
    59: {"E": "4:27-4:56", "M": "3:55", "T": "3:41", "I": "3:23", "R": "3:10"},
}
# Daniels' Running Formula table 3.1 (Daniels & Gilbert equivalents), VDOT 30 / 40 / 50.
DANIELS_RACES = {
    30: {5000.0: "30:40", 10000.0: "63:46", 21097.5: "2:21:04", 42195.0: "4:49:17"},
    40: {5000.0: "24:08", 10000.0: "50:03", 21097.5: "1:50:59", 42195.0: "3:49:45"},
    50: {5000.0: "19:57", 10000.0: "41:21", 21097.5: "1:31:35", 42195.0: "3:10:49"},
}
# Daniels' %HRmax per intensity (the sources SCIENCE.md cites; also intensity.py).
DANIELS_HR = {"E": "65-79 %", "M": "80-90 %", "T": "88-92 %", "I": "98-100 %", "R": "pace only"}
# Daniels' shares of VO2max (VDOT) per intensity (intensity.py module doc).
SHARES = {
    "E": (0.59, 0.74),
    "M": (0.75, 0.84),
    "T": (0.83, 0.88),
    "I": (0.95, 1.00),
    "R": (1.05, 1.20),
}
BOSQUET = (0.41, 0.60)
RECOVERY, JOG, HILLS = "recovery", "jog", "hills"
LABELS = {
    "E": "E easy/long",
    RECOVERY: "E recovery runs",
    JOG: "jog between reps",
    HILLS: "hill reps (GAP)",
}
"""Rows of the pace table: Daniels' intensities of flat running, easy and long runs apart
from recovery runs; the jog recoveries between repetitions (not easy running) and hill
repetitions (their intensity is effort, grade-adjusted: slower uphill) on rows of their own."""


@dataclass(frozen=True)
class Case:
    label: str
    name: str
    birth: dt.date
    sex: Sex
    bests: tuple[tuple[float, float], ...]  # (distance m, time s)
    schema: str
    race_m: float
    days: frozenset[int]
    weeks_of_runs: tuple[int, ...]  # weekday offsets of the uploads in each week
    run_s: int
    long_s: int
    easy_mps: float  # the speed the uploads' steady part is scaled to
    table_vdot: int


CASES = (
    Case("Beginner", "Bea Beginner", dt.date(1990, 5, 1), Sex.FEMALE,
         ((10000.0, 65 * 60.0),), "10 km", 10000.0, frozenset({1, 3, 6}),
         (1, 3, 6), 1800, 2700, 2.25, 30),
    Case("Masters, 62", "Max Masters", dt.date(1964, 6, 1), Sex.MALE,
         ((10000.0, 48 * 60.0),), "Half marathon", 21097.5, frozenset({1, 3, 5, 6}),
         (1, 3, 5, 6), 2700, 4800, 2.95, 45),
    Case("5 km specialist", "Fay Five", dt.date(1998, 2, 1), Sex.FEMALE,
         ((5000.0, 17 * 60 + 30.0), (3000.0, 10 * 60 + 5.0)), "5 km", 5000.0,
         frozenset({1, 2, 3, 5, 6}), (1, 2, 3, 5, 6), 3000, 4800, 3.65, 59),
    Case("Sub-3 marathoner", "Sam Subthree", dt.date(1988, 9, 1), Sex.MALE,
         ((21097.5, 84 * 60.0), (42195.0, 2 * 3600 + 58 * 60 + 30.0)), "Marathon", 42195.0,
         frozenset({0, 1, 2, 3, 5, 6}), (0, 1, 2, 3, 5, 6), 3600, 7200, 3.55, 53),
)  # fmt: skip


def pace(speed_mps: float) -> str:
    if not math.isfinite(speed_mps) or speed_mps <= 0:
        return "-"
    s = round(1000.0 / speed_mps)
    return f"{s // 60}:{s % 60:02d}"


def pace_s(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "-"
    s = round(seconds)
    return f"{s // 60}:{s % 60:02d}"


def hms(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else pace_s(s)


def upload(case: Case, day: dt.date, seconds: int, seed: int, hrmax: float) -> bytes:
    """The synthetic run on ``day``, its speed scaled so its steady part (3.3 m/s) is
    ``case.easy_mps`` and its heart rate mapped onto the runner's HRmax."""
    start = dt.datetime.combine(day, dt.time(7), dt.UTC)
    records = synthetic_run(seconds, start=start, seed=seed)
    factor = case.easy_mps / 3.3
    hr = records.heart_rate_bpm
    if HOT_HR:
        # The generator's heart rate as it is (70 + 28 v, ~160 at its steady part), 190 bpm
        # mapped onto HRmax: steady running near 86 % HRmax, its 3-min reps near 93 %.
        scaled_hr = 60.0 + (hr - 60.0) * (hrmax - 60.0) / (190.0 - 60.0)
    else:
        # Steady part (162 bpm in the generator) at 75 % HRmax, the reps (185) at 88 %.
        scaled_hr = hrmax * (0.75 + (hr - 162.4) / (184.8 - 162.4) * 0.13)
    records = replace(
        records,
        distance_m=records.distance_m * factor,
        speed_mps=records.speed_mps * factor,
        heart_rate_bpm=np.clip(scaled_hr, 50.0, hrmax),
    )
    return encode_activity([Segment(records)])


def make_runner(app: Any, case: Case) -> int:
    with app.app_context():
        runner = athlete_services.create_runner(
            case.name, case.birth, case.sex, created_by=None, today=TODAY, onboarding_step=None
        )
        db.session.commit()
        runner_id = int(runner.id)
        hrmax = 211.0 - 0.64 * ((TODAY - case.birth).days / 365.25)
    files = []
    first = TODAY - dt.timedelta(days=28)
    monday = first - dt.timedelta(days=first.weekday())
    seed = 1
    for week in range(5):
        for offset in case.weeks_of_runs:
            day = monday + dt.timedelta(days=7 * week + offset)
            if not (first <= day < TODAY):
                continue
            seconds = case.long_s if offset == 6 else case.run_s
            files.append((f"run-{day}.fit", upload(case, day, seconds, seed, hrmax)))
            seed += 1
    import_inline(app, runner_id, files)
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        for k, (distance, time_s) in enumerate(case.bests):
            best_services.add_personal_best(
                runner, distance, time_s, TODAY - dt.timedelta(days=21 + 14 * k),
                by=None, today=TODAY, event_name=f"{case.label} race {k + 1}",
            )  # fmt: skip
        db.session.commit()
    return runner_id


def race_date(weeks: int) -> dt.date:
    day = TODAY + dt.timedelta(weeks=weeks, days=7)
    return day + dt.timedelta(days=(6 - day.weekday()) % 7)


def report(app: Any, case: Case, runner_id: int) -> list[str]:
    captured: list[sp.PlanInputs] = []
    real = sp.generate_plan

    def capture(inputs: sp.PlanInputs) -> sp.Plan:
        captured.append(inputs)
        return real(inputs)

    out: list[str] = []
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        schema = plan_schemas.schema_by_name(case.schema)
        weeks = plan_schemas.parse_row(schema).total_weeks
        request = plan_services.GenerateRequest(
            race_date(weeks), case.race_m, None, case.days, 6, len(case.days), TODAY
        )
        sp.generate_plan = capture
        try:
            row = plan_services.save_plan(runner, schema, request, created_by=None)
        finally:
            sp.generate_plan = real
        db.session.commit()
        inputs = captured[-1]
        plan = real(inputs)
        basis = best_services.cs_basis(runner, plan.start)
        warnings = list(row.warnings or [])
        anchors = [
            f"{b.distance_m:.0f} m {hms(b.time_s)} "
            f"({b.kind.value}{', ' + b.evidence if b.evidence else ''})"
            for b in db.session.execute(
                sa.select(PersonalBest)
                .where(PersonalBest.runner_id == runner_id, PersonalBest.anchor.is_(True))
                .order_by(PersonalBest.distance_m)
            ).scalars()
            if b.deleted_at is None
        ]
        projection_basis = (row.projection or {}).get("basis", {})
    params = inputs.parameters(plan.start)
    cs, level, hrmax = params.cs_mps, params.level, params.hr_max
    assert cs is not None
    assert level is not None
    assert hrmax is not None
    bests = ", ".join(f"{d / 1000:g} km {hms(t)} (VDOT {vdot(d, t):.1f})" for d, t in case.bests)
    out.append(f"== {case.label}: {case.name}, born {case.birth}, {len(case.days)} days/week, "
               f"{case.schema} on {plan.race_date} ==")  # fmt: skip
    out.append(f"Race results entered: {bests}")
    out.append(
        f"CS {cs:.2f} m/s ({pace(cs)}/km), D' {params.d_prime_m:.0f} m; basis: "
        f"{basis['basis']} ({basis['message']})"
    )
    out.append(f"Bests that anchor CS ({len(anchors)}): " + "; ".join(anchors))
    out.append(
        f"VDOT used {level:.1f}; HRmax {hrmax:.0f} bpm; level: "
        f"{projection_basis.get('level', {}).get('text', '-')}"
    )
    out.append(f"HR basis: {projection_basis.get('heart_rate', '-')}")
    # Planned paces and HR by Daniels' intensity of each step's target; easy runs apart
    # from recovery runs, jog recoveries between reps and hill reps (run by effort).
    paces: dict[str, list[float]] = {}
    hrs: dict[str, list[float]] = {}
    for day in plan.days:
        for t in day.targets:
            low, high = t.intensity
            if high <= 0 or abs(high - low) > 1e-9:
                continue
            found = step_intensity(high, params)
            if found is None:
                continue
            group = found.value
            if t.part == "off":
                group = JOG
            elif day.kind == "hills" and t.part == "on":
                group = HILLS
            elif group == "E" and day.kind == "recovery":
                group = RECOVERY
            paces.setdefault(group, []).append(1000.0 / (high * cs))
            if t.hr_bpm is not None:
                hrs.setdefault(group, []).extend(t.hr_bpm)
    table = DANIELS_PACES[case.table_vdot]
    out.append(
        f"{'':16} {'planned pace/km':>16} {'Daniels @VDOT ' + format(level, '.1f'):>28} "
        f"{'table VDOT ' + str(case.table_vdot):>14} {'planned HR bpm':>15} {'% HRmax':>10} "
        f"{'Daniels %HRmax':>15}"
    )
    for k in ("E", RECOVERY, "M", "T", "I", "R", JOG, HILLS):
        band = "E" if k == RECOVERY else k
        ours = paces.get(k, [])
        ours_text = (
            f"{pace_s(min(ours))}-{pace_s(max(ours))}" if len(set(ours)) > 1
            else (pace_s(ours[0]) if ours else "none")
        )  # fmt: skip
        if band in SHARES:
            lo_share, hi_share = SHARES[band]
            daniels = (
                f"{pace(speed_at_share(hi_share, level))}-{pace(speed_at_share(lo_share, level))}"
            )
            if k == "E":
                daniels += f" (mid {pace(speed_at_share(sum(SHARES['E']) / 2, level))})"
        else:
            daniels = "-"
        hr = hrs.get(k, [])
        hr_text = f"{min(hr):.0f}-{max(hr):.0f}" if hr else "-"
        pct = f"{min(hr) / hrmax:.0%}-{max(hr) / hrmax:.0%}" if hr else "-"
        out.append(
            f"{LABELS.get(k, k):16} {ours_text:>16} {daniels:>28} {table.get(band, '-'):>14} "
            f"{hr_text:>15} {pct:>10} {DANIELS_HR.get(band, '-'):>15}"
        )
    mile = vdot_time_s(level, 1609.344)
    out.append(
        f"R pace check: Daniels' R is about mile race pace; the VDOT {level:.1f} equivalents: "
        f"1500 m {pace_s(vdot_time_s(level, 1500.0) / 1.5)}/km, mile {pace_s(mile / 1.609344)}/km"
    )
    predicted = plan.predicted_race_time_s or math.nan
    table_race = DANIELS_RACES.get(round(level), {}).get(case.race_m)
    out.append(
        f"Predicted {case.schema}: {hms(predicted)}; Daniels' equivalent at VDOT {level:.1f}: "
        f"{hms(vdot_time_s(level, case.race_m))}"
        + (f"; table 3.1 at VDOT {round(level)}: {table_race}" if table_race else "")
    )
    # Weeks, volume, long run, quality, growth, taper.
    non_taper = [w for w in plan.weeks if w.block_kind != "taper"]
    peak = max(non_taper, key=lambda w: w.distance_m)
    out.append(
        f"Plan: {len(plan.weeks)} weeks from {plan.start}; week 1 "
        f"{plan.weeks[0].distance_m / 1000:.1f} km "
        f"({plan.weeks[0].duration_s / 3600:.1f} h); peak week {peak.index + 1}: "
        f"{peak.distance_m / 1000:.1f} km, {peak.duration_s / 3600:.1f} h"
    )
    recent = inputs.recent_weekly_load
    out.append(
        "Recent weekly load (last 4 weeks of uploads) "
        f"{recent if recent is None else round(recent)}; "
        f"beginner={inputs.beginner}, recovery every {inputs.recovery_every or 4} weeks"
    )
    tag = {5000.0: "5k", 10000.0: "10k", 21097.5: "half", 42195.0: "marathon"}[case.race_m]
    longs = [
        (d, next(w for w in plan.weeks if w.index == d.week))
        for d in plan.days if d.slot == LONG_SLOT and not d.is_race
    ]  # fmt: skip
    if longs:
        d, w = max(longs, key=lambda p: p[0].distance_m)
        share = max(x.distance_m / y.distance_m for x, y in longs if y.distance_m > 0)
        out.append(
            f"Long run max: {d.distance_m / 1000:.1f} km, {hms(d.duration_s)} "
            f"({d.distance_m / w.distance_m:.0%} of its week; largest share {share:.0%}); caps: "
            f"Daniels {LONG_SHARE:.0%} of the week, {hms(LONG_RUN_MAX_S[tag])} for this race"
            + ("; Pfitzinger's 18-week plans peak at 32-35 km" if tag == "marathon" else "")
        )
    limit = quality_limit(len(inputs.training_days), inputs.beginner)
    hard = max(sum(d.hard for d in plan.days if d.week == w.index and not d.is_race)
               for w in plan.weeks)  # fmt: skip
    out.append(f"Quality sessions a week: at most {hard} (rule: {limit})")
    growth_km = max(
        (w.distance_m / max(p.distance_m for p in plan.weeks[max(0, k - 2) : k]) - 1.0
         for k, w in enumerate(plan.weeks) if k > 0), default=0.0,
    )  # fmt: skip
    growth_load = max(
        (w.target_load / max(p.target_load for p in plan.weeks[max(0, k - 2) : k]) - 1.0
         for k, w in enumerate(plan.weeks) if k > 0), default=0.0,
    )  # fmt: skip
    out.append(
        f"Largest weekly growth over the larger of the two weeks before: distance "
        f"{growth_km:+.0%}, target load {growth_load:+.0%} (rule: target load +10 %; "
        "acute:chronic <= 1.3)"
    )
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    if taper:
        depths = ", ".join(f"{1 - w.distance_m / peak.distance_m:.0%}" for w in taper)
        mean = 1 - sum(w.distance_m for w in taper) / len(taper) / peak.distance_m
        verdict = "inside" if BOSQUET[0] <= mean <= BOSQUET[1] else "OUTSIDE"
        out.append(
            f"Taper: {len(taper)} week(s), volume below peak by {depths} (race excluded; mean "
            f"{mean:.0%}, {verdict} Bosquet's 41-60 %); sessions "
            f"{peak.sessions} at peak, "
            + ", ".join(str(len([d for d in plan.days if d.week == w.index])) for w in taper)
            + f" in the taper (race counted); race-day form {plan.race_day_form:+.1f}"
        )
    if plan.taper is not None:
        out.append(taper_text(taper_json(plan)))
    out.append(f"Warnings ({len(warnings)}):")
    out.extend(f"  - {w.get('message', w)}" for w in warnings)
    # Limits: the per-session caps of limits.py, then the suite's checker of every limit.
    broken: list[str] = []
    notes: list[str] = []
    for day in plan.days:
        if day.is_race:
            continue
        week = next(w for w in plan.weeks if w.index == day.week)
        day_params = inputs.parameters(day.date)
        for what in over_limits(
            day.workout, day_params, day.speed_mps, session_limits(week.distance_m)
        ):
            broken.append(f"{day.date} {day.workout.name}: {what}")
    broken += [f"taper: {what}" for what in taper_over_limits(plan)]
    try:
        assert_every_limit(plan, inputs)
    except AssertionError as exc:
        where = traceback.extract_tb(exc.__traceback__)[-1]
        if "predicted_race_time_s" in (where.line or ""):
            # Every limit is checked before this line. The checker's race time takes the CS
            # model's VDOT (its runners have no race VDOT); these runners have one.
            race = race_speed(case.race_m, cs, params.d_prime_m, params.vdot)
            same = math.isclose(predicted, race.time_s, rel_tol=1e-9)
            notes.append(
                f"tests' checker: every limit passed; its last line (race time from the CS "
                f"model's VDOT, {hms(race_speed(case.race_m, cs, params.d_prime_m).time_s)}) "
                f"does not apply to a runner with a race VDOT: with it, race_speed gives "
                f"{hms(race.time_s)} ({race.method}), the plan's {hms(predicted)}: "
                f"{'equal' if same else 'DIFFERENT'}"
            )
            if not same:
                broken.append("predicted race time differs from race_speed at the race VDOT")
        else:
            broken.append(
                f"tests' checker (test_plans_limits.py line {where.lineno}: {where.line}): {exc!r}"
            )
    out.append("limits broken: " + ("none" if not broken else ""))
    out.extend(f"  - {b}" for b in broken)
    out.extend(notes)
    return out


MEASURED_CASE = "5 km specialist"
MEASURED_CS = {"cs_mps": 4.45, "d_prime_m": 270.0}
MEASURED_DAYS_AGO = 14
TIME_TRIALS = ((3000.0, 580.0, 6), (5000.0, 1010.0, 3))
"""(distance m, time s, days before TODAY): the specialist's time trials after the measured
value, 3000 m in 9:40 and 5000 m in 16:50, faster than her races (10:05, 17:30)."""


def time_trial(day: dt.date, distance_m: float, time_s: float, hrmax: float, seed: int) -> bytes:
    """A session that is one time trial: 1 km easy at 3.5 m/s, ``distance_m`` at even
    pace in ``time_s``, 300 m jogged; heart rate rising to 97 % HRmax. Shorter than the
    next standard distance, so the trial is the session's longest effort."""
    warm_s, cool_s = round(1000.0 / 3.5), 100
    total = warm_s + round(time_s) + cool_s
    speed = np.concatenate([
        np.full(warm_s, 3.5), np.full(round(time_s), distance_m / round(time_s)),
        np.full(cool_s, 3.0),
    ])  # fmt: skip
    hr = np.concatenate([
        np.linspace(0.65, 0.78, warm_s), np.linspace(0.85, 0.97, round(time_s)),
        np.linspace(0.95, 0.80, cool_s),
    ]) * hrmax  # fmt: skip
    start = dt.datetime.combine(day, dt.time(9), dt.UTC)
    records = synthetic_run(total, start=start, seed=seed)
    records = replace(
        records,
        speed_mps=speed,
        distance_m=np.concatenate([[0.0], np.cumsum(speed[:-1])]),
        heart_rate_bpm=np.round(hr),
    )
    return encode_activity([Segment(records)])


def measured_is_kept(app: Any, case: Case, runner_id: int) -> list[str]:
    """Issue #15 "a coach's measured value is never silently replaced": a measured CS entered
    (``parameters.set_parameter``, source measured, as the profile's form saves it), then
    time trials uploaded and marked as such (``sessions.actions.mark_performance``)
    whose fit differs: the CS in force stays the measured one and the fit is a suggestion."""
    out = [f"-- Measured CS kept ({case.label}) --"]
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        hrmax = 211.0 - 0.64 * ((TODAY - case.birth).days / 365.25)
        before = parameter_services.parameters_on(runner, TODAY).critical_speed
        out.append(
            f"CS in force before: {before.value.cs_mps:.2f} m/s, D' {before.value.d_prime_m:.0f} m "
            f"({before.source.value}{', automatic' if before.automatic else ''})"
        )
        measured_from = TODAY - dt.timedelta(days=MEASURED_DAYS_AGO)
        parameter_services.set_parameter(
            runner, ParameterKey.CRITICAL_SPEED, dict(MEASURED_CS), measured_from,
            source=ParameterSource.MEASURED, by=None, today=TODAY, note="lab test",
        )  # fmt: skip
        db.session.commit()
    out.append(
        f"Coach enters a measured CS {MEASURED_CS['cs_mps']:.2f} m/s, D' "
        f"{MEASURED_CS['d_prime_m']:.0f} m from {measured_from}"
    )
    files = [
        (f"tt-{d:.0f}.fit", time_trial(TODAY - dt.timedelta(days=ago), d, s, hrmax, 90 + k))
        for k, (d, s, ago) in enumerate(TIME_TRIALS)
    ]
    report = import_inline(app, runner_id, files)
    listed = report["files"]
    assert isinstance(listed, list)
    with app.app_context():
        for entry in listed:
            for session_id in entry["session_ids"]:
                session_actions.mark_performance(None, int(session_id), BestKind.TIME_TRIAL)
        runner = db.session.get_one(Runner, runner_id)
        trials = ", ".join(f"{d:.0f} m {hms(s)} ({ago} days ago)" for d, s, ago in TIME_TRIALS)
        out.append(f"Uploaded and marked as time trials: {trials}")
        after = parameter_services.parameters_on(runner, TODAY).critical_speed
        kept = math.isclose(after.value.cs_mps, MEASURED_CS["cs_mps"]) and math.isclose(
            after.value.d_prime_m, MEASURED_CS["d_prime_m"]
        )
        out.append(
            f"CS in force after: {after.value.cs_mps:.2f} m/s, D' {after.value.d_prime_m:.0f} m "
            f"({after.source.value}{', automatic' if after.automatic else ''}, from "
            f"{after.valid_from}): {'the measured value, KEPT' if kept else 'REPLACED'}"
        )
        suggestions = suggestion_services.open_suggestions(runner)
        out.append(f"Open suggestions: {len(suggestions)}")
        for s in suggestions:
            details = s.details or {}
            used = "; ".join(
                f"{e.get('distance_m', 0):.0f} m {hms(float(e.get('time_s', math.nan)))}"
                f" on {e.get('date', '?')}"
                for e in details.get("used", [])
            )
            out.append(
                f"  - from {s.valid_from}: CS {s.value['cs_mps']:.2f} m/s, D' "
                f"{s.value['d_prime_m']:.0f} m ({details.get('basis', s.source.value)}); "
                f"evidence: {used or '-'}; R2 {details.get('r_squared', '-')}; note: {s.note}"
            )
    return out


def main() -> int:
    logging.disable(logging.INFO)
    print(f"Source of the table column: {SOURCE}.")
    print("Uploads' heart rate: " + ("the generator's own (--hot-hr)" if HOT_HR else
          "steady running at 75 % HRmax, reps at 88 %"))  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        template = sqlite_template(base / "db")
        app = create_app(make_settings(base / "instance", template.url_for(base)))
        with clock.clock_at(dt.datetime.combine(TODAY, dt.time(12), dt.UTC)):
            with app.app_context():
                workout_imports.load_default_library()
                plan_schemas.load_default_schemas()
                db.session.commit()
            for case in CASES:
                runner_id = make_runner(app, case)
                print()
                print("\n".join(report(app, case, runner_id)))
                if case.label == MEASURED_CASE:
                    print("\n".join(measured_is_kept(app, case, runner_id)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
