"""ZIP archives of ZWO files: each file on its own, unsafe names, bombs and limits."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from smartrunning.science.workouts import Workout
from smartrunning.science.zwo import MAX_ZWO_BYTES, ZwoError, read_zwo
from smartrunning.science.zwo_zip import ZipLimits, read_zip
from tests.core.zwodata import fixture, zwo


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


GOOD = zwo('<SteadyState Duration="600" Power="0.75"/>')


def test_zip_reports_each_file_and_never_half_imports() -> None:
    data = make_zip(
        {
            "good.zwo": GOOD,
            "folder/also-good.ZWO": fixture("distance.zwo"),
            "broken.zwo": fixture("broken-unknown-element.zwo"),
            "attack.zwo": fixture("billion-laughs.zwo"),
            "folder/": b"",
            "__MACOSX/._good.zwo": b"\x00\x05\x16\x07",
            "readme.txt": b"hello",
        }
    )
    results = dict(read_zip(data))
    assert set(results) == {
        "good.zwo",
        "folder/also-good.ZWO",
        "broken.zwo",
        "attack.zwo",
        "readme.txt",
    }
    assert isinstance(results["good.zwo"], Workout)
    assert isinstance(results["folder/also-good.ZWO"], Workout)
    broken = results["broken.zwo"]
    assert isinstance(broken, ZwoError)
    assert broken.line == 7
    assert isinstance(results["attack.zwo"], ZwoError)
    assert isinstance(results["readme.txt"], ZwoError)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../evil.zwo", "evil.zwo"),
        ("a/../../evil.zwo", "evil.zwo"),
        ("/etc/evil.zwo", "evil.zwo"),
        ("C:/evil.zwo", "evil.zwo"),
        ("..\\..\\evil.zwo", "evil.zwo"),
        ("sub/..", "(unnamed)"),
    ],
)
def test_zip_path_traversal_names_are_refused(raw: str, shown: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(raw), GOOD)
    [(name, result)] = read_zip(buffer.getvalue())
    assert name == shown
    assert isinstance(result, ZwoError)
    assert "unsafe path" in str(result)


def test_zip_names_are_normalised() -> None:
    [(name, result)] = read_zip(make_zip({"./a//b/./c.zwo": GOOD}))
    assert name == "a/b/c.zwo"
    assert isinstance(result, Workout)


def test_zip_nested_archives_are_not_opened() -> None:
    inner = make_zip({"inside.zwo": GOOD})
    [(name, result)] = read_zip(make_zip({"inner.zip": inner}))
    assert name == "inner.zip"
    assert isinstance(result, ZwoError)
    assert "not opened" in str(result)


def test_zip_bomb_by_ratio_is_refused() -> None:
    padded = GOOD.replace(b"<workout>", b"<workout>" + b" " * 900_000)
    assert len(padded) < MAX_ZWO_BYTES
    assert isinstance(read_zwo(padded), Workout)
    [(_, result)] = read_zip(make_zip({"bomb.zwo": padded}))
    assert isinstance(result, ZwoError)
    assert "ratio" in str(result)


def test_zip_entry_larger_than_a_zwo_file_is_refused() -> None:
    [(_, result)] = read_zip(make_zip({"big.zwo": b"<" * (MAX_ZWO_BYTES + 10)}, zipfile.ZIP_STORED))
    assert isinstance(result, ZwoError)
    assert "too large" in str(result)


def test_zip_total_size_limit_refuses_the_archive() -> None:
    data = make_zip({f"w{i}.zwo": GOOD for i in range(5)}, zipfile.ZIP_STORED)
    with pytest.raises(ZwoError, match="too large when extracted"):
        read_zip(data, ZipLimits(max_total_bytes=4 * len(GOOD)))


def test_zip_entry_count_limit_refuses_the_archive() -> None:
    data = make_zip({f"w{i}.zwo": GOOD for i in range(6)})
    with pytest.raises(ZwoError, match="too many entries"):
        read_zip(data, ZipLimits(max_entries=5))
    assert len(read_zip(data, ZipLimits(max_entries=6))) == 6


def test_zip_archive_size_limit() -> None:
    data = make_zip({"w.zwo": GOOD})
    with pytest.raises(ZwoError, match="archive too large"):
        read_zip(data, ZipLimits(max_archive_bytes=len(data) - 1))


def test_zip_lying_size_header_does_not_import_a_truncated_file() -> None:
    data = bytearray(make_zip({"liar.zwo": GOOD}))
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 40)  # uncompressed size in the directory
    [(_, result)] = read_zip(bytes(data))
    assert isinstance(result, ZwoError)


def test_not_a_zip() -> None:
    with pytest.raises(ZwoError, match="not a ZIP archive"):
        read_zip(b"PK but not really")
