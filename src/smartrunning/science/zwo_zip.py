"""Read a ZIP archive of ZWO workout files, each on its own, within ``ZipLimits``.

``read_zip(bytes) -> list[ZipEntry]`` gives every ``.zwo`` entry's workout or its
``ZwoError``, so a caller imports the good files and reports the others. The archive is
read in memory with bounds against ZIP bombs (archive size, entry count, declared and
extracted sizes, compression ratio); entry names that would escape the archive's folder
are refused, and archives inside the archive are not opened. Each file is parsed by
``zwo.read_zwo``.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Final, NamedTuple

from smartrunning.science.workouts import Workout
from smartrunning.science.zwo import MAX_ZWO_BYTES, ZwoError, read_zwo

__all__ = [
    "ZipEntry",
    "ZipLimits",
    "read_zip",
]


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Bounds against ZIP bombs; sizes in bytes. Entries that are archives are not opened."""

    max_archive_bytes: int = 32 * 1024 * 1024
    max_entries: int = 1000
    max_entry_bytes: int = MAX_ZWO_BYTES
    max_total_bytes: int = 64 * 1024 * 1024
    max_ratio: float = 100.0


class ZipEntry(NamedTuple):
    """One file of an archive: its (safe, relative) name and the workout or the error."""

    name: str
    result: Workout | ZwoError


_DRIVE: Final = re.compile(r"[A-Za-z]:")


def _safe_name(raw: str) -> str | None:
    """The entry's path as a relative POSIX path, or None when it tries to escape."""
    name = raw.replace("\\", "/")
    if "\x00" in name or name.startswith("/") or _DRIVE.match(name):
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or ".." in parts:
        return None
    return "/".join(parts)


def _entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits) -> Workout:
    if info.flag_bits & 0x1:
        raise ZwoError("encrypted entries are not read")
    if info.filename.lower().endswith((".zip", ".jar", ".gz", ".tgz", ".7z")):
        raise ZwoError("archives inside the archive are not opened")
    if not info.filename.lower().endswith(".zwo"):
        raise ZwoError("not a .zwo file")
    if info.file_size > limits.max_entry_bytes:
        raise ZwoError(f"too large ({info.file_size} bytes uncompressed)")
    if info.file_size > limits.max_ratio * max(info.compress_size, 1):
        raise ZwoError("compression ratio too high (possible ZIP bomb)")
    try:
        with archive.open(info) as stream:
            data = stream.read(limits.max_entry_bytes + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError) as exc:
        raise ZwoError(f"cannot be extracted: {exc}") from None
    if len(data) > limits.max_entry_bytes:
        raise ZwoError("too large when extracted")
    return read_zwo(data)


def read_zip(data: bytes, limits: ZipLimits | None = None) -> list[ZipEntry]:
    """Read every ``.zwo`` file of a ZIP archive, each on its own.

    Each entry gives its workout or its ``ZwoError``, so the caller imports the good ones
    and reports the rest; directories and ``__MACOSX/`` resource forks are skipped. A
    problem with the archive as a whole (not a ZIP, too big, too many entries, too much
    uncompressed data declared) raises ``ZwoError`` and nothing is read.
    """
    limits = limits or ZipLimits()
    if len(data) > limits.max_archive_bytes:
        raise ZwoError(f"archive too large ({len(data)} bytes)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ZwoError("not a ZIP archive") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            raise ZwoError(f"too many entries ({len(infos)}; the limit is {limits.max_entries})")
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_total_bytes:
            raise ZwoError(f"archive too large when extracted ({declared} bytes)")
        entries: list[ZipEntry] = []
        for info in infos:
            if info.is_dir() or info.filename.startswith("__MACOSX/"):
                continue
            name = _safe_name(info.filename)
            if name is None:
                fallback = _safe_name(info.filename.replace("\\", "/").rsplit("/", 1)[-1])
                error = ZwoError(f"unsafe path {info.filename!r} refused")
                entries.append(ZipEntry(fallback or "(unnamed)", error))
                continue
            try:
                entries.append(ZipEntry(name, _entry(archive, info, limits)))
            except ZwoError as exc:
                entries.append(ZipEntry(name, exc))
    return entries
