"""Best efforts: exact answers, interpolation at the ends, coverage, GPS jumps, monotonicity."""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.bests import (
    MIN_HR_EFFORT_S,
    STANDARD_DISTANCES_M,
    best_effort,
    best_efforts,
    maximal_by_heart_rate,
)
from smartrunning.science.records import Records
from smartrunning.science.streams import Limits, clean_streams


def _run(speed: npt.ArrayLike, **cols: npt.ArrayLike) -> Records:
    """1 Hz records; ``speed[k]`` holds over the second ending at sample k."""
    v = np.asarray(speed, dtype=np.float64)
    t = np.arange(len(v), dtype=np.float64)
    d = np.concatenate(([0.0], np.cumsum(v[1:])))
    base = {"elapsed_s": t, "timestamp_s": t + 1.7e9, "speed_mps": v, "distance_m": d}
    return Records.from_columns(len(v), **{**base, **cols})


def _two_pointer(d: np.ndarray, t: np.ndarray, target: float) -> float | None:
    """Reference: SCIENCE.md's O(n) two-pointer scan, both ends interpolated, as loops."""
    n, best = len(d), None
    j = 0
    for i in range(n):  # start on sample i
        while j < n and d[j] - d[i] < target:
            j += 1
        if j == n:
            break
        end = t[j - 1] + (d[i] + target - d[j - 1]) / (d[j] - d[j - 1]) * (t[j] - t[j - 1])
        best = end - t[i] if best is None else min(best, end - t[i])
    i = 0
    for j in range(n):  # end on sample j
        if d[j] - d[0] < target:
            continue
        while d[i + 1] <= d[j] - target:
            i += 1
        frac = (d[j] - target - d[i]) / (d[i + 1] - d[i])
        start = t[i] + frac * (t[i + 1] - t[i])
        best = t[j] - start if best is None else min(best, t[j] - start)
    return best


def test_slow_then_fast_half() -> None:
    # 5 min at 3 m/s then 5 min at 5 m/s: 900 m then 1500 m.
    v = np.concatenate(([0.0], np.full(300, 3.0), np.full(300, 5.0)))
    found = {e.distance_m: e for e in best_efforts(clean_streams(_run(v)))}
    assert found[1000.0].duration_s == pytest.approx(200.0)
    assert found[400.0].duration_s == pytest.approx(80.0)
    assert found[1000.0].end_elapsed_s - found[1000.0].start_elapsed_s == pytest.approx(200.0)
    assert found[1000.0].start_elapsed_s >= 300.0 - 1e-9
    # 2000 m: all 1500 m at 5 m/s (300 s) and the last 500 m at 3 m/s (500/3 s).
    effort = best_effort(clean_streams(_run(v)).clean_distance_m, np.arange(601.0), 2000.0)
    assert effort is not None
    assert effort.duration_s == pytest.approx(300.0 + 500.0 / 3.0)
    assert effort.start_elapsed_s == pytest.approx(300.0 - 500.0 / 3.0)
    assert effort.speed_mps == pytest.approx(2000.0 / effort.duration_s)
    assert effort.pace_s_per_km == pytest.approx(effort.duration_s / 2.0)
    assert set(found) == {400.0, 800.0, 1000.0, 1609.344}


def test_interpolation_at_both_ends() -> None:
    # Sparse samples; speeds 2, 10 and 2 m/s on three 100 m stretches.
    d = np.array([0.0, 100.0, 200.0, 300.0])
    t = np.array([0.0, 50.0, 60.0, 110.0])
    effort = best_effort(d, t, 150.0)
    assert effort is not None
    # The fast 100 m (10 s) and 50 m at 2 m/s on one side (25 s).
    assert effort.duration_s == pytest.approx(35.0)
    effort = best_effort(d, t, 100.0)
    assert effort is not None
    assert effort.duration_s == pytest.approx(10.0)
    assert effort.start_elapsed_s == pytest.approx(50.0)
    # Inside one stretch: interpolated at both ends.
    effort = best_effort(np.array([0.0, 300.0]), np.array([0.0, 100.0]), 30.0)
    assert effort is not None
    assert effort.duration_s == pytest.approx(10.0)


