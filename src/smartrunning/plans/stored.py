"""A generated plan's parts as the JSON stored with it (``Plan`` and ``PlanDay`` columns)
and shown by the pages, the API and the CLI."""

from __future__ import annotations

import math
from typing import Any

from smartrunning.science import plans as sp
from smartrunning.science.plans.taper import PeakTiming, peak_text

__all__ = ["projection_json", "taper_json", "taper_text", "targets_json", "warnings_json"]


def _finite_pair(pair: tuple[float, float] | None) -> list[float | None] | None:
    if pair is None:
        return None
    return [x if math.isfinite(x) else None for x in pair]


def targets_json(targets: tuple[sp.StepTarget, ...]) -> list[dict[str, Any]]:
    """A day's step targets as stored (``PlanDay.targets``): non-finite bounds as null;
    ``effort`` (hill repetitions: no pace, run by effort) only where there is one, so the
    targets of every other day read as before."""
    rows: list[dict[str, Any]] = []
    for t in targets:
        row: dict[str, Any] = {
            "step_index": t.step_index,
            "part": t.part,
            "intensity": list(t.intensity),
            "pace_s_per_km": _finite_pair(t.pace_s_per_km),
            "hr_bpm": _finite_pair(t.hr_bpm),
        }
        if t.effort is not None:
            row["effort"] = t.effort
        rows.append(row)
    return rows


def projection_json(plan: sp.Plan) -> dict[str, Any]:
    """The projection to race day and the weeks' figures as stored (``Plan.projection``)."""
    return {
        "days": [
            {
                "date": p.date.isoformat(),
                "load": p.load,
                "ctl": p.ctl,
                "atl": p.atl,
                "form": p.form,
            }
            for p in plan.projection
        ],
        "weeks": [
            {
                "index": w.index,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "block": w.block,
                "block_kind": str(w.block_kind),
                "recovery": w.recovery,
                "target_load": w.target_load,
                "load": w.load,
                "duration_s": w.duration_s,
                "distance_m": w.distance_m,
                "sessions": w.sessions,
                "ctl_end": w.ctl_end,
                "ctl_ramp": w.ctl_ramp,
            }
            for w in plan.weeks
        ],
        "race_day_form": plan.race_day_form,
        "max_ctl_ramp": plan.max_ctl_ramp,
        "predicted_race_time_s": plan.predicted_race_time_s,
        "taper": taper_json(plan),
    }


def taper_json(plan: sp.Plan) -> dict[str, Any] | None:
    """The taper chosen for race day beside the schema's (``science.plans.taper``), with
    the taper's volume as planned (mean distance of its weeks below the peak week's)."""
    choice = plan.taper
    if choice is None:
        return None
    taper = [w for w in plan.weeks if w.block_kind == "taper"]
    body = [w.distance_m for w in plan.weeks if w.block_kind != "taper"]
    volume = (
        1.0 - sum(w.distance_m for w in taper) / len(taper) / max(body)
        if taper and body and max(body) > 0
        else None
    )
    return {
        "chosen": {
            "weeks": choice.chosen.weeks,
            "reduction": choice.chosen.reduction,
            "peak_gap": choice.chosen.peak_gap,
        },
        "default": {
            "weeks": choice.default.weeks,
            "reduction": choice.default.reduction,
            "peak_gap": choice.default.peak_gap,
        },
        "fitted": choice.fitted,
        "basis": choice.basis,
        "difference_vdot": choice.difference,
        "band_vdot": list(choice.band) if choice.band is not None else None,
        "time_s": choice.time_s,
        "time_band_s": list(choice.time_band_s) if choice.time_band_s is not None else None,
        "chosen_form": choice.chosen_form,
        "default_form": choice.default_form,
        "candidates": len(choice.candidates),
        "volume_reduction": volume,
        "peak": _peak_json(choice.peak),
    }


def _peak_json(peak: PeakTiming | None) -> dict[str, Any] | None:
    """The peak's timing chosen beside the template's and the best taper with another
    timing (``taper.PeakTiming``), in words too."""
    if peak is None:
        return None
    compared = peak.compared
    return {
        "chosen": peak.chosen,
        "default": peak.default,
        "compared": {
            "weeks": compared.weeks,
            "reduction": compared.reduction,
            "peak_gap": compared.peak_gap,
        },
        "chosen_text": peak_text(peak.chosen),
        "default_text": peak_text(peak.default),
        "compared_text": peak_text(compared.peak_gap),
        "difference_vdot": peak.difference,
        "band_vdot": list(peak.band) if peak.band is not None else None,
        "time_s": peak.time_s,
        "time_band_s": list(peak.time_band_s) if peak.time_band_s is not None else None,
        "compared_form": peak.compared_form,
    }


def _difference_text(found: dict[str, Any], fitted: bool) -> str:
    """A stored difference (``difference_vdot``, ``time_s`` and their bands) in words."""
    if found.get("time_s") is not None:
        difference = f"{found['time_s']:+.0f} s on the race"
        band = found.get("time_band_s")
        if band:
            return f"{difference} (95 % band {band[0]:+.0f} to {band[1]:+.0f} s)"
    else:
        difference = f"{found['difference_vdot']:+.2f} VDOT"
        band = found.get("band_vdot")
    if band:
        return f"{difference} (95 % band {band[0]:+.2f} to {band[1]:+.2f} VDOT)"
    return difference + ("" if fitted else " (no band: population values)")


def taper_text(taper: dict[str, Any] | None) -> str:
    """The stored taper choice (``taper_json``) in one line, for the CLI."""
    if not taper:
        return "taper: the schema's (no choice stored)"
    chosen, default = taper["chosen"], taper["default"]
    planned = taper.get("volume_reduction")
    line = (
        f"taper: {chosen['weeks']} wk at {chosen['reduction']:.0%} below the peak week's "
        f"distance" + (f" (planned {planned:.0%})" if planned is not None else "") + ", "
        f"template {default['weeks']} wk at {default['reduction']:.0%}; predicted "
        f"{_difference_text(taper, taper['fitted'])}; by {taper['basis']}"
    )
    peak = taper.get("peak")
    if peak:
        line += (
            f"\npeak week: {peak['chosen_text']} (template: {peak['default_text']}); "
            f"predicted against the best taper with the peak week {peak['compared_text']} "
            f"({peak['compared']['weeks']} wk at {peak['compared']['reduction']:.0%}): "
            f"{_difference_text(peak, taper['fitted'])}"
        )
    return line


def warnings_json(plan: sp.Plan) -> list[dict[str, str]]:
    """The plan's warnings as stored (``Plan.warnings``): code and message."""
    return [{"code": str(w.code), "message": w.message} for w in plan.warnings]
