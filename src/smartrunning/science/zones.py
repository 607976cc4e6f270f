"""Heart-rate and pace zones: validated fraction models, resolved bounds, classification.

A zone model holds fractions (of HRmax, of heart-rate reserve, or of critical speed);
resolving it for a runner's HRmax/HRrest or CS gives a ``ZoneSet`` of concrete bounds in
bpm or m/s. Zones are contiguous: zone 1 starts at ``start_fraction`` and zone k ends
where zone k + 1 starts. Each zone is the half-open interval [lower, upper); the top zone
is open-ended when classifying, so a heart rate above an (estimated) HRmax still counts
as the top zone. Values below zone 1 count as "below zone 1"; NaN samples count as no zone.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Literal, assert_never

import numpy as np
import numpy.typing as npt

__all__ = [
    "BELOW",
    "DEFAULT_HR_UPPER_FRACTIONS",
    "DEFAULT_PACE_UPPER_FRACTIONS",
    "MAX_HR_FRACTION",
    "MAX_ZONES",
    "MIN_ZONES",
    "NO_ZONE",
    "HRZoneModel",
    "PaceZoneModel",
    "Zone",
    "ZoneMethod",
    "ZoneSet",
    "ZoneTimes",
    "ZoneUnit",
    "ZoneValidationError",
    "threshold_hr_bpm",
    "time_in_zones",
    "zone_of",
]

IntArray = npt.NDArray[np.int64]
ZoneUnit = Literal["bpm", "m/s"]

MIN_ZONES: Final = 3
MAX_ZONES: Final = 7
MAX_HR_FRACTION: Final = 1.10
"""Largest allowed HR fraction: a little above HRmax, which is often only estimated."""
MAX_PACE_FRACTION: Final = 3.0
"""Largest allowed finite CS fraction (a sanity cap; the top pace zone is open-ended)."""

DEFAULT_HR_START_FRACTION: Final = 0.50
DEFAULT_HR_UPPER_FRACTIONS: Final = (0.60, 0.70, 0.80, 0.90, 1.00)
DEFAULT_HR_NAMES: Final = ("Recovery", "Easy", "Easy (steady)", "Marathon", "Threshold and above")
"""Names of the default %HRmax zones after what Daniels runs at those heart rates (easy
65–79 %, marathon 80–90 %, threshold 88–92 %, interval 98–100 %: *Daniels' Running
Formula*): an easy run at 70–80 % HRmax is not "Tempo"."""
DEFAULT_PACE_UPPER_FRACTIONS: Final = (0.80, 0.87, 0.95, 1.05, 1.19, math.inf)
DEFAULT_PACE_NAMES: Final = (
    "Active recovery",
    "Endurance",
    "Tempo",
    "Threshold",
    "VO2max",
    "Anaerobic",
)

BELOW: Final = 0
"""``zone_of`` code for a value below zone 1; zones are numbered 1..n."""
NO_ZONE: Final = -1
"""``zone_of`` code for a missing (NaN) value."""

_BOUND_TOLERANCE: Final = 1e-9


class ZoneMethod(StrEnum):
    """What HR fractions are fractions of: HRmax, or heart-rate reserve (Karvonen)."""

    PERCENT_HRMAX = "percent_hrmax"
    PERCENT_HRR = "percent_hrr"


class ZoneValidationError(ValueError):
    """An invalid zone model; ``zone`` is the 1-based zone at fault, when there is one."""

    def __init__(self, message: str, zone: int | None = None) -> None:
        super().__init__(message)
        self.zone = zone


def _pct(fraction: float) -> str:
    return "∞" if math.isinf(fraction) else f"{fraction * 100:g} %"


def _check_fractions(
    start: float, uppers: tuple[float, ...], *, zero_start: bool, cap: float, open_top: bool
) -> None:
    """Raise ``ZoneValidationError`` naming the first zone that breaks the rules."""
    n = len(uppers)
    if not MIN_ZONES <= n <= MAX_ZONES:
        raise ZoneValidationError(f"expected {MIN_ZONES} to {MAX_ZONES} zones, got {n}")
    if math.isnan(start) or start < 0 or (start == 0 and not zero_start):
        bound = "at or above 0" if zero_start else "above 0"
        raise ZoneValidationError(f"zone 1 must start {bound}, got {start!r}", zone=1)
    lower = start
    for number, upper in enumerate(uppers, start=1):
        top = number == n
        if math.isnan(upper):
            raise ZoneValidationError(f"zone {number} has no upper bound (NaN)", zone=number)
        if top and open_top and not math.isinf(upper):
            raise ZoneValidationError(
                f"zone {number} (the top zone) must be open-ended", zone=number
            )
        if math.isinf(upper) and not (top and open_top):
            raise ZoneValidationError(f"zone {number} must have a finite upper bound", zone=number)
        if upper <= lower:
            raise ZoneValidationError(
                f"zone {number} must end above where it starts: {_pct(lower)} to {_pct(upper)}",
                zone=number,
            )
        if math.isfinite(upper) and upper > cap:
            raise ZoneValidationError(
                f"zone {number} ends at {_pct(upper)}, above the maximum {_pct(cap)}", zone=number
            )
        lower = upper


def _fractions_from_bounds(
    bounds: Sequence[tuple[float, float]],
) -> tuple[float, tuple[float, ...]]:
    """Start and upper fractions from (lower, upper) pairs, refusing gaps and overlaps."""
    if not bounds:
        raise ZoneValidationError("no zones given")
    for number in range(2, len(bounds) + 1):
        previous_upper, lower = bounds[number - 2][1], bounds[number - 1][0]
        if math.isclose(lower, previous_upper, rel_tol=0, abs_tol=_BOUND_TOLERANCE):
            continue
        problem = "a gap" if lower > previous_upper else "an overlap"
        raise ZoneValidationError(
            f"zone {number} starts at {_pct(lower)} but zone {number - 1} ends at "
            f"{_pct(previous_upper)}: {problem} (zones must be contiguous)",
            zone=number,
        )
    return float(bounds[0][0]), tuple(float(upper) for _, upper in bounds)


@dataclass(frozen=True, slots=True)
class Zone:
    """One resolved zone, numbered from 1: [``lower``, ``upper``) in the set's unit."""

    number: int
    name: str
    lower: float
    upper: float


