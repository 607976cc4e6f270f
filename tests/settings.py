"""Settings for tests: only what the test passes, never the developer's environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from smartrunning.platform.config import Settings

POSTGRES_ENV = "SMARTRUNNING_TEST_DATABASE_URL"
REDIS_ENV = "SMARTRUNNING_TEST_REDIS_URL"


class IsolatedSettings(Settings):
    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def make_settings(instance: Path, database_url: str | None, **values: Any) -> Settings:
    base: dict[str, Any] = {
        "SMARTRUNNING_ENV": "testing",
        "SMARTRUNNING_INSTANCE": instance,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-" + "x" * 40,
    }
    base.update(values)
    return IsolatedSettings(**base)


def postgres_url() -> str | None:
    """The PostgreSQL server URL when the suite runs against PostgreSQL, else None."""
    return os.environ.get(POSTGRES_ENV) or None


def redis_url() -> str | None:
    """The Redis URL for this test process, or None when the suite runs without Redis.

    Each xdist worker gets its own database number (10 + its index), so tests running in
    parallel never see, or flush, each other's queues.
    """
    base = os.environ.get(REDIS_ENV)
    if not base:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{10 + index}"))
