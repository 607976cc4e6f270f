"""Cleaning of record streams: heart-rate validity, Δt cap, moving, GPS jumps, altitude."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.records import Records
from smartrunning.science.streams import (
    Limits,
    Smoothing,
    clean_heart_rate,
    clean_streams,
    cumulative_distance,
    grade,
    remove_altitude_spikes,
    remove_distance_spikes,
    smooth_altitude,
    time_deltas,
)


def _run(speed: npt.ArrayLike, **columns: npt.ArrayLike) -> Records:
    """1 Hz records; ``speed[k]`` is the speed over the second ending at sample k."""
    v = np.asarray(speed, dtype=np.float64)
    t = np.arange(len(v), dtype=np.float64)
    d = np.concatenate(([0.0], np.cumsum(v[1:])))
    base = {"elapsed_s": t, "timestamp_s": t + 1.7e9, "speed_mps": v, "distance_m": d}
    return Records.from_columns(len(v), **{**base, **columns})


def test_heart_rate_outside_valid_range_is_missing() -> None:
    hr = np.array([29.9, 30.0, 120.0, 220.0, 220.1, 0.0, np.nan])
    out = clean_heart_rate(hr, Limits())
    np.testing.assert_array_equal(np.isnan(out), [True, False, False, False, True, True, True])
    np.testing.assert_allclose(out[1:4], [30.0, 120.0, 220.0])


def test_heart_rate_limits_come_from_configuration() -> None:
    hr = np.array([35.0, 200.0])
    out = clean_heart_rate(hr, Limits(hr_min_bpm=40.0, hr_max_bpm=190.0))
    assert np.isnan(out).all()


def test_time_deltas_are_capped_and_never_negative() -> None:
    elapsed = np.array([0.0, 1.0, 2.0, 100.0, 101.0, 100.5])
    np.testing.assert_allclose(time_deltas(elapsed, Limits()), [0, 1, 1, 10, 1, 0])
    np.testing.assert_allclose(time_deltas(elapsed, Limits(dt_cap_s=5.0)), [0, 1, 1, 5, 1, 0])


def test_moving_means_speed_at_least_threshold() -> None:
    s = clean_streams(_run([0.0, 0.4, 0.5, 0.6, np.nan]), Limits())
    assert s.moving.tolist() == [False, False, True, True, False]
    s = clean_streams(_run([0.0, 0.4, 0.5, 0.6, 0.0]), Limits(moving_speed_min_mps=0.3))
    assert s.moving.tolist() == [False, True, True, True, False]


def test_gps_jump_found_by_implied_speed_and_removed_from_clean_distance() -> None:
    d = np.array([0.0, 3.0, 6.0, 206.0, 209.0])
    t = np.arange(5.0)
    total, clean, jump = cumulative_distance(d, t, Limits())
    assert jump.tolist() == [False, False, False, True, False]
    np.testing.assert_allclose(total, d)
    np.testing.assert_allclose(clean, [0, 3, 6, 6, 9])


def test_large_step_over_a_long_gap_is_not_a_jump() -> None:
    # 200 m in 60 s (signal lost in a tunnel) is 3.3 m/s: plausible running.
    d = np.array([0.0, 3.0, 203.0, 206.0])
    t = np.array([0.0, 1.0, 61.0, 62.0])
    _, clean, jump = cumulative_distance(d, t, Limits())
    assert not jump.any()
    np.testing.assert_allclose(clean, d)
    _, clean, jump = cumulative_distance(d, t, Limits(gps_jump_speed_mps=3.0))
    assert jump.tolist() == [False, False, True, False]


def test_distance_increments_span_missing_samples() -> None:
    d = np.array([0.0, 3.0, np.nan, np.nan, 12.0, 15.0])
    total, clean, jump = cumulative_distance(d, np.arange(6.0), Limits())
    assert not jump.any()
    np.testing.assert_allclose(total, [0, 3, 3, 3, 12, 15])
    np.testing.assert_allclose(clean, total)


def test_distance_spike_up_and_back_adds_only_what_the_stream_kept() -> None:
    total, _, _ = cumulative_distance(np.array([0.0, 5.0, 4.0, 9.0]), np.arange(4.0), Limits())
    np.testing.assert_allclose(total, [0, 4, 4, 9])
    # the GPS glitch: +197 m then -179 m adds the 18 m the stream kept, not 197 m
    d = np.array([0.0, 10.0, 20.0, 217.0, 38.0, 48.0])
    total, _, _ = cumulative_distance(d, np.arange(6.0), Limits())
    assert total[-1] == pytest.approx(48.0)


def test_a_counter_that_restarts_long_after_keeps_what_came_before() -> None:
    d = np.array([0.0, 100.0, 200.0, 300.0, 0.0, 50.0])
    total, _, _ = cumulative_distance(d, np.array([0.0, 30, 60, 90, 120, 150]), Limits())
    np.testing.assert_allclose(total, [0, 100, 200, 300, 300, 350])


def test_an_altitude_spike_at_the_start_is_removed() -> None:
    altitude = np.r_[np.full(5, 220.0), np.linspace(100.0, 110.0, 200)]
    cleaned = remove_altitude_spikes(altitude)
    assert np.isnan(cleaned[:5]).all()
    np.testing.assert_array_equal(cleaned[5:], altitude[5:])


def test_distance_integrated_from_speed_without_distance_column() -> None:
    n = 11
    records = Records.from_columns(n, elapsed_s=np.arange(n) * 2.0, speed_mps=np.full(n, 3.0))
    s = clean_streams(records)
    np.testing.assert_allclose(s.distance_m, np.arange(n) * 6.0)


def test_speed_derived_from_distance_where_device_gave_none() -> None:
    records = _run([3.0, 3.0, 4.0, 4.0])
    records = Records.from_columns(
        4, elapsed_s=records.elapsed_s, distance_m=records.distance_m, speed_mps=[np.nan] * 4
    )
    s = clean_streams(records)
    np.testing.assert_allclose(s.speed_mps[1:], [3.0, 4.0, 4.0])


def test_elapsed_that_steps_back_is_held() -> None:
    records = Records.from_columns(4, elapsed_s=[0.0, 1.0, 0.5, 2.0], speed_mps=[3.0] * 4)
    s = clean_streams(records)
    np.testing.assert_allclose(s.elapsed_s, [0.0, 1.0, 1.0, 2.0])


def test_smoothed_altitude_fills_gaps_and_reduces_noise() -> None:
    rng = np.random.default_rng(7)
    t = np.arange(600.0)
    noisy = 100.0 + rng.normal(0.0, 1.0, t.size)
    noisy[50:60] = np.nan
    out = smooth_altitude(noisy, t, 10.0)
    assert np.isfinite(out).all()
    assert np.std(out) < 0.5 * np.nanstd(noisy)


def test_smoothing_keeps_a_steady_slope() -> None:
    t = np.arange(100.0)
    out = smooth_altitude(0.2 * t, t, 10.0)
    np.testing.assert_allclose(out[10:-10], 0.2 * t[10:-10])


def test_no_altitude_stays_missing_and_grade_is_flat() -> None:
    s = clean_streams(_run([3.0] * 50))
    assert np.isnan(s.altitude_m).all()
    np.testing.assert_allclose(s.grade, 0.0)


def test_grade_of_a_steady_slope_and_clamp() -> None:
    d = np.arange(0.0, 500.0, 2.5)
    np.testing.assert_allclose(grade(d, 0.05 * d, 40.0)[20:-20], 0.05)
    np.testing.assert_allclose(grade(d, 1.0 * d, 40.0)[20:-20], 0.45)
    np.testing.assert_allclose(grade(d, -1.0 * d, 40.0)[20:-20], -0.45)


def test_grade_is_zero_when_standing_still() -> None:
    d = np.zeros(30)
    np.testing.assert_allclose(grade(d, np.arange(30.0), 40.0), 0.0)


def test_clean_streams_carries_its_parameters() -> None:
    limits, smoothing = Limits(dt_cap_s=5.0), Smoothing(grade_window_m=20.0)
    s = clean_streams(_run([3.0] * 5), limits, smoothing)
    assert s.limits == limits
    assert s.smoothing == smoothing


def test_invalid_limits_rejected() -> None:
    with pytest.raises(ValueError, match="hr_min_bpm"):
        Limits(hr_min_bpm=200.0, hr_max_bpm=100.0)
    with pytest.raises(ValueError, match="dt_cap_s"):
        Limits(dt_cap_s=0.0)


@given(
    st.lists(st.floats(0.0, 40.0), min_size=2, max_size=200),
    st.lists(st.floats(0.1, 20.0), min_size=2, max_size=200),
)
def test_clean_distance_never_exceeds_recorded_and_both_grow(
    steps: list[float], gaps: list[float]
) -> None:
    n = min(len(steps), len(gaps))
    d = np.cumsum(steps[:n])
    t = np.cumsum(gaps[:n])
    total, clean, jump = cumulative_distance(d, t, Limits())
    assert np.all(np.diff(total) >= 0)
    assert np.all(np.diff(clean) >= 0)
    assert np.all(clean <= total + 1e-9)
    implied = np.diff(d) / np.diff(t)
    np.testing.assert_array_equal(jump[1:], implied > Limits().gps_jump_speed_mps)


@given(
    steps=st.lists(st.floats(0.0, 50.0), min_size=2, max_size=60),
    glitches=st.lists(st.tuples(st.integers(0, 59), st.floats(-300.0, 300.0)), max_size=5),
)
def test_distance_spike_removal_invariants(
    steps: list[float], glitches: list[tuple[float, float]]
) -> None:
    """A stream that never drops is left as it is; the cleaned stream never rises above
    the recorded one, and it never drops where the recorded one did not (issue #16)."""
    d = np.cumsum(steps)
    t = np.arange(len(d), dtype=np.float64)
    np.testing.assert_array_equal(remove_distance_spikes(d, t), d)
    spiky = d.copy()
    for index, jump in glitches:
        spiky[int(index) % len(d)] += jump
    cleaned = remove_distance_spikes(spiky, t)
    assert (cleaned <= spiky).all()
    total_clean, _, _ = cumulative_distance(spiky, t, Limits())
    assert (np.diff(total_clean) >= 0).all()
    assert total_clean[-1] <= np.maximum(np.diff(spiky), 0).sum() + 1e-9
