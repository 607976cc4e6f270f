"""Real FIT files: ``decode_fit`` against Garmin's own SDK and against published values.

The differential test runs on the local copies in ``tests/data/fit`` always, and on every
file of the project's sample set (``../shared/data/fit``) when that directory is there.
garmin-fit-sdk is the reference, with its own ``merge_heart_rates`` (heart rate of ``hr``
messages merged into the records; ``decode_fit`` merges them with its own port, so the
swims with HRM-Swim data check it); for the files it cannot read (compressed timestamps)
fitdecode stands in. Two decodings agree when every column is within one FIT
encoding step (``compare.COLUMN_LSB``) and sessions, sports, start times, laps and device
totals match.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from smartrunning.science.fit import DecodedFile, FitDecodeError, decode_fit
from smartrunning.science.fit.compare import COLUMN_LSB, file_disagreements
from tests.core import fitgen

SHARED_PRESENT = fitgen.SHARED_FIT_DIR.is_dir()
SKIP_REASON = f"the project's sample FIT files are not at {fitgen.SHARED_FIT_DIR}"
LOCAL_FILES = fitgen.fit_files(fitgen.LOCAL_FIT_DIR)
SHARED_FILES = fitgen.fit_files(fitgen.SHARED_FIT_DIR) if SHARED_PRESENT else []
needs_shared = pytest.mark.skipif(not SHARED_PRESENT, reason=SKIP_REASON)
SHARED_PARAMS = [pytest.param(p, id=p.name) for p in SHARED_FILES] or [
    pytest.param(None, id="sample-files-absent", marks=pytest.mark.skip(reason=SKIP_REASON))
]


@cache
def decoded(path: Path, decoder: str = "auto") -> DecodedFile | FitDecodeError:
    try:
        return decode_fit(path.read_bytes(), decoder=decoder)  # type: ignore[arg-type]
    except FitDecodeError as error:
        return error


def assert_agrees_with_reference(path: Path) -> None:
    ours = decoded(path)
    reference = decoded(path, "garmin-fit-sdk")
    if isinstance(reference, FitDecodeError) and "Compressed timestamp" in (reference.detail or ""):
        # The SDK cannot read compressed timestamps; fitdecode, which can, stands in.
        reference = decoded(path, "fitdecode")
    if isinstance(reference, FitDecodeError):
        assert isinstance(ours, FitDecodeError)
        assert ours.kind == reference.kind
        return
    assert isinstance(ours, DecodedFile), f"the reference decodes it, we say: {ours}"
    assert file_disagreements(reference, ours) == {}
    assert ours.device == reference.device
    assert ours.time_basis == reference.time_basis


@pytest.mark.parametrize("path", LOCAL_FILES, ids=lambda p: p.name)
def test_local_files_agree_with_garmin_sdk(path: Path) -> None:
    assert_agrees_with_reference(path)


@pytest.mark.parametrize("path", SHARED_PARAMS)
def test_sample_files_agree_with_garmin_sdk(path: Path) -> None:
    assert_agrees_with_reference(path)


@needs_shared
def test_the_sample_set_is_mostly_readable() -> None:
    """A guard against a differential test that passes because nothing decodes."""
    results = [decoded(p) for p in SHARED_FILES]
    activities = [r for r in results if isinstance(r, DecodedFile) and r.is_activity]
    assert len(activities) >= 18
    assert sum(len(s.records) for a in activities for s in a.sessions) > 55_000


# --- published record values (python-fitparse's expected CSVs) -----------------------------


def expected_rows(name: str) -> list[dict[str, str]]:
    path = fitgen.LOCAL_FIT_DIR / "expected" / name
    if not path.exists():
        path = fitgen.SHARED_FIT_DIR / "expected" / name
    with path.open(newline="") as f:
        return [{k.strip(): v.strip() for k, v in row.items()} for row in csv.DictReader(f)]


def column(rows: list[dict[str, str]], key: str) -> np.ndarray:
    return np.array([float(r[key]) if r[key] not in ("", "null") else np.nan for r in rows])


def assert_close(got: np.ndarray, want: np.ndarray, lsb: float) -> None:
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    assert np.max(np.abs(got[ok] - want[ok]), initial=0.0) <= lsb * 1.0001


def pdt_to_utc(text: str) -> float:
    local = datetime.strptime(text, "%a %b %d %H:%M:%S PDT %Y")  # noqa: DTZ007 (offset below)
    return (local.replace(tzinfo=UTC) + timedelta(hours=7)).timestamp()


GARMIN_CSVS = ["garmin-fenix-5-run"] + (
    ["garmin-fenix-5-bike", "garmin-edge-820-bike", "garmin-edge-500-activity"]
    if SHARED_PRESENT
    else []
)


@pytest.mark.parametrize("name", GARMIN_CSVS)
def test_garmin_files_match_published_values(name: str) -> None:
    path = fitgen.LOCAL_FIT_DIR / f"{name}.fit"
    result = decoded(path if path.exists() else fitgen.SHARED_FIT_DIR / f"{name}.fit")
    assert isinstance(result, DecodedFile)
    rows = expected_rows(f"{name}-records.csv")
    [session] = result.sessions
    records = session.records
    assert len(records) == len(rows)
    np.testing.assert_array_equal(records.timestamp_s, [pdt_to_utc(r["timestamp"]) for r in rows])
    assert_close(records.heart_rate_bpm, column(rows, "heart_rate"), 0)
    assert_close(records.speed_mps, column(rows, "speed"), COLUMN_LSB["speed_mps"])
    assert_close(records.distance_m, column(rows, "distance"), COLUMN_LSB["distance_m"])
    assert_close(records.altitude_m, column(rows, "altitude"), COLUMN_LSB["altitude_m"])
    semicircle = COLUMN_LSB["latitude_deg"]
    for ours, key in (
        (records.latitude_deg, "position_lat"),
        (records.longitude_deg, "position_long"),
    ):
        published = column(rows, key) * semicircle
        # Where a record has no position, the CSV repeats the previous one.
        gaps = np.flatnonzero(np.isnan(ours) & ~np.isnan(published))
        np.testing.assert_array_equal(published[gaps], published[gaps - 1])
        published[gaps] = np.nan
        assert_close(ours, published, semicircle)
    if session.sport == "running":
        # The CSV has strides/min without the fractional part: steps/min is 2× it, plus < 2.
        steps = records.cadence_spm - 2 * column(rows, "cadence")
        assert ((steps >= 0) & (steps < 2)).all()
    else:  # cycling cadence is rpm, not steps
        assert np.isnan(records.cadence_spm).all()


def test_compressed_speed_distance_matches_published_values() -> None:
    result = decoded(fitgen.LOCAL_FIT_DIR / "compressed-speed-distance.fit")
    assert isinstance(result, DecodedFile)
    assert result.decoder == "fitdecode"
    assert result.fallback_reason is not None
    assert "compressed_speed_distance" in result.fallback_reason
    rows = expected_rows("compressed-speed-distance-records.csv")
    records = result.sessions[0].records
    # The CSV leaves out the first record, which holds only a timestamp.
    assert len(records) == len(rows) + 1
    relative = column(rows, "Timestamp")
    np.testing.assert_array_equal(
        records.timestamp_s[1:] - records.timestamp_s[1], relative - relative[0]
    )
    assert_close(records.heart_rate_bpm[1:], column(rows, "Heart Rate [bpm]"), 0)
    assert_close(records.speed_mps[1:], column(rows, "Speed [m/s]"), COLUMN_LSB["speed_mps"])
    # compressed_speed_distance stores distance in 1/16 m: the CSV has those values.
    assert_close(records.distance_m[1:], column(rows, "Distance [m]"), 1 / 16)
    assert_close(records.cadence_spm[1:], 2 * column(rows, "Cadence [rpm]"), 0)


# --- what real files are ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "file_type"),
    [
        ("Settings.fit", "settings"),
        ("MonitoringFile.fit", "monitoring_b"),
        ("WeightScaleSingleUser.fit", "weight"),
        ("WorkoutRepeatSteps.fit", "workout"),
    ],
)
def test_real_non_activity_files_are_classified(name: str, file_type: str) -> None:
    result = decoded(fitgen.LOCAL_FIT_DIR / name)
    assert isinstance(result, DecodedFile)
    assert (result.file_type, result.is_activity, result.sessions) == (file_type, False, ())


def test_zero_header_crc_real_file_uses_the_fallback() -> None:
    result = decoded(fitgen.LOCAL_FIT_DIR / "Settings.fit")
    assert isinstance(result, DecodedFile)
    assert result.decoder == "pyfitparsernative"


def test_chained_activity_and_settings() -> None:
    result = decoded(fitgen.LOCAL_FIT_DIR / "activity-settings.fit")
    assert isinstance(result, DecodedFile)
    assert (result.file_type, result.chained_files) == ("activity", 2)
    assert [len(s.records) for s in result.sessions] == [14]


def test_device_relative_times_are_anchored_on_local_time() -> None:
    """FR70 files count seconds from power-on; the activity's local time dates them."""
    result = decoded(fitgen.LOCAL_FIT_DIR / "antfs-dump.63.fit")
    assert isinstance(result, DecodedFile)
    assert result.time_basis == "local"
    [session] = result.sessions
    assert session.start_time is not None
    assert session.start_time.date().isoformat() == "2012-02-13"
    assert len(session.records) == 686
    assert session.records.elapsed_s[-1] == pytest.approx(3426.0, abs=5)


