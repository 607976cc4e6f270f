"""Steps the browser tests share."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def change_password(page: Page, current: str, new: str) -> None:
    expect(page).to_have_url(re.compile(r".*/password$"))
    page.get_by_label("Current password").fill(current)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("Repeat the new password").fill(new)
    page.get_by_role("button", name="Change password").click()


def fits_the_width(page: Page) -> None:
    """The page is no wider than its viewport (no sideways scrolling)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, f"{width}px wide"  # type: ignore[index]
