"""Session-RPE load (Foster et al. 2001): worked examples and invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.science.session_rpe import session_rpe_load, srpe_au


def test_fosters_arbitrary_units_are_rpe_times_minutes() -> None:
    # Foster et al. 2001: a 30-minute session rated 5 ("hard") scores 150 AU.
    assert srpe_au(5, 30 * 60) == pytest.approx(150.0)


def test_an_hour_at_rpe_7_scores_100_like_an_hour_at_threshold() -> None:
    assert session_rpe_load(7, 3600) == pytest.approx(100.0)
    assert session_rpe_load(3, 1800) == pytest.approx(90 / 4.2)
    assert session_rpe_load(5, 5400) == pytest.approx(450 / 4.2)


@given(st.integers(1, 10), st.floats(0, 6 * 3600), st.floats(0, 6 * 3600))
def test_load_adds_over_time_and_grows_with_effort(rpe: int, a: float, b: float) -> None:
    assert session_rpe_load(rpe, a + b) == pytest.approx(
        session_rpe_load(rpe, a) + session_rpe_load(rpe, b), abs=1e-9
    )
    if rpe < 10:
        assert session_rpe_load(rpe + 1, a) >= session_rpe_load(rpe, a)


@pytest.mark.parametrize(
    ("rpe", "duration"),
    [(0, 60.0), (11, 60.0), (True, 60.0), (5, -1.0), (5, math.nan), (5, math.inf)],
)
def test_bad_input_is_refused(rpe: int, duration: float) -> None:
    with pytest.raises(ValueError, match=r"RPE|duration"):
        session_rpe_load(rpe, duration)
