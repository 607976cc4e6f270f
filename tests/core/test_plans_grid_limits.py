"""Every limit on the plan of any runner the app takes (issue #15 item 11): hypothesis
draws runners over the whole plan grid (``strategies.grid_runners``: level, age, training
days and long-run day, race and distance, plan length, history or none, LTHR, VDOT from
races, a CS change during the plan, a fitted response model) and every limit of SCIENCE.md
"Targets and limits" is checked on the plan (``plan_checks.assert_every_limit``).

The bench ``bench/plan_grid.py`` runs thousands of them; these tests keep a sample in every
run of the suite. A failing runner is printed as JSON (``note``): ``python -m
bench.plan_grid --replay '<json>'`` generates its plan again and prints what it breaks."""

from __future__ import annotations

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from smartrunning.science.plans import generate_plan
from tests.core.plan_checks import assert_every_limit
from tests.core.plan_grid import GridRunner
from tests.core.strategies import grid_runners

GRID = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _check(runner: GridRunner) -> None:
    note(runner.to_json())
    inputs = runner.inputs()
    assert_every_limit(generate_plan(inputs), inputs)


@GRID
@given(grid_runners())
def test_any_runners_plan_keeps_every_limit(runner: GridRunner) -> None:
    _check(runner)


@GRID
@given(grid_runners(histories=("none",), fewer_sessions=False))
def test_a_runner_with_no_history_gets_a_plan_within_every_limit(runner: GridRunner) -> None:
    """No uploads and no stated volume (CTL 0), every run of the week asked for: week 1
    from the template's floor, not from what seven runs need at their shortest."""
    _check(runner)


@GRID
@given(grid_runners(weeks=st.integers(1, 6)))
def test_short_plans_keep_every_limit(runner: GridRunner) -> None:
    """Plans of one to six weeks: the taper cut, blocks dropped, race week close to the
    start (where the taper's limits and race-day form are hardest to keep)."""
    _check(runner)
