"""The plan grid's taper counterexamples (issue #15, bench/plan_grid.py): each runner's
plan, as the grid drew it, keeps the taper's limits (``limits.taper_over_limits``:
41–60 % below the peak, no taper week above the peak, race-day form not negative) and
every other limit ``plan_checks.limit_breaks`` checks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartrunning.science.plans import generate_plan
from smartrunning.science.plans.limits import taper_over_limits
from smartrunning.science.plans.model import WarningCode
from smartrunning.science.plans.race_week import TOO_SHORT, too_short_note
from smartrunning.science.plans.taper import BOSQUET_VOLUME
from tests.core.plan_checks import limit_breaks
from tests.core.plan_grid import GridRunner

TAPER_FOUND = {
    # The race week (two short runs and the marathon) shrank round after round under the
    # long run's 30 % and marathon pace's 20 % of the week, and its refit could not grow
    # the runs back (the fit's factor capped at 5 × loads the limits had made tiny):
    # 2.8 km against a 72.9 km peak, the taper 71 % below it.
    "taper volume 71 % below the peak: marathon, 3 days, tired, 29 weeks": (
        '{"schema":"marathon","level":"random","cs_mps":4.372,"d_prime_m":120.8,"age":23,'
        '"days":[3,5,6],"long_day":5,"history":"tired","weekly_h":9.12,"weeks":29,'
        '"sessions":null,"race_km":null,"race_shift_d":0,"lthr":false,"vdot_factor":null,'
        '"cs_change":null,"response":null}'
    ),
}


@pytest.mark.parametrize("name", sorted(TAPER_FOUND))
def test_the_grids_taper_counterexamples_keep_every_limit(name: str) -> None:
    inputs = GridRunner.from_json(TAPER_FOUND[name]).inputs()
    plan = generate_plan(inputs)
    assert plan.race_day_form >= 0
    assert not limit_breaks(plan, inputs), limit_breaks(plan, inputs)


SHORT_FOUND = {
    "race-day form -1.7: no history, 5 km, 3 days, 3 weeks": (
        '{"schema":"5k","level":"trained","cs_mps":4.0,"d_prime_m":210.0,"age":50,'
        '"days":[1,3,6],"long_day":6,"history":"none","weekly_h":5.0,"weeks":3,'
        '"sessions":null,"race_km":null,"race_shift_d":0,"lthr":false,"vdot_factor":null,'
        '"cs_change":null,"response":null}'
    ),
    "race-day form -2.4: no-history beginner, half, 3 days, 3 weeks": (
        '{"schema":"half-marathon","level":"beginner","cs_mps":2.8,"d_prime_m":120.0,"age":70,'
        '"days":[1,3,6],"long_day":6,"history":"none","weekly_h":1.5,"weeks":3,'
        '"sessions":null,"race_km":null,"race_shift_d":0,"lthr":false,"vdot_factor":null,'
        '"cs_change":null,"response":null}'
    ),
}


@pytest.mark.parametrize("name", sorted(SHORT_FOUND))
def test_a_three_week_plan_from_no_history_says_it_is_too_short_to_be_fresh(name: str) -> None:
    """From CTL 0, race-day form's sign depends on the plan's shape only (race_week's
    module doc): three weeks, the taper within 41–60 % of the peak, leave it below zero.
    The plan keeps Bosquet's range and tells the coach, on the taper's days and in its
    warnings, instead of breaking the taper's limits to be fresh."""
    inputs = GridRunner.from_json(SHORT_FOUND[name]).inputs()
    plan = generate_plan(inputs)
    assert plan.race_day_form < 0
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    peak = max(w.distance_m for w in plan.weeks if w.block_kind != "taper")
    mean = 1.0 - sum(w.distance_m for w in taper) / len(taper) / peak
    assert BOSQUET_VOLUME[0] <= round(mean, 2) <= BOSQUET_VOLUME[1]
    said = too_short_note(plan.race_day_form)
    assert said.startswith(f"{TOO_SHORT} on race day: form {plan.race_day_form:+.1f} with")
    taper_days = [d for d in plan.days if d.week in {w.index for w in taper} and not d.is_race]
    assert taper_days
    for day in taper_days:  # the fit's form, before the last touches: negative too
        assert any(n.startswith(f"{TOO_SHORT} on race day: form -") for n in day.why), day.why
    assert WarningCode.RACE_FORM_LOW in {w.code for w in plan.warnings}
    # The limit's stated exception: said, so not a break; unsaid, it is one.
    assert not limit_breaks(plan, inputs), limit_breaks(plan, inputs)
    unsaid = replace(
        plan,
        days=tuple(
            replace(d, why=tuple(w for w in d.why if not w.startswith(TOO_SHORT)))
            for d in plan.days
        ),
    )
    assert any("race-day form" in b for b in taper_over_limits(unsaid))
