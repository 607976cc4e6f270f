"""FIT file framing in pure Python: headers, chained files, CRC-16, the first ``file_id``.

A FIT file is one or more *sequences* (chained FIT files), each a 12- or 14-byte header,
``data_size`` bytes of messages and a 2-byte CRC over header and data (Garmin, *FIT
Protocol*, "File Header" and "CRC"). Checking the framing here, before any decoder runs,
gives every library the same clear reasons for bad bytes (empty, not FIT, corrupt header,
truncated) and tells the decoder chain what it needs to know cheaply: how many sequences,
whether a 14-byte header carries CRC 0x0000, and the ``file_id`` of each sequence (the
first message of every FIT file, by the protocol), without decoding the whole file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from smartrunning.science.fit.errors import FitDecodeError

__all__ = [
    "FIT_EPOCH_S",
    "RELATIVE_TIME_LIMIT_S",
    "FileId",
    "Sequence",
    "count_messages",
    "crc16",
    "parse_framing",
    "summary_stream",
]

FIT_EPOCH_S = 631_065_600
"""1989-12-31T00:00:00Z as Unix seconds: FIT ``date_time`` 0."""
RELATIVE_TIME_LIMIT_S = FIT_EPOCH_S + 0x10000000
"""As Unix seconds: FIT times below 0x10000000 count from device power-on, not dates."""
_SIGNATURE = b".FIT"
_FILE_ID_MESG_NUM = 0


def _crc_table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT CRC-16 of ``data``: CRC-16/ARC (polynomial 0x8005 reflected, initial 0), the
    CRC the protocol specifies, computed a byte at a time from a 256-entry table (the
    protocol's sample code goes a nibble at a time; the result is the same). Pure Python,
    ~0.1 µs a byte: fine for headers, summaries and test files, slow on megabytes."""
    table = _CRC_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@dataclass(frozen=True, slots=True)
class FileId:
    """The raw ``file_id`` fields of one sequence; ``None`` where the field is absent/invalid."""

    type: int | None
    manufacturer: int | None
    product: int | None
    serial_number: int | None


@dataclass(frozen=True, slots=True)
class Sequence:
    """One FIT file inside the bytes: where it is and what its header says."""

    offset: int
    header_size: int
    data_size: int
    header_crc_zero: bool
    file_id: FileId | None


def parse_framing(data: bytes) -> tuple[Sequence, ...]:
    """Check the framing of ``data`` and return its sequences (chained FIT files), in order.

    Raises :class:`FitDecodeError` with a human reason for empty input, bytes that are not
    FIT, a corrupt header (size, signature, header CRC), and a truncated file. The file CRC
    is left to the decoder (it needs a pass over every byte).
    """
    if not data:
        raise FitDecodeError("empty file")
    sequences: list[Sequence] = []
    offset = 0
    while offset < len(data):
        sequences.append(_parse_header(data, offset, index=len(sequences) + 1))
        seq = sequences[-1]
        offset += seq.header_size + seq.data_size + 2
    return tuple(sequences)


def _parse_header(data: bytes, offset: int, *, index: int) -> Sequence:
    where = "" if index == 1 else f" (chained FIT file #{index} at byte {offset})"
    rest = len(data) - offset
    if rest < 12 or data[offset + 8 : offset + 12] != _SIGNATURE:
        if index == 1:
            if rest >= 12 and data[offset] in (12, 14):
                raise FitDecodeError("corrupt header: the '.FIT' signature is missing")
            raise FitDecodeError("not a FIT file: no FIT header (12 or 14 bytes ending in '.FIT')")
        raise FitDecodeError(
            f"corrupt header{where}: {rest} trailing bytes after FIT file #{index - 1} "
            "are not a FIT header"
        )
    header_size = data[offset]
    if header_size not in (12, 14) or rest < header_size:
        raise FitDecodeError(f"corrupt header{where}: header size {header_size}, expected 12 or 14")
    (data_size,) = struct.unpack_from("<I", data, offset + 4)
    header_crc_zero = False
    if header_size == 14:
        (stored,) = struct.unpack_from("<H", data, offset + 12)
        header_crc_zero = stored == 0
        if not header_crc_zero and stored != crc16(data[offset : offset + 12]):
            raise FitDecodeError(f"corrupt header{where}: header CRC mismatch")
    if data_size == 0:
        raise FitDecodeError(
            f"corrupt header{where}: data size 0 (the device did not finish writing the file)"
        )
    needed = header_size + data_size + 2
    if rest < needed:
        raise FitDecodeError(
            f"truncated file{where}: the header announces {needed} bytes, only {rest} are present"
        )
    return Sequence(
        offset=offset,
        header_size=header_size,
        data_size=data_size,
        header_crc_zero=header_crc_zero,
        file_id=_peek_file_id(data, offset + header_size, offset + header_size + data_size),
    )


