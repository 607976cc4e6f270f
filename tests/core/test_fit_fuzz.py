"""``decode_fit`` under a fuzzer: a ``DecodedFile`` or our ``FitDecodeError``, nothing else,
within a time limit per file, without ever killing the process that decodes.

Every input is decoded in a child process (``fitfuzz.DecodeWorker``), so a hang inside a
Rust decoder holding the GIL is caught by the time limit (``fitfuzz.time_limit_s``: 2 s
below 1 MB, where ~10 ms is normal) and a segfault or abort shows as a dead child,
instead of stopping or killing the test run. An offending input fails the test with its
first bytes in hex and is kept in ``test-artifacts/fit-fuzz/``.

Inputs (hypothesis): (a) random bytes, (b) random bytes behind a valid FIT header,
(c) mutated real files and (d) mutated generated files (``fitfuzz.Case``: mutations of
the message bytes, structure-aware ones included, then header and file CRCs recomputed
so the decoders see them; file-level mutations last), and (e) random well-formed message
streams. CI runs a fixed set (``derandomize``, no example database, no shrinking: the
input is saved instead) in ~30 s of CPU. For a long run, set
``SMARTRUNNING_FIT_FUZZ_EXAMPLES`` (e.g. 20000: random, not derandomized), or run
``bench/fuzz_fit.py`` (see docs/decisions/fit-decoder.md).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping
from random import Random

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from smartrunning.science.fit import DecoderChoice, FitDecodeError, decode_fit
from tests.core import fitfuzz, fitgen
from tests.core.fitwriter import wrap_fit

pytestmark = pytest.mark.slow

OFFLINE_EXAMPLES = int(os.environ.get("SMARTRUNNING_FIT_FUZZ_EXAMPLES", "0"))


def fuzz(ci_examples: int) -> settings:
    """``ci_examples`` reproducible examples in CI; the offline count, randomly, if set."""
    return settings(
        max_examples=OFFLINE_EXAMPLES or ci_examples,
        derandomize=not OFFLINE_EXAMPLES,
        database=None,
        deadline=None,  # the time limit is the child's, per input
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the input is saved
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture(scope="module")
def worker() -> Iterator[fitfuzz.DecodeWorker]:
    with fitfuzz.DecodeWorker() as decoding:
        yield decoding


def check(worker: fitfuzz.DecodeWorker, data: bytes, label: str) -> None:
    outcome = worker.decode(data)
    assert outcome.acceptable, fitfuzz.describe(data, outcome, label)


def case_strategy(seed_names: list[str]) -> st.SearchStrategy[fitfuzz.Case]:
    def ops(
        names: Mapping[str, object], most: int
    ) -> st.SearchStrategy[tuple[tuple[str, int], ...]]:
        op = st.tuples(st.sampled_from(sorted(names)), st.integers(0, 2**32 - 1))
        return st.lists(op, max_size=most).map(tuple)

    return st.builds(
        fitfuzz.Case,
        seed=st.sampled_from(seed_names),
        section_ops=ops(fitfuzz.SECTION_OPS, 5),
        header=st.sampled_from(fitfuzz.HEADERS),
        file_ops=ops(fitfuzz.FILE_OPS, 2),
    )


REAL = sorted(name for name in fitfuzz.seeds() if not name.startswith("gen:"))
GENERATED = sorted(name for name in fitfuzz.seeds() if name.startswith("gen:"))


@fuzz(300)
@given(data=st.binary(max_size=4000))
def test_random_bytes(worker: fitfuzz.DecodeWorker, data: bytes) -> None:
    check(worker, data, "random bytes")


@fuzz(300)
@given(
    data=st.binary(min_size=1, max_size=4000), header=st.sampled_from(("12", "14", "14-zero-crc"))
)
def test_random_bytes_behind_a_valid_header(
    worker: fitfuzz.DecodeWorker, data: bytes, header: str
) -> None:
    check(worker, fitfuzz.frame(data, header), "random bytes behind a valid header")


@fuzz(300)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_message_streams(worker: fitfuzz.DecodeWorker, seed: int) -> None:
    check(worker, wrap_fit(fitfuzz.random_messages(Random(seed))), f"random messages {seed}")


@fuzz(1200)
@given(case=case_strategy(REAL))
def test_mutated_real_files(worker: fitfuzz.DecodeWorker, case: fitfuzz.Case) -> None:
    check(worker, fitfuzz.build(case), repr(case))


@fuzz(500)
@given(case=case_strategy(GENERATED))
def test_mutated_generated_files(worker: fitfuzz.DecodeWorker, case: fitfuzz.Case) -> None:
    check(worker, fitfuzz.build(case), repr(case))


def test_the_corpus_never_kills_the_decoding_process() -> None:
    """Seeds, regression inputs and 300 fixed mutations in one fresh child: every input
    decoded or rejected with our error, and the child then exits normally (exit code 0)."""
    inputs = [(name, data) for name, data in fitfuzz.seeds().items()]
    inputs += [(p.name, p.read_bytes()) for p in sorted(fitfuzz.REGRESSION_DIR.glob("*.fit"))]
    rng = Random(9)
    inputs += [(repr(c), fitfuzz.build(c)) for c in (fitfuzz.random_case(rng) for _ in range(300))]
    with fitfuzz.DecodeWorker() as decoding:
        for label, data in inputs:
            check(decoding, data, label)
        assert decoding.close() == 0


def test_the_harness_catches_a_hang_holding_the_gil_and_a_crash() -> None:
    """What the fuzz tests rely on: a hang inside C code is stopped at the limit, an abort
    is reported, and decoding goes on in a new child after either."""
    with fitfuzz.DecodeWorker(decode=fitfuzz.misbehave, memory_limit_mb=None) as decoding:
        hang = decoding.decode(b"hang", limit_s=1.0)
        assert hang.status == "timeout"
        # Killed after WALL_FACTOR × the limit without an answer (wall-clock time).
        assert hang.seconds < fitfuzz.WALL_FACTOR * 1.0 + 5
        assert decoding.decode(b"abort").status == "crash"
        assert decoding.decode(b"fine").status == "decoded"
        assert decoding.close() == 0


def test_a_rust_panic_is_our_error() -> None:
    """The first fuzz finding: rustyfit panics on a malformed definition (both builds)."""
    data = (fitfuzz.REGRESSION_DIR / "rustyfit-panic-remainder-by-zero.fit").read_bytes()
    decoders: tuple[DecoderChoice, ...] = ("auto", "fitfast", "pyfitparsernative")
    for decoder in decoders:
        with pytest.raises(FitDecodeError) as caught:
            decode_fit(data, decoder=decoder)
        assert caught.value.kind == "corrupt data"
        assert "do not follow the FIT format" in str(caught.value)  # words for a person
        assert "divisor of zero" in (caught.value.detail or "")  # the library's, for logs


FLOOD_BYTES = 990_000 if OFFLINE_EXAMPLES else 400_000


def test_floods_of_tiny_messages_stay_within_the_time_limit(worker: fitfuzz.DecodeWorker) -> None:
    """The most work per byte: hundreds of thousands of tiny messages, each through the
    Rust decoders and our Python code, by both paths of the chain (fitfast, and
    pyfitparsernative for a header CRC of 0)."""
    for name, data in fitfuzz.floods(FLOOD_BYTES).items():
        check(worker, data, f"flood of {name}, {len(data)} bytes")


@pytest.mark.parametrize(
    ("limit", "value", "reason"),
    [("FITDECODE_MAX_BYTES", 5784, "bytes"), ("FITDECODE_MAX_MESSAGES", 779, "messages"),
     ("FITDECODE_MAX_FIELDS", 3414, "fields")],
)  # fmt: skip
def test_large_files_are_not_given_to_fitdecode(
    monkeypatch: pytest.MonkeyPatch, limit: str, value: int, reason: str
) -> None:
    """Pure-Python fitdecode only below a size, so no file can buy minutes of CPU
    (compressed-speed-distance.fit: 5,785 bytes, 780 messages, 3,415 fields)."""
    decode_module = importlib.import_module("smartrunning.science.fit.decode")
    data = (fitgen.LOCAL_FIT_DIR / "compressed-speed-distance.fit").read_bytes()
    assert decode_fit(data).decoder == "fitdecode"
    monkeypatch.setattr(decode_module, limit, value)
    decoded = decode_fit(data)
    assert decoded.decoder == "fitfast"
    assert f"left unexpanded (speed and distance missing): {value + 1} {reason}" in (
        decoded.fallback_reason or ""
    )
    monkeypatch.setattr(decode_module, limit, value + 1)
    assert decode_fit(data).decoder == "fitdecode"


def test_more_sessions_than_an_activity_has_is_corrupt_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decode_module = importlib.import_module("smartrunning.science.fit.decode")
    data = fitgen.run_file(60, seed=3)
    monkeypatch.setattr(decode_module, "MAX_SESSIONS", 0)
    with pytest.raises(FitDecodeError, match="1 session messages") as caught:
        decode_fit(data)
    assert caught.value.kind == "corrupt data"


def test_fields_of_size_0_cannot_multiply_the_work() -> None:
    """Found by fuzzing: a definition of 254 fields of size 0, then 1-byte records; fitfast
    made 254 columns of them (a 200 kB file: 19 s, 2.4 GB). The walk stops it first."""
    data = (fitfuzz.REGRESSION_DIR / "records-of-254-fields-of-size-0.fit").read_bytes()
    with pytest.raises(FitDecodeError, match="fields of size 0") as caught:
        decode_fit(data)
    assert caught.value.kind == "corrupt data"


@pytest.mark.parametrize(
    ("limit", "value", "zero_header_crc", "reason"),
    [
        ("MAX_MESSAGES", 100, False, "more than 100 messages"),
        ("MAX_VALUES", 1000, False, "or 1000 field values, more than an activity has"),
        ("PYFITPARSERNATIVE_MAX_MESSAGES", 100, True, "too many for pyfitparsernative"),
        ("PYFITPARSERNATIVE_MAX_VALUES", 1000, True, "too many for pyfitparsernative"),
    ],
)
def test_the_work_a_file_may_ask_for_is_bounded(
    monkeypatch: pytest.MonkeyPatch, limit: str, value: int, zero_header_crc: bool, reason: str
) -> None:
    decode_module = importlib.import_module("smartrunning.science.fit.decode")
    data = fitgen.run_file(300, seed=4)  # 300 records and their definitions, laps, events
    if zero_header_crc:  # pyfitparsernative's file
        data = fitgen.with_zero_header_crc(data)
    assert decode_fit(data).sessions
    monkeypatch.setattr(decode_module, limit, value)
    with pytest.raises(FitDecodeError, match=reason) as caught:
        decode_fit(data)
    assert caught.value.kind == "corrupt data"
