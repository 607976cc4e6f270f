"""One session's analysis (``science.analysis``): worked examples, limits, invariants.

No app and no database: the records, the file's extras, the limits and the day's
parameters are all passed in.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science import load as load_science
from smartrunning.science.analysis import (
    AnalysisParams,
    ParamInputs,
    SessionAnalysis,
    SourceInfo,
    analyse,
    apply_params,
    current_versions,
    interpolated_mean_hr,
    json_safe,
    limits_json,
)
from smartrunning.science.records import Records
from smartrunning.science.sports import counts_for_bests, is_running, is_treadmill
from smartrunning.science.streams import Limits, clean_streams
from smartrunning.science.zones import HRZoneModel, PaceZoneModel
from tests.core.fitgen import synthetic_run

START = dt.datetime(2024, 5, 4, 7, 0, tzinfo=dt.UTC)
HRMAX, HRREST, CS = 190.0, 50.0, 4.0
HR_ZONES = HRZoneModel().resolve(HRMAX)  # edges 95 / 114 / 133 / 152 / 171 / 190 bpm
PACE_ZONES = PaceZoneModel().resolve(CS)  # edges 0 / 3.2 / 3.48 / 3.8 / 4.2 / 4.76 / ∞ m/s


def _params(limits: Limits | None = None, **changes: object) -> AnalysisParams:
    values: dict[str, object] = {
        "hrmax_bpm": HRMAX,
        "hrrest_bpm": HRREST,
        "threshold_hr_bpm": 171.0,
        "hr_zones": HR_ZONES,
        "pace_zones": PACE_ZONES,
        "cs_mps": CS,
        "load_model": "auto",
        "sex": "male",
        "limits": limits or Limits(),
    }
    return AnalysisParams(**{**values, **changes})


def _source(sport: str = "running", **changes: object) -> SourceInfo:
    values: dict[str, object] = {
        "sport": sport,
        "sub_sport": None,
        "start_time": START,
        "lap_starts_s": (),
        "timer_time_s": None,
    }
    return SourceInfo(**{**values, **changes})


def _records(
    speed: npt.ArrayLike, hr: npt.ArrayLike, elapsed: npt.ArrayLike | None = None
) -> Records:
    """Records where ``speed[k]`` and ``hr[k]`` hold over the interval ending at sample k
    (1 Hz unless ``elapsed`` is given), starting at ``START`` with distance 0."""
    v = np.asarray(speed, dtype=np.float64)
    t = np.arange(len(v), dtype=np.float64) if elapsed is None else np.asarray(elapsed, float)
    d = np.concatenate(([0.0], np.cumsum(v[1:] * np.diff(t))))
    return Records.from_columns(
        len(v),
        timestamp_s=START.timestamp() + t,
        elapsed_s=t,
        distance_m=d,
        speed_mps=v,
        heart_rate_bpm=np.broadcast_to(np.asarray(hr, dtype=np.float64), v.shape),
    )


def _steady(duration_s: int, speed_mps: float, hr_bpm: float) -> Records:
    return _records(np.full(duration_s + 1, speed_mps), hr_bpm)


def _zone_seconds(zones: dict[str, object]) -> list[float]:
    return [float(z["seconds"]) for z in zones["zones"]]


def _zones_total(zones: dict[str, object]) -> float:
    return float(zones["below_s"]) + float(zones["no_zone_s"]) + sum(_zone_seconds(zones))


# Worked examples -------------------------------------------------------------------------


def test_steady_run_at_known_speed_and_heart_rate() -> None:
    """30 min at 3.0 m/s and 150 bpm, flat: every total follows by hand."""
    a = analyse(_steady(1800, 3.0, 150.0), _source(), Limits(), _params())
    assert a.distance_m == pytest.approx(5400.0)
    assert a.elapsed_time_s == pytest.approx(1800.0)
    assert a.timer_time_s == pytest.approx(1800.0)
    assert a.moving_time_s == pytest.approx(1800.0)
    assert a.avg_speed_mps == pytest.approx(3.0)
    assert a.avg_hr_bpm == pytest.approx(150.0)
    assert a.max_hr_bpm == pytest.approx(150.0)
    # 150 bpm lies in zone 3 (133–152 bpm), 3.0 m/s in pace zone 1 (below 0.80 · CS = 3.2).
    assert _zone_seconds(a.values.zones["hr"]) == pytest.approx([0, 0, 1800, 0, 0])
    assert _zone_seconds(a.values.zones["pace"]) == pytest.approx([1800, 0, 0, 0, 0, 0])
    assert a.values.zones["hr"]["below_s"] == pytest.approx(0.0)
    assert a.values.zones["hr"]["no_zone_s"] == pytest.approx(0.0)
    # Five km splits of 333.3 s and a 400 m remainder.
    splits = a.stats["splits"]
    assert [s["distance_m"] for s in splits] == pytest.approx([1000] * 5 + [400])
    assert [s["timer_time_s"] for s in splits[:5]] == pytest.approx([1000 / 3] * 5)


def test_steady_run_loads_follow_science_md() -> None:
    """TRIMP, HRSS and rTSS of the steady run, from the formulas in SCIENCE.md."""
    a = analyse(_steady(1800, 3.0, 150.0), _source(), Limits(), _params())
    # TRIMP (men): 30 min · x · 0.64 · e^(1.92 x), x = (150 − 50) / (190 − 50) = 5/7
    x = 5 / 7
    trimp = 30 * x * 0.64 * math.exp(1.92 * x)
    assert trimp == pytest.approx(54.0477, abs=1e-4)
    assert a.values.loads.trimp == pytest.approx(trimp)
    # HRSS: 100 · TRIMP / TRIMP(60 min at threshold 171 bpm), x_t = 121/140
    x_t = 121 / 140
    assert a.values.loads.hrss == pytest.approx(
        100 * trimp / (60 * x_t * 0.64 * math.exp(1.92 * x_t))
    )
    assert a.values.loads.hrss == pytest.approx(30.98, abs=0.01)
    # rTSS: 0.5 h · (3.0 / 4.0)² · 100 (normalised graded speed of a flat steady run = 3.0)
    assert a.values.loads.rtss == pytest.approx(28.125)
    assert a.values.chosen is not None
    assert (a.values.chosen.model, a.values.chosen.fallback) == ("rtss", False)
    assert a.values.chosen.value == pytest.approx(28.125)
    assert a.values.params_hash == _params().fingerprint()


def test_best_efforts_of_a_steady_run() -> None:
    a = analyse(_steady(1800, 3.0, 150.0), _source(), Limits(), _params())
    by_key = {e["distance"]: e for e in a.best_efforts}
    assert set(by_key) == {"400m", "800m", "1000m", "mile", "3000m", "5k"}
    for effort in a.best_efforts:
        assert effort["time_s"] == pytest.approx(effort["distance_m"] / 3.0)
        assert effort["speed_mps"] == pytest.approx(3.0)


def test_timer_time_from_the_files_events_sets_the_average_speed() -> None:
    a = analyse(_steady(1800, 3.0, 150.0), _source(timer_time_s=2000.0), Limits())
    assert a.timer_time_s == pytest.approx(2000.0)
    assert a.stats["records_timer_time_s"] == pytest.approx(1800.0)
    assert a.avg_speed_mps == pytest.approx(5400.0 / 2000.0)


def test_distance_shown_by_the_first_record_counts() -> None:
    """FIT distance counts from the segment's start: 30 m already covered 10 s after it."""
    r = _steady(600, 3.0, 150.0)
    shifted = Records.from_columns(
        len(r),
        timestamp_s=r.timestamp_s + 10,
        elapsed_s=r.elapsed_s,
        distance_m=r.distance_m + 30.0,
        speed_mps=r.speed_mps,
        heart_rate_bpm=r.heart_rate_bpm,
    )
    assert analyse(shifted, _source(), Limits()).distance_m == pytest.approx(1830.0)
    # 5 km "already covered" 1 s after the start: a counter that did not restart.
    restarted = Records.from_columns(
        len(r),
        timestamp_s=r.timestamp_s + 1,
        elapsed_s=r.elapsed_s,
        distance_m=r.distance_m + 5000.0,
        speed_mps=r.speed_mps,
        heart_rate_bpm=r.heart_rate_bpm,
    )
    assert analyse(restarted, _source(), Limits()).distance_m == pytest.approx(1800.0)


