"""The session commands as a user runs them: import, sessions, history, recompute, reprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartrunning.sessions import cli_imports as import_cli
from tests.commands import cli_with_runner, run_cli
from tests.database import TestDatabase
from tests.sessions.sessiondata import LOCAL_FIT_DIR, run_bytes, zip_bytes

pytestmark = pytest.mark.usefixtures("test_database")


@pytest.fixture
def env(tmp_path: Path, test_database: TestDatabase) -> dict[str, str]:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    env, runner_id = cli_with_runner(tmp_path, url)
    env["RUNNER_ID"] = runner_id
    return env


def _lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A folder like a small Garmin export: runs, a ZIP of runs, a broken file, other files."""
    root = tmp_path / "export"
    (root / "activities").mkdir(parents=True)
    (root / "activities" / "run1.fit").write_bytes(run_bytes(0, duration_s=1300, seed=1))
    (root / "activities" / "broken.fit").write_bytes(b"not a fit file")
    (root / "uploads.zip").write_bytes(
        zip_bytes([("a/run2.fit", run_bytes(2, seed=2)), ("a/info.json", b"{}")])
    )
    (root / "settings.fit").write_bytes((LOCAL_FIT_DIR / "Settings.fit").read_bytes())
    (root / "README.txt").write_text("hello")
    return root


