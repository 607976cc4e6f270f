"""Session statistics: times, speeds, Minetti grade adjustment, elevation, zones, splits."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.records import Records
from smartrunning.science.stats import (
    MINETTI_C0,
    elevation_changes,
    grade_adjusted_speed,
    minetti_cost,
    normalised_graded_speed,
    session_stats,
    zone_seconds,
)
from smartrunning.science.streams import Limits, Smoothing, clean_streams

HR_EDGES = (95.0, 114.0, 133.0, 152.0, 171.0, 190.0)
PACE_EDGES = (0.0, 2.8, 3.1, 3.4, 3.7, 4.2, math.inf)


def _run(
    speed: npt.ArrayLike, elapsed: npt.ArrayLike | None = None, **cols: npt.ArrayLike
) -> Records:
    """Records where ``speed[k]`` holds over the interval ending at sample k (1 Hz default)."""
    v = np.asarray(speed, dtype=np.float64)
    t = np.arange(len(v), dtype=np.float64) if elapsed is None else np.asarray(elapsed, float)
    d = np.concatenate(([0.0], np.cumsum(np.nan_to_num(v[1:]) * np.diff(t))))
    base = {"elapsed_s": t, "timestamp_s": t + 1.7e9, "speed_mps": v, "distance_m": d}
    return Records.from_columns(len(v), **{**base, **cols})


def test_moving_time_excludes_pauses_and_stops() -> None:
    # 600 s running, 300 s standing (recorded), a 1200 s gap (watch paused), 600 s running.
    t = np.concatenate((np.arange(0.0, 901.0), np.arange(2100.0, 2701.0)))
    v = np.where((t > 600) & (t <= 900), 0.0, 3.0)
    d = np.concatenate(([0.0], np.cumsum(v[1:] * np.minimum(np.diff(t), 1.0))))
    s = session_stats(clean_streams(_run(v, t, distance_m=d)))
    assert s.elapsed_time_s == pytest.approx(2700.0)
    # The interval across the gap is capped at 10 s.
    assert s.timer_time_s == pytest.approx(600 + 300 + 10 + 600)
    assert s.moving_time_s == pytest.approx(600 + 10 + 600)
    assert s.distance_m == pytest.approx(3.0 * 1201)
    assert s.moving_speed_mps == pytest.approx(3.0 * 1201 / 1210)
    assert s.avg_speed_mps == pytest.approx(3.0 * 1201 / 1510)
    assert s.moving_pace_s_per_km == pytest.approx(1210 / 3.603)


def test_pace_only_above_the_moving_threshold() -> None:
    s = session_stats(clean_streams(_run([0.4] * 100)))
    assert s.avg_speed_mps == pytest.approx(0.4)
    assert s.avg_pace_s_per_km is None
    assert s.moving_speed_mps is None
    s = session_stats(clean_streams(_run([0.4] * 100), Limits(moving_speed_min_mps=0.3)))
    assert s.avg_pace_s_per_km == pytest.approx(2500.0)


def test_minetti_cost_worked_values() -> None:
    assert minetti_cost(0.0) == pytest.approx(3.6)
    # 155.4e-5 − 30.4e-4 − 43.3e-3 + 46.3e-2 + 19.5e-1 + 3.6 = 5.968214
    assert minetti_cost(0.1) == pytest.approx(5.968214)
    # −155.4e-5 − 30.4e-4 + 43.3e-3 + 46.3e-2 − 19.5e-1 + 3.6 = 2.151706
    assert minetti_cost(-0.1) == pytest.approx(2.151706)


def test_grade_adjusted_speed_flat_uphill_downhill() -> None:
    v = np.full(3, 3.0)
    gas = grade_adjusted_speed(v, np.array([0.0, 0.08, -0.08]))
    assert gas[0] == pytest.approx(3.0)
    assert gas[1] > 3.0
    assert gas[2] < 3.0


def test_session_grade_adjusted_speed_on_flat_and_on_a_hill() -> None:
    n = 1200
    v = np.full(n, 3.0)
    flat = session_stats(clean_streams(_run(v, altitude_m=np.full(n, 50.0))))
    assert flat.grade_adjusted_speed_mps == pytest.approx(3.0)
    d = np.arange(n) * 3.0
    hill = session_stats(clean_streams(_run(v, altitude_m=50.0 + 0.06 * d)))
    expected = 3.0 * minetti_cost(0.06) / MINETTI_C0
    assert hill.grade_adjusted_speed_mps is not None
    assert hill.grade_adjusted_speed_mps > 3.2
    assert hill.grade_adjusted_speed_mps == pytest.approx(float(expected), rel=0.02)
    # Less the half band at the top and the averaging window's truncation at the ends.
    assert hill.elevation_gain_m == pytest.approx(0.06 * d[-1], abs=2.0)
    assert hill.elevation_loss_m == pytest.approx(0.0)


def test_hysteresis_ignores_small_undulations_and_counts_a_climb() -> None:
    wobble = np.tile([0.0, 0.4], 50)
    gain, loss = elevation_changes(wobble, 1.0)
    assert gain.sum() == pytest.approx(0.0)
    assert loss.sum() == pytest.approx(0.0)
    gain, loss = elevation_changes(wobble, 0.0)
    assert gain.sum() == pytest.approx(0.4 * 50)
    climb = np.concatenate((np.linspace(0, 10, 21), np.linspace(10, 4, 13)))
    gain, loss = elevation_changes(climb, 1.0)
    # The play operator lags by half the band at each turn.
    assert gain.sum() == pytest.approx(9.5)
    assert loss.sum() == pytest.approx(5.0)


def test_flat_noisy_altitude_gains_little() -> None:
    rng = np.random.default_rng(3)
    n = 3600
    alt = 100.0 + rng.normal(0.0, 1.0, n)
    assert np.maximum(np.diff(alt), 0).sum() > 1000  # what a naive sum would report
    s = session_stats(clean_streams(_run(np.full(n, 3.0), altitude_m=alt)))
    assert s.elevation_gain_m is not None
    assert s.elevation_gain_m < 20.0
    s = session_stats(
        clean_streams(
            _run(np.full(n, 3.0), altitude_m=alt),
            smoothing=Smoothing(altitude_window_s=0.0, elevation_hysteresis_m=0.0),
        )
    )
    assert s.elevation_gain_m is not None
    assert s.elevation_gain_m > 1000


def test_no_altitude_no_elevation() -> None:
    s = session_stats(clean_streams(_run([3.0] * 100)))
    assert s.elevation_gain_m is None
    assert s.elevation_loss_m is None
    assert s.splits[0].elevation_gain_m is None


@pytest.mark.parametrize(("drift", "sign"), [(20.0, 1), (-20.0, -1)])
def test_aerobic_decoupling_sign_follows_heart_rate_drift(drift: float, sign: int) -> None:
    n = 3600
    hr = 140.0 + drift * np.arange(n) / n
    s = session_stats(clean_streams(_run(np.full(n, 3.0), heart_rate_bpm=hr)))
    assert s.aerobic_decoupling_pct is not None
    assert s.aerobic_decoupling_pct * sign > 5.0


def test_aerobic_decoupling_zero_when_speed_and_heart_rate_hold() -> None:
    n = 3600
    s = session_stats(clean_streams(_run(np.full(n, 3.0), heart_rate_bpm=np.full(n, 150.0))))
    assert s.aerobic_decoupling_pct == pytest.approx(0.0, abs=1e-9)
    s = session_stats(clean_streams(_run(np.full(n, 3.0))))
    assert s.aerobic_decoupling_pct is None


def test_heart_rate_average_and_max_skip_invalid_samples() -> None:
    hr = np.array([np.nan, 140.0, 250.0, 160.0, 0.0])
    s = session_stats(clean_streams(_run([3.0] * 5, heart_rate_bpm=hr)))
    assert s.avg_hr_bpm == pytest.approx(150.0)
    assert s.max_hr_bpm == pytest.approx(160.0)


def test_cadence_average_skips_zeros_and_stops() -> None:
    v = [0.0, 3.0, 3.0, 0.0, 3.0]
    cad = [0.0, 170.0, 0.0, 100.0, 180.0]
    s = session_stats(clean_streams(_run(v, cadence_spm=cad)))
    assert s.avg_cadence_spm == pytest.approx(175.0)


def test_max_speed_leaves_out_gps_jumps() -> None:
    v = np.full(100, 3.0)
    d = np.arange(100) * 3.0
    d[50:] += 200.0
    v[50] = 203.0
    s = session_stats(clean_streams(_run(v, distance_m=d)))
    assert s.max_speed_mps == pytest.approx(3.0)
    assert s.distance_m == pytest.approx(d[-1])


def test_normalised_graded_speed_of_steady_and_variable_running() -> None:
    dt = np.ones(3600)
    assert normalised_graded_speed(np.full(3600, 3.5), dt) == pytest.approx(3.5)
    varied = np.where((np.arange(3600) // 120) % 2 == 0, 2.0, 5.0)
    ngs = normalised_graded_speed(varied, dt)
    assert ngs is not None
    assert ngs > varied.mean() + 0.1
    assert normalised_graded_speed(np.full(20, 3.0), np.ones(20)) is None


def test_efficiency_factor_is_ngs_per_minute_over_heart_rate() -> None:
    n = 1200
    s = session_stats(clean_streams(_run(np.full(n, 3.0), heart_rate_bpm=np.full(n, 150.0))))
    assert s.efficiency_factor == pytest.approx(180.0 / 150.0)


def test_zone_boundaries_belong_to_the_zone_above() -> None:
    values = np.array([90.0, 95.0, 113.9, 114.0, 189.0, 200.0, np.nan])
    z = zone_seconds(values, np.ones(7), HR_EDGES)
    assert z.below_s == pytest.approx(1.0)
    assert z.zones_s == pytest.approx((2.0, 1.0, 0.0, 0.0, 2.0))
    assert z.no_zone_s == pytest.approx(1.0)


def test_zone_edges_validated() -> None:
    with pytest.raises(ValueError, match="ascending"):
        zone_seconds(np.ones(2), np.ones(2), (100.0, 90.0))


def test_splits_exact_on_constant_speed() -> None:
    n = 626  # 625 s at 4 m/s = 2500 m
    s = session_stats(clean_streams(_run(np.full(n, 4.0))))
    assert [round(x.distance_m, 6) for x in s.splits] == [1000.0, 1000.0, 500.0]
    assert [x.moving_time_s for x in s.splits] == pytest.approx([250.0, 250.0, 125.0])
    assert s.splits[1].moving_pace_s_per_km == pytest.approx(250.0)
    assert s.splits[1].start_elapsed_s == pytest.approx(250.0)


def test_laps_cut_at_their_start_times() -> None:
    v = np.concatenate((np.full(301, 3.0), np.full(300, 5.0)))
    hr = np.concatenate((np.full(301, 140.0), np.full(300, 170.0)))
    s = session_stats(clean_streams(_run(v, heart_rate_bpm=hr)), lap_starts_elapsed_s=(0.0, 300.0))
    assert len(s.laps) == 2
    assert [lap.distance_m for lap in s.laps] == pytest.approx([900.0, 1500.0])
    assert s.laps[1].avg_hr_bpm == pytest.approx(170.0)
    assert s.laps[0].max_hr_bpm == pytest.approx(140.0)


segments = st.lists(
    st.tuples(
        st.floats(0.0, 6.0),
        st.integers(1, 200),
        st.floats(90.0, 200.0) | st.just(math.nan),
        st.floats(-0.1, 0.1),
    ),
    min_size=1,
    max_size=12,
)


def _profile(segs: list[tuple[float, int, float, float]]) -> Records:
    v = np.concatenate([[0.0], *[np.full(k, s) for s, k, _, _ in segs]])
    hr = np.concatenate([[np.nan], *[np.full(k, h) for _, k, h, _ in segs]])
    slope = np.concatenate([[0.0], *[np.full(k, g) for _, k, _, g in segs]])
    alt = 100.0 + np.cumsum(slope * v)
    # Every fifth segment boundary is a pause of 60 s without records.
    t = np.arange(len(v), dtype=np.float64)
    for end in np.cumsum([k for _, k, _, _ in segs])[4::5]:
        t[end + 1 :] += 60.0
    return _run(v, t, heart_rate_bpm=hr, altitude_m=alt)


@settings(deadline=None)
@given(segments)
def test_zone_times_sum_to_moving_time(segs: list[tuple[float, int, float, float]]) -> None:
    s = session_stats(
        clean_streams(_profile(segs)), hr_zone_edges_bpm=HR_EDGES, pace_zone_edges_mps=PACE_EDGES
    )
    assert s.hr_zones is not None
    assert s.pace_zones is not None
    assert s.hr_zones.total_s == pytest.approx(s.moving_time_s, abs=1e-6)
    assert s.pace_zones.total_s == pytest.approx(s.moving_time_s, abs=1e-6)
    assert s.pace_zones.no_zone_s == pytest.approx(0.0)


@settings(deadline=None)
@given(segments)
def test_splits_and_laps_sum_to_totals(segs: list[tuple[float, int, float, float]]) -> None:
    records = _profile(segs)
    laps = np.arange(0.0, records.elapsed_s[-1], 137.0)
    s = session_stats(clean_streams(records), lap_starts_elapsed_s=laps)
    for parts in (s.splits, s.laps):
        assert sum(p.elapsed_time_s for p in parts) == pytest.approx(s.elapsed_time_s)
        assert sum(p.timer_time_s for p in parts) == pytest.approx(s.timer_time_s)
        assert sum(p.moving_time_s for p in parts) == pytest.approx(s.moving_time_s)
        assert sum(p.distance_m for p in parts) == pytest.approx(s.distance_m, abs=1e-6)
        assert sum(p.elevation_gain_m or 0.0 for p in parts) == pytest.approx(
            s.elevation_gain_m or 0.0, abs=1e-6
        )
    for split in s.splits[:-1]:
        assert split.distance_m == pytest.approx(1000.0)
    assert s.splits[-1].distance_m <= 1000.0 + 1e-6


def test_mile_splits_exact_on_constant_speed() -> None:
    """Readers in miles get splits every 1609.344 m, cut like the km splits."""
    n = 1001  # 1000 s at 4 m/s = 4000 m = 2 mi + 781.312 m
    s = session_stats(clean_streams(_run(np.full(n, 4.0))))
    assert [round(x.distance_m, 3) for x in s.mile_splits] == [1609.344, 1609.344, 781.312]
    assert s.mile_splits[0].moving_time_s == pytest.approx(1609.344 / 4.0)
    assert s.mile_splits[1].start_elapsed_s == pytest.approx(1609.344 / 4.0)
    assert sum(x.distance_m for x in s.mile_splits) == pytest.approx(s.distance_m)
    assert len(s.splits) == 4  # the km splits are unchanged


def test_split_length_is_a_parameter() -> None:
    s = session_stats(clean_streams(_run(np.full(626, 4.0))), mile_split_distance_m=500.0)
    assert [round(x.distance_m, 6) for x in s.mile_splits] == [500.0] * 5
