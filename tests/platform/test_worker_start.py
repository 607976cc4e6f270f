"""A worker started before its database is migrated (Kubernetes starts a release's workers
beside its migration job) waits, then consumes once ``init`` has run."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.processes import process_env, start, stop

pytestmark = pytest.mark.slow


def _lines(process: subprocess.Popen[bytes]) -> list[str]:
    """The process's output lines, collected as they come (a thread reads them)."""
    lines: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout

    def read() -> None:
        for line in iter(stdout.readline, b""):
            lines.append(line.decode(errors="replace"))

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for(lines: list[str], text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not any(text in line for line in lines):
        assert time.monotonic() < deadline, f"no {text!r} in {seconds} s: {lines}"
        time.sleep(0.1)


def test_a_worker_waits_for_the_migrations(tmp_path: Path) -> None:
    env = process_env(
        tmp_path / "instance", f"sqlite:///{tmp_path / 'fresh.sqlite3'}", PYTHONUNBUFFERED="1"
    )
    worker = start(env, "worker", cwd=tmp_path)
    try:
        lines = _lines(worker)
        _wait_for(lines, "Waiting for the database: pending", 60)
        assert not any("Worker consuming" in line for line in lines)
        subprocess.run(
            [sys.executable, "-m", "smartrunning", "init"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            timeout=120,
            check=True,
        )
        _wait_for(lines, "Worker consuming the sqlite queue", 60)
        assert worker.poll() is None
    finally:
        stop(worker)
