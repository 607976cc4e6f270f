"""Who am I: the authenticated user and their runner profile."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from smartrunning.accounts import actions as account_services
from smartrunning.accounts.policy import this_user
from smartrunning.accounts.schemas import MePatch, MeSchema, UserShape, user_shape

__all__ = ["blp"]

blp = Blueprint("api_me", __name__, url_prefix="/api/me", description="The current user")


@blp.route("")
class Me(MethodView):
    @blp.response(200, MeSchema)
    def get(self) -> UserShape:
        """The authenticated user, their strongest role, their runner id and the time zone
        and units their pages use (the API itself answers in SI units and UTC)."""
        return user_shape(this_user())

    @blp.arguments(MePatch)
    @blp.response(200, MeSchema)
    def patch(self, data: dict[str, Any]) -> UserShape:
        """Set the time zone (IANA name) and/or units (km or mi) of the user's pages,
        command output and calendar files; an unknown value answers 400."""
        account_services.set_display_prefs(
            this_user(), time_zone=data.get("time_zone"), units=data.get("units")
        )
        return user_shape(this_user())
