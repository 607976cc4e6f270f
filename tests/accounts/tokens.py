"""Personal API tokens for tests: one made through the settings page, and its header."""

from __future__ import annotations

import re

from flask import Flask

from tests.helpers import login, post_form


def create_token(app: Flask, username: str, name: str = "script") -> str:
    """Create a token named ``name`` as ``username`` on the settings page; its value."""
    client = app.test_client()
    login(client, username)
    page = post_form(client, "/settings/tokens", {"name": name}).get_data(as_text=True)
    match = re.search(r'data-testid="token-value">([^<]+)<', page)
    assert match, page[-2000:]
    return match.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
