"""Creating the Huey queue for an app and registering its tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, Protocol

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper
from redis import ConnectionPool

from smartrunning.platform.config import Settings

__all__ = ["WORKER_STOP_TIMEOUT_S", "Queue", "StopFlag", "get_queue", "init_app"]

_EXTENSION = "smartrunning.queue"

WORKER_STOP_TIMEOUT_S: Final = 45
"""How long a worker told to stop (SIGTERM: a pod moved, a rolling update) waits for its
running tasks before it exits anyway. They finish what they hold or hand it back at their
next step (see ``Queue.stopping``). The Kubernetes manifests' grace period is longer, so
their SIGKILL never comes first."""


class StopFlag(Protocol):
    """Huey's consumer's stop flag (an event for threads, a pipe for processes)."""

    def is_set(self) -> bool: ...


class Queue:
    """A Huey instance plus the app-bound tasks registered on it, by name."""

    def __init__(self, huey: Huey, app: Flask) -> None:
        self.huey = huey
        self.app = app
        self.tasks: dict[str, TaskWrapper] = {}
        self._stop_flag: StopFlag | None = None

    @property
    def backend(self) -> str:
        return "redis" if isinstance(self.huey, RedisHuey) else "sqlite"

    def stop_with(self, flag: StopFlag) -> None:
        """Let tasks see when this worker process is told to stop (``flag``: its consumer's)."""
        self._stop_flag = flag

    def stopping(self) -> bool:
        """True once this process's worker was told to stop (SIGTERM): a long task then
        hands back what it has not done rather than start more. Never in a web process."""
        return self._stop_flag is not None and self._stop_flag.is_set()

    def task(self, name: str, **options: Any) -> Callable[[Callable[..., Any]], TaskWrapper]:
        """Register ``fn`` as a task that runs inside this app's context."""

        def decorator(fn: Callable[..., Any]) -> TaskWrapper:
            app = self.app

            def run_in_app(*args: Any, **kwargs: Any) -> Any:
                with app.app_context():
                    return fn(*args, **kwargs)

            run_in_app.__name__ = name
            wrapper = self.huey.task(name=name, **options)(run_in_app)
            self.tasks[name] = wrapper
            return wrapper

        return decorator


def _make_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        # Bounded waits: with Redis unreachable (a node moved, a network partition) a
        # request, a readiness probe or a worker fails in seconds instead of hanging on
        # the kernel's TCP timeouts. Workers block on the queue for 1 s at a time (Huey's
        # read timeout), well within the socket timeout.
        pool = ConnectionPool.from_url(
            settings.redis_url, socket_connect_timeout=5, socket_timeout=30
        )
        return RedisHuey("smartrunning", connection_pool=pool, utc=True)
    path = settings.resolved_instance_path / "queue.sqlite3"
    return SqliteHuey("smartrunning", filename=str(path), utc=True, timeout=30)


def init_app(app: Flask, settings: Settings) -> Queue:
    """Attach a queue to ``app``; the features register their tasks on it."""
    queue = Queue(_make_huey(settings), app)
    app.extensions[_EXTENSION] = queue
    return queue


def get_queue() -> Queue:
    queue = current_app.extensions[_EXTENSION]
    assert isinstance(queue, Queue)
    return queue
