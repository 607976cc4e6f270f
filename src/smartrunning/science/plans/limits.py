"""Limits on a planned week by intensity and on its long run (SCIENCE.md "Targets and
limits"), applied to the scaled sessions of each week (``generate`` step 7).

Time at intensity per session (Daniels' Running Formula, as fractions of the week's
planned distance W; intensities by ``intensity.classify`` of each piece's speed for the
runner):

- marathon pace ≤ min(29 km, 20 % of W);
- threshold ≤ 10 % of W and ≤ 60 min;
- interval ≤ min(10 km, 8 % of W);
- repetition ≤ min(8 km, 5 % of W).

Long run (Daniels; Pfitzinger's 18-week marathon plans peak at 32–35 km): ≤ 30 % of W,
and no longer than ``kinds.LONG_RUN_MAX_S`` (2 h 30; 3 h for the marathon).

Strides are not a repetition session (our rule, for the 5 % cap above): a set of at most
``FREE_STRIDES`` (4) strides of at most ``STRIDE_LONGEST_S`` (20 s), timed, does not count
against the caps (``capped_distances``). Daniels' 5 % of the week caps R *sessions*; he
adds strides (light 15–20 s pickups at about mile pace, full recovery) to easy runs
besides them, and a coach keeps a few even in the lightest race week to stay sharp (the
taper keeps intensity, Bosquet 2007, below). Counted, not even 4 strides (about 80 s,
250–400 m at R pace) fit 5 % of a race week of 4–5 km (a beginner's 10 km on 3 days, a
half marathon from 0.85 h a week), which then kept no fast running. More strides, or
longer ones, count in full.

A session above a limit is shortened (``scaling`` lowers its repetitions or its main
steps) to the largest load that keeps it within; a quality session that breaks a limit
even at its shortest becomes an easy run. The load taken off goes into the week's easy
running (easy, recovery and filler runs, within their longest sensible lengths), as
Daniels says extra volume should ("extra load into easy running"); what they cannot hold
is dropped. Distances shift when load moves, so the checks run again (up to
``PASSES`` times).

The taper, over the whole plan (``taper_over_limits``; Bosquet et al., MSSE 2007,
meta-analysis of tapers: volume −41 to −60 % best, intensity kept, frequency kept at
≥ ~80 %), as the generator plans it (``race_week``):

- the taper weeks' mean distance (the race not counted) 41–60 % below the peak week's
  (the largest week before the taper), to the whole percent;
- no taper week above the peak week;
- intensity kept: every session keeps its intensity (only lengths change), and the taper
  holds a quality session besides the race when the peak week held one (or strides, which
  take the place of a quality session too small to be one, below);
- frequency kept: each taper week has at least round(0.8 × n) sessions, the race
  counted, n the peak week's;
- race-day form (TSB, ``Plan.race_day_form``) not negative, except in a plan too short
  to be fresh, which says so: from no fitness (CTL 0) form is linear in the loads, so
  its sign on race day depends only on the plan's shape; three weeks (a peak week, then
  two taper weeks at most 60 % below it, sessions of 10 min at least, 80 % of them kept)
  leave it below zero whatever the loads (−1.7 for a 5 km, −2.4 for a half in the plan
  grid). Such a plan keeps Bosquet's range and its taper days tell the coach
  (``TOO_SHORT_TO_BE_FRESH``, ``race_week.too_short_note``) beside the projection's
  warning (``WarningCode.RACE_FORM_LOW``); a negative form without it is a break.

A quality session worth running (``quality_shortfall``, for hard sessions of the
``QUALITY_KINDS``; our rule, after a coach's review
of a beginner's light taper weeks, where Daniels' caps above left "5 km pace 3 × 70 m"
and "10 km pace 4 × 300 m"): a hard session holds at least ``QUALITY_MIN_S`` (5 min) at
marathon, threshold, interval or repetition intensity, in repetitions of at least
``MIN_REP_M`` (200 m, Daniels' shortest R repetition) when measured in metres or
``MIN_REP_S`` (30 s, the 30-30 session's) when timed. Daniels' smallest sessions hold more:
R work of 5–6 × 200 m, I work of 5 × 2–3 min, T work of 20 min. A session of sprints
(max efforts: hill sprints) is judged by its sprints, which keep their length. Below the
minimum the generator makes the day an easy run with 4–6 strides of 20 s
(``generate.STRIDES``), what a coach writes for the fast running such a week still holds.

Weekly distance (``distance_growth_over_limits``): a week's planned distance (the race
not counted) is at most ``MAX_DISTANCE_GROWTH`` (10 %) above the larger of the two weeks
before it, the base the load's growth cap uses (``layout.week_loads``), so the week after
a recovery week returns to the level before it; the first week is not compared (it
starts from the runner's recent load, ``layout.start_load``). SCIENCE.md "Volume": growth
≤ ~10 % a week, in distance as well as in load (acute:chronic ≤ 1.3, ``layout``): the
load's cap alone let a week's distance grow by 16 % when load moved from quality
sessions into easy running (more kilometres for the same load). The 10 % rule is
coaching practice; Nielsen et al. (JOSPT 2014) found novice runners who raised their
weekly distance by more than 30 % over two weeks more often injured, and Gabbett (BJSM
2016) the injury risk rising with the acute:chronic ratio above ~1.3.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final, TypeVar

from smartrunning.science.plans.intensity import Intensity
from smartrunning.science.plans.model import Plan
from smartrunning.science.plans.taper import BOSQUET_VOLUME
from smartrunning.science.plans.targets import DayParameters, step_intensity
from smartrunning.science.workouts import Intervals, MaxEffort, Workout

__all__ = [
    "EASY_KINDS",
    "FREE_STRIDES",
    "LONG_SHARE",
    "MAX_DISTANCE_GROWTH",
    "MIN_REP_M",
    "MIN_REP_S",
    "MIN_SESSIONS",
    "QUALITY_KINDS",
    "QUALITY_MIN_S",
    "STRIDE_LONGEST_S",
    "TOO_SHORT_TO_BE_FRESH",
    "SessionLimits",
    "capped_distances",
    "distance_cap",
    "distance_growth_over_limits",
    "intensity_distances",
    "intensity_times",
    "over_limits",
    "quality_shortfall",
    "session_limits",
    "taper_over_limits",
]

LONG_SHARE: Final = 0.30
"""The long run's largest share of the week's distance (Daniels)."""
MIN_SESSIONS: Final = 3
"""The fewest running sessions a week a plan is made for (``generate_plan`` refuses fewer).
Daniels' Running Formula plans assume at least 3 running days a week, and with fewer the
long run cannot stay within ``LONG_SHARE`` of the week (1 session: the long run is the
whole week; 2: at least half of it), so the limits above cannot hold."""
EASY_KINDS: Final = frozenset({"easy", "recovery"})
"""Kinds that take the load other sessions give up."""
PASSES: Final = 8
STRIDES_KIND: Final = "strides"
THRESHOLD_MAX_S: Final = 3600.0
QUALITY_KINDS: Final = frozenset({"tempo", "threshold", "vo2max", "hills", "race-pace"})
"""The kinds of quality session ``quality_shortfall`` judges (a schema may mark an easy,
long or progression run hard: those are not judged by their fast running)."""
QUALITY_MIN_S: Final = 300.0
"""A quality session holds at least 5 min of work at M, T, I or R intensity (module doc)."""
MIN_REP_M: Final = 200.0
"""Its repetitions, measured in metres, are at least 200 m (module doc)."""
MIN_REP_S: Final = 30.0
"""Its timed repetitions last at least 30 s (module doc)."""
MAX_DISTANCE_GROWTH: Final = 0.10
"""A week's distance is at most 10 % above the larger of the two weeks before it (module
doc: the 10 % rule; Nielsen et al., JOSPT 2014; SCIENCE.md "Volume")."""
TOO_SHORT_TO_BE_FRESH: Final = "too short to be fresh"
"""How a taper day's note to the coach begins when no taper within the limits brings
race-day form to zero (module doc: the exception to form ≥ 0)."""
FREE_STRIDES: Final = 4
"""At most this many strides in a session do not count against the caps (module doc)."""
STRIDE_LONGEST_S: Final = 20.0
"""A stride lasts at most 20 s (Daniels: 15–20 s pickups)."""
TAPER_FREQUENCY: Final = 0.8
"""A taper week keeps at least 80 % of the peak week's sessions (Bosquet 2007)."""


