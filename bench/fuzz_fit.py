"""Fuzz ``decode_fit`` for a long time, offline: random and mutated FIT files, one child process.

Usage::

    .venv/bin/python bench/fuzz_fit.py [--cases N] [--seed S] [--no-shared] [--limit-s T]

First the floods (``fitfuzz.floods``: ~1 MB activities of tiny messages, the most work per
byte), then the cases. Inputs are built by ``tests/core/fitfuzz.py`` (as in CI): mutated
real and generated files with their CRCs recomputed (most cases), random bytes, random
bytes behind a valid header, and random well-formed message streams. Each input is
decoded in a child process with a limit of CPU time (``--limit-s``, default 2 s + 3 s per
MB; no answer within 5× that in wall-clock time is a hang); a foreign exception, a
warning, a slow decode, a hang or a crash of the child is reported and the input
kept in ``test-artifacts/fit-fuzz/``. Seeds are ``tests/data/fit`` (with ``fuzz/``), six
generated files and, unless ``--no-shared``, every file of ``../shared/data/fit`` up to
200 kB. Prints the figures: cases, time, outcomes, decoders used, the slowest decodes.

The exit status is 1 when any input was not a ``DecodedFile`` or a ``FitDecodeError``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The repository root, for ``tests.core.fitfuzz`` (bench/ is sys.path[0] otherwise).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import collections
import importlib.metadata
import os
import platform
import time
from random import Random

from tests.core import fitfuzz, fitgen
from tests.core.fitwriter import wrap_fit


def draw(rng: Random) -> tuple[str, bytes]:
    """One input and its label: 70 % mutated seeds, 10 % each of the random kinds."""
    roll = rng.random()
    if roll < 0.1:
        blob = rng.randbytes(rng.choice((1, 12, 14, 100, 1000, 5000)))
        return f"random bytes ({len(blob)})", blob
    if roll < 0.2:
        blob = rng.randbytes(rng.choice((1, 10, 100, 1000, 5000)))
        return f"random bytes behind a valid header ({len(blob)})", wrap_fit(blob)
    if roll < 0.3:
        seed = rng.randrange(1 << 32)
        return f"random messages (seed {seed})", wrap_fit(fitfuzz.random_messages(Random(seed)))
    case = fitfuzz.random_case(rng)
    return repr(case), fitfuzz.build(case)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4), "little"))
    parser.add_argument("--no-shared", action="store_true", help="leave ../shared/data/fit out")
    parser.add_argument("--limit-s", type=float, default=None, help="time limit per input")
    parser.add_argument("--memory-mb", type=int, default=2048, help="child address-space cap")
    parser.add_argument(
        "--flood-bytes", type=int, default=990_000, help="size of the flood inputs (0: none)"
    )
    args = parser.parse_args()

    if not args.no_shared and fitgen.SHARED_FIT_DIR.is_dir():
        fitfuzz.EXTRA_SEED_DIRS.append(fitgen.SHARED_FIT_DIR)
    seeds = fitfuzz.seeds()
    versions = ", ".join(
        f"{name} {importlib.metadata.version(name)}"
        for name in ("fitfast", "pyfitparsernative", "fitdecode", "garmin-fit-sdk")
    )
    print(f"seed {args.seed}, {args.cases} cases, {len(seeds)} seed files; {versions}")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    rng = Random(args.seed)
    outcomes: collections.Counter[str] = collections.Counter()
    bad: list[str] = []
    slowest: list[tuple[float, str, int]] = []
    total_bytes = 0
    decode_s = 0.0
    start = time.perf_counter()
    cpu_start = time.process_time()
    with fitfuzz.DecodeWorker(memory_limit_mb=args.memory_mb) as worker:
        floods = fitfuzz.floods(args.flood_bytes) if args.flood_bytes else {}
        for name, data in floods.items():
            outcome = worker.decode(data, args.limit_s)
            ok = "ok" if outcome.acceptable else "FAILED"
            print(f"flood of {name}: {outcome.seconds:.2f} s CPU, {outcome.status} {ok}")
            if not outcome.acceptable:
                bad.append(fitfuzz.describe(data, outcome, f"flood of {name}"))
        for i in range(1, args.cases + 1):
            label, data = draw(rng)
            outcome = worker.decode(data, args.limit_s)
            total_bytes += len(data)
            decode_s += outcome.seconds
            if outcome.status == "decoded":
                outcomes[f"decoded by {outcome.decoder}"] += 1
            elif outcome.acceptable:
                outcomes[f"FitDecodeError: {outcome.detail}"] += 1
            else:
                outcomes[outcome.status] += 1
                bad.append(fitfuzz.describe(data, outcome, label))
                print(f"\n!!! case {i}: {bad[-1]}\n", flush=True)
            slowest = sorted([*slowest, (outcome.seconds, label, len(data))], reverse=True)[:5]
            if i % 5000 == 0:
                print(f"{i} cases, {time.perf_counter() - start:.0f} s", flush=True)
        exit_code = worker.close()
    wall = time.perf_counter() - start
    print(f"\n{args.cases} cases, {total_bytes / 1e6:.1f} MB in {wall:.0f} s wall")
    driver_cpu = time.process_time() - cpu_start
    print(f"  decoding in the child: {decode_s:.0f} s; driver CPU {driver_cpu:.0f} s")
    print(f"  child exit code {exit_code}")
    for name, count in sorted(outcomes.items(), key=lambda kv: -kv[1]):
        print(f"  {count:7d}  {name}")
    print("slowest decodes:")
    for seconds, label, size in slowest:
        print(f"  {seconds * 1000:8.1f} ms  {size:7d} B  {label[:120]}")
    print(f"\n{len(bad)} inputs neither decoded nor rejected with FitDecodeError")
    return 1 if bad or exit_code != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