@dataclass(frozen=True, slots=True)
class ZoneSet:
    """Resolved, contiguous, ascending zones; ``unit`` is ``"bpm"`` or ``"m/s"``."""

    unit: ZoneUnit
    zones: tuple[Zone, ...]

    def __post_init__(self) -> None:
        if self.unit not in ("bpm", "m/s"):
            raise ZoneValidationError(f"unknown zone unit {self.unit!r}")
        if not self.zones:
            raise ZoneValidationError("a zone set needs at least one zone")
        for below, above in itertools.pairwise(self.zones):
            if not below.lower < below.upper == above.lower:
                raise ZoneValidationError(
                    f"zone {above.number} does not follow zone {below.number}", zone=above.number
                )

    @property
    def edges(self) -> tuple[float, ...]:
        """Zone 1's lower bound followed by every zone's upper bound."""
        return (self.zones[0].lower, *(zone.upper for zone in self.zones))


@dataclass(frozen=True, slots=True)
class HRZoneModel:
    """Heart-rate zones as fractions of HRmax or of heart-rate reserve (SCIENCE.md).

    Defaults: five zones, zone 1 from 0.50, upper bounds 0.60/0.70/0.80/0.90/1.00 of HRmax.
    ``names`` (one per zone; empty for defaults): descriptive names for five zones, else
    "Zone n".
    """

    method: ZoneMethod = ZoneMethod.PERCENT_HRMAX
    start_fraction: float = DEFAULT_HR_START_FRACTION
    upper_fractions: tuple[float, ...] = DEFAULT_HR_UPPER_FRACTIONS
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.method, ZoneMethod):
            expected = [m.value for m in ZoneMethod]
            raise ZoneValidationError(f"unknown zone method {self.method!r}; expected {expected}")
        uppers = tuple(self.upper_fractions)
        _check_fractions(
            self.start_fraction, uppers, zero_start=False, cap=MAX_HR_FRACTION, open_top=False
        )
        object.__setattr__(self, "upper_fractions", uppers)
        object.__setattr__(
            self, "names", _names_or_default(self.names, len(uppers), DEFAULT_HR_NAMES)
        )

    @classmethod
    def from_bounds(
        cls,
        bounds: Sequence[tuple[float, float]],
        method: ZoneMethod = ZoneMethod.PERCENT_HRMAX,
        names: tuple[str, ...] = (),
    ) -> HRZoneModel:
        """Build from (lower, upper) fraction pairs, one per zone, refusing gaps and overlaps."""
        start, uppers = _fractions_from_bounds(bounds)
        return cls(method, start, uppers, names)

    def resolve(self, hrmax_bpm: float, hrrest_bpm: float | None = None) -> ZoneSet:
        """Bounds in bpm: f · HRmax, or HRrest + f · (HRmax − HRrest) for heart-rate reserve.

        Sources: SCIENCE.md "Heart-rate zones"; Karvonen, Kentala & Mustala,
        *Ann Med Exp Biol Fenn* 1957 (heart-rate reserve). ``hrrest_bpm`` is required
        for ``PERCENT_HRR`` and ignored for ``PERCENT_HRMAX``.
        """
        if not math.isfinite(hrmax_bpm) or hrmax_bpm <= 0:
            raise ValueError(f"HRmax must be a positive number of bpm, got {hrmax_bpm!r}")
        if self.method is ZoneMethod.PERCENT_HRMAX:
            base, span = 0.0, hrmax_bpm
        elif self.method is ZoneMethod.PERCENT_HRR:
            if hrrest_bpm is None:
                raise ValueError("heart-rate reserve zones need a resting heart rate")
            if not math.isfinite(hrrest_bpm) or not 0 < hrrest_bpm < hrmax_bpm:
                raise ValueError(
                    f"resting HR must be above 0 and below HRmax {hrmax_bpm:g}, got {hrrest_bpm!r}"
                )
            base, span = hrrest_bpm, hrmax_bpm - hrrest_bpm
        else:
            assert_never(self.method)
        return _resolve(self.start_fraction, self.upper_fractions, self.names, "bpm", base, span)


