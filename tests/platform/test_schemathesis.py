"""Schemathesis against our OpenAPI document, with a token for each role.

Every operation is called with generated requests (valid and invalid); no answer may be a
5xx, and every answer must match the schema the document gives for it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from smartrunning.accounts import tokens as token_services
from smartrunning.accounts.models import User
from smartrunning.app import create_app
from smartrunning.platform.db import db
from tests.helpers import make_world, with_plans
from tests.settings import make_settings

ROLES = ("runner", "coach", "admin")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    negative_data_rejection,
]


@pytest.fixture
def role_headers(app: Flask) -> dict[str, dict[str, str]]:
    with_plans(app, make_world(app))
    headers = {}
    with app.app_context():
        for role in ROLES:
            user = db.session.execute(db.select(User).filter_by(username=role)).scalar_one()
            _, token = token_services.create_token(user, "schemathesis")
            headers[role] = {"Authorization": f"Bearer {token}"}
        db.session.commit()
    return headers


def _document() -> dict[str, Any]:
    """The OpenAPI document as the app serves it (it needs no database)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(make_settings(Path(folder), f"sqlite:///{folder}/unused.sqlite3"))
        response = app.test_client().get("/api/openapi.json")
        assert response.status_code == 200
        return dict(response.json)


schema = schemathesis.openapi.from_dict(_document())


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_document(
    app: Flask, case: Any, role_headers: dict[str, dict[str, str]]
) -> None:
    """Each generated request is sent as a runner, a coach and an admin."""
    for role in ROLES:
        case.call_and_validate(app=app, headers=role_headers[role], checks=CHECKS)
