"""Training plans for a runner: generate (``science.plans.generate_plan``) from stored
data, persist, regenerate (edited days kept unless told not to), edit a day.

What generation reads (SCIENCE.md "Plan generation"): the runner's training days, long-run
day and sessions a week (overridable); the history state at the end of the day before the
plan starts, or at the end of today for a plan that starts later (``sessions.history``:
stored rows, rest days after the last one); the CS and HR zones valid on each day
(``DatedParameters``: a version at the plan start and at each change of a parameter they
depend on); the running workouts of the library.

And the runner (``runner_profile``, SCIENCE.md "Targets and limits"): the last four weeks'
mean weekly load, each session's rTSS scored again at the CS valid when the plan starts
(its stored normalised graded speed; other sessions their stored load), so week 1 starts
from what the runner did, not from loads scored against another CS; a beginner (our rule:
under ``BEGINNER_WEEKLY_S`` = 2 h of running a week over those four weeks, or none) gets
one quality session a week. With no session in those four weeks, the weekly running the
runner stated on their profile (``Runner.weekly_running_min``) stands in for them, as easy
running (``STATED_RUNNING_INTENSITY`` of CS: rTSS = hours · IF² · 100); a masters runner
(``MASTERS_AGE`` = 50 or older on race day) the 2:1 build/recovery cycle (Friel, *Fast
After 50*).

The writes come in two kinds. Steps (``save_plan``, ``regenerate``, ``edit_day``,
``delete_plan``, ``rotate_feed``) flush and leave the commit to their caller, so that other
writes can combine them (``calendar_edits``, the end of a coach's access, tests, bench).
Actions (``create_plan``, ``regenerate_plan``, ``change_day``, ``remove_plan``,
``renew_feed``, ``refresh_plan_targets``, ``link_new_sessions``, ``save_template``) are
what pages, API routes and commands call: each owns its transaction
(``platform.transactions``), committing its writes or rolling them back and raising again.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from smartrunning.accounts.models import (
    User,
)
from smartrunning.athletes.bests import cs_basis
from smartrunning.athletes.models import (
    ParameterKey,
    ParameterVersion,
    Runner,
)
from smartrunning.athletes.parameters import parameters_on
from smartrunning.athletes.rules import can, get_visible
from smartrunning.plans import freshness, plan_schemas
from smartrunning.plans.basis import (
    hr_basis,
    level_basis,
    plan_day_parameters,
    race_vdot,
    stored_line,
    vdot_basis,
)
from smartrunning.plans.compliance import RUNNING, link_sessions
from smartrunning.plans.models import (
    Plan,
    PlanDay,
    PlanSchemaRow,
)
from smartrunning.plans.response import plan_response
from smartrunning.plans.stored import (
    projection_json,
    targets_json,
    warnings_json,
)
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.errors import (
    InvalidInput,
    NotFound,
)
from smartrunning.platform.transactions import transaction
from smartrunning.science import plans as sp
from smartrunning.science import workouts as sw
from smartrunning.science.hr_speed import HRSpeedLine
from smartrunning.science.load import planned_rtss, rtss
from smartrunning.science.plans.generate import RACE_KIND
from smartrunning.science.plans.intensity import EASY_RUN_FRACTION
from smartrunning.science.plans.paces import with_training_paces
from smartrunning.science.plans.scaling import content_name, scale_to_duration
from smartrunning.science.plans.targets import step_targets
from smartrunning.science.zwo import read_zwo
from smartrunning.science.zwo_write import write_zwo
from smartrunning.sessions.history import state_before
from smartrunning.sessions.hr_speed import runner_hr_line
from smartrunning.sessions.models import TrainingSession
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts.targets import day_parameters

__all__ = [
    "GenerateRequest",
    "RunnerProfile",
    "can_plan",
    "change_day",
    "create_plan",
    "day_row",
    "delete_plan",
    "edit_day",
    "generate",
    "link_new_sessions",
    "plan_by_id",
    "plans_for_runner",
    "refresh_plan_targets",
    "regenerate",
    "regenerate_plan",
    "remove_plan",
    "renew_feed",
    "rotate_feed",
    "rotate_feeds",
    "runner_profile",
    "save_plan",
    "save_template",
    "visible_day",
    "visible_plan",
]

_TARGET_KEYS = (
    ParameterKey.CRITICAL_SPEED,
    ParameterKey.PACE_ZONES,
    ParameterKey.HR_ZONES,
    ParameterKey.HRMAX,
    ParameterKey.HRREST,
    ParameterKey.THRESHOLD_HR,
)
MIN_RACE_DISTANCE_M = 1_000.0
MAX_RACE_DISTANCE_M = 400_000.0
MAX_RACE_AHEAD_D = 2 * 366
DEFAULT_SPEED_MPS = 3.0
"""Speed for estimates without a CS (``PlanInputs.estimate_speed_mps``)."""
RECENT_DAYS = 28
BEGINNER_WEEKLY_S = 2 * 3600.0
STATED_RUNNING_INTENSITY = EASY_RUN_FRACTION
"""Stated weekly running is taken as easy running at the library's easy fraction of CS
(``intensity.EASY_RUN_FRACTION``, 0.79: near the middle of Daniels' E band), so a plan
starting from it plans about the stated hours."""
MASTERS_AGE = 50
MASTERS_RECOVERY_EVERY = 3


@dataclass(frozen=True)
class GenerateRequest:
    """What a plan is generated from; ``None`` overrides take the runner's profile."""

    race_date: dt.date
    race_distance_m: float
    weeks: int | None = None
    training_days: frozenset[int] | None = None
    long_run_day: int | None = None
    sessions_per_week: int | None = None
    today: dt.date | None = None
    """The day the plan is made: a race before it is refused, and a plan starting after it
    starts from the runner's fitness at its end (``None``: at the plan's start, no check)."""


def can_plan(user: User, runner: Runner) -> bool:
    """Coaches (of the runner) and admins generate and edit plans."""
    return can(user, runner, "coach")


def delete_plan(plan: Plan) -> None:
    """Delete a plan with its days (sessions linked to them stay; library workouts its
    days refer to stay, archived or not). Who may: ``can_plan`` (the runner's coaches
    and admins; a runner may not delete a plan their coach made). The caller commits."""
    db.session.delete(plan)
    db.session.flush()


def rotate_feed(plan: Plan) -> None:
    """A new secret address for the plan's calendar feed: the old one answers 404 from
    now on (a leaked address, or someone whose access ended). The caller commits."""
    plan.ics_token = secrets.token_urlsafe(32)


def rotate_feeds(runner: Runner) -> int:
    """New feed addresses for every plan of ``runner`` (when a coach's access to the
    runner ends, the addresses they saw stop working); returns how many. The caller
    commits."""
    plans = plans_for_runner(runner)
    for plan in plans:
        rotate_feed(plan)
    return len(plans)


def plan_by_id(plan_id: int) -> Plan:
    """Any plan by id (the command line); ``NotFound`` otherwise."""
    plan = db.session.get(Plan, plan_id) if 0 < plan_id <= 2**31 - 1 else None
    if plan is None:
        raise NotFound(f"No plan {plan_id}.")
    return plan


def visible_plan(user: User, plan_id: int) -> Plan:
    """The plan if ``user`` may see its runner; otherwise ``NotFound``."""
    return get_visible(user, Plan, plan_id, name="plan")


def visible_day(user: User, plan: Plan, day_id: int) -> PlanDay:
    day = db.session.get(PlanDay, day_id) if 0 < day_id <= 2**31 - 1 else None
    if day is None or day.plan_id != plan.id:
        raise NotFound("No such plan day.")
    return day


def plans_for_runner(runner: Runner) -> list[Plan]:
    return list(
        db.session.execute(
            sa.select(Plan)
            .where(Plan.runner_id == runner.id)
            .order_by(Plan.race_date.desc(), Plan.id.desc())
        ).scalars()
    )


def _dated_parameters(
    runner: Runner, start: dt.date, end: dt.date, line: HRSpeedLine | None = None
) -> sp.DatedParameters:
    changes = db.session.execute(
        sa.select(ParameterVersion.valid_from)
        .where(
            ParameterVersion.runner_id == runner.id,
            ParameterVersion.key.in_(_TARGET_KEYS),
            ParameterVersion.valid_from > start,
            ParameterVersion.valid_from <= end,
        )
        .distinct()
    ).scalars()
    cs: list[sp.CSVersion] = []
    hr: list[sp.HRZonesVersion] = []
    for day in sorted({start, *changes}):
        params = plan_day_parameters(runner, day, line)
        if params.cs_mps is not None:
            cs.append(
                sp.CSVersion(
                    day, params.cs_mps, params.d_prime_m, params.pace_zones, vdot=params.vdot
                )
            )
        if params.hr_zones is not None:
            hr.append(sp.HRZonesVersion(day, params.hr_zones, params.hrmax_bpm, params.lthr_bpm))
    return sp.DatedParameters(cs=tuple(cs), hr_zones=tuple(hr), hr_line=line)


def _weekdays(runner: Runner) -> frozenset[int]:
    return frozenset(int(c) for c in runner.training_weekdays if c.isdigit() and int(c) <= 6)


def _check(request: GenerateRequest, runner: Runner) -> None:
    distance = request.race_distance_m
    if not (math.isfinite(distance) and MIN_RACE_DISTANCE_M <= distance <= MAX_RACE_DISTANCE_M):
        raise InvalidInput("The race distance must be between 1 and 400 km.", field="distance_m")
    if request.weeks is not None and not 1 <= request.weeks <= 52:
        raise InvalidInput("Preparation weeks must be 1–52.", field="weeks")
    if request.race_date < runner.birth_date or request.race_date.year > 9000:
        raise InvalidInput("The race date is not a sensible date.", field="race_date")
    today = request.today
    if today is not None:
        if request.race_date < today:
            raise InvalidInput(
                f"The race date {request.race_date.isoformat()} has passed.", field="race_date"
            )
        if request.race_date > today + dt.timedelta(days=MAX_RACE_AHEAD_D):
            raise InvalidInput(
                "The race is more than two years away: plan toward a nearer race.",
                field="race_date",
            )


@dataclass(frozen=True)
class RunnerProfile:
    """What the generator's limits need to know of the runner (module doc)."""

    recent_weekly_load: float | None
    recent_weekly_running_s: float
    beginner: bool
    masters: bool
    stated: bool = False
    """The weekly running is the one stated on the profile (no session in 4 weeks)."""


def runner_profile(runner: Runner, first_day: dt.date, race_date: dt.date) -> RunnerProfile:
    """The runner's last four weeks before ``first_day`` and age on ``race_date``."""
    since = first_day - dt.timedelta(days=RECENT_DAYS)
    rows = db.session.execute(
        sa.select(
            TrainingSession.sport,
            TrainingSession.timer_time_s,
            TrainingSession.load,
            TrainingSession.param_inputs,
        ).where(
            TrainingSession.runner_id == runner.id,
            TrainingSession.local_date >= since,
            TrainingSession.local_date < first_day,
            TrainingSession.held.is_(False),  # values no runner produces: not counted
        )
    ).all()
    cs = day_parameters(parameters_on(runner, first_day)).cs_mps
    total = 0.0
    running_s = 0.0
    for sport, timer_s, load, inputs in rows:
        ngs = (inputs or {}).get("normalised_graded_speed_mps")
        if sport == RUNNING:
            running_s += float(timer_s or 0.0)
        if ngs and cs and sport == RUNNING:
            total += rtss(float(timer_s), float(ngs), cs)
        else:
            total += float(load or 0.0)
    weeks = RECENT_DAYS / 7
    age = (race_date - runner.birth_date).days / 365.25
    if not rows and runner.weekly_running_min is not None:
        stated_s = runner.weekly_running_min * 60.0
        return RunnerProfile(
            recent_weekly_load=stated_s / 3600.0 * STATED_RUNNING_INTENSITY**2 * 100.0,
            recent_weekly_running_s=stated_s,
            beginner=stated_s < BEGINNER_WEEKLY_S,
            masters=age >= MASTERS_AGE,
            stated=True,
        )
    return RunnerProfile(
        recent_weekly_load=total / weeks if rows else None,
        recent_weekly_running_s=running_s / weeks,
        beginner=running_s / weeks < BEGINNER_WEEKLY_S,
        masters=age >= MASTERS_AGE,
    )


def _fitness_day(start: dt.date, today: dt.date | None) -> dt.date:
    """The day whose starting state a plan starts from: its first day, or for a plan that
    starts after tomorrow the runner's current fitness (the state at the end of today;
    SPEC §6 "weekly load starting from the runner's current fitness"), not the rest days
    the model would run until then."""
    if today is None:
        return start
    return min(start, today + dt.timedelta(days=1))


def generate(
    runner: Runner,
    schema_row: PlanSchemaRow,
    request: GenerateRequest,
    basis: dict[str, Any] | None = None,
) -> tuple[sp.Plan, dict[str, int]]:
    """The plan for ``runner`` (not stored) and the library ids of its workouts by name;
    ``basis`` (when given) is filled with what its targets and limits rest on
    (``plans.basis``: heart-rate source, VDOT, level).

    Raises ``InvalidInput`` for inputs the generator refuses (with its message).
    """
    _check(request, runner)
    schema = plan_schemas.parse_row(schema_row)
    weeks = request.weeks or schema.total_weeks
    start = sp.plan_start(request.race_date, weeks)
    if start < runner.birth_date:
        raise InvalidInput("The plan would start before the runner's birth date.", field="weeks")
    library = workout_services.running_library()
    ids: dict[str, int] = {}
    for workout_id, workout in library:
        ids.setdefault(workout.name, workout_id)
    first_day = _fitness_day(start, request.today)
    profile = runner_profile(runner, first_day, request.race_date)
    found = runner_hr_line(runner.id, first_day)
    line = found if isinstance(found, HRSpeedLine) else None
    if basis is not None:
        first = plan_day_parameters(runner, start, line)
        race = race_vdot(runner, start)
        basis["heart_rate"] = hr_basis(found, first.lthr_bpm is not None)
        basis["vdot"] = vdot_basis(first.level, race)
        basis["level"] = {
            "beginner": profile.beginner,
            "masters": profile.masters,
            "weekly_running_s": round(profile.recent_weekly_running_s),
            "text": level_basis(
                profile.recent_weekly_running_s, profile.beginner, profile.masters, profile.stated
            ),
        }
    response, samples, response_basis = plan_response(runner, first_day)
    try:
        inputs = sp.PlanInputs(
            schema=schema,
            race_date=request.race_date,
            race_distance_m=request.race_distance_m,
            training_days=request.training_days or _weekdays(runner),
            long_run_day=(
                runner.long_run_weekday if request.long_run_day is None else request.long_run_day
            ),
            sessions_per_week=request.sessions_per_week or runner.sessions_per_week,
            start_state=state_before(runner, first_day),
            parameters=_dated_parameters(runner, start, request.race_date, line),
            library=tuple(w for _id, w in library),
            weeks=request.weeks,
            recent_weekly_load=profile.recent_weekly_load,
            beginner=profile.beginner,
            recovery_every=MASTERS_RECOVERY_EVERY if profile.masters else None,
            response=response,
            response_samples=samples,
            response_basis=response_basis,
        )
        return sp.generate_plan(inputs), ids
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def day_row(day: sp.PlannedDay, ids: dict[str, int]) -> PlanDay:
    return PlanDay(
        date=day.date,
        week=day.week,
        kind=str(day.kind),
        slot=day.slot,
        hard=day.hard,
        workout_id=None if day.is_race else ids.get(day.workout_name),
        workout_name=day.workout.name,
        zwo=write_zwo(day.workout).decode("utf-8"),
        duration_s=day.duration_s,
        distance_m=day.distance_m,
        load=day.load,
        targets=targets_json(day.targets),
        notes="\n".join(day.notes),
        why="\n".join(day.why),
        edited=False,
    )


def plan_warnings(runner: Runner, plan: sp.Plan) -> list[dict[str, str]]:
    """The plan's warnings as stored, first among them, when the runner's critical speed
    is the population default, that every pace rests on it (issue #15: said prominently;
    the saved plan, its preview and the page alike)."""
    warnings = warnings_json(plan)
    if cs_basis(runner, plan.start)["basis"] != "default":
        return warnings
    return [
        {
            "code": str(sp.WarningCode.DEFAULT_CRITICAL_SPEED),
            "message": "Every pace in this plan rests on the population default critical "
            "speed (5:00/km, 8:03/mi), not on this runner: they have no race, time trial "
            "or maximal effort yet. Enter a recent race result (or mark an uploaded race) "
            "and regenerate before handing the plan over.",
        },
        *warnings,
    ]


def _fill(
    row: Plan,
    plan: sp.Plan,
    ids: dict[str, int],
    keep: dict[dt.date, PlanDay],
    basis: dict[str, Any] | None = None,
) -> None:
    row.start_date = plan.start
    row.weeks = len(plan.weeks)
    row.generated_at = now_utc()
    row.targets_resolved_at = None  # resolved now, at generation
    row.warnings = plan_warnings(row.runner, plan)
    row.projection = {**projection_json(plan), "basis": basis or {}}
    days = [d for d in row.days if d.date in keep and d is keep[d.date]]
    # Dates a coach emptied on the calendar stay empty while edited days are kept.
    emptied = set(row.emptied_dates or ())
    for day in plan.days:
        if day.date not in keep and day.date.isoformat() not in emptied:
            days.append(day_row(day, ids))
    row.days = sorted(days, key=lambda d: d.date)


def save_plan(
    runner: Runner,
    schema_row: PlanSchemaRow,
    request: GenerateRequest,
    *,
    created_by: User | None,
) -> Plan:
    """Generate and store a plan, then link sessions already done; the caller commits."""
    basis: dict[str, Any] = {}
    plan, ids = generate(runner, schema_row, request, basis)
    row = Plan(
        runner=runner,
        schema_name=schema_row.name,
        schema_body=schema_row.body,
        race_date=plan.race_date,
        race_distance_m=plan.race_distance_m,
        created_by=created_by,
        ics_token=secrets.token_urlsafe(32),
        schedule=_schedule_json(request),
    )
    _fill(row, plan, ids, {}, basis)
    db.session.add(row)
    db.session.flush()
    link_sessions(row)
    return row


def _schedule_json(request: GenerateRequest) -> dict[str, Any] | None:
    """The overrides of ``request`` as stored on the plan (``None``: none given)."""
    schedule: dict[str, Any] = {}
    if request.training_days is not None:
        schedule["training_days"] = sorted(request.training_days)
    if request.long_run_day is not None:
        schedule["long_run_day"] = request.long_run_day
    if request.sessions_per_week is not None:
        schedule["sessions_per_week"] = request.sessions_per_week
    return schedule or None


def regenerate(
    plan_row: Plan,
    *,
    keep_edited: bool = True,
    weeks: int | None = None,
    today: dt.date | None = None,
) -> Plan:
    """Generate the plan again from its schema snapshot, the schedule it was made with and
    today's data (``today`` as in ``GenerateRequest``); days a coach edited are kept
    (``keep_edited``), the others replaced. The caller commits."""
    snapshot = PlanSchemaRow(name=plan_row.schema_name, body=plan_row.schema_body)
    schedule = plan_row.schedule or {}
    days = schedule.get("training_days")
    request = GenerateRequest(
        plan_row.race_date,
        plan_row.race_distance_m,
        weeks or plan_row.weeks,
        training_days=frozenset(days) if days is not None else None,
        long_run_day=schedule.get("long_run_day"),
        sessions_per_week=schedule.get("sessions_per_week"),
        today=today,
    )
    basis: dict[str, Any] = {}
    plan, ids = generate(plan_row.runner, snapshot, request, basis)
    keep = {d.date: d for d in plan_row.days if keep_edited and d.edited}
    if not keep_edited:
        plan_row.emptied_dates = None
    _fill(plan_row, plan, ids, keep, basis)
    db.session.flush()
    link_sessions(plan_row)
    return plan_row


def edit_day(
    day: PlanDay,
    *,
    workout_id: int | None = None,
    duration_s: float | None = None,
    notes: str | None = None,
) -> PlanDay:
    """Change a day's workout (a library workout, scaled to the day's duration when given),
    duration (the workout scaled to it to the second: ``scaling.scale_to_duration``, its
    name saying so) or notes; marks it edited when something changed. The race day keeps
    its race (its notes may change). The caller commits."""
    if day.kind == RACE_KIND and (workout_id is not None or duration_s is not None):
        raise InvalidInput(
            "The race day keeps its race: change the race date or distance by generating the "
            "plan again.",
            field="workout_id" if workout_id is not None else "duration_s",
        )
    changed = workout_id is not None or duration_s is not None
    if workout_id is not None:
        if not 0 < workout_id <= plan_schemas.MAX_ID:
            raise InvalidInput("No such workout.", field="workout_id")
        try:
            workout = workout_services.get_workout(workout_id, include_archived=False)
        except NotFound:
            raise InvalidInput("No such workout in the library.", field="workout_id") from None
        content = workout_services.structure(workout)
        if content.sport != "run":
            raise InvalidInput("A plan day takes a running workout.", field="workout_id")
        content = _at_daniels_paces(day, content)
        day.workout_id = workout.id
        day.workout_name = content.name
        day.kind = workout.kind or day.kind
        day.zwo = write_zwo(content).decode("utf-8")
        _refresh(day, content)
    if duration_s is not None:
        if not (math.isfinite(duration_s) and 60 <= duration_s <= 12 * 3600):
            raise InvalidInput(
                "The duration must be between 1 minute and 12 hours.", field="duration_s"
            )
        content = read_zwo(day.zwo.encode("utf-8"))
        speed = _speed(day)
        if content.total_duration_s(speed) > 0:
            # Exact to the second (``scale_to_duration``): the main steps take the change.
            scaled = scale_to_duration(content, duration_s, speed)
            day.zwo = write_zwo(scaled).decode("utf-8")
            _refresh(day, scaled)
            day.workout_name = content_name(day.workout_name, scaled, speed, day.kind)
    if notes is not None:
        if len(notes) > 4000:
            raise InvalidInput("Notes are limited to 4000 characters.", field="notes")
        changed = changed or notes != day.notes
        day.notes = notes
    day.edited = day.edited or changed
    db.session.flush()
    return day


def _speed(day: PlanDay) -> float:
    cs = day_parameters(parameters_on(day.plan.runner, day.date)).cs_mps
    return cs if cs is not None else DEFAULT_SPEED_MPS


def _at_daniels_paces(day: PlanDay, content: sw.Workout) -> sw.Workout:
    """A library workout put on a day at Daniels' paces for the runner's VDOT on that day
    (its interval, threshold and tempo, repetition and marathon parts), as the generator
    sets them (``science.plans.paces``); as written without CS."""
    line = stored_line((day.plan.projection or {}).get("basis"))
    params = plan_day_parameters(day.plan.runner, day.date, line)
    if params.cs_mps is None or params.level is None:
        return content
    return with_training_paces(content, params.cs_mps, params.level)


def _refresh(day: PlanDay, content: sw.Workout) -> None:
    """Recompute a day's totals and targets for ``content`` on its date."""
    line = stored_line((day.plan.projection or {}).get("basis"))
    params = plan_day_parameters(day.plan.runner, day.date, line)
    speed = params.cs_mps if params.cs_mps is not None else DEFAULT_SPEED_MPS
    day.duration_s = float(content.total_duration_s(speed))
    day.distance_m = float(content.total_distance_m(speed))
    day.load = float(planned_rtss(content, speed))
    day.targets = targets_json(step_targets(content, params))


# --- actions: each owns its transaction (module docstring) -------------------------------


def create_plan(
    runner: Runner,
    schema_row: PlanSchemaRow,
    request: GenerateRequest,
    *,
    created_by: User | None,
) -> Plan:
    """Generate and store a plan (``save_plan``) and commit it."""
    with transaction():
        return save_plan(runner, schema_row, request, created_by=created_by)


def regenerate_plan(plan_row: Plan, *, keep_edited: bool, today: dt.date | None) -> Plan:
    """Generate the plan again (``regenerate``) and commit it."""
    with transaction():
        return regenerate(plan_row, keep_edited=keep_edited, today=today)


def change_day(
    day: PlanDay,
    *,
    workout_id: int | None = None,
    duration_s: float | None = None,
    notes: str | None = None,
) -> PlanDay:
    """Change a day's workout, duration or notes (``edit_day``) and commit it."""
    with transaction():
        return edit_day(day, workout_id=workout_id, duration_s=duration_s, notes=notes)


def remove_plan(plan: Plan) -> None:
    """Delete a plan with its days (``delete_plan``) and commit it."""
    with transaction():
        delete_plan(plan)


def renew_feed(plan: Plan) -> None:
    """A new address for the plan's calendar feed (``rotate_feed``), committed."""
    with transaction():
        rotate_feed(plan)


def refresh_plan_targets(plan: Plan, today: dt.date) -> int:
    """Resolve the targets from ``today`` on (``freshness.refresh_targets``) and commit;
    the number of days whose targets changed."""
    with transaction():
        return freshness.refresh_targets(plan, today)


def link_new_sessions(plan: Plan, sessions: list[TrainingSession] | None = None) -> int:
    """Link sessions imported since the plan was last read to its days
    (``compliance.link_sessions``) and commit when it linked any (rolled back on a
    failure); how many it linked."""
    try:
        linked = link_sessions(plan, sessions)
        if linked:  # only then: a commit expires what the caller has loaded
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return linked


def save_template(
    body: Any,
    *,
    owner: User | None,
    row: PlanSchemaRow | None = None,
    check_only: bool = False,
) -> PlanSchemaRow:
    """Create (``row`` None) or replace a plan template (``plan_schemas.save_schema``:
    ``InvalidSchema`` or ``Conflict``) and commit it. ``check_only``: the same checks, the
    name taken included, and nothing kept (a form that has problems of its own reports the
    template's with them)."""
    if check_only:
        try:
            return plan_schemas.save_schema(body, owner=owner, row=row)
        finally:
            db.session.rollback()
    with transaction():
        return plan_schemas.save_schema(body, owner=owner, row=row)
