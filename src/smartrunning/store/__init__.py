"""Persistence: SQLAlchemy 2 typed models, one module per topic.

Models describe tables; services do the rest (no behaviour beyond small derived properties).
"""

from smartrunning.store.accounts import Role, User, UserRole
from smartrunning.store.athletes import CoachAssignment, Runner, Sex
from smartrunning.store.blobs import CHUNK_BYTES, Blob, BlobChunk
from smartrunning.store.db import db, now_utc
from smartrunning.store.imports import FileKind, FileStatus, ImportFile, ImportJob, JobStatus
from smartrunning.store.parameters import (
    BestSource,
    ParameterKey,
    ParameterSource,
    ParameterVersion,
    PersonalBest,
    RecomputeRequest,
)
from smartrunning.store.plans import Plan, PlanDay, PlanSchemaRow
from smartrunning.store.sessions import AnalysisState, HistoryDay, TrainingSession
from smartrunning.store.tokens import ApiToken
from smartrunning.store.workouts import Workout, WorkoutSport, WorkoutTag

__all__ = [
    "CHUNK_BYTES",
    "AnalysisState",
    "ApiToken",
    "BestSource",
    "Blob",
    "BlobChunk",
    "CoachAssignment",
    "FileKind",
    "FileStatus",
    "HistoryDay",
    "ImportFile",
    "ImportJob",
    "JobStatus",
    "ParameterKey",
    "ParameterSource",
    "ParameterVersion",
    "PersonalBest",
    "Plan",
    "PlanDay",
    "PlanSchemaRow",
    "RecomputeRequest",
    "Role",
    "Runner",
    "Sex",
    "TrainingSession",
    "User",
    "UserRole",
    "Workout",
    "WorkoutSport",
    "WorkoutTag",
    "db",
    "now_utc",
]
