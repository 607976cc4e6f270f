"""Which efforts anchor critical speed, for four runners a coach would meet (SCIENCE.md,
"Which efforts anchor CS"), refused fits, and measured values that fitted ones never replace.

The runners: a beginner with only a 10 km and a half marathon; a slow runner with a single
5 km; a runner whose steady tempo run beats her race bests; a sub-3 marathoner.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from smartrunning.athletes import bests as best_services
from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes import suggestions as suggestion_services
from smartrunning.athletes.models import (
    BestKind,
    ParameterKey,
    ParameterSource,
    ParameterSuggestion,
    PersonalBest,
    Runner,
    SuggestionStatus,
)
from smartrunning.platform.db import db
from smartrunning.science import defaults
from smartrunning.science.critical_speed import Effort
from smartrunning.science.predictions import critical_speed_from_vdot, vdot
from smartrunning.sessions import actions as session_services
from smartrunning.sessions.models import TrainingSession
from tests.helpers import WRITTEN_ON, csrf_token, login, make_runner, make_world
from tests.sessions.sessiondata import import_inline, scaled_run

TODAY = WRITTEN_ON
HALF_M = 21097.5
MARATHON_M = 42195.0

pytestmark = pytest.mark.usefixtures("on_written_day")


def _runner(runner_id: int) -> Runner:
    return db.session.get_one(Runner, runner_id)


def _race(runner: Runner, distance_m: float, time_s: float, day: dt.date, **kw: object) -> None:
    best_services.add_personal_best(
        runner,
        distance_m,
        time_s,
        day,
        by=None,
        today=TODAY,
        **kw,  # type: ignore[arg-type]
    )
    db.session.commit()


def _cs(runner: Runner) -> parameter_services.Valued:
    return parameter_services.parameters_on(runner, TODAY).critical_speed


def _estimate(distance_m: float, time_s: float, day: dt.date) -> float:
    return critical_speed_from_vdot(Effort(distance_m, time_s, day)).value.cs_mps


def test_beginner_with_a_10k_and_a_half_marathon_gets_cs_from_her_vdot(app: Flask) -> None:
    # Both races outside the model's 2-40 min window: the old fit kept the population
    # default of 3.33 m/s (5:00/km), faster than her 10 km race pace of 6:30/km.
    runner_id = make_runner(app, "Bea Beginner")
    with app.app_context():
        runner = _runner(runner_id)
        _race(runner, 10000.0, 65 * 60, dt.date(2026, 9, 6))
        _race(runner, HALF_M, 2 * 3600 + 25 * 60, dt.date(2026, 10, 11))
        cs = _cs(runner)
        assert cs.source is ParameterSource.ESTIMATED
        # The 10 km (VDOT 30.9) is her best performance; its equivalents give CS.
        expected = _estimate(10000.0, 65 * 60, dt.date(2026, 9, 6))
        assert cs.value.cs_mps == pytest.approx(expected)
        assert cs.value.cs_mps == pytest.approx(2.58, abs=0.01)  # 6:27/km
        assert vdot(10000.0, 65 * 60) > vdot(HALF_M, 2 * 3600 + 25 * 60)
        # Between her 10 km speed and her VDOT-equivalent 5 km speed; far below the default.
        assert 10000.0 / (65 * 60) < cs.value.cs_mps < 5000.0 / (31.5 * 60)
        assert cs.value.cs_mps < 0.85 * defaults.CRITICAL_SPEED.cs_mps
        basis = best_services.cs_basis(runner, TODAY)
        assert basis["basis"] == "estimated"
        report = best_services.current_fit(runner, TODAY).report()
        assert report["basis"] == "estimated"
        assert report["estimate"]["source"]["distance_m"] == 10000.0
        assert [e["distance_m"] for e in report["estimate"]["equivalents"]] == [1500, 3000, 5000]


def test_a_single_slow_5k_gives_an_estimated_cs(app: Flask) -> None:
    runner_id = make_runner(app, "Sam Slow")
    with app.app_context():
        runner = _runner(runner_id)
        assert best_services.cs_basis(runner, TODAY)["basis"] == "default"
        _race(runner, 5000.0, 35 * 60, dt.date(2026, 10, 4))
        cs = _cs(runner)
        assert cs.source is ParameterSource.ESTIMATED
        assert cs.valid_from == dt.date(2026, 10, 4)
        assert cs.value.cs_mps == pytest.approx(2.31, abs=0.01)  # 7:13/km, VDOT 25.6
        assert cs.value.cs_mps < 5000.0 / (35 * 60)  # CS is slower than a 35-minute race
        assert 50 <= cs.value.d_prime_m <= 500
        # A race a year and more ago no longer estimates: the default returns after it.
        assert best_services.current_fit(runner, dt.date(2027, 10, 6)).status == "none"


def _tempo_runner(app: Flask) -> tuple[int, int]:
    """A runner with a 5 km and a 3000 m race (CS 3.92 m/s, D′ 294 m) and a steady tempo
    run 1.8 times the synthetic run's speed, at the HR of an easy run, after them."""
    runner_id = make_runner(app, "Tess Tempo")
    with app.app_context():
        runner = _runner(runner_id)
        _race(runner, 5000.0, 20 * 60, dt.date(2024, 2, 4))
        _race(runner, 3000.0, 690.0, dt.date(2024, 2, 18))
    report = import_inline(app, runner_id, [("tempo.fit", scaled_run(10, 1.8, seed=3))])
    files = report["files"]
    assert isinstance(files, list)
    return runner_id, int(files[0]["session_ids"][0])


