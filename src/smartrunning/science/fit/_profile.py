"""FIT profile enum names (sport, file type, manufacturer, product) from Garmin's profile.

Adapters keep enums as integer codes whatever their library returns, and the builder names
them here, so every decoder's output is named by the same (newest) profile.
"""

from __future__ import annotations

from functools import cache

from garmin_fit_sdk import Profile

__all__ = ["code_of", "message_number", "name_of", "product_name"]

# Manufacturers whose product codes are in the garmin_product enum (FIT profile, file_id).
_GARMIN_FAMILY = frozenset({1, 13, 15})


@cache
def _table(enum: str) -> dict[int, str]:
    table: dict[int, str] = Profile["types"][enum]
    return table


@cache
def _reverse(enum: str) -> dict[str, int]:
    return {name: code for code, name in _table(enum).items()}


def name_of(enum: str, code: float | None) -> str | None:
    """The profile name of ``code`` in ``enum`` (e.g. ``sport`` 1 → ``running``).

    Codes the profile does not know become their number as text; ``None`` stays ``None``.
    """
    if code is None or code != code:  # None or NaN
        return None
    return _table(enum).get(int(code), str(int(code)))


def code_of(enum: str, value: object) -> int | None:
    """The integer code of a library's enum value, whether it gave a name or a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == value else None
    if isinstance(value, str):
        return _reverse(enum).get(value)
    return None


def message_number(name: str) -> int:
    """The global message number of a message kind (e.g. ``session`` → 18)."""
    number: int = Profile["mesg_num"][name.upper()]
    return number


def product_name(manufacturer: int | None, product: int | None) -> str | None:
    """A device's product: its ``garmin_product`` name for Garmin-family makers, else the code."""
    if product is None:
        return None
    if manufacturer in _GARMIN_FAMILY:
        return name_of("garmin_product", product)
    return str(product)
