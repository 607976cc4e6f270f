"""The tasks the workers run. Each takes ids and calls one service."""

from __future__ import annotations

import os
import socket

from smartrunning.jobs.queue import Queue

__all__ = ["register"]


def register(queue: Queue) -> None:
    @queue.task("ping")
    def ping() -> dict[str, object]:
        """Answer with the worker's host and pid: proof that a worker is consuming."""
        return {"pong": True, "host": socket.gethostname(), "pid": os.getpid()}
