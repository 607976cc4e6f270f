"""A plan's iCalendar feed (RFC 5545), written by hand: one all-day VEVENT a planned day.

The feed lives at a secret URL (``Plan.ics_token``) a calendar app subscribes to. Each
event's UID is stable per plan and date (``plan-<plan id>-<yyyymmdd>@smartrunning``; a plan
has one day per date), so a refresh updates events instead of duplicating them, even after
the plan is generated again (which makes new day rows). Text values escape backslashes,
commas, semicolons and newlines (RFC 5545 §3.3.11); lines are folded at 75 octets
(§3.1) with CRLF line ends.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from smartrunning.plans.models import Plan
from smartrunning.platform.db import db
from smartrunning.platform.formatting import format_duration

__all__ = ["escape_text", "fold", "ics_feed", "plan_by_token"]

PRODID = "-//SmartRunning//Training plans//EN"


def plan_by_token(token: str) -> Plan | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(sa.select(Plan).where(Plan.ics_token == token)).scalar_one_or_none()


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _pace(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def _description(
    day_targets: list[dict[str, object]],
    duration_s: float,
    distance_m: float,
    load: float,
    notes: str,
) -> str:
    lines = [f"{format_duration(duration_s)}, {distance_m / 1000:.1f} km, load {load:.0f}"]
    for target in day_targets:
        pace = target.get("pace_s_per_km")
        hr = target.get("hr_bpm")
        parts = [f"Step {int(str(target.get('step_index', 0))) + 1} ({target.get('part')})"]
        if isinstance(pace, list) and len(pace) == 2:
            parts.append(f"pace {_pace(pace[0])}–{_pace(pace[1])} /km")
        if isinstance(hr, list) and len(hr) == 2 and None not in hr:
            parts.append(f"HR {hr[0]:.0f}–{hr[1]:.0f} bpm")
        lines.append(", ".join(parts))
    if notes:
        lines.append(notes)
    return "\n".join(lines)


def ics_feed(plan: Plan, stamp: dt.datetime) -> str:
    """The plan's feed text; ``stamp`` is the DTSTAMP of every event (UTC)."""
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'{plan.runner.name}: {plan.schema_name}')}",
    ]
    for day in plan.days:
        summary = day.workout_name or day.kind
        description = _description(
            list(day.targets or []), day.duration_s, day.distance_m, day.load, day.notes
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:plan-{plan.id}-{day.date.strftime('%Y%m%d')}@smartrunning",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{day.date.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(day.date + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
