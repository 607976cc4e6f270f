"""One owner per transaction: an action's writes commit together or not at all.

An action (``<feature>/actions.py`` and its kin) wraps its writes in ``transaction()``:
the block's writes are committed when it ends, and any exception rolls them back and is
raised again for the caller (a page, an API route, a command) to render. Jobs the action
enqueues are registered with ``on_commit`` and sent only once the commit succeeded, so a
worker never looks for rows that a rollback took back.

An action that calls another inside its own ``transaction()`` joins it: only the
outermost block commits (or rolls back), and every callback waits for that commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from smartrunning.platform.db import db

__all__ = ["in_transaction", "on_commit", "transaction"]

_callbacks: ContextVar[list[Callable[[], object]] | None] = ContextVar(
    "smartrunning_transaction_callbacks", default=None
)


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block wrote, then run its ``on_commit`` callbacks in order; on an
    exception roll back, drop the callbacks and re-raise. Nested blocks join the outer."""
    if _callbacks.get() is not None:
        yield
        return
    pending: list[Callable[[], object]] = []
    token = _callbacks.set(pending)
    try:
        try:
            yield
        except BaseException:
            db.session.rollback()
            raise
        try:
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    finally:
        _callbacks.reset(token)
    for callback in pending:
        callback()


def in_transaction() -> bool:
    """True inside a ``transaction()`` block."""
    return _callbacks.get() is not None


def on_commit(callback: Callable[[], object]) -> None:
    """Run ``callback`` once the enclosing ``transaction()`` has committed (never after a
    rollback).

    Raises:
        RuntimeError: outside a ``transaction()`` block, where no commit is coming.
    """
    pending = _callbacks.get()
    if pending is None:
        raise RuntimeError("on_commit() outside a transaction() block")
    pending.append(callback)
