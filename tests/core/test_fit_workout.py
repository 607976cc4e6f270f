"""FIT workout files, decoded back with Garmin's reference decoder (garmin-fit-sdk)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smartrunning.science.fit import encode_workout
from smartrunning.science.plans.targets import DayParameters
from smartrunning.science.workout_targets import extent_totals
from smartrunning.science.workouts import Extent, Free, Intervals, MaxEffort, Ramp, Steady, Workout
from smartrunning.science.zones import HRZoneModel
from smartrunning.science.zwo import read_zwo
from tests.core.fitdecode import decode

LIBRARY = Path(__file__).resolve().parents[2] / "src" / "smartrunning" / "data" / "workouts"
HR = HRZoneModel().resolve(190.0)


def test_interval_workout_decodes_to_steps_durations_targets_and_a_repeat() -> None:
    content = Workout(
        name="Track 5 × 1000",
        sport="run",
        steps=(
            Ramp("warmup", Extent(600.0), 0.6, 0.8),
            Intervals(5, Extent(1000.0, "m"), Extent(400.0, "m"), 1.08, 0.65),
            Steady(Extent(1200.0), 0.95),
            Free(Extent(300.0)),
        ),
    )
    # CS 4 m/s with D′ 300 m: VDOT 51.0, the runner's level for heart-rate targets.
    day = DayParameters(cs_mps=4.0, d_prime_m=300.0, hr_zones=HR)
    messages = decode(encode_workout(content, day=day))
    assert messages["file_id_mesgs"][0]["type"] == "workout"
    (head,) = messages["workout_mesgs"]
    assert head["wkt_name"] == "Track 5 × 1000"
    assert head["sport"] == "running"
    steps = messages["workout_step_mesgs"]
    assert head["num_valid_steps"] == len(steps) == 6
    warmup, on, off, repeat, steady, free = steps
    assert [s["message_index"] for s in steps] == list(range(6))

    assert warmup["intensity"] == "warmup"
    assert warmup["duration_type"] == "time"
    assert warmup["duration_time"] == pytest.approx(600)
    # Speed target ±2 %: 0.6 · 4 · 0.98 … 0.8 · 4 · 1.02 m/s, on the FIT grid of 1 mm/s.
    assert warmup["target_type"] == "speed"
    assert warmup["custom_target_speed_low"] == pytest.approx(2.4 * 0.98, abs=0.001)
    assert warmup["custom_target_speed_high"] == pytest.approx(3.2 * 1.02, abs=0.001)

    assert on["duration_type"] == "distance"
    assert on["duration_distance"] == pytest.approx(1000)
    assert on["custom_target_speed_low"] == pytest.approx(4.32 * 0.98, abs=0.001)
    assert on["custom_target_speed_high"] == pytest.approx(4.32 * 1.02, abs=0.001)
    # Heart rate as the secondary target, bpm + 100 (FIT workout_hr): 4.32 m/s is Daniels'
    # interval intensity for VDOT 51, 98–100 % of HRmax 190: 186–190 bpm.
    assert on["secondary_target_type"] == "heart_rate"
    assert on["secondary_custom_target_heart_rate_low"] == 186 + 100
    assert on["secondary_custom_target_heart_rate_high"] == 190 + 100
    assert off["intensity"] == "recovery"
    assert off["duration_distance"] == pytest.approx(400)
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert repeat["duration_step"] == on["message_index"]
    assert repeat["repeat_steps"] == 5

    assert steady["custom_target_speed_low"] == pytest.approx(3.8 * 0.98, abs=0.001)
    assert steady["duration_time"] == pytest.approx(1200)
    assert free["target_type"] == "open"
    assert "custom_target_value_low" not in free


def test_without_cs_heart_rate_is_the_primary_target() -> None:
    content = Workout(name="HR only", sport="run", steps=(Steady(Extent(600.0), 0.7),))
    (step,) = decode(encode_workout(content, None, HR))["workout_step_mesgs"]
    assert step["target_type"] == "heart_rate"
    # Without CS, 70 % of it is taken for easy running: Daniels' 65–79 % of HRmax 190.
    assert step["custom_target_heart_rate_low"] == 124 + 100
    assert step["custom_target_heart_rate_high"] == 150 + 100
    assert "secondary_target_type" not in step


def test_without_any_parameters_targets_are_open() -> None:
    content = Workout(name="Open", sport="run", steps=(Steady(Extent(600.0), 0.7),))
    (step,) = decode(encode_workout(content))["workout_step_mesgs"]
    assert step["target_type"] == "open"


def test_bike_workouts_get_power_targets_in_percent_of_ftp() -> None:
    content = Workout(
        name="Sweet spot",
        sport="bike",
        steps=(Steady(Extent(1200.0), 0.9), MaxEffort(Extent(30.0))),
    )
    messages = decode(encode_workout(content, 4.0, HR))
    assert messages["workout_mesgs"][0]["sport"] == "cycling"
    steady, sprint = messages["workout_step_mesgs"]
    assert steady["target_type"] == "power"
    assert steady["custom_target_power_low"] == steady["custom_target_power_high"] == 90
    assert sprint["target_type"] == "open"


def test_single_repetition_intervals_have_no_repeat_step() -> None:
    content = Workout(
        name="Once",
        sport="run",
        steps=(Intervals(1, Extent(60.0), Extent(0.0), 1.2, 0.5),),
    )
    (step,) = decode(encode_workout(content, 4.0, HR))["workout_step_mesgs"]
    assert step["duration_time"] == pytest.approx(60)


def encoded_totals(steps: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds and metres a watch runs through, repeats unrolled."""
    totals = {"s": 0.0, "m": 0.0}

    def add(step: dict[str, Any], times: int) -> None:
        totals["s"] += times * step.get("duration_time", 0.0)
        totals["m"] += times * step.get("duration_distance", 0.0)

    for index, step in enumerate(steps):
        if step["duration_type"] == "repeat_until_steps_cmplt":
            for repeated in steps[step["duration_step"] : index]:
                add(repeated, step["repeat_steps"] - 1)
        else:
            add(step, 1)
    return totals


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.zwo")), ids=lambda p: p.stem)
def test_every_default_workout_keeps_its_time_and_distance(path: Path) -> None:
    content = read_zwo(path.read_bytes())
    steps = decode(encode_workout(content, 3.5, HR))["workout_step_mesgs"]
    expected = extent_totals(content)
    assert encoded_totals(steps) == pytest.approx(expected, abs=0.01)