def test_average_heart_rate_is_interpolated_between_sparse_records() -> None:
    """Records at 0, 5 and 10 s with 100, 100, 200 bpm: (5 · 100 + 5 · 150) / 10 = 125."""
    r = _records([3.0, 3.0, 3.0], [100.0, 100.0, 200.0], elapsed=[0.0, 5.0, 10.0])
    s = clean_streams(r)
    assert interpolated_mean_hr(s) == pytest.approx(125.0)
    # The record ending a gap does not stand for the whole gap (that would give 150).
    assert analyse(r, _source(), Limits()).stats["avg_hr_bpm"] == pytest.approx(150.0)
    assert analyse(r, _source(), Limits()).avg_hr_bpm == pytest.approx(125.0)


def test_interpolated_mean_hr_edges() -> None:
    one = clean_streams(_records([3.0], [140.0]))
    assert interpolated_mean_hr(one) == pytest.approx(140.0)
    assert interpolated_mean_hr(clean_streams(_records([3.0, 3.0], [np.nan, np.nan]))) is None
    # A missing value takes its neighbour's, never 0.
    s = clean_streams(_records([3.0] * 4, [140.0, np.nan, np.nan, 140.0]))
    assert interpolated_mean_hr(s) == pytest.approx(140.0)


def test_without_parameters_the_values_are_left_pending() -> None:
    a = analyse(_steady(600, 3.0, 150.0), _source(), Limits())
    assert a.values.params_hash == ""
    assert a.values.zones == {}
    assert a.values.chosen is None
    assert a.columns()["params_hash"] == ""
    assert a.versions == current_versions()
    # The histograms the recomputation needs are there all the same.
    assert sum(t for _, t in a.inputs.hr_moving) == pytest.approx(600.0)


