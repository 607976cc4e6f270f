"""A fresh database for every test, on SQLite or PostgreSQL.

SQLite: the migrations run once into a template file; each test gets a copy.
PostgreSQL: each xdist worker gets its own database, migrated once; each test starts
from empty tables (TRUNCATE … RESTART IDENTITY).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from smartrunning.app import create_app
from smartrunning.platform.db import MIGRATIONS_DIR
from tests.settings import make_settings


@dataclass
class TestDatabase:
    __test__ = False  # not a test class, despite the name

    backend: str  # "sqlite" | "postgresql"
    template: Path | None = None
    url: str | None = None

    def url_for(self, tmp_path: Path) -> str:
        if self.backend == "sqlite":
            assert self.template is not None
            target = tmp_path / "test.sqlite3"
            shutil.copyfile(self.template, target)
            return f"sqlite:///{target}"
        assert self.url is not None
        _truncate(self.url)
        return self.url


def migrate(url: str, instance: Path) -> None:
    app = create_app(make_settings(instance, url))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS_DIR))
        from smartrunning.platform.db import db

        db.engine.dispose()


def sqlite_template(directory: Path) -> TestDatabase:
    template = directory / "template.sqlite3"
    migrate(f"sqlite:///{template}", directory / "instance")
    return TestDatabase("sqlite", template=template)


def postgres_database(server_url: str, name: str, instance: Path) -> TestDatabase:
    server = make_url(server_url).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = server.set(database=name).render_as_string(hide_password=False)
    migrate(url, instance)
    return TestDatabase("postgresql", url=url)


def drop_postgres_database(server_url: str, name: str) -> None:
    server = make_url(server_url).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = [name for name in sa.inspect(conn).get_table_names() if name != "alembic_version"]
        if tables:
            quoted = ", ".join(f'"{t}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    engine.dispose()
