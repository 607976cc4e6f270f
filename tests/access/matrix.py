"""The access matrix's vocabulary: a case per endpoint (and variant), expected per role.

Feature modules list their cases in ``tests/access/matrix_<feature>.py`` as ``CASES``;
``test_access_matrix`` gathers them and fails when any URL rule has no case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.helpers import World

__all__ = [
    "ADMIN_ONLY_GET",
    "COACH_GET",
    "LOGIN",
    "PRINCIPALS",
    "Case",
    "everyone",
    "logged_in",
    "own_and_other",
]

PRINCIPALS = ("anonymous", "runner", "coach", "admin")
LOGIN = "login"  # redirect to the login page (pages) or 401 (API)


@dataclass(frozen=True)
class Case:
    method: str
    endpoint: str
    path: Callable[[World], str]
    expect: dict[str, int | str]
    form: Callable[[World], dict[str, Any]] | None = None
    json: Callable[[World], dict[str, Any]] | None = None
    label: str = ""
    tags: tuple[str, ...] = field(default=())

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}{' ' + self.label if self.label else ''}"


def everyone(status: int) -> dict[str, int | str]:
    return dict.fromkeys(PRINCIPALS, status)


def logged_in(runner: int | str, coach: int | str, admin: int | str) -> dict[str, int | str]:
    return {"anonymous": LOGIN, "runner": runner, "coach": coach, "admin": admin}


ADMIN_ONLY_GET = logged_in(403, 403, 200)
COACH_GET = logged_in(403, 200, 200)


def own_and_other(
    method: str,
    endpoint: str,
    path: Callable[[int, World], str],
    success: int,
    **body: Callable[[World], dict[str, Any]],
) -> list[Case]:
    """A runner's resource: the runner's own (all succeed) and another's (404 but admin)."""
    return [
        Case(
            method,
            endpoint,
            lambda w: path(w.runner_id, w),
            logged_in(success, success, success),
            label="own",
            **body,  # type: ignore[arg-type]
        ),
        Case(
            method,
            endpoint,
            lambda w: path(w.other_runner_id, w),
            logged_in(404, 404, success),
            label="other",
            **body,  # type: ignore[arg-type]
        ),
    ]
