"""Issue #15 items 3, 4 and 7: the taper within Bosquet's range, week 1 within the 10 %
growth cap however high the schema's floor, and one line per repeated warning."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.plans import generate_plan
from smartrunning.science.plans.days import WarningLog
from smartrunning.science.plans.layout import taper_reduction
from smartrunning.science.plans.model import WarningCode
from tests.core.plan_inputs import DEFAULTS, inputs


def _taper_depths(name: str, ctl: float, distance_m: float | None = None) -> tuple[float, float]:
    """(mean taper week distance, race week with the race) below the peak week, fractions."""
    given = inputs(name, ctl=ctl)
    if distance_m is not None:
        given = replace(given, race_distance_m=distance_m)
    plan = generate_plan(given)
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    peak = max(w.distance_m for w in plan.weeks if w.block_kind != "taper")
    mean = 1 - sum(w.distance_m for w in taper) / len(taper) / peak
    race_week = 1 - (taper[-1].distance_m + plan.race_distance_m) / peak
    return mean, race_week


@pytest.mark.parametrize("name", DEFAULTS)
@pytest.mark.parametrize("ctl", [50.0, 65.0, 80.0])
def test_the_taper_cuts_volume_by_41_to_60_percent(name: str, ctl: float) -> None:
    """Bosquet et al. 2007: −41 to −60 % of volume over the taper (training, the race not
    counted); the race week with its race is no deeper than −60 % either. (A less fit
    runner gets a longer taper for race-day form instead of a deeper one: ``race_week``,
    ``test_plans_taper``.)"""
    mean, race_week = _taper_depths(name, ctl)
    assert 0.41 <= mean <= 0.60, (name, ctl, mean)
    assert race_week <= 0.60, (name, ctl, race_week)


@settings(max_examples=12, deadline=None)
@given(
    name=st.sampled_from(["10k", "half-marathon"]),
    distance_km=st.sampled_from([5.0, 8.0, 10.0, 15.0, 21.0975]),
    ctl=st.floats(50.0, 90.0),
)
def test_the_taper_stays_in_range_over_race_distances_and_levels(
    name: str, distance_km: float, ctl: float
) -> None:
    mean, race_week = _taper_depths(name, ctl, distance_km * 1000.0)
    assert 0.41 <= mean <= 0.60
    assert race_week <= 0.60


def test_taper_weeks_step_around_the_reduction() -> None:
    assert taper_reduction(0.5, 1, 1) == pytest.approx(0.5)
    assert [taper_reduction(0.4, j, 2) for j in (1, 2)] == pytest.approx([0.32, 0.48])
    assert [taper_reduction(0.45, j, 3) for j in (1, 2, 3)] == pytest.approx([0.36, 0.45, 0.54])
    assert taper_reduction(0.7, 1, 1) == pytest.approx(0.5)  # at most half the load


@pytest.mark.parametrize("name", DEFAULTS)
@pytest.mark.parametrize("recent", [100.0, 130.0])
def test_week_one_is_within_ten_percent_of_recent_load_whatever_the_floor(
    name: str, recent: float
) -> None:
    """A beginner's recent load under the schema's floor (150): week 1 at most +10 %."""
    plan = generate_plan(inputs(name, ctl=recent / 7, recent_weekly_load=recent, beginner=True))
    assert plan.weeks[0].target_load <= recent * 1.1 + 1e-6
    if recent * 1.1 < inputs(name).schema.load_cap.min_weekly:
        assert any("below the schema's base" in w.message for w in plan.warnings)


def test_repeated_warnings_are_one_line_with_their_weeks() -> None:
    log = WarningLog()
    for week in (5, 6, 7, 12):
        log.add(WarningCode.INTENSITY_CAPPED, "sessions shortened", week=week)
    log.add(WarningCode.LONG_RUN_CAPPED, "sessions shortened", week=3)
    log.add(WarningCode.QUALITY_LIMIT, "other")
    found = log.all()
    assert [(w.code, w.message) for w in found] == [
        (WarningCode.INTENSITY_CAPPED, "sessions shortened (weeks 4, 6–8, 13)"),
        (WarningCode.QUALITY_LIMIT, "other"),
    ]
    plan = generate_plan(inputs("marathon", ctl=50.0))
    shortened = [w for w in plan.warnings if "shortened to Daniels' limits" in w.message]
    assert len(shortened) == 1
    assert "(weeks " in shortened[0].message
