"""Decode FIT bytes into a :class:`DecodedFile`, with the decoder chosen by measurement.

The chain (figures and reasons in ``docs/decisions/fit-decoder.md``):

1. The framing is checked in pure Python first (empty, not FIT, corrupt header,
   truncated): the same reasons whatever library runs next.
2. ``fitfast`` (Rust, NumPy columns) decodes, unless the file is known to trip it:
   a 14-byte header with CRC 0x0000 (fitfast 0.1.0 rejects it although the protocol
   allows it), or a developer field that may be named like a native record field
   (fitfast lets it replace the native column). Those files, and any file fitfast
   rejects, go to ``pyfitparsernative`` (Rust too). When both reject a file, the first
   reason is raised.
3. A file whose records carry FR60/FR70-era ``compressed_speed_distance`` comes back from
   the Rust decoders without speed or distance; ``fitdecode`` expands that field, so
   such a file is decoded again with it.

``DecodedFile.decoder`` and ``fallback_reason`` record which library produced the result
and why. Heart rate is read from record messages only: HRM-Pro/HRM-Swim ``hr`` messages
are not merged into records (garmin-fit-sdk's ``merge_heart_rates`` is the only library
that does; the reference comparison turns it off).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from smartrunning.science.fit._adapters import ADAPTERS, RECORD_FIELDS, RawFit
from smartrunning.science.fit._build import build
from smartrunning.science.fit._header import Sequence, parse_framing
from smartrunning.science.fit.errors import FitDecodeError
from smartrunning.science.fit.model import DecodedFile, DecoderName

__all__ = ["DECODERS", "DecoderChoice", "decode_fit"]

DecoderChoice = DecoderName | Literal["auto"]
"""``auto`` is the production chain; a library name runs that library alone."""

DECODERS: tuple[DecoderName, ...] = ("fitfast", "pyfitparsernative", "fitdecode", "garmin-fit-sdk")

# A developer field named like one of these would shadow the native column in fitfast.
# Developer fields need a field_description (message 206) definition: architecture byte
# then message number; only files that have one are searched for the names.
# Both are byte searches, cheap and conservative: a hit on some other string only costs
# a slower decoder.
_FIELD_DESCRIPTION_DEFS = (b"\x00\xce\x00", b"\x01\x00\xce")
_SHADOWABLE = tuple(sorted({name.removeprefix("enhanced_").encode() for name in RECORD_FIELDS}))
# The record definition of compressed_speed_distance: field 8, 3 bytes, base type byte.
_COMPRESSED_SPEED_DISTANCE_DEF = b"\x08\x03\x0d"


def decode_fit(
    data: bytes | bytearray | memoryview, *, decoder: DecoderChoice = "auto"
) -> DecodedFile:
    """Decode a FIT file (possibly chained) into sessions of SI records.

    ``decoder="auto"`` runs the chain described in the module docstring; a library name
    runs only that library (for the benchmark and the differential tests).

    Raises:
        FitDecodeError: the bytes are not a decodable FIT file; nothing else is raised for
            bad input.
    """
    data = bytes(data)
    framing = parse_framing(data)
    if decoder != "auto":
        raw = ADAPTERS[decoder](data, framing)
        return build(raw, chained_files=len(framing), fallback_reason=None)
    raw, reason = _decode_auto(data, framing)
    return build(raw, chained_files=len(framing), fallback_reason=reason)


def _decode_auto(data: bytes, framing: tuple[Sequence, ...]) -> tuple[RawFit, str | None]:
    reason = _fitfast_unsuitable(data, framing)
    if reason is None:
        try:
            raw = ADAPTERS["fitfast"](data, framing)
        except FitDecodeError as fitfast_error:
            try:
                raw = ADAPTERS["pyfitparsernative"](data, framing)
            except FitDecodeError:
                raise fitfast_error from None
            reason = f"fitfast rejected the file ({fitfast_error})"
    else:
        raw = ADAPTERS["pyfitparsernative"](data, framing)
    if _lacks_compressed_speed_distance(raw, data):
        try:
            expanded = ADAPTERS["fitdecode"](data, framing)
        except FitDecodeError:
            return raw, reason
        if _has_speed_or_distance(expanded):
            return expanded, "compressed_speed_distance records (only fitdecode expands them)"
    return raw, reason


def _fitfast_unsuitable(data: bytes, framing: tuple[Sequence, ...]) -> str | None:
    if any(seq.header_crc_zero for seq in framing):
        return "header CRC 0x0000 (allowed by the protocol; fitfast 0.1.0 rejects it)"
    if any(d in data for d in _FIELD_DESCRIPTION_DEFS) and any(n in data for n in _SHADOWABLE):
        return "a developer field may be named like a native record field"
    return None


def _has_speed_or_distance(raw: RawFit) -> bool:
    return any(
        bool(np.isfinite(raw.record[k]).any())
        for k in ("distance", "speed", "enhanced_speed")
        if k in raw.record
    )


def _lacks_compressed_speed_distance(raw: RawFit, data: bytes) -> bool:
    """Records without speed and distance in a file that defines compressed_speed_distance."""
    return (
        raw.is_activity
        and "timestamp" in raw.record
        and not _has_speed_or_distance(raw)
        and _COMPRESSED_SPEED_DISTANCE_DEF in data
    )
