"""Issue #15: the wizard's values dated "as of" the day the runner gives (weight, heart
rate, training), the level a plan would give shown on its training step, and the profile
saying where heart-rate targets come from (own HR–speed line or Daniels' bands)."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.athletes.models import ParameterKey, ParameterVersion
from smartrunning.platform.db import db
from smartrunning.sessions.models import TrainingSession
from tests.helpers import WRITTEN_ON, login, make_world, post_form
from tests.sessions.steady_runs import import_steady_runs

pytestmark = pytest.mark.usefixtures("on_written_day")

TRAINING: dict[str, object] = {
    "training_weekdays": ["1", "3", "6"],
    "long_run_weekday": "6",
    "sessions_per_week": "3",
    "weekly_running_min": "90",
    "load_model": "rtss",
    "k1": "1",
    "k2": "2",
    "tau1": "42",
    "tau2": "7",
}
HEART_RATE: dict[str, object] = {
    "hrmax_bpm": "190",
    "method": "percent_hrmax",
    "start_pct": "50",
    "z1": "60",
    "z2": "70",
    "z3": "80",
    "z4": "90",
    "z5": "100",
}


def _text(response: object) -> str:
    return html.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


def _versions(app: Flask, runner_id: int, key: ParameterKey) -> list[dt.date]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(ParameterVersion.valid_from)
                .where(ParameterVersion.runner_id == runner_id, ParameterVersion.key == key)
                .order_by(ParameterVersion.valid_from)
            )
        )


def _review_row(page: str, name: str) -> tuple[str, str]:
    """The value and the "as of" date of one row of the wizard's "Saved so far"."""
    row = re.search(rf"<tr><td>{re.escape(name)}</td><td>([^<]*)</td><td[^>]*>([^<]*)</td>", page)
    assert row, name
    return row.group(1), row.group(2)


def _new_runner(client: object, birth: str = "1990-01-01", **extra: str) -> tuple[object, int]:
    data = {"name": "Asa Asof", "birth_date": birth, "sex": "f", "weight_kg": "61", **extra}
    response = post_form(client, "/runners/new", data)  # type: ignore[arg-type]
    match = re.match(r"/runners/(\d+)/setup/2", response.location or "")
    return response, int(match.group(1)) if match else 0


def test_a_past_weight_is_stored_from_that_day_and_shown_so(app: Flask) -> None:
    make_world(app)
    client = app.test_client()
    login(client, "coach")
    _response, runner_id = _new_runner(client, weight_as_of="2026-09-14")
    assert runner_id
    assert _versions(app, runner_id, ParameterKey.WEIGHT) == [dt.date(2026, 9, 14)]
    profile = _text(client.get(f"/runners/{runner_id}"))
    assert re.search(r"<td>Weight</td><td>2026-09-14</td>\s*<td>61", profile)
    # Step 1 again starts from the stored version's date; the review lists it.
    again = _text(client.get(f"/runners/{runner_id}/setup/1"))
    assert 'name="weight_as_of" type="date" value="2026-09-14"' in again
    review = _text(client.get(f"/runners/{runner_id}/setup/4"))
    assert _review_row(review, "Weight") == ("61.0 kg", "2026-09-14")


