"""Zwift's attribute forms through the library: the JSON form, the API and the export
(ramped intervals, ranged steady steps, tags as element text; issue #16 item 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.platform.errors import InvalidInput
from smartrunning.science.zwo import read_zwo, write_zwo
from smartrunning.workouts.structure import structure_from_json, structure_to_json
from tests.workouts.workout_api import api_client, api_error

pytestmark = pytest.mark.usefixtures("on_written_day")

FORMS = Path(__file__).resolve().parent.parent / "data" / "zwo" / "zwift-forms.zwo"


def test_the_json_form_carries_bands_ramps_and_text_tags() -> None:
    workout = read_zwo(FORMS.read_bytes())
    data = structure_to_json(workout)
    over_unders, tempo = data["steps"][1], data["steps"][2]
    assert (over_unders["on_intensity"], over_unders["on_intensity_end"]) == (0.95, 1.05)
    assert (over_unders["off_intensity"], over_unders["off_intensity_end"]) == (0.6, 0.5)
    assert (tempo["intensity_low"], tempo["intensity_high"]) == (0.76, 0.88)
    assert tempo["intensity"] == pytest.approx(0.82)
    assert "on_intensity_end" not in data["steps"][3]
    assert data["text_tags"] == ["INTERVALS", "Tempo"]
    assert structure_from_json(data) == workout


_percent = st.integers(0, 300).map(lambda p: p / 100)


@given(low=_percent, high=_percent, on_end=st.none() | _percent, text=st.booleans())
@settings(max_examples=50, deadline=None)
def test_json_round_trip_of_generated_zwift_forms(
    low: float, high: float, on_end: float | None, text: bool
) -> None:
    data = {
        "name": "Generated",
        "sport": "bike",
        "tags": ["a", "b"],
        "text_tags": ["b"] if text else [],
        "steps": [
            {"type": "steady", "duration": 60, "intensity_low": low, "intensity_high": high},
            {
                "type": "intervals",
                "repeat": 3,
                "on_duration": 30,
                "off_duration": 30,
                "on_intensity": 1.0,
                "on_intensity_end": on_end,
                "off_intensity": 0.5,
            },
        ],
    }
    workout = structure_from_json(data)
    assert structure_from_json(structure_to_json(workout)) == workout
    assert read_zwo(write_zwo(workout)) == workout


@pytest.mark.parametrize(
    ("step", "field"),
    [
        ({"type": "steady", "duration": 60, "intensity_low": 0.7}, "steps.0.intensity_high"),
        (
            {"type": "steady", "duration": 60, "intensity_high": "x", "intensity_low": 0.7},
            "steps.0.intensity_high",
        ),
        (
            {
                "type": "intervals",
                "repeat": 2,
                "on_duration": 60,
                "off_duration": 60,
                "on_intensity": 1.0,
                "off_intensity": 0.5,
                "on_intensity_end": 9.0,
            },
            "steps.0.on_intensity_end",
        ),
    ],
)
def test_bad_bands_and_ramps_name_their_field(step: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        structure_from_json({"name": "x", "steps": [step]})
    assert caught.value.field == field


def test_a_text_tag_removed_from_the_tags_is_dropped() -> None:
    data = {
        "name": "x",
        "tags": ["kept"],
        "text_tags": ["kept", "gone"],
        "steps": [{"type": "free", "duration": 60}],
    }
    assert structure_from_json(data).text_tags == ("kept",)


def test_api_imports_shows_and_exports_the_forms_unchanged(app: Flask) -> None:
    world, api = api_client(app)
    original = FORMS.read_text(encoding="utf-8")
    created = api.send("POST", "/api/workouts", {"zwo": original})
    assert created.status_code == 201, created.json
    workout_id = created.json["id"]
    got = api.get(f"/api/workouts/{workout_id}?runner_id={world.runner_id}").json
    assert got["structure"]["steps"][2]["intensity_low"] == 0.76
    rows = got["resolved"]["steps"]
    assert rows[1]["intensity"] == [0.95, 1.05]  # the ramped on part
    assert rows[3]["intensity"] == [0.76, 0.88]  # the band
    exported = api.get(f"/api/workouts/{workout_id}/zwo")
    assert read_zwo(exported.data) == read_zwo(original.encode())
    assert b'PowerOnLow="0.95" PowerOnHigh="1.05"' in exported.data
    assert b"<tag>INTERVALS</tag>" in exported.data
    # Edited through the API's JSON form, the forms stay.
    structure = got["structure"]
    structure["steps"][2]["intensity_high"] = 0.9
    updated = api.send("PUT", f"/api/workouts/{workout_id}", structure)
    assert updated.status_code == 200, updated.json
    again = api.get(f"/api/workouts/{workout_id}/zwo").data
    assert b'<SteadyState Duration="900" PowerLow="0.76" PowerHigh="0.9" pace="0"/>' in again
    assert b"<tag>Tempo</tag>" in again


def test_api_refuses_a_half_band_with_a_clear_error(app: Flask) -> None:
    _, api = api_client(app)
    body = {"name": "x", "steps": [{"type": "steady", "duration": 60, "intensity_low": 0.7}]}
    error = api_error(api.send("POST", "/api/workouts", body), 422)
    assert "intensity high must be a number" in error["message"]


@pytest.mark.parametrize("value", ["NaN", "x", [], {}, True, -1, 99])
@pytest.mark.parametrize("key", ["intensity_low", "intensity_high", "on_intensity_end"])
def test_hostile_band_and_ramp_values_are_refused_422(app: Flask, key: str, value: object) -> None:
    _, api = api_client(app)
    step: dict[str, object] = (
        {"type": "intervals", "repeat": 2, "on_duration": 60, "off_duration": 60,
         "on_intensity": 1.0, "off_intensity": 0.5}
        if key == "on_intensity_end"
        else {"type": "steady", "duration": 60, "intensity_low": 0.7, "intensity_high": 0.8}
    )  # fmt: skip
    step[key] = value
    response = api.send("POST", "/api/workouts", {"name": "x", "steps": [step]})
    assert response.status_code == 422, response.get_data(as_text=True)
