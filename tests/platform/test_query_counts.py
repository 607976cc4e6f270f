"""List pages run a fixed number of SQL queries, however many rows they show (no N+1)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import Role
from smartrunning.platform.db import db
from tests.helpers import login, make_runner, make_user, make_world
from tests.platform.query_counts import counting, queries
from tests.sessions.sessiondata import import_inline, run_bytes


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


# --- plans -------------------------------------------------------------------------------

PLAN_PAGE_QUERIES = {"week": 12, "month": 12}
"""SQL statements of the plan page (week and month view), however many days and linked
sessions the plan has: the user with their roles (one query), the plan narrowed to the
runners the user may see (one query, ``athletes.rules.get_visible``), its runner, the coach's
assignment (may-plan), the days, the runner's sessions over the plan (linked and shown from
one query); the calendar's own reads since a2be722 (10 in all), the header's count of
unread notifications (one query on every page) and the re-plan panel's pending proposal
(one query, ``plans.replan.pending``)."""


def _plan_for(app: Flask, runner_id: int, race_day: int, weeks: int) -> int:
    import datetime as dt

    from smartrunning.athletes.models import Runner
    from smartrunning.plans import actions as plan_services
    from smartrunning.plans import plan_schemas

    with app.app_context():
        plan_schemas.load_default_schemas()
        runner = db.session.get_one(Runner, runner_id)
        request = plan_services.GenerateRequest(
            dt.date(2024, 3, 1) + dt.timedelta(days=race_day),
            10000.0,
            weeks,
            training_days=frozenset(range(7)),
            long_run_day=6,
            sessions_per_week=7,
        )
        plan = plan_services.save_plan(
            runner, plan_schemas.schema_by_name("10 km"), request, created_by=None
        )
        db.session.commit()
        return plan.id


def test_the_plan_page_does_not_grow_with_days_or_sessions(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0, duration_s=300))])
    small = _plan_for(app, world.runner_id, 12, 2)
    import_inline(
        app,
        world.runner_id,
        [(f"r{i}.fit", run_bytes(i, duration_s=300, seed=i)) for i in range(1, 6)],
    )
    big = _plan_for(app, world.runner_id, 80, 12)
    views = {"week": "?week=2024-03-04", "month": "?month=2024-03"}
    counts: dict[int, dict[str, int]] = {}
    for plan_id in (small, big):
        assert client.get(f"/plans/{plan_id}").status_code == 200  # links sessions once
        counts[plan_id] = {
            view: queries(app, client, f"/plans/{plan_id}{args}") for view, args in views.items()
        }
    assert counts[small] == counts[big], counts
    assert counts[big] == PLAN_PAGE_QUERIES, counts[big]


# --- imports -----------------------------------------------------------------------------

ONE_FILE_JOB_STATEMENTS = 36
"""SQL statements of a queue task importing a file uploaded alone, its job's completion
included (a watch that syncs one activity at a time makes such a job per run): the claim
(two updates), the file and its runner, the duplicate checks, the record blob, the runner's
lock, the session, the file's outcome, the job to ``analysing`` and ``done`` with its
recomputation in a savepoint (requests, CS versions and suggestions from the next day,
bests, sessions, parameters, the new best, the session's loads, the history) and the
notices (the job's files, the coaches, the coach's notification). Was 39 statements in 5
transactions (claim, write, analysing, recomputation, notices) before the write completed
the job."""
ONE_FILE_JOB_COMMITS = 2
"""The claim, then the write with the job's completion (issue #14: a single file is a
batch of one)."""


def test_a_one_file_upload_is_claimed_then_written_and_completed_in_one_transaction(
    app: Flask,
) -> None:
    from smartrunning.athletes.models import Runner
    from smartrunning.sessions import jobs, uploads
    from smartrunning.sessions.models import ImportJob, JobStatus

    world = make_world(app)
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0, duration_s=300))])
    with app.app_context():
        runner = db.session.get_one(Runner, world.runner_id)
        job_id = uploads.create_import(
            runner, [("b.fit", run_bytes(1, duration_s=300, seed=1))], by=None, source="test"
        ).id
        [file_id] = jobs.pending_file_ids(job_id)
        db.session.rollback()
        engine = db.engine
    commits: list[object] = []

    def commit(conn: object) -> None:
        commits.append(conn)

    sa.event.listen(engine, "commit", commit)
    try:
        with counting(app) as statements, app.app_context():
            result = jobs.run_files([file_id])
    finally:
        sa.event.remove(engine, "commit", commit)
    assert result["completed_jobs"] == [job_id]
    with app.app_context():
        job = db.session.get_one(ImportJob, job_id)
        assert job.status is JobStatus.DONE
        assert job.finished_at is not None
    assert len(commits) == ONE_FILE_JOB_COMMITS
    # PostgreSQL's per-transaction "SET LOCAL synchronous_commit" is a setting, not work.
    work = [s for s in statements if not s.startswith("SET LOCAL ")]
    assert len(work) == ONE_FILE_JOB_STATEMENTS, "\n".join(work)
