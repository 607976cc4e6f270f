import itertools
import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from smartrunning.science.zones import (
    BELOW,
    MAX_ZONES,
    MIN_ZONES,
    NO_ZONE,
    HRZoneModel,
    PaceZoneModel,
    Zone,
    ZoneMethod,
    ZoneSet,
    ZoneValidationError,
    threshold_hr_bpm,
    time_in_zones,
    zone_of,
)


def _edges(zones: ZoneSet) -> list[float]:
    return list(zones.edges)


def test_default_hr_zones_as_percent_of_hrmax() -> None:
    zones = HRZoneModel().resolve(hrmax_bpm=190)
    assert zones.unit == "bpm"
    assert _edges(zones) == pytest.approx([95, 114, 133, 152, 171, 190])
    assert [z.number for z in zones.zones] == [1, 2, 3, 4, 5]
    assert zones.zones[0].name == "Recovery"


def test_heart_rate_reserve_zones_use_resting_hr() -> None:
    # Karvonen: HRrest + f · (HRmax − HRrest) = 50 + f · 140.
    zones = HRZoneModel(method=ZoneMethod.PERCENT_HRR).resolve(hrmax_bpm=190, hrrest_bpm=50)
    assert _edges(zones) == pytest.approx([120, 134, 148, 162, 176, 190])


def test_resting_hr_is_ignored_for_percent_of_hrmax() -> None:
    with_rest = HRZoneModel().resolve(hrmax_bpm=190, hrrest_bpm=50)
    assert _edges(with_rest) == pytest.approx([95, 114, 133, 152, 171, 190])


def test_heart_rate_reserve_needs_a_plausible_resting_hr() -> None:
    model = HRZoneModel(method=ZoneMethod.PERCENT_HRR)
    with pytest.raises(ValueError, match="resting heart rate"):
        model.resolve(hrmax_bpm=190)
    with pytest.raises(ValueError, match="below HRmax"):
        model.resolve(hrmax_bpm=190, hrrest_bpm=190)
    with pytest.raises(ValueError, match="HRmax"):
        model.resolve(hrmax_bpm=float("nan"), hrrest_bpm=50)


def test_unknown_method_is_refused_not_fallen_through() -> None:
    with pytest.raises(ZoneValidationError, match="unknown zone method 'percent_lthr'"):
        HRZoneModel(method="percent_lthr")  # type: ignore[arg-type]


def test_threshold_hr_is_upper_bound_of_zone_4_by_default() -> None:
    assert threshold_hr_bpm(HRZoneModel().resolve(190)) == pytest.approx(171)
    hrr = HRZoneModel(method=ZoneMethod.PERCENT_HRR).resolve(190, 50)
    assert threshold_hr_bpm(hrr) == pytest.approx(176)
    assert threshold_hr_bpm(hrr) == pytest.approx(hrr.zones[3].upper)
    with pytest.raises(ValueError, match="heart-rate zones"):
        threshold_hr_bpm(PaceZoneModel().resolve(4.0))


def test_default_pace_zones_from_critical_speed() -> None:
    zones = PaceZoneModel().resolve(cs_mps=4.0)
    assert zones.unit == "m/s"
    assert _edges(zones)[:-1] == pytest.approx([0, 3.2, 3.48, 3.8, 4.2, 4.76])
    assert math.isinf(zones.edges[-1])
    assert [z.name for z in zones.zones] == [
        "Active recovery",
        "Endurance",
        "Tempo",
        "Threshold",
        "VO2max",
        "Anaerobic",
    ]
    with pytest.raises(ValueError, match="critical speed"):
        PaceZoneModel().resolve(0.0)


def test_custom_zone_counts_get_generic_names() -> None:
    model = HRZoneModel(start_fraction=0.6, upper_fractions=(0.75, 0.85, 1.0))
    assert model.names == ("Zone 1", "Zone 2", "Zone 3")
    named = HRZoneModel(
        start_fraction=0.6, upper_fractions=(0.75, 0.85, 1.0), names=("a", "b", "c")
    )
    assert [z.name for z in named.resolve(200).zones] == ["a", "b", "c"]
    with pytest.raises(ZoneValidationError, match="expected 3 zone names"):
        HRZoneModel(start_fraction=0.6, upper_fractions=(0.75, 0.85, 1.0), names=("a",))


