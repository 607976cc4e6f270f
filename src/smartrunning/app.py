"""The web application: ``create_app`` assembles config, extensions and feature packages."""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping
from typing import Any

from flask import Flask, Request, Response, g, request
from flask_login import current_user
from sqlalchemy.orm import joinedload
from werkzeug.routing import IntegerConverter, Map

from smartrunning.accounts import tokens
from smartrunning.accounts.models import Role, User
from smartrunning.accounts.schemas import set_runner_lookup
from smartrunning.accounts.settings import bp as settings_bp
from smartrunning.accounts.views import bp as auth_bp
from smartrunning.admin.views import bp as admin_bp
from smartrunning.athletes import actions as athlete_actions
from smartrunning.athletes.api import blp as athletes_blp
from smartrunning.athletes.api_me import blp as me_blp
from smartrunning.athletes.api_response import blp as response_model_blp
from smartrunning.athletes.api_runners import blp as runners_blp
from smartrunning.athletes.api_tools import blp as tools_blp
from smartrunning.athletes.profile_basis import set_basis_source
from smartrunning.athletes.response_model import set_response_source
from smartrunning.athletes.views import bp as athletes_bp
from smartrunning.athletes.wizard import bp as wizard_bp
from smartrunning.coaching.api import blp as runner_deletion_blp
from smartrunning.coaching.views import bp as coaching_bp
from smartrunning.feedback import actions as feedback_actions
from smartrunning.feedback import tasks as feedback_tasks
from smartrunning.feedback.api import blp as feedback_api_blp
from smartrunning.feedback.views import bp as feedback_bp
from smartrunning.notifications import tasks as notification_tasks
from smartrunning.notifications.api import blp as notifications_api_blp
from smartrunning.notifications.views import bp as notifications_bp
from smartrunning.plans import profile_basis as plan_profile_basis
from smartrunning.plans import projection, replan_tasks
from smartrunning.plans import response as plan_response
from smartrunning.plans import tasks as plan_tasks
from smartrunning.plans.api import blp as plans_api_blp
from smartrunning.plans.replan_api import blp as replan_api_blp
from smartrunning.plans.replan_views import bp as replan_bp
from smartrunning.plans.schema_views import bp as plan_schemas_bp
from smartrunning.plans.views import bp as plans_bp
from smartrunning.platform import error_pages as errors
from smartrunning.platform import extensions, guard, jsonio, security
from smartrunning.platform.api_docs import bp as api_docs_bp
from smartrunning.platform.config import (
    Settings,
    load_settings,
)
from smartrunning.platform.db import MIGRATIONS_DIR, db, render_migration_item
from smartrunning.platform.health import bp as health_bp
from smartrunning.platform.logs import (
    configure_logging,
    logger,
)
from smartrunning.platform.queue import Queue
from smartrunning.platform.queue import init_app as init_queue
from smartrunning.platform.templating import init_app as init_templating
from smartrunning.platform.throttle import storage_uri
from smartrunning.sessions import history, recompute
from smartrunning.sessions import tasks as session_tasks
from smartrunning.sessions.api import blp as sessions_api_blp
from smartrunning.sessions.api import jobs_blp
from smartrunning.sessions.views import bp as sessions_bp
from smartrunning.workouts.api import blp as workouts_api_blp
from smartrunning.workouts.views import bp as workouts_bp

__all__ = ["create_app"]


