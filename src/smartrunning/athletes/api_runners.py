"""Runners: list, get, create, update and delete, with the same access rules as the pages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from flask_smorest.pagination import PaginationParameters
from sqlalchemy.orm import selectinload

from smartrunning.accounts.models import Role
from smartrunning.accounts.policy import this_user
from smartrunning.athletes import actions as athlete_services
from smartrunning.athletes import schemas as athlete_schemas
from smartrunning.athletes.models import (
    CoachAssignment,
    Runner,
)
from smartrunning.athletes.policy import (
    get_runner_or_404,
)
from smartrunning.athletes.rules import visible_runners
from smartrunning.athletes.schemas import (
    RunnerCreateSchema,
    RunnerSchema,
    RunnerShape,
    RunnerUpdateSchema,
)
from smartrunning.platform import clock
from smartrunning.platform.pagination import paginate

__all__ = ["blp"]

blp = Blueprint("api_runners", __name__, url_prefix="/api/runners", description="Runners")


@blp.route("")
class Runners(MethodView):
    @blp.response(200, RunnerSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: PaginationParameters) -> list[RunnerShape]:
        """Runners visible to the caller, by name."""
        query = visible_runners(this_user()).options(
            selectinload(Runner.coach_rows).selectinload(CoachAssignment.coach)
        )
        page = paginate(
            query,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
            order_by=(sa.func.lower(Runner.name), Runner.id),
        )
        return [athlete_schemas.runner_shape(r) for r in page.into(pagination_parameters)]

    @blp.arguments(RunnerCreateSchema)
    @blp.response(201, RunnerSchema)
    def post(self, data: dict[str, Any]) -> RunnerShape:
        """Create a runner (coaches and admins). A coach's new runner is assigned to them."""
        user = this_user()
        if not user.has_role(Role.COACH):
            abort(403, message="Only coaches and admins create runners.")
        coach = athlete_services.coach_named(data["coach"], by=user) if data.get("coach") else None
        runner = athlete_services.save_new_runner(
            data["name"],
            data["birth_date"],
            athlete_services.parse_sex(data["sex"]),
            created_by=user,
            today=clock.today(),
            coach=coach,
        )
        return athlete_schemas.runner_shape(runner)


@blp.route("/<int:runner_id>")
class RunnerById(MethodView):
    @blp.response(200, RunnerSchema)
    def get(self, runner_id: int) -> RunnerShape:
        """One runner; another runner's id answers 404."""
        return athlete_schemas.runner_shape(get_runner_or_404(runner_id))

    @blp.arguments(RunnerUpdateSchema)
    @blp.response(200, RunnerSchema)
    def patch(self, data: dict[str, Any], runner_id: int) -> RunnerShape:
        """Change a runner's name, birth date or sex (whoever may see the runner, as on the
        profile page). A new birth date or sex recomputes the runner's sessions."""
        runner = get_runner_or_404(runner_id)
        athlete_services.save_basics(
            runner,
            data.get("name", runner.name),
            data.get("birth_date", runner.birth_date),
            athlete_services.parse_sex(data["sex"]) if "sex" in data else runner.sex,
            today=clock.today(),
        )
        return athlete_schemas.runner_shape(runner)
