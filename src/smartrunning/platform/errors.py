"""Errors raised by services on purpose, and what each means to the one who asked.

A service raises one of these; nothing catches it to translate it by hand. The platform
answers it once for everyone: the API with the JSON envelope and the error's status
(``platform.error_pages``), the pages with the error page, the CLI with its message and
exit status 1 (``smartrunning.cli``). The open transaction is rolled back first. A page
that shows the message beside a form field catches the error itself.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = ["Conflict", "InvalidInput", "NotFound", "ServiceError"]


class ServiceError(Exception):
    """Base of every error a service raises on purpose."""

    #: The HTTP status that answers it.
    status: ClassVar[int] = 422

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def details(self) -> dict[str, Any]:
        """The API envelope's ``details``: the message under the field it is about."""
        return {"json": {self.field or "_": [self.message]}}


class InvalidInput(ServiceError):
    """The input breaks a rule; ``field`` names the offending field when there is one."""


class Conflict(ServiceError):
    """The input clashes with existing data (e.g. a user name already taken)."""

    status = 409


class NotFound(ServiceError):
    """The thing does not exist, or is not visible to the caller."""

    status = 404
