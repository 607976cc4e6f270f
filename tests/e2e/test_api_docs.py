"""The API documentation page renders our OpenAPI document under the CSP, from local files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_api_docs_page_renders_the_document(
    live_server: str, new_page: Any, artifacts: Path
) -> None:
    page = new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server}/api/docs")
    expect(page.get_by_text("SmartRunning API").first).to_be_visible()
    expect(page.get_by_text("/api/runners/{runner_id}/profile").first).to_be_visible()
    page.screenshot(path=artifacts / "20-api-docs.png")
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requested), [
        u for u in requested if not u.startswith(live_server)
    ]
    assert page.console_errors == []  # type: ignore[attr-defined]