def test_a_steady_tempo_run_does_not_become_the_anchor(app: Flask) -> None:
    runner_id, session_id = _tempo_runner(app)
    with app.app_context():
        runner = _runner(runner_id)
        session = db.session.get_one(TrainingSession, session_id)
        from_session = list(
            db.session.execute(
                sa.select(PersonalBest).where(PersonalBest.session_id == session_id)
            ).scalars()
        )
        # The tempo run beats the 3000 m race: a personal best, but a training effort.
        faster = [b for b in from_session if b.distance_m == 3000.0]
        assert faster
        assert faster[0].time_s < 690.0
        for best in from_session:
            assert best.kind is BestKind.TRAINING
            assert not best.anchor
            assert "not in the fit" in best.evidence
            assert best.mean_hr_bpm is not None
            assert best.mean_hr_bpm < 0.9 * 189  # far from maximal
        cs = parameter_services.parameters_on(runner, session.local_date + dt.timedelta(1))
        assert cs.cs.cs_mps == pytest.approx(2000.0 / 510.0)
        assert cs.cs.d_prime_m == pytest.approx(5000.0 - 1200.0 * 2000.0 / 510.0)
        # The profile lists the training best and the race it did not replace.
        rows = {(b.distance_m, b.kind) for b in best_services.personal_bests_on(runner, TODAY)}
        assert {(3000.0, BestKind.TRAINING), (3000.0, BestKind.RACE)} <= rows


def test_marking_the_tempo_run_as_a_race_makes_its_result_an_anchor(app: Flask) -> None:
    _, session_id = _tempo_runner(app)
    with app.app_context():
        assert session_services.mark_performance(None, session_id, BestKind.RACE)
        anchors = list(
            db.session.execute(
                sa.select(PersonalBest).where(
                    PersonalBest.session_id == session_id, PersonalBest.anchor.is_(True)
                )
            ).scalars()
        )
        # Only its longest effort is the race's result; shorter bests inside it are not.
        assert len(anchors) == 1
        longest = max(
            float(e["distance_m"])
            for e in db.session.get_one(TrainingSession, session_id).best_efforts
        )
        assert anchors[0].distance_m == longest
        assert anchors[0].kind is BestKind.RACE
        assert not session_services.mark_performance(None, session_id, BestKind.RACE)
        assert session_services.mark_performance(None, session_id, BestKind.TRAINING)
        assert not db.session.execute(
            sa.select(PersonalBest).where(
                PersonalBest.session_id == session_id, PersonalBest.anchor.is_(True)
            )
        ).first()


def test_sub_3_marathoner_is_paced_from_her_races(app: Flask) -> None:
    runner_id = make_runner(app, "Mara Thon")
    with app.app_context():
        runner = _runner(runner_id)
        _race(runner, HALF_M, 1 * 3600 + 24 * 60, dt.date(2026, 9, 20))
        _race(runner, MARATHON_M, 2 * 3600 + 58 * 60 + 30, dt.date(2026, 10, 25))
        cs = _cs(runner)
        assert cs.source is ParameterSource.ESTIMATED
        # The half (VDOT 54.5) is better than the marathon (VDOT 53.6): it sets CS.
        assert cs.value.cs_mps == pytest.approx(
            _estimate(HALF_M, 1 * 3600 + 24 * 60, dt.date(2026, 9, 20))
        )
        pace = 1000.0 / cs.value.cs_mps
        assert 3 * 60 + 45 < pace < 3 * 60 + 55  # 3:49/km, not 5:00
        assert cs.value.cs_mps > HALF_M / (1 * 3600 + 24 * 60) > MARATHON_M / 10710


