"""Choosing library workouts for plan days and scaling them to a day's load."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.plans.kinds import duration_bounds, race_tag
from smartrunning.science.plans.scaling import (
    DURATION_TOLERANCE_S,
    SCALE_BOUNDS,
    Library,
    scale_to_duration,
    scale_workout,
)
from smartrunning.science.workouts import (
    Extent,
    Intervals,
    MaxEffort,
    Ramp,
    Steady,
    Workout,
)
from smartrunning.science.zwo import read_zwo


@cache
def default_library() -> tuple[Workout, ...]:
    folder = files("smartrunning.data") / "workouts"
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".zwo")), key=lambda e: e.name)
    return tuple(read_zwo(e.read_bytes()) for e in entries)


def intervals_workout() -> Workout:
    return Workout(
        "6 × 3 min",
        "run",
        (
            Ramp("warmup", Extent(900.0), 0.62, 0.78),
            Intervals(6, Extent(180.0), Extent(120.0), 1.1, 0.65),
            Ramp("cooldown", Extent(600.0), 0.74, 0.62),
        ),
        tags=("kind:vo2max",),
    )


def test_race_tag_is_the_nearest_distance_by_ratio() -> None:
    assert race_tag(5000.0) == "5k"
    assert race_tag(8000.0) == "10k"
    assert race_tag(15000.0) == "half"  # ln(21.1/15) < ln(15/10)
    assert race_tag(42195.0) == "marathon"
    assert race_tag(100_000.0) == "marathon"


def test_scaling_keeps_intensity_and_rep_length_and_hits_the_load() -> None:
    workout = intervals_workout()
    base = workout.estimated_load(4.0)
    scaled = scale_workout(workout, base * 1.5, 4.0).workout
    (warmup, block, cooldown) = scaled.steps
    assert isinstance(block, Intervals)
    # The repetitions carry the extra load; the warm-up and cool-down are kept (±rounding).
    assert block.repeat == 10
    assert isinstance(warmup, Ramp)
    assert isinstance(cooldown, Ramp)
    assert warmup.extent.value == pytest.approx(900.0, rel=0.15)
    assert cooldown.extent.value == pytest.approx(600.0, rel=0.15)
    assert (block.on, block.off, block.on_intensity) == (Extent(180.0), Extent(120.0), 1.1)
    assert scaled.estimated_load(4.0) == pytest.approx(base * 1.5, rel=0.01)
    shorter = scale_workout(workout, base * 0.7, 4.0).workout
    assert isinstance(shorter.steps[1], Intervals)
    assert shorter.steps[1].repeat in (4, 5)
    assert shorter.estimated_load(4.0) == pytest.approx(base * 0.7, rel=0.01)


def test_scaling_is_clipped_to_its_duration_bounds() -> None:
    workout = intervals_workout()
    base = workout.estimated_load(4.0)
    big = scale_workout(workout, base * 5, 4.0, bounds_s=(1200.0, 5400.0))
    assert big.clipped
    assert big.ratio == pytest.approx(5.0)
    assert big.workout.total_duration_s(4.0) == pytest.approx(5400.0, abs=DURATION_TOLERANCE_S)
    small = scale_workout(workout, base * 0.1, 4.0, bounds_s=(1200.0, 5400.0))
    assert small.clipped
    assert small.workout.total_duration_s(4.0) == pytest.approx(1200.0, abs=DURATION_TOLERANCE_S)
    inside = scale_workout(workout, base * 1.6, 4.0, bounds_s=(1200.0, 5400.0))
    assert not inside.clipped
    assert inside.workout.estimated_load(4.0) == pytest.approx(base * 1.6, rel=0.005)


def test_a_load_past_a_day_of_running_is_clipped_not_refused() -> None:
    """A taper fit may ask a session for far more than it carries at its longest: solved
    for the load first, an easy run's step grew past a day (96,380 s) and raised; the
    answer is the longest session, clipped (hypothesis's example: a marathon taper)."""
    easy = Workout("Easy 45 min", "run", (Steady(Extent(2700.0), 0.75),), tags=("kind:easy",))
    base = easy.estimated_load(3.0)
    huge = scale_workout(easy, base * 60, 3.0, bounds_s=(1200.0, 9000.0))
    assert huge.clipped
    assert huge.workout.total_duration_s(3.0) == pytest.approx(9000.0, abs=DURATION_TOLERANCE_S)
    with pytest.raises(ValueError, match="at most 86400 s"):
        scale_workout(easy, base * 60, 3.0)  # no bounds: the workout itself is impossible


def test_a_long_run_grows_by_its_steady_part() -> None:
    long = next(w for w in default_library() if w.name == "Long run 2 h 30")
    three_hours = scale_to_duration(long, 3 * 3600.0, 3.5)
    assert three_hours.total_duration_s(3.5) == pytest.approx(3 * 3600.0, abs=1.0)
    assert three_hours.steps[0] == long.steps[0]  # the warm-up is kept
    assert three_hours.steps[-1] == long.steps[-1]  # and the cool-down
    marathon = Library(default_library(), 42195.0)
    low, high = duration_bounds("long", marathon.tag)
    assert (low, high) == (1800.0, 3 * 3600.0)
    assert duration_bounds("long", "5k")[1] < high


def test_a_resized_day_lands_on_the_asked_duration() -> None:
    # The case: a 60 min easy run edited to 50 min gave 43:50.
    easy = next(w for w in default_library() if w.name == "Easy run 60 min")
    assert scale_to_duration(easy, 3000.0, 3.8).total_duration_s(3.8) == pytest.approx(3000.0)
    intervals = scale_to_duration(intervals_workout(), 3000.0, 3.8)
    assert intervals.total_duration_s(3.8) == pytest.approx(3000.0, abs=1.0)
    block = intervals.steps[1]
    assert isinstance(block, Intervals)
    assert block.on == Extent(180.0)


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 37), st.floats(2.5, 5.5), st.floats(0.0, 1.0))
def test_every_library_workout_scales_to_a_duration_within_one_percent(
    index: int, cs: float, where: float
) -> None:
    workout = default_library()[index]
    own = workout.total_duration_s(cs)
    # A sensible range: from 15 min (or 40 % of the workout) to 4 h (or 3 times it).
    low, high = max(900.0, 0.4 * own), min(4 * 3600.0, 3 * own)
    target = low + where * (high - low)
    scaled = scale_to_duration(workout, target, cs)
    assert scaled.total_duration_s(cs) == pytest.approx(target, rel=0.01)
    assert abs(scaled.total_duration_s(cs) - target) <= 5.0
    for before, after in zip(workout.steps, scaled.steps, strict=True):
        assert type(before) is type(after)
        if isinstance(before, Steady) and isinstance(after, Steady):
            assert after.intensity == before.intensity
        if isinstance(before, MaxEffort):
            assert after == before