@dataclass(frozen=True, slots=True)
class SessionLimits:
    """Largest distance, m, at each intensity in one session; ``threshold_s`` the
    largest threshold time."""

    distance_m: dict[Intensity, float]
    threshold_s: float = THRESHOLD_MAX_S


def session_limits(week_distance_m: float) -> SessionLimits:
    """Daniels' per-session limits for a week of ``week_distance_m`` (module doc)."""
    w = max(week_distance_m, 0.0)
    return SessionLimits(
        {
            Intensity.MARATHON: min(29_000.0, 0.20 * w),
            Intensity.THRESHOLD: 0.10 * w,
            Intensity.INTERVAL: min(10_000.0, 0.08 * w),
            Intensity.REPETITION: min(8_000.0, 0.05 * w),
        }
    )


def _pieces(
    workout: Workout, params: DayParameters, speed_mps: float
) -> list[tuple[Intensity, float, float]]:
    """(intensity, seconds, metres) of each piece of ``workout`` run at ``speed_mps`` × its
    fraction; pieces without a known intensity (no CS, standing rest) left out."""
    out: list[tuple[Intensity, float, float]] = []
    for segment in workout.timeline(speed_mps):
        fraction = (segment.intensity_start + segment.intensity_end) / 2.0
        intensity = step_intensity(fraction, params)
        if intensity is None:
            continue
        seconds = segment.end_s - segment.start_s
        out.append((intensity, seconds, seconds * fraction * speed_mps))
    return out


