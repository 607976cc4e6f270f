"""Who am I: the authenticated user and their runner profile."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from smartrunning.accounts import actions as account_services
from smartrunning.accounts.policy import this_user
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes.schemas import MePatch, MeSchema

__all__ = ["blp"]

blp = Blueprint("api_me", __name__, url_prefix="/api/me", description="The current user")


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> dict[str, Any]:
        """The authenticated user, their strongest role, their runner id and the time zone
        and units their pages use (the API itself answers in SI units and UTC)."""
        return _me()

    @blp.arguments(MePatch)
    @blp.response(200, MeSchema)
    def patch(self, data: dict[str, Any]) -> dict[str, Any]:
        """Set the time zone (IANA name) and/or units (km or mi) of the user's pages,
        command output and calendar files; an unknown value answers 400."""
        account_services.set_display_prefs(
            this_user(), time_zone=data.get("time_zone"), units=data.get("units")
        )
        return _me()


def _me() -> dict[str, Any]:
    user = this_user()
    runner = athlete_services.runner_for_user(user)
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role.value if user.role else None,
        "roles": sorted(r.value for r in user.roles),
        "runner_id": runner.id if runner else None,
        "time_zone": user.time_zone or "UTC",
        "units": user.units,
    }
