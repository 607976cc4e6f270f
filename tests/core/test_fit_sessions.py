"""Sessions built from what the device means (issue #16): bounds, clock jumps, timer time,
multisport boundaries, damaged files, summary-only sessions, and the device's own figures
where the records cannot give them. Files are written by ``tests.core.fitwriter``."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest

from smartrunning.science.analysis import SourceInfo, analyse, sparse_interval_s
from smartrunning.science.fit import DecodedSession, FitDecodeError, decode_fit
from smartrunning.science.records import Records
from smartrunning.science.streams import Limits
from tests.core import fitgen
from tests.core.fitwriter import SessionSpec, device_totals, encode_custom, quantize


def _analysed(session: DecodedSession) -> tuple[float, float, float | None, float | None]:
    assert session.start_time is not None
    a = analyse(session.records, SourceInfo.from_decoded(session, session.start_time), Limits())
    return a.distance_m, a.timer_time_s, a.avg_hr_bpm, a.max_hr_bpm


def _one_run(timer: list[tuple[float, str]], seconds: int = 1200) -> tuple[bytes, Records]:
    r = fitgen.run(seconds, seed=21)
    q = quantize(r)
    spec = SessionSpec(float(q.timestamp_s[0]), float(q.timestamp_s[-1]), device_totals(q))
    return encode_custom(r, [spec], timer), q


def test_records_two_years_ahead_are_left_out_with_a_note() -> None:
    (session,) = decode_fit(fitgen.clock_jump_years()).sessions
    assert len(session.records) == 1800 - 60
    span = session.records.timestamp_s[-1] - session.records.timestamp_s[0]
    assert span == 1799
    assert any("60 sample(s) dated outside the session" in n for n in session.notes)
    assert session.timer_time_s == 1799


def test_a_twenty_day_jump_of_records_stop_and_session_end_is_cut() -> None:
    (session,) = decode_fit(fitgen.clock_jump_days()).sessions
    # the session's end stamped 20 days on is not taken: start + elapsed is its end
    assert len(session.records) == 1760
    assert session.timer_time_s == pytest.approx(1799.0)  # the stop 20 days on is cut
    assert any("40 sample(s) dated outside the session" in n for n in session.notes)
    _, timer, _, _ = _analysed(session)
    assert timer == pytest.approx(1799.0)


def test_a_stop_event_long_after_the_session_adds_nothing() -> None:
    r = fitgen.run(1200, seed=21)
    t0, t1 = float(r.timestamp_s[0]), float(r.timestamp_s[-1])
    # bpg-garmin's opening: start and stop at the session's start, then the real start
    data, _ = _one_run(
        [(t0, "start"), (t0, "stop_all"), (t0 + 45, "start"), (t1 + 3000, "stop_all")]
    )
    (session,) = decode_fit(data).sessions
    assert session.timer_source == "events"
    assert session.timer_time_s == pytest.approx(t1 - t0 - 45)


def test_a_stop_before_any_start_ran_from_the_session_start() -> None:
    r = fitgen.run(1200, seed=21)
    t0, t1 = float(r.timestamp_s[0]), float(r.timestamp_s[-1])
    data, _ = _one_run([(t0 + 100, "stop_all"), (t0 + 200, "start"), (t1, "stop_all")])
    (session,) = decode_fit(data).sessions
    assert session.timer_time_s == pytest.approx(100 + (t1 - t0 - 200))


def test_without_timer_events_the_device_total_is_the_timer() -> None:
    data, _ = _one_run([])
    (session,) = decode_fit(data).sessions
    assert session.timer_source == "device"
    assert session.totals is not None
    assert session.timer_time_s == session.totals.total_timer_time_s
    assert any("watch's own total" in n for n in session.notes)


def test_multisport_legs_share_their_boundary_record() -> None:
    decoded = decode_fit(fitgen.multisport_shared_boundaries())
    legs = decoded.sessions
    assert [s.sport for s in legs] == ["running", "transition", "cycling", "running"]
    for before, after in itertools.pairwise(legs):
        assert before.records.timestamp_s[-1] == after.records.timestamp_s[0]
    for leg in legs:
        assert leg.totals is not None
        assert leg.totals.total_distance_m is not None
        distance, _, _, _ = _analysed(leg)
        assert distance == pytest.approx(leg.totals.total_distance_m, abs=0.02)


@pytest.mark.parametrize("zeros", [True, False], ids=["zeros", "garbage"])
def test_a_damaged_tail_is_decoded_up_to_the_damage(zeros: bool) -> None:
    damaged, good = fitgen.damaged_tail(zeros=zeros)
    with pytest.raises(FitDecodeError):
        decode_fit(damaged)
    salvaged = decode_fit(damaged, salvage=True)
    whole = decode_fit(good)
    assert salvaged.partial is not None
    damaged_at = int(salvaged.partial.split()[3])
    # everything the good file held is before the damage (zeros read as empty file_ids)
    assert len(good) - 2 <= damaged_at < len(damaged)
    assert salvaged.sessions[0].notes[-1].startswith("Partial file: damaged from byte")
    assert whole.partial is None
    (ours,), (theirs,) = salvaged.sessions, whole.sessions
    np.testing.assert_array_equal(ours.records.timestamp_s, theirs.records.timestamp_s)
    np.testing.assert_array_equal(ours.records.distance_m, theirs.records.distance_m)
    assert ours.totals == theirs.totals
    assert ours.timer_time_s == theirs.timer_time_s


def test_salvage_refuses_damage_it_cannot_locate() -> None:
    bad_crc = fitgen.with_bad_file_crc(fitgen.run_file(300))
    with pytest.raises(FitDecodeError, match="bad file CRC"):
        decode_fit(bad_crc, salvage=True)


def test_a_truncated_file_is_decoded_up_to_its_last_whole_message() -> None:
    data = fitgen.run_file(600)
    decoded = decode_fit(data[:-3000], salvage=True)
    assert decoded.partial is not None
    assert "truncated file" in decoded.partial
    (session,) = decoded.sessions
    assert 400 < len(session.records) < 600
    assert session.totals is None  # the session message was in the part that is lost


def test_records_without_times_give_a_summary_only_session() -> None:
    r = fitgen.run(900, seed=22)
    q = quantize(r)
    spec = SessionSpec(float(q.timestamp_s[0]), float(q.timestamp_s[-1]), device_totals(q))
    untimed = replace(r, timestamp_s=np.full(len(r), np.nan))
    (session,) = decode_fit(encode_custom(untimed, [spec], [])).sessions
    assert len(session.records) == 2
    assert any(n.startswith("Summary only") for n in session.notes)
    distance, timer, _, _ = _analysed(session)
    assert distance == pytest.approx(spec.totals.total_distance_m or 0.0)
    assert timer == pytest.approx(spec.totals.total_timer_time_s or 0.0)


def test_sparse_recording_takes_the_devices_heart_rate_and_says_so() -> None:
    (session,) = decode_fit(fitgen.sparse_recording()).sessions
    assert session.totals is not None
    assert sparse_interval_s(session.records) == pytest.approx(5.0)
    recorded_max = float(np.nanmax(session.records.heart_rate_bpm))
    assert recorded_max < (session.totals.max_heart_rate_bpm or 0)
    assert session.start_time is not None
    a = analyse(session.records, SourceInfo.from_decoded(session, session.start_time), Limits())
    assert (a.avg_hr_bpm, a.max_hr_bpm) == (
        session.totals.avg_heart_rate_bpm,
        session.totals.max_heart_rate_bpm,
    )
    assert a.stats["records_max_hr_bpm"] == recorded_max
    assert any("smart recording" in n for n in a.stats["notes"])


def test_one_hertz_recording_is_not_sparse() -> None:
    assert sparse_interval_s(fitgen.run(300)) is None


@pytest.mark.parametrize(
    ("device_ascent", "expected"),
    [(120.0, 120.0), (0.0, 0.0), (50_000.0, None), (None, None)],
    ids=["plausible", "zero", "implausible", "absent"],
)
def test_the_devices_ascent_is_preferred_where_plausible(
    device_ascent: float | None, expected: float | None
) -> None:
    r = fitgen.run(1200, seed=23)
    q = quantize(r)
    source = SourceInfo(
        sport="running",
        sub_sport=None,
        start_time=fitgen.START,
        lap_starts_s=(),
        timer_time_s=None,
        device_ascent_m=device_ascent,
        device_descent_m=device_ascent,
    )
    a = analyse(q, source, Limits())
    ours = a.stats["records_elevation_gain_m"]
    assert ours is not None
    assert ours > 0
    assert a.elevation_gain_m == (ours if expected is None else expected)
    assert a.stats["elevation_loss_m"] == (
        a.stats["records_elevation_loss_m"] if expected is None else expected
    )


def test_a_stored_source_without_the_new_fields_reads_as_before() -> None:
    source = SourceInfo("running", None, fitgen.START, (1.0,), 60.0, notes=("x",))
    old = {
        k: v
        for k, v in source.as_json().items()
        if k in {"sport", "sub_sport", "start_time", "lap_starts_s", "timer_time_s"}
    }
    back = SourceInfo.from_json(old)
    assert back == replace(source, notes=())
    assert SourceInfo.from_json(source.as_json()) == source


def test_a_session_whose_own_times_jumped_keeps_its_largest_stretch() -> None:
    """The device counted the jump into its session too (elapsed 20 days): the records'
    largest stretch is kept and the timer is cut at its end."""
    r = fitgen.run(1800, seed=12)
    ts = r.timestamp_s.copy()
    ts[-40:] += 20 * 86_400
    q = quantize(r)
    totals = replace(device_totals(q), total_elapsed_time_s=float(ts[-1] - ts[0]))
    spec = SessionSpec(float(ts[0]), float(ts[-1]), totals)
    data = encode_custom(
        replace(r, timestamp_s=ts), [spec], [(ts[0], "start"), (ts[-1], "stop_all")]
    )
    (session,) = decode_fit(data).sessions
    assert len(session.records) == 1760
    assert any("more than a day away" in n for n in session.notes)
    assert session.timer_time_s == pytest.approx(1759.0)
