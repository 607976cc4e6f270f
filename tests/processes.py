"""Real processes in tests: a free port, the environment of a test instance, starting and
stopping ``smartrunning`` servers and workers, waiting for a URL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_env(instance: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k == "SMARTRUNNING_CLOCK_OFFSET_DAYS"  # a whole run with the clock moved
        or not k.startswith(("SMARTRUNNING_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))
    }
    env.update(SMARTRUNNING_ENV="development", SMARTRUNNING_INSTANCE=str(instance))
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def start(env: dict[str, str], *args: str, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "smartrunning", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.stdout is not None
    return process.stdout.read().decode(errors="replace")


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"process exited early:\n{stop(process)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                return bytes(response.read())
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s:\n{stop(process)}")
