"""Time the analysis of one long session: cleaning, statistics and best efforts.

    .venv/bin/python bench/analysis.py [--hours 4] [--repeat 20]

Prints the median and best time of each stage on a synthetic 1 Hz run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from smartrunning.science.bests import best_efforts
from smartrunning.science.records import Records
from smartrunning.science.stats import session_stats
from smartrunning.science.streams import clean_streams

HR_EDGES = (95.0, 114.0, 133.0, 152.0, 171.0, 190.0)
PACE_EDGES = (0.0, 3.2, 3.48, 3.8, 4.2, 4.76, float("inf"))


def synthetic_run(hours: float) -> Records:
    rng = np.random.default_rng(0)
    n = int(hours * 3600)
    t = np.arange(n, dtype=np.float64)
    speed = np.clip(3.0 + 0.5 * np.sin(t / 300) + rng.normal(0, 0.2, n), 0, None)
    return Records.from_columns(
        n,
        timestamp_s=1.7e9 + t,
        elapsed_s=t,
        distance_m=np.cumsum(speed),
        speed_mps=speed,
        heart_rate_bpm=140 + 10 * np.sin(t / 500) + rng.normal(0, 2, n),
        cadence_spm=np.full(n, 170.0),
        altitude_m=100 + 20 * np.sin(t / 700) + rng.normal(0, 1, n),
    )


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hours", type=float, default=4.0)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    records = synthetic_run(args.hours)
    streams = clean_streams(records)
    stages: dict[str, Callable[[], object]] = {
        "clean_streams": lambda: clean_streams(records),
        "session_stats": lambda: session_stats(
            streams, hr_zone_edges_bpm=HR_EDGES, pace_zone_edges_mps=PACE_EDGES
        ),
        "best_efforts (10 distances)": lambda: best_efforts(streams),
    }
    print(f"synthetic {args.hours:g} h run at 1 Hz: {len(records):,} samples")
    print(f"{'stage':<30} {'median ms':>10} {'best ms':>10}")
    for name, fn in stages.items():
        median, best = timed(fn, args.repeat)
        print(f"{name:<30} {median * 1e3:>10.2f} {best * 1e3:>10.2f}")


if __name__ == "__main__":
    main()
