"""The workout builder's pace and heart-rate targets and per-part interval units: the JSON
form (validation in words, a hypothesis round trip), the pages, the API and the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.science.workouts import Intervals, Target, target_intensity
from smartrunning.science.zwo import read_zwo
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts.models import Workout
from smartrunning.workouts.structure import structure_from_json, structure_to_json
from tests.helpers import csrf_token, login, make_world, post_form

pytestmark = pytest.mark.usefixtures("on_written_day")

SIX_BY_800 = {
    "type": "intervals",
    "repeat": 6,
    "on_duration": 800,
    "on_unit": "m",
    "off_duration": 90,
    "off_unit": "s",
    "on_target": {"kind": "pace", "low": "3:45", "high": "3:50"},
    "off_target": {"kind": "hr", "low": 0.65, "high": 0.79},
}
WARMUP = {"type": "warmup", "duration": 600, "unit": "s", "intensity_start": 0.6,
          "intensity_end": 0.75}  # fmt: skip


def _workout(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"name": "6 x 800", "sport": "run", "steps": list(steps)}


# --- the JSON form ------------------------------------------------------------------------


def test_pace_text_hr_fractions_and_mixed_units_are_read() -> None:
    workout = structure_from_json(_workout(WARMUP, SIX_BY_800))
    block = workout.steps[1]
    assert isinstance(block, Intervals)
    assert block.on.unit == "m"
    assert block.off.unit == "s"
    assert block.on_target == Target("pace", 225.0, 230.0)
    assert block.off_target == Target("hr", 0.65, 0.79)
    out = structure_to_json(workout)["steps"][1]
    assert out["on_unit"] == "m"
    assert out["off_unit"] == "s"
    assert out["on_target"] == {"kind": "pace", "low": 225.0, "high": 230.0}
    assert structure_from_json(structure_to_json(workout)) == workout


def test_a_cs_target_kind_is_the_step_intensity() -> None:
    step = {"type": "steady", "duration": 600, "unit": "s", "intensity": 0.8,
            "target": {"kind": "cs"}}  # fmt: skip
    workout = structure_from_json(_workout(step))
    assert structure_to_json(workout)["steps"][0] == {
        "type": "steady", "duration": 600.0, "unit": "s", "intensity": 0.8}  # fmt: skip


BAD = [
    ({"on_target": {"kind": "pace", "low": "fast", "high": "3:50"}}, "write a pace as minutes"),
    ({"on_target": {"kind": "pace", "low": "0:00", "high": "0:00"}}, "between 1:00 and 30:00"),
    ({"on_target": {"kind": "pace", "low": 0, "high": 230}}, "between 1:00 and 30:00"),
    ({"on_target": {"kind": "pace", "low": "", "high": ""}}, "write a pace as minutes"),
    ({"on_target": {"kind": "pace", "low": None, "high": None}}, "write a pace as minutes"),
    ({"off_target": {"kind": "hr", "low": 4.0, "high": 4.0}}, "between 30 % and 100 % of maximum"),
    ({"off_target": {"kind": "hr", "low": "easy", "high": 0.7}}, "heart rate must be a number"),
    ({"off_target": {"kind": "zone", "low": 1}}, "kind pace, hr or cs"),
    ({"off_target": "easy"}, "kind pace, hr or cs"),
    ({"on_duration": -800}, "on duration must be above 0"),
    ({"off_duration": -90}, "off duration must be at most"),
    ({"on_unit": "mi"}, "unit must be 's' (time) or 'm' (distance)"),
    ({"off_unit": 5}, "unit must be 's' (time) or 'm' (distance)"),
    ({"on_intensity_end": 1.2}, "ramped part cannot have a pace"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_targets_and_units_are_refused_in_words(change: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        structure_from_json(_workout(SIX_BY_800 | change))
    assert message in caught.value.message
    assert caught.value.message.startswith("Step 1")


def test_a_cycling_workout_cannot_aim_at_a_pace() -> None:
    with pytest.raises(InvalidInput) as caught:
        structure_from_json(_workout(SIX_BY_800) | {"sport": "bike"})
    assert "targets are for running" in caught.value.message


_PACES = st.floats(60.0, 1800.0)
_HRS = st.floats(0.3, 1.0)


@st.composite
def _target(draw: st.DrawFn) -> dict[str, Any] | None:
    kind = draw(st.sampled_from(["cs", "pace", "hr"]))
    if kind == "cs":
        return None
    values = sorted([draw(_PACES if kind == "pace" else _HRS) for _ in range(2)])
    return {"kind": kind, "low": values[0], "high": values[1]}


@st.composite
def _json_step(draw: st.DrawFn) -> dict[str, Any]:
    unit = draw(st.sampled_from(["s", "m"]))
    if draw(st.booleans()):
        step: dict[str, Any] = {
            "type": "steady",
            "duration": draw(st.floats(1.0, 5000.0)),
            "unit": unit,
            "intensity": draw(st.floats(0.1, 2.0)),
        }
        target = draw(_target())
        if target:
            step["target"] = target
        return step
    off_unit = draw(st.sampled_from(["s", "m"]))
    step = {
        "type": "intervals",
        "repeat": draw(st.integers(1, 10)),
        "on_duration": draw(st.floats(1.0, 500.0)),
        "off_duration": draw(st.floats(0.0, 500.0)),
        "on_unit": unit,
        "off_unit": off_unit,
        "on_intensity": draw(st.floats(0.1, 2.0)),
        "off_intensity": draw(st.floats(0.1, 2.0)),
    }
    for part in ("on", "off"):
        target = draw(_target())
        if target:
            step[f"{part}_target"] = target
            if draw(st.booleans()):  # left out: it follows the target
                del step[f"{part}_intensity"]
    return step


@given(st.lists(_json_step(), min_size=1, max_size=6))
@settings(max_examples=150, deadline=None)
def test_json_round_trip_over_mixed_targets_and_units(steps: list[dict[str, Any]]) -> None:
    workout = structure_from_json(_workout(*steps))
    again = structure_from_json(structure_to_json(workout))
    assert again == workout
    # The stored form (ZWO) gives it back too.
    from smartrunning.science.zwo import read_zwo, write_zwo

    assert read_zwo(write_zwo(workout)) == workout


# --- pages, API, CLI ------------------------------------------------------------------------


def test_the_editor_saves_and_the_page_shows_pace_hr_and_units(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    form: dict[str, object] = {"name": "6 x 800", "sport": "run", "tags": "kind:vo2max",
            "steps": json.dumps([WARMUP, SIX_BY_800])}  # fmt: skip
    response = post_form(client, "/workouts/new", form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.location).get_data(as_text=True)
    assert "6 ×" in page
    assert "3:45–3:50 /km" in page
    assert "HR 65–79 % of max" in page
    assert "800 m" in page
    assert "1:30" in page
    with app.app_context():
        workout = db.session.execute(
            sa.select(Workout).where(Workout.name == "6 x 800")
        ).scalar_one()
        steps = structure_to_json(workout_services.structure(workout))["steps"]
        assert steps[1]["on_target"]["low"] == 225.0
        assert steps[1]["off_unit"] == "s"
        edit = client.get(f"/workouts/{workout.id}/edit").get_data(as_text=True)
        assert '"on_target"' in edit
        fit = client.get(f"/workouts/{workout.id}/download.fit?runner_id={world.runner_id}")
        assert fit.status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"on_target": {"kind": "pace", "low": "fast", "high": "3:50"}}, "write a pace as"),
        ({"on_target": {"kind": "pace", "low": "0:00", "high": "0:00"}}, "between 1:00 and"),
        ({"off_target": {"kind": "hr", "low": 4.0, "high": 4.0}}, "and 100 % of maximum"),
        ({"on_duration": -800}, "must be above 0"),
    ],
)
def test_the_editor_page_refuses_bad_targets_with_422(
    app: Flask, change: dict[str, Any], message: str
) -> None:
    make_world(app)
    client = app.test_client()
    login(client, "coach")
    form: dict[str, object] = {
        "name": "Kept",
        "sport": "run",
        "tags": "",
        "steps": json.dumps([SIX_BY_800 | change]),
    }
    response = post_form(client, "/workouts/new", form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_the_api_takes_and_gives_the_new_forms(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    headers = {"X-CSRFToken": csrf_token(client)}
    body = _workout(WARMUP, SIX_BY_800)
    created = client.post("/api/workouts", json=body, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.json is not None
    workout_id = created.json["id"]
    got = client.get(f"/api/workouts/{workout_id}?runner_id={world.runner_id}")
    assert got.status_code == 200
    assert got.json is not None
    block = got.json["structure"]["steps"][1]
    assert block["on_unit"] == "m"
    assert block["off_target"] == {"kind": "hr", "low": 0.65, "high": 0.79}
    rows = got.json["resolved"]["steps"]
    on = next(r for r in rows if r["part"] == "on")
    off = next(r for r in rows if r["part"] == "off")
    assert on["pace_range_s_per_km"] == [225.0, 230.0]
    assert on["target"]["kind"] == "pace"
    assert off["pace_s_per_km"] is None
    assert off["hr_bpm"] is not None
    preview = client.post("/api/workouts/preview", json={"steps": body["steps"]}, headers=headers)
    assert preview.status_code == 200
    assert preview.json is not None
    assert preview.json["distance_steps_m"] == 4800
    assert preview.json["time_steps_s"] == 600 + 540
    bad = dict(SIX_BY_800, on_target={"kind": "pace", "low": "abc", "high": "3:50"})
    refused = client.post("/api/workouts", json=_workout(bad), headers=headers)
    assert refused.status_code == 422
    assert refused.json is not None
    assert "write a pace" in refused.json["error"]["message"]
    refused = client.post(
        "/api/workouts", json=_workout(dict(SIX_BY_800, off_unit="mi")), headers=headers
    )
    assert refused.status_code == 422


def test_zwo_export_writes_pace_as_the_runners_cs_fraction(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    headers = {"X-CSRFToken": csrf_token(client)}
    created = client.post("/api/workouts", json=_workout(SIX_BY_800), headers=headers)
    assert created.json is not None
    workout_id = created.json["id"]
    stored = read_zwo(client.get(f"/workouts/{workout_id}/download.zwo").data)
    block = stored.steps[0]
    assert isinstance(block, Intervals)
    # Without a runner: the pace's share of the reference CS (the app's default).
    assert block.on_intensity == pytest.approx(target_intensity(Target("pace", 225.0, 230.0)))
    page = client.get(f"/workouts/{workout_id}/download.zwo?runner_id={world.runner_id}")
    api = client.get(f"/api/workouts/{workout_id}/zwo?runner_id={world.runner_id}")
    assert page.status_code == api.status_code == 200
    for data in (page.data, api.data):
        runner_block = read_zwo(data).steps[0]
        assert isinstance(runner_block, Intervals)
        assert runner_block.on_target == block.on_target
        assert runner_block.on_intensity != pytest.approx(block.on_intensity)
        assert runner_block.off_intensity == block.off_intensity  # a heart rate: unchanged
    before_birth = f"/workouts/{workout_id}/download.zwo?runner_id={world.runner_id}&on=1900-01-01"
    assert client.get(before_birth).status_code == 400