def count_messages(
    data: bytes, framing: tuple[Sequence, ...], *, stop_after: tuple[int, int, int]
) -> tuple[int, int, int]:
    """(messages, field values, empty field values) in the sequences, counted until one
    passes its ``stop_after`` limit. Field values: every field (developer fields included)
    of every data message, as its definition lists them: what a decoder materialises, so
    what its time and memory grow with. Empty ones are those of fields of size 0, which
    the protocol does not allow (garmin-fit-sdk and fitdecode reject them) but the Rust
    decoders accept: with them a 1-byte message can stand for 255 values.

    A walk over message headers and definitions only (data messages are skipped by the
    size their definition gives): ~0.1 µs per message. Where the messages stop making
    sense (a data message of an undefined local type, a definition cut short) the count
    ends; saying why is left to the decoder.
    """
    max_messages, max_values, max_empty = stop_after
    messages = values = empty_values = 0
    for seq in framing:
        pos = seq.offset + seq.header_size
        end = pos + seq.data_size
        sizes = [0] * 16  # data message size (header byte included) per local type
        fields = [0] * 16  # field count per local type
        empty = [0] * 16  # fields of size 0 per local type
        try:
            while pos < end:
                header = data[pos]
                if header & 0x80:  # compressed timestamp header: local types 0-3
                    local = (header >> 5) & 0x03
                elif header & 0x40:  # definition message
                    local = header & 0x0F
                    n_fields = data[pos + 5]
                    fields_end = pos + 6 + 3 * n_fields
                    field_sizes = data[pos + 7 : fields_end : 3]
                    if header & 0x20:  # developer fields
                        n_dev = data[fields_end]
                        dev_end = fields_end + 1 + 3 * n_dev
                        field_sizes += data[fields_end + 2 : dev_end : 3]
                        n_fields += n_dev
                        fields_end = dev_end
                    if fields_end > end:
                        break
                    sizes[local], fields[local] = 1 + sum(field_sizes), n_fields
                    empty[local] = field_sizes.count(0)
                    pos = fields_end
                    messages += 1
                    continue
                else:
                    local = header & 0x0F
                if not sizes[local]:  # a data message of a local type never defined
                    break
                pos += sizes[local]
                messages += 1
                values += fields[local]
                empty_values += empty[local]
                if messages > max_messages or values > max_values or empty_values > max_empty:
                    return messages, values, empty_values
        except IndexError:
            pass
    return messages, values, empty_values


def summary_stream(
    data: bytes,
    framing: tuple[Sequence, ...],
    keep: frozenset[int],
    defined: set[int] | None = None,
) -> bytes | None:
    """The same FIT file with only the data messages of the global numbers in ``keep``
    (and their definitions): a few kilobytes in place of an activity's thousands of
    records, so that a decoder asked for sessions, laps and events need not read every
    record again. Each sequence keeps its place; headers become 12-byte ones (no header
    CRC) and every sequence gets its CRC recomputed. ``defined``, when given, collects the
    global number of every message defined on the way (which kinds the file holds).

    ``None`` where that would not be the same file for the kept messages: a kept message
    with a compressed timestamp header (its time counts from the messages dropped before
    it), or messages that stop making sense (a data message of an undefined local type, a
    message cut short). The caller then reads the whole file, whose decoder says why.
    """
    out = bytearray()
    for seq in framing:
        body = _kept_messages(data, seq, keep, defined)
        if body is None:
            return None
        header = bytearray(data[seq.offset : seq.offset + 12])
        header[0] = 12
        header[4:8] = struct.pack("<I", len(body))
        chunk = bytes(header) + body
        out += chunk + struct.pack("<H", crc16(chunk))
    return bytes(out)


