"""Errors raised by services, mapped to answers by the web, API and CLI layers."""

from __future__ import annotations

__all__ = ["Conflict", "InvalidInput", "NotFound", "ServiceError"]


class ServiceError(Exception):
    """Base of every error a service raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    """The input breaks a rule; ``field`` names the offending field when there is one."""


class Conflict(ServiceError):
    """The input clashes with existing data (e.g. a user name already taken)."""


class NotFound(ServiceError):
    """The thing does not exist, or is not visible to the caller."""
