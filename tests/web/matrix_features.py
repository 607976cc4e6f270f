"""Cases of the feature packages, each in its own module, gathered for the matrix."""

from __future__ import annotations

from tests.web.matrix import Case

CASES: list[Case] = []
