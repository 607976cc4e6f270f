"""Plan templates as forms in a browser: a coach copies a shipped template, adds a block,
changes its week pattern, sees a problem named beside its field, saves, and finds the
template changed (in the list and as JSON); on a phone-sized screen too."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from smartrunning.plans import plan_schemas
from smartrunning.platform.db import db
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world

pytestmark = pytest.mark.e2e


def test_a_coach_edits_a_plan_template_with_the_form(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    make_world(app)
    with app.app_context():
        plan_schemas.load_default_schemas()
        db.session.commit()
    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.get_by_role("link", name="Plan templates").click()
    expect(coach.get_by_role("heading", name="Plan templates")).to_be_visible()
    item = coach.get_by_test_id("schema-list").locator(".list-group-item", has_text="10 km")
    expect(item.get_by_test_id("template-weeks")).to_contain_text("12 weeks")
    item.get_by_role("link", name="Copy").click()
    expect(coach.locator("#name")).to_have_value("10 km (copy)")
    coach.locator("#name").fill("10 km with a second build")
    # Only the fields a block's kind takes are shown (the taper's reduction, not growth).
    expect(coach.locator("#blocks-3-reduction")).to_be_visible()
    expect(coach.locator("#blocks-3-progression")).to_be_hidden()
    expect(coach.locator("#blocks-0-reduction")).to_be_hidden()

    coach.get_by_role("button", name="Add a block").click()
    new_block = coach.get_by_test_id("block-3")
    expect(new_block).to_contain_text("Block 4: Block 1")
    expect(coach.get_by_test_id("block-4")).to_contain_text("Taper")
    expect(coach.get_by_test_id("total-weeks")).to_contain_text("14 weeks")
    coach.locator("#blocks-3-name").fill("Build 2")
    coach.locator("#blocks-3-weeks").fill("3")
    expect(coach.get_by_test_id("total-weeks")).to_contain_text("15 weeks")
    # Its week pattern (the peak's): the VO2max session becomes hills, the easy run moves
    # up, and the shares are off by 5 % at first.
    coach.locator("#blocks-3-pattern-2-kind").select_option(label="Hills")
    coach.locator("#blocks-3-pattern-2-slot").fill("hills")
    coach.locator("#blocks-3-pattern-3-weight").fill("30")
    shares = new_block.locator("[data-share-total]")
    expect(shares).to_have_text("Shares: 105 %")
    expect(shares).to_have_class(re.compile(r"\btext-danger\b"))
    coach.screenshot(path=artifacts / "70-plan-template-form.png", full_page=True)
    coach.get_by_role("button", name="Save").click()
    expect(coach.get_by_test_id("template-problems")).to_be_visible()
    expect(coach.get_by_test_id("error-blocks-3-pattern")).to_have_text(
        "The shares add up to 105 %; they must add up to 100 % (±1)."
    )
    expect(coach.locator("#blocks-3-name")).to_have_value("Build 2")  # kept as typed
    coach.screenshot(path=artifacts / "71-plan-template-problem.png", full_page=True)
    coach.locator("#blocks-3-pattern-3-weight").fill("25")
    coach.get_by_test_id("block-3").get_by_role("button", name="Move session 4 up").click()
    expect(coach.locator("#blocks-3-pattern-2-slot")).to_have_value("easy")
    coach.get_by_role("button", name="Save").click()
    expect(coach.get_by_text("Plan template '10 km with a second build' saved.")).to_be_visible()

    with app.app_context():
        row = plan_schemas.schema_by_name("10 km with a second build")
        body, row_id, name = row.body, row.id, row.name
    assert [b["name"] for b in body["blocks"]] == ["Base", "Build", "Peak", "Build 2", "Taper"]
    pattern = body["blocks"][3]["pattern"]
    assert [(s["slot"], s["kind"]) for s in pattern][1:4] == [
        ("10k-pace", "race-pace"),
        ("easy", "easy"),
        ("hills", "hills"),
    ]
    assert plan_schemas.parse_row(row).total_weeks == 15

    # Edit as JSON shows the same template; Edit as form comes back to it unchanged.
    coach.get_by_role("button", name="Edit as JSON").click()
    text = coach.get_by_label("Plan template JSON").input_value()
    assert json.loads(text) == body
    coach.screenshot(path=artifacts / "75-plan-template-json.png")
    coach.get_by_role("button", name="Edit as form").click()
    expect(coach.locator("#blocks-3-name")).to_have_value("Build 2")
    coach.get_by_role("link", name="Back").click()
    saved = coach.get_by_test_id("schema-list").locator(
        ".list-group-item", has_text="10 km with a second build"
    )
    expect(saved.get_by_test_id("template-weeks")).to_contain_text("15 weeks")
    # The refused save answered 400, as it should; nothing else went wrong.
    assert [e for e in coach.console_errors if "status of 400" not in e] == []

    phone = new_page(390, 844)
    log_in(phone, live_server, "coach", PASSWORD)
    phone.goto(f"{live_server}/plans/templates/{row_id}")
    expect(phone.locator("#blocks-3-name")).to_have_value("Build 2")
    phone.locator("#blocks-3-weeks").fill("2")
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("saved.")).to_be_visible()
    phone.screenshot(path=artifacts / "72-plan-template-phone.png")
    phone.screenshot(path=artifacts / "74-plan-template-phone-full.png", full_page=True)
    phone.get_by_test_id("block-1").screenshot(path=artifacts / "73-plan-template-phone-block.png")
    with app.app_context():
        assert plan_schemas.parse_row(plan_schemas.schema_by_name(name)).total_weeks == 14
