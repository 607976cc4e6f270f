"""List pages run a fixed number of SQL queries, however many rows they show (no N+1)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.store import Role, db
from tests.helpers import login, make_runner, make_user, make_world
from tests.web.sessiondata import import_inline, run_bytes


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def queries(app: Flask, client: FlaskClient, path: str) -> int:
    with counting(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_list_pages_do_not_grow_with_rows(app: Flask) -> None:
    world = make_world(app)
    coach_client = app.test_client()
    login(coach_client, "coach")
    admin_client = app.test_client()
    login(admin_client, "admin")
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0, duration_s=300))])
    pages = {
        "/athletes": coach_client,
        "/admin/": admin_client,
        f"/runners/{world.runner_id}/sessions": coach_client,
        "/api/runners": coach_client,
        f"/api/runners/{world.runner_id}/sessions": coach_client,
    }
    before = {path: queries(app, client, path) for path, client in pages.items()}
    for i in range(6):
        user = make_user(app, f"extra{i}", Role.RUNNER)
        make_runner(app, f"Extra Runner {i}", user_id=user, coach_id=world.coach)
    import_inline(
        app,
        world.runner_id,
        [(f"r{i}.fit", run_bytes(i + 1, duration_s=300, seed=i)) for i in range(5)],
    )
    after = {path: queries(app, client, path) for path, client in pages.items()}
    assert after == before