@pytest.mark.parametrize(
    ("sport", "efforts", "pace"),
    [("running", True, True), ("walking", False, True), ("cycling", False, False)],
)
def test_sports_decide_best_efforts_and_pace(sport: str, efforts: bool, pace: bool) -> None:
    a = analyse(_steady(600, 3.0, 150.0), _source(sport), Limits(), _params())
    assert bool(a.best_efforts) is efforts
    assert (a.values.zones["pace"] is not None) is pace
    assert (a.values.loads.rtss is not None) is pace
    assert a.values.chosen is not None
    assert a.values.chosen.model == ("rtss" if pace else "hrss")


def test_sports() -> None:
    assert is_running("running")
    assert not is_running("walking")
    assert is_treadmill("running", "treadmill")
    assert not is_treadmill("walking", "treadmill")
    assert counts_for_bests("running", "trail")
    assert not counts_for_bests("running", "indoor_running")
    assert not counts_for_bests("hiking", None)


def test_a_realistic_run() -> None:
    """The generated run (warm-up, intervals, a stop, cool-down): totals that must hold."""
    r = synthetic_run(3600, start=START, seed=3)
    a = analyse(r, _source(), Limits(), _params())
    assert a.distance_m == pytest.approx(float(r.distance_m[-1]))
    assert a.elapsed_time_s == pytest.approx(3599.0)
    assert 3500 < a.moving_time_s < 3599  # the 30 s stop at the crossing is not moving
    assert _zones_total(a.values.zones["hr"]) == pytest.approx(a.moving_time_s)
    assert _zones_total(a.values.zones["pace"]) == pytest.approx(a.moving_time_s)
    times = [e["time_s"] for e in a.best_efforts]
    assert times == sorted(times)  # a longer effort never takes less time


# The limits change results -----------------------------------------------------------------


def test_a_heart_rate_above_the_limit_is_dropped() -> None:
    """60 s at 205 bpm in a 150 bpm run: counted under 220 bpm, missing under 200 bpm."""
    hr = np.full(601, 150.0)
    hr[100:160] = 205.0
    r = _records(np.full(601, 3.0), hr)
    high = Limits(hr_max_bpm=220.0)
    low = Limits(hr_max_bpm=200.0)
    kept = analyse(r, _source(), high, _params(high))
    dropped = analyse(r, _source(), low, _params(low))
    assert kept.max_hr_bpm == pytest.approx(205.0)
    assert kept.avg_hr_bpm is not None
    assert kept.avg_hr_bpm > 150.0
    assert _zone_seconds(kept.values.zones["hr"])[-1] == pytest.approx(60.0)
    assert dropped.max_hr_bpm == pytest.approx(150.0)
    assert dropped.avg_hr_bpm == pytest.approx(150.0)
    assert dropped.inputs.no_hr_moving_s == pytest.approx(60.0)
    assert dropped.values.zones["hr"]["no_zone_s"] == pytest.approx(60.0)
    assert _zone_seconds(dropped.values.zones["hr"]) == pytest.approx([0, 0, 540, 0, 0])
    assert dropped.values.loads.trimp is not None
    assert kept.values.loads.trimp is not None
    assert dropped.values.loads.trimp < kept.values.loads.trimp


