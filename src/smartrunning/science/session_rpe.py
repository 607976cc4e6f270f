"""Session-RPE training load (Foster et al., *J Strength Cond Res* 2001;15(1):109–15).

Foster's session load is RPE on the CR-10 scale × duration in minutes (arbitrary units).
To sit on the same scale as rTSS and HRSS (100 = one hour at threshold) when days mix
models, we scale it so that an hour at RPE 7 ("very hard", about threshold on CR-10)
scores 100 (SCIENCE.md, "Session RPE"):

    load = RPE × minutes × 100 / (7 × 60)  =  RPE × minutes / 4.2

So an hour at RPE 7 is 100, 30 min at RPE 3 is about 21, 90 min at RPE 5 about 107.
"""

from __future__ import annotations

import math
from typing import Final

__all__ = ["MAX_RPE", "MIN_RPE", "REFERENCE_RPE", "session_rpe_load", "srpe_au"]

MIN_RPE: Final = 1
MAX_RPE: Final = 10
REFERENCE_RPE: Final = 7
"""The RPE that, held for an hour, scores 100 (one hour at threshold)."""
REFERENCE_MINUTES: Final = 60.0


def srpe_au(rpe: int, duration_s: float) -> float:
    """Foster's session load in arbitrary units: RPE × minutes."""
    _check(rpe, duration_s)
    return rpe * duration_s / 60.0


def session_rpe_load(rpe: int, duration_s: float) -> float:
    """Foster's session load scaled so that 60 min at RPE 7 = 100 (see the module)."""
    return srpe_au(rpe, duration_s) * 100.0 / (REFERENCE_RPE * REFERENCE_MINUTES)


def _check(rpe: int, duration_s: float) -> None:
    if isinstance(rpe, bool) or not isinstance(rpe, int) or not MIN_RPE <= rpe <= MAX_RPE:
        raise ValueError(f"RPE must be a whole number from {MIN_RPE} to {MAX_RPE}, not {rpe!r}")
    if not math.isfinite(duration_s) or duration_s < 0:
        raise ValueError(f"duration must be a finite number of seconds ≥ 0, not {duration_s!r}")
