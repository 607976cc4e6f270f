"""Marshmallow schemas shared by the API endpoints, and the shapes of an athlete's
resources as pages, the API and the CLI show them.

:class:`RunnerShape`: a runner's basics (built by :func:`runner_shape`), the API's
:data:`RunnerSchema`; the CLI's ``runner create`` and ``update`` print it (and ``user``).
:class:`BestShape`: a personal-best entry (:func:`best_shape` builds it
from the model); the API serialises it with :data:`BestOut`, derived from the same fields;
the CLI prints :meth:`~smartrunning.platform.shapes.Shape.as_dict` with ``--json``; the
profile page's table and the onboarding wizard read its attributes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from marshmallow import Schema, fields, validate

from smartrunning.athletes.models import PersonalBest, Runner
from smartrunning.platform.shapes import Shape, doc, schema_of

__all__ = [
    "BestOut",
    "BestShape",
    "RunnerCreateSchema",
    "RunnerSchema",
    "RunnerShape",
    "RunnerUpdateSchema",
    "ZoneOut",
    "best_shape",
    "runner_shape",
]


@dataclass(frozen=True, slots=True)
class RunnerShape(Shape):
    """A runner's basics: ``user_id`` their own login (if any), ``coaches`` by user name."""

    # The API document has always said this of these fields (read-only, required, no type).
    id: int = field(metadata=doc(read_only=True))
    name: str = field(metadata=doc(required=True))
    birth_date: dt.date = field(metadata=doc(required=True))
    sex: str = field(metadata=doc(read_only=True, untyped=True))
    user_id: int | None = field(metadata=doc(read_only=True))
    coaches: list[str] = field(metadata=doc(read_only=True, untyped=True))
    created_at: dt.datetime = field(metadata=doc(read_only=True))


RunnerSchema = schema_of(RunnerShape, name="RunnerSchema")


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


class ZoneOut(Schema):
    """One resolved zone: [lower, upper) in bpm or m/s; the top zone may be open (null)."""

    number = fields.Int()
    name = fields.Str()
    lower = fields.Float()
    upper = fields.Float(allow_none=True)


@dataclass(frozen=True, slots=True)
class BestShape(Shape):
    """A personal-best entry: a result entered (``source`` manual) or found in a session
    (``session_id``); ``is_record``: faster than every earlier entry at its distance."""

    id: int
    distance_m: float
    time_s: float
    date: dt.date
    event_name: str
    source: str
    is_record: bool
    kind: str = field(metadata=doc("race, time_trial or training"))
    anchor: bool = field(metadata=doc("used by the CS fit"))
    evidence: str = field(metadata=doc("why it is, or is not, used"))
    mean_hr_bpm: float | None
    session_id: int | None

    BRIEF: ClassVar[tuple[str, ...]] = (
        "id",
        "distance_m",
        "time_s",
        "date",
        "kind",
        "anchor",
        "evidence",
        "session_id",
    )
    """The fields a profile lists for each of its day's bests (``personal_bests``)."""

    def brief(self) -> dict[str, Any]:
        """The :data:`BRIEF` fields, in declaration order (a profile's ``personal_bests``)."""
        return {k: v for k, v in self.as_dict().items() if k in self.BRIEF}


BestOut = schema_of(BestShape, name="BestOut")


def runner_shape(runner: Runner) -> RunnerShape:
    """The runner's basics as the API and the CLI show them."""
    return RunnerShape(
        id=runner.id,
        name=runner.name,
        birth_date=runner.birth_date,
        sex=runner.sex.value,
        user_id=runner.user_id,
        coaches=sorted(a.coach.username for a in runner.coach_rows),
        created_at=runner.created_at,
    )


def best_shape(best: PersonalBest, *, is_record: bool) -> BestShape:
    """The personal-best entry as the API, the CLI and the pages show it."""
    return BestShape(
        id=best.id,
        distance_m=best.distance_m,
        time_s=best.time_s,
        date=best.date,
        event_name=best.event_name,
        source=best.source.value,
        is_record=is_record,
        kind=best.kind.value,
        anchor=best.anchor,
        evidence=best.evidence,
        mean_hr_bpm=best.mean_hr_bpm,
        session_id=best.session_id,
    )
