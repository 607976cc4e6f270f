"""Generated FIT files: what the encoder wrote is what ``decode_fit`` reads, exactly.

"Exactly" is on the FIT integer grid: every column is compared as the integers the file
holds (no float ``==``), so a decoder's float32 path cannot hide nor fake a difference.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from smartrunning.science.fit import (
    DECODERS,
    FOOT_SPORTS,
    DecodedFile,
    DecodedSession,
    decode_fit,
    encode_file,
)
from smartrunning.science.fit.compare import TOTALS_LSB
from smartrunning.science.records import Records
from tests.core import fitgen
from tests.core.fitwriter import Segment, auto_laps, device_totals, encode_activity, quantize

# Integers per SI unit of each column, and its offset (altitude is stored + 500 m).
GRID = {
    "timestamp_s": (1.0, 0.0),
    "elapsed_s": (1.0, 0.0),
    "distance_m": (100.0, 0.0),
    "speed_mps": (1000.0, 0.0),
    "heart_rate_bpm": (1.0, 0.0),
    "cadence_spm": (64.0, 0.0),
    "altitude_m": (5.0, 500.0),
    "latitude_deg": (2**31 / 180, 0.0),
    "longitude_deg": (2**31 / 180, 0.0),
    "power_w": (1.0, 0.0),
}


def on_grid(values: np.ndarray, column: str) -> np.ndarray:
    per_unit, offset = GRID[column]
    finite = np.isfinite(values)
    out = np.full(len(values), -(2**62), dtype=np.int64)  # a marker for "missing"
    out[finite] = np.round((values[finite] + offset) * per_unit).astype(np.int64)
    return out


def assert_same_records(got: Records, expected: Records, *, cadence: bool = True) -> None:
    assert len(got) == len(expected)
    for column in GRID:
        if column == "cadence_spm" and not cadence:
            assert np.isnan(got.cadence_spm).all()
            continue
        np.testing.assert_array_equal(
            on_grid(getattr(got, column), column),
            on_grid(getattr(expected, column), column),
            err_msg=column,
        )


def assert_same_totals(session: DecodedSession, records: Records) -> None:
    assert session.totals is not None
    expected = device_totals(records)
    for name, lsb in TOTALS_LSB.items():
        got, want = getattr(session.totals, name), getattr(expected, name)
        assert (got is None) == (want is None), name
        if got is not None and want is not None:
            assert round(got / lsb) == round(want / lsb), name


@pytest.fixture(scope="module")
def one_run() -> tuple[Records, DecodedFile]:
    records = fitgen.run(1800, seed=3)
    return records, decode_fit(encode_activity([Segment(records)]))


def test_a_run_round_trips_exactly(one_run: tuple[Records, DecodedFile]) -> None:
    records, decoded = one_run
    assert decoded.is_activity
    assert decoded.decoder == "fitfast"
    assert decoded.fallback_reason is None
    assert decoded.time_basis == "utc"
    assert decoded.chained_files == 1
    [session] = decoded.sessions
    assert (session.sport, session.sub_sport) == ("running", "generic")
    assert session.start_time == fitgen.START
    assert_same_records(session.records, quantize(records))


def test_device_totals_and_laps_are_read_as_written(one_run: tuple[Records, DecodedFile]) -> None:
    records, decoded = one_run
    [session] = decoded.sessions
    assert_same_totals(session, quantize(records))
    assert session.laps == auto_laps(quantize(records), 1000.0)
    assert len(session.laps) == 6  # ~5.9 km in 30 min


def test_device_identity_comes_from_file_id(one_run: tuple[Records, DecodedFile]) -> None:
    device = one_run[1].device
    assert device is not None
    assert (device.manufacturer, device.serial_number) == ("development", 3_141_592_653)


@pytest.mark.parametrize("decoder", DECODERS)
def test_every_decoder_reads_the_generated_run_alike(decoder: str) -> None:
    records = fitgen.run(300, seed=4)
    decoded = decode_fit(encode_activity([Segment(records)]), decoder=decoder)  # type: ignore[arg-type]
    assert decoded.decoder == decoder
    assert_same_records(decoded.sessions[0].records, quantize(records))


def test_multisport_gives_one_session_per_leg() -> None:
    segments = fitgen.multisport_segments()
    decoded = decode_fit(encode_activity(segments))
    assert [(s.sport, s.sub_sport) for s in decoded.sessions] == [
        ("running", "generic"),
        ("transition", "generic"),
        ("cycling", "road"),
        ("running", "trail"),
    ]
    for session, segment in zip(decoded.sessions, segments, strict=True):
        expected = quantize(segment.records)
        assert_same_records(session.records, expected, cadence=session.sport in FOOT_SPORTS)
        assert session.start_time == datetime.fromtimestamp(expected.timestamp_s[0], UTC)
        assert_same_totals(session, expected)
        assert session.laps == auto_laps(expected, segment.lap_distance_m)


def test_chained_activities_are_concatenated_in_time_order() -> None:
    morning = fitgen.run(400, seed=5)
    evening = fitgen.later(fitgen.run(500, seed=6), 10 * 3600)
    first = encode_activity([Segment(morning)])
    second = encode_activity([Segment(evening, sport="walking", sub_sport="generic")])
    decoded = decode_fit(second + first)  # written out of order on purpose
    assert decoded.chained_files == 2
    assert [s.sport for s in decoded.sessions] == ["running", "walking"]
    assert_same_records(decoded.sessions[0].records, quantize(morning))
    assert_same_records(decoded.sessions[1].records, quantize(evening))


def test_zero_header_crc_falls_back_and_reads_the_same() -> None:
    records = fitgen.run(300, seed=8)
    decoded = decode_fit(fitgen.with_zero_header_crc(encode_activity([Segment(records)])))
    assert decoded.decoder == "pyfitparsernative"
    assert decoded.fallback_reason is not None
    assert "header CRC" in decoded.fallback_reason
    assert_same_records(decoded.sessions[0].records, quantize(records))


def test_developer_fields_never_replace_native_columns() -> None:
    records = fitgen.run(300, seed=9)
    n = len(records)
    shadows = {
        "heart_rate": np.full(n, 33.0),
        "distance": np.full(n, 5.0),
        "Form Power": np.full(n, 77.0),
    }
    decoded = decode_fit(encode_activity([Segment(records, developer_fields=shadows)]))
    assert decoded.decoder != "fitfast"  # fitfast would let them shadow the native ones
    assert_same_records(decoded.sessions[0].records, quantize(records))


def test_harmless_developer_fields_keep_the_fast_decoder() -> None:
    records = fitgen.run(120, seed=10)
    fields = {"Form Power": np.full(len(records), 77.0)}
    decoded = decode_fit(encode_activity([Segment(records, developer_fields=fields)]))
    assert decoded.decoder == "fitfast"
    assert_same_records(decoded.sessions[0].records, quantize(records))


def test_file_without_session_messages_is_one_generic_segment() -> None:
    records = fitgen.run(200, seed=11)
    decoded = decode_fit(encode_activity([Segment(records)], write_sessions=False))
    [session] = decoded.sessions
    assert session.sport == "generic"
    assert session.totals is None
    assert session.laps == ()
    assert session.start_time == fitgen.START
    assert_same_records(session.records, quantize(records))


def test_missing_heart_rate_and_zero_heart_rate_are_nan() -> None:
    records = fitgen.run(120, seed=12)
    hr = records.heart_rate_bpm.copy()
    hr[10:20] = np.nan
    hr[30:35] = 0.0  # some straps send 0 when they lose contact
    decoded = decode_fit(encode_activity([Segment(Records.from_columns(len(hr), **{
        name: getattr(records, name) for name in GRID if name != "heart_rate_bpm"
    }, heart_rate_bpm=hr))]))  # fmt: skip
    got = decoded.sessions[0].records.heart_rate_bpm
    assert np.isnan(got[10:20]).all()
    assert np.isnan(got[30:35]).all()
    assert np.isfinite(got[:10]).all()


def test_cadence_becomes_steps_per_minute() -> None:
    records = fitgen.run(60, seed=13)
    cadence = np.full(len(records), 171.5)  # 85.75 strides/min: 85 + 96/128
    fixed = Records.from_columns(
        len(records),
        **{name: getattr(records, name) for name in GRID if name != "cadence_spm"},
        cadence_spm=cadence,
    )
    got = decode_fit(encode_activity([Segment(fixed)])).sessions[0].records.cadence_spm
    np.testing.assert_allclose(got, 171.5, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("file_type", "messages", "words"),
    [
        ("settings", [("user_profile", {"friendly_name": "Runner", "weight": 70.0})], "settings"),
        ("workout", [("workout", {"sport": "running", "num_valid_steps": 1})], "workout"),
        ("weight", [("weight_scale", {"timestamp": 1_000_000_000, "weight": 70.5})], "weight"),
        (
            "monitoring_b",
            [("monitoring", {"timestamp": 1_000_000_000, "steps": 1200})],
            "daily monitoring",
        ),
    ],
)
def test_non_activity_files_report_their_type(
    file_type: str, messages: list[tuple[str, dict[str, object]]], words: str
) -> None:
    data = encode_file(file_type, messages)
    for decoder in ("auto", *DECODERS):
        decoded = decode_fit(data, decoder=decoder)  # type: ignore[arg-type]
        assert decoded.file_type == file_type
        assert decoded.kind_in_words == words  # what the import's reason says
        assert not decoded.is_activity
        assert decoded.sessions == ()
