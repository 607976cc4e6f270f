"""Who am I: the authenticated user and their runner profile."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from smartrunning.accounts.policy import this_user
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes.schemas import MeSchema

__all__ = ["blp"]

blp = Blueprint("api_me", __name__, url_prefix="/api/me", description="The current user")


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> dict[str, Any]:
        """The authenticated user, their strongest role and their runner id."""
        user = this_user()
        runner = athlete_services.runner_for_user(user)
        return {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "role": user.role.value if user.role else None,
            "roles": sorted(r.value for r in user.roles),
            "runner_id": runner.id if runner else None,
        }
