"""The taper chosen for race day and the predicted race day on the plan page and in the
API (issue #20 items 3 and 5)."""

from __future__ import annotations

import re
from types import SimpleNamespace

from flask import Flask, render_template

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.plans.models import Plan
from smartrunning.plans.stored import taper_text
from smartrunning.platform.db import db
from tests.helpers import LATER_RACE_DATE, login, make_world, post_form, with_plans

PROFILE_DAYS = {
    "training_days": ["1", "3", "5", "6"],
    "long_run_day": "6",
    "sessions_per_week": "4",
}


def test_the_plan_page_and_api_show_the_taper_beside_the_template(app: Flask) -> None:
    world = with_plans(app, make_world(app))
    client = app.test_client()
    login(client, "coach")
    made = post_form(
        client,
        f"/runners/{world.runner_id}/plans",
        {
            "schema_id": world.default_schema_id,
            "race_date": LATER_RACE_DATE.isoformat(),
            "distance_m": "10000",
            "weeks": "8",
            **PROFILE_DAYS,
        },
    )
    assert made.status_code == 302
    plan_id = int(made.location.rstrip("/").split("/")[-1].split("?")[0])
    with app.app_context():
        stored = db.session.get_one(Plan, plan_id)
        taper = stored.projection["taper"]
        weeks = [w for w in stored.projection["weeks"] if w["block_kind"] == "taper"]
    assert len(weeks) == taper["chosen"]["weeks"]
    assert 0.41 <= taper["volume_reduction"] <= 0.60
    html = client.get(made.location).get_data(as_text=True)
    card = re.search(r'data-testid="taper-choice">(.*?)</div>', html, re.S)
    assert card is not None
    text = " ".join(card.group(1).split())
    assert f"{taper['chosen']['weeks']} week" in text
    assert f"{taper['default']['weeks']} weeks, {taper['default']['reduction'] * 100:.0f} %" in text
    assert "no band: population values" in text
    assert "Bosquet" in text
    outlook = re.search(r'data-testid="race-day-outlook">(.*?)</div>', html, re.S)
    assert outlook is not None
    assert "VDOT from today to race day" in outlook.group(1)
    assert "population values" in outlook.group(1)
    api = client.get(f"/api/plans/{plan_id}")
    assert api.status_code == 200
    assert api.json["projection"]["taper"] == taper


def test_generation_uses_the_population_values_without_a_fit(app: Flask) -> None:
    world = make_world(app)
    with app.app_context():
        plan_schemas.load_default_schemas()
        runner = db.session.get_one(Runner, world.runner_id)
        request = plan_services.GenerateRequest(LATER_RACE_DATE, 5000.0, 6)
        plan, _ids = plan_services.generate(runner, plan_schemas.schema_by_name("5 km"), request)
    assert plan.taper is not None
    assert not plan.taper.fitted
    assert plan.taper.basis.startswith("population values")


FITTED = {
    "chosen": {"weeks": 3, "reduction": 0.6},
    "default": {"weeks": 2, "reduction": 0.5},
    "fitted": True,
    "basis": "the runner's fitted response model (fitted to 40 performances)",
    "difference_vdot": 0.66,
    "band_vdot": [0.54, 0.77],
    "time_s": -67.0,
    "time_band_s": [-78.0, -55.0],
    "chosen_form": 21.5,
    "default_form": 13.7,
    "candidates": 30,
    "volume_reduction": 0.597,
    "peak": {
        "chosen": 1,
        "default": 0,
        "compared": {"weeks": 2, "reduction": 0.6, "peak_gap": 0},
        "chosen_text": "a week earlier, an easier week before the taper",
        "default_text": "right before the taper",
        "compared_text": "right before the taper",
        "difference_vdot": 0.12,
        "band_vdot": [0.05, 0.2],
        "time_s": -12.0,
        "time_band_s": [-20.0, -5.0],
        "compared_form": 15.2,
    },
}


def test_a_fitted_choice_shows_its_band_in_words() -> None:
    text = taper_text(FITTED)
    assert text.startswith("taper: 3 wk at 60% below the peak week's distance (planned 60%)")
    assert "template 2 wk at 50%" in text
    assert "predicted -67 s on the race (95 % band -78 to -55 s)" in text
    assert "fitted response model" in text
    assert text.splitlines()[1] == (
        "peak week: a week earlier, an easier week before the taper (template: right before "
        "the taper); predicted against the best taper with the peak week right before the "
        "taper (2 wk at 60%): -12 s on the race (95 % band -20 to -5 s)"
    )
    assert taper_text(None) == "taper: the schema's (no choice stored)"
    # A plan stored before the peak was searched: one line, as before.
    assert len(taper_text({**FITTED, "peak": None}).splitlines()) == 1


def test_the_plan_page_cards_show_the_bands_of_a_fit(app: Flask) -> None:
    plan = SimpleNamespace(projection={"taper": FITTED})
    outlook = {
        "fitted": True,
        "basis": "fitted",
        "vdot_change": 1.2,
        "vdot_band": [0.8, 1.6],
        "race_time_s": 2650.0,
        "race_time_band_s": [2630.0, 2672.0],
        "race_day_form": 12.0,
    }
    with app.test_request_context():
        html = render_template("plans/_taper.html", plan=plan, outlook=outlook)
    text = " ".join(html.split())
    assert "3 weeks, volume 60 % below the peak week's (as planned: 60 %)" in text
    assert "-67 s on the race (95 % band -78 to -55 s, from the fit's bootstrap)" in text
    assert "performance +1.20 VDOT from today to race day (95 % band +0.80 to +1.60)" in text
    assert 'data-testid="outlook-band"' in html
    assert "race-day form +12.0" in text
    assert (
        "Peak week: a week earlier, an easier week before the taper; the template's: right "
        "before the taper. Predicted race day against the best taper with the peak week right "
        "before the taper (2 weeks, 60 %): -12 s on the race (95 % band -20 to -5 s); "
        "race-day form +21.5 against +15.2." in text
    )
    assert 'data-testid="taper-peak"' in html
