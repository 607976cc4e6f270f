"""A logged-in client of the workout API and its error shape, for the workout tests."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.helpers import World, csrf_token, login, make_world


class Api:
    """A logged-in client that sends the CSRF header with every write."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = csrf_token(client)

    def get(self, path: str) -> Any:
        return self.client.get(path)

    def send(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        headers = {"X-CSRFToken": self.token}
        if body is not None:
            kwargs["json"] = body
        return self.client.open(path, method=method, headers=headers, **kwargs)


def api_client(app: Flask, username: str = "coach") -> tuple[World, Api]:
    """The test world and an API client logged in as ``username``."""
    world = make_world(app)
    client = app.test_client()
    assert login(client, username).status_code == 302
    return world, Api(client)


def api_error(response: Any, status: int) -> dict[str, Any]:
    """The error of a ``status`` answer, checked to have the error shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    error: dict[str, Any] = response.json["error"]
    assert set(error) == {"code", "message", "details"}
    return error
