"""Fuzzing ``decode_fit``: FIT inputs built from seeds and mutations, decoded in a child process.

Shared by ``tests/core/test_fit_fuzz.py`` (hypothesis, in CI) and ``bench/fuzz_fit.py``
(long offline runs). Two halves:

- **Inputs.** A :class:`Case` names a seed file and a list of mutations, each with its own
  integer seed, so a case is a few numbers that rebuild the same bytes anywhere
  (:func:`build`). Seeds are real files (``tests/data/fit`` and ``tests/data/fit/fuzz``) and
  generated ones (``encode_activity`` + ``synthetic_run``). Mutations work on the message
  bytes of one chained part (bit flips, byte and integer overwrites, truncations,
  insertions, duplicated/deleted chunks, and structure-aware ones that parse the messages:
  definition fields, message headers, developer flags, whole messages duplicated, deleted,
  moved or spliced in from another seed, field values of data messages). The file is then
  framed again with correct header and file CRCs, so that the mutation reaches the
  decoders instead of stopping at the CRC check; file-level mutations (header size, data
  size, versions, chaining, raw flips without a new CRC, trailing bytes) come last.
- **Decoding.** :class:`DecodeWorker` decodes in a child process, one input at a time, and
  classifies each outcome: a ``DecodedFile``, our ``FitDecodeError``, a foreign exception
  (anything else, ``BaseException`` included: a PyO3 ``PanicException`` is one), a warning,
  a *timeout* (the child is killed: a hang inside native code holding the GIL is caught
  too, which no signal or thread in the same process could do), or a *crash* (the child
  died: segfault, abort, out of memory under the child's address-space limit).
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import multiprocessing.connection
import struct
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from random import Random
from typing import Any

from smartrunning.science.fit import FitDecodeError, decode_fit
from smartrunning.science.fit._header import crc16
from tests.core import fitgen
from tests.core.fitwriter import Segment, encode_activity, wrap_fit

FUZZ_DIR = fitgen.LOCAL_FIT_DIR / "fuzz"
"""Further real seed files (small, diverse) and regression inputs, see PROVENANCE.md."""
REGRESSION_DIR = FUZZ_DIR / "regressions"
"""Inputs the fuzzer once found a problem with; decoded again by every test run."""
ARTIFACTS = fitgen.REPO / "test-artifacts" / "fit-fuzz"

KINDS = frozenset({
    "empty file", "not a FIT file", "corrupt header", "truncated file", "bad file CRC",
    "unexpected end of data", "corrupt data",
})  # fmt: skip


def time_limit_s(size: int) -> float:
    """The CPU time one decode may take: 2 s plus 3 s per MB (normal: ~10 ms per 100 kB;
    the worst measured, a megabyte of 1-byte messages through pyfitparsernative: ~2.7 s)."""
    return 2.0 + 3.0 * size / 1_000_000


WALL_FACTOR = 5
"""Without an answer after this many times the limit in wall-clock time, the input hangs
(the factor keeps a busy shared machine from looking like a hang; CPU time is exact)."""


# --- seeds -----------------------------------------------------------------------------------


EXTRA_SEED_DIRS: list[Path] = []
"""More seed folders (the offline driver adds ``../shared/data/fit``); set before ``seeds()``."""
MAX_SEED_BYTES = 200_000


@cache
def seeds() -> dict[str, bytes]:
    """Every seed by name: real files, then generated ones (``gen:``); identical files once."""
    out: dict[str, bytes] = {}
    seen: set[bytes] = set()
    for folder in (fitgen.LOCAL_FIT_DIR, FUZZ_DIR, *EXTRA_SEED_DIRS):
        for path in fitgen.fit_files(folder):
            data = path.read_bytes()
            if len(data) <= MAX_SEED_BYTES and data not in seen:
                seen.add(data)
                out[path.name] = data
    out.update(generated_seeds())
    return out


def generated_seeds() -> dict[str, bytes]:
    """Files written by ``encode_activity``: the shapes the decoder chain routes differently."""
    run = fitgen.run(45, seed=31)
    hr = run.heart_rate_bpm
    return {
        "gen:run-45s": encode_activity([Segment(run)]),
        "gen:run-12-byte-header": wrap_fit(
            fitgen.data_section(encode_activity([Segment(run)])), header_size=12
        ),
        "gen:run-zero-header-crc": fitgen.with_zero_header_crc(encode_activity([Segment(run)])),
        "gen:multisport": encode_activity(
            [
                Segment(fitgen.leg(run, 0, 20), sport="running"),
                Segment(fitgen.leg(run, 20, 45, cadence=False), sport="cycling", sub_sport="road"),
            ]
        ),
        "gen:developer-heart_rate": encode_activity(
            [Segment(run, developer_fields={"heart_rate": hr})]
        ),
        "gen:no-sessions": encode_activity([Segment(run)], write_sessions=False),
    }


# --- framing and messages --------------------------------------------------------------------


def split(data: bytes) -> list[bytes]:
    """The message bytes of each chained part, leniently (a bad header ends the list)."""
    parts = []
    offset = 0
    while offset + 12 <= len(data) and data[offset] in (12, 14):
        size = data[offset]
        (data_size,) = struct.unpack_from("<I", data, offset + 4)
        parts.append(data[offset + size : offset + size + data_size])
        offset += size + data_size + 2
    return parts or [data]


def frame(section: bytes, header: str) -> bytes:
    """``section`` as a well-framed file: ``"14"``, ``"12"`` or ``"14-zero-crc"`` header."""
    if header == "12":
        return wrap_fit(section, header_size=12)
    return wrap_fit(section, zero_header_crc=header == "14-zero-crc")


@dataclass
class Message:
    """One message of a data section: where it is, and for a definition its layout."""

    start: int
    end: int
    definition: bool
    local: int
    global_num: int = -1
    fields: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Definition: (offset of the 3 definition bytes, number, size, base type) per field;
    data: (offset of the value, number, size, base type)."""
    data_size: int = 0
    """Definition: the size of its data messages, header byte excluded."""


