"""Flask extensions, created unbound and attached in ``create_app``."""

from __future__ import annotations

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_wtf.csrf import CSRFProtect
from marshmallow import Schema, fields

__all__ = ["api", "csrf", "limiter", "login_manager", "migrate", "username_key"]


class ErrorBody(Schema):
    code = fields.Str(required=True)
    message = fields.Str(required=True)
    details = fields.Raw()


class ErrorSchema(Schema):
    """Every API error: ``{"error": {"code", "message", "details"}}``."""

    error = fields.Nested(ErrorBody, required=True)


class SmartRunningApi(Api):
    """flask-smorest documenting our error shape instead of its own."""

    ERROR_SCHEMA = ErrorSchema


login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()
api = SmartRunningApi()
limiter = Limiter(key_func=get_remote_address, strategy="moving-window")


def username_key() -> str:
    """Rate-limit key for login attempts against one user name, whoever sends them."""
    return "user:" + request.form.get("username", "").strip().lower()
