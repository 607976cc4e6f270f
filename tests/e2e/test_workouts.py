"""The workout library in a browser: a coach filters, resolves, creates, imports and
downloads; a runner reads a workout with their own paces."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from smartrunning.athletes import parameters as parameter_services
from smartrunning.athletes.models import (
    ParameterKey,
    ParameterSource,
    Runner,
)
from smartrunning.platform.db import db
from smartrunning.science.zwo import read_zwo
from smartrunning.workouts import imports as workout_imports
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("on_written_day")]

DATA = Path(__file__).resolve().parent.parent / "data" / "zwo"
DEFAULTS = Path(__file__).resolve().parents[2] / "src" / "smartrunning" / "data" / "workouts"


def _library_with_runner_at_cs_4(app: Flask) -> int:
    """The standard world, the default library, and Rita's CS set to 4.0 m/s."""
    world = make_world(app)
    with app.app_context():
        workout_imports.load_default_library()
        runner = db.session.get_one(Runner, world.runner_id)
        parameter_services.set_parameter(
            runner,
            ParameterKey.CRITICAL_SPEED,
            {"cs_mps": 4.0, "d_prime_m": 200},
            dt.date(2026, 1, 1),
            source=ParameterSource.MEASURED,
            by=None,
            today=dt.date(2026, 1, 1),
        )
        db.session.commit()
    return world.runner_id


