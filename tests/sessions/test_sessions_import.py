"""Importing FIT files into sessions: statistics, storage, duplicates, bad input, reports."""

from __future__ import annotations

import datetime as dt
import io
import itertools

import numpy as np
import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import User
from smartrunning.athletes.models import PersonalBest, Runner
from smartrunning.platform import clock
from smartrunning.platform.blobs import blob_store, sha256_of
from smartrunning.platform.db import db
from smartrunning.platform.errors import NotFound
from smartrunning.platform.models import Blob
from smartrunning.science.fit import decode_fit
from smartrunning.science.records import COLUMNS
from smartrunning.sessions import actions as session_services
from smartrunning.sessions import import_recovery, uploads
from smartrunning.sessions import jobs as import_jobs
from smartrunning.sessions import schemas as session_schemas
from smartrunning.sessions.models import (
    FileStatus,
    ImportFile,
    TrainingSession,
)
from smartrunning.sessions.parquet import (
    records_from_parquet,
    records_to_parquet,
)
from tests.core.fitgen import synthetic_run
from tests.core.fitwriter import Segment, encode_activity
from tests.helpers import make_runner, make_world
from tests.sessions.sessiondata import (
    DAY0,
    LOCAL_FIT_DIR,
    by_name,
    import_inline,
    run_bytes,
)


def _sessions(runner_id: int) -> list[TrainingSession]:
    return list(
        db.session.execute(
            sa.select(TrainingSession)
            .where(TrainingSession.runner_id == runner_id)
            .order_by(TrainingSession.start_time)
        ).scalars()
    )


def test_a_run_becomes_a_session_with_statistics_loads_zones_and_best_efforts(
    app: Flask,
) -> None:
    runner_id = make_runner(app, "Rita")
    data = run_bytes(0, duration_s=1800, seed=3)
    report = import_inline(app, runner_id, [("morning.fit", data)])
    assert report["status"] == "done"
    (row,) = report["files"]  # type: ignore[misc]
    assert row["status"] == "imported", row
    with app.app_context():
        (session,) = _sessions(runner_id)
        totals = decode_fit(data).sessions[0].totals
        assert totals is not None
        assert totals.total_distance_m is not None
        assert session.sport == "running"
        assert session.counts_for_bests
        assert session.local_date == dt.date(2024, 3, 1)
        assert session.distance_m == pytest.approx(totals.total_distance_m, rel=0.01)
        assert session.timer_time_s == pytest.approx(totals.total_timer_time_s, abs=1.0)
        assert session.avg_hr_bpm == pytest.approx(totals.avg_heart_rate_bpm, abs=1.0)
        assert session.max_hr_bpm == totals.max_heart_rate_bpm
        assert session.rtss is not None
        assert session.rtss > 0
        assert session.load == session.rtss
        assert session.load_model == "rtss"
        detail = session_schemas.session_detail(session)
        hr = detail.zone_times["hr"]
        in_zones = hr["below_s"] + hr["no_zone_s"] + sum(z["seconds"] for z in hr["zones"])
        assert in_zones == pytest.approx(session.moving_time_s, abs=1e-6)
        pace = detail.zone_times["pace"]
        assert len(pace["zones"]) == 6
        assert pace["zones"][-1]["upper"] is None
        distances = [e["distance_m"] for e in detail.best_efforts]
        assert distances == [400.0, 800.0, 1000.0, 1609.344, 3000.0, 5000.0]
        speeds = [e["speed_mps"] for e in detail.best_efforts]
        assert all(a >= b - 1e-9 for a, b in itertools.pairwise(speeds))
        assert len(detail.splits) == int(session.distance_m // 1000) + 1
        assert detail.laps, "the file's laps are analysed"
        assert detail.versions == {
            "streams": 2,
            "stats": 2,
            "bests": 3,
            "load": 2,
            "analysis": 3,
        }
        assert detail.device_totals["total_distance_m"] == totals.total_distance_m
        # The first session of a runner sets a personal best at every distance it covers.
        pbs = db.session.execute(
            sa.select(PersonalBest).where(PersonalBest.session_id == session.id)
        ).scalars()
        assert sorted(b.distance_m for b in pbs) == distances


def test_raw_file_and_records_are_kept_and_the_records_read_back_exactly(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    data = run_bytes(0, duration_s=900)
    import_inline(app, runner_id, [("a.fit", data)])
    with app.app_context():
        file = db.session.execute(sa.select(ImportFile)).scalar_one()
        assert file.sha256 is not None
        assert blob_store().get(file.sha256) == data
        (session,) = _sessions(runner_id)
        stored = records_from_parquet(blob_store().get(session.records_sha256))
        decoded = decode_fit(data).sessions[0].records
        for name in COLUMNS:
            np.testing.assert_array_equal(getattr(stored, name), getattr(decoded, name))


def test_parquet_drops_absent_power_and_keeps_missing_values(app: Flask) -> None:
    records = synthetic_run(60, seed=2)
    hr = records.heart_rate_bpm.copy()
    hr[5:9] = np.nan
    power = np.full(60, np.nan)
    changed = type(records)(
        **{**{n: getattr(records, n) for n in COLUMNS}, "heart_rate_bpm": hr, "power_w": power}
    )
    back = records_from_parquet(records_to_parquet(changed))
    np.testing.assert_array_equal(back.heart_rate_bpm, hr)
    assert np.isnan(back.power_w).all()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.fit", b"", "empty file; not kept"),
        (
            "notes.fit",
            b"just some text, not a FIT file at all",
            "not a FIT file: no FIT header (12 or 14 bytes ending in '.FIT'); not kept",
        ),
    ],
)
def test_files_that_are_no_fit_file_are_refused_and_not_kept(
    app: Flask, name: str, content: bytes, reason: str
) -> None:
    runner_id = make_runner(app, "Rita")
    report = import_inline(app, runner_id, [(name, content)])
    row = by_name(report)[name]
    assert row["status"] == "failed"
    assert row["reason"] == reason
    with app.app_context():
        file = db.session.execute(sa.select(ImportFile)).scalar_one()
        assert file.sha256 is None
        assert db.session.execute(sa.select(sa.func.count()).select_from(Blob)).scalar_one() == 0