def test_not_covered_is_absent_and_exactly_covered_is_present() -> None:
    short = best_efforts(clean_streams(_run([0.0] + [3.0] * 300)))  # 900 m
    assert [e.distance_m for e in short] == [400.0, 800.0]
    exact = best_effort(np.array([0.0, 500.0, 1000.0]), np.array([0.0, 100.0, 200.0]), 1000.0)
    assert exact is not None
    assert exact.duration_s == pytest.approx(200.0)
    assert best_effort(np.array([0.0, 999.0]), np.array([0.0, 100.0]), 1000.0) is None
    assert best_effort(np.array([0.0]), np.array([0.0]), 400.0) is None


def test_gps_jump_removed_before_bests() -> None:
    v = np.full(601, 3.0)
    d = np.concatenate(([0.0], np.cumsum(v[1:])))
    d[300:] += 300.0  # a 300 m jump in one second
    records = _run(v, distance_m=d)
    found = {e.distance_m: e for e in best_efforts(clean_streams(records))}
    assert found[400.0].duration_s == pytest.approx(400.0 / 3.0)
    # Without the jump limit, 303 m in one second and 97 m more make a 33 s "400 m".
    loose = best_efforts(clean_streams(records, Limits(gps_jump_speed_mps=1000.0)), [400.0])
    assert loose[0].duration_s == pytest.approx(1.0 + 97.0 / 3.0)
    assert 2000.0 not in found


def test_pauses_count_against_an_effort() -> None:
    # Stopping the watch for 100 s between two 500 m halves: wall-clock time counts.
    d = np.array([0.0, 500.0, 500.0, 1000.0])
    t = np.array([0.0, 100.0, 200.0, 300.0])
    effort = best_effort(d, t, 1000.0)
    assert effort is not None
    assert effort.duration_s == pytest.approx(300.0)


def test_alternating_200s_can_make_1000m_faster_than_400m() -> None:
    """SCIENCE.md's "consequence" fails for distances that are not whole multiples.

    200 m at 5 m/s and 200 m at 2.5 m/s, repeated: every 400 m window holds one of each
    (120 s, 3.33 m/s), but 1000 m from the start of a fast 200 holds three fast and two
    slow (280 s, 3.57 m/s). Best efforts are exact and not forced monotone.
    """
    v = np.concatenate([[0.0]] + [np.full(40, 5.0), np.full(80, 2.5)] * 10)
    found = {e.distance_m: e for e in best_efforts(clean_streams(_run(v)))}
    assert found[400.0].duration_s == pytest.approx(120.0)
    assert found[800.0].duration_s == pytest.approx(240.0)
    assert found[1000.0].duration_s == pytest.approx(280.0)
    assert found[1000.0].speed_mps > found[400.0].speed_mps


speed_profiles = st.lists(
    st.tuples(st.floats(0.0, 7.0), st.integers(1, 300)), min_size=1, max_size=20
)


def _profile(segs: list[tuple[float, int]]) -> Records:
    return _run(np.concatenate([[0.0], *[np.full(k, s) for s, k in segs]]))


WHOLE_MULTIPLES = [
    (a, b)
    for a, b in itertools.combinations(STANDARD_DISTANCES_M, 2)
    if abs(b / a - round(b / a)) < 1e-9
]


