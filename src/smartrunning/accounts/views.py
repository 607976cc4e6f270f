"""Logging in and out, changing the password, and the landing page per role."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from smartrunning.accounts import actions as accounts
from smartrunning.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
)
from smartrunning.accounts.models import User
from smartrunning.accounts.policy import this_user
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.extensions import (
    limiter,
    username_key,
)
from smartrunning.platform.guard import public
from smartrunning.platform.security import safe_next

__all__ = ["bp"]

bp = Blueprint("auth", __name__, template_folder="templates")

LOGIN_FAILED = "Wrong user name or password."


def _login_failed(response: object) -> bool:
    status = getattr(response, "status_code", 0)
    return bool(status == 200)


def _limit_per_user() -> str:
    return str(current_app.extensions["smartrunning.settings"].login_limit_per_user)


def _limit_per_address() -> str:
    return str(current_app.extensions["smartrunning.settings"].login_limit_per_address)


KNOWN_CLIENT_COOKIE = "smartrunning_known"
_KNOWN_CLIENT_AGE_S = 90 * 24 * 3600


def _known_clients() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key or "", salt="known-client")


def _known_client() -> bool:
    """This browser logged in as the name being tried in the last 90 days (a signed cookie
    set at each login). Such a client is spared the per-name limit, so someone hammering
    a known name cannot lock its owner out; the per-address limit still holds."""
    raw = request.cookies.get(KNOWN_CLIENT_COOKIE, "")
    if not raw:
        return False
    try:
        name = _known_clients().loads(raw, max_age=_KNOWN_CLIENT_AGE_S)
    except BadSignature:
        return False
    return bool(name == accounts.normalise_username(request.form.get("username", "")))


def _remember_client(response: Response, user: User) -> Response:
    response.set_cookie(
        KNOWN_CLIENT_COOKIE,
        _known_clients().dumps(user.username),
        max_age=_KNOWN_CLIENT_AGE_S,
        httponly=True,
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        samesite="Lax",
    )
    return response


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_limit_per_address, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(
    _limit_per_user,
    key_func=username_key,
    methods=["POST"],
    deduct_when=_login_failed,
    exempt_when=_known_client,
)
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data) or url_for("coaching.index"))
    if form.validate_on_submit():
        user = accounts.log_in(
            form.username.data or "", form.password.data or "", form.browser_time_zone.data
        )
        if user is not None:
            login_user(user)
            if user.must_change_password:
                flash("Choose a new password before you continue.", "warning")
                return _remember_client(redirect(url_for("auth.change_password")), user)
            target = safe_next(form.next.data) or url_for("coaching.index")
            return _remember_client(redirect(target), user)
        form.password.errors = [LOGIN_FAILED]
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@public
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        accounts.end_sessions(this_user())  # a copy of this cookie ends with it
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


_WRONG_CURRENT = "smartrunning_wrong_current_password"


def _current_password_wrong(response: object) -> bool:
    return bool(g.get(_WRONG_CURRENT, False))


def _password_key() -> str:
    """Rate-limit key for re-entering the current password: the signed-in user, so a
    stolen session cannot guess the password to change it (or to learn it)."""
    # The limiter runs before the login guard: an anonymous request is keyed apart (and
    # then sent to the login page by the guard).
    return f"password:{current_user.id if current_user.is_authenticated else 'anonymous'}"


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(
    _limit_per_user, key_func=_password_key, methods=["POST"], deduct_when=_current_password_wrong
)
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    user = this_user()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                user, form.current_password.data or "", form.password.data or ""
            )
        except InvalidInput as exc:
            if exc.field == "current_password":
                setattr(g, _WRONG_CURRENT, True)
            field = getattr(form, exc.field or "password", form.password)
            field.errors = [*field.errors, exc.message]
        else:
            login_user(user)  # this session goes on; the others end (``User.get_id``)
            flash("Your password has been changed.", "success")
            return redirect(url_for("coaching.index"))
    minimum = current_app.extensions["smartrunning.settings"].min_password_length
    return render_template(
        "auth/change_password.html", form=form, forced=user.must_change_password, minimum=minimum
    )
