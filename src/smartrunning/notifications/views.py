"""The inbox, the user's choices of notifications, and unsubscribing from an e-mail's link
(without login). The header's unread count comes from ``unread_in_header``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from smartrunning.accounts.policy import this_user
from smartrunning.notifications import actions
from smartrunning.notifications.models import Notification, NotificationKind
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.guard import public
from smartrunning.platform.pagination import paginate
from smartrunning.platform.security import safe_next

__all__ = ["bp"]

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")

PAGE_SIZE = 50


@bp.app_context_processor
def unread_in_header() -> dict[str, object]:
    """``unread_notifications`` for the header (one count per page of a logged-in user)."""
    if not current_user.is_authenticated or current_user.must_change_password:
        return {"unread_notifications": 0}
    return {"unread_notifications": actions.unread_count(current_user.id)}


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 0 < int(raw) < 10**6:
        abort(400, "page must be a whole number from 1")
    return int(raw)


@bp.get("")
def inbox() -> ResponseReturnValue:
    user = this_user()
    unread_only = request.args.get("unread") == "1"
    page = paginate(
        actions.inbox(user.id, unread_only=unread_only),
        page=_page_number(),
        page_size=PAGE_SIZE,
        order_by=[Notification.created_at.desc(), Notification.id.desc()],
    )
    return render_template("notifications/inbox.html", page=page, unread_only=unread_only)


@bp.get("/<int:notification_id>")
def open_notification(notification_id: int) -> ResponseReturnValue:
    """Mark it read and go to what it is about (the inbox when it links nowhere)."""
    row = actions.mark_read(this_user().id, notification_id)
    return redirect(safe_next(row.link) or url_for("notifications.inbox"))


@bp.post("/read")
def read_all() -> ResponseReturnValue:
    count = actions.mark_all_read(this_user().id)
    flash(f"{count} notification{'s' if count != 1 else ''} marked read.", "success")
    return redirect(url_for("notifications.inbox"))


@bp.route("/settings", methods=["GET", "POST"])
def settings() -> ResponseReturnValue:
    """The e-mail address and, per kind, in the inbox and/or by e-mail."""
    user = this_user()
    error = None
    address = actions.email_address(user.id)
    if request.method == "POST":
        address = request.form.get("email", "")
        choices = [
            (
                kind,
                request.form.get(f"in_app_{kind.value}") == "on",
                request.form.get(f"email_{kind.value}") == "on",
            )
            for kind in NotificationKind
        ]
        try:
            actions.save_choices(user.id, address=address, choices=choices)
        except InvalidInput as exc:
            error = exc.message
        else:
            flash("Your notification choices are saved.", "success")
            return redirect(url_for("notifications.settings"))
    return render_template(
        "notifications/settings.html",
        choices=actions.choices_for(user.id),
        address=address,
        error=error,
    ), 422 if error else 200


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
def unsubscribe(token: str) -> ResponseReturnValue:
    """An e-mail's link: GET asks, POST turns that kind's e-mails off (mail scanners open
    links; only the button changes anything)."""
    if request.method == "POST":
        _user, kind = actions.unsubscribe(token)
        return render_template("notifications/unsubscribed.html", kind=kind, done=True)
    _user, kind = actions.user_for_unsubscribe(token)
    return render_template("notifications/unsubscribed.html", kind=kind, done=False)
