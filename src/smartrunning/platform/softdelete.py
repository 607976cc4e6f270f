"""Soft deletion: rows of a :class:`SoftDeletable` model with ``deleted_at`` set are left
out of every ORM select (pages, API, CLI, exports, the recomputation), as if deleted.

A feature deletes a row softly by setting ``deleted_at`` (restorable within its undo
window) and purges it for good later. The few reads that must see such rows (restore,
purge, runner deletion) pass ``execution_options(include_deleted=True)``.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

__all__ = ["INCLUDE_DELETED", "SoftDeletable"]

#: The execution option that lets a select see softly deleted rows.
INCLUDE_DELETED = "include_deleted"


class SoftDeletable:
    """Mixin for models with a nullable ``deleted_at`` timestamp column."""

    deleted_at: Any


@event.listens_for(Session, "do_orm_execute")
def _hide_deleted(state: ORMExecuteState) -> None:
    if (
        state.is_select
        and not state.is_column_load
        and not state.is_relationship_load
        and not state.execution_options.get(INCLUDE_DELETED, False)
    ):
        state.statement = _hidden(state.statement)


# Every ORM select passes here, and an import runs dozens: the criteria are built once per
# set of models, and a statement built once (as the import's are, since building one costs
# more than running it) gets its filtered copy once, not at each execution.
_HIDDEN: dict[int, tuple[weakref.ref[Any], Any]] = {}


@functools.cache
def _criteria(models: tuple[type[SoftDeletable], ...]) -> tuple[Any, ...]:
    return tuple(
        with_loader_criteria(model, model.deleted_at.is_(None), include_aliases=True)
        for model in models
    )


def _hidden(statement: Any) -> Any:
    """``statement`` with the criteria that leave out softly deleted rows (cached for as
    long as the statement lives)."""
    key = id(statement)
    found = _HIDDEN.get(key)
    if found is not None and found[0]() is statement:
        return found[1]
    hidden = statement.options(*_criteria(tuple(SoftDeletable.__subclasses__())))

    def forget(_ref: weakref.ref[Any]) -> None:
        _HIDDEN.pop(key, None)

    _HIDDEN[key] = (weakref.ref(statement, forget), hidden)
    return hidden
