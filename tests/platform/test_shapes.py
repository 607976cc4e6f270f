"""platform.shapes: a resource's frozen dataclass and the API schema derived from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypedDict

import pytest
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields

from smartrunning.platform.shapes import NOT_IN_API, Shape, doc, schema_of


class _Parts(TypedDict):
    a: int


@dataclass(frozen=True, slots=True)
class _Thing(Shape):
    id: int
    name: str = field(metadata=doc("what it is called"))
    colour: str = field(metadata=doc(enum=["red", "blue"]))
    total: float = field(metadata=doc(nullable=True))
    ref: int | None = field(metadata=doc(not_null=True))
    share: float | None
    done: bool
    at: dt.datetime
    day: dt.date
    load: float | None
    parts: _Parts
    rows: list[dict[str, Any]]
    extra: dict[str, Any] | None
    internal: int | None = field(metadata=NOT_IN_API)


THING = _Thing(
    id=1,
    name="n",
    colour="red",
    total=2.5,
    ref=3,
    share=None,
    done=True,
    at=dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC),
    day=dt.date(2026, 3, 1),
    load=12.0,
    parts={"a": 1},
    rows=[{"x": 1}],
    extra=None,
    internal=7,
)


def test_each_type_gives_its_field_and_none_only_where_allowed() -> None:
    schema = schema_of(_Thing, name="ThingOut")()
    kinds = {
        (f.data_key or name): (type(f).__name__, f.allow_none) for name, f in schema.fields.items()
    }
    assert kinds == {
        "id": ("Integer", False),
        "name": ("String", False),
        "colour": ("String", False),
        "total": ("Float", True),
        "ref": ("Integer", False),
        "share": ("Float", True),
        "done": ("Boolean", False),
        "at": ("AwareDateTime", False),
        "day": ("Date", False),
        "load": ("Float", True),
        "parts": ("Dict", False),
        "rows": ("List", False),
        "extra": ("Dict", True),
    }
    assert isinstance(schema.fields["rows"], fields.List)
    assert isinstance(schema.fields["rows"].inner, fields.Dict)
    assert schema.fields["name"].metadata == {"description": "what it is called"}
    assert schema.fields["colour"].metadata == {"enum": ["red", "blue"]}
    assert schema.fields["total"].metadata == {}
    assert type(schema).__name__ == "ThingOut"


def test_the_dump_is_as_dict_in_json_less_what_the_api_leaves_out() -> None:
    dumped = schema_of(_Thing, name="ThingOut")().dump(THING)
    expected = THING.as_dict()
    del expected["internal"]
    expected["at"] = "2026-03-01T07:00:00+00:00"
    expected["day"] = "2026-03-01"
    assert dumped == expected
    assert list(dumped) == list(expected)  # declaration order


def test_as_dict_keeps_order_and_values() -> None:
    data = THING.as_dict()
    assert list(data) == [f.name for f in dataclasses.fields(_Thing)]
    assert data["rows"] is THING.rows
    assert data["internal"] == 7


def test_a_type_without_a_field_is_refused() -> None:
    @dataclass(frozen=True)
    class _Odd(Shape):
        value: int | str

    with pytest.raises(TypeError, match="no API field"):
        schema_of(_Odd, name="OddOut")


class _Colour(StrEnum):
    RED = "red"


@dataclass(frozen=True, slots=True)
class _Job(Shape):
    colour: _Colour
    at: dt.datetime = field(metadata=doc(as_text=True))
    until: dt.datetime | None = field(metadata=doc(as_text=True))
    counts: dict[str, int]


def test_enums_texts_and_typed_dicts_in_the_api() -> None:
    """A StrEnum is its value; ``as_text`` a datetime's ISO text documented as a plain
    string; a dict of ints is typed in the API docs."""
    job = _Job(_Colour.RED, dt.datetime(2026, 3, 1, 7, 0, tzinfo=dt.UTC), None, {"a": 2})
    schema = schema_of(_Job, name="JobThingOut")()
    assert schema.dump(job) == {
        "colour": "red",
        "at": "2026-03-01T07:00:00+00:00",
        "until": None,
        "counts": {"a": 2},
    }
    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("JobThingOut", schema=schema)
    props = spec.to_dict()["components"]["schemas"]["JobThingOut"]["properties"]
    assert props["at"] == {"type": "string"}
    assert props["until"] == {"type": "string", "nullable": True}
    assert props["counts"] == {"type": "object", "additionalProperties": {"type": "integer"}}
    assert props["colour"] == {"type": "string"}


@dataclass(frozen=True, slots=True)
class _Kept(Shape):
    id: int = field(metadata=doc(read_only=True))
    name: str = field(metadata=doc(required=True))
    tags: list[str] = field(metadata=doc(read_only=True, untyped=True))


def test_an_older_documents_read_only_required_and_untyped_fields_are_kept() -> None:
    schema = schema_of(_Kept, name="KeptOut")()
    assert schema.dump(_Kept(1, "n", ["a"])) == {"id": 1, "name": "n", "tags": ["a"]}
    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("KeptOut", schema=schema)
    kept = spec.to_dict()["components"]["schemas"]["KeptOut"]
    assert kept["properties"] == {
        "id": {"type": "integer", "readOnly": True},
        "name": {"type": "string"},
        "tags": {"readOnly": True},
    }
    assert kept["required"] == ["name"]


@dataclass(frozen=True, slots=True)
class _Leaf(Shape):
    code: str
    on: dt.date = field(metadata=doc(as_text=True))


@dataclass(frozen=True, slots=True)
class _Tree(Shape):
    name: str
    main: _Leaf
    spare: _Leaf | None
    leaves: list[_Leaf]


def test_a_nested_shape_is_its_own_component_and_a_dict_in_as_dict() -> None:
    """A field typed as another shape (alone, ``| None`` or in a list) nests the schema
    derived for it; ``as_dict`` gives nested shapes as dicts."""
    with pytest.raises(TypeError, match="_Leaf's schema before"):
        schema_of(_Tree, name="TreeOut")  # _Leaf has no schema yet
    leaf_schema = schema_of(_Leaf, name="LeafOut")
    tree_schema = schema_of(_Tree, name="TreeOut")
    leaf = _Leaf("a", dt.date(2026, 3, 1))
    tree = _Tree("t", leaf, None, [leaf, _Leaf("b", dt.date(2026, 3, 2))])
    plain = {"code": "a", "on": dt.date(2026, 3, 1)}
    assert tree.as_dict() == {
        "name": "t",
        "main": plain,
        "spare": None,
        "leaves": [plain, {"code": "b", "on": dt.date(2026, 3, 2)}],
    }
    assert tree_schema().dump(tree)["leaves"][1] == {"code": "b", "on": "2026-03-02"}
    spec = APISpec("t", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    spec.components.schema("LeafOut", schema=leaf_schema)
    spec.components.schema("TreeOut", schema=tree_schema)
    schemas = spec.to_dict()["components"]["schemas"]
    assert schemas["LeafOut"]["properties"]["on"] == {"type": "string"}
    props = schemas["TreeOut"]["properties"]
    assert props["main"] == {"$ref": "#/components/schemas/LeafOut"}
    assert {"$ref": "#/components/schemas/LeafOut"} in props["spare"]["anyOf"]
    assert props["leaves"] == {"type": "array", "items": {"$ref": "#/components/schemas/LeafOut"}}
