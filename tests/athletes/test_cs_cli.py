"""Critical speed on the command line: results with their kind, suggestions to decide, and
marking an imported session as a race."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from smartrunning.platform import clock
from tests.commands import cli_env, run_cli
from tests.database import TestDatabase
from tests.sessions.sessiondata import run_bytes

pytestmark = pytest.mark.usefixtures("test_database")


def _ago(days: int) -> str:
    """The date ``days`` before today on the app's clock (the CLI runs in this process), so
    that the dates stay in the past however the clock is moved."""
    return (clock.today() - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def env(tmp_path: Path, test_database: TestDatabase) -> dict[str, str]:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    env = cli_env(tmp_path / "instance", url)
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    runner = run_cli(
        env, "runner", "create", "--name", "Cleo", "--birth-date", "1990-04-02", "--sex", "f",
        "--json", cwd=tmp_path,
    )  # fmt: skip
    assert runner.exit_code == 0, runner.stderr
    env["RUNNER_ID"] = str(json.loads(runner.stdout)["id"])
    return env


def _json(env: dict[str, str], tmp_path: Path, *args: str) -> dict[str, object]:
    result = run_cli(env, *args, "--json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr + result.stdout
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_results_suggestions_and_decisions(env: dict[str, str], tmp_path: Path) -> None:
    rid = env["RUNNER_ID"]
    added = _json(
        env, tmp_path, "pb", "add", rid, "--distance-m", "5000", "--time", "20:00",
        "--date", _ago(220), "--kind", "race",
    )  # fmt: skip
    assert added["kind"] == "race"
    assert added["anchor"] is True
    assert added["critical_speed"]["source"] == "estimated"  # type: ignore[index]
    training = _json(
        env, tmp_path, "pb", "add", rid, "--distance-m", "1500", "--time", "5:00",
        "--date", _ago(211), "--kind", "training",
    )  # fmt: skip
    assert training["anchor"] is False
    _json(
        env, tmp_path, "params", "set", rid, "--on", _ago(340),
        'critical_speed={"cs_mps": 3.9, "d_prime_m": 180}',
    )  # fmt: skip
    _json(
        env, tmp_path, "pb", "add", rid, "--distance-m", "3000", "--time", "11:40",
        "--date", _ago(189),
    )  # fmt: skip
    listed = _json(env, tmp_path, "cs", "suggestions", rid)
    assert listed["basis"]["basis"] == "measured"  # type: ignore[index]
    suggestions = listed["suggestions"]
    assert isinstance(suggestions, list)
    assert len(suggestions) == 1
    assert suggestions[0]["value"]["cs_mps"] == pytest.approx(4.0)
    text = run_cli(env, "cs", "suggestions", rid, cwd=tmp_path)
    assert "4:10 /km" in text.stdout
    accepted = _json(env, tmp_path, "cs", "accept", rid, str(suggestions[0]["id"]))
    assert accepted["valid_from"] == _ago(189)
    again = run_cli(env, "cs", "dismiss", rid, str(suggestions[0]["id"]), cwd=tmp_path)
    assert again.exit_code != 0
    assert "already accepted" in again.stderr + again.stdout
    missing = run_cli(env, "cs", "accept", rid, "999", cwd=tmp_path)
    assert missing.exit_code != 0
    assert "No such suggestion" in missing.stderr + missing.stdout
    bad = run_cli(
        env, "pb", "add", rid, "--distance-m", "5000", "--time", "20:00",
        "--date", _ago(220), "--kind", "parkrun", cwd=tmp_path,
    )  # fmt: skip
    assert bad.exit_code == 2


def test_sessions_mark_as_race(env: dict[str, str], tmp_path: Path) -> None:
    rid = env["RUNNER_ID"]
    path = tmp_path / "run.fit"
    path.write_bytes(run_bytes(0, duration_s=1300, seed=4))
    imported = run_cli(
        env, "import", "--runner", rid, "--via", "inline", "--json", str(path), cwd=tmp_path
    )
    assert imported.exit_code == 0, imported.stderr
    session_id = str(json.loads(imported.stdout.splitlines()[0])["session_ids"][0])
    marked = _json(env, tmp_path, "sessions", "mark", session_id, "--as", "race")
    assert marked == {"session_id": int(session_id), "performance": "race", "changed": True}
    shown = _json(env, tmp_path, "sessions", "show", session_id)
    assert shown["performance"] == "race"
    profile = _json(env, tmp_path, "runner", "show", rid)
    kinds = {b["kind"] for b in profile["personal_bests"]}  # type: ignore[attr-defined]
    assert "race" in kinds
    assert profile["critical_speed"]["basis"]["basis"] == "estimated"  # type: ignore[index]
    bad = run_cli(env, "sessions", "mark", session_id, "--as", "parkrun", cwd=tmp_path)
    assert bad.exit_code == 2
    missing = run_cli(env, "sessions", "mark", "999", "--as", "race", cwd=tmp_path)
    assert missing.exit_code != 0


def test_pb_delete_and_restore(env: dict[str, str], tmp_path: Path) -> None:
    rid = env["RUNNER_ID"]
    added = _json(
        env, tmp_path, "pb", "add", rid, "--distance-m", "5000", "--time", "20:00",
        "--date", _ago(220),
    )  # fmt: skip
    best = str(added["id"])
    assert _json(env, tmp_path, "pb", "delete", rid, best) == {
        "deleted": added["id"],
        "runner_id": int(rid),
    }
    shown = _json(env, tmp_path, "runner", "show", rid)
    assert all(b["id"] != added["id"] for b in shown["personal_bests"])  # type: ignore[union-attr]
    assert _json(env, tmp_path, "pb", "restore", rid, best)["restored"] == added["id"]
    shown = _json(env, tmp_path, "runner", "show", rid)
    assert any(b["id"] == added["id"] for b in shown["personal_bests"])  # type: ignore[union-attr]
    again = run_cli(env, "pb", "restore", rid, best, cwd=tmp_path)
    assert again.exit_code != 0
    assert "No such deleted personal best" in again.stderr
    missing = run_cli(env, "pb", "delete", rid, "999", "--yes", cwd=tmp_path)
    assert missing.exit_code != 0
    assert "No such personal best" in missing.stderr
