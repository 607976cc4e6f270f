"""Every limit of SCIENCE.md "Targets and limits" checked on a generated plan: the plan
property tests and bench/four_runners.py call ``assert_every_limit``; bench/plan_grid.py
counts ``limit_breaks`` per limit (``LIMITS``) over thousands of runners."""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

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
from smartrunning.science.plans.layout import MAX_ACWR, MAX_WEEKLY_GROWTH, WEEK_DAYS
from smartrunning.science.plans.limits import (
    QUALITY_KINDS,
    capped_distances,
    distance_growth_over_limits,
    intensity_times,
    quality_shortfall,
    taper_over_limits,
)
from smartrunning.science.plans.week import quality_limit
from smartrunning.science.workouts import Intervals, Steady

SLACK = 1.03

LIMITS: Final = (
    "quality sessions a week",
    "no hard days back to back",
    "easy day before the long run",
    "marathon pace per session",
    "threshold per session",
    "interval per session",
    "repetition per session",
    "threshold at most 60 min",
    "quality session worth running",
    "name states the repeats",
    "name without 'scaled to'",
    "long run share of the week",
    "long run duration",
    "week 1 growth",
    "weekly growth",
    "weekly distance growth",
    "acute:chronic ratio",
    "recovery week spacing",
    "taper week above the peak",
    "race week at most 60 % of the peak",
    "taper (limits.taper_over_limits)",
    "race pace at the predicted speed",
)
"""Every limit ``limit_breaks`` checks, by name."""

_CAPPED = {
    Intensity.MARATHON: "marathon pace per session",
    Intensity.THRESHOLD: "threshold per session",
    Intensity.INTERVAL: "interval per session",
    Intensity.REPETITION: "repetition per session",
}


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)  # pytest.approx's tolerance


