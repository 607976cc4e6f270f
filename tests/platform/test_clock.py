"""The clock seam: one reader of the wall clock, which tests can set."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from smartrunning.platform import clock

SRC = Path(__file__).resolve().parents[2] / "src" / "smartrunning"


def test_a_set_clock_is_what_everything_reads_and_the_wall_clock_comes_back() -> None:
    moment = dt.datetime(2031, 2, 3, 4, 5, tzinfo=dt.UTC)
    with clock.clock_at(moment):
        assert clock.now() == moment
        assert clock.today() == dt.date(2031, 2, 3)
    assert abs(clock.now() - dt.datetime.now(dt.UTC)).days <= 400  # wall (± an offset run)


def test_a_naive_moment_is_taken_as_utc() -> None:
    naive = dt.datetime(2030, 1, 1, 12)  # noqa: DTZ001 (the case under test)
    assert clock.fixed(naive)().tzinfo is dt.UTC


def test_nothing_outside_the_clock_reads_the_wall_clock() -> None:
    readers = {"now", "today", "utcnow", "time"}
    found = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "platform" / "clock.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in readers
                and isinstance(node.func.value, ast.Attribute | ast.Name)
                and (getattr(node.func.value, "attr", None) or getattr(node.func.value, "id", None))
                in {"datetime", "date", "time"}
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []
