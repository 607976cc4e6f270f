"""FIT *workout* files for a watch, written with Garmin's ``garmin-fit-sdk`` Encoder.

``encode_workout(workout, cs_mps, hr_zones)`` writes ``file_id`` (type ``workout``), one
``workout`` message and one ``workout_step`` per step (FIT SDK profile, "Workout File"):

- a step lasts ``duration_type`` ``time`` (``duration_value`` in ms) or ``distance``
  (in cm), as the ZWO step does;
- running steps with an intensity get a custom **speed** target (``custom_target_value_*``
  in mm/s): the pace range of ``science.plans.targets.step_targets`` (intensity · CS,
  ±``PACE_TOLERANCE``, or the pace range the step was given), so a watch shows the same
  range as the plan and the library;
  and, when HR zones are given, a secondary custom **heart-rate** target (bpm + 100, the
  FIT ``workout_hr`` encoding) from the same function;
- cycling steps get a **power** target in % of FTP (``workout_power`` values 0–1000 are
  percent of FTP), which is what a bike workout's fractions mean (SCIENCE.md);
- a step or part given a heart-rate target (% of HRmax) gets a custom heart-rate target
  only (bpm + 100; open without HRmax); one given a pace gets that speed range;
- an interval's on and off parts each keep their own unit (800 m on, 90 s off);
- free running and max efforts have an open target; so do hill repetitions under 3 min
  (run by effort: no pace, no heart rate, ``plans.targets``), named "… uphill by effort";
- an interval block with ``repeat`` > 1 becomes its on step, its off step (when it has
  one) and a ``repeat_until_steps_cmplt`` step pointing back at the on step with the total
  number of repetitions (as Garmin Connect writes repeats).

Text events are not written (FIT workout steps carry no timed messages).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from smartrunning.science.fit.encode import encode_file
from smartrunning.science.plans.targets import DayParameters, StepTarget, step_targets
from smartrunning.science.workouts import (
    Extent,
    Free,
    Intervals,
    MaxEffort,
    Ramp,
    Steady,
    Step,
    Target,
    Workout,
)
from smartrunning.science.zones import PaceZoneModel, ZoneSet

__all__ = ["FIT_HR_OFFSET_BPM", "encode_workout"]

FIT_HR_OFFSET_BPM: Final = 100
"""FIT ``workout_hr``: values above 100 are bpm + 100 (0–100 would be % of HRmax)."""
_MAX_NAME_CHARS: Final = 60
_RAMP_INTENSITY: Final = {"warmup": "warmup", "cooldown": "cooldown", "ramp": "active"}


def _duration(extent: Extent) -> dict[str, Any]:
    if extent.is_distance:
        return {"duration_type": "distance", "duration_value": round(extent.value * 100)}
    return {"duration_type": "time", "duration_value": round(extent.value * 1000)}


def _percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def _pace(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _aim(value: float, target: Target | None) -> str:
    """What a part aims at, for a step name: "75 %", "3:45-3:50/km" or "65-79 % HRmax"."""
    if target is None:
        return _percent(value)
    if target.kind == "pace":
        if target.low == target.high:
            return f"{_pace(target.low)}/km"
        return f"{_pace(target.low)}-{_pace(target.high)}/km"
    return f"{target.low * 100:.0f}-{target.high * 100:.0f} % HRmax"


def _extent_label(extent: Extent) -> str:
    if extent.is_distance:
        return f"{extent.value / 1000:g} km" if extent.value >= 1000 else f"{extent.value:g} m"
    minutes, seconds = divmod(round(extent.value), 60)
    return f"{minutes}:{seconds:02d}" if minutes else f"{seconds} s"


class _Encoder:
    """Turns steps into ``workout_step`` fields, numbering them as it goes."""

    def __init__(self, workout: Workout, params: DayParameters) -> None:
        self.workout = workout
        self.is_run = workout.sport == "run"
        targets = step_targets(workout, params) if self.is_run else ()
        self.targets: dict[tuple[int, str], StepTarget] = {
            (t.step_index, t.part): t for t in targets
        }
        self.steps: list[dict[str, Any]] = []

    def _target(self, index: int, part: str, low: float, high: float) -> dict[str, Any]:
        if not self.is_run:
            return {
                "target_type": "power",
                "target_value": 0,
                "custom_target_value_low": round(min(low, high) * 100),
                "custom_target_value_high": round(max(low, high) * 100),
            }
        target = self.targets.get((index, part))
        fields: dict[str, Any] = {"target_type": "open"}
        if target is None:
            return fields
        if target.pace_s_per_km is not None:
            fast, slow = target.pace_s_per_km
            fields = {
                "target_type": "speed",
                "target_value": 0,
                "custom_target_value_low": round(1_000_000 / slow),
                "custom_target_value_high": round(1_000_000 / fast),
            }
        if target.hr_bpm is not None:
            low_bpm, high_bpm = target.hr_bpm
            hr = {
                "target_value": 0,
                "custom_target_value_low": round(low_bpm) + FIT_HR_OFFSET_BPM,
                "custom_target_value_high": round(high_bpm) + FIT_HR_OFFSET_BPM,
            }
            if fields["target_type"] == "open":
                fields = {"target_type": "heart_rate", **hr}
            else:
                fields |= {"secondary_target_type": "heart_rate"} | {
                    f"secondary_{key}": value for key, value in hr.items()
                }
        return fields

    def add(self, name: str, intensity: str, fields: dict[str, Any]) -> int:
        index = len(self.steps)
        self.steps.append(
            {
                "message_index": index,
                "wkt_step_name": name[:_MAX_NAME_CHARS],
                "intensity": intensity,
                **fields,
            }
        )
        return index

    def step(self, index: int, step: Step) -> None:
        if isinstance(step, Steady):
            name = f"Steady {_aim(step.intensity, step.target)}"
            target = self._target(index, "step", step.intensity, step.intensity)
            self.add(name, "active", _duration(step.extent) | target)
        elif isinstance(step, Ramp):
            name = f"{step.kind.capitalize()} {_percent(step.intensity_start)}→" + _percent(
                step.intensity_end
            )
            target = self._target(index, "step", step.intensity_start, step.intensity_end)
            self.add(name, _RAMP_INTENSITY[step.kind], _duration(step.extent) | target)
        elif isinstance(step, Intervals):
            self._intervals(index, step)
        elif isinstance(step, Free):
            self.add("Free", "active", _duration(step.extent) | {"target_type": "open"})
        elif isinstance(step, MaxEffort):
            self.add("Max effort", "active", _duration(step.extent) | {"target_type": "open"})
        else:
            raise TypeError(f"unknown step {step!r}")

    def _intervals(self, index: int, step: Intervals) -> None:
        on_name = f"{_extent_label(step.on)} at {_aim(step.on_intensity, step.on_target)}"
        on_row = self.targets.get((index, "on"))
        if on_row is not None and on_row.effort is not None:  # hill reps: no pace, by effort
            on_name = f"{_extent_label(step.on)} uphill by effort"
        on_target = self._target(index, "on", step.on_intensity, step.on_intensity)
        first = self.add(on_name, "active", _duration(step.on) | on_target)
        if step.off.value > 0:
            off_target = self._target(index, "off", step.off_intensity, step.off_intensity)
            off_name = f"{_extent_label(step.off)} recovery"
            self.add(off_name, "recovery", _duration(step.off) | off_target)
        if step.repeat > 1:
            self.add(
                f"Repeat {step.repeat}×",
                "active",
                {
                    "duration_type": "repeat_until_steps_cmplt",
                    "duration_value": first,
                    "target_type": "open",
                    "target_value": step.repeat,
                },
            )

    def messages(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for index, step in enumerate(self.workout.steps):
            self.step(index, step)
        yield (
            "workout",
            {
                "wkt_name": (self.workout.name or "Workout")[:_MAX_NAME_CHARS],
                "sport": "running" if self.is_run else "cycling",
                "sub_sport": "generic",
                "num_valid_steps": len(self.steps),
            },
        )
        for fields in self.steps:
            yield "workout_step", fields


def encode_workout(
    workout: Workout,
    cs_mps: float | None = None,
    hr_zones: ZoneSet | None = None,
    pace_zones: PaceZoneModel | None = None,
    *,
    day: DayParameters | None = None,
) -> bytes:
    """A FIT workout file for ``workout`` (see the module doc for the encoding).

    ``cs_mps`` (m/s) turns running intensities into speed targets; ``hr_zones`` (bpm) adds
    heart-rate targets; ``pace_zones`` maps an intensity to its HR zone (default model).
    Either may be ``None``: the target is then left out. Bike workouts ignore all three.
    ``day``: the runner's whole ``DayParameters`` (D′, HRmax, a measured LTHR), used
    instead of the three, so the watch gets the targets the pages show.
    """
    params = day or DayParameters(
        cs_mps=cs_mps, hr_zones=hr_zones, pace_zones=pace_zones or PaceZoneModel()
    )
    return encode_file("workout", list(_Encoder(workout, params).messages()))