@pytest.mark.parametrize(
    ("start", "uppers", "zone", "message"),
    [
        (0.5, (0.6, 0.7, 0.65, 0.9, 1.0), 3, "zone 3 must end above where it starts"),
        (0.5, (0.6, 0.6, 0.8, 0.9, 1.0), 2, "zone 2 must end above where it starts"),
        (0.7, (0.6, 0.8, 0.9, 1.0), 1, "zone 1 must end above"),
        (0.0, (0.6, 0.7, 0.8, 0.9, 1.0), 1, "zone 1 must start above 0"),
        (-0.1, (0.6, 0.7, 0.8, 0.9, 1.0), 1, "zone 1 must start"),
        (0.5, (0.6, 0.7, 0.8, 0.9, 1.3), 5, "zone 5 ends at 130 %, above the maximum 110 %"),
        (0.5, (0.6, 0.7, 0.8, 0.9, math.inf), 5, "zone 5 must have a finite upper bound"),
        (0.5, (0.6, math.nan, 0.8, 0.9, 1.0), 2, "zone 2 has no upper bound"),
    ],
)
def test_hr_validation_names_the_zone(
    start: float, uppers: tuple[float, ...], zone: int, message: str
) -> None:
    with pytest.raises(ZoneValidationError, match=message) as caught:
        HRZoneModel(start_fraction=start, upper_fractions=uppers)
    assert caught.value.zone == zone


@pytest.mark.parametrize("count", [MIN_ZONES - 1, MAX_ZONES + 1])
def test_zone_count_is_bounded(count: int) -> None:
    uppers = tuple(0.5 + 0.5 * k / count for k in range(1, count + 1))
    with pytest.raises(ZoneValidationError, match=f"got {count}"):
        HRZoneModel(upper_fractions=uppers)


def test_pace_top_zone_must_be_open_ended() -> None:
    with pytest.raises(ZoneValidationError, match="zone 6 \\(the top zone\\)") as caught:
        PaceZoneModel(upper_fractions=(0.8, 0.87, 0.95, 1.05, 1.19, 1.5))
    assert caught.value.zone == 6
    with pytest.raises(ZoneValidationError, match="zone 2 must have a finite"):
        PaceZoneModel(upper_fractions=(0.8, math.inf, 0.95, 1.05, 1.19, math.inf))


def test_from_bounds_accepts_contiguous_zones_with_rounding_noise() -> None:
    bounds = [(0.5, 0.6), (0.6000000000001, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0)]
    assert HRZoneModel.from_bounds(bounds).upper_fractions == (0.6, 0.7, 0.8, 0.9, 1.0)
    pace = PaceZoneModel.from_bounds([(0.0, 0.8), (0.8, 1.0), (1.0, math.inf)])
    assert pace.names == ("Zone 1", "Zone 2", "Zone 3")


@pytest.mark.parametrize(
    ("bounds", "zone", "problem"),
    [
        ([(0.5, 0.6), (0.62, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0)], 2, "a gap"),
        ([(0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.78, 0.9), (0.9, 1.0)], 4, "an overlap"),
    ],
)
def test_from_bounds_refuses_gaps_and_overlaps(
    bounds: list[tuple[float, float]], zone: int, problem: str
) -> None:
    with pytest.raises(ZoneValidationError, match=problem) as caught:
        HRZoneModel.from_bounds(bounds)
    assert caught.value.zone == zone
    assert f"zone {zone} starts" in str(caught.value)


def test_zone_of_classifies_each_sample() -> None:
    zones = HRZoneModel().resolve(hrmax_bpm=190)  # 95 / 114 / 133 / 152 / 171 / 190
    hr = np.array([np.nan, 60, 94.9, 95, 113.9, 114, 170, 171, 190, 205])
    assert zone_of(hr, zones).tolist() == [NO_ZONE, BELOW, BELOW, 1, 1, 2, 4, 5, 5, 5]


def test_zone_of_pace_zones_is_open_at_the_top() -> None:
    zones = PaceZoneModel().resolve(cs_mps=4.0)
    speeds = [0.0, 3.3, 4.0, 4.5, 9.0, math.nan]
    assert zone_of(speeds, zones).tolist() == [1, 2, 4, 5, 6, NO_ZONE]


def test_time_in_zones_sums_durations() -> None:
    zones = HRZoneModel().resolve(hrmax_bpm=200)  # 100 / 120 / 140 / 160 / 180 / 200
    hr = [90, 110, 110, 150, np.nan, 195]
    dt = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    times = time_in_zones(hr, dt, zones)
    assert times.below_s == pytest.approx(1.0)
    assert times.zones_s == pytest.approx((5.0, 0.0, 4.0, 0.0, 6.0))
    assert times.no_zone_s == pytest.approx(5.0)
    assert times.total_s == pytest.approx(21.0)


