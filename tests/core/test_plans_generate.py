"""Plan generation: the rules of SCIENCE.md "Plan generation" as properties over many inputs."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartrunning.science.history import daily_history
from smartrunning.science.load import planned_rtss
from smartrunning.science.plans import (
    LONG_SLOT,
    WORKOUT_KINDS,
    Block,
    CSVersion,
    DatedParameters,
    HRZonesVersion,
    LoadCap,
    PatternSlot,
    PlanInputs,
    PlanLimits,
    PlanSchema,
    WarningCode,
    generate_plan,
    plan_start,
)
from smartrunning.science.plans.kinds import load_bounds, race_tag
from smartrunning.science.plans.limits import MIN_SESSIONS, taper_over_limits
from smartrunning.science.plans.paces import HILLS_NOTE
from smartrunning.science.plans.taper import TaperSpec, taper_weeks
from smartrunning.science.plans.targets import PACE_TOLERANCE
from smartrunning.science.workouts import Free, Steady
from tests.core.plan_inputs import (
    DEFAULTS,
    DISTANCES,
    ZONES,
    default_library,
    default_schema,
    inputs,
    steady_state,
)

PLANS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- strategies --------------------------------------------------------------------------


@st.composite
def random_pattern(draw: st.DrawFn) -> tuple[PatternSlot, ...]:
    weights = draw(st.lists(st.integers(1, 10), min_size=1, max_size=7))
    hard = draw(st.lists(st.booleans(), min_size=len(weights), max_size=len(weights)))
    while sum(hard) > 3:
        hard[hard.index(True)] = False
    long = draw(st.booleans())
    return tuple(
        PatternSlot(
            LONG_SLOT if long and i == 0 else f"s{i}",
            "long" if long and i == 0 else draw(st.sampled_from(WORKOUT_KINDS)),
            w / sum(weights),
            hard[i],
        )
        for i, w in enumerate(weights)
    )


@st.composite
def random_schema(draw: st.DrawFn) -> PlanSchema:
    count = draw(st.integers(1, 3))
    body = [
        Block(
            f"b{i}",
            draw(st.sampled_from(["base", "build", "peak"])),
            draw(st.integers(1, 8)),
            draw(random_pattern()),
            progression=draw(st.floats(0.0, 0.10)),
            recovery_every=draw(st.sampled_from([3, 4])),
            recovery_drop=draw(st.floats(0.25, 0.35)),
        )
        for i in range(count)
    ]
    if count > 1 and draw(st.booleans()):
        body.insert(
            1,
            Block(
                "rest",
                "recovery",
                draw(st.integers(1, 2)),
                draw(random_pattern()),
                recovery_drop=0.3,
            ),
        )
    taper = Block(
        "taper",
        "taper",
        draw(st.integers(1, 4)),
        draw(random_pattern()),
        reduction=draw(st.floats(0.40, 0.60)),
    )
    cap = LoadCap(
        draw(st.floats(0.03, 0.25)), draw(st.floats(200.0, 1200.0)), draw(st.floats(30.0, 200.0))
    )
    return PlanSchema("random", (*body, taper), cap)


@st.composite
def plan_inputs(draw: st.DrawFn) -> PlanInputs:
    name = draw(st.sampled_from(DEFAULTS))
    schema = draw(st.just(default_schema(name)) | random_schema())
    race = draw(st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)))
    days = draw(st.sets(st.integers(0, 6), min_size=MIN_SESSIONS))
    cs = draw(st.none() | st.floats(2.5, 5.5))
    ctl = draw(st.floats(0.0, 120.0))
    library = default_library()
    if draw(st.booleans()):
        missing = draw(st.sampled_from(WORKOUT_KINDS))
        library = tuple(w for w in library if w.kind != missing)
    params = DatedParameters(
        cs=() if cs is None else (CSVersion(race - dt.timedelta(days=800), cs, 150.0),),
        hr_zones=(HRZonesVersion(race - dt.timedelta(days=800), ZONES),),
    )
    return PlanInputs(
        schema=schema,
        race_date=race,
        race_distance_m=DISTANCES[name],
        training_days=frozenset(days),
        long_run_day=draw(st.sampled_from(sorted(days))),
        sessions_per_week=draw(st.integers(MIN_SESSIONS, 7)),
        start_state=steady_state(ctl, draw(st.floats(0.0, 1.5)) * ctl),
        parameters=params,
        library=library,
        weeks=draw(st.none() | st.integers(1, 30)),
    )


def weeks_of(inputs: PlanInputs) -> int:
    return inputs.weeks if inputs.weeks is not None else inputs.schema.total_weeks


# --- the properties ----------------------------------------------------------------------


@PLANS
@given(plan_inputs())
def test_plan_ends_on_race_day(i: PlanInputs) -> None:
    plan = generate_plan(i)
    weeks = weeks_of(i)
    assert plan.start == plan_start(i.race_date, weeks)
    assert (i.race_date - plan.start).days + 1 == 7 * weeks
    assert len(plan.weeks) == weeks
    assert plan.race.date == i.race_date
    assert plan.race.is_race
    assert [d.is_race for d in plan.days].count(True) == 1
    assert all(plan.start <= d.date < i.race_date for d in plan.days[:-1])
    dates = [d.date for d in plan.days]
    assert dates == sorted(dates)
    assert len(set(dates)) == len(dates)
    assert [p.date for p in plan.projection] == [
        plan.start + dt.timedelta(days=k) for k in range(7 * weeks)
    ]


@PLANS
@given(plan_inputs())
def test_taper_is_kept(i: PlanInputs) -> None:
    """The taper's length is chosen for race day (``taper.taper_weeks``: 1–3 weeks, 2–3
    for the marathon, within the plan) and always ends the plan."""
    plan = generate_plan(i)
    assert plan.taper is not None
    taper = plan.taper.chosen.weeks
    kinds = [w.block_kind for w in plan.weeks]
    allowed = (
        (len(kinds),)
        if len(kinds) <= i.schema.taper.weeks
        else taper_weeks(i.race_distance_m, len(kinds))
    )
    assert taper in allowed, (i.race_distance_m, len(kinds), i.schema.taper.weeks)
    expected = min(taper, len(kinds))
    assert kinds[len(kinds) - expected :] == ["taper"] * expected
    assert kinds.count("taper") == expected


@PLANS
@given(plan_inputs())
def test_weekly_load_stays_under_the_cap_and_recovery_weeks_dip(i: PlanInputs) -> None:
    plan = generate_plan(i)
    cap = i.schema.load_cap
    loads = [w.target_load for w in plan.weeks]
    assert all(0 < load <= cap.max_weekly * (1 + 1e-9) for load in loads)
    for k in range(1, len(loads)):
        assert loads[k] <= (1 + cap.max_ramp) * max(loads[max(0, k - 2) : k]) * (1 + 1e-9)
    for k, week in enumerate(plan.weeks):
        if week.recovery and week.block_kind != "recovery":
            assert loads[k] < loads[k - 1]
            # (The absorption week of an earlier peak is followed by the taper, lower still.)
            if plan.weeks[k + 1].block_kind != "taper":
                assert loads[k] < loads[k + 1]


@PLANS
@given(plan_inputs())
def test_sessions_only_on_training_days_and_the_long_run_on_its_day(i: PlanInputs) -> None:
    plan = generate_plan(i)
    for day in plan.days[:-1]:
        assert day.date.weekday() in i.training_days
        if day.slot == LONG_SLOT:
            assert day.date.weekday() == i.long_run_day
    for week in plan.weeks[:-1]:
        block = next(b for b in i.schema.blocks if b.name == week.block)
        count = sum(d.slot == LONG_SLOT for d in plan.days if d.week == week.index)
        assert count == (1 if any(p.slot == LONG_SLOT for p in block.pattern) else 0)
        assert week.sessions <= min(i.sessions_per_week, len(i.training_days))


@PLANS
@given(plan_inputs())
def test_hard_days_are_never_consecutive(i: PlanInputs) -> None:
    plan = generate_plan(i)
    hard = [d.date for d in plan.days if d.hard]
    assert plan.race.date in hard
    for a, b in itertools.pairwise(hard):
        assert (b - a).days >= 2


@PLANS
@given(plan_inputs())
def test_same_inputs_give_the_same_plan(i: PlanInputs) -> None:
    plan = generate_plan(i)
    assert generate_plan(i) == plan
    assert generate_plan(replace(i, library=tuple(reversed(i.library)))) == plan


@PLANS
@given(plan_inputs())
def test_day_loads_share_out_the_week_and_the_projection_follows_them(i: PlanInputs) -> None:
    plan = generate_plan(i)
    for week in plan.weeks:
        days = [d for d in plan.days if d.week == week.index and not d.is_race]
        planned = sum(d.target_load for d in days)
        # Sessions shortened to Daniels' limits give up load the easy runs may not hold
        # (SCIENCE.md "Targets and limits"; moved as planned loads, which sit within a
        # few per cent of their targets), a week's distance capped at +10 % and a quality
        # session too small to be one made an easy run with strides change loads too
        # (``limits``); otherwise the days share out the week.
        moved = ("shortened", "easy run:", "distance kept within", " instead of ")
        limited = any(m in n for d in days for n in d.why for m in moved)
        if week.block_kind == "taper" and any(w.block_kind != "taper" for w in plan.weeks):
            # The taper's days are fitted to its distance (Bosquet 2007), not to the
            # layout's load: ``limits.taper_over_limits`` checks them.
            assert week.load == pytest.approx(sum(d.load for d in days))
            continue
        if week.index < len(plan.weeks) - 1 and not limited:
            assert planned == pytest.approx(week.target_load, rel=1e-9)
        else:
            # The race week's sessions take the race day's share (issue #15); a session
            # too short for its load is held at its kind's shortest.
            at_shortest = all(d.duration_s <= 30 * 60 + 1 for d in days)
            # A week keeps limits.MIN_SESSIONS runs (``days.share_week_loads``): when even
            # they need more than its load at their shortest, it plans above its target.
            tag = race_tag(i.race_distance_m)
            lows = sum(load_bounds(d.kind, tag)[0] for d in days)
            held = len(days) <= MIN_SESSIONS and lows > week.target_load
            assert planned <= week.target_load * 1.05 or at_shortest or held
        assert week.load == pytest.approx(
            sum(d.load for d in plan.days if d.week == week.index and not d.is_race)
        )
    loads = np.zeros(len(plan.projection))
    for day in plan.days:
        loads[(day.date - plan.start).days] += day.load
    history = daily_history(loads, plan.start, start=i.start_state)
    assert plan.race_day_form == pytest.approx(float(history.form[-1]), abs=1e-9)
    assert [p.ctl for p in plan.projection] == pytest.approx(list(history.ctl))
    ramps = [w.ctl_ramp for w in plan.weeks]
    assert plan.max_ctl_ramp == pytest.approx(max(ramps))
    assert ramps[0] == pytest.approx(plan.weeks[0].ctl_end - i.start_state.ctl)


@PLANS
@given(plan_inputs())
def test_each_day_is_scaled_to_its_load_or_says_why_not(i: PlanInputs) -> None:
    plan = generate_plan(i)
    for day in plan.days[:-1]:
        off = abs(day.load - day.target_load) / day.target_load
        why = ("scales no closer", "easy running added", "distance kept")
        assert off <= 0.05 or any(w in note for note in day.why for w in why)
        assert day.duration_s > 0
        # Planned load: the rTSS of the planned stream (as a completed session is scored).
        assert day.load == pytest.approx(planned_rtss(day.workout, day.speed_mps))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan_inputs(), st.floats(0.05, 0.95), st.floats(1.02, 1.2))
def test_a_cs_version_starting_mid_plan_changes_targets_from_its_date_only(
    i: PlanInputs, where: float, gain: float
) -> None:
    old_cs = 3.6
    versions = (CSVersion(i.race_date - dt.timedelta(days=800), old_cs, 150.0),)
    before = replace(i, parameters=DatedParameters(cs=versions))
    start = plan_start(i.race_date, weeks_of(i))
    split = start + dt.timedelta(days=int(where * (i.race_date - start).days))
    new_cs = old_cs * gain
    after = replace(i, parameters=DatedParameters(cs=(*versions, CSVersion(split, new_cs, 150.0))))
    a, b = generate_plan(before), generate_plan(after)
    # Daniels' limits are shares of a week's distance: the split's week may change too.
    week_start = start + dt.timedelta(days=7 * ((split - start).days // 7))
    # The taper's weeks are chosen together (race_week.plan_taper_choice) and Daniels'
    # paces are not proportional to CS (paces.with_training_paces): a CS version inside
    # the taper may change the whole taper.
    taper = [w.start for w in b.weeks if w.block_kind == "taper" and w.start <= split]
    week_start = min([week_start, *taper])
    early = [d for d in a.days if d.date < week_start]
    assert early == [d for d in b.days if d.date < week_start]
    assert a.projection[: (week_start - start).days] == b.projection[: (week_start - start).days]
    late = [d for d in b.days if d.date >= split]
    assert late
    for day in late:
        assert day.cs_mps == new_cs
        for target in day.targets:
            if target.effort is not None:  # hill reps: by effort, no pace (paces.by_effort)
                assert day.kind == "hills"
                continue
            assert target.pace_s_per_km is not None
            fastest = 1000 / (target.intensity[1] * new_cs * (1 + PACE_TOLERANCE))
            assert target.pace_s_per_km[0] == pytest.approx(fastest)
    assert [d.targets for d in late] != [d.targets for d in a.days if d.date >= split]


# --- worked examples and warnings --------------------------------------------------------


def test_a_marathon_plan_for_a_typical_runner() -> None:
    plan = generate_plan(inputs())
    assert plan.start == dt.date(2025, 5, 26)
    # The population response model chooses the shortest marathon taper, 2 weeks, at
    # 60 % below the peak week's distance (issue #20; Bosquet 2007: −41 to −60 %), its
    # weeks stepping 48 %, 72 % below the peak.
    assert plan.taper is not None
    assert plan.taper.chosen == TaperSpec(2, 0.60)
    assert [w.block for w in plan.weeks].count("Taper") == 2
    assert plan.weeks[0].target_load == pytest.approx(7 * 45.0)
    assert plan.weeks[3].recovery
    peak = max(w.target_load for w in plan.weeks)
    race_week = plan.weeks[-1]
    peak_m = max(w.distance_m for w in plan.weeks[:-2])
    assert [1 - w.distance_m / peak_m for w in plan.weeks[-2:]] == pytest.approx(
        [0.476, 0.714], abs=0.01
    )
    assert not taper_over_limits(plan)
    assert race_week.target_load < peak
    assert 5.0 <= plan.race_day_form <= 25.0
    assert plan.max_ctl_ramp < 8.0
    assert plan.predicted_race_time_s is not None
    assert 3.0 * 3600 < plan.predicted_race_time_s < 3.6 * 3600
    race = plan.race.workout.steps[0]
    assert isinstance(race, Steady)
    assert race.extent.value == 42195.0
    assert plan.race.duration_s == pytest.approx(plan.predicted_race_time_s)
    assert {d.kind for d in plan.days} >= {"long", "hills", "threshold", "race-pace", "race"}
    assert all(w.sessions == 5 for w in plan.weeks[:-1])
    codes = {w.code for w in plan.warnings}
    assert not codes & {WarningCode.CTL_RAMP, WarningCode.RACE_FORM_LOW, WarningCode.SHORT_PLAN}


@pytest.mark.parametrize("name", DEFAULTS)
def test_every_default_schema_gives_a_sensible_plan(name: str) -> None:
    plan = generate_plan(inputs(name, ctl=50.0))
    assert 5.0 <= plan.race_day_form <= 25.0
    assert plan.max_ctl_ramp < 8.0
    assert all(d.targets for d in plan.days)
    # A pace for every step but hill repetitions, run by effort (paces.by_effort).
    assert all(
        t.pace_s_per_km or (d.kind == "hills" and t.effort) for d in plan.days for t in d.targets
    )
    # Heart rate for every step but repetitions (Daniels sets those by pace only), strides
    # and hill reps under 3 min (run by effort: paces.no_heart_rate); those have none.
    by_pace = [t for d in plan.days for t in d.targets if t.part == "on" and d.kind == "strides"]
    by_effort = [t for d in plan.days for t in d.targets if t.part == "on" and d.kind == "hills"]
    assert all(t.hr_bpm is None for t in (*by_pace, *by_effort))
    assert all(HILLS_NOTE in d.why for d in plan.days if d.kind == "hills")
    assert all(
        t.hr_bpm
        for d in plan.days
        for t in d.targets
        if t.intensity[0] < 1.1 and not (t.part == "on" and d.kind in ("strides", "hills"))
    )


def test_short_plans_compress_blocks_and_say_so() -> None:
    plan = generate_plan(inputs(weeks=8))
    assert plan.taper is not None
    assert plan.taper.chosen.weeks == 2
    assert [w.block for w in plan.weeks] == ["Base", "Base", "Build", "Build", "Peak", "Peak"] + [
        "Taper"
    ] * 2
    assert WarningCode.SHORT_PLAN in {w.code for w in plan.warnings}
    tiny = generate_plan(inputs(weeks=2))
    assert [w.block for w in tiny.weeks] == ["Taper", "Taper"]
    assert any("taper cut" in w.message for w in tiny.warnings)


def test_long_plans_stretch_blocks() -> None:
    plan = generate_plan(inputs(weeks=30))
    blocks = [w.block for w in plan.weeks]
    # The taper chosen at 2 weeks; 28 weeks shared 6:6:5 → ideal 9.88, 9.88, 8.24:
    # largest remainders, ties to the earlier.
    assert (blocks.count("Base"), blocks.count("Build"), blocks.count("Peak")) == (10, 10, 8)
    assert blocks.count("Taper") == 2


def test_missing_kind_is_replaced_by_easy_runs_with_a_warning() -> None:
    library = tuple(w for w in default_library() if w.kind != "hills")
    plan = generate_plan(inputs(library=library))
    hill_days = [d for d in plan.days if d.slot == "hills"]
    assert hill_days
    assert all(d.workout.kind == "easy" for d in hill_days)
    assert all(d.kind == "easy" and not d.hard for d in hill_days)
    assert all(any("no hills workouts" in note for note in d.why) for d in hill_days)
    assert any(w.code is WarningCode.MISSING_KIND and "hills" in w.message for w in plan.warnings)


def test_an_empty_library_still_gives_a_plan() -> None:
    plan = generate_plan(inputs(library=()))
    assert all(d.workout_name == "Easy run (generated)" for d in plan.days[:-1])
    assert all(d.workout.name.startswith("Easy run (generated)") for d in plan.days[:-1])
    assert all(d.duration_s >= 900 for d in plan.days[:-1])


def test_named_workouts_are_used_or_reported() -> None:
    schema = default_schema("marathon")
    blocks = list(schema.blocks)
    pattern = [
        replace(p, workout="Tempo run 20 min") if p.slot == "threshold" else p
        for p in blocks[1].pattern
    ]
    blocks[1] = replace(blocks[1], pattern=tuple(pattern))
    named = replace(schema, blocks=tuple(blocks))
    plan = generate_plan(inputs(schema=named))
    build = [d for d in plan.days if d.slot == "threshold" and d.week in range(6, 12)]
    assert build
    assert {d.workout_name for d in build} == {"Tempo run 20 min"}
    library = tuple(w for w in default_library() if w.name != "Tempo run 20 min")
    plan = generate_plan(inputs(schema=named, library=library))
    assert any(w.code is WarningCode.MISSING_WORKOUT for w in plan.warnings)


def test_without_cs_there_are_no_paces_and_no_prediction() -> None:
    plan = generate_plan(inputs(cs=None))
    assert plan.predicted_race_time_s is None
    assert isinstance(plan.race.workout.steps[0], Free)
    assert all(t.pace_s_per_km is None for d in plan.days for t in d.targets)
    by_hr = [
        t
        for d in plan.days
        for t in d.targets
        if not (t.part == "on" and d.kind in ("strides", "hills"))  # by pace or effort
    ]
    assert by_hr
    assert all(t.hr_bpm is not None for t in by_hr)
    assert WarningCode.NO_CRITICAL_SPEED in {w.code for w in plan.warnings}


def test_limits_raise_ramp_and_form_warnings() -> None:
    limits = PlanLimits(max_ctl_ramp=1.0, race_form=(60.0, 80.0), race_form_share=2.0)
    plan = generate_plan(inputs(limits=limits))
    codes = {w.code for w in plan.warnings}
    assert WarningCode.CTL_RAMP in codes
    assert WarningCode.RACE_FORM_LOW in codes
    low = next(w for w in plan.warnings if w.code is WarningCode.RACE_FORM_LOW)
    # Both forms to one decimal, as the page shows form (a share of CTL read "+0.804213").
    assert re.fullmatch(r"race-day form [+-]\d+\.\d is below [+-]\d+\.\d: .*", low.message)
    plan = generate_plan(inputs(limits=PlanLimits(race_form=(-20.0, 0.0))))
    high = next(w for w in plan.warnings if w.code is WarningCode.RACE_FORM_HIGH)
    assert re.fullmatch(r"race-day form [+-]\d+\.\d is above [+-]\d+\.\d: .*", high.message)


def test_unfit_runner_starts_at_the_schema_floor() -> None:
    plan = generate_plan(inputs(ctl=0.0))
    assert plan.weeks[0].target_load == pytest.approx(
        default_schema("marathon").load_cap.min_weekly
    )
    assert WarningCode.START_BELOW_FLOOR in {w.code for w in plan.warnings}


def test_back_to_back_training_days_downgrade_hard_sessions() -> None:
    plan = generate_plan(inputs(training_days=frozenset({4, 5, 6}), sessions_per_week=3))
    # Three days: one quality session a week (Daniels), the others easy runs.
    codes = {w.code for w in plan.warnings}
    assert codes & {WarningCode.HARD_DOWNGRADED, WarningCode.QUALITY_LIMIT}
    # Easy sessions left out by the pattern's priority are no warning; hard ones are.
    assert WarningCode.FEW_TRAINING_DAYS not in {w.code for w in plan.warnings}
    hard = [d.date for d in plan.days if d.hard]
    assert all((b - a).days >= 2 for a, b in itertools.pairwise(hard))
    # Fewer than 3 runs a week is refused (limits.MIN_SESSIONS): the long run would be
    # most of the week.
    for days, sessions in (({2, 6}, 2), ({2, 4, 6}, 2), ({6}, 1)):
        with pytest.raises(ValueError, match="at least 3 training days and 3 runs a week"):
            generate_plan(inputs(training_days=frozenset(days), sessions_per_week=sessions))


def test_inputs_are_checked() -> None:
    with pytest.raises(ValueError, match="not a training day"):
        inputs(long_run_day=0)
    with pytest.raises(ValueError, match="weekdays"):
        inputs(training_days=frozenset({7}), long_run_day=7)
    with pytest.raises(ValueError, match="race distance"):
        inputs(race_distance_m=0.0)
    with pytest.raises(ValueError, match="preparation weeks"):
        inputs(weeks=0)


# --- coachable plans (issue 5): every default schema, 3–6 days, fit and unfit ------------

TRAINING_DAYS = {3: {1, 3, 6}, 4: {1, 3, 5, 6}, 5: {1, 2, 3, 5, 6}, 6: {0, 1, 2, 3, 5, 6}}
NOISE = {
    WarningCode.RACE_FORM_LOW,
    WarningCode.RACE_FORM_HIGH,
    WarningCode.LOAD_CLIPPED,
    WarningCode.FEW_TRAINING_DAYS,
    WarningCode.LIGHT_WEEKS,
    WarningCode.CTL_RAMP,
}


@pytest.mark.parametrize("ctl", [0.0, 30.0, 60.0])
@pytest.mark.parametrize("sessions", [3, 4, 5, 6])
@pytest.mark.parametrize("name", DEFAULTS)
def test_default_schemas_give_plans_a_coach_would_hand_over(
    name: str, sessions: int, ctl: float
) -> None:
    plan = generate_plan(
        inputs(
            name,
            ctl=ctl,
            training_days=frozenset(TRAINING_DAYS[sessions]),
            sessions_per_week=sessions,
        )
    )
    assert plan.race_day_form > 0
    codes = {w.code for w in plan.warnings}
    # Whole repetitions at race pace may leave a short session ~10 % off its share; from
    # no history, growth ≤ 10 % a week may leave a week too light for six sessions.
    allowed = {WarningCode.LOAD_CLIPPED} | ({WarningCode.LIGHT_WEEKS} if ctl == 0 else set())
    assert not codes & (NOISE - allowed), plan.warnings
    for day in plan.days[:-1]:
        off = abs(day.load - day.target_load)
        assert off <= 0.10 * day.target_load or any("scales no closer" in n for n in day.why)
    if name == "marathon":
        peak = max(plan.weeks, key=lambda w: w.target_load)
        long = [d for d in plan.days if d.week == peak.index and d.kind == "long"]
        assert long
        # The long run is ≤ 30 % of its week (Daniels): 2 h once the week holds ~7 h.
        assert long[0].duration_s >= min(2 * 3600, 0.25 * peak.duration_s)
    longest = max(d.duration_s for d in plan.days if d.kind == "long")
    assert longest <= {"5k": 100, "10k": 110, "half-marathon": 140, "marathon": 180}[name] * 60 + 1


def test_a_marathon_plan_for_a_runner_with_no_history() -> None:
    # The case: CTL 0, four sessions a week. Before: 7 warnings (recovery runs
    # dropped, 10 days > 10 % off, race-day form below +5, 60-min-ish long runs).
    plan = generate_plan(
        inputs(ctl=0.0, training_days=frozenset({1, 3, 5, 6}), sessions_per_week=4)
    )
    # Issue 15: a runner with no history is treated as a beginner (one quality session a
    # week) and Daniels' limits shorten what a beginner's weeks cannot hold.
    codes = [w.code for w in plan.warnings]
    assert WarningCode.START_BELOW_FLOOR in codes
    assert set(codes) <= {
        WarningCode.START_BELOW_FLOOR,
        WarningCode.QUALITY_LIMIT,
        WarningCode.INTENSITY_CAPPED,
        WarningCode.LONG_RUN_CAPPED,
    }, plan.warnings
    assert any("no training history" in w.message for w in plan.warnings)
    assert plan.weeks[0].target_load == pytest.approx(150.0)  # the schema's base
    assert plan.max_ctl_ramp < 5.0
    assert plan.race_day_form >= PlanLimits().race_form_low(plan.projection[-2].ctl) > 2.0
    long = [d.duration_s for d in plan.days if d.kind == "long"]
    assert long[0] < 75 * 60  # starts under an hour and a quarter …
    assert 75 * 60 <= max(long) <= 150 * 60  # … and grows within 30 % of the week
    assert all(d.load == pytest.approx(d.target_load, rel=0.05) for d in plan.days[:-1])


def test_a_fit_runner_on_few_days_is_held_to_what_the_days_carry() -> None:
    plan = generate_plan(
        inputs("5k", ctl=60.0, training_days=frozenset({1, 3, 6}), sessions_per_week=3)
    )
    codes = [w.code for w in plan.warnings]
    assert codes[0] == WarningCode.START_ABOVE_CAP or WarningCode.START_ABOVE_CAP in codes
    above = next(w for w in plan.warnings if w.code == WarningCode.START_ABOVE_CAP)
    assert "sessions a week carry" in above.message
    assert set(codes) <= {
        WarningCode.START_ABOVE_CAP,
        WarningCode.QUALITY_LIMIT,
        WarningCode.INTENSITY_CAPPED,
        WarningCode.LONG_RUN_CAPPED,
    }, plan.warnings
    assert plan.weeks[0].target_load < 7 * 60.0
    assert all(d.duration_s <= 100 * 60 + 1 for d in plan.days[:-1])


def test_a_light_race_week_keeps_the_runner_fresh_and_says_so() -> None:
    plan = generate_plan(
        inputs("5k", ctl=0.0, training_days=frozenset({1, 3, 5, 6}), sessions_per_week=4)
    )
    race_week = [d for d in plan.days[:-1] if d.week == len(plan.weeks) - 1]
    assert race_week
    # A runner of no fitness needs a longer taper to arrive fresh: the choice takes one
    # whose form is acceptable, and the days say what the taper is.
    assert plan.taper is not None
    assert plan.taper.chosen.weeks >= 2
    assert all(any(n.startswith("taper:") for n in d.why) for d in race_week)
    assert plan.race_day_form > 0
    assert not taper_over_limits(plan)
