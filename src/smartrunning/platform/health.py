"""Health check for load balancers and monitors: the database and the job queue."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from smartrunning.platform.db import db
from smartrunning.platform.guard import public
from smartrunning.platform.queue import get_queue

__all__ = ["bp"]

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    """200 when the database answers and the queue's storage is reachable, else 503."""
    body: dict[str, object] = {}
    try:
        db.session.execute(sa.text("SELECT 1"))
        body["database"] = "ok"
    except Exception as exc:  # any failure means "unhealthy"
        body["database"] = f"error: {type(exc).__name__}"
    queue = get_queue()
    try:
        body["queue"] = {
            "status": "ok",
            "backend": queue.backend,
            "pending": queue.huey.pending_count(),
        }
        queue_ok = True
    except Exception as exc:  # e.g. Redis unreachable
        body["queue"] = {"status": f"error: {type(exc).__name__}", "backend": queue.backend}
        queue_ok = False
    healthy = body["database"] == "ok" and queue_ok
    body["status"] = "ok" if healthy else "error"
    return jsonify(body), 200 if healthy else 503
