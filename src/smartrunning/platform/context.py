"""Access to the running application's settings from service code."""

from __future__ import annotations

from flask import current_app

from smartrunning.platform.config import Settings

__all__ = ["settings"]


def settings() -> Settings:
    """The settings of the application in the current app context."""
    value = current_app.extensions["smartrunning.settings"]
    assert isinstance(value, Settings)
    return value
