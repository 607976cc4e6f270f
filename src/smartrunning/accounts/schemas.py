"""A user as the API, the CLI and the pages show it: :class:`UserShape`, built by
:func:`user_shape` alone; ``GET``/``PATCH /api/me`` serialise it with :data:`MeSchema`
(derived from the same fields; OpenAPI component ``Me``), ``create-user --json`` and
``preferences --json`` print :meth:`~smartrunning.platform.shapes.Shape.as_dict`.
:class:`MePatch`: what ``PATCH /api/me`` takes (the time zone and units).

The user's runner profile belongs to a feature above this one (``athletes``): the app hands
in how to find it (:func:`set_runner_lookup`), as it hands the history its plan source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from flask import Flask, current_app
from marshmallow import Schema, ValidationError, fields, validates_schema

from smartrunning.accounts.models import User
from smartrunning.platform.shapes import NOT_IN_API, Shape, doc, schema_of

__all__ = ["MePatch", "MeSchema", "RunnerLookup", "UserShape", "set_runner_lookup", "user_shape"]

_KEY = "smartrunning.runner_lookup"

RunnerLookup = Callable[[User], "int | None"]
"""The id of the user's own runner profile, ``None`` without one."""


@dataclass(frozen=True, slots=True)
class UserShape(Shape):
    """A user: their strongest ``role`` and all ``roles``, their runner profile's id, and
    the time zone and units their pages and command output use."""

    id: int
    username: str
    display_name: str
    role: str | None
    roles: list[str]
    runner_id: int | None
    time_zone: str = field(
        metadata=doc("IANA zone of pages, CLI text and calendar files (API: UTC)")
    )
    units: str = field(metadata=doc("km or mi: the unit of pages and CLI text (the API is SI)"))
    must_change_password: bool = field(metadata=NOT_IN_API)


MeSchema = schema_of(UserShape, name="MeSchema")


class MePatch(Schema):
    """The user's display preferences; each is optional."""

    time_zone = fields.Str(metadata={"description": "IANA time zone, e.g. Europe/Berlin"})
    units = fields.Str(metadata={"description": "km or mi"})

    @validates_schema
    def _something(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "time_zone" not in data and "units" not in data:
            raise ValidationError("Give the time zone, the units, or both.", "_schema")


def set_runner_lookup(app: Flask, lookup: RunnerLookup) -> None:
    """Find users' runner profiles with ``lookup`` in ``app``."""
    app.extensions[_KEY] = lookup


def _runner_id(user: User) -> int | None:
    lookup = cast("RunnerLookup | None", current_app.extensions.get(_KEY))
    if lookup is None:
        raise RuntimeError("the app set no runner lookup (set_runner_lookup)")
    return lookup(user)


def user_shape(user: User) -> UserShape:
    """``user`` as the API and the CLI show them (an unset time zone is UTC, as pages
    read it)."""
    return UserShape(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role.value if user.role else None,
        roles=sorted(r.value for r in user.roles),
        runner_id=_runner_id(user),
        time_zone=user.time_zone or "UTC",
        units=user.units,
        must_change_password=user.must_change_password,
    )
