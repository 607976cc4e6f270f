"""Access cases of the user's own settings (API tokens)."""

from __future__ import annotations

from tests.access.matrix import Case, logged_in

CASES: list[Case] = [
    Case("GET", "settings.tokens", lambda w: "/settings/tokens", logged_in(200, 200, 200)),
    Case(
        "POST",
        "settings.tokens",
        lambda w: "/settings/tokens",
        logged_in(200, 200, 200),
        form=lambda w: {"name": "matrix"},
    ),
    Case(
        "POST",
        "settings.revoke",
        lambda w: "/settings/tokens/999999/revoke",
        logged_in(404, 404, 404),
        label="missing or someone else's",
    ),
    Case(
        "POST",
        "settings.preferences",
        lambda w: "/settings/preferences",
        logged_in(302, 302, 302),
        form=lambda w: {"time_zone": "Europe/Berlin", "units": "mi"},
    ),
]
