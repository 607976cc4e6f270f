"""``serve``: the production server (gunicorn, several workers), optionally with a worker."""

from __future__ import annotations

import ctypes
import gc
import signal
import subprocess
import sys
from typing import Any, Final

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from gunicorn.app.base import BaseApplication

from smartrunning.platform.db import db
from smartrunning.platform.queue import WORKER_STOP_TIMEOUT_S

__all__ = ["GRACEFUL_TIMEOUT_S", "register"]

GRACEFUL_TIMEOUT_S: Final = 30
"""On SIGTERM gunicorn closes its listening socket and lets the requests in progress finish
for up to this long (an upload on a slow line, a large page) before it kills its workers.
The Kubernetes manifests' grace period covers it and the preStop pause before it."""


class _Gunicorn(BaseApplication):
    """Gunicorn serving an app built once in the master (config errors show at start-up)."""

    def __init__(self, app: Flask, options: dict[str, Any]) -> None:
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._app


def _pre_fork(_server: Any, _worker: Any) -> None:
    # The app, its modules and their caches (~195,000 objects the collector tracks) are
    # built in the master and live as long as the worker. A full collection walks them
    # all: 88 ms measured here, inside whichever request triggers it, almost the whole p99
    # budget. Frozen before the fork (the recipe of the gc module's docs), the worker's
    # collector skips them and never writes to their pages, which stay shared.
    gc.freeze()


def _post_fork(app: Flask) -> Any:
    def hook(_server: Any, _worker: Any) -> None:
        # Connections must not be shared across processes.
        with app.app_context():
            db.engine.dispose(close=False)

    return hook


def _die_with_parent() -> None:
    """Linux: the embedded worker gets SIGTERM when the server process dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except OSError:
        pass


@click.command("serve")
@with_appcontext
@click.option("--host", default=None, help="Address to bind (default: HOST or 127.0.0.1).")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=None, help="Port (default: PORT or 5000)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Web worker processes (default: WEB_WORKERS or 2).",
)
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    help="Proxies whose X-Forwarded-Proto is trusted, comma-separated, or '*' (behind a "
    "Kubernetes Ingress, whose address varies, with the pods reachable only through it).",
)
@click.option(
    "--with-worker/--no-worker",
    default=False,
    show_default=True,
    help="Also start a queue worker (the embedded single-machine set-up).",
)
def serve_command(
    host: str | None,
    port: int | None,
    workers: int | None,
    forwarded_allow_ips: str,
    with_worker: bool,
) -> None:
    """Serve the app with gunicorn."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = app.extensions["smartrunning.settings"]
    bind = f"{host or settings.host}:{port or settings.port}"
    options = {
        "bind": bind,
        "workers": workers or settings.web_workers,
        "threads": settings.web_threads,
        "worker_class": "gthread",
        # One request per connection, so each request goes to whichever worker accepts it.
        # With kept-alive connections a worker kept those it happened to accept, and under
        # load one worker of two often held most of them (84 % of the CPU, measured with
        # bench/http.py) while the other idled: half the throughput. Behind the reverse
        # proxy of a production set-up browsers see no change; without one, a new
        # connection per request costs well under a millisecond on a local network.
        "keepalive": 0,
        "timeout": 120,
        "graceful_timeout": GRACEFUL_TIMEOUT_S,
        # No gunicorn access log: the app already logs one JSON line per request (method,
        # path, status, duration, user), and writing both cost ~15 % of a page's CPU.
        "accesslog": None,
        "errorlog": "-",
        "pre_fork": _pre_fork,
        "post_fork": _post_fork(app),
        "forwarded_allow_ips": forwarded_allow_ips,
    }
    embedded = None
    if with_worker:
        embedded = subprocess.Popen(
            [sys.executable, "-m", "smartrunning", "worker"], preexec_fn=_die_with_parent
        )
    click.echo(f"SmartRunning on http://{bind}/ ({settings.env.value})")
    try:
        _Gunicorn(app, options).run()
    finally:
        if embedded is not None:
            embedded.terminate()  # a graceful stop: it finishes or hands back its files
            embedded.wait(timeout=WORKER_STOP_TIMEOUT_S + 5)


def register(group: AppGroup) -> None:
    group.add_command(serve_command)