@settings(deadline=None)
@given(speed_profiles)
def test_longer_is_never_faster(segs: list[tuple[float, int]]) -> None:
    """Longer is never faster, where the longer distance is a whole multiple of the shorter.

    For any pair, a longer effort takes longer, and the shorter distance is run at least
    at ⌊D₂/D₁⌋·D₁/D₂ of the longer one's speed (its window holds ⌊D₂/D₁⌋ disjoint D₁).
    """
    found = {e.distance_m: e for e in best_efforts(clean_streams(_profile(segs)))}
    assert (400.0, 800.0) in WHOLE_MULTIPLES
    for short, long in WHOLE_MULTIPLES:
        if long in found:
            assert found[long].speed_mps <= found[short].speed_mps * (1 + 1e-9)
    for short, long in itertools.combinations(STANDARD_DISTANCES_M, 2):
        if long in found:
            assert found[long].duration_s >= found[short].duration_s
            bound = (long // short) * short / long
            assert found[short].speed_mps >= found[long].speed_mps * bound * (1 - 1e-9)


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 50.0), st.floats(0.5, 30.0)), min_size=2, max_size=60),
    st.floats(1.0, 400.0),
)
def test_matches_the_two_pointer_reference(steps: list[tuple[float, float]], target: float) -> None:
    d = np.concatenate(([0.0], np.cumsum([s for s, _ in steps])))
    t = np.concatenate(([0.0], np.cumsum([g for _, g in steps])))
    effort = best_effort(d, t, target)
    expected = _two_pointer(d, t, target)
    if expected is None:
        assert effort is None
    else:
        assert effort is not None
        assert effort.duration_s == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert effort.end_elapsed_s - effort.start_elapsed_s == pytest.approx(effort.duration_s)


def test_target_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        best_effort(np.array([0.0, 1.0]), np.array([0.0, 1.0]), 0.0)


def _full_search(d: np.ndarray, t: np.ndarray, target: float) -> tuple[float, float] | None:
    """The searches over every sample (before the prefix/suffix restriction): (start, end)."""
    n = len(d)
    if n < 2 or d[-1] - d[0] < target:
        return None
    goal = d + target
    j = np.searchsorted(d, goal, side="left")
    i_a = np.flatnonzero(j < n)
    j_a = j[i_a]
    frac_a = (goal[i_a] - d[j_a - 1]) / (d[j_a] - d[j_a - 1])
    end_a = t[j_a - 1] + frac_a * (t[j_a] - t[j_a - 1])
    origin = d - target
    i = np.searchsorted(d, origin, side="right") - 1
    j_b = np.flatnonzero(i >= 0)
    i_b = i[j_b]
    frac_b = (origin[j_b] - d[i_b]) / (d[i_b + 1] - d[i_b])
    start_b = t[i_b] + frac_b * (t[i_b + 1] - t[i_b])
    starts = np.concatenate((t[i_a], start_b))
    ends = np.concatenate((end_a, t[j_b]))
    if starts.size == 0:
        return None
    k = int(np.argmin(ends - starts))
    return float(starts[k]), float(ends[k])


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.5, 1.0, 2.5, 3.3, 7.0, 40.0]), st.floats(0.25, 5.0)),
        min_size=1,
        max_size=120,
    ),
    st.sampled_from([0.5, 1.0, 3.3, 10.0, 50.0, 100.0, 400.0]),
)
def test_searching_only_where_an_effort_can_start_or_end_changes_nothing(
    steps: list[tuple[float, float]], target: float
) -> None:
    """Exactly the effort of the search over every sample, stops and ties included."""
    d = np.concatenate(([0.0], np.cumsum([s for s, _ in steps])))
    t = np.concatenate(([0.0], np.cumsum([g for _, g in steps])))
    effort = best_effort(d, t, target)
    expected = _full_search(d, t, target)
    if expected is None:
        assert effort is None
    else:
        assert effort is not None
        assert (effort.start_elapsed_s, effort.end_elapsed_s) == expected
        assert effort.duration_s == expected[1] - expected[0]


