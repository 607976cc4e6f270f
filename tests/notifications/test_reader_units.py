"""A notification whose text has paces is made in each recipient's units, in the inbox
and in the e-mail (issue #19 item 7)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import User
from smartrunning.notifications import actions, hooks
from smartrunning.notifications.models import Notification, OutboxEmail
from smartrunning.platform.db import db
from smartrunning.platform.display import DisplayPrefs
from smartrunning.platform.formatting import format_pace, pace_label
from tests.helpers import make_world


def _cs(prefs: DisplayPrefs) -> str:
    return f"Critical speed {format_pace(1000 / 300, prefs.units)} {pace_label(prefs.units)}."


def test_each_recipient_reads_the_suggestion_in_their_own_units(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        db.session.get_one(User, world.coach).units = "mi"
        for user_id, address in ((world.coach, "coach@example.org"), (world.admin, "a@x.org")):
            actions.set_email_address(user_id, address)
        told = hooks.parameter_suggestion(
            [world.coach, world.admin], "Rita", _cs, f"/runners/{world.runner_id}#cs"
        )
        db.session.commit()
        assert sorted(told) == sorted([world.coach, world.admin])
        inbox = {n.user_id: n.body for n in db.session.execute(sa.select(Notification)).scalars()}
        mail = {e.user_id: e.body for e in db.session.execute(sa.select(OutboxEmail)).scalars()}
    assert inbox == {
        world.coach: "Critical speed 8:03 /mi.",
        world.admin: "Critical speed 5:00 /km.",
    }
    assert "Critical speed 8:03 /mi." in mail[world.coach]
    assert "/km" not in mail[world.coach]
    assert "Critical speed 5:00 /km." in mail[world.admin]


def test_a_plain_text_body_is_the_same_for_everyone(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        db.session.get_one(User, world.coach).units = "mi"
        hooks.parameter_suggestion([world.coach, world.admin], "Rita", "Legs heavy.", "/x")
        db.session.commit()
        bodies = {n.body for n in db.session.execute(sa.select(Notification)).scalars()}
    assert bodies == {"Legs heavy."}


def test_a_suggested_critical_speed_reaches_each_coach_in_their_units(app: Flask) -> None:
    from tests.helpers import with_suggestions

    world = make_world(app)
    with app.app_context():
        db.session.get_one(User, world.coach).units = "mi"
        db.session.commit()
    world = with_suggestions(app, world)
    with app.app_context():
        told = dict(
            db.session.execute(
                sa.select(Notification.user_id, Notification.body).where(
                    Notification.user_id.in_([world.coach, world.other_coach])
                )
            ).all()
        )
    assert told[world.coach].startswith("Critical speed 6:42 /mi (D′ 200 m) from "), told
    assert told[world.other_coach].startswith("Critical speed 4:40 /km (D′ 500 m) from "), told


def test_the_default_critical_speed_is_named_in_the_readers_units(app: Flask) -> None:
    from smartrunning.athletes import bests as best_services
    from smartrunning.athletes.models import Runner
    from tests.helpers import login

    world = make_world(app)
    with app.app_context():  # without a best the runner has the population CS
        novice = db.session.get_one(Runner, world.other_runner_id)
        best_services.delete_personal_best(novice, world.other_best_id, by=None)
        db.session.commit()
    client = app.test_client()
    login(client, "othercoach")
    page = client.get(f"/runners/{world.other_runner_id}").get_data(as_text=True)
    assert "Population default (5:00 /km)" in page
    with app.app_context():
        db.session.get_one(User, world.other_coach).units = "mi"
        db.session.commit()
    page = client.get(f"/runners/{world.other_runner_id}").get_data(as_text=True)
    assert "Population default (8:03 /mi)" in page
    assert "(5:00 /km)" not in page
