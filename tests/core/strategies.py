"""Hypothesis strategies for the pure core's tests: plan schemas (blocks of weekly
patterns, a taper and a load cap) that parse."""

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
