"""Marshmallow schemas shared by the API endpoints."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

__all__ = [
    "MeSchema",
    "RunnerCreateSchema",
    "RunnerDeletedSchema",
    "RunnerSchema",
    "RunnerUpdateSchema",
    "ZoneOut",
]


class RunnerSchema(Schema):
    id = fields.Int(dump_only=True)
    name = fields.Str(required=True)
    birth_date = fields.Date(required=True)
    sex = fields.Function(lambda r: r.sex.value, dump_only=True)
    user_id = fields.Int(allow_none=True, dump_only=True)
    coaches = fields.Function(lambda r: sorted(a.coach.username for a in r.coach_rows))
    created_at = fields.AwareDateTime(dump_only=True)


class RunnerCreateSchema(Schema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=120))
    birth_date = fields.Date(required=True)
    sex = fields.Str(required=True, validate=validate.OneOf(["f", "m", "x"]))
    coach = fields.Str(load_default=None, metadata={"description": "Coach's user name"})


class RunnerUpdateSchema(Schema):
    """Any of the basics; fields left out keep their value."""

    name = fields.Str(validate=validate.Length(min=1, max=120))
    birth_date = fields.Date()
    sex = fields.Str(validate=validate.OneOf(["f", "m", "x"]))


class RunnerDeletedSchema(Schema):
    runner_id = fields.Int()
    name = fields.Str()
    sessions = fields.Int(metadata={"description": "Sessions deleted with the runner"})
    import_jobs = fields.Int()
    blobs_deleted = fields.Int(metadata={"description": "Stored files no one else uses"})
    login_deactivated = fields.Str(
        allow_none=True, metadata={"description": "The runner's own login, now inactive"}
    )


class MeSchema(Schema):
    id = fields.Int()
    username = fields.Str()
    display_name = fields.Str()
    role = fields.Str(allow_none=True)
    roles = fields.List(fields.Str())
    runner_id = fields.Int(allow_none=True)
    time_zone = fields.Str(
        metadata={"description": "IANA zone of pages, CLI text and calendar files (API: UTC)"}
    )
    units = fields.Str(
        metadata={"description": "km or mi: the unit of pages and CLI text (the API is SI)"}
    )


class MePatch(Schema):
    """The user's display preferences; each is optional."""

    time_zone = fields.Str(metadata={"description": "IANA time zone, e.g. Europe/Berlin"})
    units = fields.Str(metadata={"description": "km or mi"})

    @validates_schema
    def _something(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "time_zone" not in data and "units" not in data:
            raise ValidationError("Give the time zone, the units, or both.", "_schema")


class ZoneOut(Schema):
    """One resolved zone: [lower, upper) in bpm or m/s; the top zone may be open (null)."""

    number = fields.Int()
    name = fields.Str()
    lower = fields.Float()
    upper = fields.Float(allow_none=True)
