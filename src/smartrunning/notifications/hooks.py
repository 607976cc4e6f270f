"""Notifications other features send, by name: each takes the people to tell (user ids:
the runner's login and coaches, which the caller knows) and what happened.

Wired so far: missed sessions (``feedback.tasks``, each morning for the day before) and
suggested parameter changes (``athletes.bests``, a fitted or estimated CS offered while a
person's value is in force: the runner's coaches, once per day it is suggested from) and
plans gone stale (``plans.tasks``, each morning: the coaches, once per plan and change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from smartrunning.notifications.actions import notify
from smartrunning.notifications.models import NotificationKind
from smartrunning.platform.display import DisplayPrefs

__all__ = [
    "day_marked",
    "missed_session",
    "parameter_suggestion",
    "plan_replanned",
    "plan_stale",
    "replan_proposed",
    "running_over_plan",
]


def missed_session(
    user_ids: Iterable[int], runner_name: str, day: dt.date, workout: str, link: str
) -> list[int]:
    """A planned session of ``day`` has no session recorded (told once per day and link)."""
    return notify(
        user_ids,
        NotificationKind.MISSED_SESSION,
        f"{runner_name} missed {workout or 'a planned session'} on {day:%a %d %b}",
        link=link,
        once=True,
    )


def day_marked(
    user_ids: Iterable[int], runner_name: str, day: dt.date, said: str, link: str
) -> list[int]:
    """A runner marked a planned day (done, partly done, skipped) themselves; ``said``: the
    mark in words with its reason. Told as a comment (the coach's comments setting)."""
    return notify(
        user_ids,
        NotificationKind.COMMENT,
        f"{runner_name} marked {day:%a %d %b}: {said}"[:200],
        link=link,
    )


def parameter_suggestion(
    user_ids: Iterable[int],
    runner_name: str,
    suggestion: str | Callable[[DisplayPrefs], str],
    link: str,
) -> list[int]:
    """A parameter change is suggested (e.g. a new critical speed from recent sessions);
    ``suggestion`` may be made in each recipient's units (``notify``'s ``body``)."""
    return notify(
        user_ids,
        NotificationKind.PARAMETER_SUGGESTION,
        f"Suggested change for {runner_name}",
        body=suggestion,
        link=link,
        once=True,
    )


def plan_stale(user_ids: Iterable[int], runner_name: str, reason: str, link: str) -> list[int]:
    """A runner's plan no longer fits what they did (e.g. weeks behind, fitness changed)."""
    return notify(
        user_ids,
        NotificationKind.STALE_PLAN,
        f"{runner_name}'s plan needs a look",
        body=reason,
        link=link,
        once=True,
    )


def replan_proposed(
    user_ids: Iterable[int], runner_name: str, summary: str, link: str
) -> list[int]:
    """The weekly re-plan proposes changes to a runner's plan (``plans.replan``): the
    coaches, to accept or reject them (told as a plan that needs a look)."""
    return notify(
        user_ids,
        NotificationKind.STALE_PLAN,
        f"Re-plan proposed for {runner_name}",
        body=summary,
        link=link,
        once=True,
    )


def running_over_plan(user_ids: Iterable[int], runner_name: str, note: str, link: str) -> list[int]:
    """The weekly re-plan found a runner's last weeks persistently over plan and proposes
    no change (``plans.replan``): the coaches, with the weeks in words (told as a plan that
    needs a look, once per link: the link names the week)."""
    return notify(
        user_ids,
        NotificationKind.STALE_PLAN,
        f"{runner_name} is running over plan"[:200],
        body=note,
        link=link,
        once=True,
    )


def plan_replanned(user_ids: Iterable[int], runner_name: str, changes: str, link: str) -> list[int]:
    """A coach accepted re-planned weeks (``plans.replan``): the runner, with the changes in
    words (told as a comment from the coach)."""
    return notify(
        user_ids,
        NotificationKind.COMMENT,
        f"Your plan was re-planned, {runner_name}"[:200],
        body=changes,
        link=link,
    )