@dataclass(frozen=True, slots=True)
class PaceZoneModel:
    """Pace zones as fractions of critical speed (speed, not pace) (SCIENCE.md).

    Defaults: GoldenCheetah's running pace zones after Skiba: zone 1 from 0, upper bounds
    0.80/0.87/0.95/1.05/1.19/∞ of CS. The top zone must be open-ended (``math.inf``).
    ``names`` (one per zone; empty for defaults): GoldenCheetah's six, else "Zone n".
    """

    start_fraction: float = 0.0
    upper_fractions: tuple[float, ...] = DEFAULT_PACE_UPPER_FRACTIONS
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        uppers = tuple(self.upper_fractions)
        _check_fractions(
            self.start_fraction, uppers, zero_start=True, cap=MAX_PACE_FRACTION, open_top=True
        )
        object.__setattr__(self, "upper_fractions", uppers)
        object.__setattr__(
            self, "names", _names_or_default(self.names, len(uppers), DEFAULT_PACE_NAMES)
        )

    @classmethod
    def from_bounds(
        cls, bounds: Sequence[tuple[float, float]], names: tuple[str, ...] = ()
    ) -> PaceZoneModel:
        """Build from (lower, upper) fraction pairs, one per zone, refusing gaps and overlaps."""
        start, uppers = _fractions_from_bounds(bounds)
        return cls(start, uppers, names)

    def resolve(self, cs_mps: float) -> ZoneSet:
        """Speed bounds in m/s: f · CS (source: SCIENCE.md "Pace zones from critical speed")."""
        if not math.isfinite(cs_mps) or cs_mps <= 0:
            raise ValueError(f"critical speed must be a positive number of m/s, got {cs_mps!r}")
        return _resolve(self.start_fraction, self.upper_fractions, self.names, "m/s", 0.0, cs_mps)


