"""Sessions in a browser: upload with a real queue worker, report, list, detail, history."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import expect

from smartrunning.athletes.models import Runner
from smartrunning.plans import actions as plan_services
from smartrunning.plans import plan_schemas
from smartrunning.platform import clock
from smartrunning.platform.db import db
from smartrunning.sessions.models import ImportJob
from tests.e2e.pages import log_in
from tests.helpers import PASSWORD, make_world
from tests.sessions.sessiondata import import_inline, run_bytes, zip_bytes
from tests.sessions.sportdata import Kind, sport_file

pytestmark = pytest.mark.e2e


@pytest.fixture
def worker(app: Flask, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real `smartrunning worker` on the live server's database and queue."""
    settings = app.extensions["smartrunning.settings"]
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SMARTRUNNING_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))
    }
    env.update(
        SMARTRUNNING_ENV="testing",
        SMARTRUNNING_INSTANCE=str(settings.resolved_instance_path),
        DATABASE_URL=settings.sqlalchemy_url,
        SECRET_KEY=settings.secret_key.get_secret_value(),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "smartrunning", "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def test_coach_uploads_and_explores_sessions(
    app: Flask,
    live_server: str,
    new_page: Any,
    artifacts: Path,
    tmp_path: Path,
    worker: subprocess.Popen[bytes],
) -> None:
    world = make_world(app)
    files = tmp_path / "upload"
    files.mkdir()
    (files / "monday.fit").write_bytes(run_bytes(0, duration_s=1800, seed=3))
    (files / "broken.fit").write_bytes(run_bytes(1)[:100])  # damaged before any record
    (files / "export.zip").write_bytes(
        zip_bytes(
            [
                ("activities/wednesday.fit", run_bytes(2, duration_s=2400, seed=4)),
                ("activities/friday.fit", run_bytes(4, duration_s=1500, seed=5)),
                ("readme.txt", b"not a FIT file"),
            ]
        )
    )
    page = new_page()
    log_in(page, live_server, "coach", PASSWORD)
    page.goto(f"{live_server}/runners/{world.runner_id}/upload")
    page.set_input_files("#files", [str(p) for p in sorted(files.iterdir())])
    expect(page.locator("#chosen")).to_contain_text("3 file(s)")
    page.screenshot(path=artifacts / "40-upload.png")
    page.get_by_role("button", name="Upload").click()
    expect(page).to_have_url(re.compile(r".*/jobs/\d+$"))
    expect(page.get_by_test_id("job-status")).to_have_text("done", timeout=90_000)
    job_url = page.url
    report = page.get_by_test_id("job-files")
    expect(report).to_contain_text("imported")
    expect(report).to_contain_text("truncated")
    expect(report).to_contain_text("readme.txt")
    rows = report.locator("tbody tr")
    summary = page.get_by_test_id("job-summary")
    expect(summary.get_by_role("button", name="all: 6")).to_have_attribute("aria-pressed", "true")
    summary.get_by_role("button", name="failed: 1").click()
    expect(report.locator("tbody tr:visible")).to_have_count(1)
    expect(report.locator("tbody tr:visible")).to_contain_text("truncated")
    page.screenshot(path=artifacts / "41-import-report-failed.png")
    summary.get_by_role("button", name="all: 6").click()
    expect(report.locator("tbody tr:visible")).to_have_count(6)
    expect(rows).to_have_count(6)
    page.reload()  # the finished report, rendered by the server this time
    summary.get_by_role("button", name="failed: 1").click()
    expect(report.locator("tbody tr:visible")).to_have_count(1)
    summary.get_by_role("button", name="all: 6").click()
    page.screenshot(path=artifacts / "41-import-report.png", full_page=True)

    page.get_by_role("link", name="Sessions", exact=True).first.click()
    rows = page.get_by_test_id("sessions").locator("tbody tr")
    expect(rows).to_have_count(3)
    page.get_by_role("link", name="Distance").click()
    page.screenshot(path=artifacts / "42-sessions-list.png")
    rows.first.get_by_role("link").click()
    expect(page.get_by_test_id("session-title")).to_have_text(
        re.compile(r"^(Morning|Afternoon|Evening|Night) run$")
    )
    expect(page.get_by_test_id("session-sport")).to_have_text("Running")
    expect(page.get_by_test_id("best-efforts")).to_contain_text("5 km")
    expect(page.get_by_test_id("splits")).to_contain_text("1.00 km")
    expect(page.locator("#route-note")).to_contain_text("Start green")
    assert _shown_span_km(page) == pytest.approx(_route_span_km(page), abs=0.051)
    page.get_by_text("Over distance").click()
    page.screenshot(path=artifacts / "43-session-detail.png", full_page=True)

    page.goto(f"{live_server}/runners/{world.runner_id}/history")
    expect(page.get_by_test_id("history-today")).to_be_visible()
    # The sessions are older than the last year shown by default: the page says so.
    expect(page.get_by_test_id("history-quiet")).to_contain_text("the latest was on")
    page.get_by_test_id("history-range").get_by_role("link", name="All").click()
    expect(page.get_by_test_id("history-range").locator("[aria-current=page]")).to_have_text("All")
    expect(page.get_by_test_id("history-quiet")).to_have_count(0)
    page.screenshot(path=artifacts / "44-history.png", full_page=True)

    # With a plan toward a race in five weeks, the history runs on to race day.
    race = clock.today() + dt.timedelta(days=35)
    with app.app_context():
        plan_schemas.load_default_schemas()
        plan_services.save_plan(
            db.session.get_one(Runner, world.runner_id),
            plan_schemas.schema_by_name("10 km"),
            plan_services.GenerateRequest(race, 10000.0, 4),
            created_by=None,
        )
        db.session.commit()
    page.reload()
    expect(page.get_by_test_id("history-race-day")).to_contain_text(f"Planned to {race}")
    page.screenshot(path=artifacts / "45-history-projected.png", full_page=True)
    # On a phone the charts keep a readable height, and the report's file names their width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    chart = page.locator("#fitness-chart").bounding_box()
    assert chart is not None
    assert chart["height"] >= 200, chart
    page.screenshot(path=artifacts / "46-phone-history.png", full_page=True)
    page.goto(job_url)
    name = page.get_by_test_id("job-files").locator("tbody tr td").first.bounding_box()
    assert name is not None
    assert name["width"] >= 150, name
    page.screenshot(path=artifacts / "47-phone-import-report.png", full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]


