"""Tests share helpers through helper modules and conftest fixtures, never by importing
another test module (issue #14 item 6): a ``test_*`` module imported by another runs its
module-level setup twice, hides where a helper lives and breaks when that test moves.

Every ``tests/**/*.py`` and ``bench/*.py`` is parsed; an import of a ``test_*`` module
(``from tests.x.test_y import ...``, ``import tests.x.test_y``, ``from .test_y import ...``
or ``from tests.x import test_y``) fails, naming the file and line. ``NOT_YET`` lists the
imports still to move, by file and imported module, so the list can only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
SCANNED = sorted([*(PROJECT / "tests").rglob("*.py"), *(PROJECT / "bench").glob("*.py")])

NOT_YET: set[tuple[str, str]] = set()


def _is_test_module(dotted: str) -> bool:
    return dotted.rsplit(".", 1)[-1].startswith("test_")


def test_module_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of each import of a ``test_*`` module in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _is_test_module(a.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if node.module and _is_test_module(node.module):
                found.append((node.lineno, module))
            elif node.level or PROJECT.joinpath(*module.split(".")).is_dir():
                # ``from <package> import test_x``: a module of the package.
                found += [
                    (node.lineno, f"{module}.{a.name}".replace("..", "."))
                    for a in node.names
                    if a.name.startswith("test_")
                ]
    return found


test_module_imports.__test__ = False  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: str(p.relative_to(PROJECT)))
def test_no_module_imports_a_test_module(path: Path) -> None:
    name = str(path.relative_to(PROJECT))
    offenders = [
        f"{name}:{line} imports {module}"
        for line, module in test_module_imports(path)
        if (name, module) not in NOT_YET
    ]
    assert not offenders, (
        "move the shared helper into a helper module or a conftest fixture: " + "; ".join(offenders)
    )


def test_the_list_names_only_imports_still_there() -> None:
    left = {
        (str(path.relative_to(PROJECT)), module)
        for path in SCANNED
        for _, module in test_module_imports(path)
    }
    # An entry of a file not (yet) in the tree, e.g. uncommitted work, is not judged.
    stale = {(f, m) for f, m in NOT_YET if (PROJECT / f).is_file() and (f, m) not in left}
    assert not stale, f"moved, drop from NOT_YET: {sorted(stale)}"


def test_the_check_finds_each_kind_of_import(tmp_path: Path) -> None:
    source = tmp_path / "example.py"
    source.write_text(
        "from tests.a.test_b import x\n"
        "import tests.a.test_c\n"
        "from .test_d import y\n"
        "from tests.platform import test_clock, pages\n"
        "from tests.a.helpers import test_like_name\n"
        "from tests.core.fitgen import synthetic_run\n",
        encoding="utf-8",
    )
    assert test_module_imports(source) == [
        (1, "tests.a.test_b"),
        (2, "tests.a.test_c"),
        (3, ".test_d"),
        (4, "tests.platform.test_clock"),
    ]
