"""The one exception that FIT decoding raises for bad bytes."""

from __future__ import annotations

__all__ = ["FitDecodeError"]


class FitDecodeError(ValueError):
    """The bytes are not a decodable FIT file; ``str(error)`` is a reason for a person.

    Reasons start with a stable kind: ``empty file``, ``not a FIT file``, ``corrupt
    header``, ``truncated file``, ``bad file CRC``, ``unexpected end of data`` or ``corrupt
    data``, followed by details. Decoding raises nothing else for bad input.
    """

    def __init__(self, reason: str, *, detail: str | None = None) -> None:
        super().__init__(reason)
        self.detail = detail
        """What the decoding library said, for the logs (never shown to a person)."""

    @property
    def kind(self) -> str:
        """The reason's kind: the text before the first colon (``"bad file CRC"``)."""
        return str(self).split(":", 1)[0].split(" (", 1)[0]
