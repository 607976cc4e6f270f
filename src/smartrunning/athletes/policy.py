"""Who may see and do what with runners: one helper that fetches *and* authorises.

A runner the current user may not see answers 404, exactly like one that does not
exist, so ids of other runners' data reveal nothing.
"""

from __future__ import annotations

from flask import abort

from smartrunning.accounts.models import Role
from smartrunning.accounts.policy import this_user
from smartrunning.athletes.models import (
    CoachAssignment,
    Runner,
)
from smartrunning.athletes.rules import visible_runner
from smartrunning.platform.db import db
from smartrunning.platform.errors import NotFound

__all__ = [
    "RUNNER_EDITABLE",
    "get_runner_or_404",
    "may_delete_runner",
    "may_edit_parameter",
]

#: Parameters a runner may change on their own profile, as in the onboarding wizard;
#: critical speed, pace zones and threshold HR (lab or coach judgements) are for coaches.
RUNNER_EDITABLE = frozenset(
    {"weight_kg", "hrrest_bpm", "hrmax_bpm", "hr_zones", "load_model", "fitness_fatigue"}
)


def get_runner_or_404(runner_id: int) -> Runner:
    try:
        return visible_runner(this_user(), runner_id)
    except NotFound:
        abort(404)


def may_edit_parameter(key: str) -> bool:
    """Whether the current user may add a version of parameter ``key`` (of a visible runner)."""
    return this_user().has_role(Role.COACH) or key in RUNNER_EDITABLE


def may_delete_runner(runner: Runner) -> bool:
    """Admins, and coaches assigned to ``runner``; never the runner themself."""
    user = this_user()
    if user.has_role(Role.ADMIN):
        return True
    return (
        user.has_role(Role.COACH)
        and db.session.get(CoachAssignment, (user.id, runner.id)) is not None
    )