def test_a_fit_missing_a_race_by_more_than_2_percent_is_refused_and_the_value_kept(
    app: Flask,
) -> None:
    runner_id = make_runner(app, "Rhea Refused")
    with app.app_context():
        runner = _runner(runner_id)
        _race(runner, 5000.0, 20 * 60, dt.date(2026, 3, 1))
        _race(runner, 3000.0, 690.0, dt.date(2026, 4, 1))
        before = _cs(runner)
        assert before.source is ParameterSource.FORMULA
        # A slow 1500 m entered as a race: 5:50 where the line says 5:08.
        _race(runner, 1500.0, 350.0, dt.date(2026, 5, 1))
        after = _cs(runner)
        assert after.version_id == before.version_id
        fit = best_services.current_fit(runner, TODAY)
        assert fit.status == "refused"
        assert fit.fit.warnings[-1].code.value == "prediction_error"
        assert "1500 m" in fit.note()


def test_an_implausible_d_prime_is_refused_and_the_estimate_stands_in(app: Flask) -> None:
    runner_id = make_runner(app, "Dee Prime")
    with app.app_context():
        runner = _runner(runner_id)
        # 1500 m in 5:00 and 5000 m in 25:00: D′ 625 m, beyond 500 m. No previous value,
        # so the VDOT estimate (of the 1500 m) stands in rather than the default.
        _race(runner, 1500.0, 300.0, dt.date(2026, 6, 1))
        _race(runner, 5000.0, 1500.0, dt.date(2026, 6, 8))
        fit = best_services.current_fit(runner, TODAY)
        assert fit.fit.status.value == "refused"
        assert fit.fit.warnings[-1].code.value == "d_prime_out_of_range"
        cs = _cs(runner)
        assert cs.source is ParameterSource.ESTIMATED
        assert cs.value.cs_mps == pytest.approx(_estimate(1500.0, 300.0, dt.date(2026, 6, 1)))


def test_a_training_effort_entered_by_hand_is_a_best_but_not_an_anchor(app: Flask) -> None:
    runner_id = make_runner(app, "Tina Training")
    with app.app_context():
        runner = _runner(runner_id)
        _race(runner, 5000.0, 22 * 60, dt.date(2026, 6, 1), kind=BestKind.TRAINING)
        assert _cs(runner).source is ParameterSource.DEFAULT
        assert best_services.cs_basis(runner, TODAY)["basis"] == "default"


# --- measured beats fitted ----------------------------------------------------------------


