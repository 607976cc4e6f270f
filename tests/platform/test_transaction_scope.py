"""``platform.transactions``: an action's block commits, or rolls back and re-raises, and
its ``on_commit`` callbacks run only after the commit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.platform.db import db
from smartrunning.platform.transactions import in_transaction, on_commit, transaction

_NOTES = sa.Table("transaction_scope_notes", sa.MetaData(), sa.Column("text", sa.Text))


@pytest.fixture
def notes(app: Flask) -> Iterator[None]:
    with app.app_context():
        _NOTES.create(db.engine)
        yield
        db.session.rollback()
        _NOTES.drop(db.engine)


def _write(text: str) -> None:
    db.session.execute(_NOTES.insert().values(text=text))


def _stored() -> list[str]:
    """What another connection sees: only committed rows."""
    with db.engine.connect() as conn:
        return [row.text for row in conn.execute(sa.select(_NOTES.c.text).order_by(_NOTES.c.text))]


def test_the_block_commits_then_runs_its_callbacks_in_order(notes: None) -> None:
    seen: list[object] = []
    with transaction():
        _write("a")
        on_commit(lambda: seen.append(("first", _stored())))
        on_commit(lambda: seen.append("second"))
        assert seen == []
        assert _stored() == []
    assert seen == [("first", ["a"]), "second"]


def test_an_exception_rolls_back_drops_the_callbacks_and_is_raised_again(notes: None) -> None:
    seen: list[str] = []

    def action() -> None:
        with transaction():
            _write("a")
            on_commit(lambda: seen.append("sent"))
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        action()
    assert _stored() == []
    assert seen == []
    assert not in_transaction()
    with transaction():  # the session is usable again
        _write("b")
    assert _stored() == ["b"]


def test_a_nested_block_joins_the_outer_one(notes: None) -> None:
    seen: list[list[str]] = []
    with transaction():
        _write("a")
        with transaction():
            _write("b")
            on_commit(lambda: seen.append(_stored()))
        assert _stored() == []  # the inner block did not commit
        assert seen == []
    assert seen == [["a", "b"]]


def test_a_failure_inside_a_nested_block_rolls_back_the_whole_transaction(notes: None) -> None:
    def action() -> None:
        with transaction():
            _write("a")
            with transaction():
                _write("b")
                raise RuntimeError

    with pytest.raises(RuntimeError):
        action()
    assert _stored() == []


def test_a_failing_commit_rolls_back_and_runs_no_callback(
    notes: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def refuse() -> None:
        raise sa.exc.OperationalError("COMMIT", {}, Exception("disk full"))

    def action() -> None:
        with transaction():
            _write("a")
            on_commit(lambda: seen.append("sent"))
            monkeypatch.setattr(db.session, "commit", refuse)

    with pytest.raises(sa.exc.OperationalError):
        action()
    monkeypatch.undo()
    assert seen == []
    assert _stored() == []


def test_on_commit_outside_a_block_is_refused(notes: None) -> None:
    assert not in_transaction()
    with pytest.raises(RuntimeError, match="outside a transaction"):
        on_commit(lambda: None)
