"""Soft deletion: rows of a :class:`SoftDeletable` model with ``deleted_at`` set are left
out of every ORM select (pages, API, CLI, exports, the recomputation), as if deleted.

A feature deletes a row softly by setting ``deleted_at`` (restorable within its undo
window) and purges it for good later. The few reads that must see such rows (restore,
purge, runner deletion) pass ``execution_options(include_deleted=True)``.
"""

from __future__ import annotations

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
        state.statement = state.statement.options(
            *(
                with_loader_criteria(model, model.deleted_at.is_(None), include_aliases=True)
                for model in SoftDeletable.__subclasses__()
            )
        )
