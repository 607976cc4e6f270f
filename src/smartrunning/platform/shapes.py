"""A resource's shape declared once: a frozen dataclass, and its API schema derived from it.

A feature's ``schemas`` module declares each resource it shows as a frozen dataclass
subclassing :class:`Shape`, with the field names the API documents. Its actions build it
from the model; pages and CLI text read its attributes; the CLI's JSON prints
:meth:`Shape.as_dict`; the API serialises it (and documents it in OpenAPI) with the
marshmallow schema :func:`schema_of` derives from the same fields. A field is added,
renamed or documented in one place.

Field types map to marshmallow fields: ``int``, ``float``, ``str``, ``bool``, a ``StrEnum``
(its value, a string), ``datetime`` (aware), ``date``, ``list[...]``, ``dict[...]`` (with
``int``, ``float`` or ``str`` values: typed in the API) and TypedDicts (objects);
another Shape (``X``, ``X | None``, ``list[X]``: nested, its own schema, which
:func:`schema_of` must have derived first); ``X | None`` may be ``null``. A field's metadata
(:func:`doc`) adds its description or its values, marks it ``null``-able in the API although
its type is not, documents a ``datetime`` or ``date`` as a plain string, or keeps it out of
the API.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from collections.abc import Sequence
from typing import Any, ClassVar, Final

from marshmallow import Schema, fields

__all__ = ["NOT_IN_API", "Shape", "doc", "schema_of"]

_DESCRIPTION: Final = "description"
_ENUM: Final = "enum"
_NULLABLE: Final = "api_nullable"
_NOT_NULL: Final = "api_not_null"
_IN_API: Final = "in_api"
_AS_TEXT: Final = "api_as_text"
_READ_ONLY: Final = "api_read_only"
_REQUIRED: Final = "api_required"
_UNTYPED: Final = "api_untyped"


def doc(
    description: str | None = None,
    *,
    nullable: bool = False,
    not_null: bool = False,
    enum: Sequence[str] = (),
    as_text: bool = False,
    read_only: bool = False,
    required: bool = False,
    untyped: bool = False,
) -> dict[str, Any]:
    """A field's metadata: its description and (``enum``) its values in the API docs;
    ``nullable`` documents it as possibly ``null`` although its type is not (a promise the
    API already made), ``not_null`` as never ``null`` although its type allows it (``None``
    only where the API never goes: a plan the CLI shows without storing it); ``as_text``: a
    ``datetime`` or ``date`` the API documents as a plain string (its ISO 8601 text, without
    a format: what the API always said). ``read_only``,
    ``required`` and ``untyped`` (no type) repeat what an older API document said of a
    field, so that the document stays as it was."""
    metadata: dict[str, Any] = {}
    for flag, key in ((read_only, _READ_ONLY), (required, _REQUIRED), (untyped, _UNTYPED)):
        if flag:
            metadata[key] = True
    if as_text:
        metadata[_AS_TEXT] = True
    if description is not None:
        metadata[_DESCRIPTION] = description
    if enum:
        metadata[_ENUM] = list(enum)
    if nullable:
        metadata[_NULLABLE] = True
    if not_null:
        metadata[_NOT_NULL] = True
    return metadata


NOT_IN_API: Final = {_IN_API: False}
"""Metadata of a field pages and the CLI show but the API leaves out."""


class Shape:
    """Base of the frozen dataclasses that are resources' shapes."""

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    def as_dict(self) -> dict[str, Any]:
        """Every field by name, in declaration order, values as they are (for JSON), nested
        shapes as their own ``as_dict``."""
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}


def _plain(value: Any) -> Any:
    if isinstance(value, Shape):
        return value.as_dict()
    if isinstance(value, list) and any(isinstance(v, Shape) for v in value):
        return [_plain(v) for v in value]
    return value


_DERIVED: dict[type[Shape], type[Schema]] = {}
"""Each shape's schema as :func:`schema_of` derived it: the one a shape nesting it uses."""


class _IsoText(fields.String):
    """A ``datetime`` as its ISO 8601 text, documented as a plain string."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(value.isoformat())


def _field_for(
    hint: Any, *, nullable: bool, as_text: bool = False, not_null: bool = False, **kwargs: Any
) -> fields.Field[Any]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        nullable = (nullable or len(args) < len(typing.get_args(hint))) and not not_null
        if len(args) != 1:
            raise TypeError(f"no API field for {hint!r}")
        hint = args[0]
    if nullable:
        kwargs["allow_none"] = True
    origin = typing.get_origin(hint)
    if hint is bool:
        return fields.Bool(**kwargs)
    if hint is int:
        return fields.Int(**kwargs)
    if hint is float:
        return fields.Float(**kwargs)
    if hint is str or (isinstance(hint, type) and issubclass(hint, enum.StrEnum)):
        return fields.Str(**kwargs)
    if hint is dt.datetime:
        return _IsoText(**kwargs) if as_text else fields.AwareDateTime(**kwargs)
    if hint is dt.date:
        return _IsoText(**kwargs) if as_text else fields.Date(**kwargs)
    if origin is list:
        (item,) = typing.get_args(hint)
        return fields.List(_field_for(item, nullable=False), **kwargs)
    if origin is dict and typing.get_args(hint)[1] in (int, float, str):
        key, value = typing.get_args(hint)
        return fields.Dict(
            keys=_field_for(key, nullable=False),
            values=_field_for(value, nullable=False),
            **kwargs,
        )
    if origin is dict or hint is dict or typing.is_typeddict(hint):
        return fields.Dict(**kwargs)
    if isinstance(hint, type) and issubclass(hint, Shape):
        if hint not in _DERIVED:
            raise TypeError(f"derive {hint.__name__}'s schema before one that nests it")
        return fields.Nested(_DERIVED[hint], **kwargs)
    raise TypeError(f"no API field for {hint!r}")


def schema_of(shape: type[Shape], *, name: str) -> type[Schema]:
    """The marshmallow schema (class ``name``, its OpenAPI component) that serialises
    ``shape`` in the API: its fields in order, less those marked :data:`NOT_IN_API`."""
    hints = typing.get_type_hints(shape)
    declared: dict[str, fields.Field[Any]] = {}
    for f in dataclasses.fields(shape):
        if not f.metadata.get(_IN_API, True):
            continue
        kwargs: dict[str, Any] = {}
        documented = {k: f.metadata[k] for k in (_DESCRIPTION, _ENUM) if k in f.metadata}
        if documented:
            kwargs["metadata"] = documented
        if f.metadata.get(_READ_ONLY):
            kwargs["dump_only"] = True
        if f.metadata.get(_REQUIRED):
            kwargs["required"] = True
        key = f.name
        if f.metadata.get(_UNTYPED):
            declared[key] = fields.Raw(**kwargs)
            continue
        if hasattr(Schema, f.name):  # "load", "loads" … would shadow Schema's methods
            key = f"{f.name}_value"
            kwargs.update(attribute=f.name, data_key=f.name)
        declared[key] = _field_for(
            hints[f.name],
            nullable=bool(f.metadata.get(_NULLABLE)),
            not_null=bool(f.metadata.get(_NOT_NULL)),
            as_text=bool(f.metadata.get(_AS_TEXT)),
            **kwargs,
        )
    schema = Schema.from_dict(declared, name=name)
    _DERIVED[shape] = schema
    return schema