def test_a_heart_rate_below_the_limit_is_dropped() -> None:
    hr = np.full(601, 150.0)
    hr[300:330] = 35.0  # a strap losing contact
    r = _records(np.full(601, 3.0), hr)
    assert analyse(r, _source(), Limits(hr_min_bpm=30.0)).inputs.no_hr_moving_s == pytest.approx(
        0.0
    )
    raised = analyse(r, _source(), Limits(hr_min_bpm=40.0))
    assert raised.inputs.no_hr_moving_s == pytest.approx(30.0)
    assert raised.avg_hr_bpm == pytest.approx(150.0)


def test_the_moving_speed_decides_moving_time_and_pace_zones() -> None:
    """300 s walking at 1.0 m/s, then 300 s running at 3.0 m/s."""
    r = _records(np.where(np.arange(601) <= 300, 1.0, 3.0), 140.0)
    walk_moves = Limits(moving_speed_min_mps=0.5)
    walk_stands = Limits(moving_speed_min_mps=1.5)
    a = analyse(r, _source(), walk_moves, _params(walk_moves))
    b = analyse(r, _source(), walk_stands, _params(walk_stands))
    assert a.moving_time_s == pytest.approx(600.0)
    assert b.moving_time_s == pytest.approx(300.0)
    assert a.timer_time_s == b.timer_time_s == pytest.approx(600.0)
    for x in (a, b):
        assert _zones_total(x.values.zones["hr"]) == pytest.approx(x.moving_time_s)
        assert _zones_total(x.values.zones["pace"]) == pytest.approx(x.moving_time_s)
    assert _zone_seconds(b.values.zones["pace"])[0] == pytest.approx(300.0)


def test_the_gps_jump_limit_decides_what_best_efforts_see() -> None:
    """A 200 m jump in one second: the recorded distance keeps it, best efforts do not."""
    v = np.full(601, 3.0)
    r = _records(v, 150.0)
    jumped = Records.from_columns(
        len(r),
        timestamp_s=r.timestamp_s,
        elapsed_s=r.elapsed_s,
        distance_m=r.distance_m + np.where(np.arange(601) >= 300, 200.0, 0.0),
        speed_mps=v,
        heart_rate_bpm=r.heart_rate_bpm,
    )
    strict = analyse(jumped, _source(), Limits(gps_jump_speed_mps=12.0))
    lax = analyse(jumped, _source(), Limits(gps_jump_speed_mps=500.0))
    assert strict.distance_m == lax.distance_m == pytest.approx(2000.0)
    best = {e["distance"]: e["time_s"] for e in strict.best_efforts}
    assert best["400m"] == pytest.approx(400 / 3.0)
    lax_best = {e["distance"]: e["time_s"] for e in lax.best_efforts}
    assert lax_best["400m"] < 100.0  # the jump's 200 m "run" in one second


def test_the_interval_cap_decides_timer_time() -> None:
    """A 60 s gap in the records (a pause): counted as the cap, 10 s or 5 s."""
    t = np.concatenate((np.arange(0.0, 301.0), np.arange(361.0, 662.0)))
    r = _records(np.full(len(t), 3.0), 150.0, elapsed=t)
    assert analyse(r, _source(), Limits()).timer_time_s == pytest.approx(600.0 + 10.0)
    assert analyse(r, _source(), Limits(dt_cap_s=5.0)).timer_time_s == pytest.approx(605.0)


def test_the_limits_are_recorded_and_fingerprinted() -> None:
    low = Limits(hr_max_bpm=200.0)
    a = analyse(_steady(60, 3.0, 150.0), _source(), low)
    assert a.inputs.limits == limits_json(low)
    assert a.inputs.limits["hr_max_bpm"] == pytest.approx(200.0)
    assert _params(low).fingerprint() != _params(Limits()).fingerprint()
    assert _params(Limits()).fingerprint() == _params(Limits()).fingerprint()


# Stored forms ------------------------------------------------------------------------------


