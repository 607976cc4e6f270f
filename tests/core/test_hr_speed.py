"""The runner's own HR–speed line (science.hr_speed; SCIENCE.md "Targets and limits")."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.hr_speed import (
    MIN_R2,
    HRSpeedLine,
    HRSpeedRefusal,
    SteadyPoint,
    fit_hr_speed,
    steady_points,
)

DAY = dt.date(2026, 10, 1)


def _run(
    speed: float, minutes: float, slope: float, intercept: float, noise: float, seed: int
) -> tuple[np.ndarray, ...]:
    """One run at 1 Hz: the first 10 min easier, then ``speed`` with HR on the line."""
    rng = np.random.default_rng(seed)
    n = int(minutes * 60)
    t = np.arange(n, dtype=float)
    v = np.where(t < 600, speed * 0.85, speed) * (1 + rng.normal(0, 0.01, n))
    hr = intercept + slope * np.where(t < 600, speed * 0.85, speed) + rng.normal(0, noise, n)
    dt_s = np.ones(n)
    dt_s[0] = 0.0
    return dt_s, np.ones(n, dtype=bool), v, np.zeros(n), hr


def _points(speeds: list[float], slope: float = 30.0, intercept: float = 60.0, noise: float = 1.0):
    points: list[SteadyPoint] = []
    for k, speed in enumerate(speeds):
        dt_s, moving, v, grade, hr = _run(speed, 40, slope, intercept, noise, k)
        points.extend(steady_points(DAY + dt.timedelta(days=k), k, dt_s, moving, v, grade, hr))
    return points


def test_a_known_line_is_recovered() -> None:
    points = _points([2.6, 2.9, 3.2, 3.5])
    assert len(points) == 4 * 6  # 30 min after the first 10: six 5-min segments a run
    line = fit_hr_speed(points)
    assert isinstance(line, HRSpeedLine)
    assert line.slope == pytest.approx(30.0, abs=1.5)
    assert line.intercept_bpm == pytest.approx(60.0, abs=5.0)
    assert line.hr_at(3.0) == pytest.approx(150.0, abs=1.0)
    assert line.r2 > 0.95
    assert (line.n, line.sessions) == (24, 4)
    assert (line.first_day, line.last_day) == (DAY, DAY + dt.timedelta(days=3))
    assert line.covers(3.0)
    assert not line.covers(4.5)
    assert "R² 1.00, 24 steady segments from 4 runs" in line.describe()


def test_the_first_ten_minutes_and_unsteady_running_give_no_points() -> None:
    dt_s, moving, v, grade, hr = _run(3.0, 12, 30, 60, 1.0, 1)
    assert steady_points(DAY, 1, dt_s, moving, v, grade, hr) == ()  # 2 min after warm-up
    dt_s, moving, v, grade, hr = _run(3.0, 40, 30, 60, 1.0, 1)
    fartlek = v * np.where((np.arange(len(v)) // 60) % 2 == 0, 1.2, 0.8)
    assert steady_points(DAY, 1, dt_s, moving, fartlek, grade, hr) == ()
    drifting = hr + np.arange(len(hr)) * 0.05  # +15 bpm in 5 min
    assert steady_points(DAY, 1, dt_s, moving, v, grade, drifting) == ()
    no_hr = np.full_like(hr, np.nan)
    assert steady_points(DAY, 1, dt_s, moving, v, grade, no_hr) == ()


def test_uphill_running_counts_at_its_grade_adjusted_speed() -> None:
    dt_s, moving, v, grade, hr = _run(3.0, 20, 30, 60, 0.5, 2)
    flat = steady_points(DAY, 1, dt_s, moving, v, grade, hr)
    hill = steady_points(DAY, 1, dt_s, moving, v, grade + 0.05, hr)
    assert hill[0].speed_mps > flat[0].speed_mps * 1.1


def test_too_few_runs_are_refused_with_the_reason() -> None:
    refused = fit_hr_speed(_points([2.6, 3.2]))
    assert isinstance(refused, HRSpeedRefusal)
    assert "from 2 runs" in refused.reason
    assert refused.sessions == 2


def test_one_speed_only_is_refused() -> None:
    refused = fit_hr_speed(_points([3.0, 3.02, 3.05, 3.01]))
    assert isinstance(refused, HRSpeedRefusal)
    assert "span" in refused.reason


def test_noise_without_a_line_is_refused_with_r2() -> None:
    rng = np.random.default_rng(5)
    points = [
        SteadyPoint(DAY, k % 4, float(s), float(h))
        for k, (s, h) in enumerate(
            zip(rng.uniform(2.5, 3.5, 20), rng.normal(150, 8, 20), strict=True)
        )
    ]
    refused = fit_hr_speed(points)
    assert isinstance(refused, HRSpeedRefusal)
    assert refused.r2 is None or refused.r2 < MIN_R2


@settings(max_examples=60, deadline=None)
@given(
    slope=st.floats(10, 50),
    intercept=st.floats(30, 90),
    speeds=st.lists(st.floats(2.0, 5.0), min_size=8, max_size=20),
    noise=st.floats(0, 2),
)
def test_an_accepted_line_fits_its_points(
    slope: float, intercept: float, speeds: list[float], noise: float
) -> None:
    rng = np.random.default_rng(0)
    points = [
        SteadyPoint(DAY, k % 4, s, intercept + slope * s + float(rng.normal(0, noise)))
        for k, s in enumerate(speeds)
    ]
    result = fit_hr_speed(points)
    if isinstance(result, HRSpeedRefusal):
        assert result.reason
        return
    assert result.r2 >= MIN_R2
    assert result.slope > 0
    assert result.speed_high - result.speed_low >= 0.3
    for p in points:
        assert abs(result.hr_at(p.speed_mps) - p.hr_bpm) < 10 * noise + 1


def _line(slope: float = 30.0, intercept: float = 55.0) -> HRSpeedLine:
    return HRSpeedLine(slope, intercept, 0.9, 20, 5, DAY, DAY, 2.4, 3.6)


def test_plan_targets_use_the_runners_line_where_it_covers_the_pace() -> None:
    from smartrunning.science.plans.targets import DayParameters, step_targets
    from smartrunning.science.workouts import Extent, Steady, Workout

    easy = Workout("Easy", "run", (Steady(Extent(1800.0), 0.75),))
    daniels = DayParameters(cs_mps=4.0, hrmax_bpm=190.0)
    own = DayParameters(cs_mps=4.0, hrmax_bpm=190.0, hr_line=_line())
    band = step_targets(easy, daniels)[0].hr_bpm
    assert band == pytest.approx((0.65 * 190, 0.79 * 190))
    # 0.75 × 4.0 = 3.0 m/s: the line says 55 + 30 · 3 = 145 bpm
    assert step_targets(easy, own)[0].hr_bpm == pytest.approx((142.0, 148.0))
    # a line far above Daniels is held within 5 % of HRmax of the band (150 + 9.5)
    high = DayParameters(cs_mps=4.0, hrmax_bpm=190.0, hr_line=_line(30.0, 90.0))
    assert step_targets(easy, high)[0].hr_bpm == pytest.approx((159.6 - 0.1, 159.6 - 0.1), abs=0.2)
    # speeds outside the line's (widened) range keep Daniels' band
    fast = Workout("Reps", "run", (Steady(Extent(300.0), 1.0),))
    assert step_targets(fast, own)[0].hr_bpm == step_targets(fast, daniels)[0].hr_bpm
