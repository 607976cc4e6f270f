"""Plan weeks: blocks laid backwards and scaled, weekly loads, and the week's sessions."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smartrunning.science.plans import LONG_SLOT, Block, LoadCap, PatternSlot, PlanSchema
from smartrunning.science.plans.layout import (
    block_weeks,
    plan_start,
    start_load,
    week_loads,
)
from smartrunning.science.plans.week import adjacent, session_days, week_sessions

EASY = (PatternSlot("easy", "easy", 1.0, False),)


def block(kind: str, weeks: int, **fields: float) -> Block:
    name = f"{kind}{weeks}{sorted(fields.items())}"
    if kind == "taper":
        return Block(name, "taper", weeks, EASY, reduction=fields.get("reduction", 0.5))
    if kind == "recovery":
        return Block(name, "recovery", weeks, EASY, recovery_drop=0.3)
    return Block(
        name,
        kind,  # type: ignore[arg-type]
        weeks,
        EASY,
        progression=fields.get("progression", 0.06),
        recovery_every=int(fields.get("every", 4)),
        recovery_drop=fields.get("drop", 0.3),
    )


def schema(*blocks: Block, cap: LoadCap | None = None) -> PlanSchema:
    named = tuple(replace(b, name=f"{i}: {b.name}") for i, b in enumerate(blocks))
    return PlanSchema("test", named, cap or LoadCap(0.10, 1000.0, 50.0))


# --- plan start and block lengths -------------------------------------------------------


def test_plan_start_gives_whole_weeks_ending_on_race_day() -> None:
    race = dt.date(2025, 10, 12)
    assert plan_start(race, 1) == dt.date(2025, 10, 6)
    assert (race - plan_start(race, 20)).days + 1 == 140


def test_blocks_scale_in_proportion_with_the_taper_kept() -> None:
    s = schema(block("base", 6), block("build", 6), block("peak", 4), block("taper", 3))
    assert block_weeks(s, 19) == (6, 6, 4, 3)
    assert block_weeks(s, 35) == (12, 12, 8, 3)
    assert block_weeks(s, 11) == (3, 3, 2, 3)
    # 5 weeks for three blocks of 6:6:4 → ideal 1.875:1.875:1.25; largest remainders.
    assert block_weeks(s, 8) == (2, 2, 1, 3)
    # Fewer weeks than blocks: the blocks nearest the race keep one week each.
    assert block_weeks(s, 5) == (0, 1, 1, 3)
    # Shorter than the taper: all taper.
    assert block_weeks(s, 2) == (0, 0, 0, 2)


@settings(max_examples=300)
@given(
    st.lists(st.integers(1, 9), min_size=1, max_size=5),
    st.integers(1, 6),
    st.integers(1, 52),
)
def test_block_lengths_add_up_and_keep_the_taper(body: list[int], taper: int, weeks: int) -> None:
    s = schema(*(block("base", n) for n in body), block("taper", taper))
    lengths = block_weeks(s, weeks)
    assert sum(lengths) == weeks
    assert lengths[-1] == min(taper, weeks)
    rest = weeks - lengths[-1]
    if rest >= len(body):
        assert all(n >= 1 for n in lengths[:-1])
        ideals = [rest * w / sum(body) for w in body]
        # Blocks whose share is under a week still get one: those weeks come off the others.
        forced = math.ceil(sum(max(0.0, 1.0 - x) for x in ideals) - 1e-9)
        for n, ideal in zip(lengths[:-1], ideals, strict=True):
            assert n <= max(1, math.ceil(ideal)) + 1
            assert n >= math.floor(ideal) - 1 - forced
    else:
        assert lengths[:-1].count(1) == rest
        assert all(n == 0 for n in lengths[: len(body) - rest])


# --- weekly loads ------------------------------------------------------------------------


def test_start_load_is_seven_times_ctl_within_the_schema_bounds() -> None:
    s = schema(block("base", 4), block("taper", 1), cap=LoadCap(0.1, 600.0, 150.0))
    assert start_load(s, 40.0) == pytest.approx(280.0)
    # Issue #15: the 10 % growth cap comes before the floor (35 → 38.5, not 150) …
    assert start_load(s, 5.0) == pytest.approx(38.5)
    assert start_load(s, 20.0, recent=100.0) == pytest.approx(110.0)
    # … and with no history at all the floor stands.
    assert start_load(s, 0.0) == pytest.approx(150.0)
    assert start_load(s, 200.0) == pytest.approx(600.0)
    with pytest.raises(ValueError, match="CTL"):
        start_load(s, math.nan)


def test_loads_progress_recover_and_taper() -> None:
    s = schema(block("base", 8, progression=0.05), block("taper", 2, reduction=0.5))
    weeks = week_loads(s, (8, 2), 300.0)
    loads = [w.load for w in weeks]
    assert [w.recovery for w in weeks] == [False] * 3 + [True] + [False] * 3 + [False] * 3
    assert loads[0] == pytest.approx(300.0)
    assert loads[1] == pytest.approx(315.0)
    assert loads[2] == pytest.approx(330.75)
    assert loads[3] == pytest.approx(330.75 * 0.7)
    assert loads[4] == pytest.approx(330.75 * 1.05)
    peak = loads[7]
    # Issue #15: the taper steps 0.8 → 1.2 × its reduction, so the two weeks average −50 %
    # (Bosquet 2007: −41 to −60 %), not the −37.5 % of peak × (1 − 0.5 · j / 2).
    assert loads[8] == pytest.approx(peak * 0.6)
    assert loads[9] == pytest.approx(peak * 0.4)


def test_no_recovery_week_just_before_the_taper() -> None:
    s = schema(block("base", 4, every=4), block("taper", 1))
    assert [w.recovery for w in week_loads(s, (4, 1), 300.0)] == [False] * 5


def test_loads_stop_at_the_cap() -> None:
    s = schema(
        block("base", 10, progression=0.1), block("taper", 1), cap=LoadCap(0.05, 400.0, 100.0)
    )
    loads = [w.load for w in week_loads(s, (10, 1), 300.0)]
    assert max(loads) == pytest.approx(400.0)
    assert loads[1] == pytest.approx(315.0)  # the ramp cap (5 %) bites before 10 %


cap_strategy = st.builds(
    LoadCap,
    max_ramp=st.floats(0.01, 0.25),
    max_weekly=st.floats(100.0, 1500.0),
    min_weekly=st.floats(1.0, 100.0),
)
block_strategy = st.builds(
    block,
    kind=st.sampled_from(["base", "build", "peak", "recovery"]),
    weeks=st.integers(1, 8),
    progression=st.floats(0.0, 0.1),
    every=st.sampled_from([3, 4]),
    drop=st.floats(0.25, 0.35),
)


@settings(max_examples=300)
@given(
    st.lists(block_strategy, min_size=1, max_size=4),
    st.integers(1, 4),
    st.floats(0.4, 0.6),
    cap_strategy,
    st.floats(0.0, 150.0),
    st.integers(1, 40),
)
def test_weekly_loads_obey_the_cap_recovery_and_taper(
    body: list[Block], taper: int, reduction: float, cap: LoadCap, ctl: float, weeks: int
) -> None:
    assume(body[-1].kind != "recovery")
    s = schema(*body, block("taper", taper, reduction=reduction), cap=cap)
    outline = week_loads(s, block_weeks(s, weeks), start_load(s, ctl))
    loads = [w.load for w in outline]
    assert len(loads) == weeks
    assert all(0.0 <= load <= cap.max_weekly * (1 + 1e-12) for load in loads)
    for i in range(1, weeks):
        assert loads[i] <= (1 + cap.max_ramp) * max(loads[max(0, i - 2) : i]) * (1 + 1e-12)
    for i, week in enumerate(outline):
        if week.recovery and s.blocks[week.block_index].kind != "recovery":
            assert 0 < i < weeks - 1
            assert loads[i] < loads[i - 1]
            assert loads[i] < loads[i + 1]
    tapered = [w for w in outline if s.blocks[w.block_index].kind == "taper"]
    assert len(tapered) == min(taper, weeks)
    before = [w.load for w in outline if s.blocks[w.block_index].kind != "taper"]
    peak = before[-1] if before else start_load(s, ctl)
    effective = min(reduction, 0.5)  # MAX_TAPER_REDUCTION
    mean = sum(w.load for w in tapered) / len(tapered)
    if len(tapered) == taper:  # a whole taper averages its reduction
        assert mean == pytest.approx(peak * (1 - effective))
    assert tapered[-1].load <= peak * (1 - effective) + 1e-9
    steps = [peak, *(w.load for w in tapered)]
    assert all(b < a for a, b in itertools.pairwise(steps))


# --- the week's sessions -----------------------------------------------------------------


def pattern(*kinds: tuple[str, bool]) -> tuple[PatternSlot, ...]:
    n = len(kinds)
    return tuple(
        PatternSlot(LONG_SLOT if kind == "long" else f"{kind}{i}", kind, 1 / n, hard)  # type: ignore[arg-type]
        for i, (kind, hard) in enumerate(kinds)
    )


MARATHON_WEEK = pattern(
    ("long", False), ("threshold", True), ("race-pace", True), ("easy", False), ("recovery", False)
)


def test_a_typical_week() -> None:
    week = week_sessions(MARATHON_WEEK, {1, 2, 3, 5, 6}, 6, 5)
    by_day = {s.weekday: (s.kind, s.hard) for s in week}
    assert by_day[6] == ("long", False)
    hard_days = sorted(d for d, (_, hard) in by_day.items() if hard)
    # Tue and Thu: apart, and off the days next to Sunday's long run.
    assert hard_days == [1, 3]
    assert by_day[1][0] == "threshold"  # the first hard session after the long run


def test_fewer_days_drop_sessions_from_the_end_but_keep_the_long_run() -> None:
    week = week_sessions(MARATHON_WEEK, {0, 2, 6}, 6, 5)
    assert sorted(s.slot for s in week) == sorted(["long", "threshold1", "race-pace2"])
    assert sum(s.weight for s in week) == pytest.approx(1.0)
    assert [s.weekday for s in week if s.slot == LONG_SLOT] == [6]


def test_back_to_back_days_downgrade_the_lower_priority_hard_session() -> None:
    week = week_sessions(MARATHON_WEEK, {1, 2, 6}, 6, 3)
    hard = [s for s in week if s.hard]
    downgraded = [s for s in week if s.downgraded]
    assert [s.slot for s in hard] == ["threshold1"]
    assert [(s.slot, s.kind) for s in downgraded] == [("race-pace2", "easy")]


def test_more_days_than_sessions_add_easy_fillers() -> None:
    week = week_sessions(MARATHON_WEEK, set(range(7)), 6, 7)
    assert len(week) == 7
    fillers = [s for s in week if s.slot.startswith("easy-extra")]
    assert len(fillers) == 2
    assert all(not s.hard for s in fillers)
    # Easy runs, or a recovery run on the day before the long run (Saturday here).
    assert all(s.kind == ("recovery" if s.weekday == 5 else "easy") for s in fillers)
    assert sum(s.weight for s in week) == pytest.approx(1.0)


def test_session_days_spread_out() -> None:
    assert session_days({0, 1, 2, 3, 4, 5, 6}, 6, 3) == (1, 3, 6)
    assert session_days({0, 1, 2, 3}, 3, 2) == (0, 3)
    with pytest.raises(ValueError, match="not a training day"):
        session_days({0, 1}, 6, 2)


patterns = st.lists(
    st.tuples(st.sampled_from(["easy", "tempo", "vo2max", "long", "recovery"]), st.booleans()),
    min_size=1,
    max_size=7,
)


@settings(max_examples=400)
@given(
    patterns,
    st.sets(st.integers(0, 6), min_size=1),
    st.data(),
    st.integers(1, 7),
)
def test_week_rules_hold_for_any_pattern_and_days(
    kinds: list[tuple[str, bool]], days: set[int], data: st.DataObject, sessions: int
) -> None:
    longs = [k for k, _ in kinds if k == "long"]
    assume(len(longs) <= 1)
    hard_count = sum(hard for _, hard in kinds)
    assume(hard_count <= 3)
    long_day = data.draw(st.sampled_from(sorted(days)))
    week = week_sessions(pattern(*kinds), days, long_day, sessions)
    assert len(week) == min(sessions, len(days))
    assert {s.weekday for s in week} <= days
    assert len({s.weekday for s in week}) == len(week)
    assert sum(s.weight for s in week) == pytest.approx(1.0)
    assert all(s.weekday == long_day for s in week if s.slot == LONG_SLOT)
    if longs:
        assert any(s.slot == LONG_SLOT for s in week)
    hard = [s.weekday for s in week if s.hard]
    assert not any(adjacent(a, b) for a in hard for b in hard if a != b)
    assert len(hard) + sum(s.downgraded for s in week) <= hard_count
