"""A live server in a thread and Debian's Chromium driven headless by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from smartrunning.app import create_app
from tests.database import TestDatabase
from tests.settings import make_settings

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FIRST_ADMIN_PASSWORD = "first admin passphrase"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}: `make test` installs Debian's chromium")
    return path


@pytest.fixture
def app(tmp_path: Path, test_database: TestDatabase) -> Iterator[Flask]:
    """The app with a first-admin password, as `smartrunning init` would see it."""
    settings = make_settings(
        tmp_path / "instance",
        test_database.url_for(tmp_path),
        SMARTRUNNING_ADMIN_PASSWORD=FIRST_ADMIN_PASSWORD,
    )
    application = create_app(settings, {"TESTING": True})
    yield application
    from smartrunning.platform.db import db

    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator[object]:
    """Factory of pages, each in its own context (its own cookies), closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.console_errors = errors  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()