def walk(section: bytes) -> list[Message]:
    """The messages of ``section`` up to the first one that cannot be parsed."""
    messages: list[Message] = []
    defs: dict[int, Message] = {}
    pos, n = 0, len(section)
    while pos < n:
        header = section[pos]
        compressed = bool(header & 0x80)
        local = (header >> 5) & 0x03 if compressed else header & 0x0F
        if not compressed and header & 0x40:
            if pos + 6 > n:
                break
            big = section[pos + 2] == 1
            (global_num,) = struct.unpack_from(">H" if big else "<H", section, pos + 3)
            end = pos + 6 + 3 * section[pos + 5]
            if end > n:
                break
            fields = [
                (p, section[p], section[p + 1], section[p + 2]) for p in range(pos + 6, end, 3)
            ]
            size = sum(f[2] for f in fields)
            if header & 0x20:
                if end >= n or end + 1 + 3 * section[end] > n:
                    break
                size += sum(section[end + 2 + 3 * i] for i in range(section[end]))
                end += 1 + 3 * section[end]
            message = Message(pos, end, True, local, global_num, fields, size)
            defs[local] = message
        else:
            if local not in defs:
                break
            d = defs[local]
            end = pos + 1 + d.data_size
            if end > n:
                break
            values, offset = [], pos + 1
            for _, num, size, base in d.fields:
                values.append((offset, num, size, base))
                offset += size
            message = Message(pos, end, False, local, d.global_num, values)
        messages.append(message)
        pos = end
    return messages


# --- mutations of one data section -------------------------------------------------------------

_INTERESTING_BYTES = (0x00, 0x01, 0x02, 0x07, 0x0F, 0x10, 0x20, 0x40, 0x7F, 0x80, 0x81, 0xFE, 0xFF)
_INTERESTING_INTS = (
    0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x0FFFFFFF,
    0x10000000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, 1_000_000_000,
)  # fmt: skip
_GLOBALS = (0, 18, 19, 20, 21, 23, 34, 49, 78, 132, 206, 207, 0xFFFF, 0xFF00)
"""file_id, session, lap, record, event, device_info, activity, file_creator, hrv, hr,
field_description, developer_data_id, invalid, manufacturer range."""
_SIZES = (0, 1, 2, 3, 4, 5, 7, 8, 16, 64, 255)
_BASE_TYPES = (
    0x00, 0x01, 0x02, 0x83, 0x84, 0x85, 0x86, 0x07, 0x88, 0x89, 0x0A, 0x8B, 0x8C, 0x0D,
    0x8E, 0x8F, 0x90, 0x05, 0x0E, 0x41, 0xFF,
)  # fmt: skip
"""Every FIT base type, plus a few that are none."""

