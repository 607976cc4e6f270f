"""``runner response-model ID``: the runner's fitted (or population) response model."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from smartrunning.athletes.cli import runner_or_fail
from smartrunning.athletes.response_model import response_json, response_model
from smartrunning.platform import clock
from smartrunning.platform.cli_output import emit, json_option

__all__ = ["register"]


@click.command("response-model")
@click.argument("runner_id", type=int)
@json_option
@with_appcontext
def response_model_command(runner_id: int, as_json: bool) -> None:
    """Fitness-fatigue parameters fitted to the runner's performances, or population and why."""
    runner = runner_or_fail(runner_id)
    data = response_json(response_model(runner, clock.today()))
    emit(data, as_json, f"Response model: {data['summary']}")


def register(group: AppGroup) -> None:
    """Add ``response-model`` to the ``runner`` group."""
    group.add_command(response_model_command)