def test_import_prints_one_json_object_per_file(
    env: dict[str, str], tmp_path: Path, export: Path
) -> None:
    result = run_cli(
        env, "import", "--runner", env["RUNNER_ID"], "--via", "inline", "--json", str(export),
        cwd=tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    lines = {line["file"]: line for line in _lines(result.stdout)}
    assert set(lines) == {
        "export/activities/broken.fit",
        "export/activities/run1.fit",
        "export/settings.fit",
        "export/uploads.zip/a/run2.fit",
        "export/uploads.zip/a/info.json",
        "export/README.txt",
    }
    assert all(set(line) == {"file", "status", "reason", "session_ids"} for line in lines.values())
    assert lines["export/activities/run1.fit"]["status"] == "imported"
    assert lines["export/uploads.zip/a/run2.fit"]["status"] == "imported"
    assert lines["export/activities/broken.fit"]["status"] == "failed"
    assert str(lines["export/activities/broken.fit"]["reason"]).startswith("not a FIT file")
    assert lines["export/settings.fit"]["status"] == "not_activity"
    assert lines["export/README.txt"]["status"] == "not_activity"
    assert str(lines["export/README.txt"]["reason"]).startswith("skipped")
    again = run_cli(
        env, "import", "--runner", env["RUNNER_ID"], "--via", "inline", "--json",
        str(export / "activities" / "run1.fit"), cwd=tmp_path,
    )  # fmt: skip
    (line,) = _lines(again.stdout)
    assert line["status"] == "duplicate"
    assert line["session_ids"] == lines["export/activities/run1.fit"]["session_ids"]


def test_sessions_history_recompute_and_delete(
    env: dict[str, str], tmp_path: Path, export: Path
) -> None:
    runner = env["RUNNER_ID"]
    imported = run_cli(
        env, "import", "--runner", runner, "--via", "inline", str(export), cwd=tmp_path
    )
    assert imported.exit_code == 0, imported.stderr
    assert "2 imported" in imported.stdout
    listed = run_cli(env, "sessions", "list", "--runner", runner, "--json", cwd=tmp_path)
    sessions = _lines(listed.stdout)
    assert [s["local_date"] for s in sessions] == ["2024-03-03", "2024-03-01"]
    shown = run_cli(env, "sessions", "show", str(sessions[1]["id"]), "--json", cwd=tmp_path)
    detail = json.loads(shown.stdout)
    for key in (
        "distance_m", "timer_time_s", "moving_time_s", "elapsed_time_s", "avg_hr", "max_hr",
        "elevation_gain_m", "loads", "zone_times", "best_efforts", "device_totals",
    ):  # fmt: skip
        assert key in detail, key
    assert detail["loads"]["rtss"] > 0
    assert [e["distance"] for e in detail["best_efforts"]][:3] == ["400m", "800m", "1000m"]
    assert all(e["personal_best_id"] for e in detail["best_efforts"])
    text = run_cli(env, "sessions", "show", str(sessions[1]["id"]), cwd=tmp_path)
    assert "PB" in text.stdout
    assert "distance" in text.stdout
    history = run_cli(
        env, "history", "--runner", runner, "--to", "2024-03-10", "--json", cwd=tmp_path
    )
    days = _lines(history.stdout)
    assert [d["day"] for d in days][:1] == ["2024-03-01"]
    assert days[-1]["day"] == "2024-03-10"
    assert days[0]["load"] > 0
    assert days[1]["load"] == 0
    weekly = run_cli(env, "history", "--runner", runner, "--weekly", "--json", cwd=tmp_path)
    assert _lines(weekly.stdout)[0]["sessions"] == 2
    recomputed = run_cli(env, "recompute", "--runner", runner, "--json", cwd=tmp_path)
    assert _lines(recomputed.stdout)[0]["from_date"] is None  # nothing stale
    everything = run_cli(env, "recompute", "--all", "--json", cwd=tmp_path)
    assert _lines(everything.stdout)[0]["from_date"] == "2024-03-01"
    deleted = run_cli(
        env, "sessions", "delete", str(sessions[0]["id"]), "--yes", "--json", cwd=tmp_path
    )
    assert json.loads(deleted.stdout) == {"deleted": sessions[0]["id"], "restorable_for_s": 600}
    left = _lines(
        run_cli(env, "sessions", "list", "--runner", runner, "--json", cwd=tmp_path).stdout
    )
    assert [s["id"] for s in left] == [sessions[1]["id"]]
    # Within the undo window the session comes back, with what it caused.
    restored = run_cli(env, "sessions", "restore", str(sessions[0]["id"]), "--json", cwd=tmp_path)
    assert json.loads(restored.stdout) == {"restored": sessions[0]["id"]}, restored.stderr
    back = _lines(
        run_cli(env, "sessions", "list", "--runner", runner, "--json", cwd=tmp_path).stdout
    )
    assert sorted(s["id"] for s in back) == sorted(s["id"] for s in sessions)
    again = run_cli(env, "sessions", "restore", str(sessions[0]["id"]), cwd=tmp_path)
    assert again.exit_code != 0
    assert "time to undo may have passed" in again.stderr
    run_cli(env, "sessions", "delete", str(sessions[0]["id"]), "--yes", "--json", cwd=tmp_path)
    missing = run_cli(env, "sessions", "show", "999999", cwd=tmp_path)
    assert missing.exit_code != 0
    assert "No session 999999" in missing.stderr


def test_reprocess_runs_failed_files_again(
    env: dict[str, str], tmp_path: Path, export: Path
) -> None:
    run_cli(
        env, "import", "--runner", env["RUNNER_ID"], "--via", "inline", str(export), cwd=tmp_path
    )
    again = run_cli(env, "reprocess", "--via", "inline", "--json", cwd=tmp_path)
    assert again.exit_code == 0, again.stderr
    lines = {line["file"]: line["status"] for line in _lines(again.stdout)}
    # broken.fit (not a FIT file) was refused and its bytes not kept: nothing to run again.
    assert lines == {"export/settings.fit": "not_activity"}


def test_without_a_worker_the_import_runs_here(
    env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_cli, "WORKER_WAIT_S", 0.5)
    path = tmp_path / "run.fit"
    path.write_bytes(run_bytes(0))
    result = run_cli(env, "import", "--runner", env["RUNNER_ID"], "--json", str(path), cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "No worker took the job" in result.stderr
    assert _lines(result.stdout)[0]["status"] == "imported"


def test_unknown_runner_is_refused(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "run.fit"
    path.write_bytes(run_bytes(0))
    result = run_cli(env, "import", "--runner", "4242", str(path), cwd=tmp_path)
    assert result.exit_code != 0
    assert "No runner 4242" in result.stderr


@pytest.mark.parametrize(
    "command",
    ["import", "reprocess", "recompute", "history", "sessions list", "sessions show",
     "sessions delete", "sessions restore"],
)  # fmt: skip
def test_every_session_command_has_help(env: dict[str, str], tmp_path: Path, command: str) -> None:
    result = run_cli(env, *command.split(), "--help", cwd=tmp_path)
    assert result.exit_code == 0
    assert "--json" in result.stdout
