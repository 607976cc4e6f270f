"""Measure the FIT decoders: files decoded, agreement with the reference, MB/s, records/s.

Usage::

    .venv/bin/python bench/decoders.py [PATH ...] [--repeat N] [--slow-repeat N]

PATHs are FIT files or folders (default: ``../shared/data/fit`` and ``tests/data/fit``;
identical files are counted once). Two generated runs are added: 1 Hz, 1 hour and 4 hours,
written by ``tests/core/fitwriter.py``.

Every candidate runs through ``decode_fit(data, decoder=NAME)``: bytes in, our
``DecodedFile`` (sessions of SI ``Records``, laps, device totals) out, so the figures are
the cost of the whole job, not of a library call alone. ``auto`` is the production chain.
The reference is garmin-fit-sdk with ``merge_heart_rates=False``; for files it cannot read
(compressed timestamps) fitdecode stands in, marked †. Agreement is per column at one
FIT encoding step (``smartrunning.science.fit.compare``).

Timing: each repeat decodes the whole batch; the table gives the median repeat (the CPU
may be shared: medians, and the minimum beside them). MB = 10⁶ bytes of FIT file.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The repository root, for ``tests.core.fitgen`` (bench/ is sys.path[0] otherwise).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import hashlib
import importlib.metadata
import platform
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass

from tests.core import fitgen

from smartrunning.science.fit import (
    DECODERS,
    DecodedFile,
    DecoderChoice,
    FitDecodeError,
    decode_fit,
)
from smartrunning.science.fit.compare import file_disagreements
from smartrunning.science.records import COLUMNS

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = (REPO.parent / "shared" / "data" / "fit", REPO / "tests" / "data" / "fit")
CANDIDATES: tuple[DecoderChoice, ...] = ("auto", *DECODERS)
SLOW = frozenset({"garmin-fit-sdk", "fitdecode"})
REFERENCE: DecoderChoice = "garmin-fit-sdk"
STAND_IN: DecoderChoice = "fitdecode"


@dataclass(frozen=True)
class FitFile:
    name: str
    data: bytes


def collect(paths: Iterable[Path]) -> list[FitFile]:
    """FIT files under ``paths``, each distinct content once (first name wins); the fuzz
    corpus (``fuzz/``: hostile inputs made for the fuzzer) is not part of the comparison."""
    seen: set[str] = set()
    files = []
    for path in paths:
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        for p in candidates:
            if p.is_file() and p.suffix.lower() == ".fit" and "fuzz" not in p.parts:
                data = p.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                if digest not in seen:
                    seen.add(digest)
                    files.append(FitFile(p.name, data))
    return files


def generated() -> list[FitFile]:
    return [
        FitFile(f"generated-{hours}h-1hz.fit", fitgen.run_file(s, seed=0))
        for hours, s in ((1, 3600), (4, 14_400))
    ]


def decode(data: bytes, decoder: DecoderChoice) -> DecodedFile | FitDecodeError:
    try:
        return decode_fit(data, decoder=decoder)
    except FitDecodeError as error:
        return error


def n_records(result: DecodedFile | FitDecodeError) -> int:
    if isinstance(result, FitDecodeError):
        return 0
    return sum(len(s.records) for s in result.sessions)


# --- correctness -------------------------------------------------------------------------


def file_cell(
    result: DecodedFile | FitDecodeError,
    reference: tuple[DecodedFile | FitDecodeError, str],
    decoder: DecoderChoice,
) -> str:
    if isinstance(result, FitDecodeError):
        return f"✗ {result.kind}"
    if not result.is_activity:
        return result.file_type
    cell = f"{n_records(result)} rec"
    if decoder == "auto" and result.decoder != "fitfast":
        cell += f" via {result.decoder}"
    ref, marked = reference
    if isinstance(ref, DecodedFile) and decoder != REFERENCE:
        diff = file_disagreements(ref, result)
        if diff:
            cell += f" ≠{marked} " + ", ".join(f"{k} {v}" for k, v in diff.items())
    return cell


def correctness(files: list[FitFile]) -> None:
    results = {d: [decode(f.data, d) for f in files] for d in CANDIDATES}
    references = []
    for i in range(len(files)):
        ref, marked = results[REFERENCE][i], ""
        if isinstance(ref, FitDecodeError) and "Compressed timestamp" in (ref.detail or ""):
            ref, marked = results[STAND_IN][i], "†"
        references.append((ref, marked))

    print("\n### Files: what each decoder makes of them\n")
    print("| file | bytes | " + " | ".join(CANDIDATES) + " |")
    print("|---|---:|" + "---|" * len(CANDIDATES))
    for i, f in enumerate(files):
        cells = [file_cell(results[d][i], references[i], d) for d in CANDIDATES]
        print(f"| {f.name} | {len(f.data)} | " + " | ".join(cells) + " |")

    print("\n### Summary against the reference (garmin-fit-sdk, merge_heart_rates=False)\n")
    header = ["decoder", "decoded", "rejects a file the reference(†) reads", "files ≠ (any)"]
    print("| " + " | ".join([*header, *COLUMNS]) + " |")
    print("|---" * (len(header) + len(COLUMNS)) + "|")
    for d in CANDIDATES:
        decoded = sum(isinstance(r, DecodedFile) for r in results[d])
        wrongly_rejected, differing = [], 0
        per_column = dict.fromkeys(COLUMNS, 0)
        compared = 0
        for i, f in enumerate(files):
            ref, _ = references[i]
            r = results[d][i]
            if isinstance(ref, DecodedFile) and isinstance(r, FitDecodeError):
                wrongly_rejected.append(f.name)
            if isinstance(ref, DecodedFile) and isinstance(r, DecodedFile) and ref.is_activity:
                compared += 1
                diff = file_disagreements(ref, r)
                differing += bool(diff)
                for column in COLUMNS:
                    per_column[column] += column in diff
        columns = [f"{compared - per_column[c]}/{compared}" for c in COLUMNS]
        rejected = f"{len(wrongly_rejected)}" + (
            f" ({', '.join(wrongly_rejected)})" if wrongly_rejected else ""
        )
        cells = [d, f"{decoded}/{len(files)}", rejected, str(differing), *columns]
        print("| " + " | ".join(cells) + " |")
    print("\nColumn cells: activity files agreeing within 1 LSB / activity files both decode.")


# --- speed ---------------------------------------------------------------------------------


def timed(
    files: list[FitFile], decoder: DecoderChoice, repeat: int
) -> tuple[list[float], int, int, int]:
    """Seconds per repeat over the files the decoder decodes; their count, bytes, records."""
    first = [(f, decode(f.data, decoder)) for f in files]  # also warms caches and imports
    ok = [f for f, r in first if isinstance(r, DecodedFile)]
    records = sum(n_records(r) for _, r in first)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for f in ok:
            decode_fit(f.data, decoder=decoder)
        runs.append(time.perf_counter() - start)
    return runs, len(ok), sum(len(f.data) for f in ok), records


def speed(title: str, files: list[FitFile], repeat: int, slow_repeat: int) -> None:
    print(f"\n### Speed: {title}\n")
    print(
        "| decoder | files | MB | runs | min s | median s | MB/s | records/s | files/s | vs SDK |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    medians = {}
    rows = []
    for d in CANDIDATES:
        runs, n_files, size, records = timed(files, d, slow_repeat if d in SLOW else repeat)
        med = statistics.median(runs)
        medians[d] = (med, size)
        rows.append((d, n_files, size, runs, med, records))
    sdk_rate = medians[REFERENCE][1] / medians[REFERENCE][0]
    for d, n_files, size, runs, med, records in rows:
        rate = size / med
        print(
            f"| {d} | {n_files} | {size / 1e6:.3f} | {len(runs)} | {min(runs):.4f} | {med:.4f} "
            f"| {rate / 1e6:.2f} | {records / med:,.0f} | {n_files / med:,.1f} "
            f"| {rate / sdk_rate:.1f}× |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="FIT files or folders")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs of fast decoders")
    parser.add_argument("--slow-repeat", type=int, default=3, help="timed runs of SDK/fitdecode")
    args = parser.parse_args(argv)
    paths = args.paths or [p for p in DEFAULT_PATHS if p.exists()]
    real = collect(paths)
    synthetic = generated()
    versions = ", ".join(
        f"{p} {importlib.metadata.version(p)}"
        for p in ("fitfast", "pyfitparsernative", "fitdecode", "garmin-fit-sdk")
    )
    print(f"# FIT decoders: {len(real)} real files from {', '.join(map(str, paths))}")
    print(f"\nPython {platform.python_version()} on {platform.machine()}; {versions}")
    correctness(real + synthetic)
    speed(f"batch of {len(real)} real files", real, args.repeat, args.slow_repeat)
    for f in synthetic:
        speed(f"{f.name} ({len(f.data) / 1e6:.2f} MB)", [f], args.repeat, args.slow_repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
