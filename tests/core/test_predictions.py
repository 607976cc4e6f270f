import itertools
import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.critical_speed import CriticalSpeed, Effort, fit_line
from smartrunning.science.distances import STANDARD_DISTANCES, standard_distance
from smartrunning.science.predictions import (
    PredictionModel,
    Unavailable,
    best_vdot,
    critical_speed_from_vdot,
    critical_speed_time_s,
    fraction_of_vo2max,
    nearest_effort,
    predict_critical_speed,
    predict_riegel,
    predict_vdot,
    prediction_table,
    riegel_time_s,
    vdot,
    vdot_time_s,
    vo2_ml_kg_min,
)

ON = date(2025, 4, 6)
HALF_M = 21097.5
MARATHON_M = 42195.0
DISTANCES_M = [d.distance_m for d in STANDARD_DISTANCES]


def test_riegel_worked_example_5k_in_25_minutes() -> None:
    t = riegel_time_s(time_s=25 * 60, distance_m=5000, target_distance_m=HALF_M)
    # SCIENCE.md: ≈ 1:55:00. Exactly 1500 · 4.2195^1.06 = 6900.299 s.
    assert abs(t - (1 * 3600 + 55 * 60)) < 60
    assert t == pytest.approx(1500 * 4.2195**1.06, rel=1e-12)
    assert t == pytest.approx(6900.299, abs=1e-3)


def test_vdot_worked_example_5k_in_20_minutes() -> None:
    # v = 250 m/min: VO₂ = 47.4645; %max(20 min) = 0.95298 (Daniels & Gilbert).
    assert vo2_ml_kg_min(250 / 60) == pytest.approx(47.4645, abs=1e-4)
    assert fraction_of_vo2max(20 * 60) == pytest.approx(0.95298, abs=1e-5)
    assert vdot(5000, 20 * 60) == pytest.approx(49.8, abs=0.05)
    assert vdot(5000, 20 * 60) == pytest.approx(49.8062, abs=1e-4)


@pytest.mark.parametrize(
    ("distance_m", "table_time_s"),
    [(5000, 19 * 60 + 57), (10000, 41 * 60 + 21), (HALF_M, 5495), (MARATHON_M, 11449)],
)
def test_vdot_equivalents_match_daniels_table_for_vdot_50(
    distance_m: float, table_time_s: float
) -> None:
    # Daniels' Running Formula, VDOT 50: 19:57, 41:21, 1:31:35, 3:10:49 (rounded tables).
    assert vdot_time_s(50.0, distance_m) == pytest.approx(table_time_s, abs=15)


def test_vdot_solve_refuses_impossible_levels() -> None:
    with pytest.raises(ValueError, match="outside the solvable range"):
        vdot_time_s(500.0, 5000)
    with pytest.raises(ValueError, match="positive"):
        vdot_time_s(-1.0, 5000)


def test_critical_speed_prediction_inside_its_range() -> None:
    cs = CriticalSpeed(cs_mps=4.0, d_prime_m=200.0)
    assert critical_speed_time_s(1000, cs) == pytest.approx(200.0)
    prediction = predict_critical_speed(5000, cs)
    assert prediction.model is PredictionModel.CRITICAL_SPEED
    assert prediction.time_s == pytest.approx(1200.0)
    assert prediction.unavailable is None


@pytest.mark.parametrize(
    ("distance_m", "reason"),
    [
        (400, Unavailable.OUT_OF_RANGE),  # 50 s
        (150, Unavailable.OUT_OF_RANGE),  # below D′: a negative time
        (10000, Unavailable.OUT_OF_RANGE),  # 2450 s
    ],
)
def test_critical_speed_prediction_outside_its_range_is_withheld(
    distance_m: float, reason: Unavailable
) -> None:
    prediction = predict_critical_speed(distance_m, CriticalSpeed(4.0, 200.0))
    assert prediction.time_s is None
    assert prediction.speed_mps is None
    assert prediction.unavailable is reason
    assert "outside" in prediction.note


def test_critical_speed_prediction_edges_of_the_range() -> None:
    cs = CriticalSpeed(4.0, 200.0)
    assert predict_critical_speed(4.0 * 120 + 200, cs).time_s == pytest.approx(120.0)
    assert predict_critical_speed(4.0 * 1800 + 200, cs).time_s == pytest.approx(1800.0)
    assert predict_critical_speed(4.0 * 1801 + 200, cs).time_s is None


def test_no_critical_speed_no_prediction() -> None:
    prediction = predict_critical_speed(5000, None)
    assert prediction.unavailable is Unavailable.NO_CRITICAL_SPEED
    assert prediction.time_s is None


