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
   such a file is decoded again with it (up to ``FITDECODE_MAX_BYTES``, ``_MESSAGES`` and
   ``_FIELDS``: fitdecode is pure Python, and the time a file may cost stays bounded).

Limits keep the time and memory a file can cost bounded whatever its bytes (found with
``tests/science/test_fit_fuzz.py``): more than ``MAX_MESSAGES`` messages, ``MAX_VALUES``
field values or ``MAX_SESSIONS`` sessions is ``corrupt data``; a file above
``PYFITPARSERNATIVE_MAX_*`` is not given to pyfitparsernative (memory).

``DecodedFile.decoder`` and ``fallback_reason`` record which library produced the result
and why. Heart rate that HRM-Pro/HRM-Swim straps stored in ``hr`` messages is merged into
the records the way garmin-fit-sdk's ``merge_heart_rates`` does (``_hr``, the same for
every decoder; the reference decoding lets the SDK merge, and the differential tests
compare the two).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import numpy as np

from smartrunning.science.fit._adapters import ADAPTERS, RECORD_FIELDS, RawFit, count
from smartrunning.science.fit._build import build
from smartrunning.science.fit._header import Sequence, count_messages, parse_framing
from smartrunning.science.fit._salvage import salvage as _salvage
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
FITDECODE_MAX_BYTES = 1_000_000
FITDECODE_MAX_MESSAGES = 50_000
FITDECODE_MAX_FIELDS = 300_000
"""Larger files are not decoded again with fitdecode (pure Python: ~0.5 MB/s, ~20,000
messages/s, ~150,000 fields/s: ~2 s at each limit), which bounds the time a file can
cost: bytes that merely look like an FR60/FR70 file (those are tens of kB: 5.8 kB, 780
messages, 3,415 fields in our sample) cannot buy minutes of CPU."""
MAX_MESSAGES = 2_000_000
MAX_VALUES = 10_000_000
MAX_EMPTY_VALUES = 100_000
"""More messages (definitions included: 23 days at 1 Hz), field values (Σ over data
messages of their definition's field count: 3 days at 1 Hz with 40 fields a record) or
values of size-0 fields (which the protocol does not allow) than an activity has.
fitfast's cost grows with field values (~0.4 µs and ~50 bytes each), and with fields of
size 0 there can be 255 per byte: without the limits a 200 kB file cost 19 s and 2.4 GB,
and a larger one could exhaust the worker's memory."""
PYFITPARSERNATIVE_MAX_MESSAGES = 200_000
PYFITPARSERNATIVE_MAX_VALUES = 2_000_000
"""pyfitparsernative builds a dict per message (~3 kB for an ordinary record, ~650 bytes for
a 1-byte one: 650 MB per MB of input). Files with more messages (2 days at 1 Hz) or field
values are not given to it."""
MAX_SESSIONS = 1_000
"""More session messages than an activity has (multisport files: tens at most). Each one
becomes a segment (~40 µs), so without the limit 1 MB of tiny sessions would cost ~4 s."""


def decode_fit(
    data: bytes | bytearray | memoryview,
    *,
    decoder: DecoderChoice = "auto",
    salvage: bool = False,
) -> DecodedFile:
    """Decode a FIT file (possibly chained) into sessions of SI records.

    ``decoder="auto"`` runs the chain described in the module docstring; a library name
    runs only that library (for the benchmark and the differential tests).

    ``salvage=True``: an activity damaged part of the way through (truncated, a damaged
    tail, garbage after it) is decoded up to the damage (``_salvage``) and returned with
    ``DecodedFile.partial`` saying where and why (and a note on each session); the reason
    of the whole file is raised when nothing before the damage is an activity with records.

    Raises:
        FitDecodeError: the bytes are not a decodable FIT file; nothing else is raised for
            bad input.
    """
    data = bytes(data)
    try:
        return _decode(data, decoder)
    except FitDecodeError as error:
        if not salvage or error.kind not in _SALVAGEABLE:
            raise
        rescued = _salvage(data)
        if rescued is None:
            raise
        try:
            decoded = _decode(rescued.data, decoder)
        except FitDecodeError:
            raise error from None
        if not decoded.is_activity or not any(len(s.records) for s in decoded.sessions):
            raise error from None
        reason = (
            f"damaged from byte {rescued.damaged_at} of {len(data)}: decoded up to there ({error})"
        )
        note = f"Partial file: {reason}."
        sessions = tuple(replace(s, notes=(*s.notes, note)) for s in decoded.sessions)
        return replace(decoded, partial=reason, sessions=sessions)