def _shown_span_km(page: Any) -> float:
    note = page.locator("#route-note").inner_text()
    match = re.search(r"spans about ([0-9.]+) km", note)
    assert match, note
    return float(match.group(1))


def _route_span_km(page: Any) -> float:
    """The larger side of the track's bounding box in km, from the points the page drew
    (an east-west extent counts cos(latitude) of its degrees)."""
    charts = page.request.get(page.url + "/charts.json").json()
    lats = [p[0] for p in charts["track"]["points"]]
    lons = [p[1] for p in charts["track"]["points"]]
    k = math.cos(math.radians(sum(lats) / len(lats)))
    return max((max(lons) - min(lons)) * k, max(lats) - min(lats)) * 111.32


def test_upload_too_large_is_refused_before_and_by_the_server(
    app: Flask, live_server: str, new_page: Any, artifacts: Path, tmp_path: Path
) -> None:
    world = make_world(app)
    app.config["MAX_CONTENT_LENGTH"] = 150_000
    big = tmp_path / "big.fit"
    big.write_bytes(run_bytes(0, duration_s=7200, seed=9))  # ~220 kB
    assert big.stat().st_size > 150_000
    page = new_page()
    log_in(page, live_server, "coach", PASSWORD)
    page.goto(f"{live_server}/runners/{world.runner_id}/upload")
    expect(page.get_by_test_id("upload-form")).to_contain_text("At most 0.15 MB per upload")
    page.set_input_files("#files", str(big))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.method))
    page.get_by_role("button", name="Upload").click()
    alert = page.locator("#upload-error")
    expect(alert).to_contain_text("come to 0.217 MB; an upload may be at most 0.15 MB")
    assert "POST" not in requests  # refused in the page, nothing sent
    page.screenshot(path=artifacts / "48-upload-too-large.png")
    # A page loaded under a larger limit (an old tab, say) gets the server's 413, said as
    # clearly.
    app.config["MAX_CONTENT_LENGTH"] = 1_000_000
    page.reload()
    page.set_input_files("#files", str(big))
    app.config["MAX_CONTENT_LENGTH"] = 150_000
    page.get_by_role("button", name="Upload").click()
    expect(alert).to_contain_text("refused these files as too large for one upload")
    assert "POST" in requests
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(ImportJob.id))).scalar_one() == 0


@pytest.mark.parametrize(
    ("kind", "title", "sport", "speed", "chart"),
    [
        ("swim", "Morning swim", "Pool swimming", re.compile(r"^1:4\d /100 m$"), "Pace /100 m"),
        ("ride", "Evening ride", "Cycling", re.compile(r"^(29|30)\.\d km/h$"), "Speed km/h"),
        (
            "row",
            "Afternoon indoor row",
            "Indoor rowing",
            re.compile(r"^2:0\d /500 m$"),
            "Pace /500 m",
        ),
    ],
)
def test_a_session_of_another_sport_is_shown_in_its_own_units(
    app: Flask,
    live_server: str,
    new_page: Any,
    artifacts: Path,
    kind: Kind,
    title: str,
    sport: str,
    speed: re.Pattern[str],
    chart: str,
) -> None:
    """A swim, a ride and an indoor row (generated FIT files): titled by the time of day,
    named in words, their speed per 100 m, in km/h or per 500 m, no running figures."""
    world = make_world(app)
    report = import_inline(app, world.runner_id, [(f"{kind}.fit", sport_file(kind))])
    (session_id,) = report["files"][0]["session_ids"]  # type: ignore[index]
    page = new_page()
    log_in(page, live_server, "coach", PASSWORD)
    page.goto(f"{live_server}/runners/{world.runner_id}/sessions")
    row = page.get_by_test_id("sessions").locator("tbody tr").first
    expect(row).to_contain_text(title)
    expect(row).to_contain_text(sport)
    row.get_by_role("link", name=title).click()
    expect(page).to_have_url(f"{live_server}/sessions/{session_id}")
    expect(page.get_by_test_id("session-title")).to_have_text(title)
    expect(page.get_by_test_id("session-sport")).to_have_text(sport)
    expect(page.get_by_test_id("session-speed")).to_have_text(speed)
    expect(page.get_by_test_id("grade-adjusted")).to_have_count(0)
    expect(page.get_by_test_id("efficiency")).to_have_count(0)
    # The speed chart is drawn in the sport's unit (its legend names it).
    page.wait_for_function("() => window.Chart && Chart.getChart('pace-chart')")
    legend = page.evaluate("() => Chart.getChart('pace-chart').data.datasets[0].label")
    assert legend == chart
    assert "/km" not in page.locator("main").inner_text()
    page.screenshot(path=artifacts / f"49-session-{kind}.png", full_page=True)