def test_a_measured_cs_stays_and_fits_become_suggestions(app: Flask) -> None:
    world = make_world(app)  # the runner has a 5000 m in 20:00 on 2026-05-01
    client = app.test_client()
    login(client, "coach")
    token = _token(client)
    measured = {"cs_mps": 3.9, "d_prime_m": 180.0}
    answer = client.post(
        f"/api/runners/{world.runner_id}/parameters",
        json={"key": "critical_speed", "value": measured, "valid_from": "2026-01-01"},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 201
    answer = client.post(
        f"/api/runners/{world.runner_id}/bests",
        json={"distance_m": 3000, "time": "11:40", "date": "2026-06-01"},
        headers={"X-CSRFToken": token},
    )
    assert answer.status_code == 201
    assert answer.json["kind"] == "race"
    assert answer.json["anchor"] is True
    with app.app_context():
        runner = _runner(world.runner_id)
        assert _cs(runner).value.cs_mps == pytest.approx(3.9)  # still the measured value
    listed = client.get(f"/api/runners/{world.runner_id}/cs-suggestions").json
    assert len(listed) == 1
    suggestion = listed[0]
    assert suggestion["value"]["cs_mps"] == pytest.approx(4.0)
    assert suggestion["value"]["d_prime_m"] == pytest.approx(200.0)
    assert suggestion["details"]["basis"] == "fitted"
    assert {e["distance_m"] for e in suggestion["details"]["used"]} == {3000, 5000}
    # The runner sees it but may not decide.
    runner_client = app.test_client()
    login(runner_client, "runner")
    refused = runner_client.post(
        f"/api/runners/{world.runner_id}/cs-suggestions/{suggestion['id']}/accept",
        json={},
        headers={"X-CSRFToken": _token(runner_client)},
    )
    assert refused.status_code == 403
    accepted = client.post(
        f"/api/runners/{world.runner_id}/cs-suggestions/{suggestion['id']}/accept",
        json={},
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201
    assert accepted.json["valid_from"] == "2026-06-01"
    again = client.post(
        f"/api/runners/{world.runner_id}/cs-suggestions/{suggestion['id']}/accept",
        json={},
        headers={"X-CSRFToken": token},
    )
    assert again.status_code == 409
    with app.app_context():
        runner = _runner(world.runner_id)
        cs = _cs(runner)
        assert cs.value.cs_mps == pytest.approx(4.0)
        assert not cs.automatic  # a coach's decision: later fits are suggestions again
        _race(runner, 1500.0, 5 * 60 + 25, dt.date(2026, 7, 1))
        assert _cs(runner).version_id == cs.version_id
        assert len(suggestion_services.open_suggestions(runner)) == 1


def test_a_dismissed_suggestion_is_not_offered_again(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        runner = _runner(world.runner_id)
        parameter_services.set_parameter(
            runner,
            ParameterKey.CRITICAL_SPEED,
            {"cs_mps": 3.9, "d_prime_m": 180},
            dt.date(2026, 1, 1),
            source=ParameterSource.MEASURED,
            by=None,
            today=TODAY,
        )
        _race(runner, 3000.0, 700.0, dt.date(2026, 6, 1))
        (open_one,) = suggestion_services.open_suggestions(runner)
        suggestion_services.dismiss_suggestion(runner, open_one.id, by=None)
        db.session.commit()
        # Recomputing everything refits the same value on the same day: not offered again.
        best_services.refresh_critical_speed(runner, dt.date(2026, 1, 1), by=None)
        db.session.commit()
        assert suggestion_services.open_suggestions(runner) == []
        statuses = db.session.execute(sa.select(ParameterSuggestion.status)).scalars().all()
        assert statuses == [SuggestionStatus.DISMISSED]
        assert _cs(runner).value.cs_mps == pytest.approx(3.9)


def test_suggestions_refuse_bad_input(app: Flask) -> None:
    world = make_world(app)
    client = app.test_client()
    login(client, "coach")
    token = _token(client)
    missing = client.post(
        f"/api/runners/{world.runner_id}/cs-suggestions/999/dismiss",
        json={},
        headers={"X-CSRFToken": token},
    )
    assert missing.status_code == 404
    bad_kind = client.post(
        f"/api/runners/{world.runner_id}/bests",
        json={"distance_m": 3000, "time": "11:40", "date": "2026-06-01", "kind": "parkrun"},
        headers={"X-CSRFToken": token},
    )
    assert bad_kind.status_code == 422
    with app.app_context():
        session_ids = db.session.execute(sa.select(TrainingSession.id)).scalars().all()
    assert session_ids == []
    bad_mark = client.post(
        "/api/sessions/1/performance",
        json={"performance": "fun run"},
        headers={"X-CSRFToken": token},
    )
    assert bad_mark.status_code == 422


def _token(client: FlaskClient) -> str:
    return csrf_token(client)


def test_the_wizard_preview_gives_what_the_profile_will(app: Flask) -> None:
    make_world(app)
    client = app.test_client()
    login(client, "coach")
    token = _token(client)

    def preview(*efforts: tuple[float, str]) -> dict[str, object]:
        body = {"efforts": [{"distance_m": d, "time": t, "date": "2026-10-04"} for d, t in efforts]}
        answer = client.post("/api/tools/critical-speed", json=body, headers={"X-CSRFToken": token})
        assert answer.status_code == 200, answer.json
        fit = answer.json["fit"]
        assert isinstance(fit, dict)
        return fit

    single = preview((10000.0, "52:00"))
    assert single["basis"] == "estimated"
    assert single["estimate"]["cs_mps"] == pytest.approx(  # type: ignore[index]
        _estimate(10000.0, 52 * 60, dt.date(2026, 10, 4))
    )
    on_a_line = preview((1609.344, "5:50"), (3000.0, "11:40"), (5000.0, "20:00"))
    assert on_a_line["basis"] == "fitted"
    off_the_line = preview((1609.344, "5:30"), (3000.0, "11:10"), (5000.0, "20:00"))
    assert off_the_line["status"] == "refused"
    assert off_the_line["basis"] == "estimated"  # no previous value: the estimate stands in


def test_a_fit_a_longer_race_beat_gives_way_to_that_races_estimate() -> None:
    """Hot-day training read as maximal by heart rate fits CS 3.11 m/s; the runner's 10 km
    race of the month before (48:00) beats that line, so the fit is refused and, rather
    than the previous value (from the same training), CS is estimated from the race's
    VDOT (issue #15: a masters runner's CS was shown slower than his 10 km race pace)."""
    day = dt.date(2026, 11, 1)
    hot = [
        Effort(1609.0, 1609.0 / 3.35, day - dt.timedelta(days=3), source="run-a"),
        Effort(5000.0, 1570.0, day - dt.timedelta(days=2), source="run-b"),
    ]
    race = Effort(10000.0, 2880.0, day - dt.timedelta(days=30), source="race")
    previous = best_services.anchor_fit(hot, day, defaults.CRITICAL_SPEED).value
    assert previous is not None
    assert previous.cs_mps < 10000.0 / 2880.0  # slower than the race: the defect
    result = best_services.anchor_fit([*hot, race], day, previous, has_previous=True)
    assert result.status == "estimated"
    assert result.value == critical_speed_from_vdot(race).value
    assert result.value is not None
    assert result.value.cs_mps == pytest.approx(3.46, abs=0.01)
