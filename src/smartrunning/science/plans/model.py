"""What plan generation takes and gives: ``PlanInputs`` in, ``Plan`` out.

Units: dates are the runner's local calendar days; durations s, distances m, speeds m/s,
loads rTSS-like (100 = one hour at CS, ``Workout.estimated_load``); CTL/ATL/form as in
SCIENCE.md "Fitness, fatigue, form". Weekdays are 0 = Monday … 6 = Sunday.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from smartrunning.science.history import HistoryParams, HistoryState
from smartrunning.science.plans.schema import BlockKind, PlanSchema, WorkoutKind
from smartrunning.science.plans.taper import TaperChoice
from smartrunning.science.plans.targets import ParametersOnDate, StepTarget
from smartrunning.science.response import ResponseParams
from smartrunning.science.workouts import Workout

__all__ = [
    "DayKind",
    "Plan",
    "PlanInputs",
    "PlanLimits",
    "PlanWarning",
    "PlanWeek",
    "PlannedDay",
    "ProjectedDay",
    "WarningCode",
]

DayKind = WorkoutKind | Literal["race"]


class WarningCode(StrEnum):
    """What a ``PlanWarning`` is about."""

    SHORT_PLAN = "short_plan"
    """Fewer weeks than the schema: blocks compressed, or dropped, or the taper cut."""
    START_BELOW_FLOOR = "start_below_floor"
    """The current weekly load is below the schema's first-week floor: the plan starts
    higher."""
    START_ABOVE_CAP = "start_above_cap"
    """The current weekly load is above the schema's weekly cap: the plan starts at the cap."""
    FEW_TRAINING_DAYS = "few_training_days"
    """More sessions a week than training days, or a hard session of the pattern left out
    for lack of session days (easy ones are left out by the pattern's priority, silently)."""
    LIGHT_WEEKS = "light_weeks"
    """Build weeks too light for every session at its shortest: some sessions left out."""
    QUALITY_LIMIT = "quality_limit"
    """More quality sessions in the pattern than the runner's days or level allow."""
    INTENSITY_CAPPED = "intensity_capped"
    """A session held more time at an intensity than Daniels allows: shortened, the load
    moved into easy running."""
    LONG_RUN_CAPPED = "long_run_capped"
    """A long run above ~30 % of its week or its longest duration: shortened."""
    DISTANCE_CAPPED = "distance_capped"
    """A week's distance more than 10 % above the weeks before it: its sessions shortened
    (``limits.MAX_DISTANCE_GROWTH``)."""
    HARD_DOWNGRADED = "hard_downgraded"
    """A hard session became an easy run so that hard days are not back to back."""
    MISSING_KIND = "missing_kind"
    """No workout of a needed kind in the library: an easy run takes its place."""
    MISSING_WORKOUT = "missing_workout"
    """A workout named by the schema is not in the library: its kind is used."""
    DEFAULT_CRITICAL_SPEED = "default_critical_speed"
    """The runner has no race, time trial or maximal effort: every pace rests on the
    population default CS (added by the app, which knows where the runner's CS came from)."""
    NO_CRITICAL_SPEED = "no_critical_speed"
    """No CS on some days: no pace targets, estimates at ``estimate_speed_mps``."""
    LOAD_CLIPPED = "load_clipped"
    """Some weeks' load is beyond what their sessions carry at sensible lengths."""
    CTL_RAMP = "ctl_ramp"
    """Projected fitness rises faster than ``PlanLimits.max_ctl_ramp`` in some week."""
    RACE_FORM_LOW = "race_form_low"
    RACE_FORM_HIGH = "race_form_high"
    """Projected race-day form outside ``PlanLimits.race_form``."""


@dataclass(frozen=True, slots=True)
class PlanWarning:
    code: WarningCode
    message: str


@dataclass(frozen=True, slots=True)
class PlanLimits:
    """When to warn: weekly CTL ramp above ``max_ctl_ramp`` (SCIENCE.md: about +5 to +8
    a week) and race-day form outside ``race_form`` (SCIENCE.md: about +5 to +25).

    The +5 floor assumes a trained runner: after a taper from a rising load, form is at
    most about 0.3 · CTL, so a runner whose fitness on the eve of the race is low (a plan
    started from no history) cannot reach it. The floor is therefore
    min(``race_form[0]``, ``race_form_share`` · CTL on the eve of the race)
    (``race_form_low``); the generator eases the race week to reach it (``generate``).
    """

    max_ctl_ramp: float = 8.0
    race_form: tuple[float, float] = (5.0, 25.0)
    race_form_share: float = 0.1

    def race_form_low(self, ctl: float) -> float:
        """The lowest acceptable race-day form for a race-eve fitness of ``ctl``."""
        return min(self.race_form[0], self.race_form_share * max(ctl, 0.0))


