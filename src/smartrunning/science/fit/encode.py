"""Write FIT files through Garmin's own ``garmin-fit-sdk`` Encoder.

:func:`encode_file` writes a ``file_id`` of a given type and the messages after it; the
workout files for watches (``science.fit.workout``) are written with it. Activity files
with known answers, for tests and benchmarks, are written by ``tests/core/fitwriter.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from garmin_fit_sdk import Encoder, Profile

from smartrunning.science.fit._header import FIT_EPOCH_S

__all__ = ["encode_file"]


def encode_file(file_type: str, messages: Sequence[tuple[str, Mapping[str, Any]]]) -> bytes:
    """Write a file of any ``file_id.type`` (``settings``, ``workout``, ``weight`` …).

    ``messages`` are (profile message name, fields) pairs written after the ``file_id``;
    fields take profile units and enum names, times as :class:`datetime` or FIT seconds.
    """
    encoder = Encoder()
    _write(
        encoder,
        "file_id",
        type=file_type,
        manufacturer="development",
        product=1,
        serial_number=3_141_592_653,
        time_created=_fit_time(1.7e9),
    )
    for name, fields in messages:
        _write(encoder, name, **fields)
    return bytes(encoder.close())


def _fit_time(unix_s: float) -> int:
    return round(unix_s) - FIT_EPOCH_S


def _write(encoder: Encoder, message: str, **fields: Any) -> None:
    mesg_num = Profile["mesg_num"][message.upper()]
    encoder.write_mesg({"mesg_num": mesg_num, **{k: v for k, v in fields.items() if v is not None}})