@pytest.mark.parametrize(
    "path", [*(pytest.param(p, id=f"local/{p.name}") for p in LOCAL_FILES), *SHARED_PARAMS]
)
def test_device_totals_are_kept_where_written(path: Path) -> None:
    result = decoded(path)
    if not isinstance(result, DecodedFile) or not result.is_activity:
        return
    for session in result.sessions:
        if session.totals is None:
            continue
        totals = session.totals
        assert totals.total_elapsed_time_s is not None
        assert totals.total_elapsed_time_s > 0
        assert totals.total_timer_time_s is not None
        if np.isfinite(session.records.distance_m).any() and totals.total_distance_m:
            # The device's distance and its last record's distance tell the same story.
            last = float(np.nanmax(session.records.distance_m))
            assert last == pytest.approx(totals.total_distance_m, rel=0.02, abs=5)


def test_fenix_5_run_totals_as_written() -> None:
    result = decoded(fitgen.LOCAL_FIT_DIR / "garmin-fenix-5-run.fit")
    assert isinstance(result, DecodedFile)
    [session] = result.sessions
    assert session.totals is not None
    t = session.totals
    written = (
        t.total_distance_m, t.total_timer_time_s, t.total_elapsed_time_s,
        t.avg_heart_rate_bpm, t.max_heart_rate_bpm, t.total_ascent_m, t.total_descent_m,
        t.total_calories_kcal, t.avg_speed_mps, t.max_speed_mps,
    )  # fmt: skip
    assert written == pytest.approx((157.56, 56.887, 56.887, 90, 112, 2, 0, 5, 2.77, 3.658))
    assert len(session.laps) == 1
    assert session.laps[0].total_distance_m == pytest.approx(157.56)
