"""JSON written by the app (orjson): what differs from the standard library is pinned."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
from flask import Flask, jsonify
from hypothesis import given
from hypothesis import strategies as st

from smartrunning.platform.jsonio import (
    dumps_bytes,
    script_json,
)

_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON_VALUES)
def test_plain_json_values_read_back_as_the_standard_library_writes_them(value: object) -> None:
    assert json.loads(dumps_bytes(value)) == json.loads(json.dumps(value))


def test_dates_numpy_and_non_finite_numbers() -> None:
    data = {
        "day": dt.date(2026, 11, 21),
        "at": dt.datetime(2026, 11, 21, 7, 30, tzinfo=dt.UTC),
        "n": np.float64(2.5),
        "i": np.int64(3),
        "a": np.array([1.0, 2.0]),
        "nan": float("nan"),
        "inf": float("inf"),
        1: "an int key",
    }
    assert json.loads(dumps_bytes(data)) == {
        "day": "2026-11-21",
        "at": "2026-11-21T07:30:00+00:00",
        "n": 2.5,
        "i": 3,
        "a": [1.0, 2.0],
        "nan": None,  # the standard library wrote NaN, which JSON does not allow
        "inf": None,
        "1": "an int key",
    }


def test_anything_else_is_written_as_its_text() -> None:
    class Odd:
        def __str__(self) -> str:
            return "odd"

    assert json.loads(dumps_bytes({"x": Odd()})) == {"x": "odd"}


def test_script_json_cannot_close_the_script_element() -> None:
    text = script_json({"name": "</script><script>alert(1)</script>"})
    assert "<" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script>"}


def test_flask_answers_use_it(app: Flask) -> None:
    with app.test_request_context():
        answer = jsonify({"day": dt.date(2026, 1, 2), "x": float("nan")})
    assert answer.mimetype == "application/json"
    assert json.loads(answer.get_data()) == {"day": "2026-01-02", "x": None}
