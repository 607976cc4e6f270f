"""``smartrunning plan …`` and the default schemas in ``init``, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commands import cli_env, cli_with_runner, run_cli
from tests.database import TestDatabase
from tests.helpers import LATER_RACE_DATE, PLAN_RACE_DATE


@pytest.fixture
def env(tmp_path: Path, test_database: TestDatabase) -> dict[str, str]:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    return cli_env(tmp_path / "instance", url)


def test_schemas_and_generate(env: dict[str, str], tmp_path: Path) -> None:
    first = run_cli(env, "init", "--json", cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["default_schemas_added"] == 4
    again = run_cli(env, "init", "--json", cwd=tmp_path)
    assert json.loads(again.stdout)["default_schemas_added"] == 0
    schemas = json.loads(run_cli(env, "plan", "schemas", "--json", cwd=tmp_path).stdout)
    names = {s["name"]: s["weeks"] for s in schemas["schemas"]}
    assert len(names) == 4
    assert names["10 km"] == 12
    # ``plan templates`` is the same command under the name the pages use.
    templates = run_cli(env, "plan", "templates", "--json", cwd=tmp_path)
    assert json.loads(templates.stdout) == schemas
    listed = run_cli(env, "plan", "templates", cwd=tmp_path).stdout
    assert "10 km  (12 weeks)" in listed
    made = run_cli(
        env,
        "runner",
        "create",
        "--name",
        "Ann",
        "--birth-date",
        "1990-01-01",
        "--sex",
        "f",
        "--json",
        cwd=tmp_path,
    )
    runner_id = json.loads(made.stdout)["id"]
    args = [
        "plan",
        "generate",
        "--runner",
        str(runner_id),
        "--schema",
        "10 km",
        "--race-date",
        PLAN_RACE_DATE.isoformat(),
        "--distance-m",
        "10000",
    ]
    result = run_cli(env, *args, "--weeks", "8", "--json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    # The API's plan (GET /api/plans/{id}), not stored: no ids.
    assert plan["id"] is None
    assert (plan["schema_name"], plan["race_date"], plan["weeks"]) == (
        "10 km",
        PLAN_RACE_DATE.isoformat(),
        8,
    )
    assert plan["days"][-1]["date"] == PLAN_RACE_DATE.isoformat()
    assert plan["days"][-1]["kind"] == "race"
    assert {d["id"] for d in plan["days"]} == {None}
    projection = plan["projection"]
    assert len(projection["weeks"]) == 8
    assert {"date", "workout_name", "duration_s", "distance_m", "load", "targets"} <= set(
        plan["days"][0]
    )
    assert projection["days"][-1]["date"] == PLAN_RACE_DATE.isoformat()
    assert isinstance(plan["warnings"], list)
    assert plan["targets_stale"] == []
    # Issue #15: what the plan rests on — Ann has no runs and no race.
    basis = projection["basis"]
    assert basis["heart_rate"]["source"] == "Daniels"
    assert basis["vdot"]["source"] == "critical speed"
    assert basis["level"]["beginner"] is True
    # Issue #20: the taper chosen for race day beside the template's, population values.
    taper = projection["taper"]
    assert taper["default"] == {"weeks": 2, "reduction": 0.5, "peak_gap": 0}
    assert taper["chosen"]["weeks"] in (1, 2, 3)
    assert 0.41 <= taper["chosen"]["reduction"] <= 0.60
    assert 0.41 <= taper["volume_reduction"] <= 0.60
    assert taper["fitted"] is False
    assert taper["band_vdot"] is None
    saved = run_cli(env, *args, "--save", "--json", cwd=tmp_path)
    assert saved.exit_code == 0, saved.stderr
    stored = json.loads(saved.stdout)
    assert stored["id"] == 1
    assert all(isinstance(d["id"], int) for d in stored["days"])
    text = run_cli(env, *args, cwd=tmp_path)
    assert "race-day form" in text.stdout
    assert "taper: " in text.stdout
    assert "(no band: population values)" in text.stdout
    assert "Beginner: 0.0 h a week in the last 4 weeks, under 2 h" in text.stdout
    assert "no heart rate–speed line (0 steady segments from 0 runs" in text.stdout
    for bad in (
        ["--runner", "999"],
        ["--schema", "nope"],
        ["--distance-m", "-5"],
        ["--race-date", "tomorrow"],
        ["--weeks", "99"],
    ):
        wrong = list(args)
        flag = bad[0]
        if flag in wrong:
            wrong[wrong.index(flag) + 1] = bad[1]
        else:
            wrong += bad
        out = run_cli(env, *wrong, "--json", cwd=tmp_path)
        assert out.exit_code != 0, bad
    # A runner with no history: a marathon plan a coach would hand over (issue 5).
    marathon = [
        "plan",
        "generate",
        "--runner",
        str(runner_id),
        "--schema",
        "Marathon",
        "--race-date",
        LATER_RACE_DATE.isoformat(),
        "--distance-m",
        "42195",
        "--json",
    ]
    zero = json.loads(run_cli(env, *marathon, cwd=tmp_path).stdout)
    codes = [w["code"] for w in zero["warnings"]]
    assert "start_below_floor" in codes
    # No history: a beginner's one quality session a week, and Daniels' limits; no
    # performance either: the paces rest on the population CS, said first.
    assert codes[0] == "default_critical_speed"
    assert set(codes) <= {
        "default_critical_speed",
        "start_below_floor",
        "quality_limit",
        "intensity_capped",
        "long_run_capped",
    }, codes
    assert zero["projection"]["race_day_form"] > 0
    # From nothing, volume grows ≤ 10 % a week and the long run stays ≤ 30 % of its
    # week: it reaches ~1 h 30, not the 2 h+ the plan once asked of a runner with no base.
    longest = max(d["duration_s"] for d in zero["days"] if d["kind"] == "long")
    assert 75 * 60 <= longest <= 150 * 60
    # plan delete: asks first, --yes and --json do not; an unknown plan is an error.
    asked = run_cli(env, "plan", "delete", "1", cwd=tmp_path)  # no answer: aborted
    assert asked.exit_code != 0
    deleted = run_cli(env, "plan", "delete", "1", "--json", cwd=tmp_path)
    assert deleted.exit_code == 0, deleted.stderr
    assert json.loads(deleted.stdout) == {"deleted": 1}
    for bad_id in ("1", "0", "99999999999"):
        missing = run_cli(env, "plan", "delete", bad_id, "--yes", cwd=tmp_path)
        assert missing.exit_code != 0
        assert "No plan" in missing.stderr
    assert run_cli(env, "plan", "delete", "x", "--yes", cwd=tmp_path).exit_code != 0


def test_a_preview_on_the_default_critical_speed_says_so_first(
    tmp_path: Path, test_database: TestDatabase
) -> None:
    """Issue #15: a runner with no performance keeps the population CS; the plan's
    preview (``generate`` without ``--save``) says so first, as the saved plan does."""
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    env, runner = cli_with_runner(tmp_path, url)
    args = ("--runner", runner, "--schema", "10 km", "--race-date", PLAN_RACE_DATE.isoformat())
    args += ("--distance-m", "10000")
    text = run_cli(env, "plan", "generate", *args, cwd=tmp_path)
    assert text.exit_code == 0, text.stderr
    warnings = [line for line in text.stdout.splitlines() if line.startswith("warning: ")]
    assert "population default critical speed" in warnings[0]
    preview = json.loads(run_cli(env, "plan", "generate", *args, "--json", cwd=tmp_path).stdout)
    saved = json.loads(
        run_cli(env, "plan", "generate", *args, "--save", "--json", cwd=tmp_path).stdout
    )
    assert preview["warnings"][0]["code"] == "default_critical_speed"
    assert preview["warnings"] == saved["warnings"]