def test_json_safe() -> None:
    value = {1: (1.5, math.nan), "x": [np.float64(2.0), np.int64(3), math.inf], "s": "a"}
    assert json_safe(value) == {"1": [1.5, None], "x": [2.0, 3, None], "s": "a"}
    assert type(json_safe(np.float32(0.5))) is float


def test_source_info_round_trips() -> None:
    source = _source("running", sub_sport="trail", lap_starts_s=(1.7e9, 1.7e9 + 300.5))
    assert SourceInfo.from_json(source.as_json()) == source


def test_columns_name_every_version_and_value() -> None:
    a = analyse(_steady(600, 3.0, 150.0), _source(), Limits(), _params())
    columns = a.columns()
    assert columns["analysis_version"] == current_versions()["analysis"]
    assert columns["load_model"] == "rtss"
    assert columns["load"] == pytest.approx(a.values.loads.rtss)
    assert ParamInputs.from_json(columns["param_inputs"]) == a.inputs


# Invariants --------------------------------------------------------------------------------

_sample = st.tuples(
    st.sampled_from([1.0, 1.0, 1.0, 2.0, 5.0, 15.0]),  # Δt before the sample, s
    st.floats(0.0, 7.0),  # speed, m/s
    st.one_of(st.floats(20.0, 240.0), st.just(math.nan)),  # heart rate, bpm
)


def _drawn(samples: list[tuple[float, float, float]]) -> Records:
    dt_s, speed, hr = (np.asarray(c, dtype=np.float64) for c in zip(*samples, strict=True))
    return _records(speed, hr, elapsed=np.cumsum(dt_s) - dt_s[0])


def _analysed(records: Records, limits: Limits) -> SessionAnalysis:
    return analyse(records, _source(), limits, _params(limits))


@settings(max_examples=60, deadline=None)
@given(st.lists(_sample, min_size=2, max_size=300))
def test_zone_times_sum_to_moving_time(samples: list[tuple[float, float, float]]) -> None:
    a = _analysed(_drawn(samples), Limits())
    assert _zones_total(a.values.zones["hr"]) == pytest.approx(a.moving_time_s, abs=1e-6)
    assert _zones_total(a.values.zones["pace"]) == pytest.approx(a.moving_time_s, abs=1e-6)
    assert a.moving_time_s <= a.timer_time_s + 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(_sample, min_size=2, max_size=300))
def test_stored_histograms_give_what_the_records_give(
    samples: list[tuple[float, float, float]],
) -> None:
    """What the recomputation does from the stored JSON equals the full analysis, and
    TRIMP over the heart-rate histogram equals TRIMP over the samples."""
    records = _drawn(samples)
    a = _analysed(records, Limits())
    stored = ParamInputs.from_json(json_safe(a.inputs.as_json()))
    # Exactly equal, not approximately: the chronological recomputation relies on it.
    assert apply_params(stored, _params()).columns() == a.values.columns()
    s = clean_streams(records)
    per_sample = load_science.trimp(
        s.heart_rate_bpm, s.dt_s, rest_hr_bpm=HRREST, max_hr_bpm=HRMAX, sex="male"
    )
    if a.values.loads.trimp is None:  # no heart rate over any time (sample 0 owns none)
        assert not (np.isfinite(s.heart_rate_bpm) & (s.dt_s > 0)).any()
    else:
        assert a.values.loads.trimp == pytest.approx(per_sample, rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(_sample, min_size=2, max_size=200),
    st.floats(120.0, 220.0),
    st.floats(0.3, 3.0),
)
def test_tighter_limits_never_add(
    samples: list[tuple[float, float, float]], hr_max: float, moving_min: float
) -> None:
    """A lower HR limit never raises the maximum HR nor lowers the time without HR; a
    higher moving speed never adds moving time."""
    records = _drawn(samples)
    loose = _analysed(records, Limits())
    tight = _analysed(records, Limits(hr_max_bpm=hr_max, moving_speed_min_mps=max(moving_min, 0.5)))
    if tight.max_hr_bpm is not None:
        assert loose.max_hr_bpm is not None
        assert tight.max_hr_bpm <= min(loose.max_hr_bpm, hr_max)
    assert tight.moving_time_s <= loose.moving_time_s + 1e-9
    same_moving = _analysed(records, Limits(hr_max_bpm=hr_max))
    assert same_moving.inputs.no_hr_moving_s >= loose.inputs.no_hr_moving_s - 1e-9