def _kept_messages(
    data: bytes, seq: Sequence, keep: frozenset[int], defined: set[int] | None
) -> bytes | None:
    pos = seq.offset + seq.header_size
    end = pos + seq.data_size
    sizes = [0] * 16  # data message size (header byte included) per local type
    kept = [False] * 16  # whether the local type is now a kept global message
    out = bytearray()
    try:
        while pos < end:
            header = data[pos]
            if header & 0x80:  # compressed timestamp header: local types 0-3
                local = (header >> 5) & 0x03
                if kept[local]:
                    return None
            elif header & 0x40:  # definition message
                local = header & 0x0F
                order = ">H" if data[pos + 2] == 1 else "<H"
                (number,) = struct.unpack_from(order, data, pos + 3)
                fields_end = pos + 6 + 3 * data[pos + 5]
                field_sizes = data[pos + 7 : fields_end : 3]
                if header & 0x20:  # developer fields
                    dev_end = fields_end + 1 + 3 * data[fields_end]
                    field_sizes += data[fields_end + 2 : dev_end : 3]
                    fields_end = dev_end
                if fields_end > end:
                    return None
                sizes[local], kept[local] = 1 + sum(field_sizes), number in keep
                if defined is not None:
                    defined.add(number)
                if kept[local]:
                    out += data[pos:fields_end]
                pos = fields_end
                continue
            else:
                local = header & 0x0F
            size = sizes[local]
            if not size or pos + size > end:
                return None
            if kept[local]:
                out += data[pos : pos + size]
            pos += size
    except (IndexError, struct.error):
        return None
    return bytes(out)


def _peek_file_id(data: bytes, start: int, end: int) -> FileId | None:
    """Decode the first message if it is a plain ``file_id`` definition + data, else ``None``.

    Anything unusual (compressed header, another message first, a second definition before
    the data) returns ``None`` and the caller asks a full decoder instead.
    """
    data = data[:end]
    try:
        header = data[start]
        if header & 0xC0 != 0x40:  # must be a normal-header definition message
            return None
        local = header & 0x0F
        has_dev = bool(header & 0x20)
        big_endian = data[start + 2] == 1
        (mesg_num,) = struct.unpack_from(">H" if big_endian else "<H", data, start + 3)
        if mesg_num != _FILE_ID_MESG_NUM:
            return None
        n_fields = data[start + 5]
        pos = start + 6
        fields = [(data[pos + 3 * i], data[pos + 3 * i + 1]) for i in range(n_fields)]
        pos += 3 * n_fields
        dev_size = 0
        if has_dev:
            n_dev = data[pos]
            dev_size = sum(data[pos + 1 + 3 * i + 1] for i in range(n_dev))
            pos += 1 + 3 * n_dev
        if data[pos] != local:  # the data message must follow at once, same local number
            return None
        pos += 1
        values: dict[int, bytes] = {}
        for num, size in fields:
            values[num] = data[pos : pos + size]
            pos += size
        if pos + dev_size > end:
            return None
    except (IndexError, struct.error):  # the data section ends inside the first message
        return None
    order = ">" if big_endian else "<"
    return FileId(
        type=_uint(values.get(0), 1, order, invalid=0xFF),
        manufacturer=_uint(values.get(1), 2, order, invalid=0xFFFF),
        product=_uint(values.get(2), 2, order, invalid=0xFFFF),
        serial_number=_uint(values.get(3), 4, order, invalid=0),
    )


def _uint(raw: bytes | None, size: int, order: str, *, invalid: int) -> int | None:
    if raw is None or len(raw) != size:
        return None
    value: int = struct.unpack(order + {1: "B", 2: "H", 4: "I"}[size], raw)[0]
    return None if value == invalid else value
