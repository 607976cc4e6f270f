"""Training plans generated toward a race (SCIENCE.md "Plan generation"; SPEC.md §6).

Pure: schemas and inputs in, a frozen ``Plan`` out; no clock, no files, no database.

- ``parse_schema`` / ``schema_to_dict``: plan schemas (blocks, week patterns, load cap)
  from and to JSON-like data, with every problem reported at once (``SchemaError``).
- ``generate_plan(PlanInputs) -> Plan``: the plan, its weekly totals, the projected
  fitness, fatigue and form, and warnings. ``plan_start`` tells the caller the first day,
  whose history state the inputs need.
- ``DatedParameters``: CS and HR zones by validity date, for targets valid on each day.

The modules behind it, each with its rules in its docstring: ``schema`` and ``parse``;
``layout`` (weeks and loads), ``week`` (a week's days and the hard-day rule), ``days``
(sessions on dates), ``scaling`` (choosing and scaling workouts), ``targets``,
``project`` (fitness, fatigue, form), ``model`` (inputs and outputs), ``generate``.
"""

from smartrunning.science.plans.generate import generate_plan
from smartrunning.science.plans.layout import plan_start
from smartrunning.science.plans.model import (
    DayKind,
    Plan,
    PlanInputs,
    PlanLimits,
    PlannedDay,
    PlanWarning,
    PlanWeek,
    ProjectedDay,
    WarningCode,
)
from smartrunning.science.plans.parse import parse_schema, schema_to_dict
from smartrunning.science.plans.schema import (
    BLOCK_KINDS,
    LONG_SLOT,
    WORKOUT_KINDS,
    Block,
    BlockKind,
    LoadCap,
    PatternSlot,
    PlanSchema,
    Problem,
    SchemaError,
    WorkoutKind,
    schema_problems,
)
from smartrunning.science.plans.targets import (
    CSVersion,
    DatedParameters,
    DayParameters,
    HRZonesVersion,
    ParametersOnDate,
    StepTarget,
    predict_race_time_s,
)

__all__ = [
    "BLOCK_KINDS",
    "LONG_SLOT",
    "WORKOUT_KINDS",
    "Block",
    "BlockKind",
    "CSVersion",
    "DatedParameters",
    "DayKind",
    "DayParameters",
    "HRZonesVersion",
    "LoadCap",
    "ParametersOnDate",
    "PatternSlot",
    "Plan",
    "PlanInputs",
    "PlanLimits",
    "PlanSchema",
    "PlanWarning",
    "PlanWeek",
    "PlannedDay",
    "Problem",
    "ProjectedDay",
    "SchemaError",
    "StepTarget",
    "WarningCode",
    "WorkoutKind",
    "generate_plan",
    "parse_schema",
    "plan_start",
    "predict_race_time_s",
    "schema_problems",
    "schema_to_dict",
]