SectionOp = Callable[[bytes, Random], bytes]


def _pos(data: bytes | bytearray, rng: Random) -> int:
    return rng.randrange(len(data)) if data else 0


def _messages(data: bytes, rng: Random, *, definition: bool | None = None) -> list[Message]:
    found = walk(data)
    return [m for m in found if definition is None or m.definition == definition]


def _bit_flips(data: bytes, rng: Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 8))):
        if out:
            out[_pos(out, rng)] ^= 1 << rng.randrange(8)
    return bytes(out)


def _byte_overwrites(data: bytes, rng: Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 8))):
        if out:
            value = rng.choice(_INTERESTING_BYTES) if rng.random() < 0.5 else rng.randrange(256)
            out[_pos(out, rng)] = value
    return bytes(out)


def _int_overwrite(data: bytes, rng: Random) -> bytes:
    size = rng.choice((1, 2, 4))
    value = rng.choice(_INTERESTING_INTS) & ((1 << (8 * size)) - 1)
    raw = value.to_bytes(size, rng.choice(("little", "big")))
    at = _pos(data, rng)
    return data[:at] + raw + data[at + size :]


def _truncate(data: bytes, rng: Random) -> bytes:
    messages = walk(data)
    if messages and rng.random() < 0.5:
        return data[: rng.choice(messages).end]  # at a message boundary
    return data[: _pos(data, rng)]


def _insert(data: bytes, rng: Random) -> bytes:
    blob = rng.randbytes(rng.choice((1, 2, 3, 8, 64)))
    at = _pos(data, rng)
    return data[:at] + blob + data[at:]


def _chunk(data: bytes, rng: Random) -> tuple[int, int]:
    a = _pos(data, rng)
    return a, min(len(data), a + rng.choice((1, 4, 16, 64, 256, 1024)))


def _duplicate_chunk(data: bytes, rng: Random) -> bytes:
    a, b = _chunk(data, rng)
    at = _pos(data, rng)
    return data[:at] + data[a:b] + data[at:]


def _delete_chunk(data: bytes, rng: Random) -> bytes:
    a, b = _chunk(data, rng)
    return data[:a] + data[b:]


def _definition_field(data: bytes, rng: Random) -> bytes:
    """Change one byte of a definition: architecture, message number, field count or a field."""
    definitions = _messages(data, rng, definition=True)
    if not definitions:
        return _byte_overwrites(data, rng)
    d = rng.choice(definitions)
    out = bytearray(data)
    what = rng.randrange(6)
    if what == 0:
        out[d.start + 2] = rng.choice((0, 1, 2, 0xFF))
    elif what == 1:
        out[d.start + 3 : d.start + 5] = struct.pack("<H", rng.choice(_GLOBALS))
    elif what == 2:
        out[d.start + 5] = rng.choice((0, 1, len(d.fields) - 1, len(d.fields) + 1, 255)) & 0xFF
    elif d.fields:
        offset = rng.choice(d.fields)[0]
        if what == 3:
            out[offset] = rng.randrange(256)  # field number
        elif what == 4:
            out[offset + 1] = rng.choice(_SIZES)
        else:
            out[offset + 2] = rng.choice(_BASE_TYPES)
    return bytes(out)


def _message_header(data: bytes, rng: Random) -> bytes:
    """Change a message's header byte: local number, definition/developer/compressed bits."""
    messages = walk(data)
    if not messages:
        return _byte_overwrites(data, rng)
    m = rng.choice(messages)
    out = bytearray(data)
    header = out[m.start]
    out[m.start] = rng.choice(
        (
            header ^ 0x20,  # developer data flag
            header ^ 0x40,  # definition / data
            header ^ 0x80,  # compressed timestamp header
            (header & 0xF0) | rng.randrange(16),  # local message number
            0x80 | rng.randrange(4) << 5 | rng.randrange(32),  # compressed, any offset
        )
    )
    return bytes(out)


