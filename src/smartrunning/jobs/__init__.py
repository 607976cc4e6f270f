"""Background jobs: the queue seam and its tasks.

The queue is Huey: SQLite in the instance folder by default (durable, no server), Redis
when ``REDIS_URL`` is set, so ``smartrunning worker`` can run on any number of machines.
Tasks take ids and call a service inside an app context.
"""

from smartrunning.jobs.queue import get_queue, init_app

__all__ = ["get_queue", "init_app"]
