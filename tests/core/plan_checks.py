"""Every limit of SCIENCE.md "Targets and limits" checked on a generated plan: the plan
property tests and bench/four_runners.py call ``assert_every_limit``."""

from __future__ import annotations

import datetime as dt

import pytest

from smartrunning.science.plans import (
    LONG_SLOT,
    Plan,
    PlanInputs,
)
from smartrunning.science.plans.intensity import (
    Intensity,
    race_speed,
)
from smartrunning.science.plans.kinds import duration_bounds
from smartrunning.science.plans.layout import MAX_ACWR, MAX_WEEKLY_GROWTH
from smartrunning.science.plans.limits import (
    intensity_distances,
    intensity_times,
    taper_over_limits,
)
from smartrunning.science.plans.week import quality_limit
from smartrunning.science.workouts import Intervals, Steady

SLACK = 1.03


def assert_every_limit(plan: Plan, inputs: PlanInputs) -> None:
    """Every limit of SCIENCE.md "Targets and limits" on every week of ``plan``."""
    params = inputs.parameters(inputs.race_date)
    cs = params.cs_mps
    assert cs is not None
    days = [d for d in plan.days if not d.is_race]
    by_date = {d.date: d for d in plan.days}
    limit = quality_limit(len(inputs.training_days), inputs.beginner)
    tag_long_s = duration_bounds("long", "marathon" if inputs.race_distance_m > 30000 else "")[1]
    for week in plan.weeks:
        sessions = [d for d in days if d.week == week.index]
        # Quality sessions by training days and level; never on consecutive days.
        assert sum(d.hard for d in sessions) <= limit, week
        for day in sessions:
            after = by_date.get(day.date + dt.timedelta(days=1))
            if day.hard and after is not None:
                assert not after.hard, (day.date, day.workout.name, after.workout.name)
            # An easy or rest day before the long run.
            if after is not None and after.slot == LONG_SLOT:
                assert not day.hard, (day.date, day.workout.name)
                assert day.kind == "recovery", (day.date, day.workout.name)
        # Per session, time at intensity within Daniels' limits of the week's distance.
        w = week.distance_m
        caps = {
            Intensity.MARATHON: min(29_000.0, 0.20 * w),
            Intensity.THRESHOLD: 0.10 * w,
            Intensity.INTERVAL: min(10_000.0, 0.08 * w),
            Intensity.REPETITION: min(8_000.0, 0.05 * w),
        }
        for day in sessions:
            held = intensity_distances(day.workout, params, day.speed_mps)
            for intensity, cap in caps.items():
                assert held[intensity] <= cap * SLACK + 1.0, (day.workout.name, intensity, w)
            threshold_s = intensity_times(day.workout, params, day.speed_mps)
            assert threshold_s[Intensity.THRESHOLD] <= 3600.0 + 1.0
            # The name says what the session holds: every interval block's count.
            for step in day.workout.steps:
                if isinstance(step, Intervals):
                    assert f"{step.repeat} ×" in day.workout.name, day.workout.name
            assert ", scaled to" not in day.workout.name
        # Long run: at most ~30 % of the week and 2 h 30 (3 h for the marathon).
        for long in (d for d in sessions if d.slot == LONG_SLOT):
            assert long.distance_m <= 0.30 * w * SLACK + 1.0, (week.index, long.distance_m, w)
            assert long.duration_s <= max(tag_long_s, 150 * 60) + 1.0
    # Week 1 from the last four weeks; growth ≤ 10 % a week and acute:chronic ≤ 1.3.
    recent = inputs.recent_weekly_load
    assert recent is not None
    targets = [w.target_load for w in plan.weeks]
    floor = inputs.schema.load_cap.min_weekly
    assert targets[0] <= max(recent, floor) * (1 + MAX_WEEKLY_GROWTH) + 1e-6
    for k in range(1, len(targets)):
        previous = targets[max(0, k - 2) : k]
        assert targets[k] <= max(previous) * (1 + MAX_WEEKLY_GROWTH) + 1e-6
        chronic = ([targets[0]] * 4 + targets[:k])[-4:]
        assert targets[k] <= MAX_ACWR * sum(chronic) / 4 + 1e-6
    # Recovery weeks every 3rd or 4th week (every 3rd with the 2:1 cycle) before the taper.
    every = inputs.recovery_every or 4
    builds = 0
    for week in plan.weeks:
        if week.block_kind == "taper":
            break
        builds = 0 if week.recovery else builds + 1
        assert builds <= every, (week.index, every)
    # Taper: race week's volume well below the peak; intensity kept (a quality session).
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    peak = max(w.distance_m for w in plan.weeks if w.block_kind != "taper")
    assert all(w.distance_m <= peak for w in taper)
    assert plan.weeks[-1].distance_m <= 0.6 * peak
    # The taper within Bosquet et al. 2007 (volume −41–60 %, intensity and frequency kept)
    # and race-day form not negative (limits.taper_over_limits).
    assert not taper_over_limits(plan), taper_over_limits(plan)
    # Race pace at the predicted race speed, the race too.
    race = race_speed(inputs.race_distance_m, cs, params.d_prime_m)
    assert plan.predicted_race_time_s == pytest.approx(race.time_s)
    for day in (d for d in plan.days if d.kind in ("race-pace", "race")):
        work = [
            s.intensity if isinstance(s, Steady) else s.on_intensity
            for s in day.workout.steps
            if isinstance(s, (Steady, Intervals))
        ]
        assert max(work) * cs == pytest.approx(race.speed_mps), day.workout.name
