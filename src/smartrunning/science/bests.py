"""Best efforts at standard distances within one session (SCIENCE.md, "Best efforts").

The best effort for distance D is the shortest wall-clock time t(j) − t(i) over which the
jump-free cumulative distance grows by at least D. Distance is linear between samples,
so the optimal window starts or ends exactly on a sample; both families of candidates
are evaluated, the other end interpolated linearly. Wall-clock (elapsed) time is used so
that stopping the watch mid-effort never makes an effort faster.

Each effort carries its mean heart rate and how much of it had heart rate, the evidence
``maximal_by_heart_rate`` judges a training effort by (SCIENCE.md, "Which efforts anchor CS").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np

from smartrunning.science.distances import STANDARD_DISTANCES
from smartrunning.science.records import FloatArray
from smartrunning.science.streams import Streams

__all__ = [
    "ALGORITHM_VERSION",
    "MAXIMAL_HR_FRACTION",
    "MIN_HR_COVERAGE",
    "MIN_HR_EFFORT_S",
    "STANDARD_DISTANCES_M",
    "BestEffort",
    "best_effort",
    "best_efforts",
    "maximal_by_heart_rate",
]

ALGORITHM_VERSION: Final = 3
"""Bump when best efforts change (including through ``streams.ALGORITHM_VERSION``).
2: each effort's mean heart rate and heart-rate coverage. 3: a training effort under
``MIN_HR_EFFORT_S`` is never maximal by heart rate (stored sessions are re-analysed, so
short reps that anchored CS under version 2 stop anchoring)."""

MAXIMAL_HR_FRACTION: Final = 0.90
"""A training effort is maximal when its mean heart rate is at least this fraction of HRmax
(and at least the threshold HR): Daniels' threshold intensity is 88–92 % HRmax and his
interval (VO₂max) intensity 98–100 % (*Daniels' Running Formula*, 3rd ed.); an effort of
2–20 min held above threshold is in the severe domain, above CS, where it ends at VO₂max
(Poole, Burnley, Vanhatalo, Rossiter & Jones, *MSSE* 2016;48:2320–34)."""
MIN_HR_COVERAGE: Final = 0.8
"""Heart rate must be recorded over at least this share of an effort to judge it."""
MIN_HR_EFFORT_S: Final = 180.0
"""A training effort shorter than this (3 min) is never maximal by heart rate: heart rate
lags behind a change of pace (it reaches its level after ~2–3 min; Achten & Jeukendrup,
"Heart rate monitoring: applications and limitations", *Sports Med* 2003;33:517–38), and
Daniels sets his VO₂max intervals at 3–5 min because it takes about 2 min of hard running
to reach VO₂max (*Daniels' Running Formula*, 3rd ed., interval training). A 400 m rep at
90 % HRmax says nothing about whether it was run all out: mark a short race or time trial
as one instead."""

STANDARD_DISTANCES_M: Final[tuple[float, ...]] = tuple(d.distance_m for d in STANDARD_DISTANCES)
"""SCIENCE.md's standard distances, metres (``distances.STANDARD_DISTANCES`` names them)."""


@dataclass(frozen=True, slots=True)
class BestEffort:
    """The fastest stretch of ``distance_m`` in a session, located by elapsed seconds."""

    distance_m: float
    duration_s: float
    start_elapsed_s: float
    end_elapsed_s: float
    mean_hr_bpm: float | None = None
    hr_coverage: float = 0.0
    """Share of the effort's duration with a valid heart rate (0–1)."""

    @property
    def speed_mps(self) -> float:
        """Average speed over the effort, m/s."""
        return self.distance_m / self.duration_s

    @property
    def pace_s_per_km(self) -> float:
        """Average pace over the effort, seconds per kilometre."""
        return self.duration_s * 1000.0 / self.distance_m


def best_effort(
    distance_m: FloatArray, elapsed_s: FloatArray, target_m: float
) -> BestEffort | None:
    """Fastest stretch covering ``target_m`` metres, or ``None`` when not covered.

    ``distance_m`` is cumulative and non-decreasing (GPS jumps already removed, as
    ``Streams.clean_distance_m``), ``elapsed_s`` non-decreasing. Vectorised with
    ``np.searchsorted`` on the cumulative distance: for each sample as start, the first
    sample reaching start + D (end interpolated), and for each sample as end, the last
    sample at or below end − D (start interpolated). O(n log n). SCIENCE.md asks for the
    two-pointer O(n) scan; this gives the same minimum without a Python loop.
    """
    if target_m <= 0:
        raise ValueError(f"target distance must be positive, got {target_m}")
    d = np.asarray(distance_m, dtype=np.float64)
    t = np.asarray(elapsed_s, dtype=np.float64)
    n = len(d)
    if n < 2 or d[-1] - d[0] < target_m:
        return None

    # Starts on a sample: first j with d[j] >= d[i] + D, so d[j-1] < d[i] + D <= d[j].
    # Such a j exists for the starts whose goal is at most d[-1]: a prefix, as the goals
    # d + D do not decrease (only those are searched).
    goal = d + target_m
    m = int(np.searchsorted(goal, d[-1], side="right"))
    goal_a = goal[:m]
    j_a = np.searchsorted(d, goal_a, side="left")
    frac_a = (goal_a - d[j_a - 1]) / (d[j_a] - d[j_a - 1])
    start_a = t[:m]
    end_a = t[j_a - 1] + frac_a * (t[j_a] - t[j_a - 1])

    # Ends on a sample: last i with d[i] <= d[j] - D, so d[i] <= d[j] - D < d[i+1].
    # Such an i exists for the ends whose origin is at least d[0]: a suffix.
    origin = d - target_m
    first = int(np.searchsorted(origin, d[0], side="left"))
    origin_b = origin[first:]
    i_b = np.searchsorted(d, origin_b, side="right") - 1
    frac_b = (origin_b - d[i_b]) / (d[i_b + 1] - d[i_b])
    start_b = t[i_b] + frac_b * (t[i_b + 1] - t[i_b])
    end_b = t[first:]

    starts = np.concatenate((start_a, start_b))
    ends = np.concatenate((end_a, end_b))
    if starts.size == 0:
        return None
    k = int(np.argmin(ends - starts))
    return BestEffort(
        distance_m=float(target_m),
        duration_s=float(ends[k] - starts[k]),
        start_elapsed_s=float(starts[k]),
        end_elapsed_s=float(ends[k]),
    )


def best_efforts(
    s: Streams, distances_m: Sequence[float] = STANDARD_DISTANCES_M
) -> tuple[BestEffort, ...]:
    """Best efforts of a session at each distance it covers, in the order given.

    Uses the jump-free distance (SCIENCE.md: GPS jumps above the configured implied
    speed are removed first) and wall-clock elapsed time. Distances the session does not
    cover are absent.
    """
    found = (best_effort(s.clean_distance_m, s.elapsed_s, d) for d in distances_m)
    return tuple(_with_heart_rate(s, effort) for effort in found if effort is not None)


def _with_heart_rate(s: Streams, effort: BestEffort) -> BestEffort:
    """``effort`` with the time-weighted mean heart rate of the samples inside it (each
    sample's HR held over the interval ending at it, Δt as recorded) and its coverage."""
    inside = (s.elapsed_s > effort.start_elapsed_s) & (s.elapsed_s <= effort.end_elapsed_s)
    dt = np.diff(s.elapsed_s, prepend=s.elapsed_s[0])[inside]
    hr = s.heart_rate_bpm[inside]
    ok = np.isfinite(hr)
    covered = float(dt[ok].sum())
    if covered <= 0 or effort.duration_s <= 0:
        return effort
    return replace(
        effort,
        mean_hr_bpm=float(np.sum(hr[ok] * dt[ok]) / covered),
        hr_coverage=min(1.0, covered / effort.duration_s),
    )


def maximal_by_heart_rate(
    mean_hr_bpm: float | None,
    hr_coverage: float,
    hrmax_bpm: float,
    threshold_hr_bpm: float,
    duration_s: float,
) -> tuple[bool, str]:
    """Whether a training effort counts as maximal by its heart rate, and why, in words.

    The rule (SCIENCE.md, "Which efforts anchor CS"): the effort lasts at least
    ``MIN_HR_EFFORT_S`` (3 min: heart rate cannot show a shorter one was maximal), and
    its mean heart rate is at or above ``MAXIMAL_HR_FRACTION`` of HRmax and at or above the
    threshold HR, with heart rate recorded over at least ``MIN_HR_COVERAGE`` of it.
    Sources at ``MAXIMAL_HR_FRACTION`` and ``MIN_HR_EFFORT_S``.
    """
    if duration_s < MIN_HR_EFFORT_S:
        return False, (
            f"{duration_s:.0f} s: under {MIN_HR_EFFORT_S / 60:.0f} min heart rate lags behind "
            "the pace and cannot show an effort was maximal (Achten & Jeukendrup 2003; "
            "Daniels): a training effort, not in the fit; mark the session as a race or "
            "time trial if it was one"
        )
    if mean_hr_bpm is None or hr_coverage < MIN_HR_COVERAGE:
        return False, "no heart rate over the effort: a training effort, not in the fit"
    floor = max(MAXIMAL_HR_FRACTION * hrmax_bpm, threshold_hr_bpm)
    share = mean_hr_bpm / hrmax_bpm * 100
    if mean_hr_bpm >= floor:
        return True, (
            f"mean HR {mean_hr_bpm:.0f} bpm ({share:.0f} % of HRmax) at or above "
            f"{floor:.0f} bpm: maximal by heart rate"
        )
    return False, (
        f"mean HR {mean_hr_bpm:.0f} bpm ({share:.0f} % of HRmax) below {floor:.0f} bpm: "
        "a training effort, not in the fit"
    )