def _developer_fields(data: bytes, rng: Random) -> bytes:
    """Give a definition developer fields (or change those it has)."""
    definitions = _messages(data, rng, definition=True)
    if not definitions:
        return _insert(data, rng)
    d = rng.choice(definitions)
    end_of_fields = d.start + 6 + 3 * len(d.fields)
    n_dev = rng.choice((1, 2, 255))
    dev = bytes([n_dev]) + b"".join(
        bytes([rng.randrange(4), rng.choice(_SIZES), rng.randrange(4)])
        for _ in range(min(n_dev, 3))
    )
    head = bytes([data[d.start] | 0x20])
    return data[: d.start] + head + data[d.start + 1 : end_of_fields] + dev + data[d.end :]


def _whole_messages(data: bytes, rng: Random) -> bytes:
    """Duplicate, delete, move or swap whole messages."""
    messages = walk(data)
    if len(messages) < 2:
        return _duplicate_chunk(data, rng)
    a, b = sorted(rng.sample(messages, 2), key=lambda m: m.start)
    one, two = data[a.start : a.end], data[b.start : b.end]
    what = rng.randrange(4)
    if what == 0:
        return data[: b.end] + one + data[b.end :]  # a again after b
    if what == 1:
        return data[: a.start] + data[a.end :]
    if what == 2:
        return data[: a.start] + data[a.end : b.end] + one + data[b.end :]  # a moved after b
    return data[: a.start] + two + data[a.end : b.start] + one + data[b.end :]


def _splice(data: bytes, rng: Random) -> bytes:
    """Messages of another seed inserted at a message boundary (definitions included)."""
    donor = split(seeds()[rng.choice(sorted(seeds()))])[0]
    theirs = walk(donor)
    if not theirs:
        return _insert(data, rng)
    i = rng.randrange(len(theirs))
    j = min(len(theirs), i + rng.choice((1, 2, 4, 16)))
    piece = donor[theirs[i].start : theirs[j - 1].end]
    ours = walk(data)
    at = rng.choice(ours).end if ours else 0
    return data[:at] + piece + data[at:]


def _field_value(data: bytes, rng: Random) -> bytes:
    """Set one field of a data message to an extreme value (times, enums, counts, sizes)."""
    values = [(m, f) for m in _messages(data, rng, definition=False) for f in m.fields if f[2]]
    if not values:
        return _int_overwrite(data, rng)
    _, (offset, _, size, _) = rng.choice(values)
    value = rng.choice(_INTERESTING_INTS) if rng.random() < 0.8 else rng.randrange(1 << 32)
    raw = (value & ((1 << (8 * min(size, 8))) - 1)).to_bytes(min(size, 8), "little")
    return data[:offset] + raw + data[offset + len(raw) :]


SECTION_OPS: dict[str, SectionOp] = {
    "bit-flips": _bit_flips,
    "byte-overwrites": _byte_overwrites,
    "int-overwrite": _int_overwrite,
    "truncate": _truncate,
    "insert": _insert,
    "duplicate-chunk": _duplicate_chunk,
    "delete-chunk": _delete_chunk,
    "definition-field": _definition_field,
    "message-header": _message_header,
    "developer-fields": _developer_fields,
    "whole-messages": _whole_messages,
    "splice": _splice,
    "field-value": _field_value,
}


# --- mutations of the framed file --------------------------------------------------------------


def _refresh_crcs(data: bytearray) -> bytes:
    """Header CRC (14-byte header) and file CRC recomputed for the sizes the header now says."""
    size = data[0]
    if size == 14 and len(data) >= 14:
        data[12:14] = struct.pack("<H", crc16(bytes(data[:12])))
    if len(data) >= 12:
        (data_size,) = struct.unpack_from("<I", data, 4)
        body = bytes(data[: size + data_size])
        return body + struct.pack("<H", crc16(body)) + bytes(data[size + data_size + 2 :])
    return bytes(data)


def _header_size(data: bytes, rng: Random) -> bytes:
    out = bytearray(data)
    out[0] = rng.choice((0, 1, 11, 12, 13, 14, 15, 16, 255))
    return _refresh_crcs(out) if rng.random() < 0.5 else bytes(out)