@dataclass(frozen=True, slots=True)
class PlanInputs:
    """Everything a plan is generated from; nothing else is read.

    ``start_state``: the runner's history state at the end of the day before the plan
    starts (``layout.plan_start``). ``parameters``: CS and zones valid on each day.
    ``weeks``: preparation weeks (default: the schema's length). ``sessions_per_week``
    above the number of training days means one a training day. ``estimate_speed_mps``:
    the speed for time and distance estimates on days without a CS.
    ``recent_weekly_load``: the runner's mean weekly load over the last four weeks (scored
    at the plan's CS), where week 1 starts (SCIENCE.md "Volume"; None: 7 · CTL).
    ``beginner``: one quality session a week (``week.quality_limit``).
    ``recovery_every``: a recovery week every n-th week in every block, overriding the
    schema (3 = the 2:1 cycle for masters runners, Friel's *Fast After 50*).
    ``response``: the runner's fitted response model, by which the taper is chosen
    (``taper``; None: the population values), with ``response_samples`` (its bootstrap
    parameter sets, for the uncertainty) and ``response_basis`` (which and why, in words).
    """

    schema: PlanSchema
    race_date: dt.date
    race_distance_m: float
    training_days: frozenset[int]
    long_run_day: int
    sessions_per_week: int
    start_state: HistoryState
    parameters: ParametersOnDate
    library: tuple[Workout, ...]
    weeks: int | None = None
    history_params: HistoryParams = field(default_factory=HistoryParams)
    limits: PlanLimits = field(default_factory=PlanLimits)
    estimate_speed_mps: float = 3.0
    recent_weekly_load: float | None = None
    beginner: bool = False
    recovery_every: int | None = None
    response: ResponseParams | None = None
    response_samples: tuple[ResponseParams, ...] = ()
    response_basis: str = ""

    def __post_init__(self) -> None:
        if not (math.isfinite(self.race_distance_m) and self.race_distance_m > 0):
            raise ValueError(f"race distance must be positive, got {self.race_distance_m!r}")
        days = self.training_days
        if not days or any(isinstance(d, bool) or not 0 <= d <= 6 for d in days):
            raise ValueError(f"training days must be weekdays 0–6, got {sorted(days)}")
        if self.long_run_day not in days:
            raise ValueError(f"the long-run day {self.long_run_day} is not a training day")
        if not 1 <= self.sessions_per_week <= 7:
            raise ValueError(f"sessions per week must be 1–7, got {self.sessions_per_week}")
        if self.weeks is not None and not 1 <= self.weeks <= 52:
            raise ValueError(f"preparation weeks must be 1–52, got {self.weeks}")
        recent = self.recent_weekly_load
        if recent is not None and not (math.isfinite(recent) and recent >= 0):
            raise ValueError(f"recent weekly load must be ≥ 0, got {recent!r}")
        if self.recovery_every is not None and not 2 <= self.recovery_every <= 8:
            raise ValueError(f"a recovery week every 2–8 weeks, got {self.recovery_every}")
        speed = self.estimate_speed_mps
        if not (math.isfinite(speed) and speed > 0):
            raise ValueError(f"estimate speed must be positive, got {speed!r}")


@dataclass(frozen=True, slots=True)
class PlannedDay:
    """One planned session (or the race, ``kind == "race"``).

    ``workout_name``: the library workout it was made from; ``workout``: that workout
    scaled for the day. ``target_load``: the day's share of its week's load; ``load``,
    ``duration_s`` and ``distance_m``: the scaled workout's, at ``speed_mps`` (the day's
    CS, or the estimate speed when ``cs_mps`` is None). ``notes``: what the runner reads,
    what to do and how it should feel, in plain words (``words.runner_notes``); ``why``:
    what the generator changed and why, with its basis (Daniels' caps, the taper, the
    race prediction's model), for the coach.
    """

    date: dt.date
    week: int
    slot: str
    kind: DayKind
    hard: bool
    workout_name: str
    workout: Workout
    duration_s: float
    distance_m: float
    target_load: float
    load: float
    targets: tuple[StepTarget, ...]
    speed_mps: float
    cs_mps: float | None
    notes: tuple[str, ...] = ()
    why: tuple[str, ...] = ()

    @property
    def is_race(self) -> bool:
        return self.kind == "race"


@dataclass(frozen=True, slots=True)
class PlanWeek:
    """Week ``index`` (0 = the first), ``start`` to ``end`` inclusive.

    ``target_load``: the week's load from the progression; ``load``, ``duration_s``,
    ``distance_m``: totals of its planned sessions, the race excluded (``race_load``).
    ``ctl_end``: projected fitness at the week's end; ``ctl_ramp``: its change over the week.
    """

    index: int
    start: dt.date
    end: dt.date
    block: str
    block_kind: BlockKind
    recovery: bool
    target_load: float
    load: float
    race_load: float
    duration_s: float
    distance_m: float
    sessions: int
    ctl_end: float
    ctl_ramp: float


@dataclass(frozen=True, slots=True)
class ProjectedDay:
    """Projected load, fitness (CTL), fatigue (ATL) and form going into the day (TSB)."""

    date: dt.date
    load: float
    ctl: float
    atl: float
    form: float


@dataclass(frozen=True, slots=True)
class Plan:
    """A generated plan from ``start`` to ``race_date``; ``days`` in date order, the race
    last; ``projection`` one entry a day; ``max_ctl_ramp`` the largest weekly CTL change;
    ``predicted_race_time_s`` None without a CS on race day."""

    schema_name: str
    race_date: dt.date
    race_distance_m: float
    start: dt.date
    weeks: tuple[PlanWeek, ...]
    days: tuple[PlannedDay, ...]
    projection: tuple[ProjectedDay, ...]
    race_day_form: float
    max_ctl_ramp: float
    predicted_race_time_s: float | None
    warnings: tuple[PlanWarning, ...]
    taper: TaperChoice | None = None
    """The taper chosen for race day beside the schema's (``taper``)."""

    @property
    def race(self) -> PlannedDay:
        return self.days[-1]
