"""Running the ``smartrunning`` command in tests: in process (click's runner) or as a real
process, with an environment for a test's own instance and database.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from smartrunning.cli import main


def cli_env(instance: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k == "SMARTRUNNING_CLOCK_OFFSET_DAYS"  # a whole run with the clock moved
        or not k.startswith(("SMARTRUNNING_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))
    }
    env.update(
        SMARTRUNNING_ENV="testing",
        SMARTRUNNING_INSTANCE=str(instance),
        SECRET_KEY="cli-test-" + "k" * 40,
    )
    env.update(extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_cli(env: dict[str, str], *args: str, cwd: Path) -> Result:
    """Run the command in this process, with exactly ``env`` as its environment."""
    runner = CliRunner()
    cleared = dict.fromkeys(os.environ, None)
    with contextlib.chdir(cwd):
        return runner.invoke(main, list(args), env={**cleared, **env}, catch_exceptions=False)


def run_process(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command as a separate process, exactly as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "smartrunning", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cli_with_runner(
    tmp_path: Path, database_url: str | None, instance: str = "instance"
) -> tuple[dict[str, str], str]:
    """A test's own instance (``tmp_path / instance``), initialised, with one runner,
    Rita: the command's environment and her id, as text for the command line."""
    env = cli_env(tmp_path / instance, database_url)
    assert run_cli(env, "init", cwd=tmp_path).exit_code == 0
    made = run_cli(
        env, "runner", "create", "--name", "Rita", "--birth-date", "1990-04-02", "--sex", "f",
        "--json", cwd=tmp_path,
    )  # fmt: skip
    assert made.exit_code == 0, made.stderr
    return env, str(json.loads(made.stdout)["id"])
