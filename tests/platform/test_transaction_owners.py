"""Actions own their transactions: no page, API route or CLI command commits or rolls back.

Issue #14: a write is one action (``<feature>/actions.py`` and its kin) that opens, commits
and, on failure, rolls back its own transaction and enqueues its jobs once committed; the
callers above it (``views``, ``api``, ``cli`` modules and their kin, named ``api_me``,
``cli_imports``, ``schema_views``, ``replan_api`` ...) only call it and render the result.
This test reads every such module's source and lists each ``commit()`` or ``rollback()``
call on a session. ``NOT_YET`` names the modules still to convert, with their count, so the
list can only shrink: a module that gains a call, or one that is converted and stays
listed, fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import smartrunning

ROOT = Path(smartrunning.__file__).parent
CALLERS = ("views", "api", "cli")

NOT_YET: dict[str, int] = {}


def _callers() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("*/*.py")
        if {path.stem.split("_")[0], path.stem.split("_")[-1]} & set(CALLERS)
        and path.parent.name != "science"
    )


def transaction_calls(path: Path) -> list[int]:
    """Lines of ``<something>.commit()`` / ``<something>.rollback()`` calls in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback"}
    ]


@pytest.mark.parametrize("path", _callers(), ids=lambda p: str(p.relative_to(ROOT)))
def test_callers_leave_the_transaction_to_their_action(path: Path) -> None:
    name = str(path.relative_to(ROOT))
    lines = transaction_calls(path)
    allowed = NOT_YET.get(name, 0)
    assert len(lines) <= allowed, (
        f"{name} commits or rolls back at lines {lines}: move the write into an action "
        "that owns its transaction"
    )
    assert not (allowed and len(lines) < allowed), (
        f"{name} has {len(lines)} transaction calls now, {allowed} listed: lower NOT_YET"
    )


def test_the_list_names_only_real_modules() -> None:
    assert all((ROOT / name).is_file() for name in NOT_YET)
