"""Importing workouts: the default library, per-file reports, broken and malicious files
(billion laughs, external entities, ZIP bombs), duplicates; never a half import."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from smartrunning.accounts.models import (
    Role,
    User,
)
from smartrunning.platform.db import db
from smartrunning.platform.errors import NotFound
from smartrunning.workouts import actions as workout_services
from smartrunning.workouts import imports as workout_imports
from smartrunning.workouts.models import (
    Workout,
    WorkoutTag,
)
from tests.helpers import make_user

DATA = Path(__file__).resolve().parent.parent / "data" / "zwo"
STEADY = b"""<workout_file><name>%s</name><sportType>run</sportType><tags><tag name="kind:easy"/>
</tags><workout><SteadyState Duration="600" Power="0.8"/></workout></workout_file>"""


def zwo(name: str) -> bytes:
    return STEADY % name.encode()


def zip_of(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def counts() -> tuple[int, int]:
    workouts = db.session.execute(sa.select(sa.func.count()).select_from(Workout)).scalar_one()
    tags = db.session.execute(sa.select(sa.func.count()).select_from(WorkoutTag)).scalar_one()
    return int(workouts), int(tags)


def statuses(report: workout_imports.ImportReport) -> dict[str, str]:
    return {r.name: r.status for r in report.results}


# --- the default library ------------------------------------------------------------------


def test_default_library_loads_38_workouts_once(app: Flask) -> None:
    with app.app_context():
        first = workout_imports.load_default_library()
        db.session.commit()
        assert first.counts == {"imported": 38}
        assert counts()[0] == 38
        kinds = {w.kind for w in db.session.execute(sa.select(Workout)).scalars()}
        assert {"easy", "recovery", "long", "progression", "tempo", "threshold"} <= kinds
        assert {"vo2max", "hills", "strides", "race-pace"} <= kinds
        second = workout_imports.load_default_library()
        db.session.commit()
        assert second.counts == {"duplicate": 38}
        assert second.imported == 0
        assert counts()[0] == 38


def test_a_deleted_default_is_archived_and_not_loaded_again(app: Flask) -> None:
    with app.app_context():
        workout_imports.load_default_library()
        easy = db.session.execute(
            sa.select(Workout).where(Workout.name == "Easy run 30 min")
        ).scalar_one()
        assert workout_services.delete_workout(easy) == "archived"
        db.session.commit()
        again = workout_imports.load_default_library()
        assert again.imported == 0
        assert workout_services.list_workouts().total == 37
        with pytest.raises(NotFound):
            workout_services.get_workout(easy.id)
        assert workout_services.get_workout(easy.id, include_archived=True).archived


def _older_version(name: str, *, archived: bool) -> int:
    """A default named ``name`` as an earlier release shipped it (other content)."""
    older = db.session.execute(sa.select(Workout).where(Workout.name == name)).scalar_one()
    older.zwo = older.zwo.replace("</description>", " (earlier version)</description>")
    older.content_sha256 = "0" * 64
    if archived:
        older.archived_at = older.created_at
    db.session.commit()
    return int(older.id)


def test_a_changed_default_supersedes_its_earlier_version(app: Flask) -> None:
    """A release changes a default (issue #15: easy runs into Daniels' E band): loading the
    defaults again stores the new version and archives the old one, one of each name."""
    with app.app_context():
        workout_imports.load_default_library()
        old_id = _older_version("Easy run 30 min", archived=False)
        again = workout_imports.load_default_library()
        assert again.counts == {"duplicate": 37, "imported": 1}
        assert workout_services.list_workouts().total == 38
        assert workout_services.get_workout(old_id, include_archived=True).archived
        active = list(
            db.session.execute(
                sa.select(Workout).where(
                    Workout.name == "Easy run 30 min", Workout.archived_at.is_(None)
                )
            ).scalars()
        )
        assert len(active) == 1
        assert active[0].id != old_id


def test_a_default_a_coach_removed_stays_out_in_its_new_version(app: Flask) -> None:
    with app.app_context():
        workout_imports.load_default_library()
        _older_version("Easy run 30 min", archived=True)
        again = workout_imports.load_default_library()
        assert again.imported == 1
        assert workout_services.list_workouts().total == 37
        assert not db.session.execute(
            sa.select(Workout).where(
                Workout.name == "Easy run 30 min", Workout.archived_at.is_(None)
            )
        ).first()


# --- importing files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("billion-laughs.zwo", "line 2: a DTD"),
        ("xxe-passwd.zwo", "line 2: a DTD"),
        ("xxe-parameter.zwo", "line 2: a DTD"),
        ("external-dtd.zwo", "line 2: a DTD"),
        ("undefined-entity.zwo", "line 3: not well-formed XML: undefined entity"),
        ("broken-unclosed.zwo", "line 6: not well-formed XML"),
        ("broken-unknown-element.zwo", "line 7: unknown element <Sprint>"),
        ("broken-missing-power.zwo", "line 6: <SteadyState> needs a Power attribute"),
        ("broken-duration-text.zwo", "line 7: <SteadyState> Duration must be a number"),
        ("broken-negative-duration.zwo", "line 8: <IntervalsT> OnDuration"),
    ],
)
def test_broken_and_malicious_files_fail_with_the_line_and_store_nothing(
    app: Flask, name: str, reason: str
) -> None:
    with app.app_context():
        report = workout_imports.import_files([(name, (DATA / name).read_bytes())], by=None)
        db.session.commit()
        (result,) = report.results
        assert result.status == "failed"
        assert result.message.startswith(reason), result.message
        assert result.workout_id is None
        assert "root:" not in result.message  # /etc/passwd was never read
        assert counts() == (0, 0)


def test_a_batch_imports_the_good_files_reports_the_rest_and_spots_duplicates(
    app: Flask,
) -> None:
    archive = zip_of(
        {
            "set/one.zwo": zwo("One"),
            "set/two.zwo": zwo("Two"),
            "set/again.zwo": zwo("One"),
            "set/laughs.zwo": (DATA / "billion-laughs.zwo").read_bytes(),
            "set/readme.txt": b"not a workout",
            "nested.zip": zip_of({"x.zwo": zwo("X")}),
            "../escape.zwo": zwo("Escape"),
        }
    )
    with app.app_context():
        report = workout_imports.import_files(
            [("lib.zip", archive), ("loose.zwo", zwo("Two")), ("empty.zwo", b"")], by=None
        )
        db.session.commit()
        assert statuses(report) == {
            "lib.zip/set/one.zwo": "imported",
            "lib.zip/set/two.zwo": "imported",
            "lib.zip/set/again.zwo": "duplicate",
            "lib.zip/set/laughs.zwo": "failed",
            "lib.zip/set/readme.txt": "skipped",
            "lib.zip/nested.zip": "skipped",
            "lib.zip/escape.zwo": "failed",
            "loose.zwo": "duplicate",
            "empty.zwo": "failed",
        }
        assert report.counts == {"imported": 2, "duplicate": 2, "failed": 3, "skipped": 2}
        assert counts() == (2, 2)
        again = workout_imports.import_files([("lib.zip", archive)], by=None)
        assert again.imported == 0


def test_zip_bombs_are_refused_before_anything_is_extracted(app: Flask) -> None:
    ratio_bomb = zip_of({"bomb.zwo": b" " * 900_000 + zwo("Bomb")})
    oversized = zip_of({"big.zwo": b" " * 2_000_000}, zipfile.ZIP_STORED)
    with app.app_context():
        report = workout_imports.import_files(
            [("ratio.zip", ratio_bomb), ("big.zip", oversized), ("junk.zip", b"PK\x03\x04junk")],
            by=None,
        )
        results = {r.name: r.message for r in report.results}
        assert "compression ratio too high" in results["ratio.zip/bomb.zwo"]
        assert "too large" in results["big.zip/big.zwo"]
        assert results["junk.zip"] == "not a ZIP archive"
        assert report.counts == {"failed": 3}
        assert counts() == (0, 0)


def test_zip_limits_come_from_the_settings(app: Flask) -> None:
    app.extensions["smartrunning.settings"].zip_max_entries = 2
    archive = zip_of({f"{n}.zwo": zwo(str(n)) for n in range(3)})
    with app.app_context():
        (result,) = workout_imports.import_files([("many.zip", archive)], by=None).results
        assert result.status == "failed"
        assert "too many entries" in result.message


def test_a_file_without_a_name_is_named_after_the_file(app: Flask) -> None:
    data = b"<workout_file><sportType>run</sportType><workout><FreeRide Duration='60'/>"
    data += b"</workout></workout_file>"
    with app.app_context():
        (result,) = workout_imports.import_files([("dir/My Run.zwo", data)], by=None).results
        assert result.status == "imported"
        assert result.workout_name == "My Run"


def test_imported_workouts_are_owned_by_the_importer(app: Flask) -> None:
    coach_id = make_user(app, "kim", Role.COACH)
    with app.app_context():
        coach = db.session.get_one(User, coach_id)
        (result,) = workout_imports.import_files([("a.zwo", zwo("Mine"))], by=coach).results
        workout = db.session.get_one(Workout, result.workout_id)
        assert workout.owner_id == coach_id
        assert not workout.is_default
        assert workout_services.can_edit(coach, workout)
