import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.critical_speed import (
    NOT_MAXIMAL_HINT,
    CriticalSpeed,
    Effort,
    ExclusionReason,
    FitStatus,
    WarningCode,
    fit_critical_speed,
)

AS_OF = date(2025, 6, 1)
RECENT = date(2025, 5, 1)
FALLBACK = CriticalSpeed(cs_mps=3.5, d_prime_m=150.0)


def _effort(time_s: float, cs: float = 4.0, d_prime: float = 200.0, on: date = RECENT) -> Effort:
    """An effort exactly on the line D = CS · t + D′."""
    return Effort(distance_m=cs * time_s + d_prime, time_s=time_s, date=on)


def test_two_points_recover_cs_and_d_prime_exactly() -> None:
    efforts = [Effort(920.0, 180.0, RECENT, id=1), Effort(2600.0, 600.0, RECENT, id=2)]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)
    assert result.status is FitStatus.FITTED
    assert result.fitted
    assert result.cs_mps == pytest.approx(4.0, rel=1e-12)
    assert result.d_prime_m == pytest.approx(200.0, abs=1e-9)
    assert result.r_squared == pytest.approx(1.0, abs=1e-12)
    assert result.see_m is None
    assert [e.id for e in result.used] == [1, 2]
    assert result.warning_codes == {WarningCode.ONLY_TWO_POINTS}
    assert result.value.pace_s_per_km == pytest.approx(250.0)


def test_regression_recovers_known_parameters_from_noisy_efforts() -> None:
    rng = np.random.default_rng(20240601)
    times = np.array([130.0, 200.0, 300.0, 420.0, 600.0, 780.0, 960.0, 1150.0])
    distances = 4.0 * times + 200.0 + rng.normal(0.0, 3.0, times.size)
    efforts = [Effort(float(d), float(t), RECENT) for d, t in zip(distances, times, strict=True)]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)

    assert result.status is FitStatus.FITTED
    assert result.cs_mps == pytest.approx(4.0, abs=0.01)
    assert result.d_prime_m == pytest.approx(200.0, abs=5.0)
    # Independently: numpy's least-squares polynomial fit gives the same line.
    slope, intercept = np.polyfit(times, distances, 1)
    assert result.cs_mps == pytest.approx(slope, rel=1e-9)
    assert result.d_prime_m == pytest.approx(intercept, rel=1e-9)
    assert result.r_squared is not None
    assert result.r_squared > 0.9999
    assert result.see_m is not None
    assert 1.0 < result.see_m < 6.0  # the noise has SD 3 m
    assert len(result.used) == 8
    assert result.warnings == ()


def test_standard_error_of_the_estimate_uses_n_minus_2_degrees_of_freedom() -> None:
    # Residuals (2, −3, 1) m are orthogonal to (1, t), so the line stays CS 4, D′ 200.
    efforts = [Effort(4.0 * t + 200.0 + r, t, RECENT) for t, r in [(200, 2), (400, -3), (800, 1)]]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)
    assert result.cs_mps == pytest.approx(4.0, rel=1e-12)
    assert result.d_prime_m == pytest.approx(200.0, abs=1e-9)
    assert result.see_m == pytest.approx(math.sqrt((4 + 9 + 1) / (3 - 2)), rel=1e-9)
    distances = [e.distance_m for e in efforts]
    mean = sum(distances) / 3
    ss_tot = sum((d - mean) ** 2 for d in distances)
    assert result.r_squared == pytest.approx(1 - 14 / ss_tot, rel=1e-12)


def test_window_includes_its_edges() -> None:
    result = fit_critical_speed([_effort(120.0), _effort(1200.0)], AS_OF, FALLBACK)
    assert result.window_s == (120.0, 1200.0)
    assert [e.time_s for e in result.used] == [120.0, 1200.0]


@given(
    cs=st.floats(2.0, 7.0),
    d_prime=st.floats(0.0, 600.0),
    times=st.lists(st.integers(120, 1200), min_size=2, max_size=8, unique=True),
)
def test_exact_efforts_give_back_their_parameters(
    cs: float, d_prime: float, times: list[int]
) -> None:
    efforts = [_effort(float(t), cs, d_prime) for t in times]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)
    assert result.fitted
    assert result.cs_mps == pytest.approx(cs, rel=1e-9)
    assert result.d_prime_m == pytest.approx(d_prime, abs=1e-6)
    assert result.r_squared == pytest.approx(1.0, abs=1e-9)