def test_time_in_zones_refuses_bad_durations() -> None:
    zones = HRZoneModel().resolve(190)
    with pytest.raises(ValueError, match="one length"):
        time_in_zones([100, 120], [1.0], zones)
    with pytest.raises(ValueError, match="non-negative"):
        time_in_zones([100, 120], [1.0, -1.0], zones)


def test_zone_set_refuses_disjoint_zones() -> None:
    with pytest.raises(ZoneValidationError, match="zone 2 does not follow zone 1"):
        ZoneSet("bpm", (Zone(1, "a", 100, 120), Zone(2, "b", 125, 140)))


@st.composite
def hr_models(draw: st.DrawFn) -> HRZoneModel:
    n = draw(st.integers(MIN_ZONES, MAX_ZONES))
    inner = draw(
        st.lists(st.integers(30, 99), min_size=n, max_size=n, unique=True)  # percent, distinct
    )
    start, *uppers = sorted(inner)
    method = draw(st.sampled_from(list(ZoneMethod)))
    return HRZoneModel(method, start / 100, (*(u / 100 for u in uppers), 1.0))


hrmax_and_rest = st.tuples(st.floats(120, 230), st.floats(30, 100)).filter(
    lambda pair: pair[1] < pair[0] - 10
)


@given(model=hr_models(), hr=hrmax_and_rest)
def test_hr_zones_are_ascending_contiguous_and_end_at_hrmax(
    model: HRZoneModel, hr: tuple[float, float]
) -> None:
    hrmax, hrrest = hr
    zones = model.resolve(hrmax, hrrest)
    edges = zones.edges
    assert all(a < b for a, b in itertools.pairwise(edges))
    for below, above in itertools.pairwise(zones.zones):
        assert below.upper == above.lower  # no gap, no overlap: the very same bound
    base = hrrest if model.method is ZoneMethod.PERCENT_HRR else 0.0
    assert edges[0] == pytest.approx(base + model.start_fraction * (hrmax - base))
    assert edges[-1] == pytest.approx(hrmax)
    # Every heart rate from zone 1's start up to HRmax lands in exactly one zone.
    samples = np.linspace(edges[0], hrmax, 97)
    codes = zone_of(samples, zones)
    assert np.all(codes >= 1)
    assert np.all(np.diff(codes) >= 0)
    for value, code in zip(samples, codes, strict=True):
        zone = zones.zones[code - 1]
        assert zone.lower <= value < zone.upper or code == len(zones.zones)


@given(model=hr_models(), hr=hrmax_and_rest, data=st.data())
def test_zone_times_add_up_to_the_total(
    model: HRZoneModel, hr: tuple[float, float], data: st.DataObject
) -> None:
    zones = model.resolve(*hr)
    n = data.draw(st.integers(0, 50))
    values = data.draw(
        st.lists(st.one_of(st.floats(0, 250), st.just(math.nan)), min_size=n, max_size=n)
    )
    durations = data.draw(st.lists(st.floats(0, 10), min_size=n, max_size=n))
    times = time_in_zones(values, durations, zones)
    assert times.total_s == pytest.approx(sum(durations), abs=1e-9)


@given(model=hr_models(), data=st.data())
def test_from_bounds_round_trips_and_refuses_any_gap_or_overlap(
    model: HRZoneModel, data: st.DataObject
) -> None:
    edges = (model.start_fraction, *model.upper_fractions)
    bounds = list(itertools.pairwise(edges))
    assert HRZoneModel.from_bounds(bounds, model.method) == model
    zone = data.draw(st.integers(2, len(bounds)))
    shift = data.draw(st.sampled_from([-0.005, 0.005]))
    lower, upper = bounds[zone - 1]
    assume(lower + shift < upper)
    broken = [*bounds[: zone - 1], (lower + shift, upper), *bounds[zone:]]
    with pytest.raises(ZoneValidationError, match="overlap" if shift < 0 else "gap") as caught:
        HRZoneModel.from_bounds(broken, model.method)
    assert caught.value.zone == zone


@given(model=hr_models(), data=st.data())
def test_descending_fractions_are_refused(model: HRZoneModel, data: st.DataObject) -> None:
    uppers = list(model.upper_fractions)
    k = data.draw(st.integers(0, len(uppers) - 2))
    uppers[k], uppers[k + 1] = uppers[k + 1], uppers[k]
    with pytest.raises(ZoneValidationError, match="must end above where it starts"):
        HRZoneModel(model.method, model.start_fraction, tuple(uppers))
