"""Creating the Huey queue for an app and registering its tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey
from huey.api import TaskWrapper

from smartrunning.platform.config import Settings

__all__ = ["Queue", "get_queue", "init_app"]

_EXTENSION = "smartrunning.queue"


class Queue:
    """A Huey instance plus the app-bound tasks registered on it, by name."""

    def __init__(self, huey: Huey, app: Flask) -> None:
        self.huey = huey
        self.app = app
        self.tasks: dict[str, TaskWrapper] = {}

    @property
    def backend(self) -> str:
        return "redis" if isinstance(self.huey, RedisHuey) else "sqlite"

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
        return RedisHuey("smartrunning", url=settings.redis_url, utc=True)
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