def create_app(
    settings: Settings | None = None, overrides: Mapping[str, Any] | None = None
) -> Flask:
    """Build the Flask app from ``settings`` (read from the environment when omitted).

    Nothing here touches the database; ``smartrunning init`` migrates and seeds.
    """
    settings = settings or load_settings()
    instance = settings.resolved_instance_path
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance),
        static_folder="platform/static",
        template_folder="platform/templates",
    )
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
        # Checked in ``security.csrf_unless_token``: requests with an API token are exempt.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_SSL_STRICT=True,
        # Every web process counts in the same store: Redis, else a SQLite file.
        RATELIMIT_STORAGE_URI=settings.redis_url or storage_uri(instance / "throttle.sqlite3"),
        RATELIMIT_HEADERS_ENABLED=False,
        API_TITLE="SmartRunning API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": "SmartRunning's JSON API. Authenticate with a personal "
                "API token (settings page) as `Authorization: Bearer <token>`."
            },
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer"},
                    "cookieAuth": {
                        "type": "apiKey",
                        "in": "cookie",
                        "name": "smartrunning_session",
                    },
                }
            },
            "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        },
        JSON_SORT_KEYS=False,
    )
    if overrides:
        app.config.update(overrides)
    app.extensions["smartrunning.settings"] = settings
    jsonio.init_app(app)
    # Ids beyond a 32-bit INTEGER key cannot exist: they answer 404, not a database error.
    app.url_map.converters["int"] = DatabaseId

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
    login_manager.request_loader(_load_user_from_token)
    extensions.api.init_app(app)
    queue = init_queue(app, settings)

    security.init_app(app)
    guard.init_app(app)
    app.before_request(jsonio.refuse_deep_json_body)
    app.before_request(security.refuse_nul_bytes)
    errors.init_app(app)
    init_templating(app)
    app.jinja_env.globals["Role"] = Role
    _register_features(app, queue)
    configure_logging(settings.resolved_log_format, settings.log_level)
    app.before_request(_start_timer)
    app.after_request(_log_request)
    return app


class DatabaseId(IntegerConverter):
    """``<int:…>`` limited to what an integer primary key can hold."""

    def __init__(self, url_map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response: Response) -> Response:
    """One structured line per request: method, path, status, duration, user."""
    started = g.get("request_started")
    if request.endpoint != "static" and started is not None:
        logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": current_user.id if current_user.is_authenticated else None,
                "remote_addr": request.remote_addr,
            },
        )
    return response


def _load_user(session_id: str) -> User | None:
    """The user of the session cookie (``User.get_id``), with their roles in the same query
    (every request with a cookie runs this; the roles' own select-in load was a second
    query). A cookie from before the user's latest password change names no one."""
    user_id, _, fingerprint = session_id.partition(".")
    user = (
        db.session.get(User, int(user_id), options=[joinedload(User.role_rows)])
        if user_id.isdigit()
        else None
    )
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(fingerprint, user.password_fingerprint):
        return None
    return user


def _load_user_from_token(request: Request) -> User | None:
    """``Authorization: Bearer <token>``: the token's owner, for API scripts."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    user = tokens.authenticate_token(token.strip())
    if user is not None:
        security.mark_token_authenticated()
    return user


def _register_features(app: Flask, queue: Queue) -> None:
    """Every feature's pages, API and tasks, from the lowest layer up."""
    for page_bp in (
        health_bp,
        api_docs_bp,
        auth_bp,
        settings_bp,
        notifications_bp,
        athletes_bp,
        wizard_bp,
        sessions_bp,
        workouts_bp,
        plans_bp,
        replan_bp,
        plan_schemas_bp,
        feedback_bp,
        coaching_bp,
        admin_bp,
    ):
        app.register_blueprint(page_bp)
    for api_blp in (
        notifications_api_blp,
        me_blp,
        runners_blp,
        runner_deletion_blp,
        athletes_blp,
        response_model_blp,
        tools_blp,
        sessions_api_blp,
        jobs_blp,
        workouts_api_blp,
        plans_api_blp,
        replan_api_blp,
        feedback_api_blp,
    ):
        extensions.api.register_blueprint(api_blp)
    # The OpenAPI document describes the API, not anyone's data: readable without login.
    guard.public_endpoint(app, "api-docs.openapi_json")
    notification_tasks.register(queue)
    session_tasks.register(queue)
    feedback_tasks.register(queue)
    plan_tasks.register(queue)
    replan_tasks.register(queue)
    history.set_plan_source(app, projection)
    set_response_source(app, plan_response)
    set_basis_source(app, plan_profile_basis)
    set_runner_lookup(app, athlete_actions.runner_id_of)
    recompute.set_load_without_own(app, feedback_actions.srpe_load_of)
