"""The workout library: find, create, edit, copy and delete workouts; who may do what.

Who may do what (pages, API and CLI alike):

- every logged-in user reads the library (list, detail, ``.zwo`` export); a runner
  resolves workouts for themself only, a coach for their runners, an admin for anyone;
- coaches and admins create and import workouts;
- an admin edits and deletes every workout; a coach edits and deletes the workouts they
  own; the default library (``is_default``) is read-only except for admins. Anyone who
  may create may *copy* a workout into one of their own and edit that.

A workout's content is its ZWO text (``Workout.zwo``); the columns next to it are
copies kept in step here. ``structure(workout)`` parses it (cached by text).

Deleting: a workout that something refers to (a foreign key to ``workouts.id`` from any
table, e.g. a plan's day) is archived, not deleted, so it stays for what uses it; so is
a default workout, so that ``smartrunning init`` does not load it again. Archived
workouts leave the library; ``get_workout(..., include_archived=True)`` still finds them.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Literal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.platform.db import (
    db,
    now_utc,
)
from smartrunning.platform.errors import (
    InvalidInput,
    NotFound,
)
from smartrunning.platform.pagination import Page, paginate
from smartrunning.platform.transactions import transaction
from smartrunning.science import workouts as sw
from smartrunning.science.zwo import read_zwo
from smartrunning.workouts.models import (
    Workout,
    WorkoutSport,
    WorkoutTag,
)
from smartrunning.workouts.structure import (
    MAX_NAME_CHARS,
    check_for_library,
    zwo_text,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "DeleteResult",
    "WorkoutFilter",
    "can_create",
    "can_edit",
    "copy_workout",
    "create_workout",
    "delete_workout",
    "download_name",
    "find_duplicate",
    "get_workout",
    "list_workouts",
    "reference_count",
    "running_library",
    "structure",
    "tag_counts",
    "update_workout",
]

MAX_PAGE_SIZE: Final = 100
DeleteResult = Literal["deleted", "archived"]


@lru_cache(maxsize=1024)
def _parse(text: str) -> sw.Workout:
    return read_zwo(text.encode("utf-8"))


def structure(workout: Workout) -> sw.Workout:
    """The workout's steps and metadata, parsed from its ZWO text (immutable, cached)."""
    return _parse(workout.zwo)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- who may do what --------------------------------------------------------------------


def can_create(user: User) -> bool:
    """Coaches and admins add workouts to the library."""
    return user.has_role(Role.COACH)


def can_edit(user: User, workout: Workout) -> bool:
    """Admins edit every workout; coaches their own (never the defaults); runners none."""
    if user.has_role(Role.ADMIN):
        return True
    return (
        user.has_role(Role.COACH)
        and not workout.is_default
        and workout.owner_id is not None
        and workout.owner_id == user.id
    )


# --- queries ------------------------------------------------------------------------------


def get_workout(workout_id: int, *, include_archived: bool = False) -> Workout:
    """The workout with this id; ``NotFound`` when there is none (or it is archived)."""
    workout = db.session.get(Workout, workout_id)
    if workout is None or (workout.archived and not include_archived):
        raise NotFound("No such workout.")
    return workout


@dataclass(frozen=True)
class WorkoutFilter:
    """What the library list shows: ``search`` in name and description (any case),
    an exact ``tag``, a ``sport``, a ``kind`` (the ``kind:`` tag's value), and only the
    workouts ``owner_id`` owns when given."""

    search: str = ""
    tag: str = ""
    sport: str = ""
    kind: str = ""
    owner_id: int | None = None

    def query(self) -> sa.Select[Workout]:
        query = sa.select(Workout).where(Workout.archived_at.is_(None))
        if "\x00" in self.search + self.tag + self.kind:
            # Stored text never holds NUL (PostgreSQL refuses it): nothing can match.
            return query.where(sa.false())
        words = self.search.strip().lower()
        if words:
            query = query.where(
                sa.or_(
                    sa.func.lower(Workout.name).contains(words, autoescape=True),
                    sa.func.lower(Workout.description).contains(words, autoescape=True),
                )
            )
        if self.tag:
            tagged = sa.select(WorkoutTag.workout_id).where(WorkoutTag.tag == self.tag)
            query = query.where(Workout.id.in_(tagged))
        if self.sport:
            try:
                query = query.where(Workout.sport == WorkoutSport(self.sport))
            except ValueError:
                raise InvalidInput("Sport must be run or bike.", field="sport") from None
        if self.kind:
            query = query.where(Workout.kind == self.kind)
        if self.owner_id is not None:
            query = query.where(Workout.owner_id == self.owner_id)
        return query


def list_workouts(
    where: WorkoutFilter | None = None, *, page: int = 1, page_size: int = 20
) -> Page[Workout]:
    """A page of the library by name, owners and tags loaded: a fixed number of queries."""
    query = (where or WorkoutFilter()).query()
    return paginate(
        query.options(selectinload(Workout.tag_rows), selectinload(Workout.owner)),
        page=page,
        page_size=page_size,
        order_by=(sa.func.lower(Workout.name), Workout.id),
        max_page_size=MAX_PAGE_SIZE,
    )