def test_an_effort_carries_its_mean_heart_rate_and_coverage() -> None:
    # 300 s easy at 2.5 m/s and 140 bpm, then 400 s hard at 4 m/s and 180 bpm: the best
    # 1000 m lies inside the hard part, its mean HR is 180 bpm over all of it.
    v = np.concatenate((np.full(301, 2.5), np.full(400, 4.0)))
    hr = np.concatenate((np.full(301, 140.0), np.full(400, 180.0)))
    found = {e.distance_m: e for e in best_efforts(clean_streams(_run(v, heart_rate_bpm=hr)))}
    km = found[1000.0]
    assert km.duration_s == pytest.approx(250.0)
    assert km.mean_hr_bpm == pytest.approx(180.0)
    assert km.hr_coverage == pytest.approx(1.0)
    # The best 1 mile starts in the easy part: the mean is the time-weighted mixture
    # (whole samples: within the one second the effort starts inside).
    mile = found[1609.344]
    easy_s = mile.duration_s - 400.0
    mixture = (140.0 * easy_s + 180.0 * 400.0) / mile.duration_s
    assert mile.mean_hr_bpm == pytest.approx(mixture, abs=40.0 / mile.duration_s)


def test_missing_heart_rate_lowers_the_coverage_and_is_not_averaged_in() -> None:
    v = np.full(601, 4.0)
    hr = np.full(601, 170.0)
    hr[1:301] = np.nan  # the strap came on after 5 minutes
    whole = best_efforts(clean_streams(_run(v, heart_rate_bpm=hr)), [2000.0])[0]
    # 500 s with the first 300 s of the run without heart rate: 200 s covered at best.
    assert whole.mean_hr_bpm == pytest.approx(170.0)
    assert whole.hr_coverage < 0.8
    no_hr = best_efforts(clean_streams(_run(v)), [1000.0])[0]
    assert no_hr.mean_hr_bpm is None
    assert no_hr.hr_coverage == 0.0


@pytest.mark.parametrize(
    ("mean_hr", "coverage", "threshold", "maximal"),
    [
        (171.0, 1.0, 160.0, True),  # 90 % of 190 bpm, above threshold: maximal
        (170.9, 1.0, 160.0, False),  # just below 90 % HRmax
        (175.0, 1.0, 178.0, False),  # 92 % HRmax but below a measured threshold HR
        (185.0, 0.7, 160.0, False),  # heart rate over too little of the effort
        (None, 1.0, 160.0, False),
    ],
)
def test_maximal_by_heart_rate(
    mean_hr: float | None, coverage: float, threshold: float, maximal: bool
) -> None:
    ok, why = maximal_by_heart_rate(
        mean_hr, coverage, hrmax_bpm=190.0, threshold_hr_bpm=threshold, duration_s=600.0
    )
    assert ok is maximal
    assert ("maximal by heart rate" in why) is maximal
    # Daniels' threshold band is 88-92 % HRmax: a steady tempo effort at 88 % never counts.
    assert not maximal_by_heart_rate(0.88 * 190.0, 1.0, 190.0, 0.0, 600.0)[0]


@pytest.mark.parametrize(
    ("duration_s", "share", "maximal"),
    [
        (70.0, 0.90, False),  # a 400 m rep at 90 % HRmax: heart rate cannot show it
        (70.0, 0.99, False),  # nor at 99 %: too short for heart rate to catch up
        (179.0, 0.95, False),  # just under 3 min
        (180.0, 0.90, True),
        (300.0, 0.93, True),  # a 5-min effort at 93 % still anchors
    ],
)
def test_short_training_efforts_are_not_maximal_by_heart_rate(
    duration_s: float, share: float, maximal: bool
) -> None:
    """Heart rate lags behind the pace for ~2–3 min (Achten & Jeukendrup 2003; Daniels):
    under ``MIN_HR_EFFORT_S`` a training effort never anchors by heart rate, and the reason
    tells the coach to mark a race or time trial as one."""
    assert MIN_HR_EFFORT_S == 180.0
    ok, why = maximal_by_heart_rate(share * 190.0, 1.0, 190.0, 160.0, duration_s)
    assert ok is maximal
    if not maximal:
        assert "heart rate lags" in why
        assert "time trial" in why
