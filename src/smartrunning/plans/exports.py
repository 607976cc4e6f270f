"""A plan's iCalendar feed (RFC 5545): one all-day VEVENT a planned day, written by the
``icalendar`` library (text escaping, line folding at 75 octets, CRLF line ends).

The feed lives at a secret URL (``Plan.ics_token``) a calendar app subscribes to. Each
event's UID is stable per plan and date (``plan-<plan id>-<yyyymmdd>@smartrunning``; a plan
has one day per date), so a refresh updates events instead of duplicating them, even after
the plan is generated again (which makes new day rows). Times and paces read as on the plan
page: the page's formatting (``platform.formatting``, its ``duration`` filter), rounded to
the second, so a pace of 299.6 s/km is 5:00 in both places.

Units: distances and paces in the runner's own units (their user's setting, km or mi;
kilometres for a runner without a login), as their pages show them. Times: each event is an
all-day DATE (the planned day, in no time zone, so it stays on its day wherever the calendar
app is); DTSTAMP is UTC. Watch files (FIT, ZWO) stay SI: devices convert.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from icalendar import Calendar, Event, vText

from smartrunning.plans.models import Plan
from smartrunning.platform.db import db
from smartrunning.platform.formatting import (
    format_distance,
    format_duration,
    format_pace_seconds,
    pace_label,
)

__all__ = ["ics_feed", "plan_by_token"]

PRODID = "-//SmartRunning//Training plans//EN"


def plan_by_token(token: str) -> Plan | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(sa.select(Plan).where(Plan.ics_token == token)).scalar_one_or_none()


def _pace_range(pace: list[float | None], units: str = "km") -> str:
    """A target's (fastest, slowest) pace in s/km as the plan page shows it: m:ss–m:ss /km
    (or /mi), "…" for an open slowest bound (a ramp from standstill)."""
    fast, slow = pace
    slowest = format_pace_seconds(slow, units) if slow else "…"
    return f"{format_pace_seconds(fast, units)}–{slowest} {pace_label(units)}"


def _description(
    day_targets: list[dict[str, object]],
    duration_s: float,
    distance_m: float,
    load: float,
    notes: str,
    units: str = "km",
) -> str:
    distance = format_distance(distance_m, units)
    lines = [f"{format_duration(duration_s)}, {distance}, load {load:.0f}"]
    for target in day_targets:
        pace = target.get("pace_s_per_km")
        hr = target.get("hr_bpm")
        effort = target.get("effort")
        parts = [f"Step {int(str(target.get('step_index', 0))) + 1} ({target.get('part')})"]
        if effort:  # hill repetitions: run by effort, no pace (science.plans.targets)
            parts.append(str(effort))
        elif isinstance(pace, list) and len(pace) == 2:
            parts.append(f"pace {_pace_range(pace, units)}")
        if isinstance(hr, list) and len(hr) == 2 and None not in hr:
            parts.append(f"HR {hr[0]:.0f}–{hr[1]:.0f} bpm")
        lines.append(", ".join(parts))
    if notes:
        lines.append(notes)
    return "\n".join(lines)


def ics_feed(plan: Plan, stamp: dt.datetime, units: str | None = None) -> str:
    """The plan's feed text; ``stamp`` is the DTSTAMP of every event (UTC); ``units`` (km
    or mi) those of the runner's user unless given."""
    stamp_utc = stamp.astimezone(dt.UTC)
    if units is None:
        user = plan.runner.user
        units = user.units if user is not None else "km"
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is not known to be TEXT: vText makes the library escape it.
    calendar.add("x-wr-calname", vText(f"{plan.runner.name}: {plan.schema_name}"))
    for day in plan.days:
        event = Event()
        event.add("uid", f"plan-{plan.id}-{day.date.strftime('%Y%m%d')}@smartrunning")
        event.add("dtstamp", stamp_utc)
        event.add("dtstart", day.date)
        event.add("dtend", day.date + dt.timedelta(days=1))
        summary = day.workout_name or day.kind
        if day.skipped_reason is not None:  # kept, marked: calendars show it struck out
            summary = f"Skipped ({day.skipped_reason}): {summary}"
            event.add("status", "CANCELLED")
        event.add("summary", summary)
        event.add(
            "description",
            _description(
                list(day.targets or []),
                day.duration_s,
                day.distance_m,
                day.load,
                day.notes,
                units,
            ),
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
