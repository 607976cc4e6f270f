"""Athletes over time: dated parameters, the wizard, personal bests, CS versions, predictions."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import Role
from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import (
    BestSource,
    ParameterKey,
    ParameterSource,
    ParameterVersion,
    PersonalBest,
    RecomputeRequest,
    Runner,
)
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.platform.errors import InvalidInput
from smartrunning.science.predictions import vdot
from smartrunning.sessions import recent
from smartrunning.sessions.models import TrainingSession
from tests.helpers import (
    WRITTEN_ON,
    csrf_token,
    login,
    make_runner,
    make_user,
    make_world,
    post_form,
)
from tests.sessions.sessiondata import DAY0, import_inline, run_bytes

TODAY = WRITTEN_ON

pytestmark = pytest.mark.usefixtures("on_written_day")


def _text(response: object) -> str:
    return response.get_data(as_text=True)  # type: ignore[attr-defined,no-any-return]


def _runner(app: Flask, runner_id: int) -> Runner:
    runner = db.session.get(Runner, runner_id)
    assert runner is not None
    return runner


def test_a_new_runner_has_estimated_hrmax_zones_and_defaults(app: Flask) -> None:
    runner_id = make_runner(app, "Nina New")
    with app.app_context():
        params = parameter_services.parameters_on(_runner(app, runner_id), TODAY)
        # Born 1990-04-02: 36 on TODAY; HUNT 211 − 0.64·36 = 187.96.
        assert params.hrmax_bpm == pytest.approx(188.0, abs=0.05)
        assert params.hrmax.source is ParameterSource.ESTIMATED
        bounds = [z.upper for z in params.hr_zones.zones]
        assert bounds == pytest.approx(
            [0.6 * 187.96, 0.7 * 187.96, 0.8 * 187.96, 0.9 * 187.96, 187.96], abs=0.1
        )
        assert params.threshold_hr.value == pytest.approx(0.9 * 187.96, abs=0.1)
        assert len(params.pace_zones.zones) == 6
        assert params.critical_speed.source is ParameterSource.DEFAULT


def test_value_valid_on_a_date_switches_on_the_day_the_version_starts(app: Flask) -> None:
    runner_id = make_runner(app, "Dora Dated")
    with app.app_context():
        runner = _runner(app, runner_id)
        for day, value in ((dt.date(2026, 3, 1), 190), (dt.date(2026, 6, 1), 186)):
            parameter_services.set_parameter(
                runner,
                ParameterKey.HRMAX,
                value,
                day,
                source=ParameterSource.MEASURED,
                by=None,
                today=TODAY,
            )
        db.session.commit()

        def on(day: dt.date) -> float:
            return parameter_services.parameters_on(runner, day).hrmax_bpm

        # Before the first version: the HUNT estimate at age 35, 211 − 0.64·35 = 188.6.
        assert on(dt.date(2026, 2, 28)) == pytest.approx(188.6, abs=0.05)
        assert on(dt.date(2026, 3, 1)) == 190
        assert on(dt.date(2026, 5, 31)) == 190
        assert on(dt.date(2026, 6, 1)) == 186
        # A same-day correction replaces the version instead of stacking a second one.
        parameter_services.set_parameter(
            runner,
            ParameterKey.HRMAX,
            187,
            dt.date(2026, 6, 1),
            source=ParameterSource.MEASURED,
            by=None,
            today=TODAY,
        )
        db.session.commit()
        assert on(dt.date(2026, 6, 1)) == 187
        assert len(parameter_services.history(runner, ParameterKey.HRMAX)) == 2


def test_changing_a_past_version_requests_a_recompute_from_its_date(app: Flask) -> None:
    runner_id = make_runner(app, "Rex Recompute")
    with app.app_context():
        runner = _runner(app, runner_id)
        parameter_services.set_parameter(
            runner,
            ParameterKey.HRREST,
            52,
            dt.date(2026, 1, 10),
            source=ParameterSource.MEASURED,
            by=None,
            today=TODAY,
        )
        db.session.commit()
        requests = (
            db.session.execute(db.select(RecomputeRequest).filter_by(runner_id=runner_id))
            .scalars()
            .all()
        )
        assert [r.from_date for r in requests] == [dt.date(2026, 1, 10)]
        assert requests[0].done_at is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (ParameterKey.HRMAX, 40, "between 100 and 240"),
        (ParameterKey.HRREST, 200, "between 25 and 120"),
        (ParameterKey.LOAD_MODEL, "magic", "load_model must be one of"),
        (ParameterKey.HR_ZONES, {"uppers": [0.6, 0.5, 0.8, 0.9, 1.0]}, "must end above"),
        (ParameterKey.HR_ZONES, {"uppers": [0.6, 0.7, 0.8]}, "Zone 3 .* must reach HRmax"),
        (ParameterKey.CRITICAL_SPEED, {"cs_mps": 40, "d_prime_m": 200}, "between 1 and 7"),
    ],
)
def test_bad_parameter_values_are_refused(
    app: Flask, key: ParameterKey, value: object, message: str
) -> None:
    runner_id = make_runner(app, "Vera Valid")
    with app.app_context(), pytest.raises(InvalidInput, match=message):
        parameter_services.set_parameter(
            _runner(app, runner_id),
            key,
            value,
            dt.date(2026, 1, 1),
            source=ParameterSource.MEASURED,
            by=None,
            today=TODAY,
        )


def test_resting_hr_must_stay_below_hrmax_on_that_date(app: Flask) -> None:
    runner_id = make_runner(app, "Hana Heart")
    with app.app_context():
        runner = _runner(app, runner_id)
        parameter_services.set_parameter(
            runner,
            ParameterKey.HRMAX,
            110,
            dt.date(2026, 1, 1),
            source=ParameterSource.MEASURED,
            by=None,
            today=TODAY,
        )
        with pytest.raises(InvalidInput, match="Resting HR must be below HRmax"):
            parameter_services.set_parameter(
                runner,
                ParameterKey.HRREST,
                115,
                dt.date(2026, 2, 1),
                source=ParameterSource.MEASURED,
                by=None,
                today=TODAY,
            )
        parameter_services.set_parameter(
            runner,
            ParameterKey.HRREST,
            105,
            dt.date(2026, 2, 1),
            source=ParameterSource.MEASURED,
            by=None,
            today=TODAY,
        )
        with pytest.raises(InvalidInput, match="HRmax must be above the resting HR"):
            parameter_services.set_parameter(
                runner,
                ParameterKey.HRMAX,
                100,
                dt.date(2026, 3, 1),
                source=ParameterSource.MEASURED,
                by=None,
                today=TODAY,
            )


def test_future_parameter_dates_are_refused(app: Flask) -> None:
    runner_id = make_runner(app, "Fred Future")
    with app.app_context(), pytest.raises(InvalidInput, match="future"):
        parameter_services.set_parameter(
            _runner(app, runner_id),
            ParameterKey.WEIGHT,
            70,
            TODAY + dt.timedelta(days=1),
            source=ParameterSource.MEASURED,
            by=None,
            today=TODAY,
        )


def test_bests_create_cs_versions_per_date_and_deleting_refits(app: Flask) -> None:
    runner_id = make_runner(app, "Cora Critical")
    with app.app_context():
        runner = _runner(app, runner_id)
        # Efforts on the line D = 4.0·t + 200: exact CS 4.0 m/s, D′ 200 m.
        first = best_services.add_personal_best(
            runner, 1400, 300, dt.date(2026, 3, 1), by=None, today=TODAY
        )
        assert parameter_services.history(runner, ParameterKey.CRITICAL_SPEED) == []
        best_services.add_personal_best(
            runner, 2600, 600, dt.date(2026, 4, 1), by=None, today=TODAY
        )
        versions = parameter_services.history(runner, ParameterKey.CRITICAL_SPEED)
        assert [v.valid_from for v in versions] == [dt.date(2026, 4, 1)]
        assert versions[0].value["cs_mps"] == pytest.approx(4.0)
        assert versions[0].value["d_prime_m"] == pytest.approx(200.0)
        assert versions[0].details["warnings"][0]["code"] == "only_two_points"
        best_services.add_personal_best(
            runner, 3800, 900, dt.date(2026, 5, 1), by=None, today=TODAY
        )
        versions = parameter_services.history(runner, ParameterKey.CRITICAL_SPEED)
        assert [v.valid_from for v in versions] == [dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
        assert versions[1].details["r_squared"] == pytest.approx(1.0)
        on_april = parameter_services.parameters_on(runner, dt.date(2026, 4, 15)).cs
        assert on_april.cs_mps == pytest.approx(4.0)
        best_services.delete_personal_best(runner, first.id, by=None)
        db.session.commit()
        versions = parameter_services.history(runner, ParameterKey.CRITICAL_SPEED)
        # Without the March effort, two points remain only from May on; April's single
        # result gives a CS estimated from its VDOT.
        assert [v.valid_from for v in versions] == [dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
        assert [v.source for v in versions] == [ParameterSource.ESTIMATED, ParameterSource.FORMULA]
        assert versions[0].details["estimate"]["vdot"] == pytest.approx(vdot(2600, 600))


def test_impossible_bests_are_refused(app: Flask) -> None:
    runner_id = make_runner(app, "Ian Impossible")
    with app.app_context():
        runner = _runner(app, runner_id)
        with pytest.raises(InvalidInput, match="faster than humanly possible"):
            best_services.add_personal_best(
                runner, 5000, 400, dt.date(2026, 1, 1), by=None, today=TODAY
            )
        with pytest.raises(InvalidInput, match="future"):
            best_services.add_personal_best(
                runner, 5000, 1200, TODAY + dt.timedelta(days=3), by=None, today=TODAY
            )
        with pytest.raises(InvalidInput, match="before the birth date"):
            best_services.add_personal_best(
                runner, 5000, 1200, dt.date(1980, 1, 1), by=None, today=TODAY
            )


@pytest.mark.parametrize(
    ("text", "seconds"), [("95", 95.0), ("4:05", 245.0), ("1:02:03", 3723.0), ("19:59.5", 1199.5)]
)
def test_times_parse(text: str, seconds: float) -> None:
    assert best_services.parse_time(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "4:75", "1:2:3:4", "-5"])
def test_bad_times_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        best_services.parse_time(text)


def test_coach_wizard_end_to_end_with_login(app: Flask) -> None:
    make_world(app)
    client = app.test_client()
    login(client, "coach")
    step1 = post_form(
        client,
        "/runners/new",
        {"name": "Wanda Wizard", "birth_date": "1990-01-01", "sex": "f", "weight_kg": "60"},
    )
    match = re.match(r"/runners/(\d+)/setup/2", step1.location)
    assert match
    runner_id = int(match.group(1))
    step2 = post_form(
        client,
        f"/runners/{runner_id}/setup/2",
        {
            "hrmax_bpm": "190",
            "hrrest_bpm": "50",
            "method": "percent_hrr",
            "start_pct": "50",
            "z1": "60",
            "z2": "70",
            "z3": "80",
            "z4": "90",
            "z5": "100",
            "valid_from": "2026-01-01",
        },
    )
    assert step2.location == f"/runners/{runner_id}/setup/3"
    step3 = post_form(
        client,
        f"/runners/{runner_id}/setup/3",
        {
            "entries-0-distance_m": "1609.344",
            "entries-0-time": "5:30",
            "entries-0-date": "2026-06-01",
            "entries-1-distance_m": "5000",
            "entries-1-time": "20:00",
            "entries-1-date": "2026-05-01",
        },
    )
    assert step3.location == f"/runners/{runner_id}/setup/4"
    step4 = post_form(
        client,
        f"/runners/{runner_id}/setup/4",
        {
            "training_weekdays": ["1", "3", "5", "6"],
            "long_run_weekday": "6",
            "sessions_per_week": "4",
            "weekly_running_min": "240",
            "load_model": "rtss",
            "k1": "1",
            "k2": "2",
            "tau1": "42",
            "tau2": "7",
            "notes": "Knee niggle in 2025",
        },
    )
    assert step4.location == f"/runners/{runner_id}/setup/5"
    with app.app_context():
        assert _runner(app, runner_id).weekly_running_min == 240
    step5 = post_form(client, f"/runners/{runner_id}/setup/5", {"username": "wanda"})
    password = re.search(r'data-testid="temp-password">([^<]+)<', _text(step5))
    assert password
    with app.app_context():
        runner = _runner(app, runner_id)
        assert runner.onboarding_step is None
        params = parameter_services.parameters_on(runner, TODAY)
        assert params.hrmax_bpm == 190
        assert params.hrrest_bpm == 50
        # Karvonen: 50 + 0.6 · (190 − 50) = 134 bpm.
        assert params.hr_zones.zones[0].upper == pytest.approx(134.0)
        assert params.load_model.value == "rtss"
        assert params.critical_speed.source is ParameterSource.FORMULA
        assert runner.user is not None
        assert runner.user.must_change_password
    wanda = app.test_client()
    assert login(wanda, "wanda", password.group(1)).location == "/password"


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        (1, {"name": "X", "birth_date": "2999-01-01", "sex": "f"}, "Birth date must be"),
        (
            2,
            {
                "hrmax_bpm": "110",
                "hrrest_bpm": "115",
                "method": "percent_hrmax",
                "start_pct": "50",
                "z1": "60",
                "z2": "70",
                "z3": "80",
                "z4": "90",
                "z5": "100",
                "valid_from": "2026-01-01",
            },
            "below HRmax",
        ),
        (
            2,
            {
                "method": "percent_hrmax",
                "start_pct": "50",
                "z1": "60",
                "z2": "55",
                "z3": "80",
                "z4": "90",
                "z5": "100",
                "valid_from": "2026-01-01",
            },
            "must end above",
        ),
        (
            3,
            {
                "entries-0-distance_m": "5000",
                "entries-0-time": "6:00",
                "entries-0-date": "2026-01-01",
            },
            "faster than humanly possible",
        ),
        (
            3,
            {
                "entries-0-distance_m": "5000",
                "entries-0-time": "20:00",
                "entries-0-date": "2999-01-01",
            },
            "future",
        ),
        (
            3,
            {"entries-0-distance_m": "5000", "entries-0-time": "", "entries-0-date": "2026-01-01"},
            "give a distance, a time and a date",
        ),
        (
            4,
            {
                "training_weekdays": ["1", "3"],
                "long_run_weekday": "6",
                "sessions_per_week": "4",
                "load_model": "auto",
                "k1": "1",
                "k2": "2",
                "tau1": "42",
                "tau2": "7",
            },
            "long-run day must be a training day",
        ),
        (
            4,
            {
                "training_weekdays": ["1", "3", "6"],
                "long_run_weekday": "6",
                "sessions_per_week": "4",
                "weekly_running_min": "-30",
                "load_model": "auto",
                "k1": "1",
                "k2": "2",
                "tau1": "42",
                "tau2": "7",
            },
            "Number must be between 0 and 3000",
        ),
    ],
)
def test_wizard_validation_messages(
    app: Flask, step: int, data: dict[str, object], message: str
) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    response = post_form(client, f"/runners/{world.runner_id}/setup/{step}", data)
    assert response.status_code == 200
    assert message in _text(response)


def test_unfinished_runner_is_brought_back_to_the_wizard(app: Flask) -> None:
    user_id = make_user(app, "newbie", Role.RUNNER)
    with app.app_context():
        from smartrunning.accounts.models import User
        from smartrunning.athletes import actions as athlete_services
        from smartrunning.athletes.models import Sex

        runner = athlete_services.create_runner(
            "Nora Newbie",
            dt.date(1995, 1, 1),
            Sex.FEMALE,
            created_by=None,
            today=TODAY,
            user=db.session.get(User, user_id),
        )
        db.session.commit()
        runner_id = runner.id
        assert runner.onboarding_step == 2
    client = app.test_client()
    login(client, "newbie")
    assert client.get("/").location == f"/runners/{runner_id}/setup"
    assert client.get(f"/runners/{runner_id}/setup").location == f"/runners/{runner_id}/setup/2"
    # The runner's own wizard has 4 steps: no login step.
    assert client.get(f"/runners/{runner_id}/setup/5").status_code == 404
    page = _text(client.get(f"/runners/{runner_id}/setup/2"))
    assert "Estimated maximum HR" in page


def test_runner_may_edit_own_weight_but_not_critical_speed(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "runner")
    ok = post_form(
        client,
        f"/runners/{world.runner_id}/parameters",
        {"key": "weight_kg", "value": "58.5", "valid_from": "2026-10-01"},
    )
    assert ok.status_code == 302
    refused = post_form(
        client,
        f"/runners/{world.runner_id}/parameters",
        {"key": "cs_mps", "value": "5", "valid_from": "2026-10-01"},
    )
    assert refused.status_code == 403
    with app.app_context():
        keys = {v.key for v in db.session.execute(db.select(ParameterVersion)).scalars()}
        assert ParameterKey.WEIGHT in keys


def test_profile_page_shows_values_zones_predictions_and_history(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    post_form(
        client,
        f"/runners/{world.runner_id}/bests",
        {"distance_m": "1609.344", "time": "5:30", "date": "2026-06-01"},
    )
    page = _text(client.get(f"/runners/{world.runner_id}"))
    for text in (
        'data-testid="hr-zones"',
        'data-testid="pace-zones"',
        "Race predictions",
        "Critical speed and D′",
        "Riegel",
        "VDOT",
        "Parameters over time",
        'id="profile-data"',
    ):
        assert text in page
    assert "1 mile" in page
    assert "5:30.0" in page  # best times to the tenth, as results lists give them
    post_form(
        client,
        f"/runners/{world.runner_id}/bests",
        {"distance_m": "400", "time": "1:34.6", "date": "2026-06-02"},
    )
    assert "1:34.6" in _text(client.get(f"/runners/{world.runner_id}"))
    dashboard = _text(client.get("/athletes"))
    assert "Rita Runner" in dashboard
    assert "/km" in dashboard


def test_api_profile_and_predictions_are_labelled(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    token = csrf_token(client)
    client.post(
        f"/api/runners/{world.runner_id}/bests",
        json={"distance_m": 1609.344, "time": "5:30", "date": "2026-06-01"},
        headers={"X-CSRFToken": token},
    )
    profile = client.get(f"/api/runners/{world.runner_id}/profile").json
    assert profile["critical_speed"]["report"]["status"] == "fitted"
    rows = {r["distance"]: r for r in profile["predictions"]}
    assert rows["5k"]["riegel"]["model"] == "riegel"
    assert rows["5k"]["vdot"]["model"] == "vdot"
    # CS predictions exist only inside their window (≈ 2–30 min).
    assert rows["marathon"]["critical_speed"]["time_s"] is None
    assert rows["marathon"]["critical_speed"]["unavailable"] == "out_of_range"
    assert rows["3000m"]["critical_speed"]["time_s"] is not None
    bad = client.post(
        f"/api/runners/{world.runner_id}/bests",
        json={"distance_m": 5000, "time": "3:00", "date": "2026-06-01"},
        headers={"X-CSRFToken": token},
    )
    assert bad.status_code == 422
    assert "faster than humanly possible" in bad.json["error"]["message"]


def test_dashboard_lists_the_visible_runners_with_their_login_and_coaches(app: Flask) -> None:
    from smartrunning.accounts.models import User
    from smartrunning.athletes import actions as athlete_services

    world = make_world(app)
    with app.app_context():
        runner = _runner(app, world.runner_id)
        helper = db.session.get_one(User, world.other_coach)
        athlete_services.assign_coach(runner, helper)
        db.session.commit()
    make_runner(app, "Abe Apple", coach_id=world.coach)  # no login, listed first by name
    client = app.test_client()
    login(client, "coach")
    page = _text(client.get("/athletes"))
    rows = re.findall(r"<tr>\s*<td><a href=\"/runners/\d+\">([^<]+)</a>(.*?)</tr>", page, re.S)
    assert [name for name, _rest in rows] == ["Abe Apple", "Rita Runner"]  # not Otto Other
    abe, rita = (rest for _name, rest in rows)
    assert "@" not in abe.split("</td>")[0]
    assert "@runner" in rita
    assert "<td>coach, othercoach</td>" in rita
    assert "<td>coach</td>" in abe
    admin = app.test_client()
    login(admin, "admin")
    assert "Otto Other" in _text(admin.get("/athletes"))


def test_dashboard_shows_each_athletes_latest_session_and_last_seven_days(app: Flask) -> None:
    world = make_world(app)
    idle = make_runner(app, "Idle Ivy", coach_id=world.coach)
    today = clock.today()
    offset = (today - DAY0.date()).days
    report = import_inline(
        app,
        world.runner_id,
        [
            (f"d{ago}.fit", run_bytes(offset - ago, duration_s=1200, seed=ago))
            for ago in (1, 3, 6, 7, 12)  # days ago: three in the last seven days
        ],
    )
    assert [f["status"] for f in report["files"]] == ["imported"] * 5  # type: ignore[index]
    with app.app_context():
        found = recent.recent_training([world.runner_id, idle], today)
        week = db.session.execute(
            sa.select(sa.func.sum(TrainingSession.distance_m)).where(
                TrainingSession.runner_id == world.runner_id,
                TrainingSession.local_date >= today - dt.timedelta(days=6),
            )
        ).scalar_one()
    busy = found[world.runner_id]
    assert busy.last_day == today - dt.timedelta(days=1)
    assert busy.week_sessions == 3
    assert busy.week_distance_m == pytest.approx(week)
    assert found[idle] == recent.RecentTraining()
    client = app.test_client()
    login(client, "coach")
    page = _text(client.get("/athletes"))
    rita = page[page.index("Rita Runner") : page.index("</tr>", page.index("Rita Runner"))]
    assert f"{busy.last_day}</a>" in rita
    assert "yesterday" in rita
    assert f"{week / 1000:.1f} km" in rita
    ivy = page[page.index("Idle Ivy") : page.index("</tr>", page.index("Idle Ivy"))]
    assert "none yet" in ivy


def test_resting_hr_stays_below_hrmax_on_later_versions_too(app: Flask) -> None:
    """A version dated before another of the other key must hold against it as well
    (HRmax 105 from 15 September under a resting HR of 110 from 1 October was saved)."""
    runner_id = make_runner(app, "Lena Later")
    with app.app_context():
        runner = _runner(app, runner_id)

        def put(key: ParameterKey, value: float, day: dt.date) -> None:
            parameter_services.set_parameter(
                runner, key, value, day, source=ParameterSource.MEASURED, by=None, today=TODAY
            )

        put(ParameterKey.HRREST, 110, dt.date(2026, 10, 1))
        with pytest.raises(InvalidInput, match=r"resting HR \(110 bpm from 2026-10-01\)"):
            put(ParameterKey.HRMAX, 105, dt.date(2026, 9, 15))
        put(ParameterKey.HRMAX, 115, dt.date(2026, 11, 1))
        with pytest.raises(InvalidInput, match=r"below HRmax \(115 bpm from 2026-11-01\)"):
            put(ParameterKey.HRREST, 118, dt.date(2026, 10, 15))
        # A later version of the same key ends the new value's reach: allowed.
        put(ParameterKey.HRREST, 60, dt.date(2026, 10, 20))
        put(ParameterKey.HRMAX, 112, dt.date(2026, 10, 21))
        db.session.rollback()


@pytest.mark.parametrize(
    "fields",
    [
        {"distance_m": "5000", "time": "20:00", "date": ""},
        {"distance_m": "abc", "time": "20:00", "date": "2026-06-01"},
        {"distance_m": "5000", "time": "nan", "date": "2026-06-01"},
        {"distance_m": "nan", "time": "20:00", "date": "2026-06-01"},
        {"distance_m": "5000", "time": "inf:00", "date": "2026-06-01"},
    ],
)
def test_a_wrong_best_on_the_page_is_refused_with_a_message(
    app: Flask, fields: dict[str, str]
) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    with app.app_context():
        before = db.session.execute(sa.select(sa.func.count(PersonalBest.id))).scalar_one()
    answer = post_form(client, f"/runners/{world.runner_id}/bests", fields)
    assert answer.status_code == 302
    page = _text(client.get(answer.headers["Location"]))
    assert "Give a distance, a time and a date." in page or "Time " in page, page[:400]
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(PersonalBest.id))).scalar_one() == before
    api = client.post(
        f"/api/runners/{world.runner_id}/bests",
        json={"distance_m": 5000, "time": "nan", "date": "2026-06-01"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert api.status_code == 422
    assert api.json["error"]["details"]["json"]["time"]


def test_d_prime_alone_from_a_past_date_keeps_the_cs_of_that_date(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    for day, cs in (("2026-09-01", "3.5"), ("2026-10-01", "4.0")):
        post_form(
            client,
            f"/runners/{world.runner_id}/parameters",
            {"key": "cs_mps", "value": cs, "valid_from": day},
        )
    post_form(
        client,
        f"/runners/{world.runner_id}/parameters",
        {"key": "d_prime_m", "value": "150", "valid_from": "2026-09-02"},
    )
    with app.app_context():
        runner = _runner(app, world.runner_id)
        cs = parameter_services.parameters_on(runner, dt.date(2026, 9, 2)).cs
        assert cs.cs_mps == pytest.approx(3.5)
        assert cs.d_prime_m == pytest.approx(150)


def test_a_best_found_in_a_session_follows_the_session(app: Flask) -> None:
    """Deleting it lasted until the next recomputation found it again (under a new id);
    it is refused on the page and in the API, and the page links to its session."""
    world = make_world(app)
    import_inline(app, world.runner_id, [("run.fit", run_bytes(0, duration_s=1500))])
    with app.app_context():
        best = (
            db.session.execute(
                sa.select(PersonalBest).where(
                    PersonalBest.runner_id == world.runner_id,
                    PersonalBest.source == BestSource.SESSION,
                )
            )
            .scalars()
            .first()
        )
        assert best is not None
        best_id, session_id = best.id, best.session_id
    client = app.test_client()
    login(client, "coach")
    answer = post_form(client, f"/runners/{world.runner_id}/bests/{best_id}/delete")
    page = _text(client.get(answer.headers["Location"]))
    assert f"run in session {session_id}" in page
    assert f'href="/sessions/{session_id}"' in page
    api = client.delete(
        f"/api/runners/{world.runner_id}/bests/{best_id}",
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert api.status_code == 409
    assert "Delete the session" in api.json["error"]["message"]
    with app.app_context():
        assert db.session.get(PersonalBest, best_id) is not None
    manual = client.delete(
        f"/api/runners/{world.runner_id}/bests/{world.best_id}",
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert manual.status_code == 204