def limit_breaks(plan: Plan, inputs: PlanInputs) -> list[tuple[str, str]]:
    """(limit, what) for each limit of SCIENCE.md "Targets and limits" that ``plan``
    breaks on any week; the limits' names are ``LIMITS``. Empty: none broken."""
    out: list[tuple[str, str]] = []
    params = inputs.parameters(inputs.race_date)
    cs = params.cs_mps
    if cs is None:
        raise ValueError("the limits are checked on plans with a CS on race day")
    days = [d for d in plan.days if not d.is_race]
    by_date = {d.date: d for d in plan.days}
    limit = quality_limit(len(inputs.training_days), inputs.beginner)
    tag_long_s = duration_bounds("long", "marathon" if inputs.race_distance_m > 30000 else "")[1]
    for week in plan.weeks:
        sessions = [d for d in days if d.week == week.index]
        # Quality sessions by training days and level; never on consecutive days.
        hard = sum(d.hard for d in sessions)
        if hard > limit:
            out.append(("quality sessions a week", f"week {week.index}: {hard} > {limit}"))
        for day in sessions:
            after = by_date.get(day.date + dt.timedelta(days=1))
            if day.hard and after is not None and after.hard:
                what = f"{day.date} {day.workout.name} / {after.workout.name}"
                out.append(("no hard days back to back", what))
            # An easy or rest day before the long run.
            if (
                after is not None
                and after.slot == LONG_SLOT
                and (day.hard or day.kind != "recovery")
            ):
                what = f"{day.date} {day.kind} {day.workout.name} before the long run"
                out.append(("easy day before the long run", what))
        # Per session, time at intensity within Daniels' limits of the week's distance.
        w = week.distance_m
        caps = {
            Intensity.MARATHON: min(29_000.0, 0.20 * w),
            Intensity.THRESHOLD: 0.10 * w,
            Intensity.INTERVAL: min(10_000.0, 0.08 * w),
            Intensity.REPETITION: min(8_000.0, 0.05 * w),
        }
        for day in sessions:
            on_day = inputs.parameters(day.date)  # the CS and zones of the session's day
            # As the caps judge them: a few strides are not an R session (limits doc).
            held = capped_distances(day.workout, on_day, day.speed_mps)
            for intensity, cap in caps.items():
                if held[intensity] > cap * SLACK + 1.0:
                    what = f"{day.date} {day.workout.name}: {held[intensity]:.0f} m > {cap:.0f} m"
                    out.append((_CAPPED[intensity], what))
            threshold_s = intensity_times(day.workout, on_day, day.speed_mps)
            if threshold_s[Intensity.THRESHOLD] > 3600.0 + 1.0:
                what = f"{day.date} {day.workout.name}: {threshold_s[Intensity.THRESHOLD]:.0f} s"
                out.append(("threshold at most 60 min", what))
            # A quality session holds enough to be one (limits.quality_shortfall: 5 min of
            # work, repetitions of 200 m or 30 s), else it became an easy run with strides.
            judged = day.hard and day.kind in QUALITY_KINDS
            short = quality_shortfall(day.workout, on_day, day.speed_mps) if judged else None
            if short is not None:
                what = f"{day.date} {day.workout.name}: {short}"
                out.append(("quality session worth running", what))
            # The name says what the session holds: every interval block's count.
            for step in day.workout.steps:
                if isinstance(step, Intervals) and f"{step.repeat} ×" not in day.workout.name:
                    what = f"{day.date} {day.workout.name}: {step.repeat} repeats"
                    out.append(("name states the repeats", what))
            if ", scaled to" in day.workout.name:
                out.append(("name without 'scaled to'", f"{day.date} {day.workout.name}"))
        # Long run: at most ~30 % of the week and 2 h 30 (3 h for the marathon).
        for long in (d for d in sessions if d.slot == LONG_SLOT):
            if long.distance_m > 0.30 * w * SLACK + 1.0:
                what = f"week {week.index}: {long.distance_m:.0f} m of {w:.0f} m"
                out.append(("long run share of the week", what))
            if long.duration_s > max(tag_long_s, 150 * 60) + 1.0:
                out.append(("long run duration", f"week {week.index}: {long.duration_s:.0f} s"))
    # Week 1 from the last four weeks; growth ≤ 10 % a week and acute:chronic ≤ 1.3.
    recent = inputs.recent_weekly_load
    if recent is None:
        recent = WEEK_DAYS * inputs.start_state.ctl
    targets = [w.target_load for w in plan.weeks]
    floor = inputs.schema.load_cap.min_weekly
    if targets[0] > max(recent, floor) * (1 + MAX_WEEKLY_GROWTH) + 1e-6:
        out.append(("week 1 growth", f"{targets[0]:.1f} from {recent:.1f} (floor {floor:.1f})"))
    for k in range(1, len(targets)):
        previous = targets[max(0, k - 2) : k]
        if targets[k] > max(previous) * (1 + MAX_WEEKLY_GROWTH) + 1e-6:
            out.append(("weekly growth", f"week {k}: {targets[k]:.1f} after {previous}"))
        chronic = ([targets[0]] * 4 + targets[:k])[-4:]
        if targets[k] > MAX_ACWR * sum(chronic) / 4 + 1e-6:
            out.append(("acute:chronic ratio", f"week {k}: {targets[k]:.1f} after {chronic}"))
    # Distance grows ≤ 10 % a week over the larger of the two weeks before (the race not
    # counted; limits.MAX_DISTANCE_GROWTH).
    for what in distance_growth_over_limits([w.distance_m for w in plan.weeks]):
        out.append(("weekly distance growth", what))
    # Recovery weeks every 3rd or 4th week (every 3rd with the 2:1 cycle) before the taper.
    every = inputs.recovery_every or 4
    builds = 0
    for week in plan.weeks:
        if week.block_kind == "taper":
            break
        builds = 0 if week.recovery else builds + 1
        if builds > every:
            out.append(("recovery week spacing", f"week {week.index}: {builds} builds > {every}"))
            break
    # Taper: race week's volume well below the peak; intensity kept (a quality session).
    # (A plan no longer than its taper is all taper: no peak to compare with.)
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    body = [w.distance_m for w in plan.weeks if w.block_kind != "taper"]
    peak = max(body, default=math.inf)
    for taper_week in taper:
        if taper_week.distance_m > peak:
            what = f"week {taper_week.index}: {taper_week.distance_m:.0f} m > {peak:.0f} m"
            out.append(("taper week above the peak", what))
    if plan.weeks[-1].distance_m > 0.6 * peak:
        what = f"{plan.weeks[-1].distance_m:.0f} m of a {peak:.0f} m peak"
        out.append(("race week at most 60 % of the peak", what))
    # The taper within Bosquet et al. 2007 (volume −41–60 %, intensity and frequency kept)
    # and race-day form not negative (limits.taper_over_limits).
    for what in taper_over_limits(plan):
        out.append(("taper (limits.taper_over_limits)", what))
    # Race pace at the predicted race speed (VDOT from races when given) of the session's
    # day (race-pace sessions follow the runner's ability on their day), the race too.
    race = race_speed(inputs.race_distance_m, cs, params.d_prime_m, params.vdot)
    predicted = plan.predicted_race_time_s
    if predicted is None or not _close(predicted, race.time_s):
        out.append(("race pace at the predicted speed", f"race time {predicted} ≠ {race.time_s}"))
    for day in (d for d in plan.days if d.kind in ("race-pace", "race")):
        on_day = inputs.parameters(day.date)
        assert on_day.cs_mps is not None
        speed = race_speed(
            inputs.race_distance_m, on_day.cs_mps, on_day.d_prime_m, on_day.vdot
        ).speed_mps
        work = [
            s.intensity if isinstance(s, Steady) else s.on_intensity
            for s in day.workout.steps
            if isinstance(s, (Steady, Intervals))
        ]
        if not _close(max(work) * on_day.cs_mps, speed):
            what = f"{day.date} {day.workout.name}: {max(work) * on_day.cs_mps:.3f} ≠ {speed:.3f}"
            out.append(("race pace at the predicted speed", what))
    return out


def assert_every_limit(plan: Plan, inputs: PlanInputs) -> None:
    """Every limit of SCIENCE.md "Targets and limits" on every week of ``plan``."""
    breaks = limit_breaks(plan, inputs)
    assert not breaks, breaks
