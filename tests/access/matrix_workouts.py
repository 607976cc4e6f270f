"""Access matrix cases of the workout library (pages and API).

Everyone logged in reads the library; coaches and admins create, import and copy;
admins edit everything, a coach only their own workouts (never the defaults); a workout
is resolved only for a runner the user may see (another runner's id answers 404).
"""

from __future__ import annotations

import io
import json
from typing import Any

from tests.access.matrix import COACH_GET, Case, logged_in, own_and_other
from tests.helpers import World

__all__ = ["CASES"]

EVERYONE_IN = logged_in(200, 200, 200)
ZWO = b"""<workout_file><name>Matrix upload</name><sportType>run</sportType>
<workout><SteadyState Duration="600" Power="0.8"/></workout></workout_file>"""
STEPS = [{"type": "steady", "duration": 900, "unit": "s", "intensity": 0.85}]


def _editor_form(w: World) -> dict[str, Any]:
    return {"name": "Matrix steady", "sport": "run", "tags": "kind:easy", "steps": _steps_json()}


def _steps_json() -> str:
    return json.dumps(STEPS)


def _upload(w: World) -> dict[str, Any]:
    return {"files": (io.BytesIO(ZWO), "matrix.zwo")}


def _api_body(w: World) -> dict[str, Any]:
    return {"name": "Api steady", "sport": "run", "steps": STEPS}


CASES: list[Case] = [
    Case("GET", "workouts.library", lambda w: "/workouts", EVERYONE_IN),
    Case("GET", "workouts.detail", lambda w: f"/workouts/{w.workout_id}", EVERYONE_IN),
    *own_and_other(
        "GET",
        "workouts.detail",
        lambda r, w: f"/workouts/{w.default_workout_id}?runner_id={r}",
        200,
    ),
    Case(
        "GET",
        "workouts.detail",
        lambda w: "/workouts/999999",
        logged_in(404, 404, 404),
        label="missing",
    ),
    Case("GET", "workouts.new", lambda w: "/workouts/new", COACH_GET),
    Case(
        "POST",
        "workouts.new",
        lambda w: "/workouts/new",
        logged_in(403, 302, 302),
        form=_editor_form,
    ),
    Case(
        "GET",
        "workouts.edit",
        lambda w: f"/workouts/{w.workout_id}/edit",
        logged_in(403, 200, 200),
        label="own",
    ),
    Case(
        "GET",
        "workouts.edit",
        lambda w: f"/workouts/{w.other_workout_id}/edit",
        logged_in(403, 403, 200),
        label="another coach's",
    ),
    Case(
        "GET",
        "workouts.edit",
        lambda w: f"/workouts/{w.default_workout_id}/edit",
        logged_in(403, 403, 200),
        label="default",
    ),
    Case(
        "POST",
        "workouts.edit",
        lambda w: f"/workouts/{w.workout_id}/edit",
        logged_in(403, 302, 302),
        form=_editor_form,
    ),
    Case(
        "POST",
        "workouts.delete",
        lambda w: f"/workouts/{w.workout_id}/delete",
        logged_in(403, 302, 302),
        label="own",
    ),
    Case(
        "POST",
        "workouts.delete",
        lambda w: f"/workouts/{w.default_workout_id}/delete",
        logged_in(403, 403, 302),
        label="default",
    ),
    Case(
        "POST",
        "workouts.copy",
        lambda w: f"/workouts/{w.default_workout_id}/copy",
        logged_in(403, 302, 302),
    ),
    Case("GET", "workouts.import_files", lambda w: "/workouts/import", COACH_GET),
    Case(
        "POST",
        "workouts.import_files",
        lambda w: "/workouts/import",
        logged_in(403, 200, 200),
        form=_upload,
    ),
    Case(
        "GET",
        "workouts.download_zwo",
        lambda w: f"/workouts/{w.other_workout_id}/download.zwo",
        EVERYONE_IN,
    ),
    *own_and_other(
        "GET",
        "workouts.download_zwo",
        lambda r, w: f"/workouts/{w.workout_id}/download.zwo?runner_id={r}&on=2026-06-01",
        200,
    ),
    *own_and_other(
        "GET",
        "workouts.download_fit",
        lambda r, w: f"/workouts/{w.workout_id}/download.fit?runner_id={r}",
        200,
    ),
    Case(
        "GET",
        "api_workouts.Workouts",
        lambda w: "/api/workouts?tag=kind:tempo",
        EVERYONE_IN,
    ),
    Case(
        "POST",
        "api_workouts.Workouts",
        lambda w: "/api/workouts",
        logged_in(403, 201, 201),
        json=_api_body,
    ),
    Case("GET", "api_workouts.WorkoutById", lambda w: f"/api/workouts/{w.workout_id}", EVERYONE_IN),
    *own_and_other(
        "GET",
        "api_workouts.WorkoutById",
        lambda r, w: f"/api/workouts/{w.workout_id}?runner_id={r}&on=2026-06-01",
        200,
    ),
    Case(
        "GET",
        "api_workouts.WorkoutById",
        lambda w: "/api/workouts/999999",
        logged_in(404, 404, 404),
        label="missing",
    ),
    Case(
        "PUT",
        "api_workouts.WorkoutById",
        lambda w: f"/api/workouts/{w.workout_id}",
        logged_in(403, 200, 200),
        json=_api_body,
        label="own",
    ),
    Case(
        "PUT",
        "api_workouts.WorkoutById",
        lambda w: f"/api/workouts/{w.other_workout_id}",
        logged_in(403, 403, 200),
        json=_api_body,
        label="another coach's",
    ),
    Case(
        "DELETE",
        "api_workouts.WorkoutById",
        lambda w: f"/api/workouts/{w.workout_id}",
        logged_in(403, 200, 200),
        json=lambda w: {},
        label="own",
    ),
    Case(
        "DELETE",
        "api_workouts.WorkoutById",
        lambda w: f"/api/workouts/{w.default_workout_id}",
        logged_in(403, 403, 200),
        json=lambda w: {},
        label="default",
    ),
    Case(
        "GET",
        "api_workouts.WorkoutZwo",
        lambda w: f"/api/workouts/{w.default_workout_id}/zwo",
        EVERYONE_IN,
    ),
    *own_and_other(
        "GET",
        "api_workouts.WorkoutZwo",
        lambda r, w: f"/api/workouts/{w.workout_id}/zwo?runner_id={r}",
        200,
    ),
    *own_and_other(
        "GET",
        "api_workouts.WorkoutFit",
        lambda r, w: f"/api/workouts/{w.workout_id}/fit?runner_id={r}",
        200,
    ),
    Case(
        "POST",
        "api_workouts.WorkoutImport",
        lambda w: "/api/workouts/import",
        logged_in(403, 200, 200),
        form=_upload,
    ),
    Case(
        "POST",
        "api_workouts.WorkoutPreview",
        lambda w: "/api/workouts/preview",
        EVERYONE_IN,
        json=lambda w: {"sport": "run", "steps": STEPS},
    ),
]
