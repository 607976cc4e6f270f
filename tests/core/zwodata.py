"""ZWO test data: the sample files under ``tests/data/zwo`` and workouts written inline."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "zwo"


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def zwo(workout_body: str, head: str = "<sportType>run</sportType>") -> bytes:
    """A minimal file; the body starts on line 3."""
    return (
        f"<workout_file>{head}\n<workout>\n{workout_body}\n</workout>\n</workout_file>\n"
    ).encode()
