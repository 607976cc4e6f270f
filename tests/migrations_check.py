"""Fail when the models and the migrations differ (`make lint`; the tests check it too)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from smartrunning.app import create_app
from smartrunning.platform.db import db, render_migration_item
from tests.database import migrate
from tests.settings import make_settings


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'check.sqlite3'}"
        migrate(url, Path(folder) / "instance")
        app = create_app(make_settings(Path(folder) / "instance", url))
        with app.app_context(), db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_item": render_migration_item}
            )
            differences = compare_metadata(context, db.metadata)
            db.engine.dispose()
    if differences:
        print("Models and migrations differ; run `smartrunning db migrate -m '…'`:")
        for difference in differences:
            print("  ", difference)
        return 1
    print("Migrations are in sync with the models.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
