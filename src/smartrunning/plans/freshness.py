"""Plans follow the runner (issue #15): a plan's pace and HR targets are resolved against
the runner's parameters when it is generated, a day moved, or the targets refreshed. A
parameter that shapes targets (critical speed, heart-rate or pace zones, HRmax, threshold
HR) changed since makes them stale: the plan's page, API and CLI say which changed and
from when, and a refresh resolves every day from today to race day against the parameters
valid on its own date. Workouts, durations, distances and loads stay as planned; days
already past keep the targets they were run to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from smartrunning.athletes import rules
from smartrunning.athletes.models import ParameterKey, ParameterVersion
from smartrunning.notifications import hooks
from smartrunning.plans.basis import plan_day_parameters, stored_line
from smartrunning.plans.models import Plan, PlanDay
from smartrunning.plans.stored import targets_json
from smartrunning.platform.db import db, now_utc
from smartrunning.science.plans.targets import step_targets
from smartrunning.science.zwo import read_zwo

__all__ = [
    "TARGET_KEYS", "Change", "Staleness", "day_targets", "notify_stale", "plan_basis",
    "refresh_targets", "staleness",
]  # fmt: skip

TARGET_KEYS = (
    ParameterKey.CRITICAL_SPEED,
    ParameterKey.HR_ZONES,
    ParameterKey.PACE_ZONES,
    ParameterKey.HRMAX,
    ParameterKey.THRESHOLD_HR,
)
"""The parameters a day's pace and HR targets are computed from."""

_LABELS = {
    ParameterKey.CRITICAL_SPEED: "critical speed",
    ParameterKey.HR_ZONES: "heart-rate zones",
    ParameterKey.PACE_ZONES: "pace zones",
    ParameterKey.HRMAX: "maximum heart rate",
    ParameterKey.THRESHOLD_HR: "threshold heart rate",
}


@dataclass(frozen=True, slots=True)
class Change:
    """A parameter that changed after the targets were resolved: what, valid from when."""

    key: ParameterKey
    valid_from: dt.date

    @property
    def label(self) -> str:
        return _LABELS[self.key]

    def as_json(self) -> dict[str, str]:
        return {"parameter": str(self.key), "label": self.label, "valid_from": str(self.valid_from)}


@dataclass(frozen=True, slots=True)
class Staleness:
    """Whether a plan's targets are stale: the changes since ``resolved_at``."""

    resolved_at: dt.datetime
    changes: tuple[Change, ...]

    @property
    def stale(self) -> bool:
        return bool(self.changes)

    def message(self) -> str:
        """A sentence for people ("" when fresh)."""
        if not self.changes:
            return ""
        what = ", ".join(f"{c.label} from {c.valid_from:%d %b %Y}" for c in self.changes)
        return (
            f"The runner's parameters changed after these targets were set "
            f"({self.resolved_at:%d %b %Y}): {what}. Refresh the targets so the paces and "
            "heart rates from today on follow them."
        )


def staleness(plan: Plan, today: dt.date) -> Staleness:
    """The target-shaping parameter versions made after the plan's targets were resolved
    that apply before its race (none once the race is past). One query."""
    resolved = plan.targets_resolved_at or plan.generated_at
    if plan.race_date < today:
        return Staleness(resolved, ())
    rows = db.session.execute(
        sa.select(ParameterVersion.key, sa.func.min(ParameterVersion.valid_from))
        .where(
            ParameterVersion.runner_id == plan.runner_id,
            ParameterVersion.key.in_(TARGET_KEYS),
            ParameterVersion.created_at > resolved,
            ParameterVersion.valid_from <= plan.race_date,
        )
        .group_by(ParameterVersion.key)
        .order_by(sa.func.min(ParameterVersion.valid_from))
    ).all()
    return Staleness(resolved, tuple(Change(ParameterKey(k), v) for k, v in rows))


def day_targets(plan: Plan, day: PlanDay) -> list[dict[str, Any]]:
    """The pace and HR targets of ``day``'s workout (it has one: ``day.zwo``) from the
    runner's parameters valid on its date, as stored."""
    params = plan_day_parameters(plan.runner, day.date, stored_line(plan_basis(plan)))
    return targets_json(step_targets(read_zwo(day.zwo.encode("utf-8")), params))


def plan_basis(plan: Plan) -> dict[str, Any]:
    """What the plan's targets rest on as stored (``plans.basis``; {} for older plans)."""
    return dict((plan.projection or {}).get("basis") or {})


def refresh_targets(plan: Plan, today: dt.date) -> int:
    """Resolve the targets of every day from ``today`` on against the parameters valid on
    its date; the number of days whose targets changed. The caller commits."""
    changed = 0
    for day in plan.days:
        if day.date < today or not day.zwo:
            continue
        targets = day_targets(plan, day)
        if targets != day.targets:
            day.targets = targets
            changed += 1
    plan.targets_resolved_at = now_utc()
    db.session.flush()
    return changed


def notify_stale(today: dt.date) -> int:
    """Tell the coaches of every runner whose plan (race not yet run) has stale targets
    (``hooks.plan_stale``, once per plan and change); how many plans. Commits."""
    plans = db.session.execute(
        sa.select(Plan).where(Plan.race_date >= today).order_by(Plan.id)
    ).scalars()
    told = 0
    for plan in plans:
        found = staleness(plan, today)
        if not found.stale:
            continue
        coaches = rules.coach_ids(plan.runner_id)
        latest = max(c.valid_from for c in found.changes)
        hooks.plan_stale(
            coaches, plan.runner.name, found.message(), f"/plans/{plan.id}#stale-from-{latest}"
        )
        told += 1
    db.session.commit()
    return told