def test_window_widens_when_fewer_than_two_efforts_fit_it() -> None:
    efforts = [_effort(100.0), _effort(600.0), _effort(2000.0), _effort(3000.0)]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)
    assert result.fitted
    assert result.window_s == (90.0, 2400.0)
    assert WarningCode.WIDENED_WINDOW in result.warning_codes
    assert [e.time_s for e in result.used] == [100.0, 600.0, 2000.0]
    assert [(x.effort.time_s, x.reason) for x in result.excluded] == [
        (3000.0, ExclusionReason.OUTSIDE_WINDOW)
    ]
    assert result.cs_mps == pytest.approx(4.0)


def test_window_stays_narrow_with_two_efforts_inside() -> None:
    efforts = [_effort(100.0), _effort(300.0), _effort(900.0), _effort(1500.0)]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)
    assert result.window_s == (120.0, 1200.0)
    assert WarningCode.WIDENED_WINDOW not in result.warning_codes
    assert [e.time_s for e in result.used] == [300.0, 900.0]
    excluded = {x.effort.time_s: x.reason for x in result.excluded}
    assert excluded == {
        100.0: ExclusionReason.OUTSIDE_WINDOW,
        1500.0: ExclusionReason.OUTSIDE_WINDOW,
    }


@pytest.mark.parametrize("times", [[], [600.0], [600.0, 3000.0], [60.0, 80.0, 3000.0]])
def test_insufficient_efforts_keep_the_fallback(times: list[float]) -> None:
    result = fit_critical_speed([_effort(t) for t in times], AS_OF, FALLBACK)
    assert result.status is FitStatus.INSUFFICIENT
    assert not result.fitted
    assert result.value == FALLBACK
    assert result.r_squared is None
    assert result.see_m is None
    assert result.warning_codes == {WarningCode.WIDENED_WINDOW, WarningCode.INSUFFICIENT_EFFORTS}


def test_efforts_after_the_as_of_date_are_not_used() -> None:
    later = _effort(300.0, on=AS_OF + timedelta(days=1))
    efforts = [_effort(200.0), _effort(900.0, on=AS_OF), later]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)
    assert [e.time_s for e in result.used] == [200.0, 900.0]
    assert [(x.effort, x.reason) for x in result.excluded] == [(later, ExclusionReason.AFTER_AS_OF)]


def test_only_the_fastest_effort_per_distance_is_used() -> None:
    fast = Effort(1609.344, 330.0, date(2025, 1, 1), id="fast")
    slow = Effort(1609.344, 360.0, date(2025, 5, 1), id="slow")
    fast_again = Effort(1609.344, 330.0, date(2025, 3, 1), id="fast-again")
    five = Effort(5000.0, 1200.0, RECENT, id="5k")
    result = fit_critical_speed([slow, fast, five, fast_again], AS_OF, FALLBACK)
    assert [e.id for e in result.used] == ["fast-again", "5k"]  # equal times: the most recent
    reasons = {x.effort.id: x.reason for x in result.excluded}
    assert reasons == {
        "slow": ExclusionReason.NOT_FASTEST_AT_DISTANCE,
        "fast": ExclusionReason.NOT_FASTEST_AT_DISTANCE,
    }


def test_old_efforts_are_flagged_from_day_366() -> None:
    on_the_limit = _effort(300.0, on=AS_OF - timedelta(days=365))
    assert (
        WarningCode.OLD_EFFORTS
        not in fit_critical_speed([on_the_limit, _effort(900.0)], AS_OF, FALLBACK).warning_codes
    )
    too_old = _effort(300.0, on=AS_OF - timedelta(days=366))
    result = fit_critical_speed([too_old, _effort(900.0)], AS_OF, FALLBACK)
    assert WarningCode.OLD_EFFORTS in result.warning_codes
    assert result.fitted  # a warning, not an exclusion


@pytest.mark.parametrize(
    ("d_prime", "warned"), [(30.0, True), (50.0, False), (450.0, False), (600.0, True)]
)
def test_d_prime_outside_usual_range_is_flagged(d_prime: float, warned: bool) -> None:
    efforts = [_effort(t, d_prime=d_prime) for t in (180.0, 400.0, 900.0)]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)
    assert result.d_prime_m == pytest.approx(d_prime)
    assert (WarningCode.D_PRIME_OUT_OF_RANGE in result.warning_codes) is warned


