"""Training load: Banister TRIMP worked by hand, HRSS and rTSS anchors, choice of model."""

from __future__ import annotations

from typing import get_args

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.load import (
    LoadParams,
    SessionLoads,
    Sex,
    choose_load,
    hrss,
    rtss,
    session_loads,
    trimp,
)
from smartrunning.science.records import Records
from smartrunning.science.stats import session_stats
from smartrunning.science.streams import clean_streams

HOUR = np.full(3600, 1.0)


@pytest.mark.parametrize(
    ("sex", "expected"),
    [
        # x = (150 − 50)/(190 − 50) = 0.714286
        # male:   60 · 0.714286 · 0.64 · e^(1.92 · 0.714286 = 1.371429 → 3.940977) = 108.095
        ("male", 108.095),
        # female: 60 · 0.714286 · 0.86 · e^(1.67 · 0.714286 = 1.192857 → 3.296486) = 121.499
        ("female", 121.499),
        # unspecified: the mean of the two = 114.797
        ("unspecified", 114.797),
    ],
)
def test_trimp_one_hour_at_constant_heart_rate(sex: Sex, expected: float) -> None:
    value = trimp(np.full(3600, 150.0), HOUR, rest_hr_bpm=50.0, max_hr_bpm=190.0, sex=sex)
    assert value == pytest.approx(expected, abs=1e-3)


def test_trimp_per_sample_weighs_intervals_more_than_their_average() -> None:
    intervals = np.concatenate((np.full(1800, 120.0), np.full(1800, 180.0)))
    per_sample = trimp(intervals, HOUR, rest_hr_bpm=50.0, max_hr_bpm=190.0, sex="male")
    steady = trimp(np.full(3600, 150.0), HOUR, rest_hr_bpm=50.0, max_hr_bpm=190.0, sex="male")
    assert per_sample > steady * 1.05


def test_trimp_clamps_and_skips_missing() -> None:
    kw = {"rest_hr_bpm": 50.0, "max_hr_bpm": 190.0}
    below = trimp(np.full(60, 40.0), np.ones(60), sex="male", **kw)
    assert below == pytest.approx(0.0)
    above = trimp(np.full(60, 230.0), np.ones(60), sex="male", **kw)
    assert above == pytest.approx(1.0 * 0.64 * np.exp(1.92))
    missing = trimp(np.array([np.nan, 190.0]), np.array([1800.0, 60.0]), sex="male", **kw)
    assert missing == pytest.approx(above)


def test_trimp_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError, match="rest_hr_bpm"):
        trimp(HOUR, HOUR, rest_hr_bpm=190.0, max_hr_bpm=50.0, sex="male")
    with pytest.raises(ValueError, match="sex"):
        trimp(HOUR, HOUR, rest_hr_bpm=50.0, max_hr_bpm=190.0, sex="other")  # type: ignore[arg-type]


@given(
    st.sampled_from(get_args(Sex)),
    st.floats(40.0, 70.0),
    st.floats(175.0, 210.0),
    st.floats(0.75, 0.95),
)
def test_hrss_is_100_for_an_hour_at_threshold(
    sex: Sex, rest: float, hrmax: float, fraction: float
) -> None:
    threshold = rest + fraction * (hrmax - rest)
    hour = trimp(np.full(3600, threshold), HOUR, rest_hr_bpm=rest, max_hr_bpm=hrmax, sex=sex)
    half = trimp(np.full(1800, threshold), HOUR[:1800], rest_hr_bpm=rest, max_hr_bpm=hrmax, sex=sex)
    for value, expected in ((hour, 100.0), (half, 50.0)):
        score = hrss(value, threshold_hr_bpm=threshold, rest_hr_bpm=rest, max_hr_bpm=hrmax, sex=sex)
        assert score == pytest.approx(expected)


def _steady(speed: float, seconds: int) -> Records:
    n = seconds + 1
    t = np.arange(n, dtype=np.float64)
    return Records.from_columns(
        n,
        elapsed_s=t,
        speed_mps=np.full(n, speed),
        distance_m=speed * t,
        altitude_m=np.full(n, 100.0),
    )


