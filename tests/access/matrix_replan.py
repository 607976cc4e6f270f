"""Access matrix cases of weekly re-planning (pages and API, ``plans.replan``).

Whoever sees the runner reads the proposals; the runner's coaches and admins make and
decide (runners 403); another runner's plan answers 404 but to admins. The world's plans
have not started (their race is ~15 weeks ahead), so making one answers the refusal
(422 on the API; a flash and 303 on the page); accepting or rejecting an unknown proposal
answers 404 (the page checks the right to plan first: a runner 403).
"""

from __future__ import annotations

from typing import Any

from tests.access.matrix import Case, logged_in
from tests.helpers import World

__all__ = ["CASES"]

PLANS = ("plans",)
MISSING = 999_999


def _plan(w: World, key: str) -> int:
    return int(getattr(w, f"{key}plan_id"))


def _pair(
    method: str,
    endpoint: str,
    path: Any,
    own: dict[str, int | str],
    other: dict[str, int | str],
    **body: Any,
) -> list[Case]:
    return [
        Case(method, endpoint, lambda w: path(w, ""), own, label="own", tags=PLANS, **body),
        Case(
            method, endpoint, lambda w: path(w, "other_"), other, label="other", tags=PLANS, **body
        ),
    ]


def _page(w: World, k: str) -> str:
    return f"/plans/{_plan(w, k)}/replan"


def _api(w: World, k: str) -> str:
    return f"/api/plans/{_plan(w, k)}/replan"


READ = (logged_in(200, 200, 200), logged_in(404, 404, 200))

CASES: list[Case] = [
    *_pair("GET", "plan_replan.replan_page", _page, *READ),
    *_pair(
        "POST",
        "plan_replan.make_replan",
        _page,
        logged_in(403, 303, 303),
        logged_in(404, 404, 303),
        form=lambda w: {},
    ),
    *_pair(
        "POST",
        "plan_replan.accept_replan",
        lambda w, k: f"{_page(w, k)}/{MISSING}/accept",
        logged_in(403, 404, 404),
        logged_in(404, 404, 404),
        form=lambda w: {},
    ),
    *_pair(
        "POST",
        "plan_replan.reject_replan",
        lambda w, k: f"{_page(w, k)}/{MISSING}/reject",
        logged_in(403, 404, 404),
        logged_in(404, 404, 404),
        form=lambda w: {},
    ),
    *_pair("GET", "api_plan_replan.Replan", _api, *READ),
    *_pair(
        "POST",
        "api_plan_replan.Replan",
        _api,
        logged_in(403, 422, 422),
        logged_in(404, 404, 422),
        json=lambda w: {},
    ),
    *_pair(
        "GET",
        "api_plan_replan.ReplanById",
        lambda w, k: f"{_api(w, k)}/{MISSING}",
        logged_in(404, 404, 404),
        logged_in(404, 404, 404),
    ),
    *_pair(
        "POST",
        "api_plan_replan.AcceptReplan",
        lambda w, k: f"{_api(w, k)}/{MISSING}/accept",
        logged_in(404, 404, 404),
        logged_in(404, 404, 404),
        json=lambda w: {},
    ),
    *_pair(
        "POST",
        "api_plan_replan.RejectReplan",
        lambda w, k: f"{_api(w, k)}/{MISSING}/reject",
        logged_in(404, 404, 404),
        logged_in(404, 404, 404),
        json=lambda w: {},
    ),
]
