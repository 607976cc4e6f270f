"""Cases of the feature packages, each in its own module, gathered for the matrix."""

from __future__ import annotations

from tests.access import (
    matrix_coaching_loop,
    matrix_plans,
    matrix_replan,
    matrix_sessions,
    matrix_settings,
    matrix_workouts,
)
from tests.access.matrix import Case

CASES: list[Case] = [
    *matrix_settings.CASES,
    *matrix_workouts.CASES,
    *matrix_sessions.CASES,
    *matrix_plans.CASES,
    *matrix_replan.CASES,
    *matrix_coaching_loop.CASES,
]
