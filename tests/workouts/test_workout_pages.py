"""The workout pages: ZWO round trip through the web, the editor, import, downloads."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from garmin_fit_sdk import Decoder, Stream

from smartrunning.platform.db import db
from smartrunning.science.zwo import read_zwo
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import imports as workout_imports
from smartrunning.workouts.models import Workout
from tests.helpers import World, csrf_token, login, make_world, post_form

DATA = Path(__file__).resolve().parent.parent / "data" / "zwo"
STEPS = [
    {"type": "warmup", "duration": 600, "unit": "s", "intensity_start": 0.6, "intensity_end": 0.8},
    {"type": "intervals", "repeat": 5, "on_duration": 1000, "off_duration": 400, "unit": "m",
     "on_intensity": 1.08, "off_intensity": 0.65},
]  # fmt: skip


def _text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def _count() -> int:
    return int(db.session.execute(sa.select(sa.func.count()).select_from(Workout)).scalar_one())


def _upload(client: FlaskClient, *files: tuple[str, bytes]) -> Any:
    token = csrf_token(client, "/workouts/import")
    data: dict[str, Any] = {"csrf_token": token, "files": [(io.BytesIO(b), n) for n, b in files]}
    return client.post("/workouts/import", data=data, content_type="multipart/form-data")


def _coach(app: Flask) -> tuple[World, FlaskClient]:
    world = make_world(app)
    client = app.test_client()
    assert login(client, "coach").status_code == 302
    return world, client


@pytest.mark.parametrize("name", ["tolerant.zwo", "distance.zwo", "mixed-units.zwo"])
def test_zwo_round_trip_through_the_web_gives_the_same_workout(app: Flask, name: str) -> None:
    _, client = _coach(app)
    original = (DATA / name).read_bytes()
    report = _upload(client, (name, original))
    assert report.status_code == 200
    assert "1 imported" in _text(report)
    with app.app_context():
        workout_id = db.session.execute(
            sa.select(Workout.id).where(Workout.name == read_zwo(original).name)
        ).scalar_one()
    exported = client.get(f"/workouts/{workout_id}/download.zwo")
    assert exported.status_code == 200
    assert exported.mimetype == "application/xml"
    assert "attachment" in exported.headers["Content-Disposition"]
    assert read_zwo(exported.data) == read_zwo(original)
    again = _upload(client, (name, exported.data))
    assert "1 already in the library" in _text(again)


def test_import_page_reports_each_file_and_never_half_imports(app: Flask) -> None:
    _, client = _coach(app)
    with app.app_context():
        before = _count()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("good.zwo", (DATA / "distance.zwo").read_bytes())
        archive.writestr("bad.zwo", (DATA / "broken-unknown-element.zwo").read_bytes())
    response = _upload(
        client,
        ("set.zip", buffer.getvalue()),
        ("xxe.zwo", (DATA / "xxe-passwd.zwo").read_bytes()),
    )
    page = _text(response)
    assert response.status_code == 200
    assert "set.zip/good.zwo" in page
    assert "10 x 400 m" in page
    assert "line 7: unknown element &lt;Sprint&gt; in &lt;workout&gt;" in page
    assert "line 2: a DTD" in page
    assert "1 imported, 0 already in the library, 2 failed" in page
    with app.app_context():
        assert _count() == before + 1


def test_import_without_files_asks_for_some(app: Flask) -> None:
    _, client = _coach(app)
    response = post_form(client, "/workouts/import")
    assert response.status_code == 422
    assert "Choose one or more" in _text(response)


def test_the_editor_creates_a_workout_from_its_json(app: Flask) -> None:
    _, client = _coach(app)
    response = post_form(
        client,
        "/workouts/new",
        {"name": "Track 5 × 1 km", "sport": "run", "tags": "kind:vo2max, track",
         "description": "Hard.", "steps": json.dumps(STEPS)},
    )  # fmt: skip
    assert response.status_code == 302
    detail = client.get(response.location)
    page = _text(detail)
    assert "Track 5 × 1 km" in page
    assert "5 ×" in page
    assert "108 %" in page
    # The coach's only runner (Rita, CS from a 20:00 5 km) is chosen: paces show.
    assert "Rita Runner" in page
    assert "Pace /km" in page
    with app.app_context():
        workout = db.session.execute(
            sa.select(Workout).where(Workout.name.like("Track%"))
        ).scalar_one()
        assert workout.tags == ["kind:vo2max", "track"]
        assert workout.kind == "vo2max"
        assert workout.description == "Hard."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"steps": "[]"}, "Add at least one step."),
        ({"steps": "{not json"}, "Add at least one step."),
        ({"name": ""}, "Give the workout a name."),
        ({"name": "x" * 250}, "Field cannot be longer than 200 characters."),
        ({"sport": "swim"}, "Not a valid choice"),
        (
            {"steps": json.dumps([{"type": "steady", "duration": 60, "intensity": 8}])},
            "Step 1: intensity must be between 0 % and 500 %",
        ),
        (
            {"steps": json.dumps([{"type": "ramp", "duration": -1, "unit": "s"}])},
            "Step 1: duration must be above 0.",
        ),
        ({"steps": json.dumps([{"type": "jog"}])}, "Step 1: type must be one of"),
    ],
)
def test_the_editor_refuses_bad_input_and_keeps_what_was_typed(
    app: Flask, fields: dict[str, str], message: str
) -> None:
    _, client = _coach(app)
    with app.app_context():
        before = _count()
    form = {"name": "Kept name", "sport": "run", "tags": "", "steps": json.dumps(STEPS)} | fields
    response = post_form(client, "/workouts/new", form)
    assert response.status_code == 422
    page = _text(response)
    assert message in page, page[:3000]
    if fields.get("name") is None:
        assert 'value="Kept name"' in page
    with app.app_context():
        assert _count() == before


def test_editing_keeps_text_events_and_attributes_the_editor_does_not_show(app: Flask) -> None:
    world, client = _coach(app)
    _upload(client, ("tolerant.zwo", (DATA / "tolerant.zwo").read_bytes()))
    with app.app_context():
        workout = db.session.execute(
            sa.select(Workout).where(Workout.name == "Tolerant quirks")
        ).scalar_one()
        workout.owner_id = world.coach
        db.session.commit()
        workout_id = workout.id
    edit_page = _text(client.get(f"/workouts/{workout_id}/edit"))
    raw = edit_page.split('id="editor-data">', 1)[1].split("</script>", 1)[0]
    steps = json.loads(raw)["steps"]
    steps[1]["intensity"] = 0.92
    response = post_form(
        client,
        f"/workouts/{workout_id}/edit",
        {"name": "Tolerant edited", "sport": "run", "author": "Someone Else",
         "tags": "kind:threshold, INTERVALS", "steps": json.dumps(steps),
         "description": "Power overrides the range; Freeride and FreeRide; no Repeat."},
    )  # fmt: skip
    assert response.status_code == 302
    original = read_zwo((DATA / "tolerant.zwo").read_bytes())
    with app.app_context():
        edited = workout_services.structure(db.session.get_one(Workout, workout_id))
    assert edited.name == "Tolerant edited"
    assert edited.steps[1].intensity == 0.92  # type: ignore[union-attr]
    assert edited.steps[2:] == original.steps[2:]
    assert edited.steps[0] == original.steps[0]  # pace/units attributes kept
    assert edited.events == original.events
    assert edited.metadata == original.metadata


def test_detail_resolves_for_a_chosen_runner_and_the_fit_file_decodes(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "runner")
    page = _text(client.get(f"/workouts/{world.workout_id}"))
    # A runner sees their own targets without choosing.
    assert "Rita Runner" in page
    assert "Choose a runner" not in page
    assert "Edit</a>" not in page
    assert "/copy" not in page
    fit = client.get(f"/workouts/{world.workout_id}/download.fit?on=2026-06-01")
    assert fit.status_code == 200
    assert fit.headers["Content-Disposition"] == 'attachment; filename="coach-tempo.fit"'
    messages, errors = Decoder(Stream.from_byte_array(bytearray(fit.data))).read()
    assert errors == []
    assert messages["workout_mesgs"][0]["wkt_name"] == "Coach tempo"
    steps = messages["workout_step_mesgs"]
    assert [s["duration_type"] for s in steps] == [
        "time",
        "time",
        "distance",
        "distance",
        "repeat_until_steps_cmplt",
    ]
    assert all(s["target_type"] == "speed" for s in steps[:4])
    assert client.get(f"/workouts/{world.workout_id}?on=not-a-date").status_code == 400
    assert client.get(f"/workouts/{world.workout_id}?runner_id=x").status_code == 400
    before_birth = client.get(
        f"/workouts/{world.workout_id}?runner_id={world.runner_id}&on=1900-01-01"
    )
    assert "before the runner" in _text(before_birth)


def test_admin_without_a_chosen_runner_gets_no_fit_file(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "admin")
    page = _text(client.get(f"/workouts/{world.workout_id}"))
    assert "Choose a runner" in page
    assert "Download .fit" not in page
    assert client.get(f"/workouts/{world.workout_id}/download.fit").status_code == 404


def test_delete_and_copy_from_the_pages(app: Flask) -> None:
    world, client = _coach(app)
    copied = post_form(client, f"/workouts/{world.default_workout_id}/copy")
    assert copied.status_code == 302
    assert copied.location.endswith("/edit")
    copy_id = int(copied.location.split("/")[-2])
    deleted = post_form(client, f"/workouts/{copy_id}/delete")
    assert deleted.status_code == 302
    assert "was deleted" in _text(client.get("/workouts"))
    assert client.get(f"/workouts/{copy_id}").status_code == 404


def test_library_page_filters_and_pages(app: Flask) -> None:
    _, client = _coach(app)
    with app.app_context():
        workout_imports.load_default_library()
        db.session.commit()
    everything = _text(client.get("/workouts"))
    assert "41 workouts" in everything
    assert 'aria-label="Pages"' in everything
    tempo = _text(client.get("/workouts?tag=kind:tempo&q=tempo"))
    assert "Coach tempo" in tempo
    assert "Easy run 30 min" not in tempo
    assert _text(client.get("/workouts?page=3")).count("list-group-item-action") == 1
    assert "No workouts match" in _text(client.get("/workouts?q=nothing+like+this"))
    assert client.get("/workouts?page=0").status_code == 200
    assert client.get("/workouts?page=-1").status_code == 400


def test_a_bike_workout_is_shown_in_percent_of_ftp_without_paces(app: Flask) -> None:
    _, client = _coach(app)
    _upload(client, ("bike.zwo", (DATA / "bike-no-sport.zwo").read_bytes()))
    with app.app_context():
        workout_id = db.session.execute(
            sa.select(Workout.id).where(Workout.name == "Sweet spot 2 x 20")
        ).scalar_one()
    page = _text(client.get(f"/workouts/{workout_id}"))
    assert "% FTP" in page
    assert "Cycling" in page
    assert "Pace /km" not in page
    assert "TSS-like" in page


def test_odd_query_values_answer_cleanly(app: Flask) -> None:
    world, client = _coach(app)
    nul = client.get("/workouts?q=%00&tag=%00")  # refused before any view (platform.security)
    assert nul.status_code == 400
    assert "No workouts match" in _text(client.get("/workouts?q=%25&tag=x"))
    assert "Nothing on this page" in _text(client.get("/workouts?page=922337203685477582"))
    assert client.get(f"/workouts/{2**31}").status_code == 404
    assert client.get(f"/workouts/{world.workout_id}?runner_id={2**40}").status_code == 404
    assert client.get(f"/api/workouts/{world.workout_id}?runner_id=-3").status_code == 404
