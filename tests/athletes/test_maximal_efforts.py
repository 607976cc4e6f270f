"""Which of a session's best efforts anchor CS: short training reps never by heart rate
(``science.bests.MIN_HR_EFFORT_S``), longer ones at ≥ 90 % HRmax, races always (issue #15)."""

from __future__ import annotations

from typing import Any

from smartrunning.athletes.bests import classify_session_efforts
from smartrunning.athletes.models import BestKind

HRMAX = 187.0


def _effort(distance_m: float, time_s: float, share: float) -> dict[str, Any]:
    return {
        "distance_m": distance_m,
        "time_s": time_s,
        "mean_hr_bpm": share * HRMAX,
        "hr_coverage": 1.0,
    }


def test_a_400m_rep_at_90_percent_does_not_anchor() -> None:
    """A sub-3 marathoner's 400 m rep in 88 s at 90 % HRmax: heart rate lags over 88 s, so
    it cannot show the rep was maximal; the reason says to mark a time trial as one."""
    classes = classify_session_efforts(
        [_effort(400.0, 88.0, 0.90), _effort(800.0, 200.0, 0.80)], BestKind.TRAINING, HRMAX, None
    )
    assert [c.anchor for c in classes] == [False, False]
    assert "heart rate lags" in classes[0].evidence
    assert "time trial" in classes[0].evidence


def test_a_five_minute_effort_at_93_percent_still_anchors() -> None:
    classes = classify_session_efforts(
        [_effort(400.0, 70.0, 0.95), _effort(1609.344, 300.0, 0.93)],
        BestKind.TRAINING,
        HRMAX,
        None,
    )
    assert [c.anchor for c in classes] == [False, True]
    assert "maximal by heart rate" in classes[1].evidence


def test_a_short_race_always_anchors() -> None:
    """A 400 m race (or time trial) is its own evidence: no heart-rate rule applies."""
    for kind in (BestKind.RACE, BestKind.TIME_TRIAL):
        classes = classify_session_efforts([_effort(400.0, 60.0, 0.70)], kind, HRMAX, None)
        assert [c.anchor for c in classes] == [True]
        assert classes[0].kind is kind
