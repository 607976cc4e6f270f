"""Which of our modules one FIT upload passes through, from the HTTP request to the
recomputed history: a figure for the layout (issue #14), not a speed.

Uploads one generated run through the API (``POST /api/runners/<id>/sessions``) with the
queue in Huey's immediate mode, so the task runs in this process, and records every
module of ``smartrunning`` whose code runs (``sys.setprofile``). Prints the count, with
and without the pure ``science`` core, and the modules by package.

    .venv/bin/python bench/upload_path.py
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from types import FrameType
from typing import Any

if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from flask_migrate import upgrade
from tests.core import fitgen
from tests.settings import make_settings

from smartrunning.accounts import actions as accounts
from smartrunning.accounts import tokens
from smartrunning.accounts.models import Role
from smartrunning.app import create_app
from smartrunning.athletes import actions as athletes
from smartrunning.athletes.models import Sex
from smartrunning.platform import clock
from smartrunning.platform.db import MIGRATIONS_DIR, db
from smartrunning.platform.queue import get_queue


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(make_settings(Path(folder), None))
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
            coach = accounts.create_user(
                "coach", "a-long-password-1", {Role.COACH}, must_change_password=False
            )
            runner = athletes.create_runner(
                "Rita",
                dt.date(1990, 1, 1),
                Sex.FEMALE,
                created_by=coach,
                today=clock.today(),
                coach=coach,
            )
            _, token = tokens.create_token(coach, "bench")
            runner_id = runner.id
            db.session.commit()
            get_queue().huey.immediate = True
        data = fitgen.run_file(1800, seed=0)
        seen: set[str] = set()

        def profile(frame: FrameType, event: str, arg: Any) -> None:
            name = frame.f_globals.get("__name__", "")
            if event == "call" and name.startswith("smartrunning"):
                seen.add(name)

        client = app.test_client()
        sys.setprofile(profile)
        try:
            answer = client.post(
                f"/api/runners/{runner_id}/sessions",
                data={"files": [(io.BytesIO(data), "run.fit")]},
                headers={"Authorization": f"Bearer {token}"},
            )
        finally:
            sys.setprofile(None)
        print(f"upload answered {answer.status_code}")
    ours = sorted(seen)
    shell = [m for m in ours if not m.startswith("smartrunning.science")]
    print(f"modules passed through: {len(ours)} ({len(shell)} outside the science core)")
    by_package: dict[str, list[str]] = defaultdict(list)
    for name in ours:
        parts = name.split(".")
        by_package[parts[1] if len(parts) > 1 else parts[0]].append(".".join(parts[2:]) or "-")
    for package, modules in sorted(by_package.items()):
        print(f"  {package:<10} {len(modules):>2}  {' '.join(modules)}")


if __name__ == "__main__":
    main()