@pytest.mark.parametrize(
    ("fraction", "seconds", "expected"),
    [(1.0, 3600, 100.0), (1.0, 7200, 200.0), (1.1, 3600, 121.0), (0.8, 1800, 32.0)],
)
def test_rtss_one_hour_at_critical_speed_is_100(
    fraction: float, seconds: int, expected: float
) -> None:
    cs = 3.8
    s = session_stats(clean_streams(_steady(fraction * cs, seconds)))
    assert s.normalised_graded_speed_mps is not None
    assert rtss(s.timer_time_s, s.normalised_graded_speed_mps, cs) == pytest.approx(expected)


def test_session_loads_need_their_inputs() -> None:
    hr = np.full(3600, 150.0)
    full = LoadParams(
        sex="male",
        rest_hr_bpm=50.0,
        max_hr_bpm=190.0,
        threshold_hr_bpm=150.0,
        critical_speed_mps=3.0,
    )
    loads = session_loads(
        hr, HOUR, timer_time_s=3600.0, normalised_graded_speed_mps=3.0, params=full
    )
    assert loads.trimp == pytest.approx(108.095, abs=1e-3)
    assert loads.hrss == pytest.approx(100.0)
    assert loads.rtss == pytest.approx(100.0)
    none = session_loads(
        np.full(3600, np.nan),
        HOUR,
        timer_time_s=3600.0,
        normalised_graded_speed_mps=None,
        params=full,
    )
    assert none == SessionLoads(trimp=None, hrss=None, rtss=None)
    no_threshold = session_loads(
        hr, HOUR, timer_time_s=3600.0, normalised_graded_speed_mps=3.0, params=LoadParams()
    )
    assert no_threshold == SessionLoads(trimp=None, hrss=None, rtss=None)


def test_choose_load_default_order_and_preference() -> None:
    all_three = SessionLoads(trimp=120.0, hrss=90.0, rtss=80.0)
    chosen = choose_load(all_three)
    assert chosen is not None
    assert (chosen.model, chosen.value, chosen.fallback) == ("rtss", 80.0, False)
    chosen = choose_load(SessionLoads(trimp=120.0, hrss=90.0, rtss=None))
    assert chosen is not None
    assert (chosen.model, chosen.fallback) == ("hrss", False)
    chosen = choose_load(SessionLoads(trimp=120.0, hrss=None, rtss=None))
    assert chosen is not None
    assert chosen.model == "trimp"
    chosen = choose_load(all_three, "trimp")
    assert chosen is not None
    assert (chosen.model, chosen.value, chosen.fallback) == ("trimp", 120.0, False)
    chosen = choose_load(SessionLoads(trimp=None, hrss=None, rtss=80.0), "hrss")
    assert chosen is not None
    assert (chosen.model, chosen.fallback) == ("rtss", True)
    assert choose_load(SessionLoads(trimp=None, hrss=None, rtss=None)) is None
    with pytest.raises(ValueError, match="preference"):
        choose_load(all_three, "tss")  # type: ignore[arg-type]


def test_session_rpe_preference_falls_back_to_the_automatic_order() -> None:
    """The core knows no ratings: under "srpe" an unrated session counts as "auto" would,
    marked as a fallback (the rating's load replaces it above the core)."""
    from smartrunning.science.load import SessionLoads, choose_load

    loads = SessionLoads(trimp=80.0, hrss=70.0, rtss=60.0)
    chosen = choose_load(loads, "srpe")
    assert chosen is not None
    assert (chosen.model, chosen.value, chosen.fallback) == ("rtss", 60.0, True)
    hr_only = choose_load(SessionLoads(trimp=80.0, hrss=None, rtss=None), "srpe")
    assert hr_only is not None
    assert (hr_only.model, hr_only.fallback) == ("trimp", True)
    assert choose_load(SessionLoads(None, None, None), "srpe") is None
