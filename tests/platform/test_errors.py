"""One answer for a service's refusal: the API envelope, the error page, the CLI message."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from flask import Flask

from smartrunning.accounts.models import Role
from smartrunning.cli import _Commands
from smartrunning.platform.errors import Conflict, InvalidInput, NotFound, ServiceError
from tests.helpers import login, make_user


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (
            InvalidInput("Distance: a positive number.", field="distance_m"),
            422,
            "unprocessable_entity",
        ),
        (Conflict("The name is taken."), 409, "conflict"),
        (NotFound("No such thing."), 404, "not_found"),
    ],
)
def test_api_and_pages_answer_a_service_error_with_its_status(
    app: Flask, error: ServiceError, status: int, code: str
) -> None:
    def refuse() -> str:
        raise error

    app.add_url_rule("/api/refuse", "api_refuse", refuse)
    app.add_url_rule("/refuse", "refuse", refuse)
    make_user(app, "admin", Role.ADMIN)
    client = app.test_client()
    login(client, "admin")

    api = client.get("/api/refuse")
    assert api.status_code == status
    assert api.json == {
        "error": {"code": code, "message": error.message, "details": error.details()}
    }
    page = client.get("/refuse")
    assert page.status_code == status
    assert error.message in page.get_data(as_text=True)
    assert "<!doctype html>" in page.get_data(as_text=True).lower()


def test_the_field_of_an_invalid_input_names_where_it_is() -> None:
    assert InvalidInput("Bad.", field="weight_kg").details() == {"json": {"weight_kg": ["Bad."]}}
    assert Conflict("Taken.").details() == {"json": {"_": ["Taken."]}}


def test_a_command_refused_by_a_service_says_why_and_exits_1() -> None:
    @click.group(cls=_Commands, create_app=lambda: Flask("x"), add_version_option=False)
    def group() -> None:
        pass

    @group.command("refuse")
    def refuse() -> None:
        raise Conflict("That runner is being imported.")

    result = CliRunner().invoke(group, ["refuse"])
    assert result.exit_code == 1
    assert "Error: That runner is being imported." in result.output
