"""The access matrix's cases: every URL rule of the app with what each role gets (those of
athletes, features, plans, sessions, … come from the ``matrix_*`` modules). Read by
``test_access_matrix`` and by the hostile-values tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from smartrunning.platform import clock
from tests.access import matrix_athletes, matrix_features
from tests.access.matrix import (
    ADMIN_ONLY_GET,
    COACH_GET,
    Case,
    everyone,
    logged_in,
    own_and_other,
)
from tests.helpers import World


def _days_ago(days: int) -> str:
    """A past date (ISO), whatever the date the suite runs on."""
    return (clock.today() - dt.timedelta(days=days)).isoformat()


def _new_user_form(w: World) -> dict[str, Any]:
    return {"username": "newcoach", "roles": ["coach"], "password": ""}


CASES: list[Case] = [
    *matrix_athletes.CASES,
    Case("GET", "static", lambda w: "/static/css/app.css", everyone(200)),
    Case("GET", "api-docs.openapi_json", lambda w: "/api/openapi.json", everyone(200)),
    Case("GET", "health.healthz", lambda w: "/healthz", everyone(200)),
    Case("GET", "health.readyz", lambda w: "/readyz", everyone(200)),
    Case("GET", "health.livez", lambda w: "/livez", everyone(200)),
    Case("GET", "api_docs_page.docs", lambda w: "/api/docs", everyone(200)),
    Case("GET", "coaching.index", lambda w: "/", logged_in(200, 302, 302)),
    Case("GET", "auth.login", lambda w: "/login", logged_in(302, 302, 302) | {"anonymous": 200}),
    Case(
        "POST",
        "auth.login",
        lambda w: "/login",
        everyone(200),
        form=lambda w: {"username": "nobody", "password": "wrong password!"},
    ),
    Case("POST", "auth.logout", lambda w: "/logout", everyone(302)),
    Case("GET", "auth.change_password", lambda w: "/password", logged_in(200, 200, 200)),
    Case(
        "POST",
        "auth.change_password",
        lambda w: "/password",
        logged_in(200, 200, 200),
        form=lambda w: {"current_password": "nope", "password": "x", "confirm": "y"},
    ),
    Case("GET", "coaching.dashboard", lambda w: "/athletes", COACH_GET),
    Case("GET", "wizard.new", lambda w: "/runners/new", COACH_GET),
    Case(
        "POST",
        "wizard.new",
        lambda w: "/runners/new",
        logged_in(403, 302, 302),
        form=lambda w: {"name": "New One", "birth_date": "1991-02-03", "sex": "m"},
    ),
    Case(
        "GET",
        "athletes.runner_detail",
        lambda w: f"/runners/{w.runner_id}",
        logged_in(200, 200, 200),
        label="own",
    ),
    Case(
        "GET",
        "athletes.runner_detail",
        lambda w: f"/runners/{w.other_runner_id}",
        logged_in(404, 404, 200),
        label="other",
    ),
    Case(
        "GET",
        "athletes.runner_detail",
        lambda w: "/runners/999999",
        logged_in(404, 404, 404),
        label="missing",
    ),
    Case("GET", "admin.dashboard", lambda w: "/admin/", ADMIN_ONLY_GET),
    Case("GET", "admin.user_new", lambda w: "/admin/users/new", ADMIN_ONLY_GET),
    Case(
        "POST",
        "admin.user_new",
        lambda w: "/admin/users/new",
        logged_in(403, 403, 200),
        form=_new_user_form,
    ),
    Case("GET", "admin.user_detail", lambda w: f"/admin/users/{w.other_runner}", ADMIN_ONLY_GET),
    Case(
        "POST",
        "admin.user_roles",
        lambda w: f"/admin/users/{w.other_runner}/roles",
        logged_in(403, 403, 302),
        form=lambda w: {"roles": ["runner", "coach"]},
    ),
    Case(
        "POST",
        "admin.user_reset_password",
        lambda w: f"/admin/users/{w.other_runner}/password",
        logged_in(403, 403, 200),
    ),
    Case(
        "POST",
        "admin.user_active",
        lambda w: f"/admin/users/{w.other_runner}/active",
        logged_in(403, 403, 302),
        form=lambda w: {"active": "0"},
    ),
    Case(
        "POST",
        "admin.user_token_revoke",
        lambda w: f"/admin/users/{w.other_runner}/tokens/999999/revoke",
        logged_in(403, 403, 404),
        label="missing token",
    ),
    Case(
        "POST",
        "admin.assignment_add",
        lambda w: "/admin/assignments",
        logged_in(403, 403, 302),
        form=lambda w: {"runner_id": w.other_runner_id, "coach_id": w.coach},
    ),
    Case(
        "POST",
        "admin.assignment_remove",
        lambda w: "/admin/assignments/remove",
        logged_in(403, 403, 302),
        form=lambda w: {"runner_id": w.other_runner_id, "coach_id": w.other_coach},
    ),
    Case("GET", "api_me.Me", lambda w: "/api/me", logged_in(200, 200, 200)),
    Case(
        "PATCH",
        "api_me.Me",
        lambda w: "/api/me",
        logged_in(200, 200, 200),
        json=lambda w: {"time_zone": "America/New_York", "units": "mi"},
    ),
    Case("GET", "api_runners.Runners", lambda w: "/api/runners", logged_in(200, 200, 200)),
    Case(
        "POST",
        "api_runners.Runners",
        lambda w: "/api/runners",
        logged_in(403, 201, 201),
        json=lambda w: {"name": "Api Runner", "birth_date": "1992-01-01", "sex": "x"},
    ),
    Case(
        "GET",
        "api_runners.RunnerById",
        lambda w: f"/api/runners/{w.runner_id}",
        logged_in(200, 200, 200),
        label="own",
    ),
    Case(
        "GET",
        "api_runners.RunnerById",
        lambda w: f"/api/runners/{w.other_runner_id}",
        logged_in(404, 404, 200),
        label="other",
    ),
    *own_and_other(
        "PATCH",
        "api_runners.RunnerById",
        lambda r, w: f"/api/runners/{r}",
        200,
        json=lambda w: {"name": "Renamed Runner"},
    ),
    # Deleting a runner: their coaches and admins, never the runner themself.
    Case(
        "DELETE",
        "api_runner_deletion.RunnerDeletion",
        lambda w: f"/api/runners/{w.runner_id}",
        logged_in(403, 200, 200),
        json=lambda w: {},
        label="own",
    ),
    Case(
        "DELETE",
        "api_runner_deletion.RunnerDeletion",
        lambda w: f"/api/runners/{w.other_runner_id}",
        logged_in(404, 404, 200),
        json=lambda w: {},
        label="other",
    ),
    Case(
        "GET",
        "coaching.runner_delete",
        lambda w: f"/runners/{w.runner_id}/delete",
        logged_in(403, 200, 200),
        label="own",
    ),
    Case(
        "GET",
        "coaching.runner_delete",
        lambda w: f"/runners/{w.other_runner_id}/delete",
        logged_in(404, 404, 200),
        label="other",
    ),
    Case(
        "POST",
        "coaching.runner_delete",
        lambda w: f"/runners/{w.runner_id}/delete",
        logged_in(403, 302, 302),
        form=lambda w: {"confirm_name": "Rita Runner"},
        label="own",
    ),
    Case(
        "POST",
        "coaching.runner_delete",
        lambda w: f"/runners/{w.other_runner_id}/delete",
        logged_in(404, 404, 302),
        form=lambda w: {"confirm_name": "Otto Other"},
        label="other",
    ),
]

ATHLETE_CASES: list[Case] = [
    *own_and_other("GET", "wizard.resume", lambda r, w: f"/runners/{r}/setup", 302),
    *own_and_other("GET", "wizard.step", lambda r, w: f"/runners/{r}/setup/1", 200),
    *own_and_other(
        "POST",
        "wizard.step",
        lambda r, w: f"/runners/{r}/setup/1",
        302,
        form=lambda w: {"name": "Renamed", "birth_date": "1990-04-02", "sex": "f"},
    ),
    Case(
        "GET",
        "wizard.step",
        lambda w: f"/runners/{w.runner_id}/setup/5",
        logged_in(404, 404, 404),
        label="login step when a login exists",
    ),
    *own_and_other(
        "POST",
        "athletes.parameter_add",
        lambda r, w: f"/runners/{r}/parameters",
        302,
        form=lambda w: {"key": "hrmax_bpm", "value": "191", "valid_from": "2026-02-01"},
    ),
    Case(
        "POST",
        "athletes.parameter_add",
        lambda w: f"/runners/{w.runner_id}/parameters",
        logged_in(403, 302, 302),
        label="coach-only key",
        form=lambda w: {"key": "cs_mps", "value": "4.1", "valid_from": "2026-02-01"},
    ),
    *own_and_other(
        "POST",
        "athletes.best_add",
        lambda r, w: f"/runners/{r}/bests",
        302,
        form=lambda w: {"distance_m": "3000", "time": "11:30", "date": "2026-06-01"},
    ),
    Case(
        "POST",
        "athletes.best_delete",
        lambda w: f"/runners/{w.runner_id}/bests/{w.best_id}/delete",
        logged_in(302, 302, 302),
        label="own",
    ),
    Case(
        "POST",
        "athletes.best_delete",
        lambda w: f"/runners/{w.other_runner_id}/bests/{w.other_best_id}/delete",
        logged_in(404, 404, 302),
        label="other",
    ),
    Case(
        "POST",
        "athletes.best_delete",
        lambda w: f"/runners/{w.runner_id}/bests/{w.other_best_id}/delete",
        logged_in(404, 404, 404),
        label="another runner's best under my id",
    ),
    Case(
        "GET",
        "athletes.best_delete_confirm",
        lambda w: f"/runners/{w.runner_id}/bests/{w.best_id}/delete",
        logged_in(200, 200, 200),
        label="own",
    ),
    Case(
        "GET",
        "athletes.best_delete_confirm",
        lambda w: f"/runners/{w.other_runner_id}/bests/{w.other_best_id}/delete",
        logged_in(404, 404, 200),
        label="other",
    ),
    Case(
        "GET",
        "athletes.best_delete_confirm",
        lambda w: f"/runners/{w.runner_id}/bests/{w.other_best_id}/delete",
        logged_in(404, 404, 404),
        label="another runner's best under my id",
    ),
    Case(
        "POST",
        "athletes.best_restore",
        lambda w: f"/runners/{w.runner_id}/bests/{w.best_id}/restore",
        logged_in(302, 302, 302),
        label="own",
        tags=("deleted",),
    ),
    Case(
        "POST",
        "athletes.best_restore",
        lambda w: f"/runners/{w.other_runner_id}/bests/{w.other_best_id}/restore",
        logged_in(404, 404, 302),
        label="other",
        tags=("deleted",),
    ),
    Case(
        "POST",
        "athletes.best_restore",
        lambda w: f"/runners/{w.runner_id}/bests/{w.other_best_id}/restore",
        logged_in(404, 404, 404),
        label="another runner's best under my id",
        tags=("deleted",),
    ),
    Case(
        "POST",
        "athletes.best_restore",
        lambda w: f"/runners/{w.runner_id}/bests/{w.best_id}/restore",
        logged_in(404, 404, 404),
        label="not deleted",
    ),
    *own_and_other("GET", "api_athletes.Profile", lambda r, w: f"/api/runners/{r}/profile", 200),
    *own_and_other(
        "GET", "api_athletes.Parameters", lambda r, w: f"/api/runners/{r}/parameters", 200
    ),
    *own_and_other(
        "POST",
        "api_athletes.Parameters",
        lambda r, w: f"/api/runners/{r}/parameters",
        201,
        json=lambda w: {"key": "hrrest_bpm", "value": 48, "valid_from": _days_ago(270)},
    ),
    Case(
        "POST",
        "api_athletes.Parameters",
        lambda w: f"/api/runners/{w.runner_id}/parameters",
        logged_in(403, 201, 201),
        label="coach-only key",
        json=lambda w: {
            "key": "critical_speed",
            "value": {"cs_mps": 4.1, "d_prime_m": 220},
            "valid_from": _days_ago(270),
        },
    ),
    *own_and_other(
        "GET",
        "api_athletes.ParameterHistory",
        lambda r, w: f"/api/runners/{r}/parameters/critical_speed",
        200,
    ),
    *own_and_other("GET", "api_athletes.Bests", lambda r, w: f"/api/runners/{r}/bests", 200),
    *own_and_other(
        "POST",
        "api_athletes.Bests",
        lambda r, w: f"/api/runners/{r}/bests",
        201,
        json=lambda w: {"distance_m": 3000, "time": "11:30", "date": _days_ago(180)},
    ),
    Case(
        "DELETE",
        "api_athletes.BestById",
        lambda w: f"/api/runners/{w.runner_id}/bests/{w.best_id}",
        logged_in(204, 204, 204),
        json=lambda w: {},
        label="own",
    ),
    Case(
        "DELETE",
        "api_athletes.BestById",
        lambda w: f"/api/runners/{w.other_runner_id}/bests/{w.other_best_id}",
        logged_in(404, 404, 204),
        json=lambda w: {},
        label="other",
    ),
    Case(
        "POST",
        "api_athletes.BestRestore",
        lambda w: f"/api/runners/{w.runner_id}/bests/{w.best_id}/restore",
        logged_in(204, 204, 204),
        json=lambda w: {},
        label="own",
        tags=("deleted",),
    ),
    Case(
        "POST",
        "api_athletes.BestRestore",
        lambda w: f"/api/runners/{w.other_runner_id}/bests/{w.other_best_id}/restore",
        logged_in(404, 404, 204),
        json=lambda w: {},
        label="other",
        tags=("deleted",),
    ),
    *own_and_other(
        "GET", "api_athletes.Predictions", lambda r, w: f"/api/runners/{r}/predictions", 200
    ),
    Case(
        "POST",
        "api_tools.HrZones",
        lambda w: "/api/tools/hr-zones",
        logged_in(200, 200, 200),
        json=lambda w: {"birth_date": "1990-01-01", "hrmax_bpm": 190},
    ),
    Case(
        "POST",
        "api_tools.CriticalSpeedPreview",
        lambda w: "/api/tools/critical-speed",
        logged_in(200, 200, 200),
        json=lambda w: {"efforts": [{"distance_m": 5000, "time": "20:00", "date": _days_ago(340)}]},
    ),
]
CASES += ATHLETE_CASES + matrix_features.CASES
