"""Persistence: SQLAlchemy 2 typed models, one module per topic.

Models describe tables; services do the rest (no behaviour beyond small derived properties).
"""

from smartrunning.store.accounts import Role, User, UserRole
from smartrunning.store.athletes import CoachAssignment, Runner, Sex
from smartrunning.store.db import db, now_utc
from smartrunning.store.parameters import (
    BestSource,
    ParameterKey,
    ParameterSource,
    ParameterVersion,
    PersonalBest,
    RecomputeRequest,
)

__all__ = [
    "BestSource",
    "CoachAssignment",
    "ParameterKey",
    "ParameterSource",
    "ParameterVersion",
    "PersonalBest",
    "RecomputeRequest",
    "Role",
    "Runner",
    "Sex",
    "User",
    "UserRole",
    "db",
    "now_utc",
]