_SALVAGEABLE = frozenset(
    {"truncated file", "unexpected end of data", "bad file CRC", "corrupt data", "corrupt header"}
)


def _decode(data: bytes, decoder: DecoderChoice) -> DecodedFile:
    framing = parse_framing(data)
    work = _work(data, framing)
    if work[0] > MAX_MESSAGES or work[1] > MAX_VALUES:
        raise FitDecodeError(
            f"corrupt data: more than {MAX_MESSAGES} messages or {MAX_VALUES} field values, "
            "more than an activity has"
        )
    if work[2] > MAX_EMPTY_VALUES:
        raise FitDecodeError(
            f"corrupt data: more than {MAX_EMPTY_VALUES} values of fields of size 0 "
            "(definitions must give every field a size)"
        )
    if decoder != "auto":
        raw, reason = ADAPTERS[decoder](data, framing), None
    else:
        heavy = work[0] > PYFITPARSERNATIVE_MAX_MESSAGES or work[1] > PYFITPARSERNATIVE_MAX_VALUES
        raw, reason = _decode_auto(data, framing, too_much_for_pyfitparsernative=heavy)
    if len(raw.sessions) > MAX_SESSIONS:
        raise FitDecodeError(
            f"corrupt data: {len(raw.sessions)} session messages, more than an activity has "
            f"(at most {MAX_SESSIONS} accepted)"
        )
    return build(raw, chained_files=len(framing), fallback_reason=reason)


def _decode_auto(
    data: bytes, framing: tuple[Sequence, ...], *, too_much_for_pyfitparsernative: bool
) -> tuple[RawFit, str | None]:
    reason = _fitfast_unsuitable(data, framing)
    if reason is None:
        try:
            raw = ADAPTERS["fitfast"](data, framing)
        except FitDecodeError as fitfast_error:
            if too_much_for_pyfitparsernative:
                raise
            try:
                raw = ADAPTERS["pyfitparsernative"](data, framing)
            except FitDecodeError:
                raise fitfast_error from None
            reason = f"fitfast rejected the file ({fitfast_error})"
    elif too_much_for_pyfitparsernative:
        raise FitDecodeError(
            f"corrupt data: more than {PYFITPARSERNATIVE_MAX_MESSAGES} messages or "
            f"{PYFITPARSERNATIVE_MAX_VALUES} field values, too many for pyfitparsernative, "
            f"the decoder this file needs ({reason})"
        )
    else:
        raw = ADAPTERS["pyfitparsernative"](data, framing)
    if _lacks_compressed_speed_distance(raw, data):
        too_costly = _too_costly_for_fitdecode(data, raw)
        if too_costly:
            skipped = (
                "compressed_speed_distance records left unexpanded (speed and distance "
                f"missing): {too_costly}"
            )
            return raw, skipped if reason is None else f"{reason}; {skipped}"
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


def _work(data: bytes, framing: tuple[Sequence, ...]) -> tuple[int, int, int]:
    """(messages, field values, empty ones), counted up to the global limits. A message
    takes at least a byte and lists at most 510 fields, so a small file needs no count."""
    if 510 * len(data) <= min(PYFITPARSERNATIVE_MAX_VALUES, MAX_EMPTY_VALUES):
        return 0, 0, 0
    return count_messages(data, framing, stop_after=(MAX_MESSAGES, MAX_VALUES, MAX_EMPTY_VALUES))


def _too_costly_for_fitdecode(data: bytes, raw: RawFit) -> str | None:
    if len(data) > FITDECODE_MAX_BYTES:
        return f"{len(data)} bytes, above the {FITDECODE_MAX_BYTES} given to fitdecode"
    size = raw.size if raw.size is not None else count(data)
    if size is None:
        return "fitfast cannot count its messages"
    messages, fields = size
    if messages > FITDECODE_MAX_MESSAGES:
        return f"{messages} messages, above the {FITDECODE_MAX_MESSAGES} given to fitdecode"
    if fields > FITDECODE_MAX_FIELDS:
        return f"{fields} fields, above the {FITDECODE_MAX_FIELDS} given to fitdecode"
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