def intensity_distances(
    workout: Workout, params: DayParameters, speed_mps: float
) -> dict[Intensity, float]:
    """Metres at each of Daniels' intensities in ``workout`` (module doc)."""
    totals = dict.fromkeys(Intensity, 0.0)
    for intensity, _seconds, metres in _pieces(workout, params, speed_mps):
        totals[intensity] += metres
    return totals


def intensity_times(
    workout: Workout, params: DayParameters, speed_mps: float
) -> dict[Intensity, float]:
    """Seconds at each of Daniels' intensities in ``workout``."""
    totals = dict.fromkeys(Intensity, 0.0)
    for intensity, seconds, _metres in _pieces(workout, params, speed_mps):
        totals[intensity] += seconds
    return totals


def _free_strides(step: object) -> bool:
    return (
        isinstance(step, Intervals)
        and step.on.unit == "s"
        and step.on.value <= STRIDE_LONGEST_S + 1e-6
    )


def capped_distances(
    workout: Workout, params: DayParameters, speed_mps: float
) -> dict[Intensity, float]:
    """Metres at each of Daniels' intensities the per-session caps judge in ``workout``:
    ``intensity_distances`` without a set of at most ``FREE_STRIDES`` strides (module
    doc: strides are not a repetition session)."""
    strides = [s for s in workout.steps if _free_strides(s)]
    held = sum(s.repeat for s in strides if isinstance(s, Intervals))
    if strides and held <= FREE_STRIDES:
        rest = tuple(s for s in workout.steps if not _free_strides(s))
        if not rest:
            return dict.fromkeys(Intensity, 0.0)
        workout = replace(workout, steps=rest)
    return intensity_distances(workout, params, speed_mps)


def over_limits(
    workout: Workout, params: DayParameters, speed_mps: float, limits: SessionLimits
) -> list[str]:
    """What of ``limits`` the session breaks, in words (empty: none); distances as the
    caps judge them (``capped_distances``)."""
    distances = capped_distances(workout, params, speed_mps)
    out = [
        f"{distances[k] / 1000:.1f} km at {k.name.lower()} intensity (at most {cap / 1000:.1f} km)"
        for k, cap in limits.distance_m.items()
        if distances[k] > cap + 1.0
    ]
    threshold = intensity_times(workout, params, speed_mps)[Intensity.THRESHOLD]
    if threshold > limits.threshold_s + 1.0:
        out.append(f"{threshold / 60:.0f} min at threshold (at most 60 min)")
    return out


def quality_shortfall(workout: Workout, params: DayParameters, speed_mps: float) -> str | None:
    """Why ``workout``, a quality session, holds too little to be one (module doc), in
    words; None when it is a session worth running (or a session of sprints)."""
    if any(isinstance(step, MaxEffort) for step in workout.steps):
        return None
    times = intensity_times(workout, params, speed_mps)
    quality = sum(seconds for k, seconds in times.items() if k is not Intensity.EASY)
    if quality < QUALITY_MIN_S - 1.0:
        return f"{quality / 60:.1f} min of quality running (at least {QUALITY_MIN_S / 60:.0f} min)"
    for step in workout.steps:
        if not isinstance(step, Intervals):
            continue
        fast = step_intensity(step.on_intensity, params)
        if fast is None or fast is Intensity.EASY:
            continue
        metres = step.on.unit == "m"
        least = MIN_REP_M if metres else MIN_REP_S
        if step.on.value < least - 1.0:
            unit = "m" if metres else "s"
            return f"repetitions of {step.on.value:.0f} {unit} (at least {least:.0f} {unit})"
    return None