def test_nearest_effort_is_nearest_by_ratio_then_fastest() -> None:
    mile = Effort(1609.344, 330.0, ON, id="mile")
    five = Effort(5000.0, 1200.0, ON, id="5k")
    five_slower = Effort(5000.0, 1260.0, ON, id="5k-slow")
    # For 3000 m the mile is nearer in metres (1391 vs 2000) but 5 km is nearer by ratio.
    assert nearest_effort([mile, five_slower, five], 3000.0) == five
    assert nearest_effort([mile, five], 1000.0) == mile
    # Equally far by ratio (the geometric mean): the longer distance wins.
    assert nearest_effort([mile, five], math.sqrt(1609.344 * 5000.0)) == five
    assert nearest_effort([], 3000.0) is None


def test_riegel_and_vdot_name_their_source_effort() -> None:
    ten = Effort(10000.0, 2700.0, ON, id=7)
    for prediction in (predict_riegel(HALF_M, [ten]), predict_vdot(HALF_M, [ten])):
        assert prediction.source == ten
        assert "10000 m" in prediction.note
        assert prediction.time_s is not None
    assert predict_riegel(HALF_M, [ten]).model is PredictionModel.RIEGEL
    vdot_prediction = predict_vdot(HALF_M, [ten])
    assert vdot_prediction.model is PredictionModel.VDOT
    assert vdot_prediction.vdot == pytest.approx(vdot(10000.0, 2700.0))
    assert predict_riegel(HALF_M, [ten]).time_s == pytest.approx(riegel_time_s(2700, 10000, HALF_M))


def test_without_efforts_riegel_and_vdot_say_so() -> None:
    for prediction in (predict_riegel(5000, []), predict_vdot(5000, [])):
        assert prediction.time_s is None
        assert prediction.unavailable is Unavailable.NO_EFFORTS


def test_prediction_table_covers_the_standard_distances() -> None:
    efforts = [Effort(5000.0, 1200.0, ON, id="5k"), Effort(HALF_M, 5400.0, ON, id="half")]
    rows = prediction_table(efforts, CriticalSpeed(4.0, 200.0))
    assert [row.distance.key for row in rows] == [d.key for d in STANDARD_DISTANCES]
    for row in rows:
        assert [p.model for p in row.predictions] == list(PredictionModel)
        assert all(p.distance_m == row.distance.distance_m for p in row.predictions)
    marathon = rows[-1]
    assert marathon.distance == standard_distance("marathon")
    assert marathon.riegel.source is not None
    assert marathon.riegel.source.id == "half"
    assert marathon.vdot.source is not None
    assert marathon.vdot.source.id == "half"
    assert marathon.critical_speed.unavailable is Unavailable.OUT_OF_RANGE
    five = rows[[d.key for d in STANDARD_DISTANCES].index("5k")]
    assert five.riegel.time_s == pytest.approx(1200.0)  # its own best
    assert five.critical_speed.time_s == pytest.approx(1200.0)


def _speeds(times: list[float | None]) -> list[float]:
    assert all(t is not None for t in times)
    return [d / t for d, t in zip(DISTANCES_M, times, strict=True) if t is not None]


def _strictly_decreasing(values: list[float]) -> bool:
    return all(a > b for a, b in itertools.pairwise(values))


efforts = st.builds(
    lambda d, v: Effort(d, d / v, ON),
    st.floats(400, MARATHON_M),
    st.floats(2.0, 7.0),
)


@given(effort=efforts)
def test_riegel_is_slower_for_longer_distances(effort: Effort) -> None:
    times = [riegel_time_s(effort.time_s, effort.distance_m, d) for d in DISTANCES_M]
    assert _strictly_decreasing(_speeds(list(times)))


@given(effort=efforts)
def test_vdot_is_slower_for_longer_distances(effort: Effort) -> None:
    level = vdot(effort.distance_m, effort.time_s)
    times = [vdot_time_s(level, d) for d in DISTANCES_M]
    assert _strictly_decreasing(_speeds(list(times)))


@given(cs=st.floats(2.0, 7.0), d_prime=st.floats(1.0, 600.0))
def test_critical_speed_is_slower_for_longer_distances(cs: float, d_prime: float) -> None:
    model = CriticalSpeed(cs, d_prime)
    speeds = [
        p.speed_mps
        for p in (predict_critical_speed(d, model) for d in DISTANCES_M)
        if p.speed_mps is not None
    ]
    assert _strictly_decreasing(speeds)