def test_a_file_damaged_part_of_the_way_is_imported_up_to_the_damage(app: Flask) -> None:
    """Issue #16: what comes before the damage is a session; the file says it is partial,
    the session carries a note, and the bytes are kept (a later decoder may read more)."""
    runner_id = make_runner(app, "Rita")
    whole = run_bytes(0, duration_s=300)
    content = whole[:-500]
    row = by_name(import_inline(app, runner_id, [("truncated.fit", content)]))["truncated.fit"]
    assert row["status"] == "imported"
    assert str(row["reason"]).startswith("partial file, damaged from byte"), row["reason"]
    assert "truncated file" in str(row["reason"])
    with app.app_context():
        file = db.session.execute(sa.select(ImportFile)).scalar_one()
        assert file.sha256 is not None
        assert blob_store().get(file.sha256) == content
        session = db.session.execute(sa.select(TrainingSession)).scalar_one()
        assert 0 < session.elapsed_time_s < 300
    whole_row = by_name(import_inline(app, make_runner(app, "Wim"), [("whole.fit", whole)]))
    assert whole_row["whole.fit"]["reason"] in ("", None)


def test_a_file_damaged_before_any_record_fails_with_its_reason_and_is_kept(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    content = run_bytes(0, duration_s=300)[:100]
    row = by_name(import_inline(app, runner_id, [("truncated.fit", content)]))["truncated.fit"]
    assert row["status"] == "failed"
    assert str(row["reason"]).startswith("truncated file"), row["reason"]
    with app.app_context():
        file = db.session.execute(sa.select(ImportFile)).scalar_one()
        assert file.sha256 is not None
        assert blob_store().get(file.sha256) == content


def test_a_corrupt_file_fails_with_the_decoders_reason(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    data = bytearray(run_bytes(0, duration_s=300))
    data[-1] ^= 0xFF  # the file CRC
    row = by_name(import_inline(app, runner_id, [("crc.fit", bytes(data))]))["crc.fit"]
    assert row["status"] == "failed"
    assert str(row["reason"]).startswith("bad file CRC")


def test_an_oversized_file_is_refused_and_its_bytes_not_kept(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #17: a file refused as too large keeps no bytes (at upload, and in the worker
    for a file listed before the limit was lowered); nothing else is lost."""
    runner_id = make_runner(app, "Rita")
    settings = app.extensions["smartrunning.settings"]
    good = run_bytes(1, duration_s=300)
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job = uploads.create_import(
            runner, [("listed.fit", run_bytes(0)), ("good.fit", good)], by=None, queue=False
        )
        job_id = job.id
    monkeypatch.setattr(settings, "max_fit_file_mb", 0.03)
    report = import_inline(app, runner_id, [("big.fit", run_bytes(2))])
    row = by_name(report)["big.fit"]
    assert row["status"] == "failed"
    assert "above MAX_FIT_FILE_MB = 0.03; not kept" in str(row["reason"])
    with app.app_context():
        import_jobs.run_inline(job_id)
        rows = {
            f.name: f
            for f in db.session.execute(sa.select(ImportFile).order_by(ImportFile.id)).scalars()
        }
        assert rows["big.fit"].sha256 is None
        assert rows["listed.fit"].status is FileStatus.FAILED
        assert rows["listed.fit"].sha256 is None
        assert "not kept" in rows["listed.fit"].reason
        assert rows["good.fit"].status is FileStatus.IMPORTED
        kept = set(db.session.execute(sa.select(Blob.sha256)).scalars())
        assert rows["good.fit"].sha256 in kept
        assert sha256_of(run_bytes(0)) not in kept
        assert sha256_of(run_bytes(2)) not in kept
        assert import_recovery.reprocess(db.session.get_one(Runner, runner_id)) == []


def test_non_activity_files_are_reported_as_such(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    files = [
        (name, (LOCAL_FIT_DIR / name).read_bytes())
        for name in ("Settings.fit", "MonitoringFile.fit", "WorkoutRepeatSteps.fit")
    ]
    rows = by_name(import_inline(app, runner_id, files))
    assert {n: r["status"] for n, r in rows.items()} == dict.fromkeys(
        ("Settings.fit", "MonitoringFile.fit", "WorkoutRepeatSteps.fit"), "not_activity"
    )
    assert rows["Settings.fit"]["reason"] == "a FIT settings file, not an activity"


def test_duplicates_by_bytes_and_by_overlapping_time_and_sport(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    first = run_bytes(0, seed=1)
    report = import_inline(app, runner_id, [("a.fit", first), ("again.fit", first)])
    rows = by_name(report)
    assert rows["a.fit"]["status"] == "imported"
    assert rows["again.fit"]["status"] == "duplicate"
    assert rows["again.fit"]["session_ids"] == rows["a.fit"]["session_ids"]
    # Another, shorter recording of the same run (other bytes, same time and sport).
    other = run_bytes(0, seed=2, duration_s=1400)
    later = by_name(import_inline(app, runner_id, [("watch2.fit", other), ("a.fit", first)]))
    assert later["watch2.fit"]["status"] == "duplicate"
    assert "overlaps" in str(later["watch2.fit"]["reason"])
    assert later["a.fit"]["status"] == "duplicate"
    assert "already imported" in str(later["a.fit"]["reason"])
    # A fuller recording of it (more records) replaces the one imported before: the order
    # of the uploads never decides which is kept.
    fuller = by_name(import_inline(app, runner_id, [("full.fit", run_bytes(0, duration_s=1600))]))
    assert fuller["full.fit"]["status"] == "imported"
    [old_id] = rows["a.fit"]["session_ids"]
    assert fuller["full.fit"]["reason"] == (f"a fuller recording than session {old_id} (replaced)")
    with app.app_context():
        assert db.session.get(TrainingSession, old_id) is None
        first_file = (
            db.session.execute(
                sa.select(ImportFile).where(ImportFile.name == "a.fit").order_by(ImportFile.id)
            )
            .scalars()
            .first()
        )
        assert first_file is not None
        assert first_file.status is FileStatus.DUPLICATE
        assert first_file.session_ids == fuller["full.fit"]["session_ids"]
        assert "a fuller recording of the same activity" in first_file.reason
    # The same time in another sport is another session.
    ride = run_bytes(0, seed=2, sport="cycling", sub_sport="road")
    assert (
        by_name(import_inline(app, runner_id, [("ride.fit", ride)]))["ride.fit"]["status"]
        == "imported"
    )
    with app.app_context():
        assert len(_sessions(runner_id)) == 2


def test_another_sport_is_imported_but_never_makes_a_personal_best(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    ride = run_bytes(0, sport="cycling", sub_sport="road")
    walk = run_bytes(1, sport="walking")
    report = import_inline(app, runner_id, [("ride.fit", ride), ("walk.fit", walk)])
    assert {f["status"] for f in report["files"]} == {"imported"}  # type: ignore[union-attr]
    with app.app_context():
        sessions = _sessions(runner_id)
        assert [s.sport for s in sessions] == ["cycling", "walking"]
        assert not any(s.counts_for_bests for s in sessions)
        assert db.session.execute(sa.select(sa.func.count(PersonalBest.id))).scalar_one() == 0
        ride_detail = session_schemas.session_detail(sessions[0])
        assert ride_detail.best_efforts == []
        assert ride_detail.zone_times["pace"] is None  # pace zones are for foot sports
        assert sessions[0].rtss is None


def test_treadmill_efforts_are_kept_and_flagged_but_not_personal_bests(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    mill = run_bytes(0, sub_sport="treadmill")
    import_inline(app, runner_id, [("mill.fit", mill)])
    with app.app_context():
        (session,) = _sessions(runner_id)
        assert session.treadmill
        assert not session.counts_for_bests
        assert session_schemas.session_detail(session).best_efforts
        assert db.session.execute(sa.select(sa.func.count(PersonalBest.id))).scalar_one() == 0


def test_a_multisport_file_gives_one_session_per_segment(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    start = DAY0 + dt.timedelta(days=3)
    swim_free = synthetic_run(1200, start=start, seed=4)
    ride = synthetic_run(1200, start=start + dt.timedelta(seconds=1300), seed=5)
    data = encode_activity(
        [Segment(swim_free, sport="running"), Segment(ride, sport="cycling", sub_sport="road")]
    )
    row = by_name(import_inline(app, runner_id, [("brick.fit", data)]))["brick.fit"]
    assert row["status"] == "imported"
    assert len(row["session_ids"]) == 2
    with app.app_context():
        assert [s.sport for s in _sessions(runner_id)] == ["running", "cycling"]


def test_job_report_counts_every_file(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    report = import_inline(
        app, runner_id, [("a.fit", run_bytes(0)), ("b.fit", run_bytes(1)), ("bad.fit", b"x")]
    )
    assert report["files_total"] == 3
    assert report["files_done"] == 3
    assert report["by_status"] == {"imported": 2, "failed": 1}


def test_session_list_filters_sorts_and_pages_in_a_fixed_number_of_queries(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    files = [(f"r{i}.fit", run_bytes(i, duration_s=600 + 60 * i, seed=i)) for i in range(5)]
    files.append(("ride.fit", run_bytes(6, sport="cycling", sub_sport="road")))
    import_inline(app, runner_id, files)
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            page = session_services.list_sessions(runner, page_size=2)
            first_count = len(statements)
            for s in page.items:
                session_schemas.session_summary(s)
            big = session_services.list_sessions(runner, page_size=50)
            for s in big.items:
                session_schemas.session_summary(s)
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        assert first_count == 2
        assert len(statements) == 4, statements
        assert page.total == 6
        assert page.pages == 3
        assert [s.local_date.day for s in page.items] == [7, 5]
        running = session_services.list_sessions(runner, sport="running", sort="distance")
        assert [s.local_date.day for s in running.items] == [5, 4, 3, 2, 1]
        window = session_services.list_sessions(
            runner, date_from=dt.date(2024, 3, 2), date_to=dt.date(2024, 3, 3), direction="asc"
        )
        assert [s.local_date.day for s in window.items] == [2, 3]
        assert session_services.sports(runner) == ["cycling", "running"]


def test_series_and_track_for_charts_are_downsampled(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    import_inline(app, runner_id, [("a.fit", run_bytes(0, duration_s=3000))])
    with app.app_context():
        (session,) = _sessions(runner_id)
        series = session_services.session_series(session, max_points=300)
        assert series["points"] == 300
        assert len(series["heart_rate_bpm"]) == 300
        assert len(series["distance_m"]) == 300
        assert series["distance_m"] == sorted(series["distance_m"])
        track = session_services.session_track(session, max_points=100)
        assert 90 <= len(track["points"]) <= 101
        (south, west), (north, east) = track["bounds"]
        assert south < north
        assert west < east


def test_a_session_of_a_runner_you_cannot_see_is_not_found(app: Flask) -> None:
    world = make_world(app)
    import_inline(app, world.runner_id, [("a.fit", run_bytes(0))])
    with app.app_context():
        (session,) = _sessions(world.runner_id)
        coach = db.session.get_one(User, world.coach)
        assert session_services.visible_session(coach, session.id).id == session.id
        other = db.session.get_one(User, world.other_coach)
        with pytest.raises(NotFound):
            session_services.visible_session(other, session.id)
        with pytest.raises(NotFound):
            session_services.delete_session(other, session.id)


def test_blobs_larger_than_a_chunk_stream_in_and_out(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smartrunning.platform import blobs

    monkeypatch.setattr(blobs, "CHUNK_BYTES", 1000)
    data = bytes(range(256)) * 20  # 5120 bytes: 6 chunks
    with app.app_context():
        store = blob_store()
        sha, size = store.put_file(io.BytesIO(data))
        db.session.commit()
        assert size == len(data)
        assert store.get(sha) == data
        with store.open(sha) as stream:
            stream.seek(2500)
            assert stream.read(1000) == data[2500:3500]
            stream.seek(-10, io.SEEK_END)
            assert stream.read() == data[-10:]
        store.delete(sha)
        db.session.commit()
        assert not store.exists(sha)


def test_sweep_releases_dead_claims_and_fails_a_file_that_keeps_killing_workers(
    app: Flask,
) -> None:
    import socket

    from smartrunning.sessions.models import ImportJob

    runner_id = make_runner(app, "Rita")
    with app.app_context():
        runner = db.session.get_one(Runner, runner_id)
        job = uploads.create_import(
            runner, [("a.fit", run_bytes(0)), ("b.fit", run_bytes(1))], by=None, queue=False
        )
        a, b = import_jobs.pending_file_ids(job.id)
        assert import_jobs.claim([a], "elsewhere:123") == [a]
        assert import_jobs.claim([b], f"{socket.gethostname()}:999999999") == [b]
        claimed_at = db.session.get_one(ImportFile, a).claimed_at
        assert claimed_at is not None
        fresh = import_recovery.sweep(now=claimed_at + dt.timedelta(seconds=5))
        assert fresh.released == [b], "a dead process on this host is released at once"
        assert fresh.jobs_with_pending == [job.id]
        later = import_recovery.sweep(
            now=claimed_at + dt.timedelta(seconds=import_recovery.STALE_CLAIM_S + 1)
        )
        assert later.released == [a], "another host's claim is released once stale"
        for _ in range(import_recovery.MAX_ATTEMPTS - 1):
            import_jobs.claim([a], "elsewhere:123")
            import_recovery.sweep(now=clock.now() + dt.timedelta(hours=1))
        poisoned = db.session.get_one(ImportFile, a, populate_existing=True)
        assert poisoned.status is FileStatus.FAILED
        assert poisoned.reason == "the worker stopped 3 times while processing this file"
        assert db.session.get_one(ImportJob, job.id).status.value == "running"