def taper_over_limits(plan: Plan) -> list[str]:
    """What of the taper's limits (module doc; Bosquet et al. 2007) ``plan`` breaks, in
    words (empty: none)."""
    out: list[str] = []
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    told = any(
        why.startswith(TOO_SHORT_TO_BE_FRESH)
        for d in plan.days
        if d.week in {w.index for w in taper}
        for why in d.why
    )
    if plan.race_day_form < 0 and not told:
        out.append(f"race-day form {plan.race_day_form:+.1f} is negative")
    body = [w for w in plan.weeks if w.block_kind != "taper"]
    if not taper or not body:
        return out
    peak = max(body, key=lambda w: w.distance_m)
    if peak.distance_m <= 0:
        return out
    mean = 1.0 - sum(w.distance_m for w in taper) / len(taper) / peak.distance_m
    low, high = BOSQUET_VOLUME
    if not round(low * 100) <= round(mean * 100) <= round(high * 100):
        out.append(
            f"taper volume {mean:.0%} below the peak week's (Bosquet et al. 2007: "
            f"{low:.0%}–{high:.0%})"
        )
    peak_hard = any(d.hard for d in plan.days if d.week == peak.index and not d.is_race)
    weeks = {w.index for w in taper}
    fast = [d for d in plan.days if d.week in weeks and not d.is_race]
    if peak_hard and not any(d.hard or d.kind == STRIDES_KIND for d in fast):
        out.append("the taper drops intensity (no quality session or strides besides the race)")
    least = round(TAPER_FREQUENCY * peak.sessions)
    for week in taper:
        held = [d for d in plan.days if d.week == week.index]
        if week.distance_m > peak.distance_m + 1.0:
            out.append(f"taper week {week.index + 1} runs further than the peak week")
        if len(held) < least:
            out.append(
                f"taper week {week.index + 1} has {len(held)} sessions, fewer than 80 % of "
                f"the peak week's {peak.sessions} (Bosquet et al. 2007)"
            )
    return out


def distance_cap(distances: Sequence[float], index: int) -> float:
    """The most week ``index`` may run, m, after the weeks ``distances[:index]`` (module
    doc); no cap for the first week."""
    if index < 1:
        return math.inf
    return (1.0 + MAX_DISTANCE_GROWTH) * max(distances[max(0, index - 2) : index])


def distance_growth_over_limits(distances: Sequence[float]) -> list[str]:
    """Weeks of ``distances`` (m, the weeks in order, the race not counted) that grow by
    more than ``MAX_DISTANCE_GROWTH`` over the larger of the two weeks before (module doc),
    in words (empty: none)."""
    out: list[str] = []
    for k in range(1, len(distances)):
        cap = distance_cap(distances, k)
        if distances[k] > cap + 1.0:
            base = cap / (1.0 + MAX_DISTANCE_GROWTH)
            out.append(
                f"week {k + 1} runs {distances[k] / 1000:.1f} km, "
                f"{distances[k] / base - 1.0:+.0%} over {base / 1000:.1f} km "
                f"(at most {MAX_DISTANCE_GROWTH:+.0%})"
            )
    return out


_Plan = TypeVar("_Plan")


def largest_within(
    replan: Callable[[float], _Plan], high: float, ok: Callable[[_Plan], bool], steps: int = 9
) -> tuple[float, _Plan] | None:
    """The largest load in (0, ``high``] whose plan (``replan``) is ``ok``, by bisection
    (the session's length grows with its load); None when even a tiny one is not."""
    low = high * 0.02
    best = replan(low)
    if not ok(best):
        return None
    found = low
    for _ in range(steps):
        mid = (low + high) / 2.0
        plan = replan(mid)
        if ok(plan):
            low, found, best = mid, mid, plan
        else:
            high = mid
    return found, best


def share_out(loads: Sequence[float], room: Sequence[float], extra: float) -> list[float]:
    """``extra`` added to ``loads`` in proportion to them, none above its ``room``
    (what it can still take); what no day can take is left out."""
    out = list(loads)
    left = extra
    open_days = [i for i, r in enumerate(room) if r > 1e-9]
    while left > 1e-9 and open_days:
        weight = sum(max(out[i], 1.0) for i in open_days)
        given = 0.0
        for i in open_days:
            add = min(left * max(out[i], 1.0) / weight, room[i] - (out[i] - loads[i]))
            out[i] += add
            given += add
        left -= given
        open_days = [i for i in open_days if room[i] - (out[i] - loads[i]) > 1e-9]
        if given <= 1e-9:
            break
    return out
