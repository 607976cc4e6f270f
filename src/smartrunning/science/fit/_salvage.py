"""The readable part of a damaged FIT file: every message up to the damage, re-framed.

A device that loses power, a copy cut short or a few bytes overwritten at the end leave a
file whose messages are valid up to some point and whose CRC (or length) no longer
matches. The protocol has no way to tell where damage starts inside a sequence, so the
rule is structural: messages are walked from the start (Garmin, *FIT Protocol*, "Record
Header", "Definition Message") and the walk stops at the first message that cannot be
one: a data message of a local type never defined, a definition with an architecture
other than 0/1, a field of size 0 or of an unknown base type, or a message running past
the bytes there are. What comes before that point is framed again as a FIT file with its
CRC recomputed and decoded as usual.

Only damage the walk can see is salvaged: a sequence whose messages all make sense but
whose CRC does not match holds damage that cannot be located, and is not taken (nor is
anything after it). Sequences before the damaged one are kept whole when their own CRC
matches.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from smartrunning.science.fit._header import crc16

__all__ = ["Salvaged", "salvage"]

_SIGNATURE = b".FIT"
_MAX_BASE_TYPE = 0x10  # FIT base types 0x00 … 0x10 (enum … uint64z), by their number


@dataclass(frozen=True, slots=True)
class Salvaged:
    """A re-framed file of the readable messages, and where the damage starts."""

    data: bytes
    damaged_at: int
    """Byte offset in the original file where the first unreadable message begins."""


def salvage(data: bytes) -> Salvaged | None:
    """The readable messages of ``data`` as a new FIT file, or ``None`` when there is no
    damage the walk can locate (module docstring) or nothing readable before it."""
    out = bytearray()
    offset = 0
    while offset + 12 <= len(data):
        header_size = data[offset]
        if header_size not in (12, 14) or data[offset + 8 : offset + 12] != _SIGNATURE:
            break  # trailing bytes that are not a FIT header: the damage starts here
        (data_size,) = struct.unpack_from("<I", data, offset + 4)
        start = offset + header_size
        announced_end = start + data_size
        readable_end = _walk(data, start, min(announced_end, len(data)))
        complete = readable_end == announced_end and announced_end + 2 <= len(data)
        if complete:
            (stored,) = struct.unpack_from("<H", data, announced_end)
            if crc16(data[offset:announced_end]) != stored:
                return None  # damage somewhere inside that cannot be located
            out += _framed(data, offset, start, announced_end)
            offset = announced_end + 2
            continue
        if readable_end > start:
            out += _framed(data, offset, start, readable_end)
        return Salvaged(bytes(out), readable_end) if out else None
    if offset >= len(data):
        return None  # nothing damaged that the walk can see
    return Salvaged(bytes(out), offset) if out else None


def _framed(data: bytes, offset: int, start: int, end: int) -> bytes:
    header = bytearray(data[offset : offset + 12])
    header[0] = 12
    header[4:8] = struct.pack("<I", end - start)
    body = bytes(header) + data[start:end]
    return body + struct.pack("<H", crc16(body))


def _walk(data: bytes, pos: int, end: int) -> int:
    """The end of the last message that makes sense, walking from ``pos`` to ``end``."""
    sizes = [0] * 16
    good = pos
    while pos < end:
        header = data[pos]
        if header & 0x80:  # compressed timestamp header: local types 0-3
            local = (header >> 5) & 0x03
        elif header & 0x40:  # definition message
            local = header & 0x0F
            size = _definition(data, pos, end, developer=bool(header & 0x20))
            if size is None:
                return good
            pos += size[0]
            sizes[local] = size[1]
            good = pos
            continue
        else:
            local = header & 0x0F
        if not sizes[local] or pos + sizes[local] > end:
            return good
        pos += sizes[local]
        good = pos
    return good


def _definition(data: bytes, pos: int, end: int, *, developer: bool) -> tuple[int, int] | None:
    """(definition length, data message length) of a sensible definition, else ``None``."""
    if pos + 6 > end or data[pos + 2] not in (0, 1):
        return None
    n_fields = data[pos + 5]
    fields_end = pos + 6 + 3 * n_fields
    if fields_end > end:
        return None
    message_size = 1
    for k in range(n_fields):
        size, base = data[pos + 7 + 3 * k], data[pos + 8 + 3 * k]
        if size == 0 or (base & 0x1F) > _MAX_BASE_TYPE:
            return None
        message_size += size
    if developer:
        if fields_end + 1 > end:
            return None
        n_dev = data[fields_end]
        dev_end = fields_end + 1 + 3 * n_dev
        if dev_end > end:
            return None
        for k in range(n_dev):
            size = data[fields_end + 2 + 3 * k]
            if size == 0:
                return None
            message_size += size
        fields_end = dev_end
    return fields_end - pos, message_size
