"""What a plan starting tomorrow would rest on, for the runner's profile and the wizard
(``athletes.profile_basis``, handed in by the app): the same rules and words as a
generated plan's basis (``plans.basis``, ``plans.actions.runner_profile``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from smartrunning.athletes.models import Runner
from smartrunning.athletes.parameters import parameters_on
from smartrunning.plans.actions import runner_profile
from smartrunning.plans.basis import hr_basis, level_basis
from smartrunning.platform.db import db
from smartrunning.sessions.hr_speed import runner_hr_line
from smartrunning.sessions.models import TrainingSession
from smartrunning.workouts.targets import day_parameters

__all__ = ["first_session_day", "hr_source", "level"]


def _first_day(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=1)


def hr_source(runner: Runner, today: dt.date) -> dict[str, Any]:
    """``plans.basis.hr_basis`` for a plan starting tomorrow (the line from the runs up
    to and including today; Friel's bands where threshold HR is measured)."""
    first = _first_day(today)
    lthr = day_parameters(parameters_on(runner, first)).lthr_bpm
    return hr_basis(runner_hr_line(runner.id, first), lthr is not None)


def level(runner: Runner, today: dt.date) -> dict[str, Any]:
    """The level a plan starting tomorrow would give (age taken tomorrow: a plan's own
    takes it on race day), as ``plans.actions.generate`` stores it."""
    first = _first_day(today)
    profile = runner_profile(runner, first, first)
    return {
        "beginner": profile.beginner,
        "masters": profile.masters,
        "weekly_running_s": round(profile.recent_weekly_running_s),
        "text": level_basis(
            profile.recent_weekly_running_s, profile.beginner, profile.masters, profile.stated
        ),
    }


def first_session_day(runner: Runner) -> dt.date | None:
    """The runner's first session's day (any sport; deleted sessions left out)."""
    return db.session.execute(
        sa.select(sa.func.min(TrainingSession.local_date)).where(
            TrainingSession.runner_id == runner.id
        )
    ).scalar_one_or_none()