def test_max_efforts_keep_their_length() -> None:
    sprint = MaxEffort(Extent(10.0))
    workout = Workout("w", "run", (Steady(Extent(1800.0), 0.75), sprint))
    scaled = scale_workout(workout, workout.estimated_load(4.0) * 1.4, 4.0).workout
    assert scaled.steps[1] == sprint
    assert isinstance(scaled.steps[0], Steady)
    assert scaled.steps[0].extent.value > 1800.0


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 37),
    st.floats(2.5, 5.5),
    st.floats(SCALE_BOUNDS[0] + 1e-6, SCALE_BOUNDS[1] - 1e-6),
)
def test_library_workouts_scale_to_their_load_with_intensity_kept(
    index: int, cs: float, ratio: float
) -> None:
    workout = default_library()[index]
    base = workout.estimated_load(cs)
    result = scale_workout(workout, base * ratio, cs)
    scaled = result.workout
    assert not result.clipped
    # Within 3 % except for intervals so few that a rounded count must move the load
    # (2 × 5 km at marathon pace): never more than 10 % off.
    error = abs(scaled.estimated_load(cs) / (base * ratio) - 1)
    few_reps = any(isinstance(s, Intervals) and s.repeat <= 2 for s in workout.steps)
    assert error <= (0.10 if few_reps else 0.03)
    assert len(scaled.steps) == len(workout.steps)
    for before, after in zip(workout.steps, scaled.steps, strict=True):
        assert type(before) is type(after)
        if isinstance(before, Steady) and isinstance(after, Steady):
            assert after.intensity == before.intensity
            assert after.extent.unit == before.extent.unit
        if isinstance(before, Intervals) and isinstance(after, Intervals):
            assert (after.on, after.off) == (before.on, before.off)
            assert after.repeat >= 1


def test_library_choice_rotates_and_fits() -> None:
    library = Library(default_library(), 42195.0)
    easy = library.candidates("easy")
    assert [w.name for w in easy] == sorted(w.name for w in easy)
    chosen = {library.choose("easy", 50.0, 3.8, week).name for week in range(8)}  # type: ignore[union-attr]
    assert len(chosen) >= 2
    for week in range(8):
        workout = library.choose("easy", 50.0, 3.8, week)
        assert workout is not None
        low, high = SCALE_BOUNDS
        assert low <= 50.0 / workout.estimated_load(3.8) <= high
    # Nothing fits 500: the nearest (largest) is used.
    big = library.choose("long", 500.0, 3.8, 0)
    assert big is not None
    assert big.estimated_load(3.8) == max(w.estimated_load(3.8) for w in library.candidates("long"))
    assert library.choose("fartlek", 50.0, 3.8, 0) is None


def test_race_pace_workouts_are_those_of_the_race() -> None:
    marathon = Library(default_library(), 42195.0).candidates("race-pace")
    assert marathon
    assert all("race:marathon" in w.tags for w in marathon)
    five = Library(default_library(), 5000.0)
    assert all("race:5k" in w.tags for w in five.candidates("race-pace"))
    # A long run tagged for the marathon is not a 5 km plan's long run.
    assert all("race:marathon" not in w.tags for w in five.candidates("long"))
    assert any(
        "race:marathon" in w.tags for w in Library(default_library(), 42195.0).candidates("long")
    )


def test_library_order_does_not_matter() -> None:
    forward = Library(default_library(), 10000.0)
    backward = Library(tuple(reversed(default_library())), 10000.0)
    for kind in ("easy", "vo2max", "race-pace"):
        assert forward.candidates(kind) == backward.candidates(kind)
        assert forward.choose(kind, 60.0, 4.0, 3) == backward.choose(kind, 60.0, 4.0, 3)