def test_coach_filters_resolves_creates_imports_and_downloads(
    app: Flask, live_server: str, new_page: Any, artifacts: Path, tmp_path: Path
) -> None:

    _library_with_runner_at_cs_4(app)
    coach: Page = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.get_by_role("link", name="Workouts").click()
    expect(coach.get_by_role("heading", name="Workout library")).to_be_visible()
    coach.screenshot(path=artifacts / "30-workouts-library.png", full_page=True)

    coach.get_by_label("Tag").select_option("kind:threshold")
    coach.get_by_role("button", name="Filter").click()
    expect(coach.get_by_test_id("workout-count")).to_have_text("4 workouts match")
    coach.screenshot(path=artifacts / "31-workouts-filtered.png")

    coach.get_by_role("link", name=re.compile("Threshold 3 × 10 min")).click()
    coach.get_by_label("Targets for").select_option(label="Rita Runner")
    coach.get_by_label("On", exact=True).fill("2026-06-01")
    coach.get_by_role("button", name="Show").click()
    steps = coach.get_by_test_id("workout-steps")
    # 96 % of CS 4.0 m/s: 1000 / 3.84 = 260.4 s/km → 4:20 /km; 3 × 10 min repetitions.
    expect(steps).to_contain_text("4:20")
    expect(steps).to_contain_text("3 ×")
    expect(coach.get_by_test_id("runner-cs")).to_have_text("4:10 /km")
    expect(coach.get_by_test_id("total-time")).to_have_text("1:01:00")
    coach.screenshot(path=artifacts / "32-workout-detail-resolved.png", full_page=True)

    with coach.expect_download() as download_info:
        coach.get_by_role("link", name="Download .zwo").click()
    saved = tmp_path / "download.zwo"
    download_info.value.save_as(saved)
    original = read_zwo((DEFAULTS / "threshold-3x10min.zwo").read_bytes())
    assert read_zwo(saved.read_bytes()) == original
    with coach.expect_download() as fit_info:
        coach.get_by_role("link", name="Download .fit for Rita Runner").click()
    assert fit_info.value.suggested_filename == "threshold-3-10-min.fit"

    coach.get_by_role("link", name="Workouts", exact=True).first.click()
    coach.get_by_role("link", name="New workout").click()
    coach.get_by_label("Name").fill("Browser tempo")
    coach.get_by_label("Tags").fill("kind:tempo, race:10k")
    coach.get_by_role("button", name="+ Steady").click()
    coach.get_by_label("Step 2 duration", exact=True).fill("20")
    coach.get_by_label("Step 2 intensity %", exact=True).fill("88")
    coach.get_by_role("button", name="+ Intervals").click()
    coach.get_by_label("Step 3 on unit", exact=True).select_option("m")
    coach.get_by_label("Step 3 off unit", exact=True).select_option("m")
    coach.get_by_label("Step 3 repeats", exact=True).fill("6")
    coach.get_by_label("Step 3 on", exact=True).fill("400")
    errors = coach.console_errors  # type: ignore[attr-defined]
    errors[:] = [e for e in errors if "422" not in e]  # the previews refused on purpose
    coach.get_by_label("Step 3 off", exact=True).fill("200")
    coach.get_by_role("button", name="+ Free").click()
    coach.get_by_role("button", name="Remove step 4").click()
    coach.get_by_role("button", name="+ Cool-down").click()
    coach.get_by_role("button", name="Move step 3 down").click()
    coach.get_by_role("button", name="Move step 4 up").click()
    expect(coach.get_by_test_id("step")).to_have_count(4)
    # A cleared field: the preview says which, and a refused save gives it back empty (it
    # came back as 0), the other distances as they were (shown in metres: under 1 km).
    coach.get_by_label("Step 3 on unit", exact=True).select_option("km")  # the numbers stay
    coach.get_by_label("Step 3 off unit", exact=True).select_option("km")
    coach.get_by_label("Step 3 off", exact=True).fill("0.2")
    coach.get_by_label("Step 3 on", exact=True).fill("")
    expect(coach.get_by_test_id("preview-error")).to_contain_text("on_duration")
    coach.get_by_role("button", name="Save workout").click()
    expect(coach.get_by_text("on duration must be a number")).to_be_visible()
    expect(coach.get_by_label("Step 3 on", exact=True)).to_have_value("")
    expect(coach.get_by_label("Step 3 on unit", exact=True)).to_have_value("m")
    expect(coach.get_by_label("Step 3 off unit", exact=True)).to_have_value("m")
    expect(coach.get_by_label("Step 3 off", exact=True)).to_have_value("200")
    coach.get_by_label("Step 3 on", exact=True).fill("400")
    errors = coach.console_errors  # type: ignore[attr-defined]
    errors[:] = [e for e in errors if "422" not in e]  # the previews refused on purpose
    expect(coach.get_by_test_id("preview-totals")).to_contain_text("3.60 km")
    expect(coach.get_by_test_id("preview-error")).to_have_text("")
    coach.screenshot(path=artifacts / "33-workout-editor.png", full_page=True)
    coach.get_by_role("button", name="Save workout").click()
    expect(coach.get_by_text("Workout “Browser tempo” created.")).to_be_visible()
    expect(coach.get_by_test_id("workout-name")).to_have_text("Browser tempo")
    created = coach.get_by_test_id("workout-steps")
    expect(created).to_contain_text("6 ×")
    expect(created).to_contain_text("88 %")
    # Rita is the coach's only runner: her targets show at once (88 % of 4.0 m/s: 4:44).
    expect(created).to_contain_text("4:44")
    coach.screenshot(path=artifacts / "34-workout-created.png", full_page=True)

    coach.goto(f"{live_server}/workouts/import")
    coach.get_by_label("ZWO files or ZIP archives").set_input_files(
        [DATA / "distance.zwo", DATA / "billion-laughs.zwo"]
    )
    coach.get_by_role("button", name="Import").click()
    summary = coach.get_by_test_id("import-summary")
    expect(summary).to_contain_text("1 imported")
    expect(summary).to_contain_text("1 failed")
    expect(coach.get_by_test_id("import-report")).to_contain_text("DTD")
    coach.screenshot(path=artifacts / "35-workout-import-report.png", full_page=True)
    coach.get_by_role("link", name="10 x 400 m").click()
    expect(coach.get_by_test_id("workout-steps")).to_contain_text("10 ×")
    assert coach.console_errors == []  # type: ignore[attr-defined]


