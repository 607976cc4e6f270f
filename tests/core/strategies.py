"""Hypothesis strategies for the pure core's tests: plan schemas (blocks of weekly
patterns, a taper and a load cap) that parse, and runners of the plan grid."""

from __future__ import annotations

from hypothesis import strategies as st

from smartrunning.science.plans import (
    LONG_SLOT,
    WORKOUT_KINDS,
    Block,
    LoadCap,
    PatternSlot,
    PlanSchema,
)
from smartrunning.science.plans.limits import MIN_SESSIONS
from tests.core.plan_grid import GridRunner
from tests.core.plan_inputs import DISTANCES

weights = st.lists(st.integers(1, 20), min_size=1, max_size=7)


@st.composite
def patterns(draw: st.DrawFn) -> tuple[PatternSlot, ...]:
    raw = draw(weights)
    total = sum(raw)
    hard = draw(st.lists(st.booleans(), min_size=len(raw), max_size=len(raw)))
    while sum(hard) > 3:
        hard[hard.index(True)] = False
    with_long = draw(st.booleans())
    return tuple(
        PatternSlot(
            slot=LONG_SLOT if with_long and i == 0 else f"s{i}",
            kind=draw(st.sampled_from(WORKOUT_KINDS)),
            weight=w / total,
            hard=hard[i],
            workout=draw(st.none() | st.sampled_from(["Tempo run 20 min", "X"])),
        )
        for i, w in enumerate(raw)
    )


@st.composite
def blocks(draw: st.DrawFn, kind: str, index: int) -> Block:
    weeks = draw(st.integers(1, 8))
    pattern = draw(patterns())
    name = f"{kind}-{index}"
    if kind == "taper":
        reduction = draw(st.floats(0.40, 0.60))
        return Block(name, "taper", weeks, pattern, reduction=reduction)
    drop = draw(st.floats(0.25, 0.35))
    if kind == "recovery":
        return Block(name, "recovery", weeks, pattern, recovery_drop=drop)
    return Block(
        name,
        draw(st.sampled_from(["base", "build", "peak"])),
        weeks,
        pattern,
        progression=draw(st.floats(0.0, 0.10)),
        recovery_every=draw(st.sampled_from([3, 4])),
        recovery_drop=drop,
    )


@st.composite
def schemas(draw: st.DrawFn) -> PlanSchema:
    kinds = draw(st.lists(st.sampled_from(["progressing", "recovery"]), min_size=1, max_size=4))
    kinds[-1] = "progressing"  # a recovery block cannot come just before the taper
    body = [draw(blocks(kind, i)) for i, kind in enumerate(kinds)]
    taper = draw(blocks("taper", len(body)))
    cap = LoadCap(
        max_ramp=draw(st.floats(0.01, 0.25)),
        max_weekly=draw(st.floats(200.0, 2000.0)),
        min_weekly=draw(st.floats(1.0, 200.0)),
    )
    return PlanSchema(
        name=draw(st.text(min_size=1, max_size=20).filter(str.strip)),
        blocks=(*body, taper),
        load_cap=cap,
        description=draw(st.text(max_size=40)),
        race_distance_m=draw(st.none() | st.floats(1000.0, 100000.0)),
    )


HISTORIES = ("history", "tired", "fresh", "stated", "none")


@st.composite
def grid_runners(
    draw: st.DrawFn,
    histories: tuple[str, ...] = HISTORIES,
    weeks: st.SearchStrategy[int | None] | None = None,
    least_days: int = 3,
    most_days: int = 7,
    fewer_sessions: bool = True,
    least_weekly_h: float = 0.3,
    least_vdot_factor: float = 0.93,
) -> GridRunner:
    """Any runner of the plan grid (``tests.core.plan_grid``): level, age, training days and
    long-run day, race and its distance, plan length, history, LTHR, VDOT from races, a CS
    change during the plan and a fitted response model. ``weeks`` (default: the template's
    or 1–30), ``least_days`` to ``most_days`` training days (3–7), ``fewer_sessions`` than training
    days or not, weekly running and the VDOT from races (× the CS model's) at least those
    given: the region drawn from."""
    schema = draw(st.sampled_from(sorted(DISTANCES)))
    cs = draw(st.floats(2.5, 5.4))
    days = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=least_days, max_size=most_days))))
    plan_weeks = draw(st.none() | st.integers(1, 30) if weeks is None else weeks)
    km = DISTANCES[schema] / 1000.0
    return GridRunner(
        schema=schema,
        level="drawn",
        cs_mps=cs,
        d_prime_m=draw(st.floats(60.0, 350.0)),
        age=draw(st.integers(16, 85)),
        days=days,
        long_day=draw(st.sampled_from(days)),
        history=draw(st.sampled_from(histories)),
        weekly_h=max(draw(st.floats(0.3, 12.0)) * cs / 4.0, least_weekly_h),
        weeks=plan_weeks,
        sessions=draw(
            st.none() | st.integers(max(MIN_SESSIONS, len(days) - 2), len(days))
            if fewer_sessions
            else st.none()
        ),
        race_km=draw(st.none() | st.floats(0.6 * km, 1.5 * km)),
        race_shift_d=draw(st.integers(-3, 3)),
        lthr=draw(st.booleans()),
        vdot_factor=draw(st.none() | st.floats(least_vdot_factor, 1.05)),
        cs_change=draw(
            st.none() | st.tuples(st.integers(0, 7 * (plan_weeks or 10)), st.floats(0.94, 1.06))
        ),
        response=draw(
            st.none()
            | st.tuples(
                st.floats(0.3, 3.0),
                st.floats(0.5, 6.0),
                st.floats(20.0, 60.0),
                st.floats(3.0, 15.0),
            )
        ),
    )