def test_poor_linearity_is_flagged() -> None:
    efforts = [
        Effort(d, t, RECENT) for d, t in [(1000, 200), (1700, 400), (3800, 800), (4200, 1100)]
    ]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK)
    assert result.fitted
    assert result.r_squared is not None
    assert result.r_squared < 0.99
    assert WarningCode.LOW_R_SQUARED in result.warning_codes


@pytest.mark.parametrize(
    "pairs",
    [
        [(700.0, 200.0), (2600.0, 600.0)],  # D′ = −250 m
        [(1200.0, 200.0), (1100.0, 1000.0)],  # CS < 0
    ],
)
def test_impossible_fits_fail_and_keep_the_fallback(pairs: list[tuple[float, float]]) -> None:
    result = fit_critical_speed([Effort(d, t, RECENT) for d, t in pairs], AS_OF, FALLBACK)
    assert result.status is FitStatus.INVALID
    assert result.value == FALLBACK
    assert WarningCode.INVALID_FIT in result.warning_codes
    assert len(result.used) == 2


@pytest.mark.parametrize(
    ("distance_m", "time_s"), [(0.0, 100.0), (1000.0, -1.0), (1000.0, float("nan"))]
)
def test_effort_refuses_impossible_values(distance_m: float, time_s: float) -> None:
    with pytest.raises(ValueError, match="must be a positive number"):
        Effort(distance_m, time_s, RECENT)


@pytest.mark.parametrize(("cs", "d_prime"), [(0.0, 200.0), (4.0, -1.0)])
def test_critical_speed_refuses_impossible_values(cs: float, d_prime: float) -> None:
    with pytest.raises(ValueError, match=r"critical speed|D′"):
        CriticalSpeed(cs, d_prime)


# --- anchor rules (strict): SCIENCE.md, "Which efforts anchor CS" ---------------------------


def _anchor(time_s: float, source: str, cs: float = 4.0, d_prime: float = 200.0) -> Effort:
    return Effort(cs * time_s + d_prime, time_s, RECENT, source=source)


def test_strict_fit_accepts_anchors_from_two_sessions_on_the_line() -> None:
    result = fit_critical_speed(
        [_anchor(180.0, "s1"), _anchor(600.0, "s2"), _anchor(1000.0, "s3")],
        AS_OF,
        FALLBACK,
        strict=True,
    )
    assert result.status is FitStatus.FITTED
    assert result.cs_mps == pytest.approx(4.0)
    assert result.d_prime_m == pytest.approx(200.0)


def test_strict_fit_needs_two_different_sessions() -> None:
    # Three bests of one steady run lie on one line through the origin-ish: they were
    # one effort, not three maximal ones.
    one_run = [Effort(3.6 * t, t, RECENT, source="session 7") for t in (300.0, 800.0, 1150.0)]
    strict = fit_critical_speed(one_run, AS_OF, FALLBACK, strict=True)
    assert strict.status is FitStatus.INSUFFICIENT
    assert WarningCode.ONE_SOURCE in strict.warning_codes
    assert strict.value == FALLBACK
    # The plain fit (a tool, not the profile) still fits them: CS = their speed, D′ ≈ 0.
    loose = fit_critical_speed(one_run, AS_OF, FALLBACK)
    assert loose.fitted
    assert loose.cs_mps == pytest.approx(3.6)
    assert loose.d_prime_m < 1.0


@pytest.mark.parametrize(
    ("d_prime", "refused"), [(40.0, True), (50.0, False), (500.0, False), (520.0, True)]
)
def test_strict_fit_refuses_d_prime_outside_50_to_500_m(d_prime: float, refused: bool) -> None:
    efforts = [_anchor(t, f"s{t}", d_prime=d_prime) for t in (200.0, 500.0, 1000.0)]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK, strict=True)
    assert (result.status is FitStatus.REFUSED) is refused
    if refused:
        assert result.value == FALLBACK
        assert WarningCode.D_PRIME_OUT_OF_RANGE in result.warning_codes
        assert "keeping CS 3.500 m/s" in result.warnings[-1].message
        # The coach is told what counts as maximal and what to do (issue #15).
        assert NOT_MAXIMAL_HINT in result.warnings[-1].message
        assert "at least 3 min" in NOT_MAXIMAL_HINT