def test_runner_reads_a_workout_with_their_own_paces_on_a_phone(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    _library_with_runner_at_cs_4(app)
    runner: Page = new_page(width=390, height=844)
    log_in(runner, live_server, "runner", PASSWORD)
    runner.goto(f"{live_server}/workouts?q=1000")
    runner.screenshot(path=artifacts / "36-workouts-phone.png", full_page=True)
    runner.get_by_role("link", name=re.compile("VO2max 5 × 1000 m")).click()
    # 108 % of 4.0 m/s: 1000 / 4.32 = 231.5 s → 3:51 /km; distance steps, 11 km in all.
    expect(runner.get_by_test_id("workout-steps")).to_contain_text("3:51")
    expect(runner.get_by_test_id("total-distance")).to_have_text("11.00 km")
    expect(runner.get_by_role("link", name="Edit")).to_have_count(0)
    expect(runner.get_by_role("link", name="New workout")).to_have_count(0)
    runner.screenshot(path=artifacts / "37-workout-detail-phone.png", full_page=True)
    assert runner.console_errors == []  # type: ignore[attr-defined]


def test_zwift_attribute_forms_are_shown_edited_and_written_back(
    app: Flask, live_server: str, new_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    """Ramped intervals (PowerOnLow/High, PowerOffLow/High), a ranged SteadyState and text
    tags: shown as ramps and a band, edited as such, downloaded in the form read."""
    make_world(app)
    coach = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/workouts/import")
    coach.get_by_label("ZWO files or ZIP archives").set_input_files([DATA / "zwift-forms.zwo"])
    coach.get_by_role("button", name="Import").click()
    expect(coach.get_by_test_id("import-summary")).to_contain_text("1 imported")
    coach.get_by_role("link", name="Over-unders").click()
    steps = coach.get_by_test_id("workout-steps")
    expect(steps.locator("tbody tr").nth(1)).to_contain_text("95 % → 105 %")  # a ramped on
    expect(steps.locator("tbody tr").nth(2)).to_contain_text("60 % → 50 %")  # a ramped off
    expect(coach.get_by_test_id("ranged-step")).to_have_text("76 %–88 %")  # a band
    coach.screenshot(path=artifacts / "38-workout-zwift-forms.png", full_page=True)

    coach.get_by_role("link", name="Edit").click()
    expect(coach.get_by_label("Step 2 on to %", exact=True)).to_have_value("105")
    expect(coach.get_by_label("Step 2 off to %", exact=True)).to_have_value("50")
    expect(coach.get_by_label("Step 3 low %", exact=True)).to_have_value("76")
    expect(coach.get_by_label("Step 4 on to %", exact=True)).to_have_value("")  # constant
    coach.get_by_label("Step 3 high %", exact=True).fill("90")
    expect(coach.get_by_test_id("preview-error")).to_have_text("")
    coach.screenshot(path=artifacts / "39-workout-zwift-forms-editor.png", full_page=True)
    coach.get_by_role("button", name="Save workout").click()
    expect(coach.get_by_test_id("ranged-step")).to_have_text("76 %–90 %")

    with coach.expect_download() as download_info:
        coach.get_by_role("link", name="Download .zwo").click()
    saved = tmp_path / "forms.zwo"
    download_info.value.save_as(saved)
    text = saved.read_text()
    assert 'PowerOnLow="0.95" PowerOnHigh="1.05" PowerOffLow="0.6" PowerOffHigh="0.5"' in text
    assert '<SteadyState Duration="900" PowerLow="0.76" PowerHigh="0.9" pace="0"/>' in text
    assert 'OnPower="1.2" PowerOffLow="0.4" PowerOffHigh="0.55"' in text
    assert "<tag>INTERVALS</tag>" in text
    assert '<tag name="FTP"/>' in text
    original = read_zwo((DATA / "zwift-forms.zwo").read_bytes())
    edited = read_zwo(saved.read_bytes())
    assert edited.steps[:2] == original.steps[:2]
    assert edited.steps[3:] == original.steps[3:]
    assert coach.console_errors == []  # type: ignore[attr-defined]


def test_coach_builds_intervals_with_a_pace_on_and_an_easy_heart_rate_off(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    """6 × 800 m at 3:45–3:50/km, 90 s jog off at easy HR: built, refused in words where
    typed wrong, saved, reopened as built; on a desktop and on a phone."""
    _library_with_runner_at_cs_4(app)
    coach: Page = new_page()
    log_in(coach, live_server, "coach", PASSWORD)
    coach.goto(f"{live_server}/workouts/new")
    coach.get_by_label("Name").fill("6 × 800 m track")
    coach.get_by_label("Tags").fill("kind:vo2max")
    coach.get_by_role("button", name="+ Intervals").click()
    coach.get_by_label("Step 2 repeats", exact=True).fill("6")
    coach.get_by_label("Step 2 on unit", exact=True).select_option("m")
    coach.get_by_label("Step 2 on", exact=True).fill("800")
    coach.get_by_label("Step 2 on target", exact=True).select_option("pace")
    errors = coach.console_errors  # type: ignore[attr-defined]
    pace_from = coach.get_by_label("Step 2 on pace from (/km)", exact=True)
    pace_to = coach.get_by_label("Step 2 on pace to (/km)", exact=True)
    pace_to.fill("3:50")
    # Wrong paces are refused in words, never a failure page.
    pace_from.fill("fast")
    expect(coach.get_by_test_id("preview-error")).to_contain_text("write a pace as minutes")
    pace_from.fill("0:00")
    expect(coach.get_by_test_id("preview-error")).to_contain_text("between 1:00 and 30:00")
    pace_from.fill("3:45")
    coach.get_by_label("Step 2 off unit", exact=True).select_option("s")
    coach.get_by_label("Step 2 off", exact=True).fill("90")
    coach.get_by_label("Step 2 off target", exact=True).select_option("hr")
    coach.get_by_label("Step 2 off hr to % max", exact=True).fill("400")
    expect(coach.get_by_test_id("preview-error")).to_contain_text("between 30 % and 100 %")
    coach.get_by_role("button", name="Save workout").click()
    expect(coach.get_by_test_id("editor-error")).to_contain_text("between 30 % and 100 %")
    coach.get_by_label("Step 2 off heart-rate band", exact=True).select_option("easy")
    expect(coach.get_by_label("Step 2 off hr from % max", exact=True)).to_have_value("65")
    expect(coach.get_by_label("Step 2 off hr to % max", exact=True)).to_have_value("79")
    # 10 min warm-up + 6 × 90 s; 6 × 800 m.
    expect(coach.get_by_test_id("preview-totals")).to_contain_text("4.80 km")
    expect(coach.get_by_test_id("preview-totals")).to_contain_text("19:00")
    expect(coach.get_by_test_id("preview-error")).to_have_text("")
    errors[:] = [e for e in errors if "422" not in e]  # the previews refused on purpose
    coach.screenshot(path=artifacts / "60-workout-builder-targets.png", full_page=True)
    coach.get_by_role("button", name="Save workout").click()
    expect(coach.get_by_text("Workout “6 × 800 m track” created.")).to_be_visible()
    steps = coach.get_by_test_id("workout-steps")
    expect(steps).to_contain_text("6 ×")
    expect(steps).to_contain_text("800 m")
    expect(steps.get_by_test_id("pace-target")).to_have_text("3:45–3:50 /km")
    expect(steps.get_by_test_id("hr-target")).to_have_text("HR 65–79 % of max")
    coach.screenshot(path=artifacts / "61-workout-pace-hr-detail.png", full_page=True)
    detail_url = coach.url

    coach.get_by_role("link", name="Edit", exact=True).click()
    expect(coach.get_by_label("Step 2 on unit", exact=True)).to_have_value("m")
    expect(coach.get_by_label("Step 2 on", exact=True)).to_have_value("800")
    expect(coach.get_by_label("Step 2 on target", exact=True)).to_have_value("pace")
    expect(coach.get_by_label("Step 2 on pace from (/km)", exact=True)).to_have_value("3:45")
    expect(coach.get_by_label("Step 2 on pace to (/km)", exact=True)).to_have_value("3:50")
    expect(coach.get_by_label("Step 2 off unit", exact=True)).to_have_value("s")
    expect(coach.get_by_label("Step 2 off", exact=True)).to_have_value("90")
    expect(coach.get_by_label("Step 2 off target", exact=True)).to_have_value("hr")
    expect(coach.get_by_label("Step 2 off heart-rate band", exact=True)).to_have_value("easy")
    assert coach.console_errors == []  # type: ignore[attr-defined]

    phone: Page = new_page(width=390, height=844)
    log_in(phone, live_server, "coach", PASSWORD)
    phone.goto(detail_url.split("?")[0] + "/edit")
    expect(phone.get_by_label("Step 2 on pace from (/km)", exact=True)).to_have_value("3:45")
    expect(phone.get_by_test_id("preview-totals")).to_contain_text("4.80 km")
    phone.screenshot(path=artifacts / "62-workout-builder-phone.png", full_page=True)
    phone.goto(detail_url)
    expect(phone.get_by_test_id("pace-target")).to_have_text("3:45–3:50 /km")
    phone.screenshot(path=artifacts / "63-workout-pace-hr-phone.png", full_page=True)
    assert phone.console_errors == []  # type: ignore[attr-defined]
