"""Deleting a runner over the API, with the same access rules as the page."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from smartrunning.athletes.policy import get_runner_or_404, may_delete_runner
from smartrunning.coaching import actions as coaching_actions
from smartrunning.coaching.schemas import DeletedRunner, RunnerDeletedSchema

__all__ = ["blp"]

blp = Blueprint("api_runner_deletion", __name__, url_prefix="/api/runners", description="Runners")


@blp.route("/<int:runner_id>")
class RunnerDeletion(MethodView):
    @blp.response(200, RunnerDeletedSchema)
    def delete(self, runner_id: int) -> DeletedRunner:
        """Delete a runner with all their sessions, files, bests, parameters, history and
        plans (the runner's coaches and admins). Refused (409) while an import runs."""
        runner = get_runner_or_404(runner_id)
        if not may_delete_runner(runner):
            abort(403, message="Only the runner's coaches and admins delete a runner.")
        return coaching_actions.delete_runner(runner)
