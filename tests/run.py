"""Run the whole test suite, as `make test` and CI do.

1. Everything on SQLite (science, web, browser).
2. The database tests (marked ``db``) and queue tests (marked ``redis``) again on
   PostgreSQL and Redis. Under ``CI=true`` an unreachable server is a failure, not a skip.

Extra arguments go to pytest (e.g. ``python -m tests.run -k login``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from urllib.parse import urlsplit

from tests.settings import POSTGRES_ENV, REDIS_ENV

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    default_port = 5432 if parts.scheme.startswith("postgres") else 6379
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3
        ):
            return True
    except OSError:
        return False


def pytest(args: list[str], env: dict[str, str] | None = None) -> int:
    workers = os.environ.get("PYTEST_WORKERS", "2")
    command = [sys.executable, "-m", "pytest", "-n", workers, *args]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command, env=env)


def main() -> int:
    extra = sys.argv[1:]
    ci = os.environ.get("CI", "").lower() == "true"
    env = {k: v for k, v in os.environ.items() if k not in (POSTGRES_ENV, REDIS_ENV)}
    print("== 1/2: the whole suite on SQLite", flush=True)
    first = pytest(["-m", "not redis", *extra], env)

    postgres = os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES)
    redis = os.environ.get(REDIS_ENV, DEFAULT_REDIS)
    missing = [
        name for name, url in (("PostgreSQL", postgres), ("Redis", redis)) if not reachable(url)
    ]
    if missing:
        message = f"{' and '.join(missing)} not reachable ({postgres}, {redis})"
        if ci:
            print(f"FAILED: {message}; CI requires both.", flush=True)
            return 1
        print(f"== 2/2 not run: {message}. Database tests ran on SQLite only.", flush=True)
        return first
    print("== 2/2: database and queue tests on PostgreSQL and Redis", flush=True)
    second = pytest(
        ["-m", "db or redis", *extra], {**env, POSTGRES_ENV: postgres, REDIS_ENV: redis}
    )
    return first or second


if __name__ == "__main__":
    sys.exit(main())