@given(effort=efforts, cs=st.floats(3.0, 6.0), d_prime=st.floats(50.0, 500.0))
def test_every_table_column_is_slower_for_longer_distances(
    effort: Effort, cs: float, d_prime: float
) -> None:
    rows = prediction_table([effort], CriticalSpeed(cs, d_prime))
    for model in PredictionModel:
        column = [p for row in rows for p in row.predictions if p.model is model]
        speeds = [p.speed_mps for p in column if p.speed_mps is not None]
        assert _strictly_decreasing(speeds)


@given(distance_m=st.floats(400, MARATHON_M), speed_mps=st.floats(2.0, 7.0))
def test_vdot_equivalent_time_round_trips(distance_m: float, speed_mps: float) -> None:
    time_s = distance_m / speed_mps
    assert vdot_time_s(vdot(distance_m, time_s), distance_m) == pytest.approx(time_s, rel=1e-9)


@given(level=st.floats(25.0, 90.0), distance_m=st.sampled_from(DISTANCES_M))
def test_vdot_solve_converges_from_400_m_to_the_marathon(level: float, distance_m: float) -> None:
    assert vdot(distance_m, vdot_time_s(level, distance_m)) == pytest.approx(level, rel=1e-9)


# --- CS from VDOT-equivalent performances (SCIENCE.md, "Which efforts anchor CS") ------------


def test_critical_speed_from_vdot_50_matches_daniels_table() -> None:
    # Daniels' Running Formula, VDOT 50: 1500 m 5:24, 3000 m 11:33, 5000 m 19:57.
    table = [Effort(1500.0, 324.0, ON), Effort(3000.0, 693.0, ON), Effort(5000.0, 1197.0, ON)]
    from_table = fit_line(table)
    estimate = critical_speed_from_vdot(Effort(5000.0, 19 * 60 + 57, ON))
    assert estimate.vdot == pytest.approx(50.0, abs=0.1)
    for ours, theirs in zip(estimate.equivalents, table, strict=True):
        assert ours.time_s == pytest.approx(theirs.time_s, abs=1.0)
    assert estimate.value.cs_mps == pytest.approx(from_table.cs_mps, rel=0.002)
    assert estimate.value.d_prime_m == pytest.approx(from_table.d_prime_m, abs=5.0)
    # CS 4.01 m/s (4:10 /km): between the runner's 10 km (41:21) and half-marathon speeds.
    assert estimate.value.cs_mps == pytest.approx(4.007, abs=0.002)
    assert HALF_M / (1 * 3600 + 31 * 60 + 35) < estimate.value.cs_mps < 10000 / (41 * 60 + 21)


@pytest.mark.parametrize(
    ("distance_m", "time_s"),
    [
        (5000.0, 19 * 60 + 57),
        (10000.0, 41 * 60 + 21),
        (HALF_M, 1 * 3600 + 31 * 60 + 35),
        (MARATHON_M, 3 * 3600 + 10 * 60 + 49),
    ],
)
def test_equivalent_races_of_one_vdot_give_the_same_critical_speed(
    distance_m: float, time_s: float
) -> None:
    # Daniels' VDOT 50 row: every race of it gives CS within 0.3 % (the table rounds).
    estimate = critical_speed_from_vdot(Effort(distance_m, time_s, ON))
    assert estimate.vdot == pytest.approx(50.0, abs=0.15)
    assert estimate.value.cs_mps == pytest.approx(4.007, rel=0.003)


@given(level=st.floats(30.0, 80.0))
def test_equivalents_have_the_vdot_they_came_from(level: float) -> None:
    source = Effort(5000.0, vdot_time_s(level, 5000.0), ON)
    estimate = critical_speed_from_vdot(source)
    for e in estimate.equivalents:
        assert vdot(e.distance_m, e.time_s) == pytest.approx(level, rel=1e-6)
    # CS lies below the 5000 m speed and above the speed of the 40-min-plus races.
    assert estimate.value.cs_mps < source.speed_mps
    assert estimate.value.cs_mps > MARATHON_M / vdot_time_s(level, MARATHON_M)
    assert 50.0 <= estimate.value.d_prime_m <= 500.0


def test_best_vdot_takes_the_best_performance_from_1500_m_to_the_marathon() -> None:
    efforts = [
        Effort(800.0, 120.0, ON),  # outside Daniels' table: not used
        Effort(10000.0, 50 * 60, ON),
        Effort(5000.0, 24 * 60, ON),
    ]
    found = best_vdot(efforts)
    assert found is not None
    effort, level = found
    assert effort.distance_m == 5000.0
    assert level == pytest.approx(vdot(5000.0, 24 * 60))
    assert best_vdot([Effort(400.0, 60.0, ON)]) is None
