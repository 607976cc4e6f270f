"""The workout API: list, get with targets, create from steps or ZWO, update, delete,
import, export, preview; bad input answers 422 with the error shape."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from smartrunning.platform.db import db
from smartrunning.science.zwo import read_zwo
from smartrunning.workouts import imports as workout_imports
from tests.workouts.workout_api import api_client, api_error

pytestmark = pytest.mark.usefixtures("on_written_day")


DATA = Path(__file__).resolve().parent.parent / "data" / "zwo"
STEADY = [{"type": "steady", "duration": 1200, "unit": "s", "intensity": 0.95}]


def test_list_pages_and_filters(app: Flask) -> None:
    _, api = api_client(app)
    with app.app_context():
        workout_imports.load_default_library()
        db.session.commit()
    first = api.get("/api/workouts?page_size=10")
    assert first.status_code == 200
    assert len(first.json) == 10
    assert json.loads(first.headers["X-Pagination"])["total"] == 41
    item = first.json[0]
    assert item["name"] == "10 km pace 4 × 2 km"
    assert item["distance_steps_m"] == pytest.approx(13600)
    assert item["is_default"] is True
    assert item["can_edit"] is False
    assert "structure" not in item
    vo2 = api.get("/api/workouts?tag=kind:vo2max&page_size=100").json
    assert len(vo2) == 5
    assert {w["kind"] for w in vo2} == {"vo2max"}
    assert [w["name"] for w in api.get("/api/workouts?q=COACH").json] == ["Coach tempo"]
    assert api.get("/api/workouts?kind=hills").json[0]["kind"] == "hills"
    assert api.get("/api/workouts?sport=bike").json == []
    api_error(api.get("/api/workouts?sport=swim"), 422)
    api_error(api.get("/api/workouts?page_size=1000"), 422)


def test_create_from_steps_then_get_with_targets_for_a_runner(app: Flask) -> None:
    world, api = api_client(app)
    body = {"name": "Api threshold", "sport": "run", "tags": ["kind:threshold"], "steps": STEADY}
    created = api.send("POST", "/api/workouts", body)
    assert created.status_code == 201, created.json
    data = created.json
    assert data["owner"] == "coach"
    assert data["can_edit"] is True
    assert data["kind"] == "threshold"
    assert data["structure"]["steps"] == STEADY
    # CS 4 m/s from 2026-01-01 for Rita.
    token = api.send(
        "POST",
        f"/api/runners/{world.runner_id}/parameters",
        {"key": "critical_speed", "value": {"cs_mps": 4.0, "d_prime_m": 200},
         "valid_from": "2026-01-01"},
    )  # fmt: skip
    assert token.status_code == 201, token.json
    got = api.get(f"/api/workouts/{data['id']}?runner_id={world.runner_id}&on=2026-06-01").json
    resolved = got["resolved"]
    assert resolved["runner_id"] == world.runner_id
    assert resolved["on"] == "2026-06-01"
    assert resolved["cs_mps"] == pytest.approx(4.0)
    (step,) = resolved["steps"]
    assert step["pace_s_per_km"] == pytest.approx([1000 / 3.8, 1000 / 3.8])
    assert step["distance_m"] == pytest.approx(1200 * 3.8)
    assert resolved["total_duration_s"] == pytest.approx(1200)
    assert resolved["estimated_load"] == pytest.approx(1200 / 3600 * 0.95**2 * 100)
    assert "resolved" not in api.get(f"/api/workouts/{data['id']}").json
    too_early = api.get(f"/api/workouts/{data['id']}?runner_id={world.runner_id}&on=1900-01-01")
    assert api_error(too_early, 422)["details"] == {
        "json": {"on": [too_early.json["error"]["message"]]}
    }


def test_create_from_zwo_text_and_export_it_again(app: Flask) -> None:
    _, api = api_client(app)
    original = (DATA / "tolerant.zwo").read_text(encoding="utf-8")
    created = api.send("POST", "/api/workouts", {"zwo": original})
    assert created.status_code == 201, created.json
    exported = api.get(f"/api/workouts/{created.json['id']}/zwo")
    assert exported.mimetype == "application/xml"
    assert read_zwo(exported.data) == read_zwo(original.encode())


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({}, "_schema"),
        ({"zwo": "<x/>", "steps": STEADY}, "_schema"),
        ({"zwo": (DATA / "billion-laughs.zwo").read_text()}, "zwo"),
        ({"zwo": "<workout_file><name>x</name>"}, "zwo"),
        ({"name": "x", "steps": []}, "steps"),
        ({"name": "x", "steps": [{"type": "sprint"}]}, "steps"),
        ({"name": "x", "steps": [{"type": "steady", "duration": 60}]}, "steps.0.intensity"),
        ({"name": "x", "steps": [{"type": "steady", "bogus": 1}]}, "steps"),
        ({"name": "x", "steps": STEADY, "sport": "swim"}, "sport"),
        ({"name": "", "steps": STEADY}, "name"),
        ({"name": "x", "steps": STEADY, "owner_id": 1}, "owner_id"),
    ],
)
def test_bad_bodies_answer_422_naming_the_field(app: Flask, body: Any, where: str) -> None:
    _, api = api_client(app)
    error = api_error(api.send("POST", "/api/workouts", body), 422)
    assert where in json.dumps(error["details"]), error


def test_a_broken_zwo_names_the_line(app: Flask) -> None:
    _, api = api_client(app)
    body = {"zwo": (DATA / "broken-unknown-element.zwo").read_text()}
    error = api_error(api.send("POST", "/api/workouts", body), 422)
    assert error["message"] == (
        "Not a valid ZWO file: line 7: unknown element <Sprint> in <workout>"
    )


def test_update_and_delete_follow_ownership(app: Flask) -> None:
    world, api = api_client(app)
    body = {"name": "Renamed", "steps": STEADY, "tags": ["kind:easy"]}
    updated = api.send("PUT", f"/api/workouts/{world.workout_id}", body)
    assert updated.status_code == 200
    assert updated.json["name"] == "Renamed"
    assert updated.json["tags"] == ["kind:easy"]
    assert api_error(api.send("PUT", f"/api/workouts/{world.other_workout_id}", body), 403)
    bad = api.send("PUT", f"/api/workouts/{world.workout_id}", {"name": "x", "steps": [{}]})
    api_error(bad, 422)
    assert api.get(f"/api/workouts/{world.workout_id}").json["name"] == "Renamed"
    deleted = api.send("DELETE", f"/api/workouts/{world.workout_id}")
    assert deleted.json == {"result": "deleted"}
    api_error(api.get(f"/api/workouts/{world.workout_id}"), 404)
    api_error(api.send("DELETE", f"/api/workouts/{world.default_workout_id}"), 403)


def test_admin_deleting_a_default_archives_it(app: Flask) -> None:
    world, api = api_client(app, "admin")
    assert api.send("DELETE", f"/api/workouts/{world.default_workout_id}").json == {
        "result": "archived"
    }
    api_error(api.get(f"/api/workouts/{world.default_workout_id}"), 404)


def test_fit_export_needs_a_visible_runner(app: Flask) -> None:
    world, api = api_client(app, "admin")
    api_error(api.get(f"/api/workouts/{world.workout_id}/fit"), 422)
    ok = api.get(f"/api/workouts/{world.workout_id}/fit?runner_id={world.other_runner_id}")
    assert ok.status_code == 200
    assert ok.data[8:12] == b".FIT"
    api_error(api.get(f"/api/workouts/{world.workout_id}/fit?runner_id=999999"), 404)


def test_import_reports_each_file(app: Flask) -> None:
    _, api = api_client(app)
    files = [
        (io.BytesIO((DATA / "distance.zwo").read_bytes()), "distance.zwo"),
        (io.BytesIO((DATA / "xxe-passwd.zwo").read_bytes()), "xxe.zwo"),
    ]
    response = api.send(
        "POST", "/api/workouts/import", data={"files": files}, content_type="multipart/form-data"
    )
    assert response.status_code == 200, response.json
    assert response.json["counts"] == {"imported": 1, "failed": 1}
    assert [f["status"] for f in response.json["files"]] == ["imported", "failed"]
    assert response.json["files"][1]["message"].startswith("line 2: a DTD")
    api_error(api.send("POST", "/api/workouts/import", data={}), 422)


def test_preview_validates_and_charts_without_storing(app: Flask) -> None:
    _, api = api_client(app, "runner")
    steps = [*STEADY, {"type": "steady", "duration": 1000, "unit": "m", "intensity": 1.0}]
    preview = api.send("POST", "/api/workouts/preview", {"steps": steps})
    assert preview.status_code == 200
    data = preview.json
    assert (data["time_steps_s"], data["distance_steps_m"]) == (1200, 1000)
    assert data["chart"]["reference_cs_mps"] == pytest.approx(3.33)
    assert len(data["chart"]["segments"]) == 2
    error = api_error(
        api.send("POST", "/api/workouts/preview", {"steps": [{"type": "steady"}]}), 422
    )
    assert "Step 1" in error["message"]


def test_openapi_documents_the_workout_endpoints(app: Flask) -> None:
    spec = app.test_client().get("/api/openapi.json").json
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/workouts"])
    assert {"get", "put", "delete"} <= set(paths["/api/workouts/{workout_id}"])
    assert "/api/workouts/{workout_id}/zwo" in paths
    assert "StepIn" in spec["components"]["schemas"]


@pytest.mark.parametrize(
    "steps",
    [
        [{**STEADY[0], "attributes": [["Cadence", "90"], ["Cadence", "80"]]}],
        [{**STEADY[0], "attributes": [["Cadence", "90"], ["cadence", "80"]]}],
        [
            {
                **STEADY[0],
                "events": [{"offset": 5, "message": "go", "attributes": [["y", "1"], ["Y", "2"]]}],
            }
        ],
    ],
)
def test_an_attribute_given_twice_is_refused_and_the_library_stays_readable(
    app: Flask, steps: list[dict[str, Any]]
) -> None:
    """Such a workout was stored, then every library read, plan generation included, failed
    on the file it made (XML allows one attribute of a name)."""
    _, api = api_client(app)
    before = api.get("/api/workouts?page_size=100").json
    error = api_error(api.send("POST", "/api/workouts", {"name": "Twice", "steps": steps}), 422)
    assert "twice" in error["message"], error
    listed = api.get("/api/workouts?page_size=100")
    assert listed.status_code == 200
    assert listed.json == before
    assert api.client.get("/workouts").status_code == 200


STANDING_REST = (
    "<workout_file><name>Standing rest</name><sportType>run</sportType><workout>"
    '<Warmup Duration="600" PowerLow="0" PowerHigh="0.8" pace="0"/>'
    '<IntervalsT Repeat="10" OnDuration="40" OffDuration="60" OnPower="1.15" OffPower="0"/>'
    '<SteadyState Duration="120" Power="0"/>'
    "</workout></workout_file>"
)


def test_steps_at_zero_have_no_targets_and_every_view_of_them_works(app: Flask) -> None:
    """A recovery standing still (0 %) and a ramp from standstill divided by zero (page,
    API, watch file and plan generation failed for every runner)."""
    world, api = api_client(app)
    created = api.send("POST", "/api/workouts", {"zwo": STANDING_REST})
    assert created.status_code == 201, created.json
    workout_id = created.json["id"]
    got = api.get(f"/api/workouts/{workout_id}?runner_id={world.runner_id}")
    assert got.status_code == 200, got.get_data(as_text=True)
    steps = got.json["resolved"]["steps"]
    warmup, on, off, still = steps
    assert warmup["pace_s_per_km"] is None  # from standstill: no nominal pace
    assert warmup["pace_range_s_per_km"][0] > 0
    assert warmup["pace_range_s_per_km"][1] is None  # and no slowest one
    assert on["pace_s_per_km"] is not None
    assert warmup["hr_bpm"] is not None  # easy running up to 80 % of CS
    assert off["pace_s_per_km"] is None
    assert off["hr_bpm"] is None
    assert still["pace_s_per_km"] is None
    assert still["hr_bpm"] is None
    page = api.client.get(f"/workouts/{workout_id}?runner_id={world.runner_id}")
    assert page.status_code == 200
    fit = api.get(f"/api/workouts/{workout_id}/fit?runner_id={world.runner_id}")
    assert fit.status_code == 200
    assert fit.data[8:12] == b".FIT"


def test_a_workout_too_big_to_chart_is_refused(app: Flask) -> None:
    _, api = api_client(app)
    block = {"type": "intervals", "repeat": 500, "on_duration": 30, "off_duration": 30,
             "unit": "s", "on_intensity": 1.1, "off_intensity": 0.6}  # fmt: skip
    for body, message in (
        ({"name": "Huge", "steps": [block] * 3}, "at most 2000 segments"),
        ({"name": "Long", "steps": [{**STEADY[0], "duration": 80_000}] * 2}, "at most 24 h"),
    ):
        error = api_error(api.send("POST", "/api/workouts", body), 422)
        assert message in error["message"], error
        preview = api_error(
            api.send("POST", "/api/workouts/preview", {"steps": body["steps"]}), 422
        )
        assert message in preview["message"], preview
    fits = {"steps": [block] * 2}
    assert api.send("POST", "/api/workouts/preview", fits).status_code == 200


def test_a_validation_error_says_what_is_wrong_and_where(app: Flask) -> None:
    """The editor's live preview showed "The request was well-formed but was unable to be
    followed due to semantic errors." for a blank field."""
    _, api = api_client(app)
    body = {"steps": [{"type": "steady", "duration": "", "unit": "s", "intensity": 0.9}]}
    error = api_error(api.send("POST", "/api/workouts/preview", body), 422)
    assert error["message"].startswith("steps.0.duration: "), error
    assert error["details"]["json"]["steps"]["0"]["duration"], error