def _names_or_default(names: Sequence[str], n: int, defaults: tuple[str, ...]) -> tuple[str, ...]:
    if not names:
        return defaults if n == len(defaults) else tuple(f"Zone {k}" for k in range(1, n + 1))
    if len(names) != n:
        raise ZoneValidationError(f"expected {n} zone names, got {len(names)}")
    return tuple(names)


def _resolve(
    start: float,
    uppers: tuple[float, ...],
    names: tuple[str, ...],
    unit: ZoneUnit,
    base: float,
    span: float,
) -> ZoneSet:
    edges = [base + f * span for f in (start, *uppers)]
    zones = tuple(
        Zone(number=k + 1, name=names[k], lower=edges[k], upper=edges[k + 1])
        for k in range(len(uppers))
    )
    return ZoneSet(unit=unit, zones=zones)


def threshold_hr_bpm(zones: ZoneSet) -> float:
    """Default threshold HR: the lower bound of the top zone, bpm.

    In the default five-zone model this is the upper bound of zone 4 (SCIENCE.md,
    "Training load of a session"); for other zone counts the same rule (the boundary below
    the top zone) keeps it defined. A measured threshold HR replaces it.
    """
    if zones.unit != "bpm":
        raise ValueError(f"threshold HR needs heart-rate zones, got zones in {zones.unit}")
    return zones.zones[-1].lower


def zone_of(values: npt.ArrayLike, zones: ZoneSet) -> IntArray:
    """The zone number (1..n) of each value; ``BELOW`` under zone 1, ``NO_ZONE`` for NaN.

    Vectorised over an array of heart rates (bpm) or speeds (m/s) in the set's unit. A value
    on a boundary belongs to the zone above it; values above the top bound are in the top
    zone.
    """
    v = np.asarray(values, dtype=np.float64)
    lowers = np.asarray([zone.lower for zone in zones.zones], dtype=np.float64)
    codes = np.searchsorted(lowers, v, side="right").astype(np.int64)
    return np.where(np.isnan(v), NO_ZONE, codes)


@dataclass(frozen=True, slots=True)
class ZoneTimes:
    """Seconds spent below zone 1, in each zone (zone 1 first), and with no value (NaN)."""

    below_s: float
    zones_s: tuple[float, ...]
    no_zone_s: float

    @property
    def total_s(self) -> float:
        """All the time given, whatever its zone."""
        return self.below_s + sum(self.zones_s) + self.no_zone_s


def time_in_zones(values: npt.ArrayLike, durations_s: npt.ArrayLike, zones: ZoneSet) -> ZoneTimes:
    """Sum each sample's duration (s) into the zone of its value (see ``zone_of``).

    ``values`` and ``durations_s`` have the same length; durations are finite and ≥ 0
    (cap pauses before calling, as moving time does).
    """
    v = np.asarray(values, dtype=np.float64)
    dt = np.asarray(durations_s, dtype=np.float64)
    if v.shape != dt.shape or v.ndim != 1:
        raise ValueError(f"values and durations must be 1-D of one length: {v.shape}, {dt.shape}")
    if not np.all(np.isfinite(dt)) or np.any(dt < 0):
        raise ValueError("durations must be finite and non-negative")
    n = len(zones.zones)
    totals = np.bincount(zone_of(v, zones) + 1, weights=dt, minlength=n + 2)
    return ZoneTimes(
        below_s=float(totals[BELOW + 1]),
        zones_s=tuple(float(t) for t in totals[2:]),
        no_zone_s=float(totals[NO_ZONE + 1]),
    )
