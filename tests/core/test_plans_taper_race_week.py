"""Race week as a coach plans it (issue #15, the plan grid's taper counterexamples,
``limits.taper_over_limits``): a plan that cannot arrive fresh says so whatever its shape,
race week keeps its fast running (strides the day before the race, a short quality session
earlier where the days allow), and a taper week's limits do not eat its own sessions."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest

from smartrunning.science.plans import generate_plan
from smartrunning.science.plans.days import Draft, WarningLog, separate_hard_days
from smartrunning.science.plans.intensity import Intensity, classify
from smartrunning.science.plans.model import WarningCode
from smartrunning.science.plans.race_week import TOO_SHORT, too_short_note
from smartrunning.science.plans.schema import WorkoutKind
from smartrunning.science.plans.taper import BOSQUET_VOLUME
from smartrunning.science.plans.week import Session
from smartrunning.science.workouts import Intervals
from tests.core.plan_checks import assert_every_limit
from tests.core.plan_grid import GridRunner


def _runner(**changed: object) -> str:
    fields: dict[str, object] = {
        "schema": "marathon",
        "level": "trained",
        "cs_mps": 4.0,
        "d_prime_m": 210.0,
        "age": 50,
        "days": [0, 1, 2, 3, 5, 6],
        "long_day": 6,
        "history": "none",
        "weekly_h": 5.0,
        "weeks": 3,
        "sessions": None,
        "race_km": None,
        "race_shift_d": 0,
        "lthr": False,
        "vdot_factor": None,
        "cs_change": None,
        "response": None,
    }
    fields.update(changed)
    return json.dumps(fields, separators=(",", ":"))


ALL_TAPER = {
    # The schema's marathon taper is three weeks: a 3-week plan is all taper, no peak week
    # to fit it to, and the fit left it alone without a word (form -6.0, -8.5, -5.5).
    "marathon, 3 weeks from no history, 6 days (form -6.0)": _runner(),
    "marathon, 3 weeks from no history, 7 days (form -8.5)": _runner(days=[0, 1, 2, 3, 4, 5, 6]),
    "marathon, 3 weeks, no-history beginner, 4 days (form -5.5)": _runner(
        level="beginner", cs_mps=2.8, d_prime_m=120.0, age=70, days=[1, 3, 5, 6], weekly_h=1.5
    ),
}


@pytest.mark.parametrize("name", sorted(ALL_TAPER))
def test_an_all_taper_plan_that_cannot_be_fresh_says_so(name: str) -> None:
    """Race-day form below zero carries the coach's note on every taper day, with the
    plan's own form, and the projection's warning: said, it is the limit's stated
    exception; unsaid (as it was) a break."""
    inputs = GridRunner.from_json(ALL_TAPER[name]).inputs()
    plan = generate_plan(inputs)
    assert plan.race_day_form < 0
    assert all(w.block_kind == "taper" for w in plan.weeks)
    said = too_short_note(plan.race_day_form, all_taper=True)
    assert said.startswith(f"{TOO_SHORT} on race day: form {plan.race_day_form:+.1f} with")
    assert "no peak week" in said
    for day in plan.days:
        if not day.is_race:
            assert said in day.why, day.why
    assert WarningCode.RACE_FORM_LOW in {w.code for w in plan.warnings}
    assert_every_limit(plan, inputs)


def test_a_plan_with_a_peak_says_its_final_form() -> None:
    """The note gives the form of the plan as generated (the last projection), the taper
    against the peak week (the grid's 3-week 5 km from no history)."""
    inputs = GridRunner.from_json(
        _runner(schema="5k", days=[1, 3, 6], weekly_h=5.0, age=50)
    ).inputs()
    plan = generate_plan(inputs)
    assert plan.race_day_form < 0
    said = too_short_note(plan.race_day_form)
    assert f"{BOSQUET_VOLUME[0]:.0%}–{BOSQUET_VOLUME[1]:.0%} below the peak week" in said
    taper = {w.index for w in plan.weeks if w.block_kind == "taper"}
    assert all(said in d.why for d in plan.days if d.week in taper and not d.is_race)
    assert_every_limit(plan, inputs)


RACE_EVE = (
    # A 1-week taper whose only quality session fell the day before the race: made an easy
    # run, the taper dropped intensity ("the taper drops intensity ..."). Its other days
    # (the day before the long run, the long run) hold no quality session.
    '{"schema":"half-marathon","level":"random","cs_mps":5.128,"d_prime_m":70.3,"age":73,'
    '"days":[0,1,4],"long_day":1,"history":"tired","weekly_h":12.1,"weeks":null,'
    '"sessions":null,"race_km":null,"race_shift_d":-1,"lthr":false,"vdot_factor":null,'
    '"cs_change":[35,1.022],"response":null}'
)


def test_the_day_before_the_race_is_an_easy_run_with_strides_at_r_pace() -> None:
    inputs = GridRunner.from_json(RACE_EVE).inputs()
    plan = generate_plan(inputs)
    eve = next(d for d in plan.days if d.date == plan.race_date - dt.timedelta(days=1))
    assert eve.kind == "strides"
    assert not eve.hard
    assert any("the next day is the race" in w for w in eve.why)
    params = inputs.parameters(eve.date)
    assert params.cs_mps is not None
    assert params.level is not None
    strides = [s for s in eve.workout.steps if isinstance(s, Intervals)]
    assert strides
    assert 4 <= strides[0].repeat <= 8
    # Daniels' R pace for the runner (paces.with_training_paces), not the library's 125 %.
    speed = strides[0].on_intensity * params.cs_mps
    assert classify(speed, params.level) is Intensity.REPETITION
    assert_every_limit(plan, inputs)


RACE_EVE_LONG = (
    # Race on Tuesday: race week's quality session (Tuesday's) gave way to the race, the
    # long run fell the day before it and the recovery run before that: no fast running
    # besides the race (hypothesis's example of test_plans_grid_limits' short plans).
    '{"schema":"5k","level":"drawn","cs_mps":3.0,"d_prime_m":60.0,"age":16,"days":[0,1,6],'
    '"long_day":0,"history":"history","weekly_h":2.25,"weeks":2,"sessions":null,'
    '"race_km":null,"race_shift_d":2,"lthr":false,"vdot_factor":null,"cs_change":null,'
    '"response":null}'
)


def test_any_run_the_day_before_the_race_is_an_easy_run_with_strides() -> None:
    inputs = GridRunner.from_json(RACE_EVE_LONG).inputs()
    plan = generate_plan(inputs)
    eve = next(d for d in plan.days if d.date == plan.race_date - dt.timedelta(days=1))
    assert eve.kind == "strides"
    assert any(isinstance(s, Intervals) for s in eve.workout.steps)
    assert_every_limit(plan, inputs)


RACE_ON_THE_QUALITY_DAY = (
    # Race on Sunday, the week's quality session's day: race week held a long run on
    # Tuesday and an easy run on Wednesday, no fast running besides the race.
    '{"schema":"5k","level":"random","cs_mps":3.718,"d_prime_m":145.5,"age":76,'
    '"days":[1,2,6],"long_day":1,"history":"history","weekly_h":2.94,"weeks":null,'
    '"sessions":null,"race_km":null,"race_shift_d":0,"lthr":false,"vdot_factor":null,'
    '"cs_change":null,"response":null}'
)


def test_race_week_without_a_quality_session_keeps_strides() -> None:
    inputs = GridRunner.from_json(RACE_ON_THE_QUALITY_DAY).inputs()
    plan = generate_plan(inputs)
    race_week = [d for d in plan.days if d.week == plan.weeks[-1].index and not d.is_race]
    strides = [d for d in race_week if d.kind == "strides"]
    assert len(strides) == 1
    assert strides[0].slot != "long"
    assert any("race week keeps some fast running" in w for w in strides[0].why)
    assert_every_limit(plan, inputs)


DAY = dt.timedelta(days=1)
RACE = dt.date(2027, 4, 25)  # a Sunday


def _draft(
    date: dt.date, kind: WorkoutKind, hard: bool, slot: str = "day", load: float = 40.0
) -> Draft:
    return Draft(date, 9, Session(date.weekday(), slot, kind, 0.25, hard), load)


def test_race_weeks_only_quality_session_moves_off_the_day_before_the_race() -> None:
    """Race week Tue easy, Thu easy, Sat threshold, race Sunday: the threshold session
    moves to Thursday (two days or more before the race, no hard day or long run next to
    it), Saturday becomes an easy run with strides; the loads go with the sessions."""
    drafts = [
        _draft(RACE - 5 * DAY, "easy", False, load=30.0),
        _draft(RACE - 3 * DAY, "easy", False, load=35.0),
        _draft(RACE - DAY, "threshold", True, load=60.0),
    ]
    separate_hard_days(drafts, RACE, WarningLog())
    assert [d.date for d in drafts] == [RACE - 5 * DAY, RACE - 3 * DAY, RACE - DAY]
    thursday, saturday = drafts[1], drafts[2]
    assert (thursday.session.kind, thursday.session.hard, thursday.target_load) == (
        "threshold",
        True,
        60.0,
    )
    assert thursday.session.weekday == thursday.date.weekday()
    assert (saturday.session.kind, saturday.session.hard, saturday.target_load) == (
        "strides",
        False,
        35.0,
    )
    assert saturday.session.weekday == saturday.date.weekday()
    assert drafts[0].session.kind == "easy"


def test_no_day_allows_the_move_the_day_before_the_race_keeps_strides() -> None:
    """Race week Mon long run, Fri easy, Sat threshold, race Sunday: Friday is next to
    the threshold session's day, nothing moves; Saturday is an easy run with strides."""
    drafts = [
        _draft(RACE - 6 * DAY, "long", False, slot="long"),
        _draft(RACE - 2 * DAY, "easy", False),
        _draft(RACE - DAY, "threshold", True),
    ]
    separate_hard_days(drafts, RACE, WarningLog())
    assert [d.session.kind for d in drafts] == ["long", "easy", "strides"]
    assert not any(d.session.hard for d in drafts)


def test_a_long_run_a_few_days_before_the_race_is_an_easy_run() -> None:
    """Race week Wed easy, Thu long run, race Sunday: Thursday's run is an easy run (no
    long run 2-5 days before a race; with strides, race week's latest easy run and no
    quality session), so Wednesday need not be a recovery run."""
    drafts = [
        _draft(RACE - 4 * DAY, "easy", False),
        _draft(RACE - 3 * DAY, "long", False, slot="long"),
    ]
    separate_hard_days(drafts, RACE, WarningLog())
    assert [d.session.kind for d in drafts] == ["easy", "strides"]
    assert drafts[1].session.slot != "long"
    assert any("the race is 3 days later" in w for w in drafts[1].notes)


TAPER_WEEK_LIMITS = {
    # The race week (long run, 5 km pace session, race on Tuesday): the limits, no load
    # moved in a taper week, shortened the long run to 30 % of a week that shrank with
    # each pass, the 5 km pace session to 8 % of it, until both were easy runs ("long run
    # within 30 % of the week (0.1 km)"): the taper dropped its intensity.
    "5 km, 4 days, tired: race week's quality session lost": (
        '{"schema":"5k","level":"random","cs_mps":3.14,"d_prime_m":225.7,"age":30,'
        '"days":[1,2,3,5],"long_day":2,"history":"tired","weekly_h":6.21,"weeks":null,'
        '"sessions":3,"race_km":null,"race_shift_d":2,"lthr":true,"vdot_factor":null,'
        '"cs_change":null,"response":null}'
    ),
    # Race week: a recovery run (at most 1 h) and a 10 km pace session its threshold cap
    # held at 2 km whatever its load (no load moved into easy running): 68 % below the
    # peak, Bosquet's range ends at 60 %.
    "10 km, 3 days: race week 68 % below the peak": (
        '{"schema":"10k","level":"random","cs_mps":3.854,"d_prime_m":200.1,"age":77,'
        '"days":[0,1,2],"long_day":1,"history":"history","weekly_h":10.97,"weeks":null,'
        '"sessions":3,"race_km":12.54,"race_shift_d":2,"lthr":true,"vdot_factor":null,'
        '"cs_change":null,"response":null}'
    ),
    # Race week (race on Tuesday): a recovery run (at most 1 h) before a long run within
    # 30 % of the week: 62 % below the peak, and no fast running besides the race.
    "10 km, 3 days, long run 4 days before the race: 62 % below the peak": (
        '{"schema":"10k","level":"random","cs_mps":4.059,"d_prime_m":173.3,"age":21,'
        '"days":[1,3,4],"long_day":4,"history":"history","weekly_h":8.17,"weeks":null,'
        '"sessions":null,"race_km":11.27,"race_shift_d":2,"lthr":true,"vdot_factor":null,'
        '"cs_change":null,"response":null}'
    ),
}


@pytest.mark.parametrize("name", sorted(TAPER_WEEK_LIMITS))
def test_a_taper_weeks_limits_keep_its_sessions_and_its_depth(name: str) -> None:
    inputs = GridRunner.from_json(TAPER_WEEK_LIMITS[name]).inputs()
    plan = generate_plan(inputs)
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    peak = max(w.distance_m for w in plan.weeks if w.block_kind != "taper")
    mean = 1.0 - sum(w.distance_m for w in taper) / len(taper) / peak
    assert BOSQUET_VOLUME[0] <= round(mean, 2) <= BOSQUET_VOLUME[1]
    weeks = {w.index for w in taper}
    # A quality session, or strides where the week's caps leave less than one worth running
    # (a 12 km race week holds 1 km at interval pace: ``limits.quality_shortfall``).
    fast = [d for d in plan.days if d.week in weeks and not d.is_race]
    assert any(d.hard or d.kind == "strides" for d in fast)
    assert plan.race_day_form >= 0
    assert_every_limit(plan, inputs)


TWO_WEEK_MARATHON = (
    # A 2-week marathon from 1.4 h a week, tired: the plan is all taper (no peak week to
    # fit to), and race week's sessions held at their kinds' shortest ran 7.7 km after
    # 6.8 km, +13 % (plan grid, seed 3).
    '{"schema":"marathon","level":"random","cs_mps":3.036,"d_prime_m":149.2,"age":37,'
    '"days":[0,2,3],"long_day":2,"history":"tired","weekly_h":1.4,"weeks":2,"sessions":null,'
    '"race_km":42.95,"race_shift_d":2,"lthr":false,"vdot_factor":null,"cs_change":null,'
    '"response":null}'
)


def test_a_plan_that_is_all_taper_never_runs_further_in_a_later_week() -> None:
    inputs = GridRunner.from_json(TWO_WEEK_MARATHON).inputs()
    plan = generate_plan(inputs)
    assert all(w.block_kind == "taper" for w in plan.weeks)
    distances = [w.distance_m for w in plan.weeks]
    assert all(b <= a * 1.01 for a, b in itertools.pairwise(distances))
    assert_every_limit(plan, inputs)
