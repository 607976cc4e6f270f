"""The first admin sets the platform up; the runner and the coach see what they should."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from smartrunning.accounts import actions as accounts
from smartrunning.platform.db import db
from tests.e2e.conftest import FIRST_ADMIN_PASSWORD
from tests.e2e.pages import change_password, log_in

pytestmark = pytest.mark.e2e


def create_user(page: Page, base: str, username: str, role: str, **runner: str) -> str:
    page.goto(f"{base}/admin/users/new")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Full name").fill(runner.get("name", username.title()))
    page.get_by_label(role.capitalize(), exact=True).check()
    if role == "runner":
        page.get_by_label("Birth date (runners)").fill(runner["birth_date"])
        page.get_by_label("Sex (runners)").select_option(runner["sex"])
    page.get_by_role("button", name="Create user").click()
    return page.get_by_test_id("temp-password").inner_text().strip()


def test_first_admin_sets_up_coach_and_runner(
    app: Flask, live_server: str, new_page: Any, artifacts: Path
) -> None:
    with app.app_context():
        accounts.ensure_first_admin()
        db.session.commit()
    base = live_server
    admin = new_page()

    log_in(admin, base, "admin", FIRST_ADMIN_PASSWORD)
    expect(admin).to_have_url(re.compile(r".*/password$"))
    expect(admin.get_by_text("must be changed before you continue")).to_be_visible()
    admin.screenshot(path=artifacts / "01-forced-password-change.png")
    change_password(admin, FIRST_ADMIN_PASSWORD, "admin new passphrase")
    expect(admin.get_by_text("Your password has been changed.")).to_be_visible()

    coach_password = create_user(admin, base, "coach.carla", "coach", name="Carla Coach")
    runner_password = create_user(
        admin, base, "rico", "runner", name="Rico Runner", birth_date="1994-05-06", sex="m"
    )
    create_user(admin, base, "olga", "runner", name="Olga Other", birth_date="1980-01-02", sex="f")
    admin.screenshot(path=artifacts / "02-user-created.png")

    admin.goto(f"{base}/admin/")
    form = admin.get_by_test_id("assign-form")
    form.get_by_label("Runner").select_option(label="Rico Runner")
    form.get_by_label("Coach").select_option(label="coach.carla")
    form.get_by_role("button", name="Assign").click()
    expect(admin.get_by_text("Rico Runner is now coached by coach.carla.")).to_be_visible()
    admin.screenshot(path=artifacts / "03-admin-dashboard.png", full_page=True)

    runner = new_page()
    log_in(runner, base, "rico", runner_password)
    change_password(runner, runner_password, "rico new passphrase")
    # An admin-made runner profile is unfinished: the runner lands in its set-up first.
    expect(runner.get_by_role("heading", name="Set up Rico Runner")).to_be_visible()
    runner.get_by_role("link", name="Finish later").click()
    expect(runner.get_by_test_id("runner-name")).to_have_text("Rico Runner")
    expect(runner.get_by_role("link", name="Athletes")).to_have_count(0)
    runner.screenshot(path=artifacts / "04-runner-own-page.png")

    coach = new_page()
    log_in(coach, base, "coach.carla", coach_password)
    change_password(coach, coach_password, "carla new passphrase")
    expect(coach).to_have_url(f"{base}/athletes")
    table = coach.get_by_test_id("athletes")
    expect(table.get_by_role("link", name="Rico Runner")).to_be_visible()
    expect(table.get_by_text("Olga Other")).to_have_count(0)
    coach.screenshot(path=artifacts / "05-coach-dashboard.png")

    for page in (admin, runner, coach):
        assert page.console_errors == []  # type: ignore[attr-defined]

    olga_href = admin.get_by_role("link", name="Olga Other").first.get_attribute("href")
    assert olga_href
    response = coach.goto(f"{base}{olga_href}")
    assert response is not None
    assert response.status == 404
    expect(coach.get_by_test_id("error-message")).to_have_text("There is nothing here.")


def test_pages_fit_a_phone(app: Flask, live_server: str, new_page: Any, artifacts: Path) -> None:
    with app.app_context():
        first = accounts.ensure_first_admin()
        assert first is not None
        first.user.must_change_password = False
        db.session.commit()
    phone = new_page(width=390, height=844)
    log_in(phone, live_server, "admin", FIRST_ADMIN_PASSWORD)
    phone.goto(f"{live_server}/admin/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px screen"
    phone.get_by_role("button", name="Menu").click()
    expect(phone.get_by_role("link", name="Admin", exact=True)).to_be_visible()
    phone.screenshot(path=artifacts / "06-phone-admin.png", full_page=True)
    assert phone.console_errors == []  # type: ignore[attr-defined]
