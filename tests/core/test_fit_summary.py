"""The FIT file without its records (``summary_stream``) that fitfast reads sessions, laps,
sports, activities and events from, and the CRC-16 it is framed with.

The summary must read exactly as the whole file for those messages: checked on every real
file we have, on generated ones, and on random well-formed message sections (hypothesis).
"""

from __future__ import annotations

import struct
from pathlib import Path
from random import Random

import fitfast
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.fit import FitDecodeError
from smartrunning.science.fit._adapters import _SUMMARY_MESSAGES
from smartrunning.science.fit._header import FileId, crc16, parse_framing, summary_stream
from tests.core import fitfuzz, fitgen
from tests.core.fitwriter import Segment, encode_activity, wrap_fit

KINDS = ("file_id", "session", "lap", "sport", "activity", "event")
REAL = fitgen.fit_files(fitgen.LOCAL_FIT_DIR) + (
    fitgen.fit_files(fitgen.SHARED_FIT_DIR) if fitgen.SHARED_FIT_DIR.is_dir() else []
)


def _nibble_crc16(data: bytes) -> int:
    """The CRC as the FIT protocol's sample code computes it, a nibble at a time."""
    table = (
        0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
        0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
    )  # fmt: skip
    crc = 0
    for byte in data:
        tmp = table[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[byte & 0xF]
        tmp = table[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ table[(byte >> 4) & 0xF]
    return crc


def test_crc16_is_crc16_arc() -> None:
    # The catalogue's check value of CRC-16/ARC: the CRC of the nine ASCII digits.
    assert crc16(b"123456789") == 0xBB3D
    assert crc16(b"") == 0


@given(st.binary(max_size=300), st.binary(max_size=300))
def test_crc16_is_the_protocols_and_can_be_continued(head: bytes, tail: bytes) -> None:
    assert crc16(head + tail) == _nibble_crc16(head + tail) == crc16(tail, crc16(head))


def _read(data: bytes) -> dict[str, dict[str, np.ndarray]] | None:
    try:
        return {kind: fitfast.records(data, kind) for kind in KINDS}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # its error, or a PyO3 panic on odd bytes
        return None


def _assert_reads_alike(whole: dict[str, dict[str, np.ndarray]], summary: bytes) -> None:
    got = _read(summary)
    assert got is not None, "fitfast cannot read the summary of a file it reads"
    for kind in KINDS:
        assert got[kind].keys() == whole[kind].keys(), kind
        for field, values in whole[kind].items():
            np.testing.assert_array_equal(got[kind][field], values, err_msg=f"{kind}.{field}")


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_the_summary_of_a_real_file_reads_as_the_whole_file(path: Path) -> None:
    data = path.read_bytes()
    whole = _read(data)
    try:
        framing = parse_framing(data)
    except FitDecodeError:  # the framing rejects it: no summary to check
        return
    summary = summary_stream(data, framing, _SUMMARY_MESSAGES)
    if whole is None or summary is None:
        return  # read whole (the decoder says why), as the adapter does
    _assert_reads_alike(whole, summary)


def test_most_real_activities_get_a_summary() -> None:
    """The fast path is the common one: a summary for every real activity file fitfast
    reads and none of whose lap, session or event messages has a compressed timestamp."""
    summaries = []
    for path in REAL:
        data = path.read_bytes()
        if _read(data) is None or not any(f.type == 4 for f in _file_ids(data)):
            continue
        summaries.append(summary_stream(data, parse_framing(data), _SUMMARY_MESSAGES))
    assert len(summaries) >= 5
    assert sum(s is not None for s in summaries) >= 0.8 * len(summaries)


def _file_ids(data: bytes) -> list[FileId]:
    try:
        return [s.file_id for s in parse_framing(data) if s.file_id is not None]
    except FitDecodeError:
        return []


def test_a_generated_multisport_chain_keeps_its_sessions_and_loses_its_records() -> None:
    segments = fitgen.multisport_segments()
    data = encode_activity(segments) + encode_activity([Segment(fitgen.run(300, seed=4))])
    framing = parse_framing(data)
    assert len(framing) == 2
    summary = summary_stream(data, framing, _SUMMARY_MESSAGES)
    assert summary is not None
    assert len(summary) < len(data) / 10
    whole = _read(data)
    assert whole is not None
    _assert_reads_alike(whole, summary)
    assert len(fitfast.records(summary, "session")["timestamp"]) == len(segments) + 1
    assert fitfast.records(summary) == {}  # no record left


def test_a_kept_message_with_a_compressed_timestamp_means_no_summary() -> None:
    file_id = bytes([0x40, 0, 0]) + struct.pack("<H", 0) + bytes([1, 0, 1, 0x00]) + b"\x00\x04"
    record = bytes([0x41, 0, 0]) + struct.pack("<H", 20) + bytes([1, 253, 4, 0x86])
    record += b"\x01" + struct.pack("<I", 1_000_000_000)
    lap = bytes([0x42, 0, 0]) + struct.pack("<H", 19) + bytes([1, 7, 4, 0x86]) + b"\x02"
    lap += struct.pack("<I", 5000)
    plain = wrap_fit(file_id + record + lap)
    assert summary_stream(plain, parse_framing(plain), _SUMMARY_MESSAGES) is not None
    # The same lap with a compressed header (local type 2, 5 s after the record): its
    # time counts from the record, which the summary would drop.
    squeezed = wrap_fit(file_id + record + lap[:-5] + bytes([0x80 | 2 << 5 | 5]) + lap[-4:])
    assert summary_stream(squeezed, parse_framing(squeezed), _SUMMARY_MESSAGES) is None


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_a_random_message_section_summarises_to_what_it_reads(seed: int) -> None:
    section = fitfuzz.random_messages(Random(seed))
    data = wrap_fit(section)
    summary = summary_stream(data, parse_framing(data), _SUMMARY_MESSAGES)  # never raises
    whole = _read(data)
    if summary is not None and whole is not None:
        _assert_reads_alike(whole, summary)
