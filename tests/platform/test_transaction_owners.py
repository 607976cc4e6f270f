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
import tomllib
from pathlib import Path

import pytest

import smartrunning

ROOT = Path(smartrunning.__file__).parent
PROJECT = Path(__file__).resolve().parents[2]
CALLERS = ("views", "api", "cli")

NOT_YET: dict[str, int] = {}


def contract_callers() -> list[str]:
    """The modules of the top layer of the import-linter contract "inside a feature"
    (pyproject.toml ``[tool.importlinter]``), as ``<feature>.<module>`` names."""
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (inside,) = [c for c in contracts if c.get("containers")]
    top = [name.strip().strip("()") for name in inside["layers"][0].split("|")]
    return [f"{container}.{name}" for container in inside["containers"] for name in top]


def _callers() -> list[Path]:
    """Every module of the contract's top layer that exists (a module or the modules of a
    package), and every module named like a caller (``api_me``, ``replan_api`` ...)."""
    paths: set[Path] = set()
    for dotted in contract_callers():
        base = ROOT.parent.joinpath(*dotted.split("."))
        if base.with_suffix(".py").is_file():
            paths.add(base.with_suffix(".py"))
        elif base.is_dir():
            paths.update(base.rglob("*.py"))
    paths.update(
        path
        for path in ROOT.glob("*/*.py")
        if {path.stem.split("_")[0], path.stem.split("_")[-1]} & set(CALLERS)
        and path.parent.name != "science"
    )
    return sorted(paths)


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


def test_every_module_of_the_contract_s_top_layer_is_checked() -> None:
    """The pages, API, CLI and task modules named by the contract, whatever their names
    (the settings pages and the onboarding wizard among them)."""
    checked = {str(path.relative_to(ROOT)) for path in _callers()}
    assert {"accounts/settings.py", "athletes/wizard.py", "sessions/tasks.py"} <= checked
    for dotted in contract_callers():
        module = "/".join(dotted.split(".")[1:]) + ".py"
        assert module in checked or not (ROOT / module).is_file(), module
