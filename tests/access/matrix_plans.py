"""Access matrix cases of training plans (pages and API).

Everyone who sees a runner sees their plans (another runner's plan answers 404 but to
admins); coaches of the runner and admins generate, edit, regenerate and delete (runners
403: a runner may not delete the plan their coach made);
the calendar's edits (add, move, copy a week) are the coaches' and admins', skipping a day
with a reason everyone's who sees the runner; the iCalendar feed is public at its secret
URL (an unknown token 404); plan templates (the JSON editor and the form) are for coaches
and admins, a coach editing only their own.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from typing import Any

from smartrunning.plans import template_form
from tests.access.matrix import COACH_GET, Case, everyone, logged_in
from tests.helpers import PLAN_RACE_DATE, World

__all__ = ["CASES"]

PLANS = ("plans",)


def _generate(w: World) -> dict[str, Any]:
    return {
        "schema_id": w.default_schema_id,
        "race_date": PLAN_RACE_DATE.isoformat(),
        "distance_m": "10000",
        "weeks": "4",
        "training_days": ["1", "3", "5", "6"],
        "long_run_day": "6",
        "sessions_per_week": "4",
    }


def _edit(w: World) -> dict[str, Any]:
    return {"duration_min": "42", "notes": "Matrix edit"}


def _add(w: World) -> dict[str, Any]:
    return {
        "date": (PLAN_RACE_DATE - dt.timedelta(days=10)).isoformat(),
        "workout_id": str(w.default_workout_id),
    }


def _move(w: World) -> dict[str, Any]:
    return {"date": (PLAN_RACE_DATE - dt.timedelta(days=9)).isoformat()}


def _copy(w: World) -> dict[str, Any]:
    return {
        "from": (PLAN_RACE_DATE - dt.timedelta(days=21)).isoformat(),
        "to": (PLAN_RACE_DATE - dt.timedelta(days=14)).isoformat(),
    }


def _api_add(w: World) -> dict[str, Any]:
    return {**_add(w), "workout_id": w.default_workout_id}


def _schema_form(w: World) -> dict[str, Any]:
    body = json.loads((files("smartrunning.data") / "plans" / "5k.json").read_text("utf-8"))
    return {"body": json.dumps({**body, "name": "Matrix schema"})}


def _template_form(w: World) -> dict[str, Any]:
    body = json.loads(_schema_form(w)["body"])
    form = template_form.form_from_template({**body, "name": "Matrix form template"})
    return {**template_form.post_fields(form), "action": "save"}


def _api_schema(w: World) -> dict[str, Any]:
    return {"body": json.loads(_schema_form(w)["body"])}


def _api_generate(w: World) -> dict[str, Any]:
    return {
        "schema_id": w.default_schema_id,
        "race_date": PLAN_RACE_DATE.isoformat(),
        "distance_m": 10000,
        "weeks": 4,
    }


def own_other(
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


def _runner(w: World, key: str) -> int:
    return int(getattr(w, f"{key}runner_id"))


def _plan(w: World, key: str) -> int:
    return int(getattr(w, f"{key}plan_id"))


def _day(w: World, key: str) -> str:
    return f"/plans/{_plan(w, key)}/days/{getattr(w, f'{key}plan_day_id')}"


READ = (logged_in(200, 200, 200), logged_in(404, 404, 200))


def _write(success: int) -> tuple[dict[str, int | str], dict[str, int | str]]:
    return logged_in(403, success, success), logged_in(404, 404, success)


CASES: list[Case] = [
    *own_other("GET", "plans.runner_plans", lambda w, k: f"/runners/{_runner(w, k)}/plans", *READ),
    *own_other(
        "POST",
        "plans.runner_plans",
        lambda w, k: f"/runners/{_runner(w, k)}/plans",
        *_write(302),
        form=_generate,
    ),
    *own_other("GET", "plans.plan_detail", lambda w, k: f"/plans/{_plan(w, k)}", *READ),
    Case(
        "GET",
        "plans.plan_detail",
        lambda w: "/plans/999999",
        logged_in(404, 404, 404),
        label="missing",
    ),
    *own_other(
        "POST",
        "plans.rotate_feed",
        lambda w, k: f"/plans/{_plan(w, k)}/feed",
        logged_in(303, 303, 303),
        logged_in(404, 404, 303),
        form=lambda w: {},
    ),
    *own_other(
        "POST",
        "plans.refresh_targets",
        lambda w, k: f"/plans/{_plan(w, k)}/refresh-targets",
        *_write(303),
        form=lambda w: {},
    ),
    *own_other(
        "POST",
        "plans.regenerate",
        lambda w, k: f"/plans/{_plan(w, k)}/regenerate",
        *_write(303),
        form=lambda w: {"keep_edited": "1"},
    ),
    *own_other(
        "GET", "plans.delete_plan", lambda w, k: f"/plans/{_plan(w, k)}/delete", *_write(200)
    ),
    *own_other(
        "POST",
        "plans.delete_plan",
        lambda w, k: f"/plans/{_plan(w, k)}/delete",
        *_write(303),
        form=lambda w: {},
    ),
    Case(
        "POST",
        "plans.delete_plan",
        lambda w: "/plans/999999/delete",
        logged_in(404, 404, 404),
        form=lambda w: {},
        label="missing",
        tags=PLANS,
    ),
    *own_other("GET", "plans.edit_day", lambda w, k: _day(w, k) + "/edit", *_write(200)),
    *own_other(
        "POST", "plans.edit_day", lambda w, k: _day(w, k) + "/edit", *_write(302), form=_edit
    ),
    *own_other("GET", "plans.day_zwo", lambda w, k: _day(w, k) + ".zwo", *READ),
    *own_other("GET", "plans.day_fit", lambda w, k: _day(w, k) + ".fit", *READ),
    *own_other(
        "POST",
        "plans.calendar_add",
        lambda w, k: f"/plans/{_plan(w, k)}/calendar/add",
        *_write(303),
        form=_add,
    ),
    *own_other(
        "POST", "plans.move_day", lambda w, k: _day(w, k) + "/move", *_write(303), form=_move
    ),
    *own_other(
        "POST",
        "plans.copy_week",
        lambda w, k: f"/plans/{_plan(w, k)}/weeks/copy",
        *_write(303),
        form=_copy,
    ),
    *own_other(
        "POST",
        "plans.skip_day",
        lambda w, k: _day(w, k) + "/skip",
        logged_in(303, 303, 303),
        logged_in(404, 404, 303),
        form=lambda w: {"reason": "Sore calf"},
    ),
    *own_other(
        "POST",
        "plans.mark_day",
        lambda w, k: _day(w, k) + "/mark",
        logged_in(303, 303, 303),
        logged_in(404, 404, 303),
        form=lambda w: {"mark": "partly", "reason": "Calf tight"},
    ),
    Case(
        "GET",
        "plans.ics_feed",
        lambda w: f"/plans/ics/{w.ics_token}.ics",
        everyone(200),
        tags=PLANS,
    ),
    Case(
        "GET",
        "plans.ics_feed",
        lambda w: "/plans/ics/not-a-token.ics",
        everyone(404),
        label="unknown",
        tags=PLANS,
    ),
    Case("GET", "plan_schemas.schema_list", lambda w: "/plans/schemas", COACH_GET, tags=PLANS),
    Case("GET", "plan_schemas.schema_new", lambda w: "/plans/schemas/new", COACH_GET),
    Case(
        "POST",
        "plan_schemas.schema_new",
        lambda w: "/plans/schemas/new",
        logged_in(403, 302, 302),
        form=_schema_form,
    ),
    Case(
        "GET",
        "plan_schemas.schema_edit",
        lambda w: f"/plans/schemas/{w.default_schema_id}",
        COACH_GET,
        tags=PLANS,
    ),
    Case(
        "POST",
        "plan_schemas.schema_edit",
        lambda w: f"/plans/schemas/{w.schema_id}",
        logged_in(403, 302, 302),
        form=_schema_form,
        label="own",
        tags=PLANS,
    ),
    Case(
        "POST",
        "plan_schemas.schema_edit",
        lambda w: f"/plans/schemas/{w.other_schema_id}",
        logged_in(403, 403, 302),
        form=_schema_form,
        label="another coach's",
        tags=PLANS,
    ),
    # The plan-template form (the same access as the JSON editor).
    Case("GET", "plan_schemas.template_form_new", lambda w: "/plans/templates/new", COACH_GET),
    Case(
        "POST",
        "plan_schemas.template_form_new",
        lambda w: "/plans/templates/new",
        logged_in(403, 302, 302),
        form=_template_form,
    ),
    Case(
        "GET",
        "plan_schemas.template_form_edit",
        lambda w: f"/plans/templates/{w.default_schema_id}",
        COACH_GET,
        tags=PLANS,
    ),
    Case(
        "GET",
        "plan_schemas.template_form_edit",
        lambda w: "/plans/templates/999999",
        logged_in(403, 404, 404),
        label="missing",
    ),
    Case(
        "POST",
        "plan_schemas.template_form_edit",
        lambda w: f"/plans/templates/{w.schema_id}",
        logged_in(403, 302, 302),
        form=_template_form,
        label="own",
        tags=PLANS,
    ),
    Case(
        "POST",
        "plan_schemas.template_form_edit",
        lambda w: f"/plans/templates/{w.other_schema_id}",
        logged_in(403, 403, 302),
        form=_template_form,
        label="another coach's",
        tags=PLANS,
    ),
    # The API.
    Case("GET", "api_plans.Schemas", lambda w: "/api/plan-schemas", COACH_GET, tags=PLANS),
    Case(
        "POST",
        "api_plans.Schemas",
        lambda w: "/api/plan-schemas",
        logged_in(403, 201, 201),
        json=_api_schema,
    ),
    Case(
        "GET",
        "api_plans.SchemaById",
        lambda w: f"/api/plan-schemas/{w.default_schema_id}",
        COACH_GET,
        tags=PLANS,
    ),
    Case(
        "PUT",
        "api_plans.SchemaById",
        lambda w: f"/api/plan-schemas/{w.schema_id}",
        logged_in(403, 200, 200),
        json=_api_schema,
        label="own",
        tags=PLANS,
    ),
    Case(
        "PUT",
        "api_plans.SchemaById",
        lambda w: f"/api/plan-schemas/{w.other_schema_id}",
        logged_in(403, 403, 200),
        json=_api_schema,
        label="another coach's",
        tags=PLANS,
    ),
    *own_other(
        "GET", "api_plans.RunnerPlans", lambda w, k: f"/api/runners/{_runner(w, k)}/plans", *READ
    ),
    *own_other(
        "POST",
        "api_plans.RunnerPlans",
        lambda w, k: f"/api/runners/{_runner(w, k)}/plans",
        *_write(201),
        json=_api_generate,
    ),
    *own_other("GET", "api_plans.PlanById", lambda w, k: f"/api/plans/{_plan(w, k)}", *READ),
    *own_other(
        "POST",
        "api_plans.RefreshTargets",
        lambda w, k: f"/api/plans/{_plan(w, k)}/refresh-targets",
        *_write(200),
        json=lambda w: {},
    ),
    *own_other(
        "DELETE",
        "api_plans.PlanById",
        lambda w, k: f"/api/plans/{_plan(w, k)}",
        *_write(204),
        json=lambda w: {},
    ),
    Case(
        "DELETE",
        "api_plans.PlanById",
        lambda w: "/api/plans/999999",
        logged_in(404, 404, 404),
        json=lambda w: {},
        label="missing",
        tags=PLANS,
    ),
    *own_other(
        "PATCH",
        "api_plans.DayById",
        lambda w, k: "/api" + _day(w, k),
        *_write(200),
        json=lambda w: {"notes": "API edit", "duration_s": 2400},
    ),
    *own_other(
        "GET", "api_plans.Calendar", lambda w, k: f"/api/plans/{_plan(w, k)}/calendar", *READ
    ),
    *own_other(
        "POST",
        "api_plans.Days",
        lambda w, k: f"/api/plans/{_plan(w, k)}/days",
        *_write(201),
        json=_api_add,
    ),
    *own_other(
        "POST",
        "api_plans.MoveDay",
        lambda w, k: "/api" + _day(w, k) + "/move",
        *_write(200),
        json=_move,
    ),
    *own_other(
        "POST",
        "api_plans.CopyWeek",
        lambda w, k: f"/api/plans/{_plan(w, k)}/weeks/copy",
        *_write(200),
        json=_copy,
    ),
    *own_other(
        "POST",
        "api_plans.SkipDay",
        lambda w, k: "/api" + _day(w, k) + "/skip",
        logged_in(200, 200, 200),
        logged_in(404, 404, 200),
        json=lambda w: {"reason": "Sore calf"},
    ),
    *own_other(
        "DELETE",
        "api_plans.SkipDay",
        lambda w, k: "/api" + _day(w, k) + "/skip",
        logged_in(200, 200, 200),
        logged_in(404, 404, 200),
        json=lambda w: {},
    ),
    *own_other(
        "POST",
        "api_plans.MarkDay",
        lambda w, k: "/api" + _day(w, k) + "/mark",
        logged_in(200, 200, 200),
        logged_in(404, 404, 200),
        json=lambda w: {"mark": "done", "duration_s": 1800},
    ),
    *own_other(
        "DELETE",
        "api_plans.MarkDay",
        lambda w, k: "/api" + _day(w, k) + "/mark",
        logged_in(200, 200, 200),
        logged_in(404, 404, 200),
        json=lambda w: {},
    ),
]
