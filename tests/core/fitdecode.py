"""FIT files decoded back with Garmin's reference decoder (garmin-fit-sdk)."""

from __future__ import annotations

from typing import Any, cast

from garmin_fit_sdk import Decoder, Stream


def decode(data: bytes) -> dict[str, Any]:
    """The messages of a FIT file, after its integrity check, decoded without errors."""
    stream = Stream.from_byte_array(bytearray(data))
    assert Decoder(stream).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return cast(dict[str, Any], messages)  # a TypedDict of every message kind
