"""The command line, run as a user runs it: a real process with a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commands import cli_env, run_cli, run_process
from tests.database import TestDatabase

pytestmark = pytest.mark.usefixtures("test_database", "on_written_day")


@pytest.fixture
def env(tmp_path: Path, test_database: TestDatabase) -> dict[str, str]:
    url = None if test_database.backend == "sqlite" else test_database.url_for(tmp_path)
    return cli_env(tmp_path / "instance", url)


def test_init_is_idempotent_and_prints_the_generated_password_once(
    env: dict[str, str], tmp_path: Path
) -> None:

    first = run_cli(env, "init", "--json", cwd=tmp_path)
    assert first.exit_code == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["admin_created"] is True
    assert len(data["admin_password"]) >= 16
    second = run_cli(env, "init", "--json", cwd=tmp_path)
    assert second.exit_code == 0, second.stderr
    again = json.loads(second.stdout)
    assert again == {
        "migrated": True,
        "admin_created": False,
        "default_workouts_added": 0,
        "default_schemas_added": 0,
    }


def test_init_takes_the_admin_password_from_the_environment(
    env: dict[str, str], tmp_path: Path
) -> None:
    env["SMARTRUNNING_ADMIN_PASSWORD"] = "given admin passphrase"
    result = run_cli(env, "init", "--json", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["admin_created"] is True
    assert "admin_password" not in data


def test_create_user_runner_and_set_password(env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    coach = run_cli(
        env, "create-user", "--username", "Coach.Kim", "--role", "coach", "--json", cwd=tmp_path
    )
    assert coach.exit_code == 0, coach.stderr
    coach_data = json.loads(coach.stdout)
    assert coach_data["username"] == "coach.kim"
    assert coach_data["must_change_password"] is True
    runner = run_cli(
        env,
        "runner",
        "create",
        "--name",
        "Lena Lauf",
        "--birth-date",
        "1988-03-04",
        "--sex",
        "f",
        "--coach",
        "coach.kim",
        "--json",
        cwd=tmp_path,
    )
    assert runner.exit_code == 0, runner.stderr
    runner_data = json.loads(runner.stdout)
    assert isinstance(runner_data["id"], int)
    assert runner_data["coaches"] == ["coach.kim"]
    assert runner_data["birth_date"] == "1988-03-04"
    changed = run_cli(
        env,
        "set-password",
        "coach.kim",
        "--password",
        "brand new passphrase",
        "--json",
        cwd=tmp_path,
    )
    assert changed.exit_code == 0, changed.stderr
    assert json.loads(changed.stdout)["must_change_password"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create-user", "--username", "x1", "--role", "boss"), "Unknown role"),
        (
            ("create-user", "--username", "shorty", "--role", "coach", "--password", "abc"),
            "at least 10 characters",
        ),
        (("create-user", "--username", "admin", "--role", "coach"), "already taken"),
        (
            ("runner", "create", "--name", "A", "--birth-date", "2999-01-01", "--sex", "f"),
            "Birth date",
        ),
        (
            ("runner", "create", "--name", "A", "--birth-date", "1990-01-01", "--sex", "q"),
            "'q' is not one of",
        ),
        (
            (
                "runner",
                "create",
                "--name",
                "A",
                "--birth-date",
                "1990-01-01",
                "--sex",
                "f",
                "--coach",
                "ghost",
            ),
            "No user 'ghost'",
        ),
        (("set-password", "ghost", "--password", "whatever passphrase"), "No user 'ghost'"),
    ],
)
def test_bad_input_is_refused_clearly(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    result = run_cli(env, *args, cwd=tmp_path)
    assert result.exit_code != 0
    assert message in result.stderr


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "instance", None, SMARTRUNNING_ENV="production")
    del env["SECRET_KEY"]
    result = run_process(env, "init", cwd=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is required in production" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        "init",
        "serve",
        "worker",
        "create-user",
        "set-password",
        "runner create",
        "runner show",
        "runner update",
        "runner delete",
        "pb add",
        "params set",
    ],
)
def test_every_command_has_help(tmp_path: Path, command: str) -> None:
    env = cli_env(tmp_path / "instance", None)
    result = run_process(env, *command.split(), "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_runner_show_pb_add_and_params_set(env: dict[str, str], tmp_path: Path) -> None:
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    created = run_cli(
        env,
        "runner",
        "create",
        "--name",
        "Cli Runner",
        "--birth-date",
        "1990-01-01",
        "--sex",
        "m",
        "--json",
        cwd=tmp_path,
    )
    runner_id = str(json.loads(created.stdout)["id"])
    for distance, time, day in (
        ("1400", "300", "2026-03-01"),
        ("2600", "10:00", "2026-04-01"),
        ("3800", "0:15:00", "2026-05-01"),
    ):
        added = run_cli(
            env,
            "pb",
            "add",
            runner_id,
            "--distance-m",
            distance,
            "--time",
            time,
            "--date",
            day,
            "--json",
            cwd=tmp_path,
        )
        assert added.exit_code == 0, added.output
    last = json.loads(added.stdout)
    assert last["critical_speed"]["source"] == "formula"
    assert last["critical_speed"]["value"]["cs_mps"] == pytest.approx(4.0)
    assert last["critical_speed"]["value"]["d_prime_m"] == pytest.approx(200.0)
    params = run_cli(
        env,
        "params",
        "set",
        runner_id,
        "--on",
        "2026-02-01",
        "hrmax_bpm=192",
        "hrrest_bpm=47",
        'hr_zones={"method": "percent_hrr", "start": 0.5, "uppers": [0.6, 0.7, 0.8, 0.9, 1.0]}',
        "--json",
        cwd=tmp_path,
    )
    assert params.exit_code == 0, params.output
    shown = run_cli(env, "runner", "show", runner_id, "--json", cwd=tmp_path)
    assert shown.exit_code == 0, shown.output
    profile = json.loads(shown.stdout)
    assert profile["parameters"]["hrmax_bpm"] == {
        "value": 192,
        "source": "measured",
        "valid_from": "2026-02-01",
    }
    # Karvonen zone 1 upper bound: 47 + 0.6 · (192 − 47) = 134.
    assert profile["hr_zones"][0]["upper"] == pytest.approx(134.0)
    assert profile["critical_speed"]["report"]["r_squared"] == pytest.approx(1.0)
    assert [v["valid_from"] for v in profile["critical_speed"]["versions"]] == [
        "2026-04-01",
        "2026-05-01",
    ]
    assert {row["distance"] for row in profile["predictions"]} >= {"5k", "marathon"}
    earlier = run_cli(
        env, "runner", "show", runner_id, "--on", "2026-01-15", "--json", cwd=tmp_path
    )
    assert json.loads(earlier.stdout)["parameters"]["hrmax_bpm"]["source"] == "estimated"
    text = run_cli(env, "runner", "show", runner_id, cwd=tmp_path)
    assert "CS 4.00 m/s (4:10 /km)" in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("pb", "add", "1", "--distance-m", "5000", "--time", "4:00", "--date", "2026-01-01"),
            "faster than humanly possible",
        ),
        (
            ("pb", "add", "1", "--distance-m", "5000", "--time", "4:99", "--date", "2026-01-01"),
            "below 60",
        ),
        (
            ("pb", "add", "99", "--distance-m", "5000", "--time", "20:00", "--date", "2026-01-01"),
            "No runner 99",
        ),
        (("params", "set", "1", "--on", "2026-01-01", "hrmax_bpm=abc"), "must be a number"),
        (("params", "set", "1", "--on", "2026-01-01", "vo2=50"), "Unknown parameter"),
        (("params", "set", "1", "--on", "2026-01-01", "hr_zones={bad"), "not valid JSON"),
        (("params", "set", "1", "--on", "2999-01-01", "hrmax_bpm=190"), "future"),
    ],
)
def test_athlete_commands_refuse_bad_input(
    env: dict[str, str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    run_cli(
        env,
        "runner",
        "create",
        "--name",
        "A B",
        "--birth-date",
        "1990-01-01",
        "--sex",
        "f",
        cwd=tmp_path,
    )
    result = run_cli(env, *args, cwd=tmp_path)
    assert result.exit_code != 0
    assert message in result.stderr
