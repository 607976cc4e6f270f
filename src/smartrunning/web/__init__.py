"""The web application: ``create_app`` assembles config, extensions and feature packages."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from smartrunning.config import Settings, load_settings
from smartrunning.jobs import init_app as init_jobs
from smartrunning.store import User, db
from smartrunning.store.db import render_migration_item
from smartrunning.web import errors, extensions, guard, security
from smartrunning.web.templating import init_app as init_templating

__all__ = ["MIGRATIONS_DIR", "create_app"]

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(
    settings: Settings | None = None, overrides: Mapping[str, Any] | None = None
) -> Flask:
    """Build the Flask app from ``settings`` (read from the environment when omitted).

    Nothing here touches the database; ``smartrunning init`` migrates and seeds.
    """
    settings = settings or load_settings()
    instance = settings.resolved_instance_path
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, instance_path=str(instance))
    secure_cookies = (
        settings.session_cookie_secure
        if settings.session_cookie_secure is not None
        else settings.is_production
    )
    app.config.update(
        SECRET_KEY=settings.resolved_secret_key(),
        SQLALCHEMY_DATABASE_URI=settings.sqlalchemy_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        MAX_CONTENT_LENGTH=int(settings.max_upload_mb * 1_000_000),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="smartrunning_session",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=True,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_HEADERS_ENABLED=False,
        API_TITLE="SmartRunning API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
    )
    if overrides:
        app.config.update(overrides)
    app.extensions["smartrunning.settings"] = settings

    db.init_app(app)
    extensions.migrate.init_app(
        app,
        db,
        directory=str(MIGRATIONS_DIR),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    extensions.csrf.init_app(app)
    extensions.limiter.init_app(app)
    login_manager = extensions.login_manager
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    extensions.api.init_app(app)
    init_jobs(app, settings)

    security.init_app(app)
    guard.init_app(app)
    errors.init_app(app)
    init_templating(app)
    _register_features(app)
    logging.getLogger("smartrunning").setLevel(logging.INFO)
    return app


def _load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active:
        return None
    return user


def _register_features(app: Flask) -> None:
    from smartrunning.web.admin.views import bp as admin_bp
    from smartrunning.web.api import register as register_api
    from smartrunning.web.api.docs import bp as api_docs_bp
    from smartrunning.web.athletes.views import bp as athletes_bp
    from smartrunning.web.athletes.wizard import bp as wizard_bp
    from smartrunning.web.auth.views import bp as auth_bp
    from smartrunning.web.health import bp as health_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(athletes_bp)
    app.register_blueprint(wizard_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(api_docs_bp)
    register_api(extensions.api)
    # The OpenAPI document describes the API, not anyone's data: readable without login.
    guard.public_endpoint(app, "api-docs.openapi_json")
