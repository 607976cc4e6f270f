"""ZIP uploads: nested folders and archives, skipped entries, and every ZIP-bomb limit."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.platform.blobs import blob_store
from smartrunning.platform.db import db
from smartrunning.sessions.models import (
    FileKind,
    FileStatus,
    ImportFile,
    TrainingSession,
)
from tests.helpers import make_runner
from tests.sessions.sessiondata import by_name, import_inline, run_bytes, zip_bytes


def _settings(app: Flask, monkeypatch: pytest.MonkeyPatch, **values: object) -> None:
    settings = app.extensions["smartrunning.settings"]
    for name, value in values.items():
        monkeypatch.setattr(settings, name, value)


def _archive_row(app: Flask, name: str) -> ImportFile:
    with app.app_context():
        row = db.session.execute(sa.select(ImportFile).where(ImportFile.name == name)).scalar_one()
        db.session.expunge(row)
        return row


def test_a_garmin_style_export_is_expanded_with_nested_zips_and_skipped_entries(
    app: Flask,
) -> None:
    runner_id = make_runner(app, "Rita")
    inner = zip_bytes([("UploadedFiles/run2.FIT", run_bytes(2)), ("notes.json", b"{}")])
    export = zip_bytes(
        [
            ("DI_CONNECT/run0.fit", run_bytes(0)),
            ("DI_CONNECT/deeper/run1.fit", run_bytes(1)),
            ("DI_CONNECT/part1.zip", inner),
            ("DI_CONNECT/summary.csv", b"a,b\n"),
        ]
    )
    report = import_inline(app, runner_id, [("export.zip", export)])
    assert report["status"] == "done"
    rows = by_name(report)
    assert rows["export.zip"]["status"] == "expanded"
    assert rows["export.zip/DI_CONNECT/run0.fit"]["status"] == "imported"
    assert rows["export.zip/DI_CONNECT/deeper/run1.fit"]["status"] == "imported"
    assert rows["export.zip/DI_CONNECT/part1.zip"]["status"] == "expanded"
    assert rows["export.zip/DI_CONNECT/part1.zip/UploadedFiles/run2.FIT"]["status"] == "imported"
    assert rows["export.zip/DI_CONNECT/summary.csv"]["status"] == "skipped"
    assert rows["export.zip/DI_CONNECT/part1.zip/notes.json"]["status"] == "skipped"
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count(TrainingSession.id))).scalar_one() == 3
        archive = db.session.execute(
            sa.select(ImportFile).where(ImportFile.name == "export.zip")
        ).scalar_one()
        assert archive.sha256 is not None
        assert blob_store().get(archive.sha256) == export


def test_too_many_entries_refuse_the_archive_and_keep_it(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    _settings(app, monkeypatch, zip_max_entries=3)
    runner_id = make_runner(app, "Rita")
    bomb = zip_bytes([(f"f{i}.fit", b"x") for i in range(5)])
    row = by_name(import_inline(app, runner_id, [("many.zip", bomb)]))["many.zip"]
    assert row["status"] == "failed"
    assert row["reason"] == "ZIP bomb? 5 entries, more than ZIP_MAX_ENTRIES = 3 for one upload"
    archive = _archive_row(app, "many.zip")
    with app.app_context():
        assert archive.sha256 is not None
        assert blob_store().get(archive.sha256) == bomb


def test_too_many_uncompressed_bytes_refuse_the_archive(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    _settings(app, monkeypatch, zip_max_total_mb=0.05)
    runner_id = make_runner(app, "Rita")
    big = zip_bytes([("a.fit", run_bytes(0, duration_s=3000))])
    row = by_name(import_inline(app, runner_id, [("big.zip", big)]))["big.zip"]
    assert row["status"] == "failed"
    assert "MB uncompressed, more than ZIP_MAX_TOTAL_MB = 0.05" in str(row["reason"])


def test_an_archive_that_expands_too_much_is_refused(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    bomb = zip_bytes([("zeros.fit", bytes(20_000_000))])
    row = by_name(import_inline(app, runner_id, [("bomb.zip", bomb)]))["bomb.zip"]
    assert row["status"] == "failed"
    assert "more than ZIP_MAX_RATIO = 100" in str(row["reason"])


def test_one_entry_that_expands_too_much_is_refused_alone(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    entries = [(f"run{i}.fit", run_bytes(i, duration_s=2400, seed=i)) for i in range(4)]
    entries.append(("zeros.fit", bytes(300_000)))
    rows = by_name(import_inline(app, runner_id, [("mixed.zip", zip_bytes(entries))]))
    assert rows["mixed.zip"]["status"] == "expanded"
    zeros = rows["mixed.zip/zeros.fit"]
    assert zeros["status"] == "failed"
    assert "the entry expands" in str(zeros["reason"])
    assert "not extracted" in str(zeros["reason"])
    assert [rows[f"mixed.zip/run{i}.fit"]["status"] for i in range(4)] == ["imported"] * 4


def test_archives_nested_too_deep_are_refused(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    _settings(app, monkeypatch, zip_max_depth=1)
    runner_id = make_runner(app, "Rita")
    level2 = zip_bytes([("run.fit", run_bytes(0))])
    level1 = zip_bytes([("level2.zip", level2)])
    outer = zip_bytes([("level1.zip", level1)])
    rows = by_name(import_inline(app, runner_id, [("outer.zip", outer)]))
    assert rows["outer.zip/level1.zip"]["status"] == "expanded"
    deep = rows["outer.zip/level1.zip/level2.zip"]
    assert deep["status"] == "failed"
    assert "more than ZIP_MAX_DEPTH = 1" in str(deep["reason"])


def _encrypted(archive: bytes, name: bytes = b"locked.fit") -> bytes:
    """Set the "encrypted" flag of entry ``name`` (zipfile cannot write encrypted entries)."""
    data = bytearray(archive)
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        name_length = int.from_bytes(data[at + 28 : at + 30], "little")
        if bytes(data[at + 46 : at + 46 + name_length]) == name:
            data[at + 8] |= 0x1
            return bytes(data)
        at += 46


def test_unsafe_paths_and_encrypted_entries_are_not_extracted(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/evil.fit", run_bytes(0))
        archive.writestr("/abs/evil2.fit", run_bytes(1))
        archive.writestr("locked.fit", run_bytes(2))
        archive.writestr("fine.fit", run_bytes(3))
    rows = by_name(import_inline(app, runner_id, [("hostile.zip", _encrypted(buffer.getvalue()))]))
    evil = rows["hostile.zip/../../etc/evil.fit"]
    assert evil["status"] == "failed"
    assert "unsafe path" in str(evil["reason"])
    assert "unsafe path" in str(rows["hostile.zip//abs/evil2.fit"]["reason"])
    assert rows["hostile.zip/locked.fit"]["reason"] == "encrypted entry; not extracted"
    assert rows["hostile.zip/fine.fit"]["status"] == "imported"


def test_a_damaged_zip_fails_with_its_reason_and_is_kept(app: Flask) -> None:
    runner_id = make_runner(app, "Rita")
    damaged = zip_bytes([("a.fit", run_bytes(0))])[:200]
    row = by_name(import_inline(app, runner_id, [("damaged.zip", damaged)]))["damaged.zip"]
    assert row["status"] == "failed"
    assert str(row["reason"]).startswith("not a readable ZIP archive")
    assert _archive_row(app, "damaged.zip").kind is FileKind.ARCHIVE


def test_a_large_archive_is_read_through_the_chunked_blob_stream(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smartrunning.platform import blobs

    monkeypatch.setattr(blobs, "CHUNK_BYTES", 64 * 1024)
    runner_id = make_runner(app, "Rita")
    entries = [(f"run{i}.fit", run_bytes(i, duration_s=1200, seed=i)) for i in range(6)]
    archive = zip_bytes(entries, method=zipfile.ZIP_STORED)
    assert len(archive) > 3 * 64 * 1024
    rows = by_name(import_inline(app, runner_id, [("stored.zip", archive)]))
    assert [rows[f"stored.zip/run{i}.fit"]["status"] for i in range(6)] == ["imported"] * 6
    with app.app_context():
        row = db.session.execute(
            sa.select(ImportFile).where(ImportFile.name == "stored.zip")
        ).scalar_one()
        assert row.status is FileStatus.EXPANDED