def _data_size(data: bytes, rng: Random) -> bytes:
    out = bytearray(data)
    (size,) = struct.unpack_from("<I", out, 4)
    size = rng.choice((0, 1, size - 1, size + 1, size - 2, size + 2, size // 2, 0xFFFFFFFF))
    out[4:8] = struct.pack("<I", max(0, min(size, 0xFFFFFFFF)))
    return _refresh_crcs(out) if rng.random() < 0.75 else bytes(out)


def _versions(data: bytes, rng: Random) -> bytes:
    out = bytearray(data)
    out[1] = rng.choice((0x10, 0x20, 0x21, 0x30, 0xFF, rng.randrange(256)))
    out[2:4] = struct.pack("<H", rng.choice((0, 100, 2093, 21218, 0xFFFF)))
    return _refresh_crcs(out)


def _chain(data: bytes, rng: Random) -> bytes:
    other = seeds()[rng.choice(sorted(seeds()))]
    return data + other if rng.random() < 0.7 else other + data


def _raw_flips(data: bytes, rng: Random) -> bytes:
    return _bit_flips(data, rng)  # no new CRC: the checks before the decoders must say why


def _trailing(data: bytes, rng: Random) -> bytes:
    return data + rng.choice((b"\x00", b"\x00\x00", b"\x0e", rng.randbytes(rng.randrange(1, 40))))


FILE_OPS: dict[str, SectionOp] = {
    "header-size": _header_size,
    "data-size": _data_size,
    "versions": _versions,
    "chain": _chain,
    "raw-flips": _raw_flips,
    "trailing": _trailing,
}
HEADERS = ("14", "12", "14-zero-crc", "as-seed")


@dataclass(frozen=True)
class Case:
    """A seed, mutations of one chained part's messages, a header, then file mutations."""

    seed: str
    section_ops: tuple[tuple[str, int], ...] = ()
    header: str = "as-seed"
    file_ops: tuple[tuple[str, int], ...] = ()


def build(case: Case) -> bytes:
    """The bytes of ``case`` (deterministic: each mutation draws from its own seed)."""
    original = seeds()[case.seed]
    parts = split(original)
    if case.section_ops:
        for name, op_seed in case.section_ops:
            rng = Random(op_seed)
            i = rng.randrange(len(parts))
            parts[i] = SECTION_OPS[name](parts[i], rng)
        data = b"".join(
            frame(p, _header_of(original) if case.header == "as-seed" else case.header)
            for p in parts
        )
    else:
        data = (
            original if case.header == "as-seed" else b"".join(frame(p, case.header) for p in parts)
        )
    for name, op_seed in case.file_ops:
        if len(data) >= 12:
            data = FILE_OPS[name](data, Random(op_seed))
    return data


def _header_of(data: bytes) -> str:
    if data[:1] == b"\x0c":
        return "12"
    return "14-zero-crc" if data[12:14] == b"\x00\x00" else "14"


def random_case(rng: Random) -> Case:
    """A case drawn with ``rng`` (the offline driver; hypothesis draws its own)."""
    section_ops = tuple(
        (rng.choice(sorted(SECTION_OPS)), rng.randrange(1 << 32))
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3, 5)))
    )
    file_ops = tuple(
        (rng.choice(sorted(FILE_OPS)), rng.randrange(1 << 32))
        for _ in range(rng.choice((0, 0, 0, 0, 1, 2)))
    )
    return Case(rng.choice(sorted(seeds())), section_ops, rng.choice(HEADERS), file_ops)


def random_messages(rng: Random) -> bytes:
    """A data section of random but well-formed definitions and data messages."""
    out = bytearray()
    sizes: dict[int, int] = {}
    for _ in range(rng.randrange(1, 24)):
        if not sizes or rng.random() < 0.35:
            local = rng.randrange(16)
            fields = [
                (rng.randrange(256), rng.choice(_SIZES[:9]), rng.choice(_BASE_TYPES))
                for _ in range(rng.randrange(0, 8))
            ]
            out += bytes([0x40 | local, 0, rng.choice((0, 0, 1))])
            out += struct.pack("<H", rng.choice(_GLOBALS)) + bytes([len(fields)])
            out += b"".join(bytes(f) for f in fields)
            sizes[local] = sum(f[1] for f in fields)
        else:
            local = rng.choice(sorted(sizes))
            compressed = local < 4 and rng.random() < 0.2
            out.append(0x80 | local << 5 | rng.randrange(32) if compressed else local)
            out += rng.randbytes(sizes[local])
    return bytes(out)


def _definition(local: int, global_num: int, fields: list[tuple[int, int, int]]) -> bytes:
    head = bytes([0x40 | local, 0, 0]) + struct.pack("<H", global_num) + bytes([len(fields)])
    return head + b"".join(bytes(f) for f in fields)


