"""Configuration: secrets, validation of values, and the security headers they lead to."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.app import create_app
from smartrunning.platform.config import ConfigError
from smartrunning.platform.security import safe_next
from tests.settings import make_settings


def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, None, SMARTRUNNING_ENV="production", SECRET_KEY=None)
    with pytest.raises(ConfigError, match="SECRET_KEY is required in production"):
        create_app(settings)


@pytest.mark.parametrize("key", ["change-me", "replace-with-a-long-random-string", "short"])
def test_production_refuses_a_default_or_short_secret_key(tmp_path: Path, key: str) -> None:
    settings = make_settings(tmp_path, None, SMARTRUNNING_ENV="production", SECRET_KEY=key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(settings)


def test_development_generates_and_keeps_a_random_secret(tmp_path: Path) -> None:
    first = make_settings(tmp_path, None, SMARTRUNNING_ENV="development", SECRET_KEY=None)
    key = first.resolved_secret_key()
    assert len(key) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    again = make_settings(tmp_path, None, SMARTRUNNING_ENV="development", SECRET_KEY=None)
    assert again.resolved_secret_key() == key
    other = make_settings(tmp_path / "b", None, SMARTRUNNING_ENV="development", SECRET_KEY=None)
    assert other.resolved_secret_key() != key


def test_production_cookies_are_secure(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, None, SMARTRUNNING_ENV="production")
    app = create_app(settings)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, None)
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path.resolve()}/smartrunning.sqlite3"


def test_postgres_urls_use_psycopg3(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, "postgres://u@h/db")
    assert settings.sqlalchemy_url == "postgresql+psycopg://u@h/db"


def test_validation_limits_have_the_documented_defaults(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, None)
    assert (settings.hr_min_bpm, settings.hr_max_bpm) == (30, 220)
    assert settings.moving_speed_mps == pytest.approx(0.5)
    assert settings.gps_jump_mps == pytest.approx(12.0)


def test_wrong_values_name_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="PORT"):
        make_settings(tmp_path, None, PORT=70000)
    with pytest.raises(ValueError, match="HR_MIN_BPM must be below HR_MAX_BPM"):
        make_settings(tmp_path, None, HR_MIN_BPM=230)


def test_env_example_documents_every_setting() -> None:
    from smartrunning.platform.config import Settings

    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    documented = {line.split("=")[0].lstrip("# ").strip() for line in example.splitlines()}
    names = {field.alias for field in Settings.model_fields.values()}
    assert names - documented == set()


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_or_styles(app: Flask, client: FlaskClient) -> None:
    from tests.helpers import login, make_world

    make_world(app)
    login(client, "admin")
    for path in ("/login", "/athletes", "/admin/", "/admin/users/new", "/password"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert "<script>" not in page
        assert " style=" not in page
        assert "<style" not in page


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/runners/3?tab=x", True),
        ("/", True),
        ("", False),
        ("runners", False),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
        ("http:/evil.example", False),
        ("/\x00x", False),
    ],
)
def test_safe_next(target: str, safe: bool) -> None:
    assert (safe_next(target) is not None) is safe


def test_oversized_request_gets_a_clear_413(app: Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    client = app.test_client()
    page = client.post("/login", data={"username": "x" * 5000})
    assert page.status_code == 413
    assert "too large" in page.get_data(as_text=True)
    api = client.post("/api/runners", data=b"x" * 5000, content_type="application/json")
    assert api.status_code == 413
    assert api.json["error"]["code"] == "request_entity_too_large"


def test_requests_are_logged_as_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from tests.database import sqlite_template

    template = sqlite_template(tmp_path / "db")
    settings = make_settings(tmp_path / "instance", template.url_for(tmp_path), LOG_FORMAT="json")
    client = create_app(settings).test_client()
    client.get("/login?next=/athletes")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
    request = next(line for line in lines if line["message"] == "request")
    assert request["method"] == "GET"
    assert request["path"] == "/login"
    assert request["status"] == 200
    assert request["level"] == "INFO"
    assert request["duration_ms"] >= 0
    assert request["user_id"] is None
