"""The workout step model: validation, totals, load, timeline; and the default library."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.workouts import (
    FREE_INTENSITY,
    MAX_EFFORT_INTENSITY,
    Extent,
    ExtentUnit,
    Free,
    Intervals,
    MaxEffort,
    Ramp,
    Steady,
    Step,
    Target,
    TextEvent,
    Workout,
    step_unit,
)
from smartrunning.science.zwo import read_zwo, write_zwo

CS = 4.0
HR = Target("hr", 0.65, 0.79)


def run(*steps: Step, tags: tuple[str, ...] = ()) -> Workout:
    return Workout(name="w", sport="run", steps=steps, tags=tags)


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: Extent(-1.0), "negative"),
        (lambda: Extent(math.inf), "finite"),
        (lambda: Extent(90_000.0, "s"), "at most 86400 s"),
        (lambda: Extent(1.0, "km"), "unit"),  # type: ignore[arg-type]
        (lambda: Steady(Extent(0.0), 0.7), "positive"),
        (lambda: Steady(Extent(60.0), 75.0), "fraction"),
        (lambda: Steady(Extent(60.0), math.nan), "fraction"),
        (lambda: Steady(Extent(400.0, "m"), 0.0), "between 0.1 and 5"),
        (lambda: Ramp("sprint", Extent(60.0), 0.5, 0.6), "ramp kind"),  # type: ignore[arg-type]
        (lambda: Intervals(0, Extent(60.0), Extent(60.0), 1.0, 0.5), "repeat"),
        (lambda: Intervals(True, Extent(60.0), Extent(60.0), 1.0, 0.5), "repeat"),
        (lambda: Intervals(501, Extent(60.0), Extent(60.0), 1.0, 0.5), "repeat"),
        (lambda: Intervals(2, Extent(60.0), Extent(400.0, "m"), 1.0, 0.05), "off intensity"),
        (lambda: Target("pace", 0.0, 230.0), "pace target"),
        (lambda: Target("hr", 0.65, 4.0), "heart rate target"),
        (lambda: Target("pace", 240.0, 230.0), "not be above"),
        (lambda: Steady(Extent(60.0), 1.0, target_range=(0.9, 1.1), target=HR), "not both"),
        (
            lambda: Intervals(
                2, Extent(60.0), Extent(60.0), 1.0, 0.5, on_intensity_end=1.1, on_target=HR
            ),
            "ramped on part",
        ),
        (lambda: Free(Extent(0.0)), "positive"),
        (lambda: MaxEffort(Extent(-5.0)), "negative"),
        (lambda: TextEvent(Extent(0.0), "bell \x07"), "not allowed"),
        (lambda: Workout("w", "run", ()), "at least one step"),
        (lambda: Workout("w", "swim", (Free(Extent(60.0)),)), "sport"),  # type: ignore[arg-type]
        (lambda: Workout("a\x00b", "run", (Free(Extent(60.0)),)), "not allowed"),
        (lambda: Workout("w", "run", (Free(Extent(60.0)),), tags=(" ",)), "tags"),
        (lambda: Workout("w", "run", (Free(Extent(60.0)),) * 1001), "at most 1000 steps"),
    ],
)
def test_invalid_models_are_refused(make: Callable[[], object], words: str) -> None:
    with pytest.raises(ValueError, match=words):
        make()


def test_intervals_may_have_no_recovery() -> None:
    block = Intervals(3, Extent(60.0), Extent(0.0), 1.1, 0.6)
    assert [s.kind for s in run(block).timeline()] == ["on", "on", "on"]


def test_kind_is_read_from_the_first_kind_tag() -> None:
    assert run(Free(Extent(60.0)), tags=("x", "kind:tempo", "kind:easy")).kind == "tempo"
    assert run(Free(Extent(60.0)), tags=("tempo",)).kind is None


# --- totals and load ---------------------------------------------------------------------


def test_one_hour_at_critical_speed_is_load_100_by_time_or_distance() -> None:
    by_time = run(Steady(Extent(3600.0), 1.0))
    by_distance = run(Steady(Extent(3600.0 * CS, "m"), 1.0))
    for workout in (by_time, by_distance):
        assert workout.total_duration_s(CS) == pytest.approx(3600.0)
        assert workout.total_distance_m(CS) == pytest.approx(3600.0 * CS)
        assert workout.estimated_load(CS) == pytest.approx(100.0)


def test_load_is_quadratic_in_intensity() -> None:
    assert run(Steady(Extent(3600.0), 0.75)).estimated_load() == pytest.approx(56.25)


def test_distance_steps_need_a_speed_but_time_steps_do_not() -> None:
    timed = run(Steady(Extent(600.0), 0.8))
    assert timed.total_duration_s() == pytest.approx(600.0)
    assert timed.total_duration_s(3.0) == timed.total_duration_s(5.0)
    assert not timed.has_distance_steps
    measured = run(Steady(Extent(1000.0, "m"), 0.8))
    assert measured.has_distance_steps
    with pytest.raises(ValueError, match="cs_mps"):
        measured.total_duration_s()
    with pytest.raises(ValueError, match="positive speed"):
        measured.total_duration_s(0.0)
    assert measured.total_duration_s(CS) == pytest.approx(1000.0 / (0.8 * CS))


def _integrate(y: np.ndarray, x: np.ndarray) -> float:
    return float(np.sum((y[1:] + y[:-1]) / 2.0 * np.diff(x)))


@given(
    st.floats(0.3, 2.0),
    st.floats(0.3, 2.0),
    st.floats(10.0, 5000.0),
    st.floats(2.0, 6.0),
)
def test_time_ramp_matches_numerical_integration(a: float, b: float, t: float, cs: float) -> None:
    workout = run(Ramp("ramp", Extent(t), a, b))
    time = np.linspace(0.0, t, 20_001)
    intensity = a + (b - a) * time / t
    assert workout.total_duration_s(cs) == pytest.approx(t)
    assert workout.total_distance_m(cs) == pytest.approx(_integrate(intensity * cs, time))
    load = _integrate(intensity**2, time) / 3600.0 * 100.0
    assert workout.estimated_load(cs) == pytest.approx(load, rel=1e-6)


@given(
    st.floats(0.3, 2.0),
    st.floats(0.3, 2.0),
    st.floats(100.0, 20_000.0),
    st.floats(2.0, 6.0),
)
def test_distance_ramp_matches_numerical_integration(
    a: float, b: float, d: float, cs: float
) -> None:
    workout = run(Ramp("ramp", Extent(d, "m"), a, b))
    x = np.linspace(0.0, d, 20_001)
    intensity = a + (b - a) * x / d
    seconds = _integrate(1.0 / (intensity * cs), x)
    if_squared_seconds = _integrate(intensity**2 / (intensity * cs), x)
    assert workout.total_distance_m(cs) == pytest.approx(d)
    assert workout.total_duration_s(cs) == pytest.approx(seconds, rel=1e-6)
    assert workout.estimated_load(cs) == pytest.approx(if_squared_seconds / 36.0, rel=1e-6)


def test_intervals_totals_and_timeline() -> None:
    workout = run(
        Ramp("warmup", Extent(600.0), 0.6, 0.8),
        Intervals(5, Extent(1000.0, "m"), Extent(400.0, "m"), 1.0, 0.5),
        Ramp("cooldown", Extent(300.0), 0.7, 0.5),
    )
    on_s, off_s = 1000.0 / CS, 400.0 / (0.5 * CS)
    assert workout.total_duration_s(CS) == pytest.approx(600 + 5 * (on_s + off_s) + 300)
    assert workout.total_distance_m(CS) == pytest.approx(600 * 0.7 * CS + 7000 + 300 * 0.6 * CS)
    timeline = workout.timeline(CS)
    assert [s.kind for s in timeline] == ["warmup", *["on", "off"] * 5, "cooldown"]
    assert [s.step_index for s in timeline] == [0, *[1] * 10, 2]
    assert timeline[1].end_s - timeline[1].start_s == pytest.approx(on_s)
    assert (timeline[-1].intensity_start, timeline[-1].intensity_end) == (0.7, 0.5)


def test_free_and_max_effort_use_the_assumed_intensities() -> None:
    workout = run(Free(Extent(600.0)), MaxEffort(Extent(30.0)))
    free, sprint = workout.timeline()
    assert (free.kind, free.intensity_start) == ("free", FREE_INTENSITY)
    assert (sprint.kind, sprint.intensity_end) == ("max", MAX_EFFORT_INTENSITY)
    expected = (600 * FREE_INTENSITY**2 + 30 * MAX_EFFORT_INTENSITY**2) / 36.0
    assert workout.estimated_load() == pytest.approx(expected)


_units: st.SearchStrategy[ExtentUnit] = st.sampled_from(["s", "m"])


@st.composite
def _simple_step(draw: st.DrawFn) -> Step:
    unit: ExtentUnit = draw(_units)
    extent = st.floats(1.0, 1000.0).map(lambda v: Extent(v, unit))  # 8 × 4 × 2 × 1000 s < 24 h
    intensity = st.floats(0.3, 1.5)
    choice = draw(st.integers(0, 4))
    if choice == 0:
        return Steady(draw(extent), draw(intensity))
    if choice == 1:
        return Ramp("ramp", draw(extent), draw(intensity), draw(intensity))
    if choice == 2:
        repeat = draw(st.integers(1, 4))
        return Intervals(repeat, draw(extent), draw(extent), draw(intensity), draw(intensity))
    if choice == 3:
        return Free(draw(extent))
    return MaxEffort(draw(extent))


@given(st.lists(_simple_step(), min_size=1, max_size=8), st.floats(2.0, 6.5))
def test_timeline_is_contiguous_and_adds_up(steps: list[Step], cs: float) -> None:
    workout = run(*steps)
    timeline = workout.timeline(cs)
    assert timeline[0].start_s == 0.0
    for before, after in itertools.pairwise(timeline):
        assert after.start_s == before.end_s
        assert after.step_index >= before.step_index
    assert all(s.end_s > s.start_s for s in timeline)
    assert timeline[-1].end_s == pytest.approx(workout.total_duration_s(cs))
    assert workout.estimated_load(cs) > 0.0
    assert workout.total_distance_m(cs) > 0.0


@given(st.lists(_simple_step(), min_size=1, max_size=8), st.floats(2.0, 6.5))
def test_distance_steps_equal_their_timed_equivalents(steps: list[Step], cs: float) -> None:
    """A steady distance step is the same as a time step of its duration at that CS."""
    workout = run(*steps)
    timed = tuple(
        Steady(Extent(step.extent.value / (step.intensity * cs)), step.intensity)
        if isinstance(step, Steady) and step_unit(step) == "m"
        else step
        for step in steps
    )
    other = run(*timed)
    assert other.total_duration_s(cs) == pytest.approx(workout.total_duration_s(cs))
    assert other.total_distance_m(cs) == pytest.approx(workout.total_distance_m(cs))
    assert other.estimated_load(cs) == pytest.approx(workout.estimated_load(cs))


def test_faster_critical_speed_shortens_distance_workouts_only() -> None:
    mixed = run(Steady(Extent(1200.0), 0.8), Steady(Extent(5000.0, "m"), 0.8))
    assert mixed.total_duration_s(5.0) < mixed.total_duration_s(4.0)
    assert mixed.total_duration_s(5.0) - 1200.0 == pytest.approx(5000.0 / (0.8 * 5.0))


# --- the default library -------------------------------------------------------------------

LIBRARY = files("smartrunning").joinpath("data", "workouts")
LIBRARY_FILES = sorted(
    (entry for entry in LIBRARY.iterdir() if entry.name.endswith(".zwo")), key=lambda e: e.name
)
KINDS = {
    "easy",
    "recovery",
    "long",
    "progression",
    "tempo",
    "threshold",
    "vo2max",
    "hills",
    "strides",
    "race-pace",
}
RACE_PACE_BANDS = {
    "race:5k": (1.02, 1.06),
    "race:10k": (0.96, 1.00),
    "race:half": (0.90, 0.95),
    "race:marathon": (0.82, 0.90),
}
# Bands in fractions of CS, applied to the hardest target of the workout (max efforts
# count at their assumed intensity) or, for long runs, to their longest part.
# Easy, long and recovery runs inside Daniels' E band, easy and long near its middle
# (0.76-0.82 x CS for typical runners; plans.intensity's module doc, issue #15).
PEAK_BANDS = {
    "easy": (0.76, 0.82),
    "recovery": (0.69, 0.78),
    "progression": (0.85, 0.95),
    "tempo": (0.88, 0.92),
    "threshold": (0.95, 1.00),
    "vo2max": (1.05, 1.15),
    "hills": (1.00, 1.25),
    "strides": (1.20, 1.30),
}
LONG_BAND = (0.76, 0.82)


def library() -> list[tuple[str, Workout]]:
    return [(entry.name, read_zwo(entry.read_bytes())) for entry in LIBRARY_FILES]


def test_library_has_at_least_25_distinct_running_workouts() -> None:
    workouts = library()
    assert len(workouts) >= 25
    assert len({w.name for _, w in workouts}) == len(workouts)
    for name, workout in workouts:
        assert workout.sport == "run", name
        assert workout.author == "SmartRunning", name
        assert len(workout.description) > 80, name
        kinds = [tag for tag in workout.tags if tag.startswith("kind:")]
        assert len(kinds) == 1, name
        assert workout.kind in KINDS, name


def test_library_covers_every_kind_and_race_distance() -> None:
    workouts = [w for _, w in library()]
    assert {w.kind for w in workouts} == KINDS
    race_tags = {tag for w in workouts for tag in w.tags if tag.startswith("race:")}
    assert race_tags == set(RACE_PACE_BANDS)
    assert any(w.has_distance_steps for w in workouts)
    assert any(not w.has_distance_steps for w in workouts)


@pytest.mark.parametrize("entry", LIBRARY_FILES, ids=lambda e: e.name)
def test_library_workout_is_sensible(entry: Traversable) -> None:
    workout = read_zwo(entry.read_bytes())
    assert read_zwo(write_zwo(workout)) == workout
    duration = workout.total_duration_s(CS)
    assert 15 * 60 <= duration <= 3.5 * 3600
    assert 0.0 < workout.estimated_load(CS) < 250.0
    timeline = workout.timeline(CS)
    peak = max(
        MAX_EFFORT_INTENSITY if s.kind == "max" else max(s.intensity_start, s.intensity_end)
        for s in timeline
    )
    longest = max(timeline, key=lambda s: s.end_s - s.start_s)
    kind = workout.kind
    assert kind is not None
    if kind == "long":
        low, high = LONG_BAND
        assert low <= longest.intensity_start <= high
    elif kind == "race-pace":
        (race,) = [tag for tag in workout.tags if tag.startswith("race:")]
        low, high = RACE_PACE_BANDS[race]
        assert low <= peak <= high
    else:
        low, high = PEAK_BANDS[kind]
        assert low <= peak <= high
    # Nothing in the library is slower than a walk-jog or faster than a stride.
    assert all(0.5 <= s.intensity_start <= 1.3 for s in timeline)
