"""Plan schemas: the shipped defaults, round trips, and errors that name their path."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import given, settings

from smartrunning.science.plans import (
    LONG_SLOT,
    PlanSchema,
    SchemaError,
    parse_schema,
    schema_to_dict,
)
from tests.core.strategies import schemas

DEFAULTS = ("5k", "10k", "half-marathon", "marathon")
# Typical lengths (weeks) and taper lengths of the default schemas.
EXPECTED = {
    "5k": ((8, 12), (1, 1), 5000.0),
    "10k": ((10, 14), (1, 2), 10000.0),
    "half-marathon": ((12, 18), (2, 2), 21097.5),
    "marathon": ((18, 24), (3, 3), 42195.0),
}


def default_data(name: str) -> dict[str, Any]:
    text = (files("smartrunning.data") / "plans" / f"{name}.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def valid() -> dict[str, Any]:
    return default_data("marathon")


# --- the shipped schemas ---------------------------------------------------------------


@pytest.mark.parametrize("name", DEFAULTS)
def test_default_schema_parses_and_is_typical(name: str) -> None:
    schema = parse_schema(default_data(name))
    (low, high), (taper_low, taper_high), distance = EXPECTED[name]
    assert low <= schema.total_weeks <= high
    assert taper_low <= schema.taper.weeks <= taper_high
    assert schema.race_distance_m == pytest.approx(distance)
    assert [b.kind for b in schema.blocks] == ["base", "build", "peak", "taper"]
    for block in schema.blocks:
        assert sum(e.weight for e in block.pattern) == pytest.approx(1.0, abs=1e-9)
        assert [e.slot for e in block.pattern].count(LONG_SLOT) == 1
        assert 1 <= sum(e.hard for e in block.pattern) <= 2
    assert any(e.kind == "race-pace" for e in schema.blocks[-2].pattern)


@pytest.mark.parametrize("name", DEFAULTS)
def test_default_schema_round_trips(name: str) -> None:
    schema = parse_schema(default_data(name))
    data = schema_to_dict(schema)
    assert parse_schema(json.loads(json.dumps(data))) == schema


# --- round trips over generated schemas ---------------------------------------------------


@settings(max_examples=150)
@given(schemas())
def test_generated_schemas_round_trip_through_json(schema: PlanSchema) -> None:
    data = json.loads(json.dumps(schema_to_dict(schema)))
    assert parse_schema(data) == schema


# --- validation ---------------------------------------------------------------------------


def edit(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = copy.deepcopy(valid())
    change(data)
    return data


def set_path(path: str, value: object) -> Callable[[dict[str, Any]], object]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return change


def delete(path: str) -> Callable[[dict[str, Any]], object]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        del node[last]

    return change


CASES = [
    (set_path("/blocks/1/pattern/2/kind", "fartlek"), "/blocks/1/pattern/2/kind", "unknown kind"),
    (set_path("/blocks/0/pattern/0/weight", 0.5), "/blocks/0/pattern", "sum to 1"),
    (set_path("/blocks/0/pattern/0/weight", -0.1), "/blocks/0/pattern/0/weight", "above 0"),
    (set_path("/blocks/2/weeks", -3), "/blocks/2/weeks", "from 1 to 52"),
    (set_path("/blocks/2/weeks", 2.5), "/blocks/2/weeks", "whole number"),
    (set_path("/blocks/2/weeks", True), "/blocks/2/weeks", "whole number"),
    (set_path("/blocks/0/recovery_every", 5), "/blocks/0/recovery_every", "3 or 4"),
    (set_path("/blocks/0/recovery_drop", 0.5), "/blocks/0/recovery_drop", "0.25 to 0.35"),
    (set_path("/blocks/1/progression", 0.2), "/blocks/1/progression", "0 to 0.1"),
    (set_path("/blocks/3/reduction", 0.2), "/blocks/3/reduction", "0.4 to 0.6"),
    (set_path("/blocks/3/kind", "peak"), "/blocks", "taper block is missing"),
    (set_path("/blocks/0/kind", "sprint"), "/blocks/0/kind", "unknown block kind"),
    (set_path("/blocks/1/name", "Base"), "/blocks/1/name", "appears twice"),
    (set_path("/blocks/0/pattern/3/slot", "easy"), "/blocks/0/pattern/3/slot", "twice"),
    (set_path("/blocks/0/pattern/1/hard", "yes"), "/blocks/0/pattern/1/hard", "true or false"),
    (set_path("/blocks/0/pattern/0/colour", "red"), "/blocks/0/pattern/0/colour", "unknown key"),
    (set_path("/blocks/3/progression", 0.05), "/blocks/3/progression", "unknown key"),
    (set_path("/blocks/0/pattern", []), "/blocks/0/pattern", "1 to 7 sessions"),
    (set_path("/blocks/0/pattern", "long"), "/blocks/0/pattern", "must be a list"),
    (set_path("/blocks", []), "/blocks", "at least one block"),
    (set_path("/load/max_ramp", 0.5), "/load/max_ramp", "0.01 to 0.25"),
    (set_path("/load/min_weekly", 5000), "/load/min_weekly", "must not exceed"),
    (set_path("/load/min_weekly", 0), "/load/min_weekly", "above 0"),
    (delete("/load/min_weekly"), "/load/min_weekly", "is required"),
    (set_path("/blocks/2/kind", "recovery"), "/blocks/2/kind", "just before the taper"),
    (set_path("/name", " "), "/name", "must not be empty"),
    (set_path("/race_distance_m", "42k"), "/race_distance_m", "must be a number"),
    (delete("/load"), "/load", "is required"),
    (delete("/blocks/0/progression"), "/blocks/0/progression", "is required"),
    (delete("/blocks/0/pattern/0/weight"), "/blocks/0/pattern/0/weight", "is required"),
    (set_path("/extra", 1), "/extra", "unknown key"),
]


@pytest.mark.parametrize(("change", "path", "words"), CASES)
def test_validation_error_names_the_path(
    change: Callable[[dict[str, Any]], object], path: str, words: str
) -> None:
    with pytest.raises(SchemaError) as caught:
        parse_schema(edit(change))
    matching = [p for p in caught.value.problems if p.path == path]
    assert matching, caught.value.problems
    assert any(words in p.message for p in matching), matching
    assert path in str(caught.value)


def test_taper_must_be_last() -> None:
    def swap(data: dict[str, Any]) -> None:
        data["blocks"][2], data["blocks"][3] = data["blocks"][3], data["blocks"][2]

    with pytest.raises(SchemaError) as caught:
        parse_schema(edit(swap))
    assert [p.path for p in caught.value.problems] == ["/blocks/2/kind"]
    assert "last" in caught.value.problems[0].message


def test_too_many_hard_sessions() -> None:
    def harden(data: dict[str, Any]) -> None:
        for entry in data["blocks"][0]["pattern"]:
            entry["hard"] = True

    with pytest.raises(SchemaError, match="at most 3 hard sessions") as caught:
        parse_schema(edit(harden))
    assert caught.value.problems[0].path == "/blocks/0/pattern"


def test_every_problem_is_reported_at_once() -> None:
    def break_three(data: dict[str, Any]) -> None:
        data["blocks"][0]["weeks"] = 0
        data["blocks"][1]["pattern"][0]["kind"] = "jog"
        data["load"]["max_weekly"] = -1

    with pytest.raises(SchemaError) as caught:
        parse_schema(edit(break_three))
    paths = {p.path for p in caught.value.problems}
    assert {"/blocks/0/weeks", "/blocks/1/pattern/0/kind", "/load/max_weekly"} <= paths


@pytest.mark.parametrize("data", [None, [], "marathon", 42])
def test_not_an_object(data: object) -> None:
    with pytest.raises(SchemaError, match="must be an object"):
        parse_schema(data)


def test_schema_built_in_code_is_checked_too() -> None:
    schema = parse_schema(valid())
    with pytest.raises(SchemaError) as caught:
        PlanSchema(schema.name, schema.blocks[:-1], schema.load_cap)
    assert caught.value.problems[0].path == "/blocks"
    assert isinstance(caught.value, ValueError)
