"""Notifications over the API: the inbox, marking read, and the user's choices."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from smartrunning.accounts.policy import this_user
from smartrunning.notifications import actions, schemas
from smartrunning.notifications.models import Notification
from smartrunning.notifications.schemas import KINDS, NotificationOut, NotificationShape
from smartrunning.platform.pagination import paginate

__all__ = ["StrictBool", "blp"]

blp = Blueprint(
    "api_notifications",
    __name__,
    url_prefix="/api/notifications",
    description="Notifications: the inbox and each user's choices",
)


class StrictBool(fields.Boolean):
    """JSON ``true`` or ``false`` only (marshmallow's Boolean also takes 0, 1, "yes" …)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class InboxQuery(Schema):
    unread = fields.Bool(load_default=False, metadata={"description": "only unread ones"})


class ReadAllOut(Schema):
    marked_read = fields.Int()


class ChoiceSchema(Schema):
    kind = fields.Str(required=True, validate=validate.OneOf(KINDS))
    label = fields.Str(dump_only=True)
    in_app = StrictBool(required=True)
    email = StrictBool(required=True)


class PreferencesSchema(Schema):
    email = fields.Str(
        validate=validate.Length(max=254),
        metadata={"description": "where e-mails go; empty: none"},
    )
    choices = fields.List(fields.Nested(ChoiceSchema), validate=validate.Length(max=len(KINDS)))

    @validates_schema
    def _something(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "email" not in data and "choices" not in data:
            raise ValidationError("Give the e-mail address, choices, or both.", "_schema")


@blp.route("")
class Inbox(MethodView):
    @blp.arguments(InboxQuery, location="query")
    @blp.response(200, NotificationOut(many=True))
    @blp.paginate()
    def get(
        self, query: dict[str, Any], pagination_parameters: PaginationParameters
    ) -> list[NotificationShape]:
        """The caller's notifications, newest first (``unread``: only unread ones)."""
        page = paginate(
            actions.inbox(this_user().id, unread_only=query["unread"]),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
            order_by=[Notification.created_at.desc(), Notification.id.desc()],
        )
        return [schemas.notification_shape(r) for r in page.into(pagination_parameters)]


@blp.route("/<int:notification_id>/read")
class ReadOne(MethodView):
    @blp.response(200, NotificationOut)
    def post(self, notification_id: int) -> NotificationShape:
        """Mark one of the caller's notifications read (another's: 404)."""
        row = actions.mark_read(this_user().id, notification_id)
        return schemas.notification_shape(row)


@blp.route("/read")
class ReadAll(MethodView):
    @blp.response(200, ReadAllOut)
    def post(self) -> Any:
        """Mark every unread notification of the caller read."""
        count = actions.mark_all_read(this_user().id)
        return {"marked_read": count}


def _preferences(user_id: int) -> dict[str, Any]:
    return {
        "email": actions.email_address(user_id),
        "choices": [c.as_dict() for c in actions.choices_for(user_id)],
    }


@blp.route("/preferences")
class Preferences(MethodView):
    @blp.response(200, PreferencesSchema)
    def get(self) -> Any:
        """The caller's e-mail address and, per kind, in the inbox and/or by e-mail."""
        return _preferences(this_user().id)

    @blp.arguments(PreferencesSchema)
    @blp.response(200, PreferencesSchema)
    def put(self, data: dict[str, Any]) -> Any:
        """Change the address and the choices given (kinds not given stay as they are)."""
        user = this_user()
        actions.save_choices(
            user.id,
            address=data.get("email"),
            choices=[(c["kind"], c["in_app"], c["email"]) for c in data.get("choices", [])],
        )
        return _preferences(user.id)
