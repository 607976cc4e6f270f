"""The server and the queue worker as real processes, as `make run` and operators start them."""

from __future__ import annotations

import http.client
import os
import urllib.request
from pathlib import Path

import pytest

from smartrunning.app import create_app
from smartrunning.platform.queue import get_queue
from tests.processes import free_port, process_env, start, stop, wait_for
from tests.settings import REDIS_ENV, make_settings
from tests.settings import redis_url as worker_redis_url


def test_serve_with_embedded_worker(instance: tuple[Path, str | None], tmp_path: Path) -> None:
    folder, url = instance
    port = free_port()
    env = process_env(folder, url)
    server = start(
        env, "serve", "--port", str(port), "--workers", "2", "--with-worker", cwd=tmp_path
    )
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert b'"database":"ok"' in health.replace(b" ", b"")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as page:
            assert b"Log in" in page.read()
            assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        # One request per connection, though the client would keep it (HTTP/1.1): each
        # request goes to whichever worker accepts it, not to the one holding a connection.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/healthz")
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200
            assert answer.getheader("Connection") == "close"
        finally:
            connection.close()
        app = create_app(
            make_settings(folder, url, SMARTRUNNING_ENV="development", SECRET_KEY=None)
        )
        with app.app_context():
            answer = get_queue().tasks["ping"]().get(blocking=True, timeout=60)
        assert answer["pong"] is True
        assert answer["pid"] != os.getpid()
    finally:
        output = stop(server)
    assert "Booting worker" in output
    assert "Worker consuming the sqlite queue" in output


@pytest.mark.redis
def test_worker_on_redis(instance: tuple[Path, str | None], tmp_path: Path) -> None:
    redis_url = worker_redis_url()
    if not redis_url:
        pytest.skip(f"{REDIS_ENV} not set: the Redis queue runs in the PostgreSQL/Redis pass")
    folder, url = instance
    env = process_env(folder, url, REDIS_URL=redis_url)
    workers = [start(env, "worker", cwd=tmp_path) for _ in range(2)]
    try:
        for worker in workers:  # both consume before any task is queued
            assert worker.stdout is not None
            assert "Worker consuming the redis queue" in worker.stdout.readline().decode()
        settings = make_settings(folder, url, REDIS_URL=redis_url)
        app = create_app(settings)
        with app.app_context():
            queue = get_queue()
            assert queue.backend == "redis"
            queue.huey.flush()
            results = [queue.tasks["ping"]() for _ in range(6)]
            answers = [r.get(blocking=True, timeout=60) for r in results]
        assert all(a["pong"] for a in answers)
        assert {a["pid"] for a in answers} <= {w.pid for w in workers}
    finally:
        for worker in workers:
            stop(worker)
