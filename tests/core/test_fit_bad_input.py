"""Bad bytes give ``FitDecodeError`` with the right reason, and nothing else, ever."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartrunning.science.fit import DECODERS, DecodedFile, FitDecodeError, decode_fit
from tests.core import fitgen
from tests.core.fitwriter import wrap_fit

GOOD = fitgen.run_file(120, seed=21)
"""A small valid activity (14-byte header)."""


def reason(data: bytes, decoder: str = "auto") -> FitDecodeError:
    with pytest.raises(FitDecodeError) as caught:
        decode_fit(data, decoder=decoder)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize("decoder", ["auto", *DECODERS])
@pytest.mark.parametrize(
    ("data", "kind", "detail"),
    [
        (b"", "empty file", ""),
        (b"PK\x03\x04 this is a zip, not a FIT file", "not a FIT file", ""),
        (b"<?xml version='1.0'?><workout_file/>", "not a FIT file", ""),
        (GOOD[:8] + b".GIT" + GOOD[12:], "corrupt header", "signature"),
        (bytes([99]) + GOOD[1:], "corrupt header", "header size"),
        (GOOD[:12] + bytes([GOOD[12] ^ 1]) + GOOD[13:], "corrupt header", "header CRC"),
        (wrap_fit(b"", header_size=12), "corrupt header", "data size 0"),
        (fitgen.with_bad_file_crc(GOOD), "bad file CRC", ""),
        (GOOD[:-100], "truncated file", "announces"),
        (GOOD[:20], "truncated file", ""),
        (fitgen.cut_mid_message(GOOD), "unexpected end of data", ""),
        (GOOD + b"\x00" * 16, "corrupt header", "trailing bytes"),
        (GOOD + GOOD[:40], "truncated file", "chained FIT file #2"),
    ],
    ids=[
        "empty", "zip", "xml", "signature", "header-size", "header-crc", "no-data",
        "file-crc", "truncated", "truncated-in-header", "unexpected-eof", "trailing-zeros",
        "truncated-chained",
    ],
)  # fmt: skip
def test_bad_bytes_give_a_clear_reason(data: bytes, kind: str, detail: str, decoder: str) -> None:
    error = reason(data, decoder)
    assert error.kind == kind, str(error)
    assert detail in str(error)
    assert isinstance(error, ValueError)


def test_reasons_of_the_shared_damaged_files() -> None:
    """The damaged variants of the FIT SDK's Activity.fit, rebuilt from the local copy."""
    activity = (fitgen.LOCAL_FIT_DIR / "Activity.fit").read_bytes()
    assert reason(activity[:-3]).kind == "truncated file"  # activity-unexpected-eof.fit
    assert reason(fitgen.with_bad_file_crc(activity)).kind == "bad file CRC"
    chained = (fitgen.LOCAL_FIT_DIR / "activity-settings.fit").read_bytes()
    corrupt = chained[:771] + chained[771:779] + b".GIT" + chained[783:]
    assert reason(corrupt).kind == "corrupt header"  # activity-settings-corruptheader.fit


def test_a_damaged_second_file_rejects_the_whole_chain() -> None:
    error = reason(GOOD + fitgen.with_bad_file_crc(GOOD))
    assert error.kind == "bad file CRC"


# --- fuzzing: random and mutated bytes only ever raise FitDecodeError ----------------------

SMALL_REAL = (fitgen.LOCAL_FIT_DIR / "garmin-fenix-5-run.fit").read_bytes()
SEEDS = {
    "generated": fitgen.run_file(30, seed=22),
    "fenix-5-run": SMALL_REAL,
    "compressed-ts": (fitgen.LOCAL_FIT_DIR / "antfs-dump.63.fit").read_bytes(),
}


KINDS = {
    "empty file", "not a FIT file", "corrupt header", "truncated file", "bad file CRC",
    "unexpected end of data", "corrupt data",
}  # fmt: skip


def decode_or_reason(data: bytes) -> None:
    """A file or a reason, with and without salvaging (issue #16): nothing else."""
    for salvage in (False, True):
        outcome: DecodedFile | FitDecodeError
        try:
            outcome = decode_fit(data, salvage=salvage)
        except FitDecodeError as error:
            outcome = error
        if isinstance(outcome, FitDecodeError):
            assert outcome.kind in KINDS, str(outcome)
        else:
            assert (outcome.partial is not None) <= salvage
            for session in outcome.sessions:
                assert len(session.records.elapsed_s) == len(session.records)


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    decode_or_reason(data)


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_behind_a_valid_header(data: bytes) -> None:
    decode_or_reason(wrap_fit(data))


@FUZZ
@given(
    seed=st.sampled_from(sorted(SEEDS)),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
    reframe=st.booleans(),
)
def test_mutated_real_files(seed: str, edits: list[tuple[int, int]], reframe: bool) -> None:
    """Bytes changed inside the messages; ``reframe`` fixes the CRC so decoders parse them."""
    data = bytearray(fitgen.data_section(SEEDS[seed]))
    for position, value in edits:
        data[position % len(data)] = value
    decode_or_reason(wrap_fit(bytes(data)) if reframe else SEEDS[seed][:14] + data + b"\0\0")


@FUZZ
@given(seed=st.sampled_from(sorted(SEEDS)), cut=st.integers(1, 400))
def test_truncated_real_files(seed: str, cut: int) -> None:
    data = SEEDS[seed]
    decode_or_reason(data[: max(len(data) - cut, 0)])
    decode_or_reason(wrap_fit(fitgen.data_section(data)[:-cut]))