def tag_counts() -> list[tuple[str, int]]:
    """Every tag of the library with the number of its workouts, by tag."""
    rows = db.session.execute(
        sa.select(WorkoutTag.tag, sa.func.count())
        .join(Workout, Workout.id == WorkoutTag.workout_id)
        .where(Workout.archived_at.is_(None))
        .group_by(WorkoutTag.tag)
        .order_by(WorkoutTag.tag)
    )
    return [(tag, int(count)) for tag, count in rows]


def running_library() -> list[tuple[int, sw.Workout]]:
    """Every running workout of the library (not archived) with its id, by name.

    For plan generation: ``science.plans.scaling.Library`` takes the structures; the ids
    say which library workout a planned day came from.
    """
    rows = db.session.execute(
        sa.select(Workout)
        .where(Workout.archived_at.is_(None), Workout.sport == WorkoutSport.RUN)
        .order_by(Workout.name, Workout.id)
    ).scalars()
    return [(row.id, structure(row)) for row in rows]


def find_duplicate(text: str, *, defaults: bool = False) -> Workout | None:
    """A workout with exactly this ZWO text (same name, same content) already stored:
    among the library's active workouts, or (``defaults``) among the defaults, archived
    ones included."""
    query = sa.select(Workout).where(Workout.content_sha256 == _sha256(text))
    if defaults:
        query = query.where(Workout.is_default.is_(True))
    else:
        query = query.where(Workout.archived_at.is_(None))
    return db.session.execute(query.limit(1)).scalar_one_or_none()


# --- writes -------------------------------------------------------------------------------
# Each is an action: it commits what it wrote, or rolls back and re-raises
# (``platform.transactions``); inside another action's transaction (an import's) it joins it.


def _apply(workout: Workout, content: sw.Workout) -> None:
    check_for_library(content)
    text = zwo_text(content)
    workout.name = content.name
    workout.sport = WorkoutSport(content.sport)
    workout.description = content.description
    workout.author = content.author
    workout.kind = content.kind
    workout.zwo = text
    workout.content_sha256 = _sha256(text)
    workout.tag_rows = [
        WorkoutTag(tag=tag, position=i) for i, tag in enumerate(dict.fromkeys(content.tags))
    ]


def create_workout(content: sw.Workout, *, by: User | None, is_default: bool = False) -> Workout:
    """Add a workout to the library, owned by ``by`` (None: the system). Commits
    (``InvalidInput``: rolled back)."""
    with transaction():
        workout = Workout(owner_id=by.id if by else None, is_default=is_default)
        _apply(workout, content)
        db.session.add(workout)
        db.session.flush()
    return workout


def update_workout(workout: Workout, content: sw.Workout) -> Workout:
    """Replace the workout's content (the caller checked ``can_edit``). Commits
    (``InvalidInput``: rolled back, the workout as it was)."""
    with transaction():
        if workout.archived:
            raise NotFound("No such workout.")
        # Replace the tag rows in two steps: a kept tag is the same primary key.
        workout.tag_rows = []
        db.session.flush()
        _apply(workout, content)
        workout.updated_at = now_utc()
        db.session.flush()
    return workout


def copy_workout(workout: Workout, *, by: User) -> Workout:
    """A copy owned by ``by``, named "… (copy)", not a default. Commits (refused: rolled
    back)."""
    with transaction():
        source = structure(workout)
        name = f"{source.name[: MAX_NAME_CHARS - 7]} (copy)"
        return create_workout(dataclasses.replace(source, name=name), by=by)


def _referencing_columns() -> list[sa.Column[int]]:
    """Columns of other tables holding a workout's id (the tag index does not count)."""
    target = Workout.__table__
    return [
        fk.parent
        for table in db.metadata.tables.values()
        if table is not WorkoutTag.__table__
        for fk in table.foreign_keys
        if fk.column.table is target
    ]


def reference_count(workout: Workout) -> int:
    """How many rows of other features (plans …) refer to the workout."""
    total = 0
    for column in _referencing_columns():
        total += db.session.execute(
            sa.select(sa.func.count()).select_from(column.table).where(column == workout.id)
        ).scalar_one()
    return int(total)


def delete_workout(workout: Workout) -> DeleteResult:
    """Delete the workout, or archive it when referenced or a default (module doc).
    Commits."""
    with transaction():
        if workout.archived:
            raise NotFound("No such workout.")
        if workout.is_default or reference_count(workout) > 0:
            workout.archived_at = now_utc()
            db.session.flush()
            return "archived"
        db.session.delete(workout)
        db.session.flush()
        return "deleted"


def download_name(workout: Workout, extension: str) -> str:
    """A safe file name from the workout's name: ``tempo-20-min.zwo``."""
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in workout.name.lower())
    slug = "-".join(part for part in slug.split("-") if part)[:80] or f"workout-{workout.id}"
    return f"{slug}.{extension}"
