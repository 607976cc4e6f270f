"""Plan schemas: the defaults shipped in ``smartrunning.data.plans``, and the ones coaches
write. A schema is stored as the JSON ``science.plans.parse_schema`` reads; every write
validates it first and reports all problems at once, each at its JSON pointer."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

import sqlalchemy as sa

from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.plans.models import PlanSchemaRow
from smartrunning.platform import jsonio
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.errors import (
    Conflict,
    InvalidInput,
    NotFound,
)
from smartrunning.science.plans import PlanSchema, SchemaError, parse_schema, schema_to_dict

__all__ = [
    "InvalidSchema",
    "can_edit_schema",
    "can_write_schemas",
    "get_schema",
    "list_schemas",
    "load_default_schemas",
    "parse_row",
    "save_schema",
    "schema_by_name",
]


NAME_MAX = 200
MAX_ID = 2**31 - 1
"""The largest id an INTEGER primary key holds; larger ids cannot exist."""


class InvalidSchema(InvalidInput):
    """A schema that does not validate; ``problems``: (JSON pointer, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        text = "; ".join(f"{path or '/'}: {message}" for path, message in problems)
        super().__init__(f"Invalid plan template: {text}", field="body")

    def details(self) -> dict[str, Any]:
        return {"json": {"body": [f"{p or '/'}: {m}" for p, m in self.problems]}}


def can_write_schemas(user: User) -> bool:
    """Coaches and admins create schemas."""
    return user.has_role(Role.COACH)


def can_edit_schema(user: User, row: PlanSchemaRow) -> bool:
    """Admins edit every schema; coaches their own and the defaults' copies they made."""
    if user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.COACH) and row.owner_id == user.id


def list_schemas() -> list[PlanSchemaRow]:
    return list(db.session.execute(sa.select(PlanSchemaRow).order_by(PlanSchemaRow.name)).scalars())


def get_schema(schema_id: int) -> PlanSchemaRow:
    row = db.session.get(PlanSchemaRow, schema_id) if 0 < schema_id <= MAX_ID else None
    if row is None:
        raise NotFound("No such plan template.")
    return row


def schema_by_name(name: str) -> PlanSchemaRow:
    row = db.session.execute(
        sa.select(PlanSchemaRow).where(PlanSchemaRow.name == name)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound(f"No plan template called {name!r}.")
    return row


def parse_row(row: PlanSchemaRow) -> PlanSchema:
    return parse_schema(row.body)


def _validated(body: Any) -> dict[str, Any]:
    """The schema's canonical JSON, or ``InvalidSchema`` listing every problem."""
    if isinstance(body, str | bytes):
        try:
            body = jsonio.loads(body)
        except (ValueError, RecursionError) as exc:
            raise InvalidSchema([("", f"not valid JSON: {exc}")]) from None
    try:
        schema = parse_schema(body)
    except SchemaError as exc:
        raise InvalidSchema([(p.path, p.message) for p in exc.problems]) from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidSchema([("", str(exc))]) from None
    return schema_to_dict(schema)


def save_schema(
    body: Any, *, owner: User | None, row: PlanSchemaRow | None = None
) -> PlanSchemaRow:
    """Create (``row`` None) or replace a schema from JSON text or data; the caller commits.

    Raises ``InvalidSchema`` (every problem with its path) or ``Conflict`` (name taken).
    """
    data = _validated(body)
    name = str(data["name"]).strip()
    if not name or len(name) > NAME_MAX or any(ord(c) < 32 for c in name):
        raise InvalidSchema([("/name", f"give a name of 1–{NAME_MAX} printable characters")])
    if "\\u0000" in json.dumps(data):
        raise InvalidSchema([("", "NUL characters are not allowed")])
    data["name"] = name
    taken = db.session.execute(
        sa.select(PlanSchemaRow.id).where(PlanSchemaRow.name == name)
    ).scalar_one_or_none()
    if taken is not None and (row is None or taken != row.id):
        raise Conflict(f"A plan template called {name!r} already exists.", field="body")
    if row is None:
        row = PlanSchemaRow(name=name, body=data, owner=owner, is_default=False)
        db.session.add(row)
    else:
        row.name = name
        row.body = data
        row.updated_at = now_utc()
    db.session.flush()
    return row


def load_default_schemas() -> int:
    """Store the shipped schemas that are not stored yet (by name); returns how many."""
    added = 0
    folder = files("smartrunning.data") / "plans"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        data = _validated(entry.read_text(encoding="utf-8"))
        exists = db.session.execute(
            sa.select(PlanSchemaRow.id).where(PlanSchemaRow.name == data["name"])
        ).scalar_one_or_none()
        if exists is None:
            db.session.add(PlanSchemaRow(name=data["name"], body=data, is_default=True))
            added += 1
    db.session.flush()
    return added
