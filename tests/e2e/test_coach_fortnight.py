"""A coach with a dozen athletes over a simulated fortnight, in a browser on a desktop and
a phone (issue #19's "Done when").

Twelve runners, each with a 5-week 10 km plan (Mon, Wed, Fri, Sun) from Monday 4 March 2024.
The clock moves day by day over 14 days; each morning the queue's missed-sessions check
runs for the day before (as its periodic task does) and each day's runs are imported as
the runners upload them; the queue's e-mail tasks run in this process and deliver to a real
SMTP server on 127.0.0.1. One runner misses two sessions in the second week, one rates a
run RPE 9 with "knee sore", one has a fitted critical speed waiting for the coach; the
others run what is planned. The coach chose e-mail for comments and missed sessions only.

On Monday 18 March the coach opens /athletes and finds the three athletes first, opens the
knee-sore comment in one click and answers it, moves a planned day (drag on the desktop,
the week view's button on the phone) and adds a library workout to a rest day; the SMTP
server got the e-mails she chose and no other. A runner opens / to today's workout and
rates the latest session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from smartrunning.accounts.models import Role, User
from smartrunning.app import create_app
from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import suggestions as suggestion_services
from smartrunning.athletes.models import ParameterKey, ParameterSource, Runner
from smartrunning.coaching import actions as coaching_actions
from smartrunning.feedback import actions as feedback
from smartrunning.feedback import missed
from smartrunning.feedback.models import Feeling, SessionFeedback
from smartrunning.notifications import actions as notifications
from smartrunning.notifications.models import NotificationKind
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.plans.models import Plan
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.platform.queue import get_queue
from smartrunning.sessions.models import TrainingSession
from smartrunning.workouts import imports as workout_imports
from tests.database import TestDatabase
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_runner, make_user
from tests.notifications.smtp_server import SMTPServer
from tests.sessions.sessiondata import import_inline, run_bytes
from tests.settings import make_settings

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
FIRST = dt.date(2024, 3, 4)  # a Monday; run_bytes counts days from 1 March 2024
TODAY = FIRST + dt.timedelta(days=14)  # Monday 18 March, after the fortnight
RACE = dt.date(2024, 4, 7)
COACH_EMAIL = "coach@example.org"
NAMES = [
    "Ada Long",
    "Ben Hill",
    "Cleo Park",
    "Dan Ford",
    "Eva Stone",
    "Finn Moor",
    "Gia Vale",
    "Hal Brook",
    "Ivy Marsh",
    "Jon Reed",
    "Kim Ash",
    "Leo Dale",
]
MISSER, KNEE, SUGGESTED = "Jon Reed", "Eva Stone", "Leo Dale"
#: The misser's two planned days left without a run (the second week's Wed and Fri).
MISSED = (FIRST + dt.timedelta(days=9), FIRST + dt.timedelta(days=11))
KNEE_DAY = FIRST + dt.timedelta(days=13)  # the knee-sore run: Sunday's long run


@dataclass(frozen=True)
class Fortnight:
    coach: int
    runners: dict[str, int]
    users: dict[str, int]
    plans: dict[str, int]
    knee_session: int


@pytest.fixture
def smtp() -> Iterator[SMTPServer]:
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def app(tmp_path: Path, test_database: TestDatabase, smtp: SMTPServer) -> Iterator[Flask]:
    """The app with its e-mail going to the test SMTP server."""
    settings = make_settings(
        tmp_path / "instance",
        test_database.url_for(tmp_path),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp.port,
        SMTP_FROM="Coach Desk <desk@example.org>",
        PUBLIC_URL="https://run.example.org",
        EMAIL_RETRY_DELAY_S=0,
    )
    application = create_app(settings, {"TESTING": True})
    with application.app_context():
        get_queue().huey.flush()
    yield application
    clock.set_clock(None)
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _set_day(day: dt.date, hour: int = 12) -> None:
    clock.set_clock(clock.fixed(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)))


def _run_queue(app: Flask) -> None:
    """Run the queued tasks (the e-mails) as a worker would."""
    with app.app_context():
        huey = get_queue().huey
    for _ in range(500):
        task = huey.dequeue()
        if task is None:
            return
        huey.execute(task)
    raise AssertionError("more than 500 queued tasks")


def _fortnight(app: Flask) -> Fortnight:
    _set_day(FIRST - dt.timedelta(days=3))
    coach = make_user(app, "coach", Role.COACH)
    users = {name: make_user(app, name.split()[0].lower(), Role.RUNNER) for name in NAMES}
    runners = {name: make_runner(app, name, user_id=users[name], coach_id=coach) for name in NAMES}
    plans: dict[str, int] = {}
    with app.app_context():
        workout_imports.load_default_library()
        plan_schemas.load_default_schemas()
        schema = plan_schemas.schema_by_name("10 km")
        coach_user = db.session.get_one(User, coach)
        # Her choices: comments and missed sessions by e-mail, nothing else.
        notifications.set_email_address(coach, COACH_EMAIL)
        for kind in NotificationKind:
            wanted = kind in (NotificationKind.COMMENT, NotificationKind.MISSED_SESSION)
            notifications.set_choice(coach, kind, email=wanted)
        for name in NAMES:
            runner = db.session.get_one(Runner, runners[name])
            request = plan_services.GenerateRequest(
                RACE, 10000.0, 5, frozenset({0, 2, 4, 6}), long_run_day=6, sessions_per_week=4
            )
            plans[name] = plan_services.save_plan(runner, schema, request, created_by=coach_user).id
        db.session.commit()
        planned = {
            name: {
                d.date: d.duration_s
                for d in db.session.get_one(Plan, plans[name]).days
                if d.kind != "rest" and FIRST <= d.date < TODAY
            }
            for name in NAMES
        }
    assert all(len(days) == 8 for days in planned.values()), planned
    knee_session = 0
    for offset in range(14):
        day = FIRST + dt.timedelta(days=offset)
        # 06:00: the queue's daily check of yesterday's planned days (feedback.tasks).
        _set_day(day, 6)
        with app.app_context():
            missed.notify_missed(clock.today() - dt.timedelta(days=1))
        _run_queue(app)
        # The evening: each runner uploads the day's run.
        _set_day(day, 19)
        for seed, name in enumerate(NAMES, start=1):
            if day not in planned[name] or (name == MISSER and day in MISSED):
                continue
            report = import_inline(
                app,
                runners[name],
                [
                    (
                        f"{name.split()[0]}-{day}.fit",
                        run_bytes(
                            (day - dt.date(2024, 3, 1)).days,
                            duration_s=int(planned[name][day] * 0.8),
                            seed=seed,
                        ),
                    )
                ],
            )
            files = report["files"]
            assert isinstance(files, list), report
            assert files[0]["session_ids"], report
            if name == KNEE and day == KNEE_DAY:
                knee_session = files[0]["session_ids"][0]
        if day == KNEE_DAY:
            with app.app_context():
                runner_user = db.session.get_one(User, users[KNEE])
                feedback.set_session_feedback(
                    runner_user, knee_session, rpe=9, feeling="tired", comment="knee sore"
                )
        if day == FIRST + dt.timedelta(days=12):
            # A race on the line of the 5000 m best: a fitted CS the coach should decide.
            with app.app_context():
                runner = db.session.get_one(Runner, runners[SUGGESTED])
                parameter_services.set_parameter(
                    runner,
                    ParameterKey.CRITICAL_SPEED,
                    {"cs_mps": 3.9, "d_prime_m": 180},
                    dt.date(2024, 1, 1),
                    source=ParameterSource.MEASURED,
                    by=None,
                    today=day,
                )
                for distance, seconds, on in ((5000.0, 1200.0, 2), (3000.0, 700.0, 9)):
                    best_services.add_personal_best(
                        runner, distance, seconds, FIRST + dt.timedelta(days=on), by=None, today=day
                    )
                db.session.commit()
                assert suggestion_services.open_suggestions(runner)
        # The coach looks at her athletes every evening.
        with app.app_context():
            coach_user = db.session.get_one(User, coach)
            for runner_id in runners.values():
                coaching_actions.mark_seen(coach_user, runner_id)
            db.session.commit()
        _run_queue(app)
    # Monday 18 March, 06:00: Sunday's check, then the coach opens the app at noon.
    _set_day(TODAY, 6)
    with app.app_context():
        missed.notify_missed(clock.today() - dt.timedelta(days=1))
    _run_queue(app)
    _set_day(TODAY)
    return Fortnight(coach, runners, users, plans, knee_session)


def _subjects(smtp: SMTPServer) -> list[str]:
    with smtp.mailbox.lock:
        return [str(m.message["Subject"]) for m in smtp.mailbox.messages]


def _shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"coach-fortnight-{name}.png"), full_page=True)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_coach_and_twelve_athletes_over_a_fortnight(
    app: Flask,
    live_server: str,
    new_page: Any,
    artifacts: Path,
    smtp: SMTPServer,
    viewport: str,
) -> None:
    world = _fortnight(app)
    width, height = VIEWPORTS[viewport]
    shot = viewport

    # The e-mails she asked for: the knee-sore comment and the two missed days, no uploads
    # (about 90 sessions), no suggestion; none to the runners (no address).
    subjects = _subjects(smtp)
    with smtp.mailbox.lock:
        assert {r for m in smtp.mailbox.messages for r in m.recipients} == {COACH_EMAIL}
    assert len(subjects) == 3, subjects
    missed_mail = sorted(s for s in subjects if s.startswith(f"{MISSER} missed "))
    assert sorted(m[-13:] for m in missed_mail) == ["on Fri 15 Mar", "on Wed 13 Mar"], subjects
    [comment_mail] = [s for s in subjects if "commented on" in s]
    assert comment_mail.endswith(f"({KNEE})"), subjects
    with app.app_context():
        assert db.session.query(TrainingSession).count() == 12 * 8 - 2

    coach = new_page(width, height)
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/athletes")
    rows = coach.get_by_test_id("athletes").locator("tbody tr")
    expect(rows).to_have_count(12)
    order = [rows.nth(i).locator("td").first.locator("a").inner_text() for i in range(12)]
    assert order[:3] == [MISSER, KNEE, SUGGESTED], order
    first = rows.nth(0).get_by_test_id("attention")
    expect(first).to_contain_text("2 missed sessions this week")
    knee_row = rows.nth(1)
    expect(knee_row.get_by_test_id("attention")).to_contain_text("1 unread comment")
    expect(knee_row.get_by_test_id("last-rating")).to_have_text("RPE 9 · tired")
    expect(rows.nth(2).get_by_test_id("suggestions-waiting")).to_be_visible()
    for i in range(3, 12):
        expect(rows.nth(i).get_by_test_id("attention")).to_have_text("all quiet")
    _shot(coach, artifacts, f"{shot}-1-dashboard")

    # One click from the dashboard to the knee-sore comment; she answers.
    knee_row.get_by_test_id("attention").get_by_role("link").first.click()
    expect(coach.get_by_test_id("comments")).to_contain_text("knee sore")
    expect(coach.get_by_test_id("feedback-summary")).to_contain_text("RPE 9")
    coach.get_by_role("textbox", name="Comment").fill("Rest two days, then an easy 30 min.")
    coach.get_by_role("button", name="Post").click()
    expect(coach.get_by_test_id("comments")).to_contain_text("Rest two days")
    _shot(coach, artifacts, f"{shot}-2-answer")

    # The calendar of the knee-sore runner: move Wednesday's session, add a workout on
    # Tuesday (a rest day).
    with app.app_context():
        dated = {d.date for d in db.session.get_one(Plan, world.plans[KNEE]).days}
    ahead = [TODAY + dt.timedelta(days=n) for n in range(1, 7)]
    # A planned day followed by a rest day (moved there), and another rest day.
    wed = next(d for d in ahead if d in dated and d + dt.timedelta(days=1) not in dated)
    thu = wed + dt.timedelta(days=1)
    tue = next(d for d in ahead if d not in dated and d != thu)
    base = f"{live_server}/plans/{world.plans[KNEE]}"
    if viewport == "desktop":
        coach.goto(f"{base}?view=month&month=2024-03")
        entry = coach.get_by_test_id(f"day-{wed}")
        name = entry.locator(".cal-title").inner_text()
        entry.drag_to(coach.get_by_test_id(f"cal-{thu}"))
        expect(coach.get_by_text("Day moved.")).to_be_visible()
        expect(coach.get_by_test_id(f"day-{thu}")).to_contain_text(name)
    else:
        coach.goto(f"{base}?view=week&week={wed}")
        name = coach.get_by_test_id(f"week-day-{wed}").locator(".cal-title").inner_text()
        coach.get_by_test_id(f"later-{wed}").click()
        expect(coach.get_by_text("Day moved.")).to_be_visible()
        expect(coach.get_by_test_id(f"week-day-{thu}")).to_contain_text(name)
    coach.get_by_test_id(f"add-{tue}").click()
    expect(coach.get_by_label("Day", exact=True)).to_have_value(tue.isoformat())
    coach.get_by_label("Workout", exact=True).select_option(index=1)
    chosen = coach.get_by_label("Workout", exact=True).evaluate(
        "s => s.options[s.selectedIndex].text"
    )
    coach.get_by_test_id("add-submit").click()
    expect(coach.get_by_text("Workout added.")).to_be_visible()
    prefix = "day-" if viewport == "desktop" else "week-day-"
    expect(coach.get_by_test_id(f"{prefix}{tue}")).to_contain_text(chosen)
    _shot(coach, artifacts, f"{shot}-3-calendar")
    with app.app_context():
        days = {d.date: d for d in db.session.get_one(Plan, world.plans[KNEE]).days}
    assert wed not in days
    assert days[thu].workout_name == name
    assert days[tue].workout_name == chosen
    assert coach.console_errors == []

    # Her answer went to the runner's inbox; still no e-mail she did not ask for.
    _run_queue(app)
    assert sorted(_subjects(smtp)) == sorted(subjects)

    # A runner on her Monday: today's workout first, then rating the latest session.
    runner = new_page(width, height)
    log_in(runner, live_server, "ada", PASSWORD)
    with app.app_context():
        today_name = next(
            d.workout_name
            for d in db.session.get_one(Plan, world.plans["Ada Long"]).days
            if d.date == TODAY
        )
    expect(runner.get_by_test_id("home-today")).to_contain_text(today_name)
    _shot(runner, artifacts, f"{shot}-4-runner-home")
    taps = 0
    quick = runner.get_by_test_id("home-quick-feedback")
    quick.locator("label[for=home-rpe5]").click()
    taps += 1
    quick.get_by_role("button", name="Good").click()
    taps += 1
    expect(runner.get_by_test_id("home-rated")).to_contain_text("RPE 5")
    expect(runner.get_by_test_id("home-rated")).to_contain_text("felt good")
    _shot(runner, artifacts, f"{shot}-5-runner-feedback")
    assert taps == 2  # issue #19: feedback in two taps from the home page
    with app.app_context():
        ada = db.session.get_one(Plan, world.plans["Ada Long"]).runner_id
        latest = db.session.scalars(
            sa.select(SessionFeedback)
            .join(TrainingSession, TrainingSession.id == SessionFeedback.session_id)
            .where(TrainingSession.runner_id == ada)
        ).one_or_none()
        assert latest is not None
        assert (latest.rpe, latest.feeling) == (5, Feeling.GOOD)
    assert runner.console_errors == []
