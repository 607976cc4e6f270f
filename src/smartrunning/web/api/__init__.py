"""The JSON API under ``/api``, described by the OpenAPI document at ``/api/openapi.json``.

Schemas (marshmallow, via flask-smorest) both validate requests and generate the document.
Errors have one shape: ``{"error": {"code", "message", "details"}}``.
"""

from __future__ import annotations

from flask_smorest import Api

__all__ = ["register"]


def register(api: Api) -> None:
    from smartrunning.web.api.athletes import blp as athletes_blp
    from smartrunning.web.api.me import blp as me_blp
    from smartrunning.web.api.plans import blp as plans_blp
    from smartrunning.web.api.runners import blp as runners_blp
    from smartrunning.web.api.sessions import blp as sessions_blp
    from smartrunning.web.api.sessions import jobs_blp
    from smartrunning.web.api.tools import blp as tools_blp
    from smartrunning.web.api.workouts import blp as workouts_blp

    api.register_blueprint(me_blp)
    api.register_blueprint(runners_blp)
    api.register_blueprint(athletes_blp)
    api.register_blueprint(tools_blp)
    api.register_blueprint(sessions_blp)
    api.register_blueprint(jobs_blp)
    api.register_blueprint(workouts_blp)
    api.register_blueprint(plans_blp)
