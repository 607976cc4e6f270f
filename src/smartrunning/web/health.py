"""Health check for load balancers and monitors."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from smartrunning.store import db
from smartrunning.web.guard import public

__all__ = ["bp"]

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz() -> ResponseReturnValue:
    try:
        db.session.execute(sa.text("SELECT 1"))
        database = "ok"
    except Exception as exc:
        database = f"error: {type(exc).__name__}"
    healthy = database == "ok"
    return jsonify({"status": "ok" if healthy else "error", "database": database}), (
        200 if healthy else 503
    )
