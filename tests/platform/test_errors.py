"""One answer for a service's refusal: the API envelope, the error page, the CLI message."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner
from flask import Flask

from smartrunning.accounts.models import Role
from smartrunning.cli import _Commands
from smartrunning.platform.errors import Conflict, InvalidInput, NotFound, ServiceError
from tests.helpers import csrf_token, login, make_user


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


def test_a_form_with_too_many_fields_is_told_so_not_called_an_upload(app: Flask) -> None:
    """werkzeug refuses a form of over ``max_form_parts`` fields with 413; under the upload
    limit, that is a form too large, and the page says so (an upload over it stays one)."""

    def echo() -> str:
        from flask import request

        return str(len(request.form))

    app.add_url_rule("/echo-form", "echo_form", echo, methods=["POST"])
    make_user(app, "admin", Role.ADMIN)
    client = app.test_client()
    login(client, "admin")
    token = csrf_token(client, "/")

    ok = client.post("/echo-form", data={"csrf_token": token, **{f"f{i}": "1" for i in range(10)}})
    many = client.post(
        "/echo-form",
        data={"csrf_token": token, **{f"f{i}": "1" for i in range(1500)}},
        content_type="multipart/form-data",
    )

    assert ok.status_code == 200
    assert many.status_code == 413
    text = many.get_data(as_text=True)
    assert "The form is too large: a form here holds at most 1000 fields." in text
    assert "upload" not in text.lower().split("too large")[0]
