"""``hr`` messages merged into records as garmin-fit-sdk does (``science.fit._hr``).

The real swims with HRM-Swim data are compared record by record with the SDK's own merge
in ``test_fit_reference.py``; here the port is checked against the SDK's functions on
messages written by hand and generated with hypothesis."""

from __future__ import annotations

from typing import Any

import numpy as np
from garmin_fit_sdk.hr_mesg_utils import expand_heart_rates as sdk_expand
from garmin_fit_sdk.hr_mesg_utils import merge_heart_rates as sdk_merge
from hypothesis import given, settings
from hypothesis import strategies as st

from smartrunning.science.fit._hr import expand_heart_rates, merge_heart_rates


def _packed(values: list[int]) -> bytes:
    """Eight 12-bit values packed little-endian, as ``event_timestamp_12`` holds them."""
    whole = sum((v & 0xFFF) << (12 * k) for k, v in enumerate(values))
    return whole.to_bytes(12, "little")


def _messages(
    anchor_s: float, first_event: int, gaps: list[int], bpm: list[int]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(ours, the SDK's): an anchor then messages of eight beats (times in 1/1024 s)."""
    events = [first_event]
    for gap in gaps:
        events.append(events[-1] + gap)
    ours: list[dict[str, Any]] = [
        {
            "timestamp": anchor_s,
            "fractional_timestamp": 0.5,
            "event_timestamp": [first_event / 1024],
            "filtered_bpm": [bpm[0]],
        }
    ]
    sdk: list[dict[str, Any]] = [
        {
            "timestamp": anchor_s,
            "fractional_timestamp": 0.5,
            "event_timestamp": first_event / 1024,
            "filtered_bpm": bpm[0],
        }
    ]
    for start in range(1, len(events) - 7, 8):
        chunk = events[start : start + 8]
        beats = bpm[start : start + 8]
        ours.append({"event_timestamp_12": _packed(chunk), "filtered_bpm": beats})
        sdk.append(
            {
                "timestamp": None,
                "fractional_timestamp": None,
                "event_timestamp": [e / 1024 for e in chunk],
                "filtered_bpm": beats,
            }
        )
    return ours, sdk


@settings(max_examples=60, deadline=None)
@given(
    first=st.integers(0, 2**22),
    gaps=st.lists(st.integers(300, 1500), min_size=8, max_size=64),
    data=st.data(),
)
def test_expansion_and_merge_match_the_sdk(first: int, gaps: list[int], data: Any) -> None:
    bpm = data.draw(st.lists(st.integers(50, 190), min_size=len(gaps) + 1, max_size=len(gaps) + 1))
    ours, sdk = _messages(1_000_000.0, first, gaps, bpm)
    times, values = expand_heart_rates(ours)
    reference: list[Any] = sdk_expand(sdk)  # type: ignore[arg-type]
    assert len(times) > 8  # 12-bit times roll over within the gaps drawn (up to 1.5 s)
    np.testing.assert_allclose(times, [float(h["timestamp"]) for h in reference], atol=1e-6)
    np.testing.assert_array_equal(values, [h["heart_rate"] for h in reference])
    records: list[Any] = [{"timestamp": 1_000_000 + k, "heart_rate": 1} for k in range(0, 40)]
    sdk_merge(sdk, records)  # type: ignore[arg-type]
    merged = merge_heart_rates(np.arange(1_000_000.0, 1_000_040.0), np.ones(40), times, values)
    np.testing.assert_array_equal(merged, [r["heart_rate"] for r in records])


def test_a_worked_merge() -> None:
    """Each record takes the rounded mean of the samples in (previous record, record];
    the last record's range is written only when a later sample shows it closed (the SDK)."""
    times = np.array([100.25, 100.5, 101.0, 101.5, 102.0])
    bpm = np.array([60.0, 62.0, 64.0, 66.0, 68.0])
    merged = merge_heart_rates(np.array([100.0, 101.0, 102.0]), np.full(3, 90.0), times, bpm)
    np.testing.assert_array_equal(merged, [90.0, 62.0, 90.0])


def test_inconsistent_messages_are_not_merged() -> None:
    times, values = expand_heart_rates(
        [{"event_timestamp_12": bytes(12), "filtered_bpm": [60] * 8}]
    )
    assert len(times) == len(values) == 0  # no anchor before the deltas
