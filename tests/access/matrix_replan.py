"""Access matrix cases of weekly re-planning (pages and API, ``plans.replan``).

Whoever sees the runner reads the proposals; the runner's coaches and admins make and
decide (runners 403); another runner's plan answers 404 but to admins. The world's plans
have not started (their race is ~15 weeks ahead), so making one answers the refusal
(422 on the API; a flash and 303 on the page); accepting or rejecting an unknown proposal
answers 404 (the page checks the right to plan first: a runner 403).
"""

from __future__ import annotations

from tests.access.matrix import Case, logged_in
from tests.access.matrix_plans import own_other
from tests.helpers import World

__all__ = ["CASES"]

MISSING = 999_999


def _plan(w: World, key: str) -> int:
    return int(getattr(w, f"{key}plan_id"))


def _page(w: World, k: str) -> str:
    return f"/plans/{_plan(w, k)}/replan"


def _api(w: World, k: str) -> str:
    return f"/api/plans/{_plan(w, k)}/replan"


READ = (logged_in(200, 200, 200), logged_in(404, 404, 200))

CASES: list[Case] = [
    *own_other("GET", "plan_replan.replan_page", _page, *READ),
    *own_other(
        "POST",
        "plan_replan.make_replan",
        _page,
        logged_in(403, 303, 303),
        logged_in(404, 404, 303),
        form=lambda w: {},
    ),
    *own_other(
        "POST",
        "plan_replan.accept_replan",
        lambda w, k: f"{_page(w, k)}/{MISSING}/accept",
        logged_in(403, 404, 404),
        logged_in(404, 404, 404),
        form=lambda w: {},
    ),
    *own_other(
        "POST",
        "plan_replan.reject_replan",
        lambda w, k: f"{_page(w, k)}/{MISSING}/reject",
        logged_in(403, 404, 404),
        logged_in(404, 404, 404),
        form=lambda w: {},
    ),
    *own_other("GET", "api_plan_replan.Replan", _api, *READ),
    *own_other(
        "POST",
        "api_plan_replan.Replan",
        _api,
        logged_in(403, 422, 422),
        logged_in(404, 404, 422),
        json=lambda w: {},
    ),
    *own_other(
        "GET",
        "api_plan_replan.ReplanById",
        lambda w, k: f"{_api(w, k)}/{MISSING}",
        logged_in(404, 404, 404),
        logged_in(404, 404, 404),
    ),
    *own_other(
        "POST",
        "api_plan_replan.AcceptReplan",
        lambda w, k: f"{_api(w, k)}/{MISSING}/accept",
        logged_in(404, 404, 404),
        logged_in(404, 404, 404),
        json=lambda w: {},
    ),
    *own_other(
        "POST",
        "api_plan_replan.RejectReplan",
        lambda w, k: f"{_api(w, k)}/{MISSING}/reject",
        logged_in(404, 404, 404),
        logged_in(404, 404, 404),
        json=lambda w: {},
    ),
]
