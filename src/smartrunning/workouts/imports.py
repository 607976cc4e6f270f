"""Importing ZWO files and ZIP archives of them into the library, with a per-file report.

Each file is read completely (``science.zwo``: DTDs, entities and external references
refused; ZIP bombs bounded by ``science.zwo_zip`` and the ``ZIP_*`` settings) before
anything is stored, and each workout is stored in its own savepoint: a broken file is
reported and never half-imported, and it never stops the others. A file whose workout is
already in the library (the same ZWO text once normalised: the same name and content) is
reported as a duplicate, so importing again is harmless.

The default library (``smartrunning/data/workouts/*.zwo``) loads the same way, marked
``is_default``; ``smartrunning init`` loads it, and a second run adds nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import PurePosixPath
from typing import Final, Literal

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from smartrunning.accounts.models import User
from smartrunning.platform import context
from smartrunning.platform.db import db, now_utc
from smartrunning.platform.errors import InvalidInput
from smartrunning.platform.transactions import transaction
from smartrunning.science import workouts as sw
from smartrunning.science.zwo import ZwoError
from smartrunning.science.zwo_zip import ZipLimits, read_zip
from smartrunning.workouts.actions import (
    create_workout,
    find_duplicate,
)
from smartrunning.workouts.models import Workout
from smartrunning.workouts.structure import (
    for_library,
    parse_zwo,
    zwo_text,
)

__all__ = [
    "ImportReport",
    "ImportResult",
    "ImportStatus",
    "default_library_files",
    "import_files",
    "load_default_library",
]

ImportStatus = Literal["imported", "duplicate", "skipped", "failed"]
_ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class ImportResult:
    """What became of one file (``name``: as uploaded; ``archive.zip/inner.zwo`` inside
    an archive): ``workout_id`` is the new workout, or the existing one it duplicates."""

    name: str
    status: ImportStatus
    message: str = ""
    workout_id: int | None = None
    workout_name: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.name,
            "status": self.status,
            "message": self.message,
            "workout_id": self.workout_id,
            "workout_name": self.workout_name,
        }


@dataclass(frozen=True)
class ImportReport:
    results: tuple[ImportResult, ...] = field(default_factory=tuple)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(r.status for r in self.results))

    @property
    def imported(self) -> int:
        return self.counts.get("imported", 0)

    @property
    def failed(self) -> int:
        return self.counts.get("failed", 0)

    def as_dict(self) -> dict[str, object]:
        return {"counts": self.counts, "files": [r.as_dict() for r in self.results]}


def _zip_limits() -> ZipLimits:
    settings = context.settings()
    base = ZipLimits()
    return ZipLimits(
        max_entries=min(base.max_entries, settings.zip_max_entries),
        max_total_bytes=min(base.max_total_bytes, int(settings.zip_max_total_mb * 1_000_000)),
        max_ratio=min(base.max_ratio, settings.zip_max_ratio),
    )


def _store(name: str, content: sw.Workout, *, by: User | None, is_default: bool) -> ImportResult:
    existing = find_duplicate(zwo_text(content), defaults=is_default)
    if existing is not None:
        return ImportResult(name, "duplicate", "already in the library", existing.id, existing.name)
    try:
        with db.session.begin_nested():
            workout = create_workout(content, by=by, is_default=is_default)
    except (InvalidInput, SQLAlchemyError) as exc:
        message = exc.message if isinstance(exc, InvalidInput) else "could not be stored"
        return ImportResult(name, "failed", message)
    return ImportResult(name, "imported", "", workout.id, workout.name)


def _stem(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).stem


def _one_zwo(name: str, data: bytes, *, by: User | None, is_default: bool) -> ImportResult:
    try:
        content = parse_zwo(data, fallback_name=_stem(name))
    except InvalidInput as exc:
        return ImportResult(name, "failed", exc.message.removeprefix("Not a valid ZWO file: "))
    return _store(name, content, by=by, is_default=is_default)


def _archive(name: str, data: bytes, *, by: User | None, is_default: bool) -> list[ImportResult]:
    try:
        entries = read_zip(data, _zip_limits())
    except ZwoError as exc:
        return [ImportResult(name, "failed", str(exc))]
    results = []
    for entry in entries:
        inner = f"{name}/{entry.name}"
        if not entry.name.lower().endswith(".zwo"):
            results.append(ImportResult(inner, "skipped", "not a .zwo file"))
        elif isinstance(entry.result, ZwoError):
            results.append(ImportResult(inner, "failed", str(entry.result)))
        else:
            try:
                content = for_library(entry.result, fallback_name=_stem(entry.name))
            except InvalidInput as exc:
                results.append(ImportResult(inner, "failed", exc.message))
                continue
            results.append(_store(inner, content, by=by, is_default=is_default))
    if not results:
        results.append(ImportResult(name, "skipped", "no .zwo files in the archive"))
    return results


def import_files(
    files: Iterable[tuple[str, bytes]], *, by: User | None, is_default: bool = False
) -> ImportReport:
    """Import ``(file name, bytes)`` pairs: ``.zwo`` files and ZIP archives of them.

    Commits the workouts stored, each in its own savepoint (a file that fails is undone
    alone); an unexpected error rolls the whole import back.
    """
    results: list[ImportResult] = []
    with transaction():
        for name, data in files:
            if data[:4] in _ZIP_MAGIC or name.lower().endswith(".zip"):
                results.extend(_archive(name, data, by=by, is_default=is_default))
            else:
                results.append(_one_zwo(name, data, by=by, is_default=is_default))
    return ImportReport(tuple(results))


def default_library_files() -> Sequence[tuple[str, bytes]]:
    """The shipped default workouts as (file name, bytes), by file name."""
    folder = resources.files("smartrunning").joinpath("data", "workouts")
    files = [item for item in folder.iterdir() if item.name.endswith(".zwo")]
    return [(item.name, item.read_bytes()) for item in sorted(files, key=lambda i: i.name)]


def load_default_library() -> ImportReport:
    """Load the default library (idempotent: defaults already loaded, or archived, are
    duplicates). A shipped default whose content changed (a new release's version, e.g. the
    easy runs moved into Daniels' E band, issue #15) supersedes the older defaults of the
    same name: they are archived (kept for the plans that use them), so the library holds
    one of each name; a default a coach archived stays out, its new version archived too.
    Commits."""
    with transaction():
        report = import_files(default_library_files(), by=None, is_default=True)
        for result in report.results:
            if result.status == "imported" and result.workout_id is not None:
                _supersede(result.workout_id)
    return report


def _supersede(workout_id: int) -> None:
    """Archive the older defaults named like the new default ``workout_id`` (see
    ``load_default_library``)."""
    new = db.session.get_one(Workout, workout_id)
    older = list(
        db.session.execute(
            sa.select(Workout).where(
                Workout.is_default.is_(True), Workout.name == new.name, Workout.id != new.id
            )
        ).scalars()
    )
    if not older:
        return
    removed = all(w.archived_at is not None for w in older)
    now = now_utc()
    for workout in older:
        if workout.archived_at is None:
            workout.archived_at = now
    if removed:  # a coach removed this default: its new version stays out too
        new.archived_at = now
    db.session.flush()