def test_strict_fit_refuses_a_line_that_misses_an_anchor_by_more_than_2_percent() -> None:
    # A 3400 m effort 5 % slower than the line of the others (a training effort entered as a
    # race): the fit predicts it 3.3 % fast, beyond the 2 % allowed.
    slow = Effort(3400.0, 1.05 * 800.0, RECENT, source="c")
    efforts = [_anchor(200.0, "a"), _anchor(500.0, "b"), slow, _anchor(1100.0, "d")]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK, strict=True)
    assert result.status is FitStatus.REFUSED
    assert WarningCode.PREDICTION_ERROR in result.warning_codes
    assert "3400 m" in result.warnings[-1].message
    assert "-3.3 % off" in result.warnings[-1].message
    assert result.value == FALLBACK
    # Within 2 % it would have passed: the same anchors with the effort 1.5 % slow.
    near = Effort(3400.0, 1.015 * 800.0, RECENT, source="c")
    assert fit_critical_speed([*efforts[:2], near, efforts[3]], AS_OF, FALLBACK, strict=True).fitted


def test_strict_fit_tolerates_errors_within_2_percent() -> None:
    # Each time 1 % off the line, alternately: the fit predicts every anchor within 2 %.
    efforts = [
        Effort(4.0 * t + 200.0, t * f, RECENT, source=str(t))
        for t, f in ((200.0, 1.01), (500.0, 0.99), (800.0, 1.01), (1100.0, 0.99))
    ]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK, strict=True)
    assert result.fitted
    for e in result.used:
        assert abs((e.distance_m - result.d_prime_m) / result.cs_mps / e.time_s - 1) <= 0.02


@given(
    cs=st.floats(2.0, 6.0),
    d_prime=st.floats(60.0, 480.0),
    times=st.lists(st.floats(130.0, 1150.0), min_size=2, max_size=6, unique=True),
)
def test_strict_fit_recovers_exact_anchors(cs: float, d_prime: float, times: list[float]) -> None:
    if max(times) - min(times) < 30.0:
        return
    efforts = [_anchor(t, f"s{i}", cs, d_prime) for i, t in enumerate(times)]
    result = fit_critical_speed(efforts, AS_OF, FALLBACK, strict=True)
    assert result.fitted
    assert result.cs_mps == pytest.approx(cs, rel=1e-6)
    assert result.d_prime_m == pytest.approx(d_prime, rel=1e-6, abs=1e-6)


def test_strict_fit_beaten_by_a_recent_longer_race_is_refused() -> None:
    """A masters runner's hot-day training miles and 5 km (read as maximal by heart rate)
    fit CS 3.08 m/s, but his 10 km race of the month before took 48:00: the line allows it
    no faster than 53:04, so the fit is refused and the previous value kept. The same race
    against a fit it agrees with (the line is faster beyond 40 min: it ignores fatigue) and
    an old race the runner no longer runs do not refuse."""
    hot = [
        Effort(1609.0, 1609.0 / 3.35, RECENT, source="run-a"),
        Effort(5000.0, 1570.0, RECENT, source="run-b"),
    ]
    race = Effort(10000.0, 2880.0, RECENT - timedelta(days=30), source="race")
    refused = fit_critical_speed([*hot, race], AS_OF, FALLBACK, strict=True)
    assert refused.status is FitStatus.REFUSED
    assert WarningCode.BEATEN_BY_LONGER in refused.warning_codes
    assert refused.value == FALLBACK
    assert "10000 m" in refused.warnings[-1].message
    assert "2880 s" in refused.warnings[-1].message
    # Without the race, or with it run two years ago, the same efforts fit.
    assert fit_critical_speed(hot, AS_OF, FALLBACK, strict=True).fitted
    old = Effort(10000.0, 2880.0, AS_OF - timedelta(days=800), source="race")
    assert fit_critical_speed([*hot, old], AS_OF, FALLBACK, strict=True).fitted
    # A race slower than the line allows (fatigue beyond the window) agrees with it.
    on_line = [_effort(300.0, cs=3.46, d_prime=194.0), _effort(900.0, cs=3.46, d_prime=194.0)]
    on_line = [Effort(e.distance_m, e.time_s, e.date, source=i) for i, e in enumerate(on_line)]
    slower = Effort(10000.0, 2950.0, RECENT, source="race")
    assert fit_critical_speed([*on_line, slower], AS_OF, FALLBACK, strict=True).fitted