def test_heart_rate_and_training_as_of_an_earlier_test(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    step = f"/runners/{world.runner_id}/setup"
    ok = post_form(client, f"{step}/2", {**HEART_RATE, "valid_from": "2026-08-01"})
    assert ok.location == f"{step}/3"
    ok = post_form(client, f"{step}/4", {**TRAINING, "k1": "1.5", "as_of": "2026-08-02"})
    assert ok.status_code == 302
    assert dt.date(2026, 8, 1) in _versions(app, world.runner_id, ParameterKey.HRMAX)
    assert _versions(app, world.runner_id, ParameterKey.LOAD_MODEL) == [dt.date(2026, 8, 2)]
    assert _versions(app, world.runner_id, ParameterKey.FITNESS_FATIGUE) == [dt.date(2026, 8, 2)]
    profile = _text(client.get(f"/runners/{world.runner_id}"))
    assert re.search(r"<td>Maximum HR</td><td>2026-08-01</td>", profile)
    # The history names parameters, methods and sources in words, not by their keys.
    table = profile.split('data-testid="parameter-history"')[1].split("</table>")[0]
    for key in ("hrmax_bpm", "hrrest_bpm", "weight_kg", "hr_zones", "percent_hr", "detected"):
        assert key not in table, key
    # The page lists no load-model history; the profile API dates each value.
    api = client.get(f"/api/runners/{world.runner_id}/profile").get_json()["parameters"]
    assert api["load_model"]["valid_from"] == "2026-08-02"
    assert api["fitness_fatigue"]["valid_from"] == "2026-08-02"
    assert api["hrmax_bpm"]["valid_from"] == "2026-08-01"
    review = _text(client.get(f"{step}/4"))
    assert 'name="as_of" type="date" value="2026-08-02"' in review
    assert _review_row(review, "Maximum heart rate") == ("190 bpm (measured)", "2026-08-01")
    assert _review_row(review, "Fitness-fatigue values")[1] == "2026-08-02"
    # Saved again unchanged: no new versions.
    post_form(client, f"{step}/4", {**TRAINING, "k1": "1.5", "as_of": "2026-08-02"})
    assert _versions(app, world.runner_id, ParameterKey.FITNESS_FATIGUE) == [dt.date(2026, 8, 2)]
    assert _versions(app, world.runner_id, ParameterKey.LOAD_MODEL) == [dt.date(2026, 8, 2)]


def test_future_and_pre_birth_dates_are_refused_in_words(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    future = (WRITTEN_ON + dt.timedelta(days=1)).isoformat()
    # A new runner: nothing is created when the weight's date is refused.
    for as_of, words in ((future, "in the future"), ("1989-12-31", "before the birth date")):
        response, runner_id = _new_runner(client, weight_as_of=as_of)
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert not runner_id
        assert f"A parameter cannot start {words}." in _text(response)
    # Rita (born 1990-04-02): each step refuses both, at its date field.
    step = f"/runners/{world.runner_id}/setup"
    cases: list[tuple[int, dict[str, object], str]] = [
        (
            1,
            {"name": "Rita Runner", "birth_date": "1990-04-02", "sex": "f", "weight_kg": "60"},
            "weight_as_of",
        ),
        (2, HEART_RATE, "valid_from"),
        (4, TRAINING, "as_of"),
    ]
    for number, data, field in cases:
        for as_of, words in ((future, "in the future"), ("1990-04-01", "before the birth date")):
            response = post_form(client, f"{step}/{number}", {**data, field: as_of})
            assert response.status_code == 200, (number, as_of)
            page = _text(response)
            assert re.search(
                rf'id="{field}"[^>]*>\s*(<div class="form-text">[^<]*</div>\s*)?'
                rf'<div class="invalid-feedback d-block">A parameter cannot start {words}.',
                page,
            ), (number, as_of)
    for key in (ParameterKey.WEIGHT, ParameterKey.LOAD_MODEL, ParameterKey.FITNESS_FATIGUE):
        assert _versions(app, world.runner_id, key) == []


def test_the_date_defaults_to_the_clocks_today(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    world = make_world(app)
    set_today(dt.date(2026, 11, 30))
    client = app.test_client()
    login(client, "coach")
    assert 'name="weight_as_of" type="date" value="2026-11-30"' in _text(client.get("/runners/new"))
    step = f"/runners/{world.runner_id}/setup"
    assert 'name="as_of" type="date" value="2026-11-30"' in _text(client.get(f"{step}/4"))
    assert re.search(r'name="valid_from"[^>]*value="2026-11-30"', _text(client.get(f"{step}/2")))
    # Sent without a date (no JavaScript, field emptied): today.
    _response, runner_id = _new_runner(client)
    assert _versions(app, runner_id, ParameterKey.WEIGHT) == [dt.date(2026, 11, 30)]
    post_form(client, f"{step}/4", {**TRAINING, "load_model": "hrss"})
    assert _versions(app, world.runner_id, ParameterKey.LOAD_MODEL) == [dt.date(2026, 11, 30)]


def test_the_training_step_shows_the_level_a_plan_would_give(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    post_form(client, f"/runners/{world.runner_id}/setup/4", TRAINING)  # 90 min a week
    page = _text(client.get(f"/runners/{world.runner_id}/setup/4"))
    level = re.search(r'data-testid="wizard-level">([^<]+)<', page)
    assert level
    assert level.group(1) == (
        "Beginner: 1.5 h a week stated on the profile, under 2 h — one quality session a week."
    )
    _response, masters_id = _new_runner(client, birth="1970-05-05")
    post_form(client, f"/runners/{masters_id}/setup/4", {**TRAINING, "weekly_running_min": "300"})
    page = _text(client.get(f"/runners/{masters_id}/setup/4"))
    assert (
        "Not a beginner: 5.0 h a week stated on the profile (2 h or more). "
        "Masters: 50 or older on race day — a recovery week every 3rd week." in page
    )


def test_the_profile_says_where_heart_rate_targets_come_from(app: Flask) -> None:
    world = make_world(app)
    import_steady_runs(app, world.runner_id)
    client = app.test_client()
    login(client, "coach")
    page = _text(client.get(f"/runners/{world.runner_id}"))
    own = re.search(r'data-testid="hr-source">\s*<p class="mb-1">(.+?)</p>', page, re.S)
    assert own
    assert re.fullmatch(
        r"<strong>Your own heart rate–speed line:</strong> R² (0\.9\d|1\.00) from \d+ "
        r"steady segments of 4 runs, 2026-11-\d\d – 2026-11-18\.",
        own.group(1),
    ), own.group(1)
    api = client.get(f"/api/runners/{world.runner_id}/profile").get_json()
    assert api["hr_source"]["source"] == "own line"
    assert api["hr_source"]["runs"] == 4
    assert api["hr_source"]["r2"] > 0.9
    # Otto has no runs: Daniels' bands, and why.
    login(client, "admin")
    other = _text(client.get(f"/runners/{world.other_runner_id}"))
    assert (
        '<p class="mb-1">Heart rates from Daniels\' % of maximum heart rate: no heart rate–speed '
        "line (0 steady segments from 0 runs" in other
    )
    assert "0 steady segments from 0 runs" in other
    api = client.get(f"/api/runners/{world.other_runner_id}/profile").get_json()
    assert api["hr_source"]["source"] == "Daniels"
    assert api["hr_source"]["r2"] is None


def test_dates_start_at_the_first_session_when_history_was_imported_first(
    app: Flask, set_today: Callable[[dt.date], None]
) -> None:
    """Issue #15 item 10: values entered in the wizard after history was imported default
    to the runner's first session, so that history is analysed with them; the field still
    asks, and a value already stored keeps its own date."""
    world = make_world(app)
    set_today(dt.date(2026, 11, 30))
    import_steady_runs(app, world.runner_id)  # runs from 2026-11-18 to 11-27
    with app.app_context():
        first = db.session.scalar(
            sa.select(sa.func.min(TrainingSession.local_date)).where(
                TrainingSession.runner_id == world.runner_id
            )
        )
    assert first is not None
    assert first < dt.date(2026, 11, 30)
    client = app.test_client()
    login(client, "coach")
    step = f"/runners/{world.runner_id}/setup"
    assert f'name="as_of" type="date" value="{first}"' in _text(client.get(f"{step}/4"))
    assert re.search(rf'name="valid_from"[^>]*value="{first}"', _text(client.get(f"{step}/2")))
    post_form(client, f"{step}/4", {**TRAINING, "as_of": first.isoformat()})
    assert _versions(app, world.runner_id, ParameterKey.LOAD_MODEL) == [first]
    # A new runner has no sessions: today.
    assert 'name="weight_as_of" type="date" value="2026-11-30"' in _text(client.get("/runners/new"))