def _tiny(local: int, n: int, payload: bytes = b"") -> bytes:
    """``n`` data messages with compressed timestamp headers (1 byte + ``payload``)."""
    return b"".join(bytes([0x80 | local << 5 | i % 32]) + payload for i in range(n))


def floods(size: int) -> dict[str, bytes]:
    """Well-formed activities of about ``size`` bytes made of as many messages as fit: the
    inputs that cost the most per byte (per-message and per-field work in Python)."""
    head = _definition(0, 0, [(0, 1, 0x00)]) + b"\x00\x04"  # file_id: an activity
    head += _definition(1, 20, [(253, 4, 0x86)]) + b"\x01" + struct.pack("<I", 1_000_000_000)
    csd = _definition(2, 20, [(8, 3, 0x0D)])  # compressed_speed_distance: fitdecode's case
    n = size - 64
    bodies = {
        "1-byte records": csd + _definition(3, 20, []) + _tiny(3, n),
        "records of 160 fields": csd
        + _definition(3, 20, [(i, 1, 0x02) for i in range(90, 250)])
        + b"".join(bytes([3]) + bytes(160) for _ in range(n // 161)),
        "3-byte compressed_speed_distance records": csd + _tiny(2, n // 4, b"\x10\x20\x30"),
        "1-byte unknown messages": _definition(3, 0xFF00, []) + _tiny(3, n),
        "1-byte records of 254 fields of size 0": _definition(
            3, 20, [(i, 0, 0x02) for i in range(255) if i != 253]
        )
        + _tiny(3, n),
        "timer events": _definition(3, 21, [(0, 1, 0x00), (1, 1, 0x00)])
        + b"".join(_tiny(3, 1, bytes([0, i % 2 * 4])) for i in range(n // 3)),
        "laps": _definition(3, 19, [(2, 4, 0x86), (7, 4, 0x86)]) + _tiny(3, n // 9, bytes(8)),
        "sessions": _definition(3, 18, [(2, 4, 0x86), (7, 4, 0x86)]) + _tiny(3, n // 9, bytes(8)),
        "definitions": b"".join(
            _definition(i % 16, 20, [(253, 4, 0x86)] * 80) for i in range(n // 246)
        ),
    }
    out = {}
    for name, body in bodies.items():
        out[name] = wrap_fit(head + body)
        out[f"{name}, header CRC 0 (pyfitparsernative)"] = wrap_fit(
            head + body, zero_header_crc=True
        )
    one = wrap_fit(head)
    out["chained tiny files"] = one * (size // len(one))
    return out


# --- decoding in a child process -------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What decoding one input did; ``status`` is ``decoded``, ``error`` (ours, with its
    kind), ``foreign`` (another exception), ``warning``, ``slow`` (an answer, but more CPU
    time than the limit), ``timeout`` (no answer: killed) or ``crash``."""

    status: str
    detail: str
    seconds: float
    """CPU seconds the child spent on the input (wall-clock seconds for a timeout)."""
    decoder: str | None = None

    @property
    def acceptable(self) -> bool:
        return self.status == "decoded" or (self.status == "error" and self.detail in KINDS)


def decode_outcome(data: bytes) -> tuple[str, str, str | None]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            decoded = decode_fit(data)
        except FitDecodeError as error:
            result: tuple[str, str, str | None] = ("error", error.kind, None)
            if error.kind not in KINDS:
                result = ("error", f"{error.kind} ({error})", None)
        except BaseException as exc:  # classifying is the point: PanicException included
            if isinstance(exc, KeyboardInterrupt):
                raise
            tb = "".join(traceback.format_exception(exc)[-6:])
            return ("foreign", f"{type(exc).__module__}.{type(exc).__qualname__}: {tb}", None)
        else:
            for session in decoded.sessions:
                assert len(session.records.elapsed_s) == len(session.records)
            result = ("decoded", decoded.file_type, decoded.decoder)
    if caught:
        w = caught[0]
        return ("warning", f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})", None)
    return result


Decode = Callable[[bytes], tuple[str, str, str | None]]


def _serve(
    conn: multiprocessing.connection.Connection, decode: Decode, memory_limit_mb: int | None
) -> None:
    if memory_limit_mb:
        import resource

        limit = memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if decode is decode_outcome:
        decode(fitgen.run_file(60, seed=1))  # warm up: imports and first calls are not timed
    conn.send("ready")
    while True:
        message = conn.recv_bytes()
        if message == b"stop":
            return
        start = time.process_time()
        status, detail, decoder = decode(message[1:])
        conn.send((status, detail, time.process_time() - start, decoder))


class DecodeWorker:
    """``decode_fit`` in a child process with a time limit per input (``time_limit_s``).

    The child is started with ``spawn`` (no state inherited from the test process) and
    serves inputs over a pipe; it is killed and restarted after a timeout or a crash.
    ``memory_limit_mb`` caps the child's address space, so runaway allocations surface as
    ``MemoryError`` (foreign) or as a crash rather than swapping the machine. ``decode``
    replaces :func:`decode_outcome` (a module-level function: the harness's own tests).
    """

    def __init__(self, *, memory_limit_mb: int | None = 2048, decode: Decode | None = None) -> None:
        self.memory_limit_mb = memory_limit_mb
        self.decode_function = decode or decode_outcome
        self.process: Any = None
        self.conn: multiprocessing.connection.Connection | None = None
        self.exit_codes: list[int | None] = []

    def _start(self) -> None:
        context = mp.get_context("spawn")
        parent, child = context.Pipe()
        self.process = context.Process(
            target=_serve,
            args=(child, self.decode_function, self.memory_limit_mb),
            name="fit-fuzz-decoder",
            daemon=True,
        )
        self.process.start()
        child.close()
        if not parent.poll(120) or parent.recv() != "ready":
            raise RuntimeError("the fuzz decoder process did not start")
        self.conn = parent

    def decode(self, data: bytes, limit_s: float | None = None) -> Outcome:
        if self.conn is None:
            self._start()
        assert self.conn is not None
        limit = time_limit_s(len(data)) if limit_s is None else limit_s
        start = time.perf_counter()
        self.conn.send_bytes(b"D" + data)
        try:
            if self.conn.poll(limit * WALL_FACTOR):
                status, detail, seconds, decoder = self.conn.recv()
                if seconds > limit:
                    detail = f"{seconds:.2f} s of CPU, above the limit of {limit:.2f} s ({detail})"
                    return Outcome("slow", detail, seconds, decoder)
                return Outcome(status, detail, seconds, decoder)
        except (EOFError, ConnectionError):
            self.process.join(5)
            code = self.process.exitcode
            self._forget()
            return Outcome("crash", f"the decoder process died (exit code {code})", 0.0)
        self.process.kill()
        self.process.join(5)
        self._forget()
        waited = time.perf_counter() - start
        return Outcome("timeout", f"no result after {waited:.1f} s (limit {limit:.2f} s)", waited)

    def _forget(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn = None
        self.process = None

    def close(self) -> int | None:
        """Stop the child; its exit code (0: it ended normally after every input)."""
        if self.conn is None:
            return 0
        self.conn.send_bytes(b"stop")
        self.process.join(30)
        code: int | None = self.process.exitcode
        if code is None:
            self.process.kill()
            self.process.join(5)
        self._forget()
        return code

    def __enter__(self) -> DecodeWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def save(data: bytes, outcome: Outcome, label: str) -> Path:
    """Keep an offending input under ``test-artifacts/fit-fuzz`` with what happened."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = ARTIFACTS / f"{outcome.status}-{digest}.fit"
    path.write_bytes(data)
    path.with_suffix(".txt").write_text(f"{label}\n{outcome.status}: {outcome.detail}\n")
    return path


def describe(data: bytes, outcome: Outcome, label: str) -> str:
    """A failure message: what happened, where the input was saved, its first bytes in hex."""
    path = save(data, outcome, label)
    head = data[:256].hex(" ")
    return (
        f"{outcome.status}: {outcome.detail}\ninput: {label}, {len(data)} bytes, saved to "
        f"{path}\nfirst bytes: {head}"
    )


def misbehave(data: bytes) -> tuple[str, str, str | None]:
    """A stand-in decoder for the harness's own test: hangs in C holding the GIL, or aborts."""
    if data == b"hang":
        import re

        # Catastrophic backtracking: the regex engine runs in C and never lets signal
        # handlers run, like a hang inside a Rust decoder.
        re.match(r"(a+)+$", "a" * 64 + "b")
    if data == b"abort":
        import os

        os.abort()
    return ("decoded", "test", None)
