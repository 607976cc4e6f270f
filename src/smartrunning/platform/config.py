"""Configuration from environment variables and an optional ``.env`` file.

Every setting is documented in ``.env.example``; this module is the one place that reads
them. ``Settings`` validates types and ranges at start-up so a wrong value fails loudly
instead of surfacing later as odd behaviour.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["ConfigError", "Environment", "Settings", "load_settings"]

#: Values that must never protect sessions in production (e.g. copied from .env.example).
KNOWN_DEFAULT_SECRETS = frozenset(
    {"change-me", "changeme", "secret", "dev", "development", "replace-with-a-long-random-string"}
)
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(RuntimeError):
    """The configuration is unusable; the message says what to change."""


class Environment(StrEnum):
    PRODUCTION = "production"
    DEVELOPMENT = "development"
    TESTING = "testing"


Positive = Annotated[float, Field(gt=0)]


class Settings(BaseSettings):
    """All settings, by their environment variable names (see ``.env.example``)."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
    )

    env: Environment = Field(Environment.PRODUCTION, alias="SMARTRUNNING_ENV")
    secret_key: SecretStr | None = Field(None, alias="SECRET_KEY")
    instance_path: Path = Field(Path("instance"), alias="SMARTRUNNING_INSTANCE")
    database_url: str | None = Field(None, alias="DATABASE_URL")
    redis_url: str | None = Field(None, alias="REDIS_URL")

    admin_username: str = Field("admin", alias="SMARTRUNNING_ADMIN_USERNAME", min_length=3)
    admin_password: SecretStr | None = Field(None, alias="SMARTRUNNING_ADMIN_PASSWORD")
    min_password_length: int = Field(10, alias="MIN_PASSWORD_LENGTH", ge=8, le=128)
    min_password_score: int = Field(3, alias="MIN_PASSWORD_SCORE", ge=0, le=4)
    login_limit_per_user: str = Field("5 per 5 minutes", alias="LOGIN_LIMIT_PER_USER")
    login_limit_per_address: str = Field("20 per 5 minutes", alias="LOGIN_LIMIT_PER_ADDRESS")
    session_cookie_secure: bool | None = Field(None, alias="SESSION_COOKIE_SECURE")

    log_format: Literal["json", "text"] | None = Field(None, alias="LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", alias="LOG_LEVEL")

    host: str = Field("127.0.0.1", alias="HOST")
    port: int = Field(5000, alias="PORT", ge=1, le=65535)
    web_workers: int = Field(2, alias="WEB_WORKERS", ge=1, le=64)
    web_threads: int = Field(4, alias="WEB_THREADS", ge=1, le=64)
    queue_workers: int = Field(2, alias="QUEUE_WORKERS", ge=1, le=64)

    max_upload_mb: Positive = Field(512.0, alias="MAX_UPLOAD_MB")
    max_fit_file_mb: Positive = Field(64.0, alias="MAX_FIT_FILE_MB")
    zip_max_entries: int = Field(20_000, alias="ZIP_MAX_ENTRIES", ge=1)
    zip_max_total_mb: Positive = Field(4096.0, alias="ZIP_MAX_TOTAL_MB")
    zip_max_ratio: Positive = Field(100.0, alias="ZIP_MAX_RATIO")
    zip_max_depth: int = Field(2, alias="ZIP_MAX_DEPTH", ge=0, le=5)
    storage_quota_runner_mb: float = Field(5000.0, alias="STORAGE_QUOTA_RUNNER_MB", ge=0)
    storage_quota_user_mb: float = Field(20000.0, alias="STORAGE_QUOTA_USER_MB", ge=0)

    hr_min_bpm: Positive = Field(30.0, alias="HR_MIN_BPM")
    hr_max_bpm: Positive = Field(220.0, alias="HR_MAX_BPM")
    moving_speed_mps: Positive = Field(0.5, alias="MOVING_SPEED_MPS")
    gps_jump_mps: Positive = Field(12.0, alias="GPS_JUMP_MPS")
    max_running_speed_mps: Positive = Field(12.5, alias="MAX_RUNNING_SPEED_MPS")
    speed_window_s: Positive = Field(30.0, alias="SPEED_WINDOW_S")
    hr_outside_s: float = Field(30.0, alias="HR_OUTSIDE_S", ge=0)
    earliest_session_date: dt.date = Field(dt.date(1990, 1, 1), alias="EARLIEST_SESSION_DATE")
    future_tolerance_h: float = Field(24.0, alias="FUTURE_TOLERANCE_H", ge=0, le=24 * 366)

    json_max_depth: int = Field(32, alias="JSON_MAX_DEPTH", ge=4, le=512)

    public_url: str | None = Field(None, alias="PUBLIC_URL")
    smtp_host: str | None = Field(None, alias="SMTP_HOST")
    smtp_port: int = Field(25, alias="SMTP_PORT", ge=1, le=65535)
    smtp_security: Literal["none", "starttls", "ssl"] = Field("none", alias="SMTP_SECURITY")
    smtp_username: str | None = Field(None, alias="SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(None, alias="SMTP_PASSWORD")
    smtp_from: str = Field("SmartRunning <smartrunning@localhost>", alias="SMTP_FROM")
    smtp_timeout_s: Positive = Field(20.0, alias="SMTP_TIMEOUT_S")
    email_retries: int = Field(5, alias="EMAIL_RETRIES", ge=0, le=50)
    email_retry_delay_s: int = Field(60, alias="EMAIL_RETRY_DELAY_S", ge=0, le=86_400)
    history_max_days: int = Field(3660, alias="HISTORY_MAX_DAYS", ge=7, le=36_600)
    history_max_ahead_days: int = Field(1000, alias="HISTORY_MAX_AHEAD_DAYS", ge=0, le=3660)
    #: How long a deleted session or personal best can be restored before it is purged.
    undo_window_s: int = Field(600, alias="UNDO_WINDOW_S", ge=0, le=30 * 86_400)

    @model_validator(mode="after")
    def _check_ranges(self) -> Settings:
        if self.hr_min_bpm >= self.hr_max_bpm:
            raise ValueError("HR_MIN_BPM must be below HR_MAX_BPM")
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def resolved_log_format(self) -> Literal["json", "text"]:
        """``LOG_FORMAT``, or JSON in production and text elsewhere."""
        return self.log_format or ("json" if self.is_production else "text")

    @property
    def resolved_public_url(self) -> str:
        """``PUBLIC_URL`` (how users reach the site, for links in e-mails), else this
        server's own address."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def resolved_instance_path(self) -> Path:
        return self.instance_path.expanduser().resolve()

    @property
    def sqlalchemy_url(self) -> str:
        """``DATABASE_URL``, or SQLite in the instance folder."""
        if self.database_url:
            url = self.database_url
            # Accept the common postgres:// spelling and pick the psycopg 3 driver.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix) :]
            return url
        return f"sqlite:///{self.resolved_instance_path / 'smartrunning.sqlite3'}"

    def resolved_secret_key(self) -> str:
        """The secret that signs sessions.

        Production requires ``SECRET_KEY`` (long, not a known default). Elsewhere, without
        one, a random key is generated once and kept in the instance folder, so a local
        install never runs on a shared default secret.
        """
        if self.secret_key is not None:
            key = self.secret_key.get_secret_value()
            if self.is_production:
                if key.strip().lower() in KNOWN_DEFAULT_SECRETS:
                    raise ConfigError("SECRET_KEY is a known default; set a random value.")
                if len(key) < MIN_SECRET_KEY_LENGTH:
                    raise ConfigError(
                        f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters "
                        "in production."
                    )
            return key
        if self.is_production:
            raise ConfigError(
                "SECRET_KEY is required in production. Generate one with\n"
                "  python3 -c 'import secrets; print(secrets.token_urlsafe(48))'\n"
                "and set it in the environment or in .env "
                "(or set SMARTRUNNING_ENV=development for a local install)."
            )
        return self._instance_secret()

    def _instance_secret(self) -> str:
        path = self.resolved_instance_path / "secret_key"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


def load_settings(**overrides: object) -> Settings:
    """Read the settings; a wrong value becomes a ``ConfigError`` naming the variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from exc
