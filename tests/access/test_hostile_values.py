"""Every write and read of the access matrix with hostile values: no server error.

For each form and JSON write the matrix sends (with its valid body), the same request is
sent again as an admin (who may do everything) with every field replaced by one hostile
value at a time: a very long text, a NUL byte, dates at the ends of the calendar, numbers
beyond 64 bits or not finite, deep nesting. Each must be answered (2xx, 3xx or 4xx), never
a 5xx or an exception (the test client raises those)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.access.cases import CASES
from tests.access.matrix import Case
from tests.helpers import csrf_token, login, make_world, with_plans, with_sessions

HOSTILE: tuple[Any, ...] = (
    "x" * 100_000,
    "a\x00b",
    "9999-12-31",
    "0001-01-01",
    str(2**70),
    "-1e309",
    "NaN",
    "[" * 200 + "]" * 200,
)
HOSTILE_JSON: tuple[Any, ...] = (
    *HOSTILE,
    2**70,
    -(2**70),
    None,
    [],
    {"a": {"b": {"c": {"d": "e"}}}},
)

WRITES = [
    case
    for case in CASES
    if case.method != "GET"
    and (case.form is not None or case.json is not None)
    and case.label != "other"
]


def _replace(body: dict[str, Any], value: Any) -> dict[str, Any]:
    return {key: value for key in body}


@pytest.mark.parametrize("case", WRITES, ids=lambda c: c.id)
def test_hostile_values_in_every_field_get_an_answer(app: Flask, case: Case) -> None:
    world = make_world(app)
    if "sessions" in case.tags:
        world = with_sessions(app, world)
    if "plans" in case.tags:
        world = with_plans(app, world)
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    token = csrf_token(client)
    path = case.path(world)
    statuses = []
    if case.json is not None:
        for value in HOSTILE_JSON:
            body = _replace(case.json(world), value)
            response = client.open(
                path, method=case.method, json=body, headers={"X-CSRFToken": token}
            )
            statuses.append(response.status_code)
    else:
        assert case.form is not None
        for value in HOSTILE:
            form = {"csrf_token": token, **_replace(case.form(world), value)}
            statuses.append(client.open(path, method=case.method, data=form).status_code)
    assert all(status < 500 for status in statuses), statuses


QUERIES: tuple[str, ...] = tuple(
    f"{name}={value}"
    for name in ("page", "page_size", "from", "to", "on", "month", "week", "range", "runner")
    for value in (str(2**70), "-1", "9999-12-31", "0001-01-01", "x" * 5000, "%00")
)
READS = [case for case in CASES if case.method == "GET" and case.label != "other"]


@pytest.mark.parametrize("case", READS, ids=lambda c: c.id)
def test_hostile_query_values_get_an_answer(app: Flask, case: Case) -> None:
    """Every page and API read, with each common query parameter set to a hostile value."""
    world = make_world(app)
    if "sessions" in case.tags:
        world = with_sessions(app, world)
    if "plans" in case.tags:
        world = with_plans(app, world)
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    path = case.path(world)
    joiner = "&" if "?" in path else "?"
    failed = [
        (query, status)
        for query in QUERIES
        if (status := client.get(f"{path}{joiner}{query}").status_code) >= 500
    ]
    assert not failed
