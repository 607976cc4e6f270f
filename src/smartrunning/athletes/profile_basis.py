"""What a plan for the runner would rest on, as the profile and the wizard state it: the
heart-rate targets' source (their own HR–speed line or Daniels' % of HRmax, and why) and
the level (beginner, masters, and why).

Both need the runner's sessions and the plans' rules, in features above this one; the app
hands in where they come from (``set_basis_source``; ``plans.profile_basis`` in the app),
as it does the response model. Read-only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol, cast

from flask import Flask, current_app

from smartrunning.athletes.models import Runner

__all__ = ["BasisSource", "first_session_day", "hr_source", "level", "set_basis_source"]

_KEY = "smartrunning.basis_source"


class BasisSource(Protocol):
    def hr_source(self, runner: Runner, today: dt.date) -> dict[str, Any]:
        """Which source a plan starting tomorrow would take heart rates from, with
        ``text`` for people (``plans.basis.hr_basis``)."""
        ...

    def level(self, runner: Runner, today: dt.date) -> dict[str, Any]:
        """The level a plan starting tomorrow would give the runner, with ``text`` for
        people (``plans.basis.level_basis``)."""
        ...

    def first_session_day(self, runner: Runner) -> dt.date | None:
        """The day of the runner's first session (``None`` without one)."""
        ...


def set_basis_source(app: Flask, source: BasisSource) -> None:
    """State plan bases with ``source`` in ``app``."""
    app.extensions[_KEY] = source


def _source() -> BasisSource:
    source = cast("BasisSource | None", current_app.extensions.get(_KEY))
    if source is None:
        raise RuntimeError("the app set no basis source (set_basis_source)")
    return source


def hr_source(runner: Runner, today: dt.date) -> dict[str, Any]:
    """The heart-rate source from the app's basis source."""
    return _source().hr_source(runner, today)


def level(runner: Runner, today: dt.date) -> dict[str, Any]:
    """The runner's level and why from the app's basis source."""
    return _source().level(runner, today)


def first_session_day(runner: Runner) -> dt.date | None:
    """The day of the runner's first session, from the app's basis source: where the
    wizard's dates start, so history imported before the wizard is analysed with them."""
    return _source().first_session_day(runner)
